# Benchmark: create + destroy of a guest with one disk (a file, so a loop
# device) and one vif on a bridge. xl with its hotplug scripts
# (/etc/xen/scripts/block, vif-bridge) against xlite, which does the same
# in C. Same boot, same guest (tiny PV, 32 MiB, so the device work is not
# hidden behind a kernel decompression), alternating runs; medians and
# the ratio. Run in the lab: tests/lab/xlite-lab run tests/bench/devices.sh
# The lab puts lib.sh beside the file it runs.
if [ -f "$(dirname "$0")/lib.sh" ]; then . "$(dirname "$0")/lib.sh"
else . "$(dirname "$0")/../lab/scenarios/lib.sh"; fi

N=${BENCH_N:-7}
G=$LAB_GUESTS
IMG=/tmp/xlite-bench-dev
BR=xlbr0
mkdir -p "$IMG"
ip link add $BR type bridge 2>/dev/null
ip link set $BR up
dd if=/dev/zero of="$IMG/disk.img" bs=1M count=8 2>/dev/null

cat >"$IMG/bx.cfg" <<EOF
name = "bx"
kernel = "$G/tiny.bin"
memory = 32
vcpus = 1
disk = [ 'format=raw, vdev=xvda, access=rw, target=$IMG/disk.img' ]
vif = [ 'bridge=$BR' ]
EOF
cat >"$IMG/bl.xml" <<EOF
<domain type='xen'>
  <name>bl</name>
  <memory unit='MiB'>32</memory>
  <vcpu>1</vcpu>
  <os><type>linux</type><kernel>$G/tiny.bin</kernel></os>
  <devices>
    <disk type='file' device='disk'>
      <source file='$IMG/disk.img'/>
      <target dev='xvda'/>
    </disk>
    <interface type='bridge'>
      <source bridge='$BR'/>
    </interface>
  </devices>
</domain>
EOF

# Milliseconds since boot (busybox date has no %N).
ms() { awk '{ printf "%d\n", $1 * 1000 }' /proc/uptime; }
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : int((v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
loops_left() {
	for b in /sys/block/loop*/loop/backing_file; do
		[ -f "$b" ] && grep -q "^$IMG/" "$b" && echo "$b"
	done
}

# run TOOL: one create + destroy, "CREATE_MS DESTROY_MS" on stdout.
run() {
	case $1 in
	xl) c="xl create -q $IMG/bx.cfg"; d="xl destroy bx" ;;
	xlite) c="xlite create -q $IMG/bl.xml"; d="xlite destroy bl" ;;
	esac
	t0=$(ms)
	$c >"$LAB_TMP/out" 2>&1 || { echo "FAIL create"; sed 's/^/#   /' "$LAB_TMP/out" >&2; return 1; }
	t1=$(ms)
	$d >"$LAB_TMP/out" 2>&1 || { echo "FAIL destroy"; sed 's/^/#   /' "$LAB_TMP/out" >&2; return 1; }
	t2=$(ms)
	echo "$((t1 - t0)) $((t2 - t1))"
}

# One warm-up of each (first xl run pays for bash and the scripts' caches).
run xl >/dev/null
run xlite >/dev/null
: >"$LAB_TMP/xl"
: >"$LAB_TMP/xlite"
i=0
while [ $i -lt "$N" ]; do
	for tool in xl xlite; do
		r=$(run $tool)
		case $r in FAIL*) fail "$tool run $i: $r"; continue ;; esac
		echo "$r" >>"$LAB_TMP/$tool"
		echo "# $tool run $i: create ${r% *} ms, destroy ${r#* } ms"
	done
	i=$((i + 1))
done

for tool in xl xlite; do
	eval "${tool}_c=\$(cut -d' ' -f1 \"\$LAB_TMP/$tool\" | median)"
	eval "${tool}_d=\$(cut -d' ' -f2 \"\$LAB_TMP/$tool\" | median)"
	eval "${tool}_t=\$(awk '{ print \$1 + \$2 }' \"\$LAB_TMP/$tool\" | median)"
done
check_eq "every xl run completed" "$N" "$(wc -l <"$LAB_TMP/xl" | tr -d ' ')"
check_eq "every xlite run completed" "$N" "$(wc -l <"$LAB_TMP/xlite" | tr -d ' ')"
check_eq "no loop device left" "" "$(loops_left)"
check_eq "no vif left" "" "$(ls /sys/class/net | grep '^vif')"

echo "bench devices: tiny PV guest, 1 file disk + 1 vif, $N runs each, medians (ms)"
echo "bench devices:         create  destroy  create+destroy"
printf 'bench devices: xl     %7s %8s %15s\n' "$xl_c" "$xl_d" "$xl_t"
printf 'bench devices: xlite  %7s %8s %15s\n' "$xlite_c" "$xlite_d" "$xlite_t"
awk -v a="$xl_t" -v b="$xlite_t" -v c="$xl_c" -v d="$xlite_c" 'BEGIN {
	if (b > 0 && d > 0)
		printf "bench devices: ratio xl/xlite: create+destroy %.1fx, create %.1fx\n", a / b, c / d }'
rm -rf "$IMG"
finish
