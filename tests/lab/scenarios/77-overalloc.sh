# Issue 10's lab proof of over-allocation on real Xen: three Linux guests of
# max 1 GiB, boot target 256 MiB and guaranteed minimum 192 MiB each, on a
# host whose guests can have 1200 MiB (a fixed ballast guest takes the
# rest), so their maximums add up to far more than there is.
#   - a fourth guest whose minimum does not fit is refused with the
#     figures, nothing left; mem-set below a minimum is refused;
#   - one guest fills 500 MiB of tmpfs (16 MiB at a time: 512): `xlite balance --watch` grows its
#     target and its own MemTotal to cover it, the others stay at or above
#     192 MiB, dom0 keeps its memory and reserve; when the others ask too,
#     `xlite info` and the balancer show the contention; it frees the
#     memory and its target falls back;
#   create's room-making and two creates at once that fit one at a time:
#   tests/lab/overalloc-room.sh (not in the default run).
. "$(dirname "$0")/lib.sh"
. /lab/src/tests/lab/scenarios/overalloc.inc

# ---- refusals ------------------------------------------------------------------------
# What is left for one more minimum: capacity less every guaranteed one.
LEFT=$(($(info guest_capacity) - $(info guests_min)))
BEFORE=$(state)
check_status "a fourth guest with a minimum of $((LEFT + 64)) MiB is refused (exit 1)" 1 \
	xlite create "$(tiny o4 $((LEFT + 64)))"
check_match "the refusal gives the figures" \
	"not enough free memory for 'o4': the guaranteed minimums would not fit: the 4 guests' [0-9]+ MiB \\+ its $((LEFT + 64)) MiB = [0-9]+ MiB, but guests can have [0-9]+ [KM]iB \\(host [0-9]+ [KM]iB: dom0 [0-9]+ MiB with a reserve of 512 MiB" \
	"$(cat "$LAB_TMP/out")"
check_eq "nothing of it is left (domain, xenstore, /vm, loop devices)" "$BEFORE" "$(state)"
check_status "mem-set o2 below its minimum is refused (exit 1)" 1 xlite mem-set o2 150
check_match "that refusal names the rule and the figures" \
	'min <= target <= max must hold: the target would leave the minimum 192 MiB above the target 150 MiB' \
	"$(cat "$LAB_TMP/out")"
check_eq "o2's target is unchanged" 256 "$(target o2)"

# ---- the balancer: one guest fills 500 MiB -----------------------------------------------
xlite balance --watch --interval 2 >"$W/balance.log" 2>&1 &
BPID=$!
check "o1 is asked to fill 500 MiB" fill o1 500
if wait_for 300 filled_ge o1 500; then pass "o1 filled 500 MiB of tmpfs ($(gval o1 filled))"; else
	fail "o1 filled 500 MiB of tmpfs (only $(gval o1 filled), target $(target o1) MiB)"
	tail -5 "$W/balance.log" | sed 's/^/#   /'; fi
check "its target grew to cover it ($(target o1) MiB)" target_ge o1 540
if wait_for 60 mem_ge o1 520000; then pass "its own MemTotal grew ($(gval o1 mem) kB)"; else
	fail "its own MemTotal grew (only $(gval o1 mem) kB)"; fi
if wait_for 60 target_le o2 250 && wait_for 60 target_le o3 250; then
	pass "the idle others went down toward their demand ($(target o2) $(target o3) MiB)"
else fail "the idle others went down toward their demand ($(target o2) $(target o3) MiB)"; fi
at_least_min "o1 grown"
check_eq "dom0 keeps its memory" "$DOM0" "$(dom0_mib)"
check "dom0 keeps at least its reserve" [ "$(dom0_mib)" -ge 512 ]
check_match "o1's growth is logged with its reason" \
	"Z set o1: [0-9]+ -> [0-9]+ MiB \\(grows to its demand \\+ headroom" "$(cat "$W/balance.log")"

# ---- the others ask too: contention ---------------------------------------------------------
check "o2 is asked to fill 400 MiB" fill o2 400
check "o3 is asked to fill 400 MiB" fill o3 400
contended() { [ "$(info memory_contention)" -gt 0 ] 2>/dev/null; }
if wait_for 180 contended; then pass "xlite info shows contention ($(info memory_contention) MiB short)"
else fail "xlite info shows contention (memory_contention $(info memory_contention))"
	tail -5 "$W/balance.log" | sed 's/^/#   /'; fi
check_match "info names who is short" "^memory_short +: .*o[23]" "$(xlite info)"
# the balancer's pass (every 2 s) may come after xlite info saw it
logged_contention() { grep -Eq "Z contention: guests want [0-9]+ MiB, can have [0-9]+ MiB: [0-9]+ MiB short" "$W/balance.log"; }
check "the balancer logs the contention" wait_for 30 logged_contention
at_least_min "under contention"
check "o1's target still covers its 500 MiB ($(target o1) MiB)" target_ge o1 500
check "o1's tmpfs still holds its 500 MiB ($(gval o1 filled))" filled_ge o1 500
SUM=$(stable_targets | awk -v b=$BALLAST '{ print $1 + $2 + $3 + b }')
_f=$LAB_FAILED
check "the targets ($SUM MiB with the ballast) fit in what guests can have" \
	[ "$SUM" -le "$(info guest_capacity)" ]
[ "$LAB_FAILED" -gt "$_f" ] && tail -6 "$W/balance.log" | sed 's/^/#   /'
check_eq "dom0 keeps its memory" "$DOM0" "$(dom0_mib)"

# ---- o1 frees it: its target falls back ----------------------------------------------------
for n in o1 o2 o3; do fill $n 0; done
if wait_for 120 target_le o1 300; then pass "o1's target falls back ($(target o1) MiB)"; else
	fail "o1's target falls back (still $(target o1) MiB)"; fi
for n in o2 o3; do wait_for 60 filled $n 0; done
at_least_min "after the fall"
kill $BPID 2>/dev/null
wait $BPID 2>/dev/null
BPID=
echo "# balancer log: $(grep -c ' set ' "$W/balance.log") changes, $(grep -c contention "$W/balance.log") contention lines"

overalloc_end
