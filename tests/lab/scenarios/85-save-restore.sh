# Save and restore on real Xen (issue 11): a Linux PV guest with a disk
# and a vif counts seconds (on its console and in data/tick) and writes
# its disk; saved and restored, it goes on counting where it was (no
# reboot: its uptime keeps growing), its disk and network work, its first
# disk write is intact. save -c leaves it running; a restore under a new
# name; and the bad cases lose nothing: a save to a full disk, past a file
# size limit, or of a domain that dies half way leaves no file (and the
# domain running as it was); a truncated, corrupted or wrong-version file
# is refused saying why, with no domain, xenstore node or loop device
# left; grub's tiny guest (no p2m table) is refused up front.
. "$(dirname "$0")/lib.sh"

W=/tmp/xlite-sr
BR=xlbr85
# A /24 of its own: earlier scenarios leave bridges holding 169.254.0.1/16,
# and a second /16 route would send dom0's pings out of the wrong bridge.
mkdir -p "$W"
ip link add $BR type bridge 2>/dev/null
ip addr add 169.254.85.1/24 dev $BR 2>/dev/null
ip link set $BR up
dd if=/dev/zero of="$W/disk.img" bs=1M count=8 2>/dev/null
ONE=$(yes before | head -c 1048576 | md5sum | cut -d' ' -f1)
TWO=$(yes after | head -c 1048576 | md5sum | cut -d' ' -f1)

domid() { xl domid "$1" 2>/dev/null; }
tick() { xenstore-read "/local/domain/$(domid "$1")/data/tick" 2>/dev/null || echo 0; }
# The counter passed N (the guest runs).
tick_above() { [ "$(tick "$1")" -gt "$2" ] 2>/dev/null; }
ticks() { guest_log "$1" | tr -d '\r' | sed -n 's/^TICK \([0-9]*\) .*/\1/p'; }
last_uptime() { guest_log "$1" | tr -d '\r' | sed -n 's/^TICK [0-9]* \([0-9.]*\).*$/\1/p' | tail -1; }
state() { xl list "$1" 2>/dev/null | awk 'NR == 2 { print $5 }'; }
our_loops() {
	for b in /sys/block/loop*/loop/backing_file; do
		[ -f "$b" ] && grep -l "^$W/" "$b" 2>/dev/null
	done
}
# What a failed restore must not leave: domains, their xenstore
# directories, backends, /vm entries, loop devices.
snapshot() {
	{ xl list | awk 'NR > 1 { print $1 }'; xenstore-list /local/domain
	  xenstore-list /local/domain/0/backend/vbd; xenstore-list /local/domain/0/backend/vif
	  xenstore-list /vm; our_loops; } 2>/dev/null | tr '\n' ' '
}
no_loops() { [ -z "$(our_loops)" ]; }
no_file() { ! ls "$1"* >/dev/null 2>&1; }
md5_at() { dd if="$1" bs=1M skip="$2" count=1 2>/dev/null | md5sum | cut -d' ' -f1; }

# The guest: writes "before" on xvda, then counts; writes "after" at 1 MiB
# when dom0 puts data/cmd=write2 (after the restore).
guest_xml "$W/sr1.xml" sr1 160 "lab.ip=169.254.85.2/24" disk="$W/disk.img:xvda" \
	bridge="$BR" <<'GUEST'
while [ ! -b /dev/xvda ];do sleep .2;done
yes before|head -c 1048576|dd of=/dev/xvda bs=1M conv=fsync 2>/dev/null;echo W1=$?
i=0;while :;do i=$((i+1));echo "TICK $i $(cut -d' ' -f1 /proc/uptime)"
xenstore-write data/tick $i
if [ "$(xenstore-read data/cmd 2>/dev/null)" = write2 ];then
yes after|head -c 1048576|dd of=/dev/xvda bs=1M seek=1 conv=fsync 2>/dev/null;echo W2=$?
xenstore-write data/cmd done;fi;sleep 1;done &
GUEST

check "create sr1 (Linux PV, a disk, a vif)" xlite create "$W/sr1.xml"
if wait_for 240 tick_above sr1 5; then pass "sr1 booted and counts"; else
	fail "sr1 booted and counts"; guest_log sr1 | tail -20 | sed 's/^/#   /'; fi
check_match "sr1 wrote its disk" "W1=0" "$(guest_log sr1)"
D1=$(domid sr1)

# ---- a save that fails leaves the domain running and no file -------------
mkdir -p "$W/small"
mount -t tmpfs -o size=24m tmpfs "$W/small"
OUT=$(xlite save sr1 "$W/small/sr1.save" 2>&1); RC=$?
check_eq "save to a full disk fails (exit 1)" 1 "$RC"
check_match "and says the disk is full" "No space left on device" "$OUT"
check_eq "and leaves no file" "" "$(ls "$W/small")"
check_eq "sr1 is the same domain" "$D1" "$(domid sr1)"
T=$(tick sr1)
check "sr1 runs on after the failed save" wait_for 30 tick_above sr1 "$T"
umount "$W/small"

