# Guests that boot from their own disk (issue 13): the lab's kernel and
# initrd on an ext2 image with /boot/grub/grub.cfg, raw and qcow2, booted
# through <bootloader> (pvgrub2 reads the disk inside the guest); a raw
# type='file' disk that is a block device; and bad input: a disk with no
# grub configuration, a "qcow2" file that is not one, a missing pvgrub2
# image. Each bad create fails with a clear message and leaves no domain,
# no loop or nbd device, no xenstore node.
# lab: disk-images
. "$(dirname "$0")/lib.sh"

G=${LAB_GUESTS:-/lab/guests}
CONF=/etc/xlite/xlite.conf
mkdir -p /etc/xlite
[ -e "$CONF" ] && cp "$CONF" "$LAB_TMP/xlite.conf.saved"

set_conf() { # LINES of [boot]
	printf '[boot]\n%s\n' "$*" >"$CONF"
}

# disk_xml FILE NAME SOURCE [DRIVER [BOOT]]: a 256 MiB guest whose only disk
# is SOURCE (type='file'), booted as BOOT says (default <bootloader>pygrub).
disk_xml() {
	cat >"$1" <<EOF
<domain type='xen'>
  <name>$2</name>
  <memory unit='MiB'>256</memory>
  ${5-<bootloader>pygrub</bootloader>}
  <os><type>linux</type></os>
  <devices>
    <disk type='file' device='disk'>
      ${4:-}
      <source file='$3'/>
      <target dev='xvda'/>
    </disk>
  </devices>
</domain>
EOF
}

domid_of() { xlite list | awk -v n="$1" '$1 == n { print $2 }'; }
nbd_connected() { ls /sys/block/nbd*/pid 2>/dev/null | grep -q .; }
qemu_nbd_running() { ps | grep -v grep | grep -q '[q]emu-nbd'; }
loops_on() { losetup -a 2>/dev/null | grep -F "$1"; }
ready() { grep -q 'xlite-guest: ready' "/var/log/xen/guest-$1.log" 2>/dev/null; }
# console NAME: the last lines of NAME's console, as comments (for a failure).
console() { tr -c '[:print:]\n' ' ' <"/var/log/xen/guest-$1.log" 2>/dev/null | tail -c 600 | sed 's/^/#   console: /'; }
# check_con NAME WHAT CMD...: check, and NAME's console when it failed.
check_con() {
	_n=$1 _f=$LAB_FAILED; shift
	check "$@"
	[ "$LAB_FAILED" -gt "$_f" ] && console "$_n"
	return 0
}

# nothing_left NAME FILE: no domain NAME, no loop device on FILE, no nbd
# device connected, no qemu-nbd, no guest's vbd backend or domain node.
nothing_left() {
	check_eq "$1: no domain left" "" "$(domid_of "$1")"
	check_eq "$1: no loop device left on $2" "" "$(loops_on "$2")"
	check_fails "$1: no nbd device left connected" nbd_connected
	check_fails "$1: no qemu-nbd left running" qemu_nbd_running
	check_eq "$1: no vbd backend node left" "" \
		"$(xenstore-list /local/domain/0/backend/vbd 2>/dev/null)"
	check_eq "$1: no domain node left but dom0's" "0" \
		"$(xenstore-list /local/domain 2>/dev/null | tr '\n' ' ' | sed 's/ $//')"
}

set_conf "timeout = 180"

# --- raw image, <bootloader>pygrub -------------------------------------
cp "$G/disk-boot.img" /tmp/db-raw.img
disk_xml /tmp/db-raw.xml db-raw /tmp/db-raw.img
out=$(xlite create -n /tmp/db-raw.xml 2>&1)
check_match "create -n shows the boot from the disk through pvgrub2" \
	"boot disk: pvgrub2 reads the grub.cfg on the guest's disks" "$out"
check_match "create -n names the pvgrub2 image (xlite.conf's default)" \
	'kernel pvgrub2 "/usr/lib/grub-xen/grub-x86_64-xen.bin"' "$out"
check_match "create -n says pygrub is not run in dom0" 'bootloader "pygrub" not run in dom0' "$out"
check_con db-raw "raw disk image: create returns once pvgrub2 started its kernel" \
	xlite create /tmp/db-raw.xml
