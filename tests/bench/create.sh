# Benchmark: create and destroy with xl and with xlite, for the tiny grub
# guest and the Linux guest, on the lab's real Xen (run it with
# `tests/lab/xlite-lab run tests/bench/create.sh`). Prints figures only:
#   bench create tiny: xl_ms=... xlite_ms=... ratio=...
# Medians over RUNS creates (default 10), after one untimed warm-up each
# (which also fills xlite's kernel cache; the cold create is printed too).
# xenstore requests per create come from xenstored's own trace
# (xenstore-control log on): every request of the connections opened while
# the command ran (the toolstack, its monitor), not xenconsoled's or the
# kernel's. Peak RSS from wait4 (the create process) and VmHWM (monitors).
RUNS=${RUNS:-10}
G=${LAB_GUESTS:-/lab/guests}
T=/tmp/bench.$$
mkdir -p "$T"
# The lab runs a copy of this file from /lab/run: the helpers stay in /lab/src.
BENCH_LIB=$(dirname "$0")/bench-lib.sh
[ -f "$BENCH_LIB" ] || BENCH_LIB=/lab/src/tests/bench/bench-lib.sh
. "$BENCH_LIB"
[ -x "$TIMEIT" ] || { echo "bench: xlite-timeit not found"; exit 1; }

# ---- guests, one config per toolstack ---------------------------------------
cat >"$T/tiny.cfg" <<EOF
name = "benchtiny"
kernel = "$G/tiny.bin"
memory = 16
on_reboot = "destroy"
EOF
cat >"$T/linux.cfg" <<EOF
name = "benchlinux"
kernel = "$G/vmlinuz"
ramdisk = "$G/initrd.gz"
extra = "console=hvc0"
memory = 160
EOF
cat >"$T/tiny.xml" <<EOF
<domain type='xen'><name>benchtiny</name><memory unit='MiB'>16</memory><vcpu>1</vcpu>
<os><type>xen</type><kernel>$G/tiny.bin</kernel></os>
<on_reboot>destroy</on_reboot></domain>
EOF
cat >"$T/linux.xml" <<EOF
<domain type='xen'><name>benchlinux</name><memory unit='MiB'>160</memory><vcpu>1</vcpu>
<os><type>linux</type><kernel>$G/vmlinuz</kernel><initrd>$G/initrd.gz</initrd>
<cmdline>console=hvc0</cmdline></os></domain>
EOF

maxrss() { sed -n 's/.*maxrss_kb=\([0-9]*\).*/\1/p' "$1" | sort -n | tail -1; }
cs() { awk '{ printf "%d\n", $1 * 100 }' /proc/uptime; }

# create_cmd TOOL GUEST, destroy_cmd TOOL GUEST
create_cmd() {
	case $1 in
	xl) echo "xl create -q $T/$2.cfg" ;;
	xlite) echo "xlite create -q $T/$2.xml" ;;
	esac
}
destroy_cmd() { echo "$1 destroy bench$2"; }

# monitor_hwm NAME: VmHWM (kB) of the process whose command line is a
# create of NAME's config still running (the toolstack's monitor).
monitor_hwm() {
	for p in /proc/[0-9]*; do
		c=$(tr '\0' ' ' <"$p/cmdline" 2>/dev/null)
		case "$c" in *create*"$1"*) sed -n 's/^VmHWM:[^0-9]*\([0-9]*\).*/\1/p' "$p/status" ;; esac
	done | sort -n | tail -1
}

# run TOOL GUEST: RUNS timed creates and destroys (after a warm-up).
run() {
	tool=$1 guest=$2
	: >"$T/$tool-$guest-create"
	: >"$T/$tool-$guest-destroy"
	$TIMEIT -o "$T/$tool-$guest-cold" $(create_cmd $tool $guest) >/dev/null 2>&1
	sleep 1
	hwm=$(monitor_hwm "$guest")
	echo "${hwm:-NA}" >"$T/$tool-$guest-monitor"
	$(destroy_cmd $tool $guest) >/dev/null 2>&1
	i=0
	while [ $i -lt "$RUNS" ]; do
		$TIMEIT -o "$T/$tool-$guest-create" $(create_cmd $tool $guest) >/dev/null 2>&1
		sleep 1
		$TIMEIT -o "$T/$tool-$guest-destroy" $(destroy_cmd $tool $guest) >/dev/null 2>&1
		sleep 1
		i=$((i + 1))
	done
}

# requests TOOL GUEST: xenstore requests of one create (and its monitor
# settling), from xenstored's trace.
requests() {
	tool=$1 guest=$2 log=$T/trace-$1-$2.log
	rm -f "$log"
	xenstore-control logfile "$log" >/dev/null 2>&1
	xenstore-control log on >/dev/null 2>&1 || { echo NA; return; }
	$(create_cmd $tool $guest) >/dev/null 2>&1
	sleep 2
	xenstore-control log off >/dev/null 2>&1
	$(destroy_cmd $tool $guest) >/dev/null 2>&1
	# Connections created after logging began are the toolstack's.
	awk '$1 == "CREATE" && $2 == "connection" { mine[$3] = 1 }
	     $1 == "IN" && ($2 in mine) && $5 != "CONTROL" { n++ }
	     END { print n + 0 }' "$log"
}

for guest in tiny linux; do
	for tool in xl xlite; do
		run $tool $guest
	done
done
for guest in tiny linux; do
	for what in create destroy; do
		a=$(median "$T/xl-$guest-$what") b=$(median "$T/xlite-$guest-$what")
		echo "bench $what $guest: xl_ms=$a xlite_ms=$b ratio=$(ratio "$a" "$b")" \
			"runs=$RUNS failures_xl=$(failures "$T/xl-$guest-$what")" \
			"failures_xlite=$(failures "$T/xlite-$guest-$what")"
	done
	a=$(median "$T/xl-$guest-cold") b=$(median "$T/xlite-$guest-cold")
	echo "bench first-create $guest: xl_ms=$a xlite_ms=$b (xlite fills its kernel cache here)"
	echo "bench rss create $guest: xl_kb=$(maxrss "$T/xl-$guest-create")" \
		"xlite_kb=$(maxrss "$T/xlite-$guest-create")"
	echo "bench rss monitor $guest: xl_kb=$(cat "$T/xl-$guest-monitor")" \
		"xlite_kb=$(cat "$T/xlite-$guest-monitor")"
done
for guest in tiny linux; do
	echo "bench xenstore-requests $guest: xl=$(requests xl $guest) xlite=$(requests xlite $guest)"
done
rm -rf "$T"
exit 0
