# xlite-xenstore against the real xenstored, checked with Xen's own
# xenstore-* tools: read/write, ls (same bytes as xenstore-ls), rm, chmod,
# watch, dump --json, pipelined batches (atomic, retried), error statuses.
. "$(dirname "$0")/lib.sh"

X=xlite-xenstore
B=/tool/xlite-test
T=$LAB_TMP
xenstore-rm $B 2>/dev/null
# uptime in centiseconds (busybox date has no %N)
cs() { awk '{ printf "%d\n", $1 * 100 }' /proc/uptime; }

check "--version" $X --version
check "help lists the commands" sh -c "$X help | grep -q batch"

# ---- write / read ----
check "write a value" $X write $B/a hello
check_eq "read it back" "hello" "$($X read $B/a)"
check_eq "xenstore-read sees the same value" "hello" "$(xenstore-read $B/a)"
xenstore-write $B/b 'from xen'
check_eq "reads what xenstore-write wrote" "from xen" "$($X read $B/b)"
check "write several pairs in one transaction" $X write $B/m1 one $B/m2 two
check_eq "read several paths" "one
two" "$($X read $B/m1 $B/m2)"
check "write decodes escapes like xenstore-write" $X write $B/esc 'tab\there\x41'
check_eq "read quotes like xenstore-read" "$(xenstore-read $B/esc)" "$($X read $B/esc)"
check_eq "the escaped value is the real bytes" "$(printf 'tab\thereA')" "$($X read -R $B/esc)"
check "write -R writes the value as given" $X write -R $B/raw 'a\nb'
check_eq "raw value kept its backslash" 'a\\nb' "$(xenstore-read $B/raw)"
check "write an empty value" $X write $B/empty ""
check_eq "empty value reads empty" "" "$($X read $B/empty)"

# ---- ls: same bytes as xenstore-ls ----
$X write $B/ls/x 1 $B/ls/y/z deep $B/ls/long \
	"$(printf '%0100d' 7)" >/dev/null 2>&1
xenstore-write $B/ls/ctl "$(printf 'a\001b')"
check_eq "ls PATH matches xenstore-ls PATH" "$(xenstore-ls $B/ls)" "$($X ls $B/ls)"
check_eq "ls -p PATH matches xenstore-ls -p PATH" "$(xenstore-ls -p $B/ls)" "$($X ls -p $B/ls)"
# The whole store may change between the two listings (other scenarios'
# domains going away): one retry.
same_twice() {
	a=$($1 2>&1); b=$($2 2>&1)
	[ "$a" = "$b" ] || { sleep 1; a=$($1 2>&1); b=$($2 2>&1); }
	check_eq "$3" "$a" "$b"
}
same_twice "xenstore-ls" "$X ls" "ls of the whole store matches xenstore-ls"
same_twice "xenstore-ls -p /" "$X ls -p /" "ls -p of the whole store matches xenstore-ls -p"
check_match "ls indents one space per level" '^ z = "deep"$' "$($X ls $B/ls)"

# ---- rm ----
check "rm a node" $X rm $B/m1
check_fails "the removed node is gone for xenstore-read" xenstore-read $B/m1
check "rm several nodes" $X rm $B/m2 $B/b
check_fails "they are gone" xenstore-read $B/b
$X write $B/t/u/v 1
check "rm -t removes the emptied parents" $X rm -t $B/t/u/v
check_fails "rm -t removed the empty parent" xenstore-read $B/t
check_status "rm of a missing node exits 1" 1 $X rm $B/nope
check_match "rm of a missing node names it" "$B/nope" "$($X rm $B/nope 2>&1)"

# ---- chmod ----
$X write $B/p/q 1
check "chmod PATH b0 r0" $X chmod $B/p b0 r0
check_match "xenstore-ls -p shows the new permissions" '^p = "" .*\(b0,r0\)$' "$(xenstore-ls -p $B)"
check "chmod -r sets the subtree" $X chmod -r $B/p n0,r0
check_match "chmod -r reached the child" '^ q = "1" .*\(n0,r0\)$' "$(xenstore-ls -p $B)"
xenstore-chmod $B/p w0
check_match "dump shows what xenstore-chmod set" '"perms": \["w0"\]' "$($X dump --json $B/p)"
# Permissions naming another domain: xenstored may refuse unknown domains.
if $X chmod $B/p n0 r5 >$T/chmod5 2>&1; then
	check_match "permissions naming domain 5" '\(n0,r5\)$' "$(xenstore-ls -p $B | grep '^p =')"