check_match "raw: create said the kernel came from the disk" "its kernel started by pvgrub2" \
	"$(cat "$LAB_TMP/out")"
id=$(domid_of db-raw)
check_match "raw: the disk is on a loop device" "^/dev/loop[0-9]+$" \
	"$(xenstore-read "/local/domain/$id/xlite/loops" 2>&1)"
check_con db-raw "raw: the guest's init prints its ready line (kernel and initrd from the disk)" \
	wait_for 120 ready db-raw
check "raw: destroy" xlite destroy db-raw
nothing_left db-raw /tmp/db-raw.img

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
check_con db-q "qcow2: the guest's init prints its ready line" wait_for 120 ready db-q
disk_xml /tmp/db-q2.xml db-q2 /tmp/db-q.qcow2 "<driver name='qemu' type='qcow2'/>"
check_status "qcow2: a second read-write use of the same qcow2 file is refused" 1 \
	xlite create /tmp/db-q2.xml
check_match "qcow2: ... naming the holder" "in use read-write by domain db-q" \
	"$(cat "$LAB_TMP/out")"
check "qcow2: destroy" xlite destroy db-q
nothing_left db-q /tmp/db-q.qcow2

# --- a raw type='file' disk that is a block device ----------------------
cp "$G/disk-boot.img" /tmp/db-blk.img
lo=$(losetup -f)
losetup "$lo" /tmp/db-blk.img
disk_xml /tmp/db-blk.xml db-blk "$lo"
check_con db-blk "type='file' naming a block device: create" xlite create /tmp/db-blk.xml
check_match "type='file' naming a block device: a note says it is used as one" \
	"is a block device: used as one" "$(cat "$LAB_TMP/out")"
id=$(domid_of db-blk)
check_eq "type='file' naming a block device: no loop device of xlite's" "" \
	"$(xenstore-read "/local/domain/$id/xlite/loops" 2>/dev/null)"
check "type='file' naming a block device: the guest boots from it" wait_for 120 ready db-blk
check "type='file' naming a block device: destroy" xlite destroy db-blk
check_eq "type='file' naming a block device: no domain left" "" "$(domid_of db-blk)"
losetup -d "$lo"

# --- bad input ------------------------------------------------------------
set_conf "timeout = 20"
cp "$G/disk-nogrub.img" /tmp/db-nogrub.img
disk_xml /tmp/db-nogrub.xml db-nogrub /tmp/db-nogrub.img
check_status "a disk with no grub configuration: create fails" 1 xlite create /tmp/db-nogrub.xml
check_match "no grub configuration: the message says pvgrub2 started no kernel and why" \
	"pvgrub2 did not start a kernel within 20 s: the guest's disks hold no /boot/grub/grub.cfg" \
	"$(cat "$LAB_TMP/out")"
nothing_left db-nogrub /tmp/db-nogrub.img

dd if=/dev/urandom of=/tmp/db-fake.qcow2 bs=1k count=64 2>/dev/null
disk_xml /tmp/db-fake.xml db-fake /tmp/db-fake.qcow2 "<driver name='qemu' type='qcow2'/>"
check_status "a qcow2 file that is not qcow2: create fails" 1 xlite create /tmp/db-fake.xml
check_match "not qcow2: the message names the file and the format" \
	"/tmp/db-fake.qcow2 is not a qcow2 image" "$(cat "$LAB_TMP/out")"
nothing_left db-fake /tmp/db-fake.qcow2

set_conf "grub-image = /nonexistent/grub-x86_64-xen.bin"
check_status "a missing pvgrub2 image: create fails" 1 xlite create /tmp/db-raw.xml
check_match "missing pvgrub2: the message names it and the setting" \
	"/nonexistent/grub-x86_64-xen.bin is missing \\(xlite.conf \\[boot\\] grub-image" \
	"$(cat "$LAB_TMP/out")"
nothing_left db-raw /tmp/db-raw.img

rm -f "$CONF" /tmp/db-*.img /tmp/db-*.qcow2 /tmp/db-*.xml
[ -e "$LAB_TMP/xlite.conf.saved" ] && cp "$LAB_TMP/xlite.conf.saved" "$CONF"
finish
