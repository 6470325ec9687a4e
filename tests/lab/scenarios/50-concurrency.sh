# Twenty creates at once, then twenty destroys at once, of tiny guests,
# two rounds in one boot: every command succeeds (a xenstore transaction
# conflict is retried, never reported), every domain shows in `xlite list`
# and `xl list`, and after the destroys nothing of any of them is left: no
# domain, no /local/domain/D, no /vm/UUID, no backend directory, no name
# lock held, no monitor process. Prints (as comments) the wall time of
# each round and how many transaction conflicts the creates retried
# (XLITE_DEBUG's "xenstore commit" lines); tests/bench/concurrency.sh
# compares with xl. The checks run few processes: under TCG each one costs.
. "$(dirname "$0")/lib.sh"

EX=/lab/src/examples
N=${CONC_N:-20}
# Two rounds (40 creates and 40 destroys at once) in the default run, to
# keep tests/run-all within its budget; CONC_ROUNDS=N for more.
ROUNDS=${CONC_ROUNDS:-2}
LOCKS=/run/xlite
T=$LAB_TMP/conc
mkdir -p "$T"

# dom0 has one vCPU, and twenty grub guests spin at their prompt: without
# the larger share, dom0's commands (and its kernel) starve for seconds.
dom0_weight() { xl sched-credit2 -d 0 -w "$1" >/dev/null 2>&1 || xl sched-credit -d 0 -w "$1" >/dev/null 2>&1; }
dom0_weight 65535
cs() { awk '{ split($1, a, "."); print a[1] * 100 + substr(a[2] "00", 1, 2) }' /proc/uptime; }
secs() { echo "$(($1 / 100)).$(printf %02d $(($1 % 100)))"; }
i=1
while [ "$i" -le "$N" ]; do echo "conc$i"; i=$((i + 1)); done >"$T/names"
NAMES=$(cat "$T/names")
for n in $NAMES; do
	sed "s|<name>[^<]*</name>|<name>$n</name>|" "$EX/tiny.xml" >"$T/$n.xml"
done

# all VERB: VERB (create or destroy) of every name, all started at once,
# then wait for all; $T/NAME.VERB holds the output, $T/NAME.VERB.rc the
# exit status.
all() {
	for n in $NAMES; do
		case $1 in
		create) (XLITE_DEBUG=1 xlite create -q "$T/$n.xml" >"$T/$n.create" 2>&1
			echo $? >"$T/$n.create.rc") & ;;
		destroy) (xlite destroy "$n" >"$T/$n.destroy" 2>&1
			echo $? >"$T/$n.destroy.rc") & ;;
		esac
	done
	wait
}

# failed VERB: the names whose VERB did not exit 0; why, as comments.
failed() {
	for f in $(grep -L -x 0 "$T"/*."$1".rc); do
		n=${f##*/}; n=${n%%.*}
		printf ' %s' "$n"
		grep -v '^xc: \|^xlite: build\|^xlite: xenstore commit' "$T/$n.$1" |
			tail -3 | sed 's/^/#   /' >&2
	done
}

# missing LIST: the names that do not start a line of LIST.
missing() {
	printf '%s\n' "$1" | awk 'NR == FNR { have[$1] = 1; next } !($1 in have) { printf " %s", $1 }' \
		- "$T/names"
}

# left: what is still there of this round's domains ($T/ids: NAME DOMID UUID).
left() {
	{
		echo "domains"; xl list 2>/dev/null | awk 'NR > 1 { print $2 }'
		echo "local"; xenstore-list /local/domain 2>/dev/null
		echo "vm"; xenstore-list /vm 2>/dev/null
		for t in $(xenstore-list /local/domain/0/backend 2>/dev/null); do
			echo "backend/$t"; xenstore-list "/local/domain/0/backend/$t" 2>/dev/null
		done
		# Held flocks, as "inode" (/proc/locks gives MAJ:MIN:INODE).
		echo "locks"; awk '$2 == "FLOCK" { n = split($6, f, ":"); print f[n] }' /proc/locks
		echo "lockfiles"; ls -i "$LOCKS" 2>/dev/null
		echo "monitors"; grep -l "$T/conc[0-9]" /proc/[0-9]*/cmdline 2>/dev/null
	} | awk -v ids="$T/ids" '
		BEGIN { while ((getline l < ids) > 0) { split(l, f, " "); id[f[2]] = f[1]; uu[f[3]] = 1 } }
		/^(domains|local|vm|backend\/.*|locks|lockfiles|monitors)$/ { sec = $0; next }
		sec == "domains" && ($1 in id) { printf " domain:%s", $1 }
		sec == "local" && ($1 in id) { printf " /local/domain/%s", $1 }
		sec == "vm" && ($1 in uu) { printf " /vm/%s", $1 }
		sec ~ /^backend/ && ($1 in id) { printf " %s/%s", sec, $1 }
		sec == "locks" { held[$1] = 1 }
		sec == "lockfiles" && ($1 in held) && $2 ~ /^conc/ { printf " lock:%s", $2 }
		sec == "monitors" { printf " monitor:%s", $1 }'
}
nothing_left() { [ -z "$(left)" ]; }

# conflicts: the transaction conflicts this round's creates retried.
conflicts() {
	awk '/^xlite: xenstore commit: / {
		for (i = 1; i < NF; i++) if ($(i + 1) == "conflicts") s += $i } END { print s + 0 }' \
		"$T"/*.create
}

r=1
total=0
while [ "$r" -le "$ROUNDS" ]; do
	rm -f "$T"/*.rc "$T"/*.create "$T"/*.destroy
	t0=$(cs)
	all create
	t1=$(cs)
	check_eq "round $r: all $N concurrent creates succeed" "" "$(failed create)"
	check_eq "round $r: xlite list shows all $N" "" "$(missing "$(xlite list 2>&1)")"
	xl list >"$T/xl-list" 2>&1
	check_eq "round $r: xl list shows all $N" "" "$(missing "$(cat "$T/xl-list")")"
	# NAME DOMID UUID of each, for the checks after the destroys.
	xenstore-ls -f /local/domain 2>/dev/null | awk 'NR == FNR { if (FNR > 1) id[$2] = $1; next }
		$2 == "=" && $1 ~ /^\/local\/domain\/[0-9]+\/vm$/ {
			split($1, p, "/"); u = $3; gsub(/"|\/vm\//, "", u)
			if ((p[4] in id) && id[p[4]] ~ /^conc/) print id[p[4]], p[4], u }' \
		"$T/xl-list" - >"$T/ids"
	check_eq "round $r: each has a /vm entry" "$N" "$(grep -c . "$T/ids")"
	check_eq "round $r: each create reported its xenstore commit (XLITE_DEBUG)" "$N" \
		"$(awk '/^xlite: xenstore commit: / { n++ } END { print n + 0 }' "$T"/*.create)"
	c=$(conflicts)
	total=$((total + c))

	t2=$(cs)
	all destroy
	t3=$(cs)
	check_eq "round $r: all $N concurrent destroys succeed" "" "$(failed destroy)"
	if wait_for 60 nothing_left; then
		pass "round $r: nothing of the $N domains is left"
	else
		fail "round $r: nothing of the $N domains is left (left:$(left))"
	fi
	echo "# round $r: $N creates $(secs $((t1 - t0))) s ($c conflicts retried)," \
		"$N destroys $(secs $((t3 - t2))) s"
	r=$((r + 1))
done
echo "# $ROUNDS rounds: $total transaction conflicts retried in all"
dom0_weight 256
finish