else
	echo "# chmod n0 r5 refused by xenstored: $(cat $T/chmod5)"
	check_status "a refused chmod exits 1" 1 $X chmod $B/p n0 r5
fi
check_eq "ls -p after chmod matches xenstore-ls -p" "$(xenstore-ls -p $B)" "$($X ls -p $B)"
check_status "bad permission letter exits 2" 2 $X chmod $B/p x1
check_status "chmod of a missing node exits 1" 1 $X chmod $B/nope n0

# ---- watch ----
$X watch -n 1 -T 30 $B/w >$T/watch.out 2>$T/watch.err &
wpid=$!
# Keep writing until the watch reports (it may not be registered yet).
i=0
while kill -0 $wpid 2>/dev/null && [ $i -lt 100 ]; do
	xenstore-write $B/w/bar "x$i"; sleep 0.2; i=$((i + 1))
done
wait $wpid; rc=$?
check_eq "watch -n 1 exits 0 after one event" 0 "$rc"
check_eq "watch printed the changed path, not its initial event" "$B/w/bar" "$(cat $T/watch.out)"
cat $T/watch.err
check_eq "watch -i prints the initial event" "$B/w" "$($X watch -i -n 1 -T 20 $B/w)"
check_status "watch -T times out with exit 1" 1 $X watch -n 1 -T 1 $B/quiet
check_eq "watch on @introduceDomain is accepted" "@introduceDomain" \
	"$($X watch -i -n 1 -T 20 @introduceDomain)"

# ---- dump --json ----
xenstore-write $B/j/s 'say "hi"'
xenstore-write $B/j/d/e 'back\\slash'
xenstore-chmod -r $B/j n0 r0
xenstore-chmod $B/j/d b0
cat >$T/want.json <<EOF
{
  "path": "$B/j",
  "value": "",
  "perms": ["n0", "r0"],
  "children": [
    {
      "name": "s",
      "value": "say \\"hi\\"",
      "perms": ["n0", "r0"],
      "children": []
    },
    {
      "name": "d",
      "value": "",
      "perms": ["b0"],
      "children": [
        {
          "name": "e",
          "value": "back\\\\slash",
          "perms": ["n0", "r0"],
          "children": []
        }
      ]
    }
  ]
}
EOF
$X dump --json $B/j >$T/got.json 2>&1
check "dump --json prints the expected document" cmp $T/want.json $T/got.json
diff $T/want.json $T/got.json | sed 's/^/#   /' | head -20
check_match "dump --no-perms leaves perms out" '^  "value": ""' "$($X dump --no-perms $B/j)"
check_fails "dump --no-perms has no perms key" sh -c "$X dump --no-perms $B/j | grep -q perms"
check "dump of the whole store" sh -c "$X dump --json / >$T/all.json"
count_nodes() { xenstore-ls / | wc -l; }
count_objects() { $X dump --json / | grep -c '"name":'; }
same_twice count_nodes count_objects "dump of / has one object per node"

# ---- batch: one transaction, pipelined ----
xenstore-write $B/bt/old gone
cat >$T/ops <<EOF
# a device-like directory: perms first, then the nodes inherit them
mkdir $B/bt/dev n0,r0
write $B/bt/dev/state 1
write $B/bt/dev/name two words
write $B/bt/dev/q "line\\nbreak"
rm $B/bt/old
rm $B/bt/never-was
EOF
check "batch applies the operations" sh -c "$X batch --stats <$T/ops 2>$T/stats"
cat $T/stats
check_match "batch used the pipelined socket" 'via pipelined socket' "$(cat $T/stats)"
check_match "batch sent start + 7 requests + end" ' 9 requests' "$(cat $T/stats)"
check_eq "batch wrote state" "1" "$(xenstore-read $B/bt/dev/state)"
check_eq "batch wrote the rest of the line" "two words" "$(xenstore-read $B/bt/dev/name)"
check_eq "batch decoded the quoted value" 'line\nbreak' "$(xenstore-read $B/bt/dev/q)"
check_fails "batch removed old" xenstore-read $B/bt/old
check_match "nodes inherit the mkdir permissions" '^ state = "1" .*\(n0,r0\)$' "$(xenstore-ls -p $B/bt)"
check "batch -n prints without touching xenstore" sh -c "$X batch -n <$T/ops | grep -q '^mkdir $B/bt/dev n0,r0$'"

