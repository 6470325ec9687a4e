# xlite's paravirtual frontends against dom0's real backends. A Linux guest
# booted with lab.nofront=blk,net (its kernel's own frontends unloaded)
# gets two disks and a vif from xlite; in the guest:
#   - xlite-blkfront reads its own test script from xvdb, reads the pattern
#     dom0 put on xvda, writes its own (verified in dom0), flushes, and
#     refuses I/O past the end and unknown devices;
#   - xlite-netfront connects the vif to a TAP interface; guest and dom0
#     ping each other over a bridge (link-local addresses);
#   - xlite-guest-agent reports memory to xenstore; the figures change when
#     the guest allocates memory, and the agent stops cleanly on SIGTERM.
# Dom0 also checks the backends' states after each frontend let go.
. "$(dirname "$0")/lib.sh"

W=/tmp/xlite-pvd
BR=xlbr6
MAC=00:16:3e:60:00:02
mkdir -p "$W"

glog() { guest_log pvd | tr -d '\r'; }
guest_has() { glog | grep -q -- "$1"; }
gval() { glog | sed -n "s/^PVD $1=//p" | tail -1; }
md5() { md5sum | cut -d' ' -f1; }
xs() { xenstore-read "$1" 2>/dev/null; }

# ---- dom0: a bridge, the disks -----------------------------------------------
ip link add $BR type bridge 2>/dev/null
ip addr add 169.254.60.1/24 dev $BR 2>/dev/null
ip link set $BR up
dd if=/dev/zero of="$W/disk.img" bs=1M count=64 2>/dev/null
yes "xlite dom0 pvd pattern" | head -c 4194304 >"$W/pat"
dd if="$W/pat" of="$W/disk.img" conv=notrunc 2>/dev/null
PAT=$(md5 <"$W/pat")
GPAT=$(yes guest-pvd | head -c 4194304 | md5)

# The guest's script, too long for the kernel command line, travels on
# xvdb, read by xlite-blkfront itself.
cat >"$W/t.sh" <<'EOF'
p() { echo "PVD $*"; }
xs_wait() {
	i=0
	while ! xenstore-read "data/$1" >/dev/null 2>&1; do
		sleep .3; i=$((i + 1)); [ $i -gt 900 ] && return 1
	done
}
p DRIVERS=$(ls /sys/bus/xen/drivers 2>/dev/null | tr '\n' ,)
xlite-blkfront xvda info >/tmp/info 2>&1; p INFO=$?
sed 's/^/PVD info /' /tmp/info
p R=$(xlite-blkfront xvda read 0 8192 | md5sum | cut -d' ' -f1)
yes guest-pvd | head -c 4194304 | xlite-blkfront xvda write 8192; p W=$?
p RB=$(xlite-blkfront xvda read 8192 8192 | md5sum | cut -d' ' -f1)
p NUM=$(xlite-blkfront 51712 read 0 3 | wc -c)
xlite-blkfront xvda flush; p F=$?
xlite-blkfront xvda read 131072 1 >/dev/null 2>/tmp/e; p END=$?
p ENDMSG=$(cat /tmp/e)
xlite-blkfront xvdz info >/dev/null 2>/tmp/e; p NODEV=$?
p NODEVMSG=$(cat /tmp/e)
printf abc | xlite-blkfront xvda write 100 2>/tmp/e; p PART=$?
p PARTMSG=$(cat /tmp/e)
p STATE=$(xenstore-read device/vbd/51712/state)
# A frontend killed while connected (blocked writing to a full pipe): the
# next one must close the stale connection down first.
xlite-blkfront xvda read 0 131072 | sleep 120 & S=$!
i=0
while [ "$(xenstore-read device/vbd/51712/state)" != 4 ] && [ $i -lt 300 ]; do
	sleep .2; i=$((i + 1))
