# Twenty creates at once, then twenty destroys at once, of tiny guests, five
# rounds in one boot: every command succeeds (a xenstore transaction conflict
# is retried, never reported), every domain shows in `xlite list` and
# `xl list`, and after the destroys nothing of any of them is left: no
# domain, no /local/domain/D, no /vm/UUID, no backend directory, no name
# lock held, no monitor process. Prints (as comments) the wall time of each
# round and how many transaction conflicts the creates retried
# (XLITE_DEBUG's "xenstore commit" line); tests/bench/concurrency.sh
# compares with xl.
. "$(dirname "$0")/lib.sh"

EX=/lab/src/examples
N=${CONC_N:-20}
ROUNDS=${CONC_ROUNDS:-5}
LOCKS=/run/xlite
T=$LAB_TMP/conc
mkdir -p "$T"

cs() { awk '{ split($1, a, "."); print a[1] * 100 + substr(a[2] "00", 1, 2) }' /proc/uptime; }
secs() { echo "$(($1 / 100)).$(printf %02d $(($1 % 100)))"; }
names() { i=1; while [ "$i" -le "$N" ]; do echo "conc$i"; i=$((i + 1)); done; }
xs_has() { xenstore-ls "$1" >/dev/null 2>&1 || xenstore-read "$1" >/dev/null 2>&1; }

for n in $(names); do
	sed "s|<name>[^<]*</name>|<name>$n</name>|" "$EX/tiny.xml" >"$T/$n.xml"
done

# all N at once: run VERB for every name in the background, then wait for
# all; $T/NAME.VERB holds the output, $T/NAME.VERB.rc the exit status.
all() {
	verb=$1
	for n in $(names); do
		case $verb in
		create) (XLITE_DEBUG=1 xlite create -q "$T/$n.xml" >"$T/$n.create" 2>&1
			echo $? >"$T/$n.create.rc") & ;;
		destroy) (xlite destroy "$n" >"$T/$n.destroy" 2>&1
			echo $? >"$T/$n.destroy.rc") & ;;
		esac
	done
	wait
}

# failed VERB: the names whose VERB did not exit 0, and why (comments).
failed() {
	for n in $(names); do
		[ "$(cat "$T/$n.$1.rc" 2>/dev/null)" = 0 ] && continue
		printf ' %s' "$n"
		grep -v '^xc: \|^xlite: build\|^xlite: xenstore commit' "$T/$n.$1" |
			tail -3 | sed 's/^/#   /' >&2
	done
}

# missing LIST: the names not at the start of a line of LIST.
missing() {
	for n in $(names); do
		printf '%s\n' "$1" | grep -q "^$n " || printf ' %s' "$n"
	done
}

# left: what is still there of this round's domains ($T/ids: NAME DOMID UUID).
left() {
	types=$(xenstore-list /local/domain/0/backend 2>/dev/null)
	while read -r n d u; do
		xl list "$d" >/dev/null 2>&1 && printf ' domain %s' "$d"
		xs_has "/local/domain/$d" && printf ' /local/domain/%s' "$d"
		[ -n "$u" ] && xs_has "/vm/$u" && printf ' /vm/%s' "$u"
		for t in $types; do
			xs_has "/local/domain/0/backend/$t/$d" && printf ' backend/%s/%s' "$t" "$d"
		done
		[ -e "$LOCKS/$n.lock" ] && ! flock -n "$LOCKS/$n.lock" true && printf ' lock:%s' "$n"
	done <"$T/ids"
	for p in /proc/[0-9]*; do
		case "$(tr '\0' ' ' <"$p/cmdline" 2>/dev/null)" in
		*xlite*create*"$T/conc"*) printf ' monitor:%s' "${p#/proc/}" ;;
		esac
	done
}
nothing_left() { [ -z "$(left)" ]; }

# conflicts: the transaction conflicts this round's creates retried.
conflicts() {
	cat "$T"/*.create | sed -n 's/^xlite: xenstore commit: .* \([0-9]*\) conflicts retried.*/\1/p' |
		awk '{ s += $1 } END { print s + 0 }'
}

r=1
total_conflicts=0
while [ "$r" -le "$ROUNDS" ]; do
	rm -f "$T"/*.rc "$T"/*.create "$T"/*.destroy
	t0=$(cs)
	all create
	t1=$(cs)
	check_eq "round $r: all $N concurrent creates succeed" "" "$(failed create)"
	check_eq "round $r: xlite list shows all $N" "" "$(missing "$(xlite list 2>&1)")"
	check_eq "round $r: xl list shows all $N" "" "$(missing "$(xl list 2>&1)")"
	: >"$T/ids"
	for n in $(names); do
		d=$(xl domid "$n" 2>/dev/null)
		[ -n "$d" ] || continue
		echo "$n $d $(xenstore-read "/local/domain/$d/vm" 2>/dev/null | sed 's|^/vm/||')" >>"$T/ids"
	done
	c=$(conflicts)
	total_conflicts=$((total_conflicts + c))

	t2=$(cs)
	all destroy
	t3=$(cs)
	check_eq "round $r: all $N concurrent destroys succeed" "" "$(failed destroy)"
	if wait_for 30 nothing_left; then
		pass "round $r: nothing of the $N domains is left"
	else
		fail "round $r: nothing of the $N domains is left (left:$(left))"
	fi
	echo "# round $r: $N creates $(secs $((t1 - t0))) s ($c conflicts retried)," \
		"$N destroys $(secs $((t3 - t2))) s"
	r=$((r + 1))
done
echo "# $ROUNDS rounds: $total_conflicts transaction conflicts retried in all"
finish
