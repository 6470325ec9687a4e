# Devices without hotplug scripts, on real Xen: disks (loop devices, blkback)
# and a vif (netback, bridge) set up by xlite itself, at create and by
# hotplug; the guest reads and writes its disks, cannot write a read-only
# one nor its own backend nodes, pings dom0 over a bridge; detach and
# destroy leave no loop device, vif or xenstore node, checked right after
# they return (no sleep, no retry: the image may be reused at once).
. "$(dirname "$0")/lib.sh"

IMG=/tmp/xlite-dev
BR=xlbr0
mkdir -p "$IMG"

# ---- dom0 side: a bridge with a link-local address, two disk images ----
ip link add $BR type bridge 2>/dev/null
ip addr add 169.254.0.1/16 dev $BR 2>/dev/null
ip link set $BR up
# 8 MiB images; the first 4 MiB hold a pattern dom0 knows.
yes "xlite dom0 pattern" | head -c 4194304 >"$IMG/pat"
for f in rw ro hp; do
	dd if=/dev/zero of="$IMG/$f.img" bs=1M count=8 2>/dev/null
	dd if="$IMG/pat" of="$IMG/$f.img" conv=notrunc 2>/dev/null
done
PAT=$(md5sum <"$IMG/pat" | cut -d' ' -f1)
GUESTW=$(yes guest | head -c 1048576 | md5sum | cut -d' ' -f1)

md5_at() { dd if="$1" bs=1M skip="$2" count=1 2>/dev/null | md5sum | cut -d' ' -f1; }
# Loop devices backed by a file under $IMG.
our_loops() {
	for b in /sys/block/loop*/loop/backing_file; do
		[ -f "$b" ] && grep -l "^$IMG/" "$b" 2>/dev/null
	done
}
loops_of() {
	for b in /sys/block/loop*/loop/backing_file; do
		[ -f "$b" ] && grep -qx "$1" "$b" 2>/dev/null && echo "$b"
	done
}
no_loop_of() { [ -z "$(loops_of "$1")" ]; }
guest_has() { guest_log "$1" | grep -q -- "$2"; }
vifs_of() { ls /sys/class/net 2>/dev/null | grep "^vif$1\." ; }
done_marker() { guest_log "$1" | grep -q "xlite-guest: done"; }

# ---- create with devices --------------------------------------------------
# The guest: reads xvda's pattern, writes its own at 4 MiB, tries to write
# the read-only xvdb and its own backend nodes, pings dom0, then reports
# when eth0 goes away.
guest_xml "$IMG/dv1.xml" dv1 160 "lab.ip=169.254.0.2/16" disk="$IMG/rw.img:xvda" \
	rodisk="$IMG/ro.img:xvdb" bridge="$BR" <<'EOF'
D=$(xenstore-read domid)
i=0;while [ ! -b /dev/xvdb ]&&[ $i -lt 300 ];do sleep .2;i=$((i+1));done
echo R=$(dd if=/dev/xvda bs=1M count=4 2>/dev/null|md5sum)
yes guest|head -c 1048576|dd of=/dev/xvda bs=1M seek=4 conv=fsync 2>/dev/null;echo W=$?
echo x|dd of=/dev/xvdb conv=fsync 2>/dev/null;echo RO=$? $(cat /sys/block/xvdb/ro)
B=/local/domain/0/backend/vbd/$D/51712
xenstore-write $B/mode w;echo BW=$?
xenstore-write $B/x 1;echo BC=$?
ping -c3 -W5 169.254.0.1 >/dev/null;echo P=$?
(while [ -e /sys/class/net/eth0 ];do sleep .3;done;echo ETH0GONE)&
EOF

check "dry run shows the device part of the plan" sh -c "xlite create -n $IMG/dv1.xml | grep -q 'backend/vbd'"
check "create a guest with two disks and a vif" xlite create "$IMG/dv1.xml"
D=$(xl domid dv1 2>/dev/null)
echo "# dv1 is domain $D"
check "file disks got loop devices" test "$(our_loops | wc -l)" -eq 2
check "the vif is on the bridge" sh -c "readlink /sys/class/net/vif$D.0/master | grep -q '/$BR\$'"
check "the vif is up" sh -c "ip link show vif$D.0 | grep -q '[<,]UP[,>]'"
check_eq "vif hotplug-status" "connected" "$(xenstore-read /local/domain/0/backend/vif/$D/0/hotplug-status)"
check_match "backend directory is dom0's, readable by the guest" "\\(n0,r$D\\)" \
	"$(xenstore-ls -p /local/domain/0/backend/vbd/$D | head -1)"
