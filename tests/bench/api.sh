# Benchmark: xlited's API and events with many domains, against xl's
# per-domain monitors (`XLITE_LAB_FILE_TIMEOUT=1200 tests/lab/xlite-lab run
# tests/bench/api.sh`; about 10-15 min on a loaded 2-core host).
# Figures only, no assertion about time:
#   bench api xlited idle: rss_kb=... (no guest)
#   bench api xlited 20 domains: rss_kb=... idle_cpu_pct=... (over S s)
#   bench api GET /api/v1/domains (51 domains): p50_ms=... p99_ms=... (N on one connection)
#   bench api GET /api/v1/domains new connections: p50_ms=... p99_ms=...
#   bench api xlite list --json (51 domains, the CLI: one xenstore read after another): p50_ms=...
#   bench api event delay destroy (watch): p50_ms=... p99_ms=... (n)
#   bench api event delay unpause (poll): p50_ms=... p99_ms=... (n)
#   bench api xl 20 monitors: rss_kb_sum=... per_monitor_kb=... against xlited's rss_kb
# Guests: the lab's smallest (grub, 16 MiB), created paused so that fifty
# of them do not spin at their prompts on the lab's two emulated CPUs.
# Lines starting "# bench api:" are progress.
#
# Before the list read every domain's nodes in one pipelined burst
# (xlited/prefetch.c), one run on 2026-11-30 (load average 15-17) gave for
# GET /api/v1/domains with 51 domains p50 4.9 s, p99 20.8 s on one
# connection (each domain ~8 xenstore round trips in series), and that
# run was stopped after 14 min before its event and xl figures.
#
# Measured on 2026-11-30 in the lab (Xen 4.17 under QEMU TCG, a 2-core host
# shared by four labs, host load average 7-10), one run each, 51 domains:
#   pipelined reads only (commit 86ba36b), 560 s in all:
#     GET /api/v1/domains p50 1712 ms, p99 5521 ms (50 on one connection);
#     new connections p50 3828 ms, p99 8810 ms; by name p50 1603 ms;
#     xlite list --json (serial reads, same boot) p50 3140 ms;
#     event delay destroy p50 1190 ms, p99 1910 ms; unpause p50 1700 ms,
#     p99 3630 ms (n=10 each); xlited RSS 13984 kB with 20 domains, idle CPU
#     7.67 %; xl's 20 monitors 50792 kB summed (2550 kB each).
#   with the node cache too (commit a90cf1c), 715 s in all:
#     GET /api/v1/domains p50 167 ms, p99 4210 ms (50 on one connection);
#     new connections p50 2778 ms, p99 8324 ms (a TLS handshake each);
#     by name p50 2108 ms, p99 5627 ms (new connection each);
#     xlite list --json (serial reads, same boot) p50 4670 ms;
#     event delay destroy p50 590 ms, p99 3550 ms; unpause (2 s poll) p50
#     1950 ms, p99 3050 ms (n=10 each); xlited RSS 11420 kB idle, 14004 kB
#     with 20 domains, idle CPU 5.40 % of one CPU over 30 s; xl's 20
#     monitors 50648 kB summed (2522 kB each), 3.6x xlited's.
#   The same boot's 90-xlited.sh: GET with 2 domains p50 16.8 ms.
N_LIST=${N_LIST:-50}
N_IDLE=${N_IDLE:-20}
REQS=${REQS:-50}
IDLE_S=${IDLE_S:-30}
ROUNDS=${ROUNDS:-10}
G=${LAB_GUESTS:-/lab/guests}
T=/tmp/bench-api.$$
ST=/var/lib/xlite
CERT=$ST/xlited-cert.pem
URL=https://127.0.0.1:8443
mkdir -p "$T"
BENCH_LIB=$(dirname "$0")/bench-lib.sh
[ -f "$BENCH_LIB" ] || BENCH_LIB=/lab/src/tests/bench/bench-lib.sh
. "$BENCH_LIB"

# uptime in ms (10 ms steps: busybox's date has no %N)
up_ms() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }
T_START=$(up_ms)
# progress WHAT: a "# bench api:" line with the seconds since the start
progress() { echo "# bench api: $* (at $((($(up_ms) - T_START) / 1000)) s)"; }
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null; }
# CPU ticks (utime + stime, 1/100 s) of PID
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
# pct FILE P: the P-th percentile of FILE's numbers (nearest rank)
pct() { sort -n "$1" | awk -v p="$2" '{ v[NR] = $1 } END { if (!NR) { print "NA"; exit }
	r = int((p * NR + 99) / 100); if (r < 1) r = 1; printf "%.1f\n", v[r] }'; }
