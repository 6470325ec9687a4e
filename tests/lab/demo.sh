# The README's demo, run in the lab's dom0 by `tests/lab/xlite-lab demo`:
# a Linux PV guest created from examples/ by xlite, shown running, its
# console output, then shut down.
set -e
cd /lab/src
step() { echo; echo "### $*"; }
step "xlite info"
xlite info
step "xlite create -n examples/linux-pv.xml   (the plan; touches nothing)"
xlite create -n examples/linux-pv.xml | head -25
echo "..."
step "xlite create examples/linux-pv.xml"
xlite create examples/linux-pv.xml
step "xlite list"
xlite list
step "the guest's console (/var/log/xen/guest-linux1.log)"
n=0
until grep -q "xlite-guest: ready" /var/log/xen/guest-linux1.log 2>/dev/null; do
	n=$((n + 1))
	[ $n -le 600 ] || { echo "demo: the guest did not come up in 120 s"; exit 1; }
	sleep 0.2
done
grep -v '^\[ *[0-9]' /var/log/xen/guest-linux1.log | tail -5
step "xlite list --json linux1"
xlite list --json linux1
step "xlite shutdown -w linux1"
xlite shutdown -w --timeout 60 linux1
step "xlite list"
xlite list