check_match "backend nodes inherit (n0,rD)" "^ *mode = \"w\" .*\\(n0,r$D\\)" \
	"$(xenstore-ls -p /local/domain/0/backend/vbd/$D/51712)"
check_match "frontend directory is the guest's" "\\(n$D,r0\\)" \
	"$(xenstore-ls -p /local/domain/$D/device/vbd | head -1)"
check_eq "read-only disk has mode r" "r" "$(xenstore-read /local/domain/0/backend/vbd/$D/51728/mode)"

if wait_for 240 done_marker dv1; then pass "guest ran its disk and network script"; else
	fail "guest ran its disk and network script"; guest_log dv1 | tail -30 | sed 's/^/#   /'; fi
LOG=$(guest_log dv1)
check_match "guest read dom0's pattern from xvda" "R=$PAT" "$LOG"
check_match "guest wrote to xvda" "W=0" "$LOG"
check_match "guest cannot write the read-only xvdb" "RO=[1-9][0-9]* 1" "$LOG"
check_match "guest cannot change its backend nodes" "BW=[1-9]" "$LOG"
check_match "guest cannot create nodes in its backend" "BC=[1-9]" "$LOG"
check_eq "guest's backend node unchanged" "w" "$(xenstore-read /local/domain/0/backend/vbd/$D/51712/mode)"
check_fails "guest-made node absent" xenstore-read /local/domain/0/backend/vbd/$D/51712/x
check_match "guest pinged dom0 over the bridge" "P=0" "$LOG"
check "dom0 pings the guest over the bridge" ping -c 3 -W 5 169.254.0.2

check_match "block-list shows xvda" "^51712 .*xvda +w" "$(xlite block-list dv1)"
check_match "block-list shows xvdb read-only" "^51728 .*xvdb +r" "$(xlite block-list dv1)"
check_match "block-list --json" '"vdev":"xvdb","mode":"r"' "$(xlite block-list --json dv1)"
MAC=$(xenstore-read /local/domain/0/backend/vif/$D/0/mac)
check_match "network-list shows the vif" "^0 .*$MAC .*$BR" "$(xlite network-list dv1)"
check_match "generated MAC is in Xen's range" "^00:16:3e:" "$MAC"

# ---- detach -----------------------------------------------------------------
check "block-detach xvda" xlite block-detach dv1 xvda
check_eq "dom0 sees what the guest wrote" "$GUESTW" "$(md5_at "$IMG/rw.img" 4)"
check_fails "xvda's backend is gone" xenstore-read /local/domain/0/backend/vbd/$D/51712/state
check_fails "xvda's frontend is gone" xenstore-read /local/domain/$D/device/vbd/51712/state
check "xvda's loop device is released" no_loop_of "$IMG/rw.img"
check "xvdb's loop device is still there" test -n "$(loops_of "$IMG/ro.img")"
check "network-detach the vif" xlite network-detach dv1 0
check_eq "vif$D.0 is gone" "" "$(vifs_of "$D")"
check_eq "the bridge has no port of the guest" "" "$(ls /sys/class/net/$BR/brif 2>/dev/null | grep "^vif$D\.")"
check "the guest's eth0 is gone" wait_for 30 guest_has dv1 ETH0GONE
check_fails "block-detach of a detached disk fails" xlite block-detach dv1 xvda

# ---- destroy --------------------------------------------------------------------
check "destroy" xlite destroy dv1
check_eq "no loop device left" "" "$(our_loops)"
check_eq "no vif left" "" "$(vifs_of "$D")"
check_fails "no vbd backend left" xenstore-ls /local/domain/0/backend/vbd/$D
check_fails "no vif backend left" xenstore-ls /local/domain/0/backend/vif/$D
check_fails "no domain directory left" xenstore-ls /local/domain/$D

