# Not in tests/run-all: scenarios/77-overalloc.sh covers all of it with
# three guests (this is the quicker one-guest check; run it alone with
# `tests/lab/xlite-lab run tests/lab/balance-one.sh`).
# Issue 10's admission and balancer on real Xen, with the host settings of
# /etc/xlite/xlite.conf ([memory]):
#   - a create whose guaranteed minimum does not fit beside dom0's reserve
#     is refused with the figures, and nothing of it is left;
#   - a Linux guest (max 1024, target 256, min 192 MiB) runs
#     xlite-guest-agent; `xlite balance --watch` shrinks it toward its
#     demand (never below 192), then, as the guest fills 400 MiB of tmpfs
#     (16 MiB at a time, while it has memory available), grows its target and
#     its own MemTotal to cover it; when the guest frees it, the target
#     falls back;
#   - xlite info shows the memory figures, and contention when dom0's
#     reserve leaves too little.
. "$(dirname "$0")/lib.sh"

N=bal75
W=/tmp/xlite-bal
LOG=/var/log/xen/guest-$N.log
mkdir -p "$W"
CONF=/etc/xlite/xlite.conf

glog() { tr -d '\r' <"$LOG" 2>/dev/null; }
gval() { glog | sed -n "s/^BAL $1=//p" | tail -1; }
xs() { xenstore-read "/local/domain/$D/$1" 2>&1; }
target_mib() { echo $(($(xs memory/target) / 1024)); }
target_ge() { [ "$(target_mib)" -ge "$1" ] 2>/dev/null; }
target_le() { [ "$(target_mib)" -le "$1" ] 2>/dev/null; }
mem_ge() { [ "$(gval mem)" -ge "$1" ] 2>/dev/null; }
filled() { [ "$(gval filled)" = "$1" ]; }

memory_conf 64M 512M 8M 2

# ---- admission -----------------------------------------------------------------
check_match "info shows dom0's reserve" '^dom0_reserve +: 512$' "$(xlite info)"
CAP=$(xlite info | sed -n 's/^guest_capacity *: //p')
echo "# guests can have $CAP MiB"
cat >"$W/huge.xml" <<EOF
<domain type='xen'>
  <name>huge75</name>
  <memory unit='MiB'>$((CAP + 64))</memory>
  <memtune><min_guarantee unit='MiB'>$((CAP + 64))</min_guarantee></memtune>
  <os><type>linux</type><kernel>${LAB_GUESTS:-/lab/guests}/tiny.bin</kernel></os>
</domain>
EOF
check_status "a minimum beyond what guests can have is refused (exit 1)" 1 xlite create "$W/huge.xml"
check_match "the refusal gives the figures" \
	"guaranteed minimums would not fit: .* \\+ its $((CAP + 64)) MiB = .*guests can have [0-9]+ [KM]iB \\(host .*reserve of 512 MiB" \
	"$(cat "$LAB_TMP/out")"
check_fails "nothing of it is left" sh -c "xl list | grep -q huge75"

# ---- the balancer grows and shrinks a guest with an agent -----------------------
fill_guest_xml "$W/bal.xml" $N 1024 256 192
rm -f "$LOG"
check "create $N (max 1024, target 256, min 192 MiB)" xlite create "$W/bal.xml"
D=$(xlite list $N 2>/dev/null | awk 'NR == 2 { print $2 }')
if wait_for 240 sh -c "xenstore-read /local/domain/$D/data/meminfo_seq"; then
	pass "the guest's agent reports to data/"
else
	fail "the guest's agent reports to data/"; glog | tail -5 | sed 's/^/#   /'
fi
check_status "mem-min beyond what guests can have is refused" 1 xlite mem-min $N $((CAP + 64))
check_match "that refusal gives the figures" "guaranteed minimums would not fit: .*for '$N'" \
	"$(cat "$LAB_TMP/out")"
check_status "mem-set of dom0 below its reserve is refused" 1 xlite mem-set 0 256
check_match "that refusal names the reserve" "below its reserve 512 MiB" "$(cat "$LAB_TMP/out")"
check_match "balance --once -n says what it would do, and why" \
	"^would set $N: 256 -> [0-9]+ MiB \\(shrinks toward its demand \\+ headroom; demand [0-9]+ MiB, min 192, max 1024\\)" \
	"$(xlite balance --once -n)"
check_eq "-n changed nothing" 256 "$(target_mib)"
xlite balance --watch >"$W/balance.log" 2>&1 &
BPID=$!
if wait_for 60 target_le 255; then pass "the balancer shrinks the idle guest ($(target_mib) MiB)"; else
	fail "the balancer shrinks the idle guest (target $(target_mib) MiB)"; fi
check "never below its minimum" target_ge 192
M0=$(gval mem)
echo "# idle: target $(target_mib) MiB, MemTotal $M0 kB"
# The guest fills 400 MiB of tmpfs as memory becomes available.
check "dom0 asks the guest to fill 400 MiB" xenstore-write /local/domain/$D/data/fill 400
if wait_for 600 filled 400; then pass "the guest filled 400 MiB of tmpfs"; else
	fail "the guest filled 400 MiB of tmpfs (only $(gval filled))"; fi
check "its target grew to cover it ($(target_mib) MiB)" target_ge 440
if wait_for 60 mem_ge 430000; then pass "its own MemTotal grew ($(gval mem) kB)"; else
	fail "its own MemTotal grew (only $(gval mem) kB)"; fi
check_match "each change is logged with its reason" \
	"Z set $N: [0-9]+ -> [0-9]+ MiB \\(grows to its demand \\+ headroom" "$(cat "$W/balance.log")"
check_match "list -l shows its demand" "^$N +$D .* 192 +[0-9]+ +[0-9]+ +1024 +[0-9]+\$" "$(xlite list -l $N)"
check "dom0 asks the guest to free it" xenstore-write /local/domain/$D/data/fill 0
if wait_for 120 target_le 300; then pass "the target falls back ($(target_mib) MiB)"; else
	fail "the target falls back (still $(target_mib) MiB)"; fi
check "never below its minimum" target_ge 192
kill $BPID 2>/dev/null
wait $BPID 2>/dev/null

# ---- info and contention --------------------------------------------------------------
INFO=$(xlite info)
check_match "info shows the guests' sums" '^guests_min +: 192$' "$INFO"
check_match "info shows over-allocation" '^overallocation +: [0-9]+\.[0-9][0-9]$' "$INFO"
check_match "info --json has memory_contention" '"memory_contention": 0' "$(xlite info --json)"
# A reserve that leaves the guests less than their wants: contention.
USED=$(($(xl list | awk '$1 == "Domain-0" { print $3 }') + CAP - 100))
sed -i "s/^dom0-reserve = .*/dom0-reserve = ${USED}M/" $CONF
check_match "info shows contention and who is short" "^memory_short +: $N\$" "$(xlite info)"
check_match "balance --once -n warns of the contention" '^contention: guests want [0-9]+ MiB, can have [0-9]+ MiB: [0-9]+ MiB short, 1 guests below their want$' \
	"$(xlite balance --once -n)"

check "destroy $N" xlite destroy $N
memory_conf_restore
rm -rf "$W"
finish
