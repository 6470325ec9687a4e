# xlited takes over the domains (issue 12), on real Xen:
#   - defined domains through the CLI without the daemon (define, list shows
#     them shut off, start, autostart, undefine; clashes refused) and
#     through the API (define, start, autostart, DELETE the definition);
#   - a CLI monitor gives way once the daemon has adopted its domain; while
#     the daemon runs, create starts no monitor; xl's domain is left to xl;
#   - a Linux guest (on_reboot restart) rebooted by `xlite reboot` is
#     restarted by the daemon exactly once;
#   - kill -9 of the daemon: the guest runs on; the daemon started again
#     adopts it (same id) and carries out its later poweroff (destroy);
#   - the balancer's loop ([balancer] enabled) moves the guest's memory and
#     reports contention: `balance` and `contention` events, GET
#     /api/v1/balancer with reasons, xlite_balancer_moves_total;
#   - a defined domain marked autostart is created when the daemon starts.
. "$(dirname "$0")/lib.sh"

EX=/lab/src/examples
ST=/var/lib/xlite
DEFS=$ST/domains
CERT=$ST/xlited-cert.pem
URL=https://127.0.0.1:8443
LOG=$LAB_TMP/xlited.log
L=lin92

api() {
	_m=$1 _p=$2; shift 2
	curl -s --cacert "$CERT" -o "$LAB_TMP/body" -w '%{http_code}' -X "$_m" \
		-H "Authorization: Bearer $TOKEN" "$@" "$URL$_p"
}
body() { tr -d ' \n' <"$LAB_TMP/body"; }
domid() { xlite list "$1" 2>/dev/null | awk 'NR == 2 { print $2 }'; }
state() { xlite list "$1" 2>/dev/null | awk 'NR == 2 { print $5 }'; }
new_id() { _d=$(domid "$1"); [ -n "$_d" ] && [ "$_d" != "-" ] && [ "$_d" != "$2" ]; }
gone() { [ -z "$(domid "$1")" ]; }
start_xlited() {
	xlited --foreground >>"$LOG" 2>&1 &
	XPID=$!
	wait_for 30 curl -s --cacert "$CERT" -o /dev/null "$URL/metrics"
}
# events FILE: an SSE client of the daemon now running, into FILE
events() {
	curl -sN --cacert "$CERT" -H "Authorization: Bearer $TOKEN" "$URL/api/v1/events" \
		>"$1" 2>&1 &
	EPID=$!
	wait_for 20 grep -q '^: ready' "$1"
}
tiny_as() { sed "s|<name>tiny1</name>|<name>$1</name>|" "$EX/tiny.xml" >"$LAB_TMP/$1.xml"; }
conf() {	# conf RESERVE: the host's settings, the balancer every 2 s
	mkdir -p /etc/xlite
	printf '[memory]\ndom0-reserve = %s\nheadroom = 64M\nstep-limit = 512M\nhysteresis = 8M\n[balancer]\nenabled = true\ninterval = 2\n' \
		"$1" >/etc/xlite/xlite.conf
}

[ -e /etc/xlite/xlite.conf ] && cp /etc/xlite/xlite.conf "$LAB_TMP/xlite.conf.saved"
rm -rf "$ST"
conf 512M

# ---- defined domains, CLI, no daemon -----------------------------------------
tiny_as d92a
check "define d92a" xlite define "$LAB_TMP/d92a.xml"
check_eq "its XML is kept, 0600" "-rw-------" "$(ls -l "$DEFS/d92a.xml" | awk '{ print $1 }')"
check_match "a uuid is written into it" "<uuid>[0-9a-f-]{36}</uuid>" "$(cat "$DEFS/d92a.xml")"
check_match "list shows it shut off" "^d92a +- +16 +1 +shut off" "$(xlite list)"
check_match "list --json: defined, domid null" \
	'"name":"d92a","domid":null,.*"state":"shutoff","defined":true,"autostart":false' \
	"$(xlite list --json d92a | tr -d ' \n')"
UUIDA=$(sed -n 's|.*<uuid>\(.*\)</uuid>.*|\1|p' "$DEFS/d92a.xml")
sed "s|<name>d92a</name>|<name>d92x</name>|" "$DEFS/d92a.xml" >"$LAB_TMP/d92x.xml"
check_status "another name with d92a's uuid: refused (exit 1)" 1 xlite define "$LAB_TMP/d92x.xml"
check_match "the refusal names the owner" "uuid $UUIDA is already that of defined domain 'd92a'" \
	"$(cat "$LAB_TMP/out")"
