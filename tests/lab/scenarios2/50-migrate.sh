# Migration between two real Xen hosts (issue 11), the whole lab proof in
# the default two-host run. A PVH Linux guest (m1) and a PV one (p1), each
# with a disk on the shared storage and a vif on xlbr0 (m1 also a file disk
# at the same path on both hosts). Each move checks (move, migrate.inc):
# the same name and uuid on the target, nothing left on the source (no
# domain, xenstore node, backend, vif), the count goes on without a restart
# (uptime, tmpfs file), on the console, ping on the target's bridge, and
# the guest's data on the shared disk intact.
# - A host that refuses (a guest of that name runs there; not the memory):
#   the guest runs on on host 1, nothing new on host 2.
# - m1 live to host 2 and back.
# - p1: `--live` refused saying why (Debian's Xen has no shadow paging),
#   moved cold to host 2 and back.
# - p1 saved on host 1, the file restored on host 2 (through the shared
#   disk): the same checks.
# - Host 2 loses its power in the middle of m1's move: the move fails, m1
#   runs on on host 1. This is also the lab's power test (lab-power: ping,
#   lab-on's 255, a new boot, the shared disk's data kept), so it comes last.
# The guests have 112 MiB: the lab's Linux guest (Debian's 6.1) loses
# about 1 MiB to xen-netfront at each resume, with xl as with xlite
# (measured: save and restore in a loop, MemAvailable after each; a guest
# with a disk and no vif loses nothing), and at 96 MiB (~10 MiB free after
# boot) one moved back and forth 10 times was killed by its OOM killer.
# In CI runs (virtio-net link) a live move of m1 took 13-22 s (123-124 MiB
# sent, downtime 0.5-1.1 s), a cold one of p1 8-17 s (112 MiB); the whole
# file 195-259 s.
. "$(dirname "$0")/lib.sh"
. /lab/src/tests/lab/scenarios2/migrate.inc

check_match "xlite info: PVH guests move live, PV guests do not" \
	"live_migration +: pvh$" "$(xlite info | grep live_migration)"

# The file disk: a file at the same path on each host (each its own copy,
# the same bytes; the guest only reads it), a loop device where it runs.
RO=/tmp/xlite-mig-ro.img
for h in 1 2; do on $h "yes ro | head -c 4194304 >$RO"; done
mig_guest m1 112 169.254.1.10 8 pvh
mig_guest p1 112 169.254.1.11 9 pv
sed -i "s|<devices>|<devices>\n    <disk type='file' device='disk'><source file='$RO'/><target dev='xvdb'/></disk>|" "$W/m1.xml"
check "create m1 (PVH; the shared disk, a file disk, a vif) on host 1" xlite create "$W/m1.xml"
check "create p1 (PV; the shared disk, a vif) on host 1" xlite create "$W/p1.xml"
check "m1 boots and counts" wait_for 300 tick_above 1 m1 2
check "p1 boots and counts" wait_for 300 tick_above 1 p1 2
check_match "m1 runs as PVH" " PVH$" "$(last_tick 1 m1)"
check_match "p1 runs as PV" " PV$" "$(last_tick 1 p1)"
check_match "a loop device backs m1's file disk on host 1" "$RO" "$(losetup -a 2>&1)"

# ---- a host that refuses: the name is taken, no memory to spare ------------------
# Host 2 runs a (paused) guest of its own named m1 that holds all but
# 48 MiB of its free memory: m1 cannot come (its name), p1 cannot (112 MiB).
# (xl makes it: this is the target's state, not what is tested.)
FREE=$(lab-on 2 "xl info | sed -n 's/^free_memory *: *//p'")
check_match "host 2's free memory" "^[0-9]+$" "$FREE"
lab-on 2 "printf 'name=\"m1\"\nkernel=\"%s\"\nmemory=%s\n' ${LAB_GUESTS:-/lab/guests}/tiny.bin $((FREE - 48)) >/tmp/fill.cfg"
check "host 2 runs a guest named m1 of its own, holding its memory" lab-on 2 xl create -p /tmp/fill.cfg
ID2=$(lab-on 2 xl domid m1)
refused m1 "the target says the name is taken" "domain 'm1' exists on this host"
refused p1 "the target says it has not the memory" "domain 'p1' needs 112 MiB, this host has [0-9]+ MiB free"
check_eq "host 2 has only its own m1" "$ID2" "$(lab-on 2 xl domid m1)"
check_eq "and no other domain (Domain-0 and m1)" 3 "$(lab-on 2 xl list | wc -l)"
check "and nothing of p1" absent_on 2 p1 none
check "and no loop device of m1's file disk" lab-on 2 "! losetup -a | grep -q $RO"
check "host 2's m1 goes" lab-on 2 xl destroy m1

# ---- the PVH guest, live, to host 2 and back --------------------------------------
move m1 1 2 --live 169.254.1.10
check "no loop device of m1's file disk is left on host 1" wait_for 10 sh -c "! losetup -a | grep -q $RO"
check_match "a loop device backs it on host 2" "$RO" "$(lab-on 2 losetup -a 2>&1)"
check_eq "m1's shared disk data is intact (read on host 2)" "$(pattern_md5 m1)" "$(md5_shared 2 8)"
move m1 2 1 --live 169.254.1.10
check "no loop device of m1's file disk is left on host 2" wait_for 10 lab-on 2 "! losetup -a | grep -q $RO"
check_eq "m1's shared disk data is intact (read on host 1)" "$(pattern_md5 m1)" "$(md5_shared 1 8)"

