# Lab sanity under load (not part of the test run): many short processes in
# dom0 (busybox grep, xlite list, xl list) while a Linux guest spins and a
# tiny guest runs. Any of them dying of a signal fails it. This is how the
# TCG/XSAVE corruption was found (see README.md); run it after changing the
# lab's QEMU or Xen settings:
#   tests/lab/xlite-lab run tests/lab/stress.sh
. /lab/run/lib.sh
SECS=${STRESS_SECS:-100}
RUN=$(printf 'i=0; while true; do i=$((i+1)); echo $i | grep -q x; done\n' | base64 -w0)
cat >"$LAB_TMP/spin.xml" <<X
<domain type='xen'><name>spin</name><memory unit='MiB'>128</memory><vcpu>1</vcpu>
<os><type>linux</type><kernel>$LAB_GUESTS/vmlinuz</kernel><initrd>$LAB_GUESTS/initrd.gz</initrd>
<cmdline>console=hvc0 lab.run=$RUN</cmdline></os></domain>
X
check "a spinning Linux guest" xlite create "$LAB_TMP/spin.xml"
check "a tiny guest" xlite create /lab/src/examples/tiny.xml
sleep 5
crash=0 n=0
t0=$(date +%s)
# died CMD...: run CMD quietly; count it when a signal ended it (status > 128).
died() {
	"$@" >/dev/null 2>&1; _rc=$?
	[ "$_rc" -gt 128 ] || [ "$_rc" = 127 ] || return 0
	crash=$((crash + 1)); echo "# $* exited $_rc in round $n"
}
while [ $(($(date +%s) - t0)) -lt "$SECS" ]; do
	n=$((n + 1))
	echo "hello world $n" | grep -Eq 'world [0-9]+'
	_rc=$?
	[ "$_rc" -gt 1 ] && { crash=$((crash + 1)); echo "# grep exited $_rc in round $n"; }
	died xlite list
	[ $((n % 10)) = 0 ] && died xl list
done
echo "# $n rounds in $SECS s"
check_eq "no process died of a signal" 0 "$crash"
check "destroy the spinning guest" xlite destroy spin
check "destroy the tiny guest" xlite destroy tiny1
finish
