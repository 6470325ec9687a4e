# xlite create when it must fail: too much memory, a kernel that is not
# one, a duplicate name, two creates of one name at once, bad XML, a
# missing bridge. Each says why, exits 1 (2 for bad XML), and leaves no
# domain, no xenstore node, no loop device behind.
. "$(dirname "$0")/lib.sh"

EX=/lab/src/examples
T=$LAB_TMP

# The host's state a failed create must not change.
snapshot() {
	{
		xl list | awk 'NR > 1 { print "domain", $1 }'
		xenstore-ls -f / 2>/dev/null | sed 's/ = .*//'
		losetup -a 2>/dev/null | sed 's/^/loop /'
	} | sort
}
# unchanged WHAT: the host is as it was before.
unchanged() {
	snapshot >"$T/after"
	if cmp -s "$T/before" "$T/after"; then pass "$1: nothing left behind"; else
		fail "$1: nothing left behind"
		diff "$T/before" "$T/after" | sed 's/^/#   /' | head -20
	fi
}
# tiny NAME [SED]: a copy of the tiny example named NAME, edited by SED.
tiny() {
	sed -e "s|<name>tiny1</name>|<name>$1</name>|" -e "${2:-p;d}" "$EX/tiny.xml" >"$T/$1.xml"
	echo "$T/$1.xml"
}

snapshot >"$T/before"

# ---- memory larger than the host ------------------------------------------
f=$(tiny bigmem "s|<memory unit='MiB'>16</memory>|<memory unit='GiB'>64</memory>|")
check_status "memory larger than the host: exit 1" 1 xlite create "$f"
check_match "and says so" "more than the host has" "$(xlite create "$f" 2>&1)"
unchanged "memory larger than the host"

free=$(xl info | sed -n 's/^free_memory *: //p')
f=$(tiny freemem "s|<memory unit='MiB'>16</memory>|<memory unit='MiB'>$((free + 64))</memory>|")
check_status "memory larger than what is free: exit 1" 1 xlite create "$f"
check_match "and says so" "not enough free memory" "$(xlite create "$f" 2>&1)"
unchanged "memory larger than what is free"

# ---- a kernel that is not an ELF ------------------------------------------
head -c 200000 /dev/urandom >"$T/junk.bin"
f=$(tiny junkkernel "s|<kernel>[^<]*</kernel>|<kernel>$T/junk.bin</kernel>|")
check_status "kernel not an ELF: exit 1" 1 xlite create "$f"
check_match "and says so" "not a Xen PV kernel" "$(xlite create "$f" 2>&1)"
unchanged "kernel not an ELF"

f=$(tiny nokernel "s|<kernel>[^<]*</kernel>|<kernel>$T/nope.bin</kernel>|")
check_status "missing kernel file: exit 1" 1 xlite create "$f"
check_match "and names it" "nope.bin" "$(xlite create "$f" 2>&1)"
unchanged "missing kernel file"

# ---- bad XML: exit 2 with FILE:LINE ---------------------------------------
printf '<domain type="xen">\n  <name>bad</name>\n  <memory unit="MiB">lots</memory>\n</domain>\n' \
	>"$T/bad.xml"
check_status "invalid XML value: exit 2" 2 xlite create "$T/bad.xml"
check_match "error names FILE:LINE" "bad\.xml:[0-9]+:" "$(xlite create "$T/bad.xml" 2>&1)"
printf '<domain type="xen">\n  <name>broken\n' >"$T/broken.xml"
check_status "malformed XML: exit 2" 2 xlite create "$T/broken.xml"
check_match "error names FILE:LINE" "broken\.xml:[0-9]+:" "$(xlite create "$T/broken.xml" 2>&1)"
check_status "missing file: exit 2" 2 xlite create "$T/none.xml"
check_status "bad flag: exit 2" 2 xlite create --bogus "$EX/tiny.xml"
check_status "no file: exit 2" 2 xlite create
unchanged "bad XML"

# ---- dry run touches nothing ----------------------------------------------
check "create -n prints the plan" xlite create -n "$EX/linux-pv.xml"
check_match "the plan has placeholders, not values" 'domid\}' "$(xlite create -n "$EX/tiny.xml")"
unchanged "create -n"

# ---- missing bridge: the loop device made before is released ----------------
dd if=/dev/zero of=/lab/disk.img bs=1M count=4 2>/dev/null
snapshot >"$T/before"
sed -e 's|<name>linux2</name>|<name>nobridge</name>|' \
	-e "s|bridge='xlbr0'|bridge='nosuchbr0'|" "$EX/linux-pv-devices.xml" >"$T/nobridge.xml"
check_status "missing bridge: exit 1" 1 xlite create -p "$T/nobridge.xml"
check_match "and names it" "nosuchbr0" "$(xlite create -p "$T/nobridge.xml" 2>&1)"
unchanged "missing bridge"

# ---- duplicate name ---------------------------------------------------------
snapshot >"$T/before"
check "create tiny.xml" xlite create "$EX/tiny.xml"
check_status "a second create of the same name: exit 1" 1 xlite create "$EX/tiny.xml"
check_match "and says it exists" "domain 'tiny1' already exists" "$(xlite create "$EX/tiny.xml" 2>&1)"
check_eq "only one tiny1 runs" 1 "$(xl list | grep -c '^tiny1 ')"
check "destroy it" xlite destroy tiny1
sleep 1
unchanged "duplicate name"

# ---- concurrent creates of one name: exactly one wins ----------------------
for i in 1 2 3; do
	(xlite create "$EX/tiny.xml" >/dev/null 2>&1; echo $? >"$T/race.$i") &
done
wait
wins=$(cat "$T"/race.* | grep -c '^0$')
check_eq "three concurrent creates of one name: one wins" 1 "$wins"
check_eq "the others exit 1" 2 "$(cat "$T"/race.* | grep -c '^1$')"
check_eq "one domain of that name runs" 1 "$(xl list | grep -c '^tiny1 ')"
check "destroy it" xlite destroy tiny1
sleep 1
unchanged "concurrent creates"

rm -f /lab/disk.img
finish