tiny_xml() {
	printf "<domain type='xen'><name>%s</name><memory unit='MiB'>16</memory><vcpu>1</vcpu>" "$1"
	printf "<os><type>xen</type><kernel>%s/tiny.bin</kernel></os></domain>\n" "$G"
}
# make_doms FROM TO: xlite creates ba<FROM>..ba<TO>, paused
make_doms() {
	_i=$1 _t0=$(up_ms)
	while [ "$_i" -le "$2" ]; do
		tiny_xml "ba$_i" >"$T/ba$_i.xml"
		xlite create -p -q "$T/ba$_i.xml" >"$T/create.err" 2>&1 ||
			{ echo "# bench: create ba$_i failed:"; sed 's/^/#   /' "$T/create.err"; }
		[ $((_i % 10)) -eq 0 ] && progress "ba$_i created"
		_i=$((_i + 1))
	done
	progress "ba$1..ba$2 created (paused) in $(($(up_ms) - _t0)) ms"
}

echo "# bench api: $(cat /proc/loadavg) (dom0's load average at the start)"
rm -rf "$ST"
xlited --foreground >"$T/xlited.log" 2>&1 &
XPID=$!
i=0
while ! curl -s --cacert "$CERT" -o /dev/null "$URL/metrics" 2>/dev/null; do
	i=$((i + 1)); [ "$i" -gt 150 ] && { echo "# bench: xlited did not start"; cat "$T/xlited.log"; exit 1; }
	sleep 0.2
done
TOKEN=$(cat "$ST/api-token")
sleep 2
echo "bench api xlited idle: rss_kb=$(rss_kb $XPID) (no guest)"

# ---- xlited with N_IDLE domains: RSS, and CPU while nothing happens -------------
make_doms 1 "$N_IDLE"
# adopted by the daemon, sampled once or twice
sleep 12
t0=$(ticks $XPID)
sleep "$IDLE_S"
t1=$(ticks $XPID)
echo "bench api xlited $N_IDLE domains: rss_kb=$(rss_kb $XPID)" \
	"idle_cpu_pct=$(awk -v t="$((t1 - t0))" -v s="$IDLE_S" 'BEGIN { printf "%.2f", t / s }')" \
	"(over $IDLE_S s: its sampler every 5 s, the state poll every 2 s)"

# ---- the list of N_LIST domains -----------------------------------------------------
XRSS=$(rss_kb $XPID)
make_doms $((N_IDLE + 1)) "$N_LIST"
ndom=$(xlite list | tail -n +2 | wc -l)
progress "GET /api/v1/domains x $REQS on one connection ($ndom domains)"
t0=$(up_ms)
set --
while [ $# -lt "$REQS" ]; do set -- "$@" "$URL/api/v1/domains"; done
curl -s --cacert "$CERT" -H "Authorization: Bearer $TOKEN" -w '%{stderr}%{time_total}\n' "$@" \
	2>"$T/one" >/dev/null
awk '{ printf "%.3f\n", $1 * 1000 }' "$T/one" >"$T/one.ms"
echo "bench api GET /api/v1/domains ($ndom domains): p50_ms=$(pct "$T/one.ms" 50)" \
	"p99_ms=$(pct "$T/one.ms" 99) ($(wc -l <"$T/one.ms") on one HTTPS connection," \
	"$(($(up_ms) - t0)) ms in all; before the one-burst read: p50 4.9 s, p99 20.8 s with 51)"
# the answer is whole: every domain there, each with its memory figures
curl -s --cacert "$CERT" -H "Authorization: Bearer $TOKEN" "$URL/api/v1/domains" >"$T/list.json"
echo "# bench api: the last list: $(grep -o '"domid"' "$T/list.json" | wc -l) domains," \
	"$(grep -o '"target_kib"' "$T/list.json" | wc -l) with memory figures"
: >"$T/new.ms"
i=0
while [ "$i" -lt 20 ]; do
	curl -s --cacert "$CERT" -H "Authorization: Bearer $TOKEN" -o /dev/null \
		-w '%{time_total}\n' "$URL/api/v1/domains" | awk '{ printf "%.3f\n", $1 * 1000 }' >>"$T/new.ms"
	i=$((i + 1))
done
echo "bench api GET /api/v1/domains new connections: p50_ms=$(pct "$T/new.ms" 50)" \
	"p99_ms=$(pct "$T/new.ms" 99) (20, TLS handshake each)"
: >"$T/one-dom.ms"
i=0
while [ "$i" -lt 20 ]; do
	curl -s --cacert "$CERT" -H "Authorization: Bearer $TOKEN" -o /dev/null \
		-w '%{time_total}\n' "$URL/api/v1/domains/ba$N_LIST" |
		awk '{ printf "%.3f\n", $1 * 1000 }' >>"$T/one-dom.ms"
	i=$((i + 1))
done
echo "bench api GET /api/v1/domains/ba$N_LIST (by name, $ndom domains): p50_ms=$(pct "$T/one-dom.ms" 50)" \
	"p99_ms=$(pct "$T/one-dom.ms" 99) (20, new connection each)"
# the CLI, same host, same boot: it reads each domain's nodes one after another
: >"$T/cli.ms"
i=0
while [ "$i" -lt 5 ]; do
	_t0=$(up_ms)
	xlite list --json >/dev/null 2>&1
	echo "$(($(up_ms) - _t0))" >>"$T/cli.ms"
	i=$((i + 1))
done
echo "bench api xlite list --json ($ndom domains, one xenstore read after another):" \
	"p50_ms=$(pct "$T/cli.ms" 50) max_ms=$(pct "$T/cli.ms" 100) (5)"

# ---- event delay: a state change to the SSE client's read --------------------------
progress "event delay, $ROUNDS destroys and $ROUNDS unpauses"
# awk stamps each event line as it reads it (the samples' big lines skipped)
curl -sN --cacert "$CERT" -H "Authorization: Bearer $TOKEN" "$URL/api/v1/events" |
	awk '/^data:/ && /"type":"/ { getline u < "/proc/uptime"; close("/proc/uptime")
		split(u, a, " "); printf "%d %s\n", a[1] * 1000, $0; fflush() }' >"$T/events" &
