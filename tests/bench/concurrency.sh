# Benchmark: N (default 20) creates of tiny guests started at once, then N
# destroys at once, with xl and with xlite in the same boot
# (`tests/lab/xlite-lab run tests/bench/concurrency.sh`). Prints figures
# only: the median wall time of ROUNDS (default 3) rounds and how many
# commands failed:
#   bench concurrent create tiny x20: xl_ms=... xlite_ms=... ratio=... failures_xl=0 failures_xlite=0
N=${N:-20}
ROUNDS=${ROUNDS:-3}
G=${LAB_GUESTS:-/lab/guests}
T=/tmp/bench-conc.$$
mkdir -p "$T"

i=1
while [ "$i" -le "$N" ]; do
	cat >"$T/bc$i.cfg" <<EOF
name = "bc$i"
kernel = "$G/tiny.bin"
memory = 16
on_reboot = "destroy"
EOF
	cat >"$T/bc$i.xml" <<EOF
<domain type='xen'><name>bc$i</name><memory unit='MiB'>16</memory><vcpu>1</vcpu>
<os><type>xen</type><kernel>$G/tiny.bin</kernel></os>
<on_reboot>destroy</on_reboot></domain>
EOF
	i=$((i + 1))
done

# dom0 has one vCPU, and twenty grub guests spin at their prompt: without
# the larger share, dom0's commands (and its kernel) starve for seconds.
dom0_weight() { xl sched-credit2 -d 0 -w "$1" >/dev/null 2>&1 || xl sched-credit -d 0 -w "$1" >/dev/null 2>&1; }
dom0_weight 65535
cs() { awk '{ split($1, a, "."); print a[1] * 100 + substr(a[2] "00", 1, 2) }' /proc/uptime; }
median() {
	sort -n "$1" | awk '{ v[NR] = $1 } END { if (NR == 0) { print "NA"; exit }
		if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0 && a != "NA") printf "%.1f", a / b; else print "NA" }'; }

# at_once TOOL VERB: VERB of every guest with TOOL, all started together;
# appends the wall time (ms) to $T/TOOL-VERB and the failures to $T/TOOL-VERB-fail.
at_once() {
	tool=$1 verb=$2
	rm -f "$T"/rc.*
	t0=$(cs)
	i=1
	while [ "$i" -le "$N" ]; do
		case $tool-$verb in
		xl-create) (xl create -q "$T/bc$i.cfg" >/dev/null 2>&1; echo $? >"$T/rc.$i") & ;;
		xlite-create) (xlite create -q "$T/bc$i.xml" >/dev/null 2>&1; echo $? >"$T/rc.$i") & ;;
		*-destroy) ($tool destroy "bc$i" >/dev/null 2>&1; echo $? >"$T/rc.$i") & ;;
		esac
		i=$((i + 1))
	done
	wait
	t1=$(cs)
	echo "$(((t1 - t0) * 10))" >>"$T/$tool-$verb"
	cat "$T"/rc.* | grep -vc '^0$' >>"$T/$tool-$verb-fail"
}

r=0
while [ "$r" -lt "$ROUNDS" ]; do
	for tool in xl xlite; do
		at_once $tool create
		sleep 1
		at_once $tool destroy
		sleep 2
	done
	r=$((r + 1))
done
for verb in create destroy; do
	a=$(median "$T/xl-$verb") b=$(median "$T/xlite-$verb")
	echo "bench concurrent $verb tiny x$N: xl_ms=$a xlite_ms=$b ratio=$(ratio "$a" "$b")" \
		"rounds=$ROUNDS failures_xl=$(awk '{ s += $1 } END { print s + 0 }' "$T/xl-$verb-fail")" \
		"failures_xlite=$(awk '{ s += $1 } END { print s + 0 }' "$T/xlite-$verb-fail")"
done
dom0_weight 256
rm -rf "$T"
exit 0
