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
#   - create makes room (balancer stopped, the host settled first): a
#     boot target that is not free is taken from guests lowered toward
#     their minimums; refused, nothing changed, when even every guest at
#     its minimum would not make room;
#   - two creates at once whose minimums fit one at a time: exactly one is
#     admitted, the other refused with the figures, nothing of it left.
# Each phase's time is printed as "# phase NAME: N s".
. "$(dirname "$0")/lib.sh"
. /lab/src/tests/lab/scenarios/overalloc.inc

phase refusals
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

phase "o1 fills"
# ---- the balancer: one guest fills 500 MiB -----------------------------------------------
xlite balance --watch --interval 1 >"$W/balance.log" 2>&1 &
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

phase contention
# ---- the others ask too: contention ---------------------------------------------------------
check "o2 is asked to fill 400 MiB" fill o2 400
check "o3 is asked to fill 400 MiB" fill o3 400
contended() { [ "$(info memory_contention)" -gt 0 ] 2>/dev/null; }
if wait_for 180 contended; then pass "xlite info shows contention ($(info memory_contention) MiB short)"
else fail "xlite info shows contention (memory_contention $(info memory_contention))"
	tail -5 "$W/balance.log" | sed 's/^/#   /'; fi
check_match "info names who is short" "^memory_short +: .*o[23]" "$(xlite info)"
# the balancer's pass (every second) may come after xlite info saw it
logged_contention() { grep -Eq "Z contention: guests want [0-9]+ MiB, can have [0-9]+ MiB: [0-9]+ MiB short" "$W/balance.log"; }
check "the balancer logs the contention" wait_for 30 logged_contention
at_least_min "under contention"
check "o1's target still covers its 500 MiB ($(target o1) MiB)" target_ge o1 500
check "o1's tmpfs still holds its 500 MiB ($(gval o1 filled))" filled_ge o1 500
SUM=$(stable_targets | awk -v b=$BALLAST '{ print $1 + $2 + $3 + b }')
_f=$LAB_FAILED CAP=$(capacity)
check "the targets ($SUM MiB with the ballast) fit in what guests can have ($CAP MiB)" \
	[ "$SUM" -le "$CAP" ]
[ "$LAB_FAILED" -gt "$_f" ] && tail -6 "$W/balance.log" | sed 's/^/#   /'
check_eq "dom0 keeps its memory" "$DOM0" "$(dom0_mib)"

phase fall
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

# ---- create makes room by lowering others toward their minimums ---------------------------
phase "room-making"
# The balancer is stopped; o2 and o3 may still be giving back their fills:
# one known target for all three, and nothing is read before the balloons
# are done (free memory read while they move is wrong by what they move).
check "o1, o2, o3 set to 256 MiB" sh -c "xlite mem-set o1 256 && xlite mem-set o2 256 && xlite mem-set o3 256"
if settle 180; then pass "the host settles $SETTLED ($(holding))"; else fail "the host settles $SETTLED ($(holding))"; fi
# Admission counts what is free once every guest is at its target: from
# one read of what the host and the balloons hold, r1's boot target is
# 96 MiB more than that (the guests can give 3 x 64 MiB above their
# minimums). Asking r1 for more, not the guests to grow, keeps the
# balloons' work (slow under TCG) small, and leaves r1 so big that two
# small creates then fill what is left.
I=$(xlite info)
ROOM=$(( $(infof guest_capacity "$I") - $(infof guests_target "$I") ))
R1MIB=$((ROOM + 96))
check "r1's boot target is not free ($R1MIB MiB, $(free_mib) MiB free)" [ "$(free_mib)" -lt "$R1MIB" ]
SUMT=$(targets | awk '{ print $1 + $2 + $3 }')
check "create r1 ($R1MIB MiB)" xlite create "$(tiny r1 $R1MIB)"
check_eq "r1 runs" 1 "$(xl list r1 2>/dev/null | awk 'NR == 2' | wc -l)"
check "the guests were lowered by at least 96 MiB for it ($SUMT -> $(targets)MiB)" \
	[ "$(targets | awk '{ print $1 + $2 + $3 }')" -le $((SUMT - 96)) ]
at_least_min "after making room"
# Even every guest at its minimum leaves less than this boot target.
BIG=$(( $(info guest_capacity) - $(info guests_min) + 100 ))
BEFORE=$(state) TB=$(targets)
check_status "a create of $BIG MiB (minimum 64) is refused (exit 1)" 1 xlite create "$(tiny r2 $BIG 64)"
check_match "the refusal says room cannot be made, with the figures" \
	"not enough free memory for 'r2': its boot target $BIG MiB is not free \\([0-9]+ [KM]iB free\\) and lowering the other guests to their minimums would not make room \\(guests can have [0-9]+ [KM]iB, they would keep [0-9]+ [KM]iB\\)" \
	"$(cat "$LAB_TMP/out")"
check_eq "nothing of it is left" "$BEFORE" "$(state)"
check_eq "no guest was lowered for it" "$TB" "$(targets)"

# ---- two creates at once, one fits ---------------------------------------------------------
phase "two creates"
check "o1, o2, o3 at their minimums" sh -c "xlite mem-set o1 192 && xlite mem-set o2 192 && xlite mem-set o3 192"
if settle 180; then pass "the host settles at the minimums $SETTLED ($(holding))"
else fail "the host settles at the minimums $SETTLED ($(holding))"; fi
I=$(xlite info)
LEFT=$(( $(infof guest_capacity "$I") - $(infof guests_min "$I") ))
M=$(( LEFT * 2 / 3 ))
# Each alone fits (its M is free, no one need be lowered); both do not.
check "either would fit alone: $M MiB of $LEFT left for minimums, $(free_mib) MiB free" \
	[ "$(free_mib)" -ge "$M" ]
BEFORE=$(state)
NDOM=$(xenstore-list /local/domain | wc -l)
xlite create "$(tiny c1 $M)" >"$W/c1.out" 2>&1 &
P1=$!
xlite create "$(tiny c2 $M)" >"$W/c2.out" 2>&1 &
P2=$!
wait $P1; R1=$?
wait $P2; R2=$?
check_eq "exactly one of the two is admitted (exits $R1 $R2)" "0 1" "$(printf '%s\n' $R1 $R2 | sort | tr '\n' ' ' | sed 's/ $//')"
if [ "$R1" = 0 ]; then WIN=c1 LOSE=c2; else WIN=c2 LOSE=c1; fi
check_match "$LOSE is refused with the figures" \
	"not enough free memory for '$LOSE': the guaranteed minimums would not fit: .* \\+ its $M MiB = [0-9]+ MiB, but guests can have [0-9]+ [KM]iB" \
	"$(cat "$W/$LOSE.out")"
check_fails "no domain $LOSE" xl list $LOSE
check "$WIN runs" xl list $WIN
check_eq "one domain more" "$((NDOM + 1))" "$(xenstore-list /local/domain | wc -l)"
check_eq "no loop device, no backend left" "$(echo "$BEFORE" | sed '/^domains\|^vm/d')" \
	"$(state | sed '/^domains\|^vm/d')"

overalloc_end
