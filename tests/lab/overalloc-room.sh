# Not in tests/run-all: issue 10's
# (On its own, right after the host's setup, every check below passed in the
# lab on 2026-11-30; appended to 77 after its balancer phases it failed two
# checks in a CI run, so it went back out of the default run. What that run
# shows: after the fall, the guests' targets were 221 331 234 MiB while o2
# and o3 were still giving back the memory of their 400 MiB fills; free
# memory was 258 MiB when read, the mem-sets raised o2 and o3 to 330 MiB
# (about what they still held), and free memory then rose to 318 MiB as
# their balloons went on shrinking: so "their balloons took the free
# memory" failed, and r1 fitted without anyone lowered. The arithmetic below
# assumes a settled host (each guest's actual = its target). To append it
# to 77: set o1..o3 to one target and wait for `settled` before reading F.)
# admission with room-making, on 77-overalloc.sh's host (three guests
# over-allocated, a ballast):
#   - create makes room: a boot target that is not free is taken from
#     guests lowered toward their minimums; refused (nothing changed) when
#     even every guest at its minimum would not make room;
#   - two creates at once whose minimums fit one at a time: exactly one is
#     admitted, the other refused with the figures, nothing of it left.
#   XLITE_LAB_FILE_TIMEOUT=2400 tests/lab/xlite-lab run tests/lab/overalloc-room.sh
. "$(dirname "$0")/lib.sh"
. /lab/src/tests/lab/scenarios/overalloc.inc

# ---- create makes room by lowering others toward their minimums -----------------------------
# (balancer stopped) o2 and o3 take what is free but ~40 MiB; a guest of
# 200 MiB then needs them lowered.
F=$(free_mib)
UP=$(( (F - 40) / 2 ))
[ $UP -lt 32 ] && UP=32
check "mem-set o2 and o3 up by $UP MiB each" sh -c \
	"xlite mem-set o2 $(( $(target o2) + UP )) && xlite mem-set o3 $(( $(target o3) + UP ))"
T2=$(target o2) T3=$(target o3)
full() { [ "$(free_mib)" -lt 120 ] 2>/dev/null; }
if wait_for 60 full; then pass "their balloons took the free memory ($(free_mib) MiB free)"; else
	fail "their balloons took the free memory (still $(free_mib) MiB free)"; fi
check "create r1 (200 MiB) with $(free_mib) MiB free" xlite create "$(tiny r1 200)"
check_eq "r1 runs" 1 "$(xl list r1 2>/dev/null | awk 'NR == 2' | wc -l)"
check "o2 and o3 were lowered for it ($T2 $T3 -> $(target o2) $(target o3) MiB)" sh -c \
	"[ $(target o2) -lt $T2 ] && [ $(target o3) -lt $T3 ]"
at_least_min "after making room"
# Even every guest at its minimum leaves less than this boot target.
MINS=$(info guests_min)
BIG=$(( $(info guest_capacity) - MINS + 100 ))
BEFORE=$(state) TB=$(targets)
check_status "a create of $BIG MiB (minimum 64) is refused (exit 1)" 1 xlite create "$(tiny r2 $BIG 64)"
check_match "the refusal says room cannot be made, with the figures" \
	"not enough free memory for 'r2': its boot target $BIG MiB is not free \\([0-9]+ [KM]iB free\\) and lowering the other guests to their minimums would not make room \\(guests can have [0-9]+ [KM]iB, they would keep [0-9]+ [KM]iB\\)" \
	"$(cat "$LAB_TMP/out")"
check_eq "nothing of it is left" "$BEFORE" "$(state)"
check_eq "no guest was lowered for it" "$TB" "$(targets)"

# ---- two creates at once, one fits ---------------------------------------------------------------
check "o1, o2, o3 at their minimums" sh -c "xlite mem-set o1 192 && xlite mem-set o2 192 && xlite mem-set o3 192"
settled() { [ "$(info guests_actual)" -le $(( $(info guests_target) + 8 )) ] 2>/dev/null; }
wait_for 60 settled
LEFT=$(($(info guest_capacity) - $(info guests_min)))
M=$(( LEFT * 2 / 3 ))
echo "# $LEFT MiB left for minimums, $(free_mib) MiB free: two creates of $M MiB"
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