check_fails "nothing stored for it" test -e "$DEFS/d92x.xml"
printf '<domain type="xen">\n  <name>bad92</name>\n  <memory>lots</memory>\n</domain>\n' \
	>"$LAB_TMP/bad.xml"
check_status "invalid XML: exit 2" 2 xlite define "$LAB_TMP/bad.xml"
check_match "with the line" "bad.xml:3:" "$(cat "$LAB_TMP/out")"
check_fails "nothing stored" test -e "$DEFS/bad92.xml"
check "start d92a" xlite start d92a
DA=$(domid d92a)
check_match "it runs with an id" "^[0-9]+$" "$DA"
check_eq "with its defined uuid" "/vm/$UUIDA" "$(xenstore-read /local/domain/$DA/vm)"
check_status "start again: exit 1" 1 xlite start d92a
check_status "start of an undefined name: exit 1" 1 xlite start nosuch92
check "autostart d92a" xlite autostart d92a
check_eq "the autostart link" "../d92a.xml" "$(readlink "$DEFS/autostart/d92a.xml")"
check "autostart --disable" xlite autostart --disable d92a
check_fails "no link left" test -e "$DEFS/autostart/d92a.xml"
# The CLI's monitor of d92a watches it (no daemon yet).
if ps | grep -q '[x]lite start d92a'; then pass "a CLI monitor watches d92a"; else
	fail "a CLI monitor watches d92a"; fi

# ---- the daemon adopts ------------------------------------------------------------
cat >"$LAB_TMP/xl.cfg" <<EOF
name = "xl92"
kernel = "$LAB_GUESTS/tiny.bin"
memory = 16
EOF
check "xl create xl92" xl create "$LAB_TMP/xl.cfg"
if start_xlited; then pass "xlited starts"; else fail "xlited starts"; sed 's/^/#   /' "$LOG"; fi
TOKEN=$(cat "$ST/api-token" 2>/dev/null)
events "$LAB_TMP/ev1" || fail "the event stream opens"
if wait_for 30 grep -q "monitor of 'd92a' (id $DA): adopted" "$LOG"; then
	pass "the daemon adopts d92a"; else fail "the daemon adopts d92a"; fi
check_match "marked in xenstore" xlited "$(xenstore-read /local/domain/$DA/xlite/supervisor)"
if wait_for 30 sh -c "! ps | grep -q '[x]lite start d92a'"; then
	pass "d92a's CLI monitor gives way"; else fail "d92a's CLI monitor gives way"; fi
check_match "and says so in its log" "xlited carries out the actions of domain 'd92a'" \
	"$(cat /var/log/xen/xlite-d92a.log)"
check_match "xl's domain is left to xl" "domain 'xl92' .* is not xlite's" "$(cat "$LOG")"
check "xl destroy xl92" xl destroy xl92
check "xlite destroy d92a" xlite destroy d92a
check_status "xlited runs: a second one is refused" 1 xlited --foreground
check_match "saying why" "held by another xlited" "$(cat "$LAB_TMP/out")"

# ---- defined domains through the API ------------------------------------------------
tiny_as d92b
check_eq "POST /api/v1/domains/define: 201" 201 \
	"$(api POST /api/v1/domains/define --data-binary @"$LAB_TMP/d92b.xml")"
check_match "201: its name and uuid" '"name":"d92b","uuid":"[0-9a-f-]{36}"' "$(body)"
check "the CLI sees the definition" test -e "$DEFS/d92b.xml"
check_eq "define bad XML: 400" 400 "$(api POST /api/v1/domains/define --data-binary @"$LAB_TMP/bad.xml")"
check_match "400 with the line" '"line":3' "$(body)"
check_eq "GET /api/v1/domains: 200" 200 "$(api GET /api/v1/domains)"
check_match "it lists d92b shut off" '"name":"d92b","domid":null,.*"state":"shutoff"' "$(body)"
check_eq "POST .../d92b/start: 201" 201 "$(api POST /api/v1/domains/d92b/start)"
DB=$(domid d92b)
check_match "it runs" "^[0-9]+$" "$DB"
if wait_for 30 grep -q "monitor of 'd92b' (id $DB): adopted" "$LOG"; then
	pass "the daemon adopts what it started"; else fail "the daemon adopts what it started"; fi
