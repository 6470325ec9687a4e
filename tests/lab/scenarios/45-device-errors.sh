# Device errors on real Xen: bad disk sources, a target used twice, a
# missing bridge, and a failure injected (XLITE_FAULT) at each device step
# of create and of hotplug. Each must fail with a clear message and leave
# no domain, loop device, vif or xenstore node behind.
. "$(dirname "$0")/lib.sh"

G=$LAB_GUESTS
IMG=/tmp/xlite-deverr
BR=xlbr0
mkdir -p "$IMG/adir"
ip link add $BR type bridge 2>/dev/null
ip link set $BR up

dd if=/dev/zero of="$IMG/ok.img" bs=1M count=4 2>/dev/null
dd if=/dev/zero of="$IMG/ok2.img" bs=1M count=4 2>/dev/null
: >"$IMG/empty.img"
dd if=/dev/zero of="$IMG/ro.img" bs=1M count=1 2>/dev/null
chmod 444 "$IMG/ro.img"

# What a failed operation must not change.
state() {
	echo "domains: $(xenstore-list /local/domain | tr '\n' ' ')"
	echo "vm: $(xenstore-list /vm 2>/dev/null | tr '\n' ' ')"
	# Per-domain backend directories; the shared .../backend/TYPE parents
	# (top lines) stay, as under xl.
	echo "backends:"; xenstore-ls /local/domain/0/backend 2>/dev/null | grep '^ '
	echo "loops:"
	for b in /sys/block/loop*/loop/backing_file; do
		[ -f "$b" ] && grep "^$IMG/" "$b"
	done
	echo "vifs: $(ls /sys/class/net | grep '^vif' | tr '\n' ' ')"
	echo "ports: $(ls /sys/class/net/$BR/brif 2>/dev/null | tr '\n' ' ')"
}

# dom NAME DEVICES-XML: a tiny PV guest (grub, 32 MiB) with those devices.
dom() {
	cat >"$IMG/$1.xml" <<EOF
<domain type='xen'>
  <name>$1</name>
  <memory unit='MiB'>32</memory>
  <os><type>linux</type><kernel>$G/tiny.bin</kernel></os>
  <devices>$2</devices>
</domain>
EOF
	echo "$IMG/$1.xml"
}
disk() { echo "<disk type='${3:-file}' device='disk'><source ${4:-file}='$1'/><target dev='$2'/>$5</disk>"; }
nic() { echo "<interface type='bridge'><source bridge='$1'/></interface>"; }

# refused WHAT PATTERN CMD...: CMD fails, says PATTERN, and changes nothing.
refused() {
	_what=$1; _pat=$2; shift 2
	_before=$(state)
	if "$@" >"$LAB_TMP/err" 2>&1; then
		fail "$_what (unexpected success: $*)"
		return
	fi
	echo "#   $(head -1 "$LAB_TMP/err")"
	if grep -Eiq -- "$_pat" "$LAB_TMP/err"; then pass "$_what: clear error"; else
		fail "$_what: clear error (no '$_pat')"; sed 's/^/#   /' "$LAB_TMP/err" | head -5; fi
	check_eq "$_what: nothing left" "$_before" "$(state)"
}

state_is() { [ "$(state)" = "$1" ]; }

# double WHAT SPEC STEP-PATTERN UNDO-PATTERN CMD...: with XLITE_FAULT=SPEC
# (a step fails, then a step of its rollback), CMD exits 1 and says both,
# one "xlite: " line each: the step's failure, then "xlite: rollback: ..."
# matching UNDO-PATTERN. What it leaves is then in $LAB_TMP/err for the
# caller to check and clean up.
double() {
	_what=$1; _spec=$2; _step=$3; _undo=$4; shift 4
	env XLITE_FAULT="$_spec" "$@" >"$LAB_TMP/err" 2>&1
	_rc=$?
	sed 's/^/#   /' "$LAB_TMP/err" | head -6
	check_eq "$_what: exit 1" 1 "$_rc"
	check_match "$_what: the step's failure" "^xlite: .*$_step.*injected" "$(cat "$LAB_TMP/err")"
	check_match "$_what: the rollback's failure, a line of its own" \
		"^xlite: rollback: $_undo.*injected" "$(cat "$LAB_TMP/err")"
	check_eq "$_what: every line is an xlite: line" "" \
		"$(grep -v '^xlite: ' "$LAB_TMP/err")"
}

BASE=$(state)

# ---- create: bad sources, targets, bridges --------------------------------
refused "create with a missing disk file" "no such file" \
	xlite create "$(dom e1 "$(disk $IMG/nope.img xvda)")"
