#!/bin/sh
# What `make install` ships carries no test hooks: a plain build
# (./configure && make && make install DESTDIR=...) in a temporary
# directory installs no xlite-timeit, and no installed file holds the
# string XLITE_FAULT or a symbol of the fault injector or the fake
# hypervisor. The same checks on a --enable-test-hooks build must find
# the hooks (this build's, when it is one; else a second temporary
# build), so the checks can fail. TAP; arguments (--tap -k) are ignored.
# Takes about a minute per build on 2 cores.
srcdir=${G_TEST_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
builddir=${G_TEST_BUILDDIR:-$(pwd)}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/xlite-install-clean.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
n=0

ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $*"; }

# build DIR [CONFIGURE-ARG...]: configure, make and install into DIR/root.
build() {
	_dir=$1; shift
	mkdir -p "$_dir"
	if (cd "$_dir" && "$srcdir/configure" -q "$@" && make -s -j2 &&
	    make -s install DESTDIR="$_dir/root") >"$_dir/log" 2>&1; then
		return 0
	fi
	sed 's/^/# /' "$_dir/log" | tail -30
	return 1
}

# What an installed tree ROOT holds of the hooks, one word per line:
# timeit (xlite-timeit installed), fault-string (XLITE_FAULT in a file),
# fault-symbol, fake-symbol (in an installed program's symbols).
hooks_in() {
	find "$1" -name 'xlite-timeit*' | grep -q . && echo timeit
	grep -rlq XLITE_FAULT "$1" && echo fault-string
	for _f in $(find "$1" -type f -perm -u+x); do
		nm -a "$_f" 2>/dev/null
	done >"$tmp/symbols"
	grep -Eq ' (xlite_hv_fault_wrap|faulty_of|f_loop_attach)$' "$tmp/symbols" && echo fault-symbol
	grep -Eq ' (xlite_hv_fake[a-z_]*|fake_[a-z_]+)$' "$tmp/symbols" && echo fake-symbol
	return 0
}

echo "1..4"
if ! build "$tmp/plain"; then
	not_ok "a plain build configures, builds and installs"
	exit 0
fi
ok "a plain build configures, builds and installs"
found=$(hooks_in "$tmp/plain/root" | tr '\n' ' ')
if [ -f "$tmp/plain/root/usr/local/bin/xlite" ] && [ -z "$found" ]; then
	ok "a plain install has no xlite-timeit, no XLITE_FAULT, no fault or fake symbols"
else
	not_ok "a plain install has no test hooks (found: ${found:-no xlite installed})"
fi

# The hooks build: this one when it was configured with the hooks.
if "$builddir/config.status" --config 2>/dev/null | grep -q -- '--enable-test-hooks'; then
	hooks=$builddir
	if (make -C "$builddir" -s install DESTDIR="$tmp/hooks-root") >"$tmp/hooks.log" 2>&1; then
		ok "this --enable-test-hooks build installs"
	else
		sed 's/^/# /' "$tmp/hooks.log" | tail -30
		not_ok "this --enable-test-hooks build installs"
		exit 0
	fi
else
	hooks=$tmp/hooks
	if build "$hooks" --enable-test-hooks; then
		mv "$hooks/root" "$tmp/hooks-root"
		ok "a --enable-test-hooks build configures, builds and installs"
	else
		not_ok "a --enable-test-hooks build configures, builds and installs"
		exit 0
	fi
fi
found=$(hooks_in "$tmp/hooks-root" | tr '\n' ' ')
if [ "$found" = "timeit fault-string fault-symbol " ]; then
	ok "a --enable-test-hooks install has xlite-timeit, XLITE_FAULT and the fault injector (not the fake)"
else
	not_ok "a --enable-test-hooks install has xlite-timeit, XLITE_FAULT and the fault injector, not the fake (found: $found)"
fi
