# Migration between two real Xen hosts (issue 11). A PVH Linux guest with a
# disk on the shared storage and a vif on xlbr0 moves live to host 2 and
# back; a PV guest (Debian's Xen has no shadow paging: `--live` is refused,
# saying why) moves cold the same way. Each time it keeps its name and
# uuid, is gone from the source, counts on without a restart (its uptime
# grows, its tmpfs file is the same), its disk data is intact, and it
# answers ping on the other host's bridge. A save on host 1 restored on
# host 2 does the same. A move to a host that refuses (the name is taken;
# not enough free memory) leaves the guest running on host 1 and nothing new
# on host 2; host 2 losing its power in the middle of a move leaves the guest
# running on host 1 (host 2 is booted again at the end).
# Not in the default run (about 10 minutes): it passed end to end on the TCP
# link with the moves over tcp-pipe.bash (585 s, with three other labs on the
# 2-core host; PVH live 60.0 s and 32.6 s, downtime 2.0 s and 0.9 s, 108 MiB
# sent; PV cold 20.7 s and 17.7 s, downtime 18.5 s and 16.7 s, 96 MiB):
#   XLITE_LAB_FILE_TIMEOUT=3000 XLITE_LAB_TIMEOUT=3300 tests/lab/xlite-lab run --hosts 2 tests/lab/migrate-two-hosts.sh
. "$(dirname "$0")/lib.sh"
. /lab/src/tests/lab/scenarios2/migrate.inc

check_match "xlite info: PVH guests move live, PV guests do not" \
	"live_migration +: pvh$" "$(xlite info | grep live_migration)"

# Both guests boot at once.
mig_guest m1 96 169.254.1.10 8 pvh
mig_guest p1 96 169.254.1.11 9 pv
check "create m1 (PVH, shared disk, vif on xlbr0) on host 1" xlite create "$W/m1.xml"
check "create p1 (PV, shared disk, vif on xlbr0) on host 1" xlite create "$W/p1.xml"
check "m1 boots and counts" wait_for 300 tick_above 1 m1 2
check "p1 boots and counts" wait_for 300 tick_above 1 p1 2
check_match "m1 runs as PVH" " PVH$" "$(last_tick 1 m1)"
check_match "p1 runs as PV" " PV$" "$(last_tick 1 p1)"

# ---- the PVH guest, live, to host 2 and back ------------------------------------
move m1 1 2 --live 169.254.1.10
check_eq "m1's disk data is intact (read on host 2)" "$(pattern_md5 m1)" "$(md5_shared 2 8)"
move m1 2 1 --live 169.254.1.10
check_eq "m1's disk data is intact (read on host 1)" "$(pattern_md5 m1)" "$(md5_shared 1 8)"

# ---- the PV guest: refused live, moved cold -------------------------------------
OUT=$(xlite migrate --live -s "$SSH" p1 $H2 2>&1); RC=$?
check_eq "migrate --live of a PV guest is refused (exit 1)" 1 "$RC"
check_match "saying why" "shadow paging" "$OUT"
check "p1 runs on host 1" wait_for 60 tick_above 1 p1 "$(tick 1 p1)"
check "and nothing of it is on host 2" absent_on 2 p1 none
move p1 1 2 "" 169.254.1.11
check_eq "p1's disk data is intact (read on host 2)" "$(pattern_md5 p1)" "$(md5_shared 2 9)"
move p1 2 1 --cold 169.254.1.11
check_eq "p1's disk data is intact (read on host 1)" "$(pattern_md5 p1)" "$(md5_shared 1 9)"

# ---- a host that refuses: the name is taken, no memory to spare ------------------
# Host 2 runs a (paused) guest of its own named m1 that holds all but
# 48 MiB of its free memory: m1 cannot come (its name), p1 cannot (96 MiB).
FREE=$(lab-on 2 "xl info | sed -n 's/^free_memory *: *//p'")
check_match "host 2's free memory" "^[0-9]+$" "$FREE"
# (xl makes it: this is the target's state, not what is tested.)
lab-on 2 "printf 'name=\"m1\"\nkernel=\"%s\"\nmemory=%s\n' ${LAB_GUESTS:-/lab/guests}/tiny.bin $((FREE - 48)) >/tmp/fill.cfg"
check "host 2 runs a guest named m1 of its own, holding its memory" lab-on 2 xl create -p /tmp/fill.cfg
ID2=$(lab-on 2 xl domid m1)
refused m1 "the target says the name is taken" "domain 'm1' exists on this host"
refused p1 "the target says it has not the memory" "domain 'p1' needs 96 MiB, this host has [0-9]+ MiB free"
check_eq "host 2 has only its own m1" "$ID2" "$(lab-on 2 xl domid m1)"
check_eq "and no other domain (Domain-0 and m1)" "3" "$(lab-on 2 xl list | wc -l)"
check "and nothing of p1" absent_on 2 p1 none
check "host 2's m1 goes" lab-on 2 xl destroy m1

# ---- save on host 1, restore on host 2 -------------------------------------------
# The file goes on the shared disk raw, from 16 MiB on (no file system: each
# dom0 caches its own view), with its length on the side.
B=$(last_tick 1 p1) U=$(uuid_on 1 p1)
check "save p1 on host 1" xlite save p1 "$W/p1.save"
check "p1 is gone from host 1" sh -c "! xl domid p1"
LEN=$(wc -c <"$W/p1.save")
check "the file goes onto the shared disk" dd if="$W/p1.save" of="$S" bs=1M seek=16 oflag=direct conv=fsync
rm -f "$W/p1.save"
check "host 2 reads it from the shared disk and restores p1" lab-on 2 \
	"dd if=$S bs=1M skip=16 iflag=direct 2>/dev/null | head -c $LEN >/tmp/p1.save && xlite restore /tmp/p1.save && rm -f /tmp/p1.save"
check_eq "p1 is on host 2 with the same uuid" "$U" "$(uuid_on 2 p1)"
moved_on p1 2 "$B" 169.254.1.11
check_eq "p1's disk data is intact" "$(pattern_md5 p1)" "$(md5_shared 2 9)"
check "host 2's p1 goes" lab-on 2 xlite destroy p1

# ---- host 2 loses its power in the middle of a move ------------------------------
T=$(tick 1 m1)
xlite migrate --json -s "$SSH" m1 $H2 >"$W/off.out" 2>&1 &
MP=$!
check "the move is under way (memory moving)" wait_for 120 grep -q '"mib_done":[1-9]' "$W/off.out"
check "host 2 powered off during the move" lab-power off 2
wait $MP; RC=$?
check_eq "the move fails (exit 1)" 1 "$RC"
grep -v '"event":"progress"' "$W/off.out" | sed 's/^/# /'
check_match "and says m1 runs on here" "runs on here as before" "$(cat "$W/off.out")"
check "m1 counts on on host 1" wait_for 60 tick_above 1 m1 "$T"
check_match "xlite list shows m1 running" "^m1 " "$(xlite list m1)"
check "host 2 boots again (the files after this one need it)" lab-power on 2
check_eq "and runs no domain but Domain-0" 2 "$(lab-on 2 xl list | wc -l)"

xlite destroy m1
rm -rf "$W"
finish