OUT=$( (ulimit -f 16384; xlite save sr1 "$W/big.save") 2>&1); RC=$?
check_eq "save past a file size limit fails (exit 1)" 1 "$RC"
check_match "and says why" "File too large" "$OUT"
check "and leaves no file" no_file "$W/big.save"
T=$(tick sr1)
check "sr1 runs on after the write error" wait_for 30 tick_above sr1 "$T"

# dom0 keeps files in memory: one saved guest (168 MB) at a time.
free -m | sed -n 2p | awk '{ print "# dom0 memory: " $3 " MB used, " $4 " MB free" }'

# ---- save, then restore: the guest goes on where it was --------------------
U1=$(last_uptime sr1)
xlite save --json sr1 "$W/sr1.save" >"$W/save.json" 2>&1; RC=$?
check_eq "save sr1 (exit 0)" 0 "$RC"
[ "$RC" = 0 ] || grep -v '"event":"progress"' "$W/save.json" | sed 's/^/#   /'
check_match "save --json prints progress lines" '"event":"progress".*"final":true' \
	"$(grep '"final":true' "$W/save.json")"
check_match "and the result" '"event":"saved".*"running":false' "$(grep saved "$W/save.json")"
grep '"event":"saved"' "$W/save.json" | sed 's/^/# /'
check "sr1 is gone after the save" sh -c "! xl domid sr1 >/dev/null 2>&1"
check_eq "its loop device is released" "" "$(our_loops)"
check "its backends are gone" sh -c "! xenstore-ls /local/domain/0/backend/vbd/$D1 >/dev/null 2>&1"
check_eq "no temporary file is left" "" "$(ls "$W" | grep '\.tmp-')"
check "the file starts with xlite's magic" sh -c "head -c 8 $W/sr1.save | grep -q XLITESAV"
SIZE=$(ls -l "$W/sr1.save" | awk '{ print $5 }')
echo "# save file: $SIZE bytes for a 160 MiB guest"
LAST=$(ticks sr1 | tail -1)

# ---- files that are not whole are refused, nothing made -------------------
# The damage is done in place and undone (dom0 holds files in memory).
poke() { printf "$3" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null; }
head -c 16777216 "$W/sr1.save" >"$W/trunc.save"
head -c 30 "$W/sr1.save" >"$W/short.save"
BEFORE=$(snapshot)
refused() {	# WHAT FILE WHY
	OUT=$(xlite restore "$2" srbad 2>&1); RC=$?
	check_eq "restore of the $1 file fails (exit 1)" 1 "$RC"
	check_match "and says what is wrong" "$3" "$OUT"
	check_eq "and leaves nothing (domains, nodes, loops)" "$BEFORE" "$(snapshot)"
}
refused truncated "$W/trunc.save" "truncated: it ends at byte 16777216"
refused "30-byte" "$W/short.save" "truncated: 30 bytes"
rm -f "$W/trunc.save" "$W/short.save"
AT=$((SIZE / 3))
WAS=$(dd if="$W/sr1.save" bs=1 skip=$AT count=1 2>/dev/null | od -An -to1 | tr -d ' ')
poke "$W/sr1.save" $AT 'Z'
[ "$WAS" = 132 ] && poke "$W/sr1.save" $AT 'Y'
refused corrupted "$W/sr1.save" "corrupted"
poke "$W/sr1.save" $AT "\\$WAS"
poke "$W/sr1.save" 8 '\002'
refused wrong-version "$W/sr1.save" "format version 2, this xlite reads version 1"
poke "$W/sr1.save" 8 '\001'

check "restore sr1" xlite restore "$W/sr1.save"
rm -f "$W/sr1.save"
D2=$(domid sr1)
echo "# sr1: domain $D1 saved at count $LAST, restored as domain $D2"
check "sr1 is a new domain" test "$D2" != "$D1"
check "sr1 counts on from where it was" wait_for 60 tick_above sr1 "$LAST"
FIRST=$(ticks sr1 | awk -v l="$LAST" '$1 == l { seen = 1; next } seen { print; exit }')
check_eq "the first count after the restore follows the last before it" \
	"$((LAST + 1))" "$FIRST"
check "its uptime keeps growing" awk -v a="$U1" -v b="$(last_uptime sr1)" \
	'BEGIN { exit !(b > a) }'
check "it answers ping on the bridge" wait_for 30 ping -c1 -W2 169.254.85.2
xenstore-write "/local/domain/$D2/data/cmd" write2
check "it writes its disk after the restore" wait_for 60 sh -c \
	"[ \"\$(xenstore-read /local/domain/$D2/data/cmd)\" = done ]"
check_match "and the write succeeded" "W2=0" "$(guest_log sr1)"

