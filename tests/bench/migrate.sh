# Benchmark: migration of the lab's Linux guest between the two hosts of
# one two-host lab boot (`tests/lab/xlite-lab run --hosts 2
# tests/bench/migrate.sh`), xl against xlite, both over ssh (dbclient, the
# lab's keys). Figures only:
#   bench migrate pvh live: xl_ms=... xlite_ms=... ratio=... xl_gap_ms=... xlite_gap_ms=... xlite_down_ms=...
#   bench migrate pv cold: xlite_ms=... xlite_gap_ms=... xlite_down_ms=...
# ms: the whole command (median of RUNS moves, default 3: host 1 -> 2,
# 2 -> 1, 1 -> 2). gap_ms: the downtime as the network sees it, the
# longest time without an answer to dom0's pings of the guest (host 1
# pings it on either host: one ping at a time, so ~50 ms of resolution,
# and up to 1 s more when one is lost). down_ms: xlite's own downtime,
# from the suspend to the target's "running". xl reports no downtime.
# The PV guest has no xl figure: Debian's Xen has no shadow paging, and xl
# migrate has no cold mode (it fails with "Failed to enable logdirty: 95").
[ "${LAB_HOSTS:-1}" = 2 ] || { echo "bench: needs the two-host lab (run --hosts 2)"; exit 1; }
# The lab runs a copy of this file: the helpers are in /lab/src.
. /lab/src/tests/bench/bench-lib.sh
[ -x "$TIMEIT" ] || { echo "bench: xlite-timeit not found"; exit 1; }
RUNS=${RUNS:-3} G=${LAB_GUESTS:-/lab/guests} T=/tmp/bench-mig.$$
mkdir -p "$T"

SSH="dbclient -i /lab/ssh/id_client"
mkdir -p "$HOME/.ssh" && cp /lab/ssh/known_hosts "$HOME/.ssh/known_hosts"
lab-on 2 'mkdir -p $HOME/.ssh && cp /lab/ssh/known_hosts $HOME/.ssh/known_hosts'
IP=169.254.1.30
on() { if [ "$1" = 1 ]; then shift; sh -c "$*"; else shift; lab-on 2 "$*"; fi; }

config() {	# config TOOL KIND: the guest's configuration file
	if [ "$1" = xl ]; then
		cat <<EOF
name = "benchm"
type = "$([ "$2" = pvh ] && echo pvh || echo pv)"
kernel = "$G/vmlinuz"
ramdisk = "$G/initrd.gz"
extra = "console=hvc0 lab.ip=$IP/16"
memory = 128
vif = [ "bridge=xlbr0" ]
EOF
	else
		cat <<EOF
<domain type='xen'><name>benchm</name><memory unit='MiB'>128</memory><vcpu>1</vcpu>
<os>$([ "$2" = pvh ] && echo "<type arch='x86_64' machine='xenpvh'>xenpvh</type>" ||
	echo "<type>linux</type>")<kernel>$G/vmlinuz</kernel><initrd>$G/initrd.gz</initrd>
<cmdline>console=hvc0 lab.ip=$IP/16</cmdline></os>
<devices><interface type='bridge'><source bridge='xlbr0'/></interface></devices></domain>
EOF
	fi
}

# The prober: one ping at a time; each answer's time (dom0's uptime).
probe_start() {
	( while :; do ping -c1 -W1 $IP >/dev/null 2>&1 && cut -d' ' -f1 /proc/uptime; done ) \
		>"$T/probe" 2>/dev/null &
	PROBE=$!
}
probe_stop() { kill $PROBE 2>/dev/null; wait $PROBE 2>/dev/null; }
gap_ms() { awk 'NR > 1 && $1 - p > m { m = $1 - p } { p = $1 } END { printf "%.0f\n", m * 1000 }' "$T/probe"; }

# run TOOL KIND: boot the guest on host 1, then RUNS moves, alternating.
run() {
	tool=$1 kind=$2
	: >"$T/$tool-$kind-ms"; : >"$T/$tool-$kind-gap"; : >"$T/$tool-$kind-down"
	config "$tool" "$kind" >"$T/cfg"
	rm -f /var/log/xen/guest-benchm.log
	case $tool in
	xl) xl create -q "$T/cfg" >/dev/null 2>&1 ;;
	xlite) xlite create -q "$T/cfg" >/dev/null 2>&1 ;;
	esac
	n=0
	while ! ping -c1 -W1 $IP >/dev/null 2>&1 && [ $n -lt 300 ]; do n=$((n + 1)); done
	sleep 3	# its xenbus watches are set up by now
	from=1 i=0
	while [ $i -lt "$RUNS" ]; do
		to=$((3 - from))
		probe_start
		case $tool in
		xl) on $from "$TIMEIT -o /tmp/bench-mig.t xl migrate -s '$SSH' benchm root@169.254.0.$to \
			>/dev/null 2>&1; cat /tmp/bench-mig.t; rm -f /tmp/bench-mig.t" >>"$T/$tool-$kind-ms" ;;
		xlite) on $from "$TIMEIT -o /tmp/bench-mig.t xlite migrate --json -s '$SSH' benchm \
			root@169.254.0.$to 2>/dev/null | sed -n 's/.*\"event\":\"migrated\".*\"ms_down\":\([0-9.]*\).*/\1/p' \
			>/tmp/bench-mig.d; cat /tmp/bench-mig.t; rm -f /tmp/bench-mig.t" >>"$T/$tool-$kind-ms"
			on $from "cat /tmp/bench-mig.d" >>"$T/$tool-$kind-down" ;;
		esac
		sleep 3
		probe_stop
		gap_ms >>"$T/$tool-$kind-gap"
		from=$to i=$((i + 1))
	done
	on $from "$tool destroy benchm" >/dev/null 2>&1
	sleep 2
}

run xl pvh
run xlite pvh
run xlite pv
a=$(median "$T/xl-pvh-ms") b=$(median "$T/xlite-pvh-ms")
echo "bench migrate pvh live: xl_ms=$a xlite_ms=$b ratio=$(ratio "$a" "$b")" \
	"xl_gap_ms=$(median_of "$T/xl-pvh-gap") xlite_gap_ms=$(median_of "$T/xlite-pvh-gap")" \
	"xlite_down_ms=$(median_of "$T/xlite-pvh-down") runs=$RUNS" \
	"failures_xl=$(failures "$T/xl-pvh-ms") failures_xlite=$(failures "$T/xlite-pvh-ms")"
echo "bench migrate pv cold: xlite_ms=$(median "$T/xlite-pv-ms")" \
	"xlite_gap_ms=$(median_of "$T/xlite-pv-gap") xlite_down_ms=$(median_of "$T/xlite-pv-down")" \
	"runs=$RUNS failures_xlite=$(failures "$T/xlite-pv-ms")"
rm -rf "$T"
exit 0
