# The two-host lab itself (xlite-lab run --hosts 2): host 2 answers on the
# link, lab-on runs commands there and returns their output and exit
# status, xlite works on both, both see the shared disk with the same
# content (and a guest on host 2 can use it as a block device), and
# lab-power refuses what it cannot do (its power cycle: 50-migrate.sh).
. "$(dirname "$0")/lib.sh"

S=${LAB_SHARED:-/dev/vda}
# md5 of 1 MiB of the shared disk at MiB offset $1, read past the page cache.
shared_md5() { dd if="$S" bs=1M skip="$1" count=1 iflag=direct 2>/dev/null | md5sum | cut -d' ' -f1; }
peer_answers() { lab-on 2 true; }

check_eq "LAB_PEER is host 2's address" "169.254.0.2" "${LAB_PEER:-}"
check_eq "this is host 1" "1" "${LAB_HOST:-}"
check "host 2 answers ping on the link" ping -c1 -W5 "$LAB_PEER"
check_eq "lab-on returns the command's output" "xlite-lab-2" "$(lab-on 2 hostname)"
check_eq "lab-on keeps stdout and stderr apart" "out" "$(lab-on 2 'echo out; echo err >&2' 2>/dev/null)"
check_eq "lab-on passes stderr back" "err" "$(lab-on 2 'echo out; echo err >&2' 2>&1 >/dev/null)"
check_status "lab-on returns the command's exit status" 3 lab-on 2 'exit 3'
check_status "lab-on returns 0 for a command that succeeds" 0 lab-on 2 true
check_eq "host 2 sees host 1 as its peer" "169.254.0.1" "$(lab-on 2 'echo $LAB_PEER')"
check_match "xlite list on host 1" "^Domain-0 +0 " "$(xlite list)"
check_match "xlite list on host 2" "^Domain-0 +0 " "$(lab-on 2 xlite list)"
check "host 2 runs xl too" lab-on 2 xl list

# ---- the shared disk -----------------------------------------------------------
check "the shared disk is a block device on host 1" test -b "$S"
check "the shared disk is a block device on host 2" lab-on 2 test -b "$S"
head -c 1048576 /dev/urandom >"$LAB_TMP/pat1"
P1=$(md5sum <"$LAB_TMP/pat1" | cut -d' ' -f1)
check "host 1 writes 1 MiB to the shared disk" \
	dd if="$LAB_TMP/pat1" of="$S" bs=1M seek=1 oflag=direct conv=fsync
check_eq "host 2 reads what host 1 wrote" "$P1" "$(lab-on 2 "dd if=$S bs=1M skip=1 count=1 iflag=direct 2>/dev/null | md5sum | cut -d' ' -f1")"
P2=$(lab-on 2 "head -c 1048576 /dev/urandom | tee /tmp/pat2 | dd of=$S bs=1M seek=2 oflag=direct conv=fsync 2>/dev/null && md5sum </tmp/pat2 | cut -d' ' -f1")
check_match "host 2 writes 1 MiB to the shared disk" "^[0-9a-f]{32}$" "$P2"
check_eq "host 1 reads what host 2 wrote" "$P2" "$(shared_md5 2)"

# A guest on host 2 with the shared disk as its block device (phy:).
cat >"$LAB_TMP/sh.xml" <<XML
<domain type='xen'>
  <name>shared2</name>
  <memory unit='MiB'>16</memory>
  <os><type>linux</type><kernel>$LAB_GUESTS/tiny.bin</kernel></os>
  <devices>
    <disk type='block' device='disk'><source dev='$S'/><target dev='xvda'/><shareable/></disk>
  </devices>
</domain>
XML
lab-on 2 "cat >/tmp/sh.xml" <"$LAB_TMP/sh.xml"
check "host 2 creates a guest on the shared disk (phy:)" lab-on 2 xlite create -p /tmp/sh.xml
D=$(lab-on 2 "xlite list shared2 | awk 'NR == 2 { print \$2 }'")
check_match "its vbd backend on host 2 names the shared disk" "$S" \
	"$(lab-on 2 xenstore-read /local/domain/0/backend/vbd/$D/51712/params 2>&1)"
check "host 2 destroys it" lab-on 2 xlite destroy shared2

# ---- power ---------------------------------------------------------------------
# lab-power off and on in the middle of a migration: 50-migrate.sh, the
# last file (a power cycle costs a boot of host 2).
check_status "lab-power refuses host 1" 2 lab-power off 1
check_status "lab-power refuses a bad word" 2 lab-power reset 2

finish
