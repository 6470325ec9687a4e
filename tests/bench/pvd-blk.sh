# Benchmark: sequential read and write throughput of xlite-blkfront (our
# userspace frontend, through dom0's blkback) against the guest kernel's
# own xen-blkfront on the same disk, in the same guest and the same lab
# boot. Run it with `tests/lab/xlite-lab run tests/bench/pvd-blk.sh`.
# Prints figures, asserts nothing but that the runs happened:
#   bench pvd-blk: MIB=64 xlite_read_MiBps=... kernel_read_MiBps=... ...
# The guest boots with lab.nofront=blk; xlite-blkfront runs first (each
# command attaches, transfers, detaches: the handshake is included), then
# the guest loads xen-blkfront, which reconnects to the same blkback, and
# dd moves the same amount with O_DIRECT in 1 MiB blocks. Writes read
# /dev/zero directly (write_pipe: through a pipe from head, for contrast).
. "$(dirname "$0")/lib.sh"

MIB=${MIB:-64}
W=/tmp/pvd-bench
mkdir -p "$W"
glog() { guest_log pvdbench | tr -d '\r'; }
has() { glog | grep -q -- "$1"; }

dd if=/dev/zero of="$W/disk.img" bs=1M count="$MIB" 2>/dev/null
cat >"$W/b.sh" <<EOF
S=$((MIB * 2048)); B=$((MIB * 1048576)); M=$MIB
EOF
cat >>"$W/b.sh" <<'EOF'
t() { cut -d' ' -f1 /proc/uptime; }
run() { n=$1; shift; a=$(t); "$@"; e=$?; b=$(t); echo "PVDB $n $e $a $b"; }
xr() { xlite-blkfront -v xvda read 0 $S >/dev/null; }
xw() { xlite-blkfront -v xvda write 0 $S </dev/zero; }
xwp() { head -c $B /dev/zero | xlite-blkfront -v xvda write 0; }
kr() { dd if=/dev/xvda of=/dev/null bs=1M count=$M iflag=direct 2>/dev/null; }
kw() { dd if=/dev/zero of=/dev/xvda bs=1M count=$M oflag=direct conv=fsync 2>/dev/null; }
xi() { xlite-blkfront -v xvda info >/dev/null; }
run xattach xi
run xr xr
run xw xw
run xwp xwp
run xr2 xr
modprobe xen-blkfront
i=0; while [ ! -b /dev/xvda ] && [ $i -lt 300 ]; do sleep .2; i=$((i + 1)); done
xlite-blkfront xvda info >/dev/null 2>&1; echo "PVDB refused $?"
run kr kr
run kw kw
run kr2 kr
echo "PVDB done"
EOF
script_disk "$W/script.img" "$W/b.sh"
script_disk_loader | guest_xml "$W/bench.xml" pvdbench 256 "lab.nofront=blk,net" \
	disk="$W/disk.img:xvda" rodisk="$W/script.img:xvdb"
check "create the benchmark guest" xlite create "$W/bench.xml"
if wait_for 600 has "PVDB done"; then pass "benchmark ran in the guest"; else
	fail "benchmark ran in the guest"; glog | tail -30 | sed 's/^/#   /'; fi
glog | grep '^PVDB' | sed 's/^/# /'
glog | grep 'xlite-blkfront' | sed 's/^/# /'
# fig NAME: "MiB/s" for a timed run of MIB MiB, "ms" for xattach.
secs() { glog | awk -v n="$1" '$1 == "PVDB" && $2 == n { if ($3 != 0) print "FAILED"; else printf "%.2f", $5 - $4 }' | tail -1; }
mibps() { awk -v s="$1" -v m="$MIB" 'BEGIN { if (s == "" || s == "FAILED") print "NA"; else if (s > 0) printf "%.1f", m / s; else print "inf" }'; }
for n in xr xw xwp xr2 kr kw kr2; do
	check_match "run $n completed" '^[0-9]' "$(secs $n)"
done
check_eq "xlite-blkfront keeps off a disk the kernel drives" "1" \
	"$(glog | sed -n 's/^PVDB refused //p')"
echo "bench pvd-blk: MIB=$MIB xlite_attach_ms=$(awk -v s="$(secs xattach)" 'BEGIN { printf "%d", s * 1000 }')" \
	"xlite_read_MiBps=$(mibps "$(secs xr)") xlite_read2_MiBps=$(mibps "$(secs xr2)")" \
	"xlite_write_MiBps=$(mibps "$(secs xw)") xlite_write_pipe_MiBps=$(mibps "$(secs xwp)")" \
	"kernel_read_MiBps=$(mibps "$(secs kr)") kernel_read2_MiBps=$(mibps "$(secs kr2)")" \
	"kernel_write_MiBps=$(mibps "$(secs kw)")"
xlite destroy pvdbench >/dev/null 2>&1
rm -rf "$W"
finish