# ---- hotplug to a running guest ---------------------------------------------
guest_xml "$IMG/dv2.xml" dv2 160 "" <<'EOF'
i=0;while [ ! -b /dev/xvda ]&&[ $i -lt 900 ];do sleep .2;i=$((i+1));done
echo H=$(dd if=/dev/xvda bs=1M count=4 2>/dev/null|md5sum)
while [ ! -e /sys/class/net/eth0 ]&&[ $i -lt 1500 ];do sleep .2;i=$((i+1));done
ip addr add 169.254.0.3/16 dev eth0;ip link set eth0 up
ping -c3 -W5 169.254.0.1 >/dev/null;echo P=$?
while [ -b /dev/xvda ];do sleep .3;done;echo XVDAGONE
EOF
check "create a guest without devices" xlite create "$IMG/dv2.xml"
D=$(xl domid dv2 2>/dev/null)
wait_for 120 guest_has dv2 "xlite-guest: ready"
check "block-attach with xl's disk spec" xlite block-attach dv2 "$IMG/hp.img,raw,xvda,w"
check "block-attach a <disk> element, read-only" xlite block-attach dv2 \
	"<disk type='file' device='disk'><source file='$IMG/ro.img'/><target dev='xvdb'/><readonly/></disk>"
check "network-attach with xl's words" xlite network-attach dv2 bridge=$BR mac=00:16:3e:00:00:42
check_eq "the given MAC is used" "00:16:3e:00:00:42" "$(xenstore-read /local/domain/0/backend/vif/$D/0/mac)"
check "the hotplugged vif is on the bridge" sh -c "readlink /sys/class/net/vif$D.0/master | grep -q '/$BR\$'"
check "guest sees the hotplugged disk and network" wait_for 180 guest_has dv2 "P="
LOG=$(guest_log dv2)
check_match "guest read the hotplugged disk" "H=$PAT" "$LOG"
check_match "guest pinged dom0 over the hotplugged vif" "P=0" "$LOG"
check "dom0 pings the guest" ping -c 3 -W 5 169.254.0.3
check_match "block-list shows both disks" "xvdb +r" "$(xlite block-list dv2)"
check "block-detach by number" xlite block-detach dv2 51712
check "hp.img's loop device is free right after block-detach" no_loop_of "$IMG/hp.img"
check "guest saw xvda go" wait_for 30 guest_has dv2 XVDAGONE
check "block-detach xvdb" xlite block-detach dv2 xvdb
check "network-detach by MAC" xlite network-detach dv2 00:16:3e:00:00:42
check_eq "no loop device left after detach" "" "$(our_loops)"
check_eq "no vif left after detach" "" "$(vifs_of "$D")"
check_fails "vbd backends are gone" xenstore-ls /local/domain/0/backend/vbd/$D
check_fails "vif backends are gone" xenstore-ls /local/domain/0/backend/vif/$D
# Attach again and destroy with the devices in place.
check "block-attach again" xlite block-attach dv2 "$IMG/hp.img,,xvdc"
check "network-attach again" xlite network-attach dv2 bridge=$BR
check "destroy with devices attached" xlite destroy dv2
check_eq "no loop device left after destroy" "" "$(our_loops)"
check_eq "no vif left after destroy" "" "$(vifs_of "$D")"
check_fails "no backend left after destroy" xenstore-ls /local/domain/0/backend/vbd/$D

# ---- shutdown -w with devices: returns once dom0 let go ----------------------
guest_xml "$IMG/dv3.xml" dv3 160 "" disk="$IMG/rw.img:xvda" bridge="$BR" <<'EOF'
echo dv3 up
EOF
vbd_connected() { [ "$(xenstore-read /local/domain/0/backend/vbd/$1/51712/state)" = 4 ]; }
check "create a guest with a disk and a vif" xlite create "$IMG/dv3.xml"
D=$(xl domid dv3 2>/dev/null)
check "the guest is up" wait_for 180 guest_has dv3 "xlite-guest: ready"
check "the guest connected xvda" wait_for 60 vbd_connected "$D"
check "shutdown -w" xlite shutdown -w --timeout 120 dv3
check_eq "no loop device left right after shutdown -w" "" "$(our_loops)"
check_eq "no vif left right after shutdown -w" "" "$(vifs_of "$D")"
check_fails "no vbd backend left after shutdown -w" xenstore-ls /local/domain/0/backend/vbd/$D

rm -rf "$IMG"
finish