done
kill -9 $(pidof xlite-blkfront); kill $S
p KILLED=$(xenstore-read device/vbd/51712/state)
p RESET=$(xlite-blkfront -v xvda read 0 8192 2>/tmp/e | md5sum | cut -d' ' -f1)
grep -q 'backend Connected: front Initialising -> Closing' /tmp/e && p RESETPATH=1
grep 'xlite-blkfront' /tmp/e | sed 's/^/PVD trace /'
xlite-netfront -b -i xnf0 0 2>/tmp/nf.log; p NF=$?
sed 's/^/PVD nf /' /tmp/nf.log
ip addr add 169.254.60.2/24 dev xnf0
p MAC=$(cat /sys/class/net/xnf0/address)
ping -c 3 -W 5 169.254.60.1 >/dev/null; p P=$?
xlite-guest-agent -i 1 & A=$!
p AGENT
xs_wait pvd-alloc
dd if=/dev/zero of=/tmp/fill bs=1M count=48 2>/dev/null
p ALLOC
xs_wait pvd-stop
kill $A; wait $A; p AGENT_RC=$?
N=$(pidof xlite-netfront)
kill $N; i=0
while kill -0 $N 2>/dev/null && [ $i -lt 150 ]; do sleep .2; i=$((i + 1)); done
p NFGONE=$i
sed 's/^/PVD nf /' /tmp/nf.log | tail -1
NB=$(xenstore-read device/vif/0/backend)/state; i=0
while [ "$(xenstore-read $NB)" != 2 ] && [ $i -lt 50 ]; do sleep .2; i=$((i + 1)); done
p NBSTATE=$(xenstore-read $NB)
# The toolstack takes the vif away under a running xlite-netfront.
xlite-netfront -b -i xnf1 0 2>/tmp/nf2.log; p NF2=$?
p UNPLUG
xs_wait pvd-unplugged
N=$(pidof xlite-netfront); i=0
while [ -n "$N" ] && kill -0 $N 2>/dev/null && [ $i -lt 150 ]; do sleep .2; i=$((i + 1)); done
p NF2GONE=$i
sed 's/^/PVD nf2 /' /tmp/nf2.log
p DONE
EOF
check "the guest script fits on 16 sectors" test "$(wc -c <"$W/t.sh")" -lt 8192
script_disk "$W/script.img" "$W/t.sh"
script_disk_loader | guest_xml "$W/pvd.xml" pvd 160 "lab.nofront=blk,net" \
	disk="$W/disk.img:xvda" rodisk="$W/script.img:xvdb" bridge="$BR:$MAC"

check "create a guest with two disks and a vif" xlite create "$W/pvd.xml"
D=$(xl domid pvd 2>/dev/null)
echo "# pvd is domain $D"
BE=/local/domain/0/backend

# ---- block -----------------------------------------------------------------
if wait_for 300 guest_has "PVD AGENT"; then pass "guest ran its frontends"; else
	fail "guest ran its frontends"; glog | tail -40 | sed 's/^/#   /'; fi
check_eq "the guest kernel's own frontends are not loaded" "" \
	"$(gval DRIVERS | tr , '\n' | grep -E '^(vbd|vif)$')"
check_eq "xlite-blkfront read its script from xvdb (it ran)" "0" "$(gval INFO)"
check_match "info: 64 MiB disk" "^PVD info sectors 131072$" "$(glog)"
check_match "info: 512-byte sectors" "^PVD info sector-size 512$" "$(glog)"
check_match "info: the backend is dom0's blkback" "^PVD info backend $BE/vbd/$D/51712 \\(domain 0\\)" \
	"$(glog)"
check_eq "guest read dom0's pattern through blkback" "$PAT" "$(gval R)"
check_eq "guest wrote its pattern" "0" "$(gval W)"
check_eq "guest read back what it wrote" "$GPAT" "$(gval RB)"
check_eq "dom0 sees the guest's pattern on the disk" "$GPAT" \
	"$(dd if="$W/disk.img" bs=1M skip=4 count=4 2>/dev/null | md5)"
check_eq "dom0's pattern is still intact" "$PAT" \
	"$(dd if="$W/disk.img" bs=1M count=4 2>/dev/null | md5)"
check_eq "a numeric device id works (3 sectors = 1536 bytes)" "1536" "$(gval NUM)"
if glog | grep -q "^PVD info feature-flush-cache 1"; then
	check_eq "flush through blkback" "0" "$(gval F)"
else
	check_eq "flush refused: the backend offers none" "1" "$(gval F)"
fi
check_eq "reading past the end fails" "1" "$(gval END)"
check_match "... and says why" "past the end" "$(gval ENDMSG)"
check_eq "an unknown disk fails" "1" "$(gval NODEV)"
check_match "... and says why" "no such device" "$(gval NODEVMSG)"
check_eq "a partial sector of input fails" "1" "$(gval PART)"
check_match "... and says why" "not a whole 512-byte sector" "$(gval PARTMSG)"
# Each detach hands the device back: frontend Initialising, blkback
# waiting in InitWait for the next frontend.
check_eq "frontend handed back in Initialising (1)" "1" "$(gval STATE)"
check_eq "blkback waits in InitWait (2) again" "2" "$(xs $BE/vbd/$D/51712/state)"
check_eq "frontend said its ABI" "x86_64-abi" "$(xs /local/domain/$D/device/vbd/51712/protocol)"
check_eq "frontend offered persistent grants" "1" \
	"$(xs /local/domain/$D/device/vbd/51712/feature-persistent)"