refused "create with a directory as disk" "directory" \
	xlite create "$(dom e2 "$(disk $IMG/adir xvda)")"
refused "create with an empty disk file" "empty" \
	xlite create "$(dom e3 "$(disk $IMG/empty.img xvda)")"
refused "create with a read-only file for writing" "read-only" \
	xlite create "$(dom e4 "$(disk $IMG/ro.img xvda)")"
refused "create with type=block on a file" "(not|expected) a block device" \
	xlite create "$(dom e5 "$(disk $IMG/ok.img xvda block dev)")"
refused "create with a target used twice" "xvda.*(already|twice)" \
	xlite create "$(dom e6 "$(disk $IMG/ok.img xvda)$(disk $IMG/ok2.img xvda)")"
refused "create with a missing bridge" "nobr0" \
	xlite create "$(dom e7 "$(disk $IMG/ok.img xvda)$(nic nobr0)")"
check "a read-only file is fine with <readonly/>" \
	xlite create "$(dom e8 "$(disk $IMG/ro.img xvda file file '<readonly/>')")"
check "destroy it" xlite destroy e8
check_eq "nothing left after that destroy" "$BASE" "$(state)"

# ---- create: a failure injected at each device step -------------------------
FULL=$(dom f1 "$(disk $IMG/ok.img xvda)$(disk $IMG/ok2.img xvdb)$(nic $BR)")
for spec in loop_attach:1 loop_attach:2 bridge_check:1 build_pv:1 xs_apply:1 \
	xs_introduce:1 bridge_attach:1 xs_write:1 domain_unpause:1; do
	refused "create, $spec fails" "injected" env XLITE_FAULT=$spec xlite create "$FULL"
done
# ---- create: a step fails, then a step of its rollback (double faults) -------
# The half-made domain's xenstore directory cannot be removed: said, the
# rest is undone (backends, loop devices, vif).
double "create, xs_introduce then xs_rm fail" xs_introduce:1,xs_rm:1 xs_introduce \
	"removing /local/domain/[0-9]+" xlite create "$FULL"
D=$(sed -n 's|^xlite: rollback: removing /local/domain/\([0-9]*\):.*|\1|p' "$LAB_TMP/err")
check_match "the domain directory left is named" "^[0-9]+\$" "$D"
check_fails "the half-made domain is gone" xl domid f1
check "that directory is there, as said" xenstore-read /local/domain/$D/name
xenstore-rm /local/domain/$D
check_eq "nothing else left" "$BASE" "$(state)"
# A loop device cannot be released: said and named; the rest is undone.
double "create, bridge_attach then loop_detach fail" bridge_attach:1,loop_detach:1 \
	bridge_attach "releasing /dev/loop[0-9]+" xlite create "$FULL"
L=$(sed -n 's|^xlite: rollback: releasing \(/dev/loop[0-9]*\):.*|\1|p' "$LAB_TMP/err")
check_match "the loop device it names still serves the disk" "^$IMG/ok2?\.img" \
	"$(cat /sys/block/${L#/dev/}/loop/backing_file 2>/dev/null)"
check "release it by hand" losetup -d "$L"
# (blkback may hold it a moment more: then the kernel clears it on close)
check "nothing else left" wait_for 10 state_is "$BASE"
# Xen will not destroy the half-made domain: its host side stays whole
# (nodes, loop devices, vif), and xlite destroy removes it all later.
double "create, xs_introduce then domain_destroy fail" xs_introduce:1,domain_destroy:1 \
	xs_introduce "destroying the half-made domain [0-9]+" xlite create "$FULL"
check_match "and says it is left in place" "still exists.*left in place" "$(cat "$LAB_TMP/err")"
D=$(xl domid f1 2>/dev/null)
check_match "the domain is still there" "^[0-9]+\$" "$D"
check "its xenstore directory is kept" xenstore-read /local/domain/$D/name
check "its vbd backends are kept" xenstore-ls /local/domain/0/backend/vbd/$D
check_eq "its two loop devices are kept" 2 "$(state | grep -c "^$IMG/")"
check "xlite destroy removes it" xlite destroy "$D"
check_eq "nothing left after that destroy" "$BASE" "$(state)"

check "the same create works without a fault" xlite create "$FULL"
check "destroy it" xlite destroy f1
check_eq "nothing left after that destroy" "$BASE" "$(state)"

# netback gone: vifD.0 never appears, create gives up after its timeout.
# The module stays in use until netback has freed the vifs of the guests
# destroyed above (it does so after the destroy returns): the unload is
# retried until then, and a module that stays in use is a failure.
echo "# xen-netback users before the unload: $(cat /sys/module/xen_netback/refcnt)"
if wait_for 20 rmmod xen-netback; then
	refused "create when vifD.0 never appears" "vif" xlite create "$FULL"
	check "xen-netback loads again" modprobe xen-netback