printf 'write %s/at/a 1\nwrite %s/at/b 2\nchmod %s/at/missing n0\n' $B $B $B >$T/bad
check_status "a batch with a failing op exits 1" 1 sh -c "$X batch <$T/bad"
check_match "the failure names the path" "$B/at/missing" "$($X batch <$T/bad 2>&1)"
check_fails "nothing of the failed batch was applied" xenstore-read $B/at/a
check_status "a malformed batch line exits 2" 2 sh -c "echo 'frob /x' | $X batch"

printf 'mkdir %s/wd n0\nwrite %s/wd/k via-dev\n' $B $B >$T/dev
check "batch over /dev/xen/xenbus" sh -c "$X batch --stats --wire=dev <$T/dev 2>$T/stats"
check_match "it used the xenbus device" 'pipelined /dev/xen/xenbus' "$(cat $T/stats)"
check_eq "batch over the device wrote" "via-dev" "$(xenstore-read $B/wd/k)"
printf 'write %s/wn/k via-libxenstore\n' $B >$T/none
check "batch through libxenstore" sh -c "$X batch --stats --wire=none <$T/none 2>$T/stats"
check_match "it used libxenstore" 'via libxenstore' "$(cat $T/stats)"
check_eq "batch through libxenstore wrote" "via-libxenstore" "$(xenstore-read $B/wn/k)"

# Conflicting batches from two processes: EAGAIN is retried, all commit.
: >$T/c.err
for who in p q; do
	(
		n=0; fail=0
		while [ $n -lt 15 ]; do
			printf 'write %s/c/x %s%d\nwrite %s/c/y %s%d\nrm %s/c/z\nwrite %s/c/z 1\n' \
				$B $who $n $B $who $n $B $B | $X batch --stats 2>>$T/c.err || fail=$((fail + 1))
			n=$((n + 1))
		done
		echo $fail >$T/c.$who
	) &
done
wait
_f=$LAB_FAILED
check_eq "30 concurrent conflicting batches all commit" "0 0" "$(cat $T/c.p) $(cat $T/c.q)"
[ "$LAB_FAILED" -gt "$_f" ] && grep -v ' operations, ' $T/c.err | head -5 | sed 's/^/#   /'
echo "# retries seen: $(awk '{ for (i = 2; i <= NF; i++) if ($i == "retries,") s += $(i - 1) } END { print s + 0 }' $T/c.err)"
x=$(xenstore-read $B/c/x); y=$(xenstore-read $B/c/y)
check_eq "x and y come from the same batch" "$x" "$y"

# A domain-create-sized batch: 30 writes under one directory.
{
	echo "mkdir $B/big n0,r0"
	i=0; while [ $i -lt 30 ]; do echo "write $B/big/k$i value-$i"; i=$((i + 1)); done
} >$T/big
t0=$(cs); $X batch --stats <$T/big 2>$T/stats.big; t1=$(cs)
$X rm $B/big
t2=$(cs); $X batch --stats --wire=none <$T/big 2>$T/stats.none; t3=$(cs)
echo "# 31-op batch: pipelined $((t1 - t0))0 ms ($(cat $T/stats.big)); libxenstore $((t3 - t2))0 ms ($(cat $T/stats.none))"
check_eq "the 31-op batch wrote all nodes" 30 "$(xenstore-list $B/big | wc -l)"

# ---- errors ----
check_status "read of a missing node exits 1" 1 $X read $B/nope
check_match "its message names the path" "read $B/nope: no such node" "$($X read $B/nope 2>&1)"
check_status "ls of a missing node exits 1" 1 $X ls $B/nope
check_status "dump of a missing node exits 1" 1 $X dump --json $B/nope
check_status "unknown flag exits 2" 2 $X ls -z
check_status "unknown command exits 2" 2 $X frobnicate
check_status "invalid path exits 2" 2 $X read 'no/slash'
check_status "odd write arguments exit 2" 2 $X write $B/a
check_status "watch -n 0 exits 2" 2 $X watch -n 0 $B

xenstore-rm $B
finish
