# Helpers for lab scenarios (sourced by each scenario; busybox ash in dom0).
# Every check prints one TAP-style line, "ok - WHAT" or "not ok - WHAT";
# the lab runner counts them. A scenario ends with `finish`, whose exit
# status is the number of failed checks (capped at 100).
LAB_FAILED=0
LAB_TMP=${LAB_TMP:-/tmp/lab.$$}
mkdir -p "$LAB_TMP"

pass() { echo "ok - $*"; }
fail() { echo "not ok - $*"; LAB_FAILED=$((LAB_FAILED + 1)); }

# check WHAT CMD...: CMD must exit 0.
check() {
	_what=$1; shift
	if "$@" >"$LAB_TMP/out" 2>&1; then pass "$_what"; else
		fail "$_what (exit $?: $*)"; sed 's/^/#   /' "$LAB_TMP/out" | head -20; fi
}

# check_fails WHAT CMD...: CMD must exit non-zero.
check_fails() {
	_what=$1; shift
	if "$@" >"$LAB_TMP/out" 2>&1; then fail "$_what (unexpected success: $*)"
		sed 's/^/#   /' "$LAB_TMP/out" | head -20; else pass "$_what"; fi
}

# check_status WHAT N CMD...: CMD must exit with status N.
check_status() {
	_what=$1; _want=$2; shift 2
	"$@" >"$LAB_TMP/out" 2>&1; _rc=$?
	if [ "$_rc" = "$_want" ]; then pass "$_what"; else
		fail "$_what (exit $_rc, wanted $_want: $*)"; sed 's/^/#   /' "$LAB_TMP/out" | head -20; fi
}

# check_eq WHAT EXPECTED ACTUAL
check_eq() {
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1 (expected '$2', got '$3')"; fi
}

# check_match WHAT PATTERN TEXT: TEXT must contain PATTERN (grep -E).
check_match() {
	if printf '%s\n' "$3" | grep -Eq -- "$2"; then pass "$1"; else
		fail "$1 (no match for '$2')"; printf '%s\n' "$3" | sed 's/^/#   /' | head -20; fi
}

# wait_for SECONDS CMD...: retry CMD every 0.2 s until it succeeds; 0 if it did.
# It gives up after 5 * SECONDS tries or, whichever comes first, twice
# SECONDS on the clock: under load one try (xl, xenstore) can take a second
# or more, and counting tries alone made a 120 s wait last over 10 minutes.
wait_for() {
	_n=$(($1 * 5)) _end=$(($(cut -d. -f1 /proc/uptime) + 2 * $1)); shift
	while [ "$_n" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		[ "$(cut -d. -f1 /proc/uptime)" -ge "$_end" ] && return 1
		sleep 0.2; _n=$((_n - 1))
	done
	return 1
}

# guest_log NAME: the guest's console log as xenconsoled writes it.
guest_log() { cat "/var/log/xen/guest-$1.log" 2>/dev/null; }

# guest_xml FILE NAME MIB ARGS [ITEM...] <SCRIPT: write FILE, the domain XML
# of the lab's Linux guest (vmlinuz and initrd.gz from $LAB_GUESTS) named
# NAME, with MIB MiB, booted with "console=hvc0 ARGS lab.run=..." where
# lab.run is SCRIPT (standard input) in base64: the guest's init runs it.
# Each ITEM is one of
#   current=MIB      start with MIB MiB      vcpus=N/MAX  MAX vCPUs, N online
#   disk=IMG:VDEV    a file disk             rodisk=IMG:VDEV  a read-only one
#   bridge=BR[:MAC]  a vif on bridge BR (with MAC if given)
guest_xml() {
	_file=$1 _name=$2 _mib=$3 _args=$4; shift 4
	_run=$(base64 -w0) _head= _dev=
	for _item; do
		_v=${_item#*=}
		case $_item in
		current=*) _head="$_head
  <currentMemory unit='MiB'>$_v</currentMemory>" ;;
		vcpus=*) _head="$_head
  <vcpu current='${_v%/*}'>${_v#*/}</vcpu>" ;;
		disk=* | rodisk=*)
			_dev="$_dev
    <disk type='file' device='disk'>
      <source file='${_v%:*}'/>
      <target dev='${_v##*:}'/>"
			case $_item in rodisk=*) _dev="$_dev
      <readonly/>" ;; esac
			_dev="$_dev
    </disk>" ;;
		bridge=*)
			_dev="$_dev
    <interface type='bridge'>
      <source bridge='${_v%%:*}'/>"
			case $_v in *:*) _dev="$_dev
      <mac address='${_v#*:}'/>" ;; esac
			_dev="$_dev
    </interface>" ;;
		*) echo "guest_xml: unknown item $_item" >&2; return 1 ;;
		esac
	done
	[ -n "$_dev" ] && _dev="
  <devices>$_dev
  </devices>"
	cat >"$_file" <<EOF
<domain type='xen'>
  <name>$_name</name>
  <memory unit='MiB'>$_mib</memory>$_head
  <os>
    <type>linux</type>
    <kernel>${LAB_GUESTS:-/lab/guests}/vmlinuz</kernel>
    <initrd>${LAB_GUESTS:-/lab/guests}/initrd.gz</initrd>
    <cmdline>console=hvc0 ${_args:+$_args }lab.run=$_run</cmdline>
  </os>$_dev