check_eq "xvdb's blkback waits in InitWait (2) again" "2" "$(xs $BE/vbd/$D/51728/state)"
check_eq "a killed frontend leaves the vbd Connected" "4" "$(gval KILLED)"
check_eq "the next frontend closes the stale connection and reads" "$PAT" "$(gval RESET)"
check_eq "... through the reset path (Connected -> Closing -> Initialising)" "1" \
	"$(gval RESETPATH)"

# ---- network ---------------------------------------------------------------
check_eq "xlite-netfront connected" "0" "$(gval NF)"
check_match "... and named its interface" "interface xnf0, MAC $MAC" "$(glog)"
check_eq "TAP interface has the vif's MAC" "$MAC" "$(gval MAC)"
check_eq "netback is Connected (4)" "4" "$(xs $BE/vif/$D/0/state)"
check_eq "frontend asked for rx-copy" "1" "$(xs /local/domain/$D/device/vif/0/request-rx-copy)"
check_eq "guest pinged dom0 through xlite-netfront" "0" "$(gval P)"
check "dom0 pings the guest through xlite-netfront" ping -c 3 -W 5 169.254.60.2

# ---- guest agent ------------------------------------------------------------
DATA=/local/domain/$D/data
seq_at_least() { [ "$(xs $DATA/meminfo_seq)" -ge "$1" ] 2>/dev/null; }
check "agent reports appear in xenstore" wait_for 30 seq_at_least 2
TOTAL=$(xs $DATA/meminfo_total)
A1=$(xs $DATA/meminfo_available)
echo "# agent: total $TOTAL KiB, available $A1 KiB, free $(xs $DATA/meminfo_free) KiB"
check "total memory is about the guest's 160 MiB" \
	sh -c "[ '$TOTAL' -gt 100000 ] && [ '$TOTAL' -le 163840 ]"
check "available is below total" sh -c "[ '$A1' -gt 0 ] && [ '$A1' -lt '$TOTAL' ]"
check_match "swap is reported" "^[0-9]+$" "$(xs $DATA/meminfo_swap_total)"
S1=$(xs $DATA/meminfo_seq)
check "the report is refreshed" wait_for 10 seq_at_least $((S1 + 2))
xenstore-write $DATA/pvd-alloc 1
check "guest allocated 48 MiB" wait_for 60 guest_has "PVD ALLOC"
S2=$(xs $DATA/meminfo_seq)
wait_for 15 seq_at_least $((S2 + 2))
A2=$(xs $DATA/meminfo_available)
echo "# agent: available after allocating: $A2 KiB"
check "available memory dropped by more than 30 MiB" sh -c "[ \$(($A1 - $A2)) -gt 30720 ]"

# ---- stopping --------------------------------------------------------------
xenstore-write $DATA/pvd-stop 1
check "guest stopped its daemons" wait_for 60 guest_has "PVD UNPLUG"
check_eq "agent exits 0 on SIGTERM" "0" "$(gval AGENT_RC)"
check "xlite-netfront exits on SIGTERM" sh -c "[ '$(gval NFGONE)' -lt 150 ]"
check_match "... with its traffic counts" "PVD nf .*tx [1-9][0-9]* frames .*rx [1-9][0-9]* frames" \
	"$(glog)"
check_eq "netback waits in InitWait (2) after the frontend let go" "2" "$(gval NBSTATE)"
# Backend loss: the toolstack unplugs the vif under a running frontend.
check_eq "xlite-netfront connected again" "0" "$(gval NF2)"
netback_connected() { [ "$(xs $BE/vif/$D/0/state)" = 4 ]; }
check "netback Connected again" wait_for 30 netback_connected
check "network-detach with xlite-netfront running" xlite network-detach pvd 0
xenstore-write $DATA/pvd-unplugged 1
check "guest finished" wait_for 60 guest_has "PVD DONE"
check "xlite-netfront exits when its backend goes" sh -c "[ '$(gval NF2GONE)' -lt 150 ]"
check_match "... saying so" "PVD nf2 .*backend .*(left Connected|disappeared)" "$(glog)"
check_fails "the vif's backend is gone" xenstore-read $BE/vif/$D/0/state
S3=$(xs $DATA/meminfo_seq)
sleep 3
check_eq "no report after the agent stopped" "$S3" "$(xs $DATA/meminfo_seq)"

if [ "$LAB_FAILED" -gt 0 ]; then
	echo "# the guest's console, without kernel messages:"
	glog | grep -v '^\[' | tail -80 | sed 's/^/#   /'
fi
check "destroy" xlite destroy pvd
ip link del $BR 2>/dev/null
rm -rf "$W"
finish
