# Not in tests/run-all (about 40 s a round alone): ROUNDS (default 8)
# creates in one boot of a guest that boots from its own disk through
# pvgrub2, the disk a block device (a loop device of the test's), each
# destroyed before the next; after each, its kernel must have started and
# its init printed its ready line. Before create waited for blkback to take
# the disks, round 2 and later failed here under load (grub at its prompt,
# "no such device: /boot/grub/grub.cfg"). Ends with `N rounds, N failures`.
#   tests/lab/xlite-lab run tests/lab/soak-disk-boot.sh
# lab: disk-images
. "$(dirname "$0")/lib.sh"
. /lab/src/tests/lab/scenarios/disk-boot.inc

ROUNDS=${ROUNDS:-8}
set_conf "timeout = 300"
i=0 bad=0
while [ $i -lt "$ROUNDS" ]; do
	i=$((i + 1))
	cp "$G/disk-boot.img" /tmp/soak-db.img
	lo=$(losetup -f)
	losetup "$lo" /tmp/soak-db.img
	disk_xml /tmp/soak-db.xml soak-db "$lo"
	rm -f /var/log/xen/guest-soak-db.log
	f=$LAB_FAILED
	check_con soak-db "round $i: create returns once pvgrub2 started the kernel" \
		xlite create /tmp/soak-db.xml
	check_con soak-db "round $i: the guest's init is ready" wait_for 120 ready soak-db
	check "round $i: destroy" xlite destroy soak-db
	[ "$LAB_FAILED" -gt "$f" ] && bad=$((bad + 1))
	losetup -d "$lo"
done
echo "$ROUNDS rounds, $bad failures"
rm -f /tmp/soak-db.img /tmp/soak-db.xml
restore_conf
finish
