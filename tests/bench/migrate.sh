# Benchmark: moving the lab's Linux guest between the two hosts of one
# two-host lab boot (`tests/lab/xlite-lab run --hosts 2
# tests/bench/migrate.sh`), xl against xlite, both over the same transport
# (the lab link: the receiver is `nc -l -e TOOL migrate-receive`, the
# sender `TOOL migrate -s '' NAME '$PIPE HOST PORT'`, dd onto the socket:
# tests/lab/scenarios2/tcp-pipe.bash).
# Figures only:
#   bench migrate pvh live: xl_ms=... xlite_ms=... ratio=... xl_gap_ms=... xlite_gap_ms=... xlite_down_ms=...
#   bench migrate pv cold: xl=fails (...) xlite_ms=... xlite_gap_ms=... xlite_down_ms=...
#   bench save+restore pv: xl_ms=... xlite_ms=... ratio=... xl_save_ms=... xlite_save_ms=... xl_restore_ms=... xlite_restore_ms=...
# Medians of RUNS moves (default 3: host 1 -> 2, 2 -> 1, 1 -> 2).
# ms: the whole move (the migrate command; for save+restore: the save on
# one host, the file through the shared disk, the restore on the other).
# gap_ms: the downtime as the network sees it, the longest time without
# an answer to host 1's pings of the guest (one ping at a time, ~50 ms of
# resolution, up to 1 s more when one is lost). down_ms: xlite's own
# downtime, from the suspend to the target's "running"; xl reports none.
# xl has no cold move: `xl migrate` of a PV guest fails on Debian's Xen
# (no shadow paging: "Failed to enable logdirty"); it is tried once and
# its error printed. Its way to move a PV guest is save+restore.
[ "${LAB_HOSTS:-1}" = 2 ] || { echo "bench: needs the two-host lab (run --hosts 2)"; exit 1; }
# The lab runs a copy of this file: the helpers are in /lab/src.
. /lab/src/tests/bench/bench-lib.sh
[ -x "$TIMEIT" ] || { echo "bench: xlite-timeit not found"; exit 1; }
RUNS=${RUNS:-3} MIB=${MIB:-96} G=${LAB_GUESTS:-/lab/guests} T=/tmp/bench-mig.$$
S=${LAB_SHARED:-/dev/vda}
mkdir -p "$T"
IP=169.254.1.30
PIPE="bash /lab/src/tests/lab/scenarios2/tcp-pipe.bash"
on() { if [ "$1" = 1 ]; then shift; sh -c "$*"; else shift; lab-on 2 "$*"; fi; }
now() { cut -d' ' -f1 /proc/uptime; }
ms_between() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f\n", (b - a) * 1000 }'; }

config() {	# config TOOL KIND: the guest's configuration file
	if [ "$1" = xl ]; then
		cat <<EOF
name = "benchm"
type = "$([ "$2" = pvh ] && echo pvh || echo pv)"
kernel = "$G/vmlinuz"
ramdisk = "$G/initrd.gz"
extra = "console=hvc0 lab.ip=$IP/16"
memory = $MIB
vif = [ "bridge=xlbr0" ]
EOF
	else
		cat <<EOF
<domain type='xen'><name>benchm</name><memory unit='MiB'>$MIB</memory><vcpu>1</vcpu>
<os>$([ "$2" = pvh ] && echo "<type arch='x86_64' machine='xenpvh'>xenpvh</type>" ||
	echo "<type>linux</type>")<kernel>$G/vmlinuz</kernel><initrd>$G/initrd.gz</initrd>
<cmdline>console=hvc0 lab.ip=$IP/16</cmdline></os>
<devices><interface type='bridge'><source bridge='xlbr0'/></interface></devices></domain>
EOF
	fi
}

# The prober: one ping at a time; each answer's time (dom0's uptime).
probe_start() {
	( while :; do ping -c1 -W1 $IP >/dev/null 2>&1 && now; done ) >"$T/probe" 2>/dev/null &
	PROBE=$!
}
probe_stop() { kill $PROBE 2>/dev/null; wait $PROBE 2>/dev/null; }
gap_ms() { awk 'NR > 1 && $1 - p > m { m = $1 - p } { p = $1 } END { printf "%.0f\n", m * 1000 }' "$T/probe"; }
# probe_end FILE: the prober stops 3 s after a move; its longest gap to FILE.
probe_end() { sleep 3; probe_stop; gap_ms >>"$1"; }

boot() {	# boot TOOL KIND: the guest on host 1, answering ping
	config "$1" "$2" >"$T/cfg"
	rm -f /var/log/xen/guest-benchm.log
	$1 create -q "$T/cfg" >/dev/null 2>&1
	n=0
	while ! ping -c1 -W1 $IP >/dev/null 2>&1 && [ $n -lt 600 ]; do n=$((n + 1)); done
	sleep 3	# its xenbus watches are set up by now
}

# listen TOOL HOST: TOOL migrate-receive behind nc on HOST, port 9000 (a
# listener left from before goes first).
listen() {
	on "$2" "[ -f /tmp/bench-nc.pid ] && kill \$(cat /tmp/bench-nc.pid) 2>/dev/null
		nc -l -p 9000 -e $1 migrate-receive </dev/null >/dev/null 2>/tmp/recv.log &
		echo \$! >/tmp/bench-nc.pid"
	n=0
	until on "$2" "cat /proc/net/tcp /proc/net/tcp6 | grep -qE ':2328 0+:0000 0A'" || [ $n -ge 100 ]; do
		sleep 0.2; n=$((n + 1))
	done
}