check_fails "no CLI monitor for it" sh -c "ps | grep -q '[x]lite.*d92b'"
check_eq "start again: 409" 409 "$(api POST /api/v1/domains/d92b/start)"
check_eq "PUT .../autostart true: 200" 200 \
	"$(api PUT /api/v1/domains/d92b/autostart --data-binary '{"autostart": true}')"
check_eq "the link is there" "../d92b.xml" "$(readlink "$DEFS/autostart/d92b.xml")"
check_eq "PUT .../autostart, not a boolean: 400" 400 \
	"$(api PUT /api/v1/domains/d92b/autostart --data-binary '{"autostart": 1}')"
check_eq "DELETE .../nosuch/definition: 404" 404 "$(api DELETE /api/v1/domains/nosuch92/definition)"
check "xlite destroy d92b" xlite destroy d92b
check_match "list shows it shut off again" "^d92b +- .*shut off" "$(xlite list)"

# ---- a Linux guest: the balancer, then a reboot -------------------------------------
# The guest runs its agent (a report a second) and nothing else: its init
# then answers shutdown requests.
echo 'xlite-guest-agent -i 1 &' | guest_xml "$LAB_TMP/$L.tmp" $L 1024 "" current=256
awk '{ print } /<memory / { print "  <memtune><min_guarantee unit=\"MiB\">192</min_guarantee></memtune>" }' \
	"$LAB_TMP/$L.tmp" >"$LAB_TMP/$L.xml"
rm -f "/var/log/xen/guest-$L.log" "/var/log/xen/xlite-$L.log"
check "create $L (on_reboot restart by default) with the daemon running" xlite create "$LAB_TMP/$L.xml"
L1=$(domid $L)
check_fails "create started no CLI monitor" sh -c "ps | grep -q '[x]lite create.*$L'"
if wait_for 30 grep -q "monitor of '$L' (id $L1): adopted (on_poweroff destroy, on_reboot restart" "$LOG"
then pass "the daemon adopts $L"; else fail "the daemon adopts $L"; fi
if wait_for 240 grep -q "xlite-guest: done" "/var/log/xen/guest-$L.log"; then
	pass "$L boots"; else fail "$L boots"; fi
if wait_for 90 grep -q "\"type\":\"balance\",\"name\":\"$L\",\"domid\":$L1,\"from_kib\":262144" \
	"$LAB_TMP/ev1"; then pass "SSE: a balance event moves $L's memory"; else
	fail "SSE: a balance event moves $L's memory"; grep balancer "$LOG" | tail -5 | sed 's/^/#   /'; fi
check_match "with its reason" "\"type\":\"balance\",\"name\":\"$L\".*\"reason\":\"[a-z]" "$(cat "$LAB_TMP/ev1")"
check_eq "GET /api/v1/balancer: 200" 200 "$(api GET /api/v1/balancer)"
check_match "the last pass's decisions, with reasons" \
	"\"enabled\":true,\"interval_s\":2,.*\"decisions\":\\[\\{\"name\":\"$L\",\"domid\":$L1,.*\"reason\":" "$(body)"
check_match "and the passes that moved memory" "\"recent\":\\[\\{\"time\":.*\"moves\":\\[\\{\"name\":\"$L\"" "$(body)"
api GET /metrics >/dev/null
check_match "/metrics: xlite_balancer_moves_total above 0" '^xlite_balancer_moves_total [1-9]' \
	"$(cat "$LAB_TMP/body")"

check "xlite reboot $L" xlite reboot $L
if wait_for 120 new_id $L "$L1"; then pass "the daemon restarts it (a new id)"; else
	fail "the daemon restarts it (a new id)"; grep "$L" "$LOG" | tail -8 | sed 's/^/#   /'
	tail -3 "/var/log/xen/guest-$L.log" | sed 's/^/#   /'; fi
L2=$(domid $L)
if wait_for 240 sh -c "[ \$(grep -c 'xlite-guest: done' /var/log/xen/guest-$L.log) -ge 2 ]"
then pass "the restarted guest comes up"; else fail "the restarted guest comes up"; fi
check_eq "one domain called $L" 1 "$(xl list | grep -c "^$L ")"
check_eq "restarted exactly once (daemon log)" 1 "$(grep -c "monitor of '$L'.*restarted: id" "$LOG")"
check_match "from the first id to the second" "restarted: id $L1 -> $L2" "$(cat "$LOG")"
check_eq "one restart event" 1 "$(grep -c "\"type\":\"action\",\"name\":\"$L\",\"domid\":$L1,\"action\":\"restart\",\"new_domid\":$L2" "$LAB_TMP/ev1")"
# xlited writes its own lines for $L into the same log ("adopted", its
# on_* actions); a CLI monitor's lines are "xlite-monitor[PID]: ...".
check_fails "no CLI monitor ran for $L" grep -q "xlite-monitor\\[" "/var/log/xen/xlite-$L.log"

