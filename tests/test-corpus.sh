#!/bin/sh
# The public libvirt corpus (tests/corpus/, libvirt/ included) through
# `xlite validate` and `xlite create -n --json`,
# as TAP: each file accepted (or refused as it must be), and its plan
# compared field by field with libvirt's expected xl config (.cfg) or libxl
# JSON (.json) beside it. tests/test-corpus-fields.py does the work and
# lists what other work is pending (SKIP, naming it) and what xlite does
# not honour (TODO, with why). Arguments (the harness passes --tap -k) are
# ignored.
srcdir=${G_TEST_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
builddir=${G_TEST_BUILDDIR:-.}
# The corpus is kept in the tree (tests/corpus/, libvirt's test data,
# LGPL-2.1+, unchanged); XLITE_CORPUS names another copy.
corpus=${XLITE_CORPUS:-$srcdir/tests/corpus}
xlite=$builddir/xlite

if [ ! -d "$corpus" ]; then
	echo "1..0 # SKIP corpus not present ($corpus)"
	exit 0
fi
if [ ! -x "$xlite" ]; then
	echo "1..0 # SKIP $xlite not built"
	exit 0
fi
if ! command -v python3 >/dev/null 2>&1; then
	echo "1..0 # SKIP python3 not installed (scripts/install-deps installs it)"
	exit 0
fi
exec python3 "$srcdir/tests/test-corpus-fields.py" "$corpus" "$xlite"
