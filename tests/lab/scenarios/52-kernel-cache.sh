# The decompressed-kernel cache on real Xen: bounded by xlite.conf's
# [kernel-cache] max-size (least recently used out first, never the entry
# just stored or used), refused when its directory is writable by others
# (a warning, the create goes on), a bad xlite.conf refused; and the
# monitor's log never written through a symbolic link.
. "$(dirname "$0")/lib.sh"

G=$LAB_GUESTS
W=/tmp/xlite-kcache
CONF=/etc/xlite/xlite.conf
export XLITE_KCACHE_DIR=$W/cache
rm -rf "$W"
mkdir -p "$W" /etc/xlite
rm -f "$CONF"

# Two different kernels that need unpacking: the tiny guest's ELF (grub)
# gzipped, and the same with bytes appended before gzip (the loader reads
# the segments its program headers name: it boots the same, but its content,
# so its cache key, differs). libxenguest unpacks them as it does a Linux
# bzImage's payload, and the ELF inside goes to the cache the same way, in
# a fraction of a second instead of 15-20 s a Linux kernel (every Linux
# create of the run before this file goes through the cache already).
gzip -c "$G/tiny.bin" >"$W/vmlinuz1"
{ cat "$G/tiny.bin"; echo "a second kernel"; } | gzip -c >"$W/vmlinuz2"
key1=$(sha256sum "$W/vmlinuz1" | cut -d' ' -f1)
key2=$(sha256sum "$W/vmlinuz2" | cut -d' ' -f1)

# dom NAME KERNEL [MIB]: a paused guest of that kernel (never run).
dom() {
	cat >"$W/$1.xml" <<EOF
<domain type='xen'>
  <name>$1</name>
  <memory unit='MiB'>${3:-160}</memory>
  <os><type>linux</type><kernel>$2</kernel></os>
</domain>
EOF
	echo "$W/$1.xml"
}
entries() { (cd "$XLITE_KCACHE_DIR" 2>/dev/null && ls *.elf 2>/dev/null | tr '\n' ' '); }

# create_destroy WHAT NAME KERNEL [MIB]: create -p -v, keep its stderr, destroy.
create_destroy() {
	check "$1" xlite create -p -v "$(dom "$2" "$3" "${4:-32}")"
	cp "$LAB_TMP/out" "$W/create.out"
	xlite destroy "$2" >/dev/null 2>&1
}

# ---- the bound -------------------------------------------------------------
create_destroy "create with kernel 1 (default max-size)" kc1 "$W/vmlinuz1"
check_eq "kernel 1 is cached" "$key1.elf " "$(entries)"
size=$(stat -c %s "$XLITE_KCACHE_DIR/$key1.elf")
echo "# an unpacked kernel: $size bytes"
# Room for one kernel, not two (in bytes: no unit).
printf '[kernel-cache]\nmax-size = %s\n' $((size * 3 / 2)) >"$CONF"
create_destroy "create with kernel 2 (max-size 1.5 kernels)" kc2 "$W/vmlinuz2"
check_eq "kernel 2 replaced kernel 1 (least recently used)" "$key2.elf " "$(entries)"
create_destroy "create with kernel 2 again" kc2 "$W/vmlinuz2"
check_match "kernel 2 came from the cache" "cached kernel" "$(cat "$W/create.out")"
check_eq "a hit keeps its entry" "$key2.elf " "$(entries)"

# ---- a bad xlite.conf --------------------------------------------------------
printf '[kernel-cache]\nmax-size = 12X\n' >"$CONF"
check_status "a bad max-size fails the create (exit 1)" 1 \
	xlite create -p "$(dom kc3 "$G/tiny.bin" 32)"
check_match "the error names the file, the group and the key" \
	"xlite: $CONF: \[kernel-cache\] max-size: '12X' is not a size" "$(cat "$LAB_TMP/out")"
check_fails "no domain kc3 was made" xlite list kc3
rm -f "$CONF"

# ---- the directory's checks --------------------------------------------------
# (The directory is checked before the kernel is looked at: the tiny
# guest, an ELF that needs no cache, shows the warning.)
chmod 0777 "$XLITE_KCACHE_DIR"
create_destroy "create with a world-writable cache directory" kc1 "$G/tiny.bin" 32
check_match "it warns and goes on without the cache" \
	"warning: not using the kernel cache: $XLITE_KCACHE_DIR: writable by group or others \(mode 0777\)" \
	"$(cat "$W/create.out")"
chmod 0700 "$XLITE_KCACHE_DIR"
create_destroy "create once the directory is private again" kc2 "$W/vmlinuz2"
check_match "the cache is used again" "cached kernel" "$(cat "$W/create.out")"

# ---- the monitor's log -------------------------------------------------------
: >"$W/target"
ln -sf "$W/target" /var/log/xen/xlite-kcl.log
check "create a domain whose monitor log is a symlink" \
	xlite create -p "$(dom kcl "$G/tiny.bin" 32)"
check "destroy it" xlite destroy kcl
# its monitor (a fork of that create) has seen the destroy and left
monitor_gone() { ! grep -qs "$W/kcl.xml" /proc/[0-9]*/cmdline; }
wait_for 10 monitor_gone || echo "# the monitor of kcl is still there"
check_eq "nothing was written through the symlink" "0" "$(stat -c %s "$W/target")"
rm -f /var/log/xen/xlite-kcl.log

rm -rf "$W"
finish
