# Not in tests/run-all yet: in 1 of 3 CI runs of 88-disk-boot pvhgrub
# rebooted (shutdown reason 1) before starting its kernel. The raw disk
# image booted as a PVH guest through pvhgrub (GRUB's i386-xen_pvh image).
# Tried again 2026-11-30 (a loop of this create in one boot, the host's
# load 11-17 with ten labs running): 2 rounds passed, then 3 in a row
# failed otherwise, pvhgrub still reading the kernel and initrd from the
# disk (its progress lines on the console) when create's 180 s ran out;
# the reason-1 stop did not recur. Shutdown reason 1 of an HVM container
# is also what Xen gives a triple fault (HVM_PARAM_TRIPLE_FAULT_REASON,
# logged as "Triple fault - invoking HVM shutdown action 1" on Xen's
# console, the lab's lab-console log): look there first when it recurs.
#   tests/lab/xlite-lab run tests/lab/disk-boot-pvh.sh
# lab: disk-images
. "$(dirname "$0")/lib.sh"
. /lab/src/tests/lab/scenarios/disk-boot.inc
set_conf "timeout = 180"
cp "$G/disk-boot.img" /tmp/db-pvh.img
disk_xml /tmp/db-pvh.xml db-pvh /tmp/db-pvh.img
sed -i "s|<type>linux</type>|<type arch='x86_64' machine='xenpvh'>xenpvh</type>|" /tmp/db-pvh.xml
check_con db-pvh "PVH: create returns once pvhgrub started its kernel" \
	xlite create /tmp/db-pvh.xml
check_match "PVH: create said the kernel came from the disk" "its kernel started by pvhgrub" \
	"$(cat "$LAB_TMP/out")"
check_con db-pvh "PVH: the kernel from the disk runs as a PVH guest" \
	wait_for 120 guest_type db-pvh PVH
check "PVH: destroy" xlite destroy db-pvh
nothing_left db-pvh /tmp/db-pvh.img
rm -f /tmp/db-pvh.img /tmp/db-pvh.xml
restore_conf
finish