else
	fail "unload xen-netback to make vifD.0 never appear (users: $(cat /sys/module/xen_netback/refcnt), vifs: $(ls /sys/class/net | grep '^vif' | tr '\n' ' '))"
fi

# ---- hotplug errors on a running guest ----------------------------------------
check "create a guest for hotplug" xlite create "$(dom h1 "")"
refused "block-attach a missing file" "no such file" xlite block-attach h1 "$IMG/nope.img,,xvda"
refused "block-attach a directory" "directory" xlite block-attach h1 "$IMG/adir,,xvda"
refused "block-attach an empty file" "empty" xlite block-attach h1 "$IMG/empty.img,,xvda"
refused "block-attach a read-only file for writing" "read-only" \
	xlite block-attach h1 "$IMG/ro.img,,xvda,w"
refused "block-attach a bad vdev" "hde" xlite block-attach h1 "$IMG/ok.img,,hde"
refused "block-attach a bad <disk>" "(argument)" xlite block-attach h1 "<disk type='file'><target dev='xvda'/></disk>"
refused "network-attach to a missing bridge" "nobr0" xlite network-attach h1 bridge=nobr0
refused "block-attach to a missing domain" "nodom" xlite block-attach nodom "$IMG/ok.img,,xvda"
# attach -n: the same checks, one line saying what would be done, nothing touched.
refused "block-attach -n of a missing file" "no such file" xlite block-attach -n h1 "$IMG/nope.img,,xvda"
refused "network-attach -n to a missing bridge" "nobr0" xlite network-attach -n h1 bridge=nobr0
_before=$(state)
check "block-attach -n exits 0" xlite block-attach -n h1 "$IMG/ok.img,,xvda"
check_match "block-attach -n says what it would do" \
	"^would attach disk xvda to domain [0-9]+: file $IMG/ok.img on a loop device, read-write\$" \
	"$(cat "$LAB_TMP/out")"
check "network-attach --dry-run exits 0" xlite network-attach --dry-run h1 bridge=$BR
check_match "network-attach -n names the vif and the MAC" \
	"^would attach interface 0 \(vif[0-9]+\.0, mac 00:16:3e(:[0-9a-f]{2}){3}\) to domain [0-9]+ on bridge $BR\$" \
	"$(cat "$LAB_TMP/out")"
check_eq "attach -n left everything as it was" "$_before" "$(state)"
check "block-attach xvda" xlite block-attach h1 "$IMG/ok.img,,xvda"
refused "block-attach a target used twice" "xvda is already in use" \
	xlite block-attach h1 "$IMG/ok2.img,,xvda"
refused "block-attach -n of a target in use" "xvda is already in use" \
	xlite block-attach -n h1 "$IMG/ok2.img,,xvda"
for spec in loop_attach:1 xs_apply:1; do
	refused "block-attach, $spec fails" "injected" \
		env XLITE_FAULT=$spec xlite block-attach h1 "$IMG/ok2.img,,xvdb"
done
# A hotplug whose rollback fails too: said, and the loop device named.
_before=$(state)
double "block-attach, xs_apply then loop_detach fail" xs_apply:1,loop_detach:1 xs_apply \
	"releasing /dev/loop[0-9]+" xlite block-attach h1 "$IMG/ok2.img,,xvdb"
L=$(sed -n 's|^xlite: rollback: releasing \(/dev/loop[0-9]*\):.*|\1|p' "$LAB_TMP/err")
check_match "the loop device it names still serves the disk" "^$IMG/ok2\.img" \
	"$(cat /sys/block/${L#/dev/}/loop/backing_file 2>/dev/null)"
check "release it by hand" losetup -d "$L"
check "nothing else left" wait_for 10 state_is "$_before"
for spec in bridge_check:1 xs_apply:1 bridge_attach:1 xs_write:1; do
	refused "network-attach, $spec fails" "injected" \
		env XLITE_FAULT=$spec xlite network-attach h1 bridge=$BR
done
refused "block-detach of a disk that is not there" "no disk xvdz" xlite block-detach h1 xvdz
refused "network-detach of a vif that is not there" "no network interface 3" xlite network-detach h1 3
check "block-detach xvda" xlite block-detach h1 xvda
check "destroy the hotplug guest" xlite destroy h1
check_eq "nothing left at the end" "$BASE" "$(state)"

chmod 644 "$IMG/ro.img"
rm -rf "$IMG"
finish
