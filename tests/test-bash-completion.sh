#!/bin/bash
# xlite's bash completion (xl-lite/xlite.bash-completion), sourced in bash
# against this build's command table (`xlite help`), with `xlite list`
# answered by a fixed table: verbs, options per verb, an option's values,
# domain names, file names for create and restore. TAP; arguments (--tap
# -k) are ignored.
srcdir=${G_TEST_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
builddir=${G_TEST_BUILDDIR:-$(pwd)}
XLITE_BIN=$builddir/xlite
n=0
failed=0

# `xlite` for the completion: the real one, but list answers a fixed
# table (no Xen here)
xlite() {
	if [ "$1" = list ]; then
		printf '%s\n' 'Name                                        ID   Mem VCPUs	State	Time(s)' \
			'Domain-0                                     0   768     1     r-----      10.0' \
			'web1                                         3    16     1     -b----       0.1' \
			'db2                                          -   256     2     shut off        -'
		return 0
	fi
	"$XLITE_BIN" "$@"
}

# shellcheck source=../xl-lite/xlite.bash-completion
. "$srcdir/xl-lite/xlite.bash-completion"

# expect WHAT "WORDS OF THE LINE" "EXPECTED COMPREPLY, sorted, space-separated":
# completes the line's last word (an empty one when the line ends in a space)
expect() {
	local what=$1 line=$2 want=$3 got
	read -r -a COMP_WORDS <<<"$line"
	[[ $line == *" " ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_xlite
	got=$(printf '%s\n' "${COMPREPLY[@]}" | grep -v '^$' | sort | tr '\n' ' ' | sed 's/ $//')
	n=$((n + 1))
	if [ "$got" = "$want" ]; then
		echo "ok $n - $what"
	else
		echo "not ok $n - $what"
		echo "#   line '$line': want '$want', got '$got'"
		failed=1
	fi
}

# has WHAT LINE WORD...: COMPREPLY holds each WORD
has() {
	local what=$1 line=$2 w all
	shift 2
	read -r -a COMP_WORDS <<<"$line"
	[[ $line == *" " ]] && COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_xlite
	all=" ${COMPREPLY[*]} "
	n=$((n + 1))
	for w in "$@"; do
		if [[ $all != *" $w "* ]]; then
			echo "not ok $n - $what"
			echo "#   line '$line': no '$w' in '${COMPREPLY[*]}'"
			failed=1
			return
		fi
	done
	echo "ok $n - $what"
}

if [ ! -x "$XLITE_BIN" ]; then
	echo "1..0 # skip: no $XLITE_BIN"
	exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/xlite-completion.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
cd "$tmp" || exit 1
mkdir sub
touch web.xml db.xml notes.txt

expect "a verb from its start" "xlite dm" "dmesg"
expect "verbs sharing a start" "xlite block-" "block-attach block-detach block-list"
has "every verb of the table, from xlite help" "xlite " create list top dmesg destroy migrate-receive --version
has "a verb's options, from its usage and help" "xlite top -" -b -d -n -s -r --batch --delay --sort
expect "an option's start" "xlite dmesg --c" "--clear"
expect "top -s: the sort keys" "xlite top -s " "cpu disk id mem name net"
expect "top -s c: cpu" "xlite top -s c" "cpu"
expect "top -d SECONDS: nothing to offer" "xlite top -d " ""
expect "a domain name (xlite list's, defined ones too)" "xlite pause " "Domain-0 db2 web1"
expect "a domain name from its start" "xlite shutdown -w w" "web1"
expect "after the domain: nothing more" "xlite pause web1 " ""
expect "create: .xml files and directories" "xlite create " "db.xml sub web.xml"
expect "create after its options" "xlite create -n --json w" "web.xml"
expect "restore: any file" "xlite restore " "db.xml notes.txt sub web.xml"
expect "restore FILE NEWNAME: no file for the name" "xlite restore web.xml " ""
expect "save: the domain, then the file" "xlite save -c web1 n" "notes.txt"
expect "sched-credit2 -d: a domain" "xlite sched-credit2 -d d" "db2"
expect "migrate -s CMD: not a verb" "xlite migrate -s " ""
expect "list NAME...: names again and again" "xlite list -l web1 D" "Domain-0"
expect "help CMD: the verbs" "xlite help to" "top"
expect "an unknown verb: nothing" "xlite frobnicate " ""
echo "1..$n"
exit $failed
