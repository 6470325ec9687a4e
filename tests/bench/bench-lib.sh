# Helpers the benchmarks share (sourced; busybox ash in the lab's dom0).
# Figures only: nothing here asserts anything about time.

# xlite-timeit, the benchmarks' timer (installed by a test-hooks build).
TIMEIT=/usr/libexec/xlite/xlite-timeit
[ -x "$TIMEIT" ] || TIMEIT=$(command -v xlite-timeit)

# median_of FILE: the median of the numbers in FILE, one a line (NA: none).
median_of() {
	sort -n "$1" | awk '{ v[NR] = $1 } END { if (NR == 0) { print "NA"; exit }
		if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# median FILE: the median of the ms= figures xlite-timeit wrote to FILE.
median() {
	sed -n 's/^ms=\([0-9.]*\) .*/\1/p' "$1" >"$1.ms"
	median_of "$1.ms"
	rm -f "$1.ms"
}
# failures FILE: the timed commands that did not exit 0.
failures() { grep -vc 'status=0$' "$1"; }
# ratio A B: A / B to a tenth, NA when either is not there.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0 && a != "NA" && b != "NA") printf "%.1f", a / b; else print "NA" }'; }
