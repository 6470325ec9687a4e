# Admission on real Xen: a create whose uuid a running domain has (made by
# xlite or by xl) is refused and the first domain keeps its /vm entry; a
# disk image that a guest uses read-write is refused to a second one (by
# file identity: another path, a hard link, a loop device of the same file)
# with the holder named, at create and at block-attach, unless both are
# <shareable/>; a refused create leaves nothing (no domain, no loop device,
# no node). Tiny grub guests (16 MiB): none of this needs Linux.
. "$(dirname "$0")/lib.sh"

G=$LAB_GUESTS
IMG=/tmp/xlite-adm
U1=5a1f0c2e-8b3d-4e6f-9a7c-1d2e3f4a5b6c
U2=7e6d5c4b-3a29-4f18-8e07-f6e5d4c3b2a1
mkdir -p "$IMG"
dd if=/dev/zero of="$IMG/shared.img" bs=1M count=4 2>/dev/null
ln "$IMG/shared.img" "$IMG/hardlink.img"
ln -s "$IMG/shared.img" "$IMG/symlink.img"
dd if=/dev/zero of="$IMG/other.img" bs=1M count=4 2>/dev/null

domid() { xlite list "$1" 2>/dev/null | awk 'NR == 2 { print $2 }'; }
# dom NAME UUID DEVICES-XML: a tiny guest's XML file (UUID "" for a random one).
dom() {
	cat >"$IMG/$1.xml" <<EOF
<domain type='xen'>
  <name>$1</name>${2:+
  <uuid>$2</uuid>}
  <memory unit='MiB'>16</memory>
  <os><type>xen</type><kernel>$G/tiny.bin</kernel></os>
  <on_reboot>destroy</on_reboot>
  <devices>$3</devices>
</domain>
EOF
	echo "$IMG/$1.xml"
}
# disk SOURCE TARGET [EXTRA-XML] [TYPE ATTR]
disk() {
	echo "<disk type='${4:-file}' device='disk'><source ${5:-file}='$1'/><target dev='$2'/>$3</disk>"
}
# What a refused command must not change: domains, /vm, backends, loops.
state() {
	echo "domains: $(xenstore-list /local/domain | tr '\n' ' ')"
	echo "vm: $(xenstore-list /vm 2>/dev/null | tr '\n' ' ')"
	echo "backends:"; xenstore-ls /local/domain/0/backend 2>/dev/null | grep '^ '
	echo "loops: $(losetup -a 2>/dev/null | sort | tr '\n' ' ')"
}
# refused WHAT PATTERN CMD...: CMD exits 1, says PATTERN, changes nothing.
refused() {
	_what=$1; _pat=$2; shift 2
	_before=$(state)
	"$@" >"$LAB_TMP/err" 2>&1; _rc=$?
	echo "#   $(head -1 "$LAB_TMP/err")"
	check_eq "$_what: exit 1" 1 "$_rc"
	if grep -Eq -- "$_pat" "$LAB_TMP/err"; then pass "$_what: says who holds it"; else
		fail "$_what: says who holds it (no '$_pat')"; sed 's/^/#   /' "$LAB_TMP/err" | head -5; fi
	check_eq "$_what: nothing left" "$_before" "$(state)"
}

# ---- uuid --------------------------------------------------------------------
check "create a1 with uuid $U1" xlite create "$(dom a1 $U1)"
A1=$(domid a1)
refused "a second domain with a1's uuid" \
	"uuid $U1 is already used by domain 'a1' \\(id $A1\\)" xlite create "$(dom a2 $U1)"
check_fails "no domain a2" xl list a2
check_eq "a1's /vm entry is still there" "a1" "$(xenstore-read /vm/$U1/name 2>&1)"
check_eq "a1 runs on, same id" "$A1" "$(domid a1)"
check_eq "a1's vm node still points at it" "/vm/$U1" "$(xenstore-read /local/domain/$A1/vm 2>&1)"

cat >"$LAB_TMP/xl-uuid.cfg" <<EOF
name = "xladm"
uuid = "$U2"
kernel = "$G/tiny.bin"
memory = 16
EOF
check "xl creates a guest with uuid $U2" xl create "$LAB_TMP/xl-uuid.cfg"
X1=$(domid xladm)
refused "a domain with the uuid of xl's guest" \
	"uuid $U2 is already used by domain 'xladm' \\(id $X1\\)" xlite create "$(dom a3 $U2)"
check_eq "xl's guest keeps its /vm entry" "xladm" "$(xenstore-read /vm/$U2/name 2>&1)"
check "xlite destroys xl's guest" xlite destroy xladm

# xl does not refuse a uuid in use: a twin of a1 made by xl, then destroyed
# by xlite, must leave a1's /vm entry alone.
sed -e "s/$U2/$U1/" -e 's/xladm/xltwin/' "$LAB_TMP/xl-uuid.cfg" >"$LAB_TMP/xl-twin.cfg"
if xl create "$LAB_TMP/xl-twin.cfg" >"$LAB_TMP/out" 2>&1; then
	check "xlite destroys the twin" xlite destroy xltwin
	# (xl rewrote its name: the two share the directory, hence the refusal)
	check_eq "a1's /vm entry survives the twin's destroy" "$U1" \
		"$(xenstore-read /vm/$U1/uuid 2>&1)"
	check_eq "a1 runs on" "$A1" "$(domid a1)"
