# A domain's life with xlite on real Xen: create (the Linux guest boots and
# says so on its console), list, pause/unpause, console, reboot (new id,
# same name), shutdown -w, destroy; and xl and xlite on each other's
# domains. After every end, nothing of the domain may be left.
. "$(dirname "$0")/lib.sh"

EX=/lab/src/examples
N=linux1
LOG=/var/log/xen/guest-$N.log

domid() { xlite list "$1" 2>/dev/null | awk 'NR == 2 { print $2 }'; }
state() { xlite list "$1" 2>/dev/null | awk 'NR == 2 { print $5 }'; }
xs_has() { xenstore-ls "$1" >/dev/null 2>&1 || xenstore-read "$1" >/dev/null 2>&1; }
# gone DOMID [UUID]: nothing of the domain under /local/domain/D, /vm/UUID,
# the backends, /libxl/D.
gone() {
	! xs_has "/local/domain/$1" && ! xs_has "/local/domain/0/backend/vbd/$1" &&
		! xs_has "/local/domain/0/backend/vif/$1" && ! xs_has "/libxl/$1" &&
		{ [ -z "$2" ] || ! xs_has "/vm/$2"; }
}
new_id() { d=$(domid "$1"); [ -n "$d" ] && [ "$d" != "$2" ]; }
ready_count() { grep -c "xlite-guest: ready" "$LOG" 2>/dev/null || echo 0; }

# ---- create, list, console output ---------------------------------------
rm -f "$LOG"
check "create $EX/linux-pv.xml" xlite create "$EX/linux-pv.xml"
D1=$(domid $N)
UUID=$(xenstore-read "/local/domain/$D1/vm" 2>/dev/null | sed 's|^/vm/||')
check "list shows it with an id" test -n "$D1"
check_match "xl list shows xlite's domain" "^$N +$D1 " "$(xl list)"
check_match "list --json shows it" "\"name\": \"$N\", \"domid\": $D1," "$(xlite list --json)"
check_eq "its /vm entry holds its name" "$N" "$(xenstore-read "/vm/$UUID/name" 2>&1)"
check_match "a monitor process watches it" "watching" "$(cat /var/log/xen/xlite-$N.log 2>&1)"
if wait_for 240 grep -q "xlite-guest: ready" "$LOG"; then
	pass "the guest prints 'xlite-guest: ready' on its console"
else
	fail "the guest prints 'xlite-guest: ready' on its console"
	tail -5 "$LOG" 2>&1 | sed 's/^/#   /'
fi

# ---- pause / unpause ------------------------------------------------------
check "pause" xlite pause $N
check_match "list shows p" '^..p' "$(state $N)"
check_match "xl list shows it paused too" '^..p' "$(xl list $N | awk 'NR == 2 { print $5 }')"
check "unpause" xlite unpause $N
check_match "list no longer shows p" '^..-' "$(state $N)"

# ---- console: both ways, Ctrl-] leaves ------------------------------------
(sleep 3; printf 'echo $((6 * 7))xlite\n'; sleep 4; printf '\035') |
	timeout 30 xlite console $N >"$LAB_TMP/console" 2>&1
check_eq "console returns 0 on Ctrl-]" 0 $?
check_match "console relays input and output" '42xlite' "$(tr -d '\r' <"$LAB_TMP/console")"

# ---- reboot: a new domain, same name --------------------------------------
check "reboot" xlite reboot $N
if wait_for 120 new_id $N "$D1"; then pass "reboot gives a new id"; else fail "reboot gives a new id"; fi
D2=$(domid $N)
check_eq "same name after reboot" "$N" "$(xlite list "$D2" | awk 'NR == 2 { print $1 }')"
check "the old domain's nodes are gone" gone "$D1"
check_match "the monitor says it restarted it" "restarted: id $D1 -> $D2" \
	"$(cat /var/log/xen/xlite-$N.log 2>&1)"
if wait_for 240 sh -c "[ \$(grep -c 'xlite-guest: ready' $LOG) -ge 2 ]"; then
	pass "the rebooted guest comes up again"
else
	fail "the rebooted guest comes up again"
fi

# ---- shutdown -w -----------------------------------------------------------
check "shutdown -w returns after the domain is gone" xlite shutdown -w --timeout 120 $N
check_status "list of it exits 1 afterwards" 1 xlite list $N
check_fails "xl no longer lists it" sh -c "xl list $N"
check "nothing left of it (/local/domain, /vm, backends)" gone "$D2" "$UUID"

# ---- destroy with a disk and a vif: nodes and loop device go -------------
dd if=/dev/zero of=/lab/disk.img bs=1M count=8 2>/dev/null
ip link add xlbr0 type bridge 2>/dev/null; ip link set xlbr0 up
check "create with a disk and a vif, paused" xlite create -p "$EX/linux-pv-devices.xml"
D3=$(domid linux2)
U3=$(xenstore-read "/local/domain/$D3/vm" 2>/dev/null | sed 's|^/vm/||')
check "its vbd backend exists" xs_has "/local/domain/0/backend/vbd/$D3"
check "its vif backend exists" xs_has "/local/domain/0/backend/vif/$D3"
check_match "a loop device backs its disk" '/lab/disk.img' "$(losetup -a 2>&1)"
check "destroy" xlite destroy linux2
check "nothing left of it" gone "$D3" "$U3"
if wait_for 10 sh -c "! losetup -a | grep -q /lab/disk.img"; then
	pass "its loop device is released"
else
	fail "its loop device is released"; losetup -a | sed 's/^/#   /'
fi

# ---- xl destroy of xlite's domains: the monitor cleans up after -----------
check "create tiny.xml" xlite create "$EX/tiny.xml"
D4=$(domid tiny1)
U4=$(xenstore-read "/local/domain/$D4/vm" 2>/dev/null | sed 's|^/vm/||')
check "xl destroy of an xlite domain works" xl destroy tiny1
check_status "xlite no longer lists it" 1 xlite list tiny1
if wait_for 10 gone "$D4" "$U4"; then pass "nothing left of it"; else fail "nothing left of it"; fi

check "create with a disk and a vif again" xlite create -p "$EX/linux-pv-devices.xml"
D5=$(domid linux2)
check "xl destroy of an xlite domain with devices works" xl destroy linux2
if wait_for 10 gone "$D5"; then pass "its backends are removed"; else fail "its backends are removed"; fi
if wait_for 10 sh -c "! losetup -a | grep -q /lab/disk.img"; then
	pass "its loop device is released"
else
	fail "its loop device is released"
fi

# ---- xlite destroy of xl's domain -----------------------------------------
cat >"$LAB_TMP/xl-tiny.cfg" <<EOF
name = "xltiny30"
kernel = "$LAB_GUESTS/tiny.bin"
memory = 16
EOF
check "xl create" xl create "$LAB_TMP/xl-tiny.cfg"
D6=$(domid xltiny30)
U6=$(xenstore-read "/local/domain/$D6/vm" 2>/dev/null | sed 's|^/vm/||')
check_match "xlite lists xl's domain" "^xltiny30 +$D6 " "$(xlite list)"
check "xlite destroy of an xl domain works" xlite destroy xltiny30
check_fails "xl no longer lists it" sh -c "xl list xltiny30"
check "nothing left of it (incl. /libxl/D)" gone "$D6" "$U6"

ip link del xlbr0 2>/dev/null
rm -f /lab/disk.img
finish
