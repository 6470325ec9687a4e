# PVH live migration between the two hosts, in the default two-host run
# (issue 11; the whole proof, the move back, PV cold moves, save/restore on
# the other host, host 2's power failure in a move, is
# tests/lab/migrate-two-hosts.sh: 323 s on the idle host, over what the
# default run can spend). The lab's Linux guest as PVH, with the shared
# disk, a file disk and a vif on xlbr0: a move to host 2 that the target
# refuses (it runs a guest of that name) leaves it running on host 1 and
# nothing new on host 2; then it moves live to host 2, keeps its name and
# uuid, is gone from host 1 (no domain, xenstore node, backend, vif, loop
# device), counts on without a restart (uptime, tmpfs file, console),
# answers ping there, its shared disk's data intact. On the virtio-net link
# a move of this 96 MiB guest took 22-34 s (107-109 MiB sent, downtime
# 0.7-1.4 s).
. "$(dirname "$0")/lib.sh"
. /lab/src/tests/lab/scenarios2/migrate.inc

# The file disk: a file at the same path on each host (each its own copy,
# the same bytes; the guest only reads it), a loop device where it runs.
RO=/tmp/xlite-mig-ro.img
for h in 1 2; do on $h "yes ro | head -c 4194304 >$RO"; done
mig_guest g1 96 169.254.1.20 10 pvh
sed -i "s|<devices>|<devices>\n    <disk type='file' device='disk'><source file='$RO'/><target dev='xvdb'/></disk>|" "$W/g1.xml"
check "create g1 (PVH; the shared disk, a file disk, a vif) on host 1" xlite create "$W/g1.xml"
check "g1 boots and counts" wait_for 300 tick_above 1 g1 2
check_match "g1 runs as PVH" " PVH$" "$(last_tick 1 g1)"
check_match "a loop device backs its file disk on host 1" "$RO" "$(losetup -a 2>&1)"

# ---- refused: host 2 runs a (paused) guest named g1 of its own ----------------
lab-on 2 "printf 'name=\"g1\"\nkernel=\"%s\"\nmemory=16\n' ${LAB_GUESTS:-/lab/guests}/tiny.bin >/tmp/g1.cfg"
check "host 2 runs a guest named g1 of its own" lab-on 2 xl create -p /tmp/g1.cfg
ID2=$(lab-on 2 xl domid g1)
refused g1 "the target says the name is taken" "domain 'g1' exists on this host"
check_eq "host 2 has only its own g1" "$ID2" "$(lab-on 2 xl domid g1)"
check_eq "and no other domain (Domain-0 and g1)" 3 "$(lab-on 2 xl list | wc -l)"
check "and no loop device of the file disk" lab-on 2 "! losetup -a | grep -q $RO"
check "host 2's g1 goes" lab-on 2 xl destroy g1

# ---- live to host 2 -------------------------------------------------------------
move g1 1 2 --live 169.254.1.20
check "no loop device of its file disk is left on host 1" wait_for 10 sh -c "! losetup -a | grep -q $RO"
check_match "a loop device backs it on host 2" "$RO" "$(lab-on 2 losetup -a 2>&1)"
check_eq "g1's shared disk data is intact (read on host 2)" "$(pattern_md5 g1)" "$(md5_shared 2 10)"

check "g1 goes (host 2)" lab-on 2 xlite destroy g1
for h in 1 2; do on $h "rm -f $RO /tmp/g1.cfg"; done
rm -rf "$W"
finish
