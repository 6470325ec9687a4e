#!/bin/bash
# Runs libFuzzer targets built by tests/fuzz/build.sh for a bounded time,
# each from its seed corpus (tests/fuzz/corpus/TARGET) into a scratch
# corpus, and prints one line per target: "ok - fuzz TARGET: ..." with
# libFuzzer's last status line, or "not ok - fuzz TARGET: ..." (a crash,
# a leak, a timeout, an invariant broken: the reproducer is kept in
# OUTDIR/artifacts/). Exit status 1 if any target failed.
#
# Usage: tests/fuzz/run.sh [-t SECONDS] [-o OUTDIR] [TARGET...]
#   SECONDS  per target (default 20); OUTDIR as for build.sh (build/fuzz)
#   TARGET   domain-xml xs-wire pvd-ring pvd-xenbus save-file (default: all)
set -uo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
SECS=20
OUT=$TOP/build/fuzz
while getopts t:o: opt; do
	case $opt in
	t) SECS=$OPTARG ;;
	o) OUT=$OPTARG ;;
	*) echo "usage: $0 [-t SECONDS] [-o OUTDIR] [TARGET...]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
targets=${*:-domain-xml xs-wire pvd-ring pvd-xenbus save-file}

# Per-target options: input size bound, dictionary.
opts() {
	case $1 in
	domain-xml) echo "-max_len=8192 -dict=$TOP/tests/fuzz/domain-xml.dict" ;;
	xs-wire) echo "-max_len=4096" ;;
	save-file) echo "-max_len=16384" ;;
	*) echo "-max_len=2048" ;;
	esac
}

mkdir -p "$OUT/artifacts" "$OUT/logs"
# fuzz_one TARGET: one target for SECS seconds; its ok/not ok line on stdout.
fuzz_one() {
	local t=$1 bin=$OUT/fuzz-$1 log=$OUT/logs/$1.log work r last
	if [ ! -x "$bin" ]; then
		echo "not ok - fuzz $t: $bin not built (tests/fuzz/build.sh)"
		return
	fi
	work=$(mktemp -d "$OUT/corpus-$t.XXXXXX")
	# shellcheck disable=SC2046
	"$bin" -max_total_time="$SECS" -timeout=10 -rss_limit_mb=2048 $(opts "$t") \
		-print_final_stats=1 -artifact_prefix="$OUT/artifacts/$t-" \
		"$work" "$TOP/tests/fuzz/corpus/$t" >"$log" 2>&1
	r=$?
	last=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
	if [ "$r" = 0 ]; then
		echo "ok - fuzz $t: $SECS s, $last"
	else
		echo "not ok - fuzz $t (exit $r): $(grep -E 'ERROR|SUMMARY|abort|failed' "$log" | head -n 3 | tr '\n' ' ') (log $log)"
	fi
	rm -rf "$work"
}

# As many targets at once as there are CPUs (each is one process); the
# lines come out in the targets' order.
jobs_max=$(nproc 2>/dev/null || echo 1)
for t in $targets; do
	while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do wait -n; done
	fuzz_one "$t" >"$OUT/logs/$t.result" &
done
wait
rc=0
for t in $targets; do
	cat "$OUT/logs/$t.result"
	grep -q '^not ok' "$OUT/logs/$t.result" && rc=1
done
exit $rc