# ---- kill -9: the guest goes on, a new daemon adopts it -----------------------------
kill "$EPID" 2>/dev/null
kill -9 "$XPID"
wait "$XPID" 2>/dev/null
check_eq "after kill -9 the guest still runs, same id" "$L2" "$(domid $L)"
# The next start sees a host short of memory: dom0's reserve takes it all.
conf 3000M
xlite autostart d92b >/dev/null
if start_xlited; then pass "xlited starts again"; else fail "xlited starts again"; fi
events "$LAB_TMP/ev2" || fail "the event stream opens again"
# The first daemon made $L2 itself (the restart): only the new one adopts it.
if wait_for 30 grep -q "monitor of '$L' (id $L2): adopted" "$LOG"; then
	pass "the new daemon adopts $L again"; else fail "the new daemon adopts $L again"; fi
check_eq "it was not restarted" "$L2" "$(domid $L)"
# The first pass runs as the daemon starts, before a client can subscribe:
# the daemon's log has every event it sent.
if wait_for 60 grep -q 'event {"type":"contention","state":"started".*"short":\["'$L'"\]' "$LOG"
then pass "a contention event names $L"; else
	fail "a contention event names $L"; grep contention "$LOG" | tail -3 | sed 's/^/#   /'; fi
check_match "admission kept d92b (autostart) out: the reserve leaves no room" \
	"autostart of 'd92b': .*" "$(cat "$LOG")"
check "xlite shutdown $L (on_poweroff destroy)" xlite shutdown $L
if wait_for 120 gone $L; then pass "the new daemon carries out its poweroff"; else
	fail "the new daemon carries out its poweroff"; fi
check_match "its log says so" "monitor of '$L' \\(id $L2\\): domain $L2 shut down: destroyed" "$(cat "$LOG")"
if wait_for 20 grep -q "\"type\":\"destroyed\",\"name\":\"$L\",\"domid\":$L2" "$LAB_TMP/ev2"
then pass "SSE: its destroyed event"; else fail "SSE: its destroyed event"; fi
kill "$EPID" 2>/dev/null

# ---- autostart ---------------------------------------------------------------------
kill -TERM "$XPID"
wait "$XPID"
check_eq "SIGTERM: xlited exits 0" 0 "$?"
conf 512M
if start_xlited; then pass "xlited starts a third time"; else fail "xlited starts a third time"; fi
if wait_for 60 sh -c "xlite list d92b | grep -q '^d92b  *[0-9]'"; then
	pass "the autostart domain d92b is created at the daemon's start"; else
	fail "the autostart domain d92b is created at the daemon's start"; fi
if wait_for 30 sh -c "grep -q \"monitor of 'd92b' (id \$(xlite list d92b | awk 'NR == 2 { print \$2 }')): adopted\" '$LOG'"
then pass "and adopted"; else fail "and adopted"; fi
check "xlite destroy d92b" xlite destroy d92b
check_eq "DELETE .../d92b/definition: 200" 200 "$(api DELETE /api/v1/domains/d92b/definition)"
check_fails "its definition and link are gone" sh -c "ls $DEFS/d92b.xml $DEFS/autostart/d92b.xml 2>/dev/null | grep -q ."
check "xlite undefine d92a" xlite undefine d92a
check_status "undefine again: exit 1" 1 xlite undefine d92a
check_eq "no defined domain left in the list" "" "$(xlite list | grep 'shut off')"
kill -TERM "$XPID"
wait "$XPID"
check_fails "no sanitizer report in xlited's log" grep -E 'AddressSanitizer|runtime error|LeakSanitizer' "$LOG"
grep -E 'warning' "$LOG" | sed 's/^/# daemon: /' | head -10
rm -f /etc/xlite/xlite.conf
[ -e "$LAB_TMP/xlite.conf.saved" ] && cp "$LAB_TMP/xlite.conf.saved" /etc/xlite/xlite.conf
finish