# ---- checkpoint: the domain runs on ---------------------------------------
check "save -c sr1" xlite save -c sr1 "$W/sr1-c.save"
CKPT=$(tick sr1)
check_eq "sr1 is still the same domain" "$D2" "$(domid sr1)"
check "sr1 runs on after save -c" wait_for 30 tick_above sr1 "$CKPT"
check_eq "no temporary file is left" "" "$(ls "$W" | grep '\.tmp-')"
BEFORE=$(snapshot)
OUT=$(xlite restore "$W/sr1-c.save" srcopy 2>&1); RC=$?
check_eq "restore of the checkpoint beside sr1 is refused (its disk is in use)" 1 "$RC"
check_match "and says so" "in use" "$OUT"
check_eq "and leaves nothing" "$BEFORE" "$(snapshot)"

# ---- a domain that dies half way: no file -----------------------------------
XLITE_TEST_SAVE_STOP=33554432:$W/stop xlite save sr1 "$W/dies.save" >"$W/dies.out" 2>&1 &
SP=$!
if wait_for 60 test -e "$W/stop"; then
	xl destroy sr1
	rm -f "$W/stop"
	wait $SP; RC=$?
	check_eq "a save whose domain dies fails (exit 1)" 1 "$RC"
	sed 's/^/# /' "$W/dies.out"
	check_match "and says why" "died|vanished|does not exist|xc_domain_save" "$(cat "$W/dies.out")"
	check "and leaves no file" no_file "$W/dies.save"
else
	fail "the save stopped half way (test hook)"; rm -f "$W/stop"; wait $SP
fi
xlite destroy sr1 >/dev/null 2>&1
check "sr1's loop device is released" wait_for 15 no_loops
check_eq "the first disk write is intact" "$ONE" "$(md5_at "$W/disk.img" 0)"
check_eq "the write after the restore is on the disk" "$TWO" "$(md5_at "$W/disk.img" 1)"

# ---- the checkpoint under a new name -----------------------------------------
check "restore -p the checkpoint as srb" xlite restore -p "$W/sr1-c.save" srb
rm -f "$W/sr1-c.save"
check_match "srb is paused" "p" "$(state srb)"
check "unpause srb" xlite unpause srb
check "srb counts on from the checkpoint" wait_for 60 tick_above srb "$CKPT"
check_match "xlite list shows srb" "srb" "$(xlite list srb)"
check "destroy srb" xlite destroy srb
check_eq "nothing of srb is left" "" "$(our_loops)"

# ---- a PVH guest: saved with its HVM context, restored as PVH ----------------
guest_xml "$W/pvh.xml" srp 128 "" <<'GUEST'
mkdir /t;mount -t tmpfs t /t;echo "$(cat /proc/sys/kernel/random/uuid)" >/t/id
i=0;while :;do i=$((i+1));echo "TICK $i $(cut -d' ' -f1 /proc/uptime) $(cat /t/id) $(cat /sys/hypervisor/guest_type)"
xenstore-write data/tick $i;sleep 1;done &
GUEST
sed -i "s|<type>linux</type>|<type arch='x86_64' machine='xenpvh'>xenpvh</type>|" "$W/pvh.xml"
check "create srp (Linux PVH, 128 MiB)" xlite create "$W/pvh.xml"
check "srp boots and counts" wait_for 240 tick_above srp 3
U1=$(last_uptime srp); P1=$(domid srp)
ID1=$(guest_log srp | tr -d '\r' | sed -n 's/^TICK [0-9]* [0-9.]* //p' | tail -1)
check "save srp (PVH)" xlite save srp "$W/srp.save"
LAST=$(ticks srp | tail -1)
check "srp is gone after the save" sh -c "! xl domid srp >/dev/null 2>&1"
check "restore srp" xlite restore "$W/srp.save"
rm -f "$W/srp.save"
check "srp counts on from where it was" wait_for 60 tick_above srp "$LAST"
check "its uptime keeps growing" awk -v a="$U1" -v b="$(last_uptime srp)" \
	'BEGIN { exit !(b > a) }'
check_match "srp runs as PVH" " PVH$" "$ID1"
check_eq "its tmpfs file is the same, it still runs as PVH" "$ID1" \
	"$(guest_log srp | tr -d '\r' | sed -n 's/^TICK [0-9]* [0-9.]* //p' | tail -1)"
echo "# srp: domain $P1 saved at count $LAST, restored as domain $(domid srp)"
check "destroy srp" xlite destroy srp

# ---- grub's tiny guest publishes no p2m: refused, untouched -------------------
check "create tiny1" xlite create /lab/src/examples/tiny.xml
OUT=$(xlite save tiny1 "$W/tiny.save" 2>&1); RC=$?
check_eq "save of the tiny guest fails (exit 1)" 1 "$RC"
check_match "and says why" "no p2m table" "$OUT"
check_match "tiny1 still runs" "^[rb-]+$" "$(state tiny1)"
check "and no file is left" no_file "$W/tiny.save"
xlite destroy tiny1 >/dev/null 2>&1

rm -rf "$W"
finish
