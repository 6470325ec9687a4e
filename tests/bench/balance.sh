# Benchmark: how fast the memory balancer answers a guest's demand, on the
# lab's real Xen (`tests/lab/xlite-lab run tests/bench/balance.sh`), and one
# pass of its policy over 1,000 simulated domains (tests/bench/balance-pass,
# in dom0). Prints figures only, asserts nothing about time:
#   bench balance reaction: runs=5 fill_mib=192 interval_s=1 request_to_target_s=...
#   bench balance-pass: domains=1000 ... contended_us=... steady_us=...
# One Linux guest (max 1024, target 256, min 192 MiB) runs the guest agent
# (a report a second) and `xlite balance --watch --interval 1` runs in dom0,
# with 256 MiB of headroom so the guest can fill FILL MiB of tmpfs at once.
# Each of RUNS rounds (default 5): dom0 asks the guest to fill FILL MiB
# (request), the guest has filled it (filled), the target has grown by it
# (target), the guest's own MemTotal has (memtotal); then dom0 asks it to
# free it and the target falls back (fallback). Medians over the rounds of
# request->target, filled->target, filled->memtotal, free->fallback, from
# dom0's /proc/uptime (0.01 s), polled every 0.1 s.
. "$(dirname "$0")/lib.sh"	# xlite-lab puts scenarios/lib.sh beside each FILE

RUNS=${RUNS:-5}
FILL=${FILL:-192}
N=benchbal
W=/tmp/bench-bal
mkdir -p "$W"
memory_conf 256M 1G 8M 1

now() { cut -d' ' -f1 /proc/uptime; }
gval() { tr -d '\r' <"/var/log/xen/guest-$N.log" 2>/dev/null | sed -n "s/^BAL $1=//p" | tail -1; }
target() { echo $(($(xenstore-read /local/domain/$D/memory/target) / 1024)); }
# until_ok SECONDS CMD...: poll CMD every 0.1 s; then the uptime (or "" on timeout).
until_ok() {
	_n=$(($1 * 10)); shift
	while [ $_n -gt 0 ]; do
		"$@" >/dev/null 2>&1 && { now; return 0; }
		sleep 0.1; _n=$((_n - 1))
	done
	echo ""
	return 1
}
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) printf "%.2f", v[int((NR + 1) / 2)]; else print "none" }'; }
diff_s() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "") exit 1; printf "%.2f\n", b - a }'; }

fill_guest_xml "$W/g.xml" $N 1024 256 192
rm -f "/var/log/xen/guest-$N.log"
xlite create "$W/g.xml" >/dev/null || { echo "bench balance: create failed"; exit 1; }
D=$(xlite list $N 2>/dev/null | awk 'NR == 2 { print $2 }')
until_ok 240 xenstore-read /local/domain/$D/data/meminfo_seq >/dev/null ||
	{ echo "bench balance: the guest's agent never reported"; xlite destroy $N; exit 1; }
xlite balance --watch --interval 1 >"$W/balance.log" 2>&1 &
BPID=$!

: >"$W/req" ; : >"$W/filled" ; : >"$W/mem" ; : >"$W/back"
r=0
while [ $r -lt "$RUNS" ]; do
	r=$((r + 1))
	# steady: nothing filled, the target settled (two reads 3 s apart agree)
	until_ok 60 sh -c "[ \"\$(tr -d '\\r' </var/log/xen/guest-$N.log | sed -n 's/^BAL filled=//p' | tail -1)\" = 0 ]" >/dev/null
	b0=$(target); sleep 3; k=0
	while [ "$(target)" != "$b0" ] && [ $k -lt 10 ]; do b0=$(target); sleep 3; k=$((k + 1)); done
	m0=$(gval mem)
	t0=$(now)
	xenstore-write /local/domain/$D/data/fill "$FILL"
	t1=$(until_ok 120 sh -c "[ \"\$(tr -d '\\r' </var/log/xen/guest-$N.log | sed -n 's/^BAL filled=//p' | tail -1)\" = $FILL ]")
	t2=$(until_ok 120 sh -c "[ \$((\$(xenstore-read /local/domain/$D/memory/target) / 1024)) -ge $((b0 + FILL - 16)) ]")
	t3=$(until_ok 120 sh -c "[ \"\$(tr -d '\\r' </var/log/xen/guest-$N.log | sed -n 's/^BAL mem=//p' | tail -1)\" -ge $((m0 + (FILL - 16) * 1024)) ]")
	grown=$(target)
	t4=$(now)
	xenstore-write /local/domain/$D/data/fill 0
	t5=$(until_ok 120 sh -c "[ \$((\$(xenstore-read /local/domain/$D/memory/target) / 1024)) -le $((b0 + 8)) ]")
	echo "# round $r: target $b0 -> $grown MiB; request->target $(diff_s "$t0" "$t2") s," \
		"filled->target $(diff_s "$t1" "$t2") s, filled->memtotal $(diff_s "$t1" "$t3") s," \
		"free->fallback $(diff_s "$t4" "$t5") s"
	diff_s "$t0" "$t2" >>"$W/req"
	diff_s "$t1" "$t2" >>"$W/filled"
	diff_s "$t1" "$t3" >>"$W/mem"
	diff_s "$t4" "$t5" >>"$W/back"
done
kill $BPID 2>/dev/null
wait $BPID 2>/dev/null
echo "bench balance reaction: runs=$RUNS fill_mib=$FILL interval_s=1" \
	"request_to_target_s=$(median <"$W/req") filled_to_target_s=$(median <"$W/filled")" \
	"filled_to_memtotal_s=$(median <"$W/mem") free_to_fallback_s=$(median <"$W/back")"
xlite destroy $N >/dev/null

PASS=/usr/libexec/xlite/balance-pass
[ -x "$PASS" ] || PASS=$(command -v balance-pass)
if [ -x "$PASS" ]; then "$PASS"; else echo "bench balance-pass: not installed"; fi

memory_conf_restore
rm -rf "$W"
finish
