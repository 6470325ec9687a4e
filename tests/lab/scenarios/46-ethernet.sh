# <interface type='ethernet'> on real Xen: a vif on no bridge that xlite
# brings up in dom0 with a route to the guest's <ip> through it (the work of
# Xen's vif-route, done natively over rtnetlink), named by <target dev>, its
# MTU and netback's rate limit set; dom0 and the guest ping each other over
# the route. network-attach adds a routed vif with xl's words; detach and
# destroy leave no vif, route or xenstore node; a failure at the route step
# leaves nothing either. Link-local addresses: the lab has no other network.
. "$(dirname "$0")/lib.sh"

W=/tmp/xlite-eth
DOM0=169.254.46.1
GUEST=169.254.46.2
mkdir -p "$W"
# dom0's own address for the route's replies: the guest ARPs for it on its
# eth0 and dom0 answers on the vif (vif-route's proxy ARP; Linux answers for
# any local address by default).
ip addr add $DOM0/32 dev lo 2>/dev/null

# eth_xml FILE NAME SCRIPT-PATH: a guest with one ethernet vif, $GUEST on its
# eth0 (lab.ip), whose lab.run script pings dom0.
eth_xml() {
	_run=$(echo "ping -c3 -W5 $DOM0 >/dev/null;echo P=\$?" | base64 -w0)
	cat >"$1" <<EOF
<domain type='xen'>
  <name>$2</name>
  <memory unit='MiB'>160</memory>
  <os>
    <type>linux</type>
    <kernel>${LAB_GUESTS:-/lab/guests}/vmlinuz</kernel>
    <initrd>${LAB_GUESTS:-/lab/guests}/initrd.gz</initrd>
    <cmdline>console=hvc0 lab.ip=$GUEST/16 lab.run=$_run</cmdline>
  </os>
  <devices>
    <controller type='xenbus' maxGrantFrames='64' maxEventChannels='2047'/>
    <interface type='ethernet'>
      <mac address='00:16:3e:46:00:02'/>
      <ip address='$GUEST' family='ipv4'/>
      <script path='$3'/>
      <target dev='eth46'/>
      <mtu size='1400'/>
      <bandwidth><outbound average='10000'/></bandwidth>
    </interface>
  </devices>
</domain>
EOF
}
route_via() { ip route show | grep -q "^$1 dev $2 "; }
no_route() { ! ip route show | grep -q "^$1 "; }
done_marker() { guest_log "$1" | grep -q "xlite-guest: done"; }
gone() { [ ! -e "/sys/class/net/$1" ]; }

# ---- refused before anything is done ----------------------------------------
eth_xml "$W/bad.xml" eth0bad /etc/xen/scripts/vif-nat
check_status "a script other than vif-bridge/vif-route is refused (exit 2)" 2 xlite validate "$W/bad.xml"
check_match "the refusal names the script and why" \
	"script '/etc/xen/scripts/vif-nat' is not supported: xlite runs no hotplug script" \
	"$(xlite validate "$W/bad.xml" 2>&1)"

# ---- create: routed, renamed, limited -----------------------------------------
eth_xml "$W/eth.xml" eth1 /etc/xen/scripts/vif-route
PLAN=$(xlite create -n "$W/eth.xml")
check_match "the plan says routed, on no bridge" "^nic 0 mac 00:16:3e:46:00:02 routed" "$PLAN"
check_match "the plan brings the vif up with a route" "up, proxy ARP on, a route to each ip through it" "$PLAN"
check_match "the plan gives Xen the grant frame limit" "^max_grant_frames 64" "$PLAN"
check "create a guest with an ethernet vif" xlite create "$W/eth.xml"
D=$(xl domid eth1 2>/dev/null)
echo "# eth1 is domain $D"
B=/local/domain/0/backend/vif/$D/0
check "the vif is named eth46 (<target dev>)" test -e /sys/class/net/eth46
check "no vif$D.0 is left under netback's name" gone "vif$D.0"
check "eth46 is up" sh -c "ip link show eth46 | grep -q '[<,]UP[,>]'"
check "eth46 is on no bridge" test ! -e /sys/class/net/eth46/master
check_eq "eth46 has the MTU asked for" "1400" "$(cat /sys/class/net/eth46/mtu)"
check "dom0 routes $GUEST through eth46" route_via $GUEST eth46
check_eq "proxy ARP is on for eth46 (as vif-route sets it)" "1" "$(cat /proc/sys/net/ipv4/conf/eth46/proxy_arp)"
check_eq "backend ip node" "$GUEST" "$(xenstore-read $B/ip)"
check_eq "backend vifname node" "eth46" "$(xenstore-read $B/vifname)"
# 10000 KiB/s over netback's 50 ms: 512000 bytes per 50000 us
check_eq "backend rate node (netback's limit, bytes,usec)" "512000,50000" "$(xenstore-read $B/rate)"
check_fails "no bridge node for a routed vif" xenstore-read $B/bridge
check_eq "vif hotplug-status" "connected" "$(xenstore-read $B/hotplug-status)"

