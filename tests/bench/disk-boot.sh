# Benchmark: a guest booted from its own disk (issue 13), in one lab boot
# (`tests/lab/xlite-lab run tests/bench/disk-boot.sh`). The same raw image
# (the lab's kernel and initrd, /boot/grub/grub.cfg) booted three ways:
#   xlite-bootloader  xlite, <bootloader>pygrub: pvgrub2 as the PV kernel,
#                     create returns once pvgrub2 started the guest's kernel
#   xlite-qcow2       the same with the image converted to qcow2, served
#                     by qemu-nbd on an nbd device
#   xlite-kernel      xlite, <kernel> and <initrd> from dom0 (the disk
#                     attached all the same)
#   xl-pvgrub         xl with kernel = the pvgrub2 image, as xl boots such a
#                     disk without pygrub; xl returns at once
# For each: create_ms (the create command), kernel_ms (from the create's
# start until the guest's kernel wrote control/feature-poweroff), ready_ms
# (until the guest's init printed its ready line on the console). Medians
# of RUNS (default 1: each boot takes a minute under TCG); xlite-kernel
# after one untimed warm-up (it fills xlite's kernel cache; the others have
# no cache). WAYS picks some of the ways. Figures only.
# lab: disk-images
RUNS=${RUNS:-1}
WAYS=${WAYS:-xlite-bootloader xlite-qcow2 xlite-kernel xl-pvgrub}
G=${LAB_GUESTS:-/lab/guests}
T=/tmp/bench-disk.$$
mkdir -p "$T"
TIMEIT=/usr/libexec/xlite/xlite-timeit
[ -x "$TIMEIT" ] || TIMEIT=$(command -v xlite-timeit)
[ -x "$TIMEIT" ] || { echo "bench: xlite-timeit not found"; exit 1; }
cp "$G/disk-boot.img" "$T/disk.img"
# create waits [boot] timeout for the guest's kernel: long enough for a
# loaded TCG host (the file is put back at the end)
CONF=/etc/xlite/xlite.conf
mkdir -p /etc/xlite
[ -e "$CONF" ] && cp "$CONF" "$T/xlite.conf.saved"
printf '[boot]\ntimeout = 900\n' >"$CONF"
cp "$G/disk-boot.qcow2" "$T/disk.qcow2"

cat >"$T/xlite-bootloader.xml" <<EOF
<domain type='xen'><name>bdboot</name><memory unit='MiB'>256</memory>
<bootloader>pygrub</bootloader><os><type>linux</type></os>
<devices><disk type='file'><source file='$T/disk.img'/><target dev='xvda'/></disk></devices>
</domain>
EOF
cat >"$T/xlite-qcow2.xml" <<EOF
<domain type='xen'><name>bdboot</name><memory unit='MiB'>256</memory>
<bootloader>pygrub</bootloader><os><type>linux</type></os>
<devices><disk type='file'><driver name='qemu' type='qcow2'/><source file='$T/disk.qcow2'/>
<target dev='xvda'/></disk></devices>
</domain>
EOF
cat >"$T/xlite-kernel.xml" <<EOF
<domain type='xen'><name>bdboot</name><memory unit='MiB'>256</memory>
<os><type>linux</type><kernel>$G/vmlinuz</kernel><initrd>$G/initrd.gz</initrd>
<cmdline>console=hvc0 quiet</cmdline></os>
<devices><disk type='file'><source file='$T/disk.img'/><target dev='xvda'/></disk></devices>
</domain>
EOF
cat >"$T/xl-pvgrub.cfg" <<EOF
name = "bdboot"
kernel = "/usr/lib/grub-xen/grub-x86_64-xen.bin"
memory = 256
disk = [ "file:$T/disk.img,xvda,w" ]
EOF

cs() { awk '{ printf "%d\n", $1 * 100 }' /proc/uptime; }
median() {
	sort -n "$1" | awk '{ v[NR] = $1 } END { if (NR == 0) { print "NA"; exit }
		if (NR % 2) print v[(NR + 1) / 2]; else printf "%.1f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
domid() { xenstore-list /local/domain 2>/dev/null | grep -v '^0$' | head -1; }
# libxl makes control/feature-* empty for the guest to fill: the guest's
# kernel runs once it wrote one (Linux writes 1).
kernel_up() { [ -n "$(xenstore-read "/local/domain/$(domid)/control/feature-poweroff" 2>/dev/null)" ]; }
ready() { grep -q 'xlite-guest: ready' /var/log/xen/guest-bdboot.log 2>/dev/null; }

# until CMD: polls CMD every 0.1 s (at most 900 s); prints the ms since T0.
until_ms() {
	n=9000
	while [ $n -gt 0 ] && ! "$@"; do sleep 0.1; n=$((n - 1)); done
	[ $n -gt 0 ] && echo $((($(cs) - t0) * 10)) || echo NA
}

# one WAY OUT: one timed create, kernel_ms and ready_ms, then destroy.
one() {
	rm -f /var/log/xen/guest-bdboot.log
	case $1 in
	xl-pvgrub) set -- "$1" xl create -q "$T/xl-pvgrub.cfg"; tool=xl ;;
	*) set -- "$1" xlite create -q "$T/$1.xml"; tool=xlite ;;
	esac
	way=$1
	shift
	t0=$(cs)
	$TIMEIT -o "$T/$way-timeit" "$@" >/dev/null 2>&1
	k=$(until_ms kernel_up)
	r=$(until_ms ready)
	$tool destroy bdboot >/dev/null 2>&1
	sleep 1
	echo "$k" >>"$T/$way-kernel"
	echo "$r" >>"$T/$way-ready"
}

for way in $WAYS; do
	[ "$way" = xlite-kernel ] && one "$way"	# warm-up (xlite's kernel cache)
	: >"$T/$way-timeit"
	: >"$T/$way-kernel"
	: >"$T/$way-ready"
	i=0
	while [ $i -lt "$RUNS" ]; do
		one "$way"
		i=$((i + 1))
	done
	sed -n 's/^ms=\([0-9.]*\) .*/\1/p' "$T/$way-timeit" >"$T/$way-create"
	echo "bench disk-boot $way: create_ms=$(median "$T/$way-create")" \
		"kernel_ms=$(median "$T/$way-kernel") ready_ms=$(median "$T/$way-ready")" \
		"runs=$RUNS failures=$(grep -vc 'status=0$' "$T/$way-timeit")"
done
rm -f "$CONF"
[ -e "$T/xlite.conf.saved" ] && cp "$T/xlite.conf.saved" "$CONF"
rm -rf "$T"
exit 0