sleep 2
: >"$T/pause.ms"
: >"$T/destroy.ms"
# event_delay FILE KIND NAME CMD...: the ms from just before CMD to KIND's
# event of NAME in the stream, appended to FILE
event_delay() {
	_f=$1 _k=$2 _n=$3
	shift 3
	_t0=$(up_ms)
	"$@" >/dev/null 2>&1
	_i=0
	while ! grep -q "\"type\":\"$_k\",\"name\":\"$_n\"" "$T/events"; do
		_i=$((_i + 1)); [ "$_i" -gt 500 ] && { echo "# bench: no $_k event for $_n"; return; }
		sleep 0.02
	done
	_t1=$(grep "\"type\":\"$_k\",\"name\":\"$_n\"" "$T/events" | head -1 | cut -d' ' -f1)
	echo "$((_t1 - _t0))" >>"$_f"
}
i=1
while [ "$i" -le "$ROUNDS" ]; do
	event_delay "$T/destroy.ms" destroyed "ba$i" xlite destroy "ba$i"
	event_delay "$T/pause.ms" unpaused "ba$((i + ROUNDS))" xlite unpause "ba$((i + ROUNDS))"
	xlite pause "ba$((i + ROUNDS))" >/dev/null 2>&1
	i=$((i + 1))
done
echo "bench api event delay destroy (@releaseDomain watch): p50_ms=$(pct "$T/destroy.ms" 50)" \
	"p99_ms=$(pct "$T/destroy.ms" 99) (n=$(wc -l <"$T/destroy.ms"), from the start of xlite destroy)"
echo "bench api event delay unpause (2 s poll): p50_ms=$(pct "$T/pause.ms" 50)" \
	"p99_ms=$(pct "$T/pause.ms" 99) (n=$(wc -l <"$T/pause.ms"), from the start of xlite unpause)"

# ---- the same host without the daemon: xl's monitors --------------------------------
progress "destroying the ba domains, stopping xlited"
for d in $(xlite list | awk 'NR > 1 && $1 ~ /^ba[0-9]+$/ { print $1 }'); do
	xlite destroy "$d" >/dev/null 2>&1
done
kill "$XPID" 2>/dev/null
wait "$XPID" 2>/dev/null
progress "xl create -p of bx1..bx$N_IDLE"
i=1
while [ "$i" -le "$N_IDLE" ]; do
	printf 'name = "bx%d"\nkernel = "%s/tiny.bin"\nmemory = 16\n' "$i" "$G" >"$T/bx$i.cfg"
	xl create -p -q "$T/bx$i.cfg" >/dev/null 2>&1 || echo "# bench: xl create bx$i failed"
	i=$((i + 1))
done
sleep 2
# xl's monitors: the xl processes left, one a domain
: >"$T/xl.rss"
for p in /proc/[0-9]*; do
	[ "$(cat "$p/comm" 2>/dev/null)" = xl ] && rss_kb "${p#/proc/}" >>"$T/xl.rss"
done
echo "bench api xl $N_IDLE monitors: rss_kb_sum=$(awk '{ s += $1 } END { print s + 0 }' "$T/xl.rss")" \
	"monitors=$(wc -l <"$T/xl.rss") per_monitor_kb=$(median_of "$T/xl.rss")" \
	"(xlited with $N_IDLE domains: rss_kb=$XRSS)"
progress "xl destroy of bx1..bx$N_IDLE"
i=1
while [ "$i" -le "$N_IDLE" ]; do xl destroy "bx$i" >/dev/null 2>&1; i=$((i + 1)); done
progress "done; $(cat /proc/loadavg) (dom0's load average at the end)"
rm -rf "$T"