else
	echo "#   xl refused the twin: $(tail -1 "$LAB_TMP/out")"
	check_fails "xl refused a twin of a1's uuid too" xl list xltwin
fi
check "destroy a1" xlite destroy a1
check_fails "then a1's /vm entry goes" xenstore-read /vm/$U1/name

# ---- a disk image used read-write --------------------------------------------
OUT=$(xlite create --json "$(dom d1 "" "$(disk $IMG/shared.img xvda)")" 2>&1)
check_match "create d1 with shared.img read-write" '"name": "d1"' "$OUT"
echo "# create of a tiny guest with one disk, no other vbd: $(echo "$OUT" |
	sed -n 's/.*"xenstore_requests": \([0-9]*\).*/\1/p') xenstore requests"
D1=$(domid d1)
HELD="disk .* is in use read-write by domain d1 \\($D1\\); both must be <shareable/>"
refused "the same file, read-write, for d2" "$HELD" \
	xlite create "$(dom d2 "" "$(disk $IMG/shared.img xvda)")"
refused "a hard link to it" "$HELD" xlite create "$(dom d2 "" "$(disk $IMG/hardlink.img xvda)")"
refused "a symlink to it, read-only and shareable" "$HELD" \
	xlite create "$(dom d2 "" "$(disk $IMG/symlink.img xvda "<readonly/><shareable/>")")"
LOOP=$(losetup -f)
if losetup "$LOOP" "$IMG/shared.img"; then
	refused "a loop device of our own on the file, as type=block" "$HELD" \
		xlite create "$(dom d2 "" "$(disk "$LOOP" xvda "" block dev)")"
	losetup -d "$LOOP"
else
	fail "losetup $LOOP on shared.img"
fi
check "another image is fine" xlite create "$(dom d3 "" "$(disk $IMG/other.img xvda)")"
check "a guest without disks" xlite create "$(dom d4 "")"
refused "block-attach of d1's image to d4 (xl's spec)" "$HELD" \
	xlite block-attach d4 "$IMG/hardlink.img,,xvdb,w"
check_status "block-attach -n says the same" 1 xlite block-attach -n d4 "$IMG/shared.img,,xvdb,w"
check "destroy d1" xlite destroy d1
check "then d4 may have shared.img" xlite block-attach d4 "$IMG/shared.img,,xvdb,w"
for n in d3 d4; do check "destroy $n" xlite destroy $n; done

# ---- read-only and <shareable/> ----------------------------------------------
check "r1 reads shared.img" xlite create "$(dom r1 "" "$(disk $IMG/shared.img xvda "<readonly/>")")"
check "r2 reads it too" xlite create "$(dom r2 "" "$(disk $IMG/hardlink.img xvda "<readonly/>")")"
check_status "a writer beside them is refused" 1 \
	xlite create "$(dom w1 "" "$(disk $IMG/shared.img xvda)")"
for n in r1 r2; do check "destroy $n" xlite destroy $n; done

SH="<shareable/>"
check "s1: shared.img read-write, shareable" xlite create "$(dom s1 "" "$(disk $IMG/shared.img xvda $SH)")"
check "s2: the same, shareable" xlite create "$(dom s2 "" "$(disk $IMG/hardlink.img xvda $SH)")"
S1=$(domid s1) S2=$(domid s2)
check_eq "s1's backend mode is w!" "w!" "$(xenstore-read /local/domain/0/backend/vbd/$S1/51712/mode 2>&1)"
check_eq "s2's backend mode is w!" "w!" "$(xenstore-read /local/domain/0/backend/vbd/$S2/51712/mode 2>&1)"
# grub's frontend connects to its disks: blkback took "w!" as read-write.
be_connected() { [ "$(xenstore-read /local/domain/0/backend/vbd/$1/51712/state 2>&1)" = 4 ]; }
if wait_for 60 be_connected "$S2"; then pass "s2's disk connects (state 4)"; else
	fail "s2's disk connects (state 4, got $(xenstore-read /local/domain/0/backend/vbd/$S2/51712/state 2>&1))"
fi
check_fails "blkback raised no error for s2's disk" \
	xenstore-read /local/domain/0/error/backend/vbd/$S2/51712/error
check "a reader may join them" xlite create "$(dom s3 "" "$(disk $IMG/shared.img xvda "<readonly/>")")"
refused "a plain writer may not" "in use read-write \\(shareable\\) by domain s[12]" \
	xlite create "$(dom w2 "" "$(disk $IMG/shared.img xvda)")"
check "a guest without disks" xlite create "$(dom s4 "")"
refused "block-attach with xl's spec (no shareable word)" "in use read-write \\(shareable\\)" \
	xlite block-attach s4 "$IMG/shared.img,,xvdb,w"
cat >"$IMG/share-disk.xml" <<EOF
<disk type='file' device='disk'><source file='$IMG/shared.img'/><target dev='xvdb'/>$SH</disk>
EOF
check "block-attach of a <disk> element with <shareable/>" xlite block-attach s4 "$IMG/share-disk.xml"
check_match "block-list shows it" "xvdb" "$(xlite block-list s4 2>&1)"
for n in s1 s2 s3 s4; do check "destroy $n" xlite destroy $n; done
check_eq "no loop device left on the images" "" \
	"$(losetup -a 2>/dev/null | grep "$IMG/" )"

rm -rf "$IMG"
finish
