#!/bin/sh
# `xlite validate` over the public libvirt corpus (../shared/corpus next to
# the source tree), as TAP: each file must be accepted, or rejected with a
# FILE:LINE: message naming the unsupported feature, as corpus/README.md says.
# Arguments (the harness passes --tap -k) are ignored.
srcdir=${G_TEST_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
builddir=${G_TEST_BUILDDIR:-.}
corpus=$srcdir/../shared/corpus
xlite=$builddir/xlite

if [ ! -d "$corpus" ]; then
	echo "1..0 # SKIP corpus not present ($corpus)"
	exit 0
fi
if [ ! -x "$xlite" ]; then
	echo "1..0 # SKIP $xlite not built"
	exit 0
fi

# file -> "ok" or "reject:PATTERN" (grep -E on the message)
expect() {
	case "$1" in
	basic-pv.xml) echo "reject:bootloader.*pygrub" ;;
	multiple-ip.xml) echo "reject:interface type 'ethernet' is not supported" ;;
	paravirt-cmdline.xml) echo "ok" ;;
	paravirt-type.xml) echo "ok" ;;
	single-serial-hvm.xml) echo "reject:HVM guests are not supported" ;;
	*) echo "any" ;;
	esac
}

# tap STATUS OK-TEXT FAIL-TEXT: test $i passed if STATUS is 0; on failure the
# tool's output follows as TAP comments.
tap() {
	if [ "$1" -eq 0 ]; then
		echo "ok $i - $2"
	else
		echo "not ok $i - $3"
		echo "$out" | sed 's/^/# /'
	fi
}

files=$(cd "$corpus" && ls *.xml 2>/dev/null)
n=0
for f in $files; do n=$((n + 1)); done
echo "1..$n"
i=0
tmp=${TMPDIR:-/tmp}/xlite-corpus.$$
trap 'rm -f "$tmp"' EXIT
for f in $files; do
	i=$((i + 1))
	"$xlite" validate "$corpus/$f" >"$tmp" 2>&1
	rc=$?
	out=$(cat "$tmp")
	want=$(expect "$f")
	case "$want" in
	ok)
		[ $rc -eq 0 ] && grep -q "^$corpus/$f: ok\$" "$tmp"
		tap $? "$f is accepted" "$f is accepted (exit $rc)" ;;
	reject:*)
		pat=${want#reject:}
		[ $rc -eq 2 ] && grep -Eq "^xlite: $corpus/$f:[0-9]+: .*$pat" "$tmp"
		tap $? "$f is rejected: $pat" \
			"$f is rejected with a message matching '$pat' (exit $rc)" ;;
	*)
		# not listed in the README: accepted, or rejected with FILE:LINE:
		[ $rc -eq 0 ] || { [ $rc -eq 2 ] && grep -Eq "^xlite: $corpus/$f:[0-9]+: " "$tmp"; }
		tap $? "$f is accepted or rejected with its line" "$f (exit $rc)" ;;
	esac
done
