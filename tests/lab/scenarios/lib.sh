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
wait_for() {
	_n=$(($1 * 5)); shift
	while [ "$_n" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.2; _n=$((_n - 1))
	done
	return 1
}

# guest_log NAME: the guest's console log as xenconsoled writes it.
guest_log() { cat "/var/log/xen/guest-$1.log" 2>/dev/null; }

finish() {
	rm -rf "$LAB_TMP"
	[ "$LAB_FAILED" -gt 100 ] && LAB_FAILED=100
	exit "$LAB_FAILED"
}