# moves TOOL KIND: RUNS moves of the booted guest, alternating hosts.
moves() {
	tool=$1 kind=$2
	: >"$T/$tool-$kind-ms"; : >"$T/$tool-$kind-gap"; : >"$T/$tool-$kind-down"
	from=1 i=0
	while [ $i -lt "$RUNS" ]; do
		to=$((3 - from))
		listen "$tool" $to
		probe_start
		case $tool in
		xl) on $from "$TIMEIT -o /tmp/bench-mig.t xl migrate -s '' benchm '$PIPE 169.254.0.$to 9000' \
			>/dev/null 2>&1; cat /tmp/bench-mig.t; rm -f /tmp/bench-mig.t" >>"$T/$tool-$kind-ms" ;;
		xlite) on $from "$TIMEIT -o /tmp/bench-mig.t xlite migrate --json -s '' benchm \
			'$PIPE 169.254.0.$to 9000' 2>/dev/null | \
			sed -n 's/.*\"event\":\"migrated\".*\"ms_down\":\([0-9.]*\).*/\1/p' \
			>/tmp/bench-mig.d; cat /tmp/bench-mig.t; rm -f /tmp/bench-mig.t" >>"$T/$tool-$kind-ms"
			on $from "cat /tmp/bench-mig.d" >>"$T/$tool-$kind-down" ;;
		esac
		probe_end "$T/$tool-$kind-gap"
		from=$to i=$((i + 1))
	done
	FROM=$from
}

# saves TOOL: RUNS cold moves by save on one host, the file through the
# shared disk (from 16 MiB on, raw), restore on the other.
saves() {
	tool=$1 from=$FROM i=0
	: >"$T/$tool-sr-ms"; : >"$T/$tool-sr-gap"; : >"$T/$tool-save"; : >"$T/$tool-restore"
	while [ $i -lt "$RUNS" ]; do
		to=$((3 - from))
		probe_start
		t0=$(now)
		on $from "$TIMEIT -o /tmp/bench-sr.t $tool save benchm /tmp/bench.save >/dev/null 2>&1;
			cat /tmp/bench-sr.t; rm -f /tmp/bench-sr.t" >>"$T/$tool-save"
		len=$(on $from "wc -c </tmp/bench.save; dd if=/tmp/bench.save of=$S bs=1M seek=16 \
			oflag=direct conv=fsync 2>/dev/null; rm -f /tmp/bench.save")
		on $to "dd if=$S bs=1M skip=16 iflag=direct 2>/dev/null | head -c $len >/tmp/bench.save;
			$TIMEIT -o /tmp/bench-sr.t $tool restore /tmp/bench.save >/dev/null 2>&1;
			cat /tmp/bench-sr.t; rm -f /tmp/bench-sr.t /tmp/bench.save" >>"$T/$tool-restore"
		ms_between "$t0" "$(now)" >>"$T/$tool-sr-ms"
		probe_end "$T/$tool-sr-gap"
		from=$to i=$((i + 1))
	done
	FROM=$from
}

gone() { on "$FROM" "$1 destroy benchm" >/dev/null 2>&1; sleep 2; }

boot xl pvh; moves xl pvh; gone xl
boot xlite pvh; moves xlite pvh; gone xlite
boot xl pv
listen xl 2
XL_PV=$(xl migrate -s '' benchm "$PIPE 169.254.0.2 9000" 2>&1 | grep -m1 -o 'Failed to enable logdirty[^(]*' ||
	echo "did not fail as expected")
FROM=1
saves xl; gone xl
boot xlite pv; moves xlite pv; saves xlite; gone xlite

a=$(median "$T/xl-pvh-ms") b=$(median "$T/xlite-pvh-ms")
echo "bench migrate pvh live: xl_ms=$a xlite_ms=$b ratio=$(ratio "$a" "$b")" \
	"xl_gap_ms=$(median_of "$T/xl-pvh-gap") xlite_gap_ms=$(median_of "$T/xlite-pvh-gap")" \
	"xlite_down_ms=$(median_of "$T/xlite-pvh-down") mib=$MIB runs=$RUNS" \
	"failures_xl=$(failures "$T/xl-pvh-ms") failures_xlite=$(failures "$T/xlite-pvh-ms")"
echo "bench migrate pv cold: xl=fails ($XL_PV) xlite_ms=$(median "$T/xlite-pv-ms")" \
	"xlite_gap_ms=$(median_of "$T/xlite-pv-gap") xlite_down_ms=$(median_of "$T/xlite-pv-down")" \
	"mib=$MIB runs=$RUNS failures_xlite=$(failures "$T/xlite-pv-ms")"
a=$(median_of "$T/xl-sr-ms") b=$(median_of "$T/xlite-sr-ms")
echo "bench save+restore pv: xl_ms=$a xlite_ms=$b ratio=$(ratio "$a" "$b")" \
	"xl_gap_ms=$(median_of "$T/xl-sr-gap") xlite_gap_ms=$(median_of "$T/xlite-sr-gap")" \
	"xl_save_ms=$(median "$T/xl-save") xlite_save_ms=$(median "$T/xlite-save")" \
	"xl_restore_ms=$(median "$T/xl-restore") xlite_restore_ms=$(median "$T/xlite-restore")" \
	"mib=$MIB runs=$RUNS failures_xl=$(($(failures "$T/xl-save") + $(failures "$T/xl-restore")))" \
	"failures_xlite=$(($(failures "$T/xlite-save") + $(failures "$T/xlite-restore")))"
rm -rf "$T"
exit 0