</domain>
EOF
}

# fill_guest_xml FILE NAME MAX CURRENT MIN: the lab's Linux guest (sizes in
# MiB, MIN its <min_guarantee>) running xlite-guest-agent (a report a
# second), that fills a tmpfs of its own up to what dom0 writes to its
# data/fill (MiB; 16 at a time while it has 48 MiB available, so it grows
# only as the balancer gives it memory; 0 empties it) and prints
# "BAL mem=MEMTOTAL_KB" and "BAL filled=MIB" on its console as they change.
# (The script travels on the kernel command line, so it stays short.)
fill_guest_xml() {
	guest_xml "$1.tmp" "$2" "$3" "" current="$4" <<'EOF'
xlite-guest-agent -i 1 &
mkdir /f; mount -t tmpfs -o size=1g t /f
m() { sed -n "s/^$1: *\([0-9]*\).*/\1/p" /proc/meminfo; }
n=0 o=
while :; do
w=$(xenstore-read data/fill 2>/dev/null || echo 0)
if [ $n -lt $w ] && [ $(m MemAvailable) -gt 49152 ]; then
dd if=/dev/zero of=/f/$n bs=1M count=16 2>/dev/null && n=$((n + 16))
elif [ $w = 0 ] && [ $n -gt 0 ]; then rm -f /f/*; n=0
else sleep 1; fi
c="$(m MemTotal) $n"
[ "$c" != "$o" ] && echo "BAL mem=${c% *}" && echo "BAL filled=$n"
o=$c
done
EOF
	awk -v min="$5" '{ print }
		/<memory / { print "  <memtune><min_guarantee unit=\"MiB\">" min "</min_guarantee></memtune>" }' \
		"$1.tmp" >"$1"
	rm -f "$1.tmp"
}

# memory_conf HEADROOM STEP-LIMIT HYSTERESIS INTERVAL: /etc/xlite/xlite.conf
# holds dom0-reserve 512M and these balancer settings ([memory]); the file
# that was there is kept aside for memory_conf_restore (before finish).
memory_conf() {
	mkdir -p /etc/xlite
	[ -e /etc/xlite/xlite.conf ] && [ ! -e "$LAB_TMP/xlite.conf.saved" ] &&
		cp /etc/xlite/xlite.conf "$LAB_TMP/xlite.conf.saved"
	printf '[memory]\ndom0-reserve = 512M\nheadroom = %s\nstep-limit = %s\nhysteresis = %s\nbalancer-interval = %s\n' \
		"$1" "$2" "$3" "$4" >/etc/xlite/xlite.conf
}
memory_conf_restore() {
	rm -f /etc/xlite/xlite.conf
	if [ -e "$LAB_TMP/xlite.conf.saved" ]; then cp "$LAB_TMP/xlite.conf.saved" /etc/xlite/xlite.conf; fi
}

# script_disk IMG SCRIPT: IMG, a 1 MiB disk image holding the file SCRIPT,
# for a guest script too long for the kernel command line. Attach IMG
# read-only as xvdb and give the guest script_disk_loader's line as its
# script: xlite-blkfront reads the first 16 sectors (8 KiB) and sh runs them.
script_disk() {
	dd if=/dev/zero of="$1" bs=1M count=1 2>/dev/null
	dd if="$2" of="$1" conv=notrunc 2>/dev/null
}
script_disk_loader() { echo "xlite-blkfront xvdb read 0 16|tr -d '\\000'>/tmp/script.sh;sh /tmp/script.sh"; }

# host_run NAME ARG...: (a `# lab: hostfwd` file) the host runs
# tests/lab/host/NAME ARG... and sends its output to dom0's port 9000:
# its ok/not ok lines become this file's own.
host_run() {
	_hr=$1
	rm -f "$LAB_TMP/host-$_hr" "$LAB_TMP/ncin"
	# busybox nc ends early when its input is at end: a fifo held open
	mkfifo "$LAB_TMP/ncin"
	nc -l -p 9000 <"$LAB_TMP/ncin" >"$LAB_TMP/host-$_hr" &
	_hrpid=$!
	exec 7>"$LAB_TMP/ncin"
	wait_for 10 sh -c "netstat -ltn 2>/dev/null | grep -q ':9000 '"
	echo "XLITE-LAB: host-run $*"
	if wait_for 500 grep -q "^# host-run $_hr exit" "$LAB_TMP/host-$_hr"; then
		pass "the host side's $_hr reported back"
		echo "ack $_hr" >&7	# the harness sends again until this comes
		sleep 1
	else
		fail "the host side's $_hr reported back"
	fi
	exec 7>&-
	kill "$_hrpid" 2>/dev/null
	while IFS= read -r _l; do
		case "$_l" in
		"ok - "*) echo "$_l" ;;
		"not ok - "*) fail "${_l#not ok - }" ;;
		"#"*) echo "$_l" ;;
		esac
	done <"$LAB_TMP/host-$_hr"
	check_eq "the host side's $_hr exited 0" "# host-run $_hr exit 0" \
		"$(grep "^# host-run $_hr exit" "$LAB_TMP/host-$_hr")"
}

finish() {
	rm -rf "$LAB_TMP"
	[ "$LAB_FAILED" -gt 100 ] && LAB_FAILED=100
	exit "$LAB_FAILED"
}