if wait_for 240 done_marker eth1; then pass "guest ran its network script"; else
	fail "guest ran its network script"; guest_log eth1 | tail -30 | sed 's/^/#   /'; fi
check_match "guest pinged dom0 over the route" "P=0" "$(guest_log eth1)"
check "dom0 pings the guest over the route" ping -c 3 -W 5 $GUEST

# ---- hotplug a routed vif with xl's words ---------------------------------------
check "network-attach script=vif-route ip= vifname=" \
	xlite network-attach eth1 script=vif-route ip=169.254.46.3 vifname=eth46b mac=00:16:3e:46:00:03
check "the attached vif is named eth46b" test -e /sys/class/net/eth46b
check "dom0 routes 169.254.46.3 through eth46b" route_via 169.254.46.3 eth46b
check_match "network-list shows both vifs" "^1 .*00:16:3e:46:00:03" "$(xlite network-list eth1)"
check "network-detach it" xlite network-detach eth1 1
check "eth46b is gone once detach returns" gone eth46b
check "its route is gone" no_route 169.254.46.3
check "eth46 still routes the guest" route_via $GUEST eth46

# ---- an emulated disk name, as xl takes it for a PV guest ----------------------------
dd if=/dev/zero of="$W/hd.img" bs=1M count=4 2>/dev/null
check "block-attach hdb (xl's emulated name)" xlite block-attach eth1 "$W/hd.img,,hdb,w,no-discard"
# libxl's number for hdb: 3 << 8 | 1 << 6
check_eq "virtual-device is libxl's 832" "832" "$(xenstore-read /local/domain/$D/device/vbd/832/virtual-device)"
check_eq "no-discard is written (discard-enable=0)" "0" \
	"$(xenstore-read /local/domain/0/backend/vbd/$D/832/discard-enable)"
fe_connected() { [ "$(xenstore-read /local/domain/$D/device/vbd/832/state)" = 4 ]; }
check "the guest's blkfront connects it" wait_for 60 fe_connected
check "block-detach hdb" xlite block-detach eth1 hdb

# ---- destroy ------------------------------------------------------------------------
check "destroy" xlite destroy eth1
check "eth46 is gone once destroy returns" gone eth46
check "the route to the guest is gone" no_route $GUEST
check_fails "no vif backend left" xenstore-ls /local/domain/0/backend/vif/$D
check_fails "no domain directory left" xenstore-ls /local/domain/$D

# ---- a failure at the route step leaves nothing --------------------------------------
BEFORE=$(xenstore-list /local/domain/0/backend/vif 2>/dev/null)
check_fails "create fails when the route step fails" env XLITE_FAULT=vif_route:1 xlite create "$W/eth.xml"
check_match "the failure names the vif's route step" "interface 0 \\(eth46 routed\\)" \
	"$(env XLITE_FAULT=vif_route:1 xlite create "$W/eth.xml" 2>&1)"
check_fails "no domain eth1 left" xl domid eth1
check "no eth46 left" gone eth46
check "no route left" no_route $GUEST
check_eq "no vif backend left" "$BEFORE" "$(xenstore-list /local/domain/0/backend/vif 2>/dev/null)"

ip addr del $DOM0/32 dev lo 2>/dev/null
rm -rf "$W"
finish
