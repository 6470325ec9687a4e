# Not yet in tests/run-all's scenarios: its boot through qemu-nbd has not
# reached the guest's ready line within a loaded lab's time (issue 13 stays
# open for it). Run it alone:
#   XLITE_LAB_FILE_TIMEOUT=1500 tests/lab/xlite-lab run tests/lab/disk-boot-qcow2.sh
# A guest that boots from its own qcow2 disk (issue 13): the image of
# 88-disk-boot.sh converted to qcow2 (qemu-img on the host), served by
# qemu-nbd on an nbd device, with neither <kernel> nor <bootloader>
# (libvirt's default: the disk boots through pvgrub2). A second read-write
# use of the same qcow2 file is refused; destroy leaves no nbd device, no
# qemu-nbd, no node. pvgrub2 reads through qemu-nbd slowly under TCG (some
# 100 KB/s on a loaded host): the create waits up to 500 s.
# lab: disk-images
. "$(dirname "$0")/lib.sh"

. "$(dirname "$0")/../src/tests/lab/scenarios/disk-boot.inc"

set_conf "timeout = 500"

# --- qcow2 image, no <kernel> and no <bootloader> (libvirt's default) ---
cp "$G/disk-boot.qcow2" /tmp/db-q.qcow2
disk_xml /tmp/db-q.xml db-q /tmp/db-q.qcow2 "<driver name='qemu' type='qcow2'/>" ""
out=$(xlite create -n /tmp/db-q.xml 2>&1)
check_match "qcow2: a guest without <kernel> boots from its disk (a note says so)" \
	"has no <kernel>: the guest boots from its disk" "$out"
check_match "qcow2: create -n plans an nbd device" 'file "/tmp/db-q.qcow2" rw qcow2 nbd' "$out"
check_con db-q "qcow2 disk image: create" xlite create /tmp/db-q.xml
id=$(domid_of db-q)
nbd=$(xenstore-read "/local/domain/$id/xlite/loops" 2>&1)
check_match "qcow2: the disk is on an nbd device xlite records" "^/dev/nbd[0-9]+$" "$nbd"
check "qcow2: qemu-nbd serves $nbd" test -e "/sys/block/${nbd#/dev/}/pid"
check_match "qcow2: blkback serves the nbd device" "^2b:" \
	"$(xenstore-read "/local/domain/0/backend/vbd/$id/51712/physical-device" 2>&1)"
check_con db-q "qcow2: the guest's init prints its ready line" wait_for 300 ready db-q
disk_xml /tmp/db-q2.xml db-q2 /tmp/db-q.qcow2 "<driver name='qemu' type='qcow2'/>"
check_status "qcow2: a second read-write use of the same qcow2 file is refused" 1 \
	xlite create /tmp/db-q2.xml
check_match "qcow2: ... naming the holder" "in use read-write by domain db-q" \
	"$(cat "$LAB_TMP/out")"
check "qcow2: destroy" xlite destroy db-q
nothing_left db-q /tmp/db-q.qcow2

rm -f /tmp/db-*.qcow2 /tmp/db-*.xml
restore_conf
finish
