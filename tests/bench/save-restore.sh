# Benchmark: save and restore of the lab's Linux PV guest (160 MiB) with
# xl and with xlite, in one lab boot on real Xen (run it with
# `tests/lab/xlite-lab run tests/bench/save-restore.sh`). Figures only:
#   bench save linux: xl_ms=... xlite_ms=... ratio=...
#   bench restore linux: xl_ms=... xlite_ms=... ratio=...
#   bench save-file linux: xl_bytes=... xlite_bytes=...
#   bench checkpoint linux: xl_ms=... xlite_ms=... xlite_down_ms=...
# Medians over RUNS rounds (default 3) of one guest saved and restored
# again and again (each restore resumes the guest where it was); each
# toolstack's guest is fully booted first.
RUNS=${RUNS:-3}
G=${LAB_GUESTS:-/lab/guests}
T=/tmp/bench-sr.$$
mkdir -p "$T"
# The lab runs a copy of this file from /lab/run: the helpers stay in /lab/src.
BENCH_LIB=$(dirname "$0")/bench-lib.sh
[ -f "$BENCH_LIB" ] || BENCH_LIB=/lab/src/tests/bench/bench-lib.sh
. "$BENCH_LIB"
[ -x "$TIMEIT" ] || { echo "bench: xlite-timeit not found"; exit 1; }

cat >"$T/xl.cfg" <<EOF
name = "benchsr"
kernel = "$G/vmlinuz"
ramdisk = "$G/initrd.gz"
extra = "console=hvc0"
memory = 160
EOF
cat >"$T/xlite.xml" <<EOF
<domain type='xen'><name>benchsr</name><memory unit='MiB'>160</memory><vcpu>1</vcpu>
<os><type>linux</type><kernel>$G/vmlinuz</kernel><initrd>$G/initrd.gz</initrd>
<cmdline>console=hvc0</cmdline></os></domain>
EOF

booted() { grep -q "xlite-guest: ready" /var/log/xen/guest-benchsr.log 2>/dev/null; }
wait_booted() {
	n=0
	while ! booted && [ $n -lt 600 ]; do sleep 0.5; n=$((n + 1)); done
	sleep 2	# its xenbus watches are set up by now
}

# run TOOL: boot the guest, then RUNS rounds of save, restore; then a
# checkpoint (save -c) RUNS times; then destroy.
run() {
	tool=$1
	: >"$T/$tool-save"; : >"$T/$tool-restore"; : >"$T/$tool-ckpt"; : >"$T/$tool-down"
	rm -f /var/log/xen/guest-benchsr.log
	case $tool in
	xl) xl create -q "$T/xl.cfg" >/dev/null 2>&1 ;;
	xlite) xlite create -q "$T/xlite.xml" >/dev/null 2>&1 ;;
	esac
	wait_booted
	i=0
	while [ $i -lt "$RUNS" ]; do
		$TIMEIT -o "$T/$tool-save" $tool save benchsr "$T/sr.save" >/dev/null 2>&1
		ls -l "$T/sr.save" 2>/dev/null | awk '{ print $5 }' >"$T/$tool-bytes"
		sync
		$TIMEIT -o "$T/$tool-restore" $tool restore "$T/sr.save" >/dev/null 2>&1
		rm -f "$T/sr.save"
		sleep 2
		i=$((i + 1))
	done
	i=0
	while [ $i -lt "$RUNS" ]; do
		case $tool in
		xl) $TIMEIT -o "$T/$tool-ckpt" xl save -c benchsr "$T/sr.save" >/dev/null 2>&1 ;;
		xlite) $TIMEIT -o "$T/$tool-ckpt" xlite save -c --json benchsr "$T/sr.save" \
			2>/dev/null | sed -n 's/.*"event":"saved".*"ms_down":\([0-9.]*\).*/\1/p' \
			>>"$T/$tool-down" ;;
		esac
		rm -f "$T/sr.save"
		sleep 2
		i=$((i + 1))
	done
	$tool destroy benchsr >/dev/null 2>&1
	sleep 1
}

run xl
run xlite
a=$(median "$T/xl-save") b=$(median "$T/xlite-save")
echo "bench save linux: xl_ms=$a xlite_ms=$b ratio=$(ratio "$a" "$b") runs=$RUNS" \
	"failures_xl=$(failures "$T/xl-save") failures_xlite=$(failures "$T/xlite-save")"
a=$(median "$T/xl-restore") b=$(median "$T/xlite-restore")
echo "bench restore linux: xl_ms=$a xlite_ms=$b ratio=$(ratio "$a" "$b") runs=$RUNS" \
	"failures_xl=$(failures "$T/xl-restore") failures_xlite=$(failures "$T/xlite-restore")"
echo "bench save-file linux: xl_bytes=$(cat "$T/xl-bytes") xlite_bytes=$(cat "$T/xlite-bytes")"
a=$(median "$T/xl-ckpt") b=$(median "$T/xlite-ckpt")
echo "bench checkpoint linux: xl_ms=$a xlite_ms=$b ratio=$(ratio "$a" "$b")" \
	"xlite_down_ms=$(median_of "$T/xlite-down") failures_xl=$(failures "$T/xl-ckpt")" \
	"failures_xlite=$(failures "$T/xlite-ckpt")"
rm -rf "$T"
exit 0