# ---- the PV guest: refused live, moved cold there and back ------------------------
OUT=$(xlite migrate --live -s "$SSH" p1 $H2 2>&1); RC=$?
check_eq "migrate --live of a PV guest is refused (exit 1)" 1 "$RC"
check_match "saying why" "shadow paging" "$OUT"
check "p1 runs on host 1" wait_for 60 tick_above 1 p1 "$(tick 1 p1)"
check "and nothing of it is on host 2" absent_on 2 p1 none
move p1 1 2 "" 169.254.1.11
check_eq "p1's shared disk data is intact (read on host 2)" "$(pattern_md5 p1)" "$(md5_shared 2 9)"
move p1 2 1 --cold 169.254.1.11
check_eq "p1's shared disk data is intact (read on host 1)" "$(pattern_md5 p1)" "$(md5_shared 1 9)"

# ---- save on host 1, restore on host 2 -------------------------------------------
# The file goes on the shared disk raw, from 16 MiB on (no file system: each
# dom0 caches its own view), with its length on the side.
B=$(last_tick 1 p1) U=$(uuid_on 1 p1) ID=$(xl domid p1)
check "save p1 on host 1" xlite save p1 "$W/p1.save"
check "nothing of p1 is left on host 1" absent_on 1 p1 "$ID"
LEN=$(wc -c <"$W/p1.save")
check "the file goes onto the shared disk" dd if="$W/p1.save" of="$S" bs=1M seek=16 oflag=direct conv=fsync
rm -f "$W/p1.save"
check "host 2 reads it from the shared disk and restores p1" lab-on 2 \
	"dd if=$S bs=1M skip=16 iflag=direct 2>/dev/null | head -c $LEN >/tmp/p1.save && xlite restore /tmp/p1.save && rm -f /tmp/p1.save"
check_eq "p1 is on host 2 with the same uuid" "$U" "$(uuid_on 2 p1)"
moved_on p1 2 "$B" 169.254.1.11
check_eq "p1's shared disk data is intact (read on host 2)" "$(pattern_md5 p1)" "$(md5_shared 2 9)"
check "host 2's p1 goes" lab-on 2 xlite destroy p1

# ---- host 2 loses its power in the middle of a move -------------------------------
# Also the lab's own power test: host 2 gone (no ping, lab-on says 255),
# booted again (a new boot id), the shared disk kept what host 2 wrote.
lab-on 2 "head -c 1048576 /dev/urandom >/tmp/pat2 && dd if=/tmp/pat2 of=$S bs=1M seek=2 oflag=direct conv=fsync 2>/dev/null"
P2=$(lab-on 2 "md5sum </tmp/pat2 | cut -d' ' -f1")
check_match "host 2 wrote 1 MiB to the shared disk" "^[0-9a-f]{32}$" "$P2"
check_eq "host 1 reads it" "$P2" "$(md5_shared 1 2)"
BOOT=$(lab-on 2 cat /proc/sys/kernel/random/boot_id)
T=$(tick 1 m1)
xlite migrate --json -s "$SSH" m1 $H2 >"$W/off.out" 2>&1 &
MP=$!
check "the move is under way (memory moving)" wait_for 120 grep -q '"mib_done":[1-9]' "$W/off.out"
check "lab-power off 2 returns once host 2 is gone (in the middle of the move)" lab-power off 2
wait $MP; RC=$?
check_eq "the move fails (exit 1)" 1 "$RC"
grep -v '"event":"progress"' "$W/off.out" | sed 's/^/# /'
check_match "and says m1 runs on here" "runs on here as before" "$(cat "$W/off.out")"
check "m1 counts on on host 1" wait_for 60 tick_above 1 m1 "$T"
check_match "xlite list shows m1 running" "^m1 " "$(xlite list m1)"
check_fails "host 2 no longer answers ping" ping -c1 -W2 "$LAB_PEER"
check_status "lab-on 2 fails with 255 while host 2 is off" 255 lab-on 2 true
check "lab-power on 2 returns once host 2 answers again" lab-power on 2
B2=$(lab-on 2 cat /proc/sys/kernel/random/boot_id)
check_match "host 2 booted again (a new boot id)" "^[0-9a-f-]{36}$" "$B2"
check "host 2's boot id changed" test "$B2" != "$BOOT"
check_eq "and runs no domain but Domain-0" 2 "$(lab-on 2 xl list | wc -l)"
check_eq "the shared disk kept host 2's data" "$P2" "$(md5_shared 2 2)"
check_match "xlite list on host 2" "^Domain-0 +0 " "$(lab-on 2 xlite list)"

check "m1 goes" xlite destroy m1
check "no loop device of m1's file disk is left" sh -c "! losetup -a | grep -q $RO"
for h in 1 2; do on $h "rm -f $RO /tmp/fill.cfg /tmp/pat2" 2>/dev/null; done
rm -rf "$W"
finish
