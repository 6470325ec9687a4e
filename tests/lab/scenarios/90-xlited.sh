# lab: promtool
# xlited in dom0 on real Xen: its first start makes the certificate and a
# 0600 token; over HTTPS on loopback (curl pinned to that certificate) the
# API refuses a missing or wrong token (401), an oversized body (413), bad
# XML (400 with the line), an unknown domain (404); it creates a domain that
# `xlite list` then shows, pauses, resizes and destroys it, and two clients
# destroying one domain at once get one 200 and one 404 with nothing left
# behind; the event stream reports the create and the destroy; /metrics is
# Prometheus text. A restart keeps the token.
. "$(dirname "$0")/lib.sh"

EX=/lab/src/examples
ST=/var/lib/xlite
CERT=$ST/xlited-cert.pem
URL=https://127.0.0.1:8443
N=apitiny
LOG=$LAB_TMP/xlited.log

# api METHOD PATH [CURL-ARG...]: the status code; the body in $LAB_TMP/body
# (or $OUT when set).
api() {
	_m=$1 _p=$2; shift 2
	curl -s --cacert "$CERT" -o "${OUT:-$LAB_TMP/body}" -w '%{http_code}' -X "$_m" \
		-H "Authorization: Bearer $TOKEN" "$@" "$URL$_p"
}
body() { cat "${OUT:-$LAB_TMP/body}"; }
flat() { tr -d ' \n' <"${OUT:-$LAB_TMP/body}"; }	# a pretty document on one line
mode_of() { ls -ld "$1" 2>/dev/null | awk '{ print $1 }'; }
start_xlited() {
	xlited --foreground >>"$LOG" 2>&1 &
	XPID=$!
	wait_for 30 curl -s --cacert "$CERT" -o /dev/null "$URL/metrics"
}
domid() { xlite list "$1" 2>/dev/null | awk 'NR == 2 { print $2 }'; }
state() { xlite list "$1" 2>/dev/null | awk 'NR == 2 { print $5 }'; }

rm -rf "$ST"
check "curl is in dom0 (the lab stages it)" test -x /usr/bin/curl
if start_xlited; then pass "xlited --foreground serves HTTPS on 127.0.0.1:8443"; else
	fail "xlited --foreground serves HTTPS on 127.0.0.1:8443"; sed 's/^/#   /' "$LOG"; fi
TOKEN=$(cat "$ST/api-token" 2>/dev/null)
check_eq "the token is 64 hex digits" 64 "$(printf %s "$TOKEN" | tr -cd 0-9a-f | wc -c)"
check_eq "the token file is 0600" "-rw-------" "$(mode_of "$ST/api-token")"
check_eq "the key file is 0600" "-rw-------" "$(mode_of "$ST/xlited-key.pem")"
check_eq "the state directory is 0700" "drwx------" "$(mode_of "$ST")"
check_match "it logs the certificate's fingerprint" "SHA-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}" "$(cat "$LOG")"

# ---- authentication --------------------------------------------------------
code=$(curl -s --cacert "$CERT" -o "$LAB_TMP/body" -w '%{http_code}' "$URL/api/v1/domains")
check_eq "no token: 401" 401 "$code"
check_match "no token: a JSON error" '^\{"error":"no token.*"status":401\}' "$(body)"
code=$(curl -s --cacert "$CERT" -o "$LAB_TMP/body" -w '%{http_code}' \
	-H "Authorization: Bearer ${TOKEN%?}0" "$URL/api/v1/domains")
[ "${TOKEN%?}0" = "$TOKEN" ] && code=$(curl -s --cacert "$CERT" -o "$LAB_TMP/body" \
	-w '%{http_code}' -H "Authorization: Bearer ${TOKEN%?}1" "$URL/api/v1/domains")
check_eq "a wrong token (last digit changed): 401" 401 "$code"
check_match "a wrong token: a JSON error" '"error":"the token is not valid"' "$(body)"
code=$(curl -s --cacert "$CERT" -o /dev/null -w '%{http_code}' -H "Authorization: Basic $TOKEN" \
	"$URL/api/v1/domains")
check_eq "another scheme than Bearer: 401" 401 "$code"
check_fails "plain HTTP is not served" curl -s -m 10 -o /dev/null "http://127.0.0.1:8443/api/v1/host"

# ---- reading ---------------------------------------------------------------
check_eq "GET /api/v1/host: 200" 200 "$(api GET /api/v1/host)"
host=$(body)
check_match "host: the facts of xlite info --json (xen_version)" \
	"\"xen_version\": \"$(xlite info --json | sed -n 's/.*"xen_version": "\([^"]*\)".*/\1/p')\"" "$host"
check_match "host: nr_cpus as xlite info says" \
	"$(xlite info --json | grep -o '"nr_cpus": [0-9]*')" "$host"
check_eq "GET /api/v1/domains: 200" 200 "$(api GET /api/v1/domains)"
check_match "domains: Domain-0 as list --json shows it" '"name": "Domain-0", "domid": 0,' "$(body)"
check_eq "an unknown domain: 404" 404 "$(api GET /api/v1/domains/nosuchdomain)"
check_match "an unknown domain: a JSON error naming it" \
	"\"error\":\"domain 'nosuchdomain' does not exist\",\"status\":404" "$(body)"
check_eq "an unknown path: 404" 404 "$(api GET /api/v1/nothing)"
check_eq "a known path, another method: 405" 405 "$(api DELETE /api/v1/domains)"

# ---- bad requests ----------------------------------------------------------
head -c 300000 /dev/zero | tr '\0' 'x' >"$LAB_TMP/big"
check_eq "a 300 KB body: 413" 413 "$(api POST /api/v1/domains --data-binary @"$LAB_TMP/big")"
check_match "413: a JSON error" '"status":413' "$(body)"
printf '<domain type="xen">\n  <name>bad</name>\n  <memory>lots</memory>\n</domain>\n' \
	>"$LAB_TMP/bad.xml"
check_eq "bad XML: 400" 400 "$(api POST /api/v1/domains --data-binary @"$LAB_TMP/bad.xml")"
check_match "bad XML: the parser's error at its line" '"error":"body:3: .*"line":3' "$(body)"
check_eq "an XML that is not XML: 400" 400 "$(api POST /api/v1/domains --data-binary 'not xml')"
check_eq "bad XML created nothing" "" "$(domid bad)"

sed "s|<name>tiny1</name>|<name>$N</name>|" "$EX/tiny.xml" >"$LAB_TMP/$N.xml"
check_eq "?dry_run=1: 200" 200 "$(api POST "/api/v1/domains?dry_run=1" --data-binary @"$LAB_TMP/$N.xml")"
check_match "dry run: the plan as create -n --json prints it" "\"name\": \"$N\"" "$(body)"
check_eq "dry run created nothing" "" "$(domid $N)"

# ---- events, create, actions ------------------------------------------------
curl -sN --cacert "$CERT" -H "Authorization: Bearer $TOKEN" "$URL/api/v1/events" \
	>"$LAB_TMP/events" 2>&1 &
EPID=$!
if wait_for 20 grep -q '^: ready' "$LAB_TMP/events"; then pass "the event stream opens"; else
	fail "the event stream opens"; fi

check_eq "POST /api/v1/domains (tiny guest): 201" 201 \
	"$(api POST /api/v1/domains --data-binary @"$LAB_TMP/$N.xml")"
check_match "201: its name and id" "\"name\":\"$N\",\"domid\":[0-9]+" "$(flat)"
D=$(domid $N)
check "xlite list shows the domain made through the API" test -n "$D"
if wait_for 20 grep -q "\"type\":\"created\",\"name\":\"$N\",\"domid\":$D" "$LAB_TMP/events"
then pass "SSE: a created event for it"; else
	fail "SSE: a created event for it"; sed 's/^/#   /' "$LAB_TMP/events"; fi
check_eq "the same name again: 409" 409 "$(api POST /api/v1/domains --data-binary @"$LAB_TMP/$N.xml")"
check_match "409: says it exists" "already|exists" "$(body)"
check_eq "GET the domain by name: 200" 200 "$(api GET /api/v1/domains/$N)"
check_match "it is the one xlite lists" "\"name\":\"$N\",\"domid\":$D," "$(flat)"
check_eq "GET it by id: 200" 200 "$(api GET /api/v1/domains/$D)"

check_eq "pause: 200" 200 "$(api POST /api/v1/domains/$N/pause)"
check_match "xlite list shows it paused" "^..p" "$(state $N)"
if wait_for 10 grep -q "\"type\":\"paused\",\"name\":\"$N\"" "$LAB_TMP/events"
then pass "SSE: a paused event"; else fail "SSE: a paused event"; fi
check_eq "unpause: 200" 200 "$(api POST /api/v1/domains/$N/unpause)"
check_match "xlite list shows it unpaused" "^..-" "$(state $N)"
check_eq "pausing Domain-0: 403" 403 "$(api POST /api/v1/domains/Domain-0/pause)"

check_eq "a target below the minimum: 409" 409 \
	"$(api PUT /api/v1/domains/$N/memory --data-binary '{"target": "12m"}')"
check_match "409: the rule and the figures" "refused.*min" "$(body)"
check_eq "min and target lowered at once: 200" 200 \
	"$(api PUT /api/v1/domains/$N/memory --data-binary '{"min": 8192, "target": "12m"}')"
check_match "the domain's memory after" '"min_kib":8192,"target_kib":12288' "$(flat)"
check_match "xlite list -l agrees" "^$N .* 8 +12 " "$(xlite list -l $N)"
check_eq "memory: not JSON: 400" 400 "$(api PUT /api/v1/domains/$N/memory --data-binary 'x')"
check_eq "vcpus beyond its maximum: refused" 400 \
	"$(api PUT /api/v1/domains/$N/vcpus --data-binary '{"count": 2}')"
check_eq "vcpus within: 200" 200 "$(api PUT /api/v1/domains/$N/vcpus --data-binary '{"count": 1}')"

# ---- metrics -----------------------------------------------------------------
check_eq "GET /metrics: 200" 200 "$(api GET /metrics)"
cp "$LAB_TMP/body" "$LAB_TMP/metrics"
check_match "metrics: the domain's CPU seconds" \
	"^xlite_domain_cpu_seconds_total\\{domain=\"$N\",domid=\"$D\"\\} [0-9]+\\.[0-9]+$" \
	"$(cat "$LAB_TMP/metrics")"
check_match "metrics: its target in bytes" \
	"^xlite_domain_memory_bytes\\{domain=\"$N\",domid=\"$D\",kind=\"target\"\\} 12582912$" \
	"$(cat "$LAB_TMP/metrics")"
# The text format: every sample "name{labels} number" of a family whose
# HELP and TYPE came first, no family twice, a newline at the end.
check "metrics: Prometheus text format (HELP, TYPE, samples)" awk '
	/^# HELP / { if (help[$3]++) bad = "HELP twice: " $3; next }
	/^# TYPE / { if (type[$3]++ || $4 !~ /^(counter|gauge)$/) bad = "TYPE: " $0; next }
	/^#/ { next }
	{ name = $1; sub(/\{.*/, "", name)
	  if (!type[name] || !help[name]) bad = "no TYPE/HELP before " $0
	  if ($0 !~ /^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? -?[0-9.eE+-]+$/)
		bad = "bad sample: " $0
	  n++ }
	END { if (bad) { print bad; exit 1 } if (!n) { print "no samples"; exit 1 } }' "$LAB_TMP/metrics"
check "metrics: ends with a newline" test "$(tail -c 1 "$LAB_TMP/metrics" | od -An -c | tr -d ' ')" = '\n'
if command -v promtool >/dev/null; then
	promtool check metrics <"$LAB_TMP/metrics" >"$LAB_TMP/promtool" 2>&1
	check_eq "promtool check metrics passes on /metrics (exit 0, no complaint)" "0" \
		"$?$(cat "$LAB_TMP/promtool")"
	rm -f "$(command -v promtool)"	# 47 MB of dom0's memory (its root is tmpfs)
else
	fail "promtool is in dom0 (the lab copies the host's, package prometheus)"
fi

# Figures only (no assertion): 20 GET /api/v1/domains on one TLS connection.
set --
while [ $# -lt 20 ]; do set -- "$@" "$URL/api/v1/domains"; done
curl -s --cacert "$CERT" -H "Authorization: Bearer $TOKEN" -w '%{stderr}%{time_total}\n' "$@" \
	2>"$LAB_TMP/times" >/dev/null
NDOM=$(xlite list | tail -n +2 | wc -l)
sort -n "$LAB_TMP/times" | awk -v d="$NDOM" '{ t[NR] = $1 * 1000 }
	END { if (NR) printf "# figure: GET /api/v1/domains x%d on one connection (%d domains): " \
		"p50 %.1f ms, max %.1f ms\n", NR, d, t[int((NR + 1) / 2)], t[NR] }'

# ---- two clients, one domain ---------------------------------------------------
UUID=$(xenstore-read "/local/domain/$D/vm" 2>/dev/null | sed 's|^/vm/||')
OUT=$LAB_TMP/d1 api POST /api/v1/domains/$N/destroy >"$LAB_TMP/c1" &
P1=$!
OUT=$LAB_TMP/d2 api POST /api/v1/domains/$N/destroy >"$LAB_TMP/c2" &
P2=$!
wait $P1 $P2
codes="$(cat "$LAB_TMP/c1") $(cat "$LAB_TMP/c2")"
check_match "two destroys at once: one 200, one 404" "^(200 404|404 200)$" "$codes"
check_match "the loser is told the domain does not exist" "domain '$N' does not exist" \
	"$(cat "$LAB_TMP/d1" "$LAB_TMP/d2")"
check_eq "xlite list no longer shows it" "" "$(domid $N)"
check "nothing of it is left in xenstore" sh -c "! xenstore-ls /local/domain/$D >/dev/null 2>&1 &&
	! xenstore-ls /vm/$UUID >/dev/null 2>&1"
if wait_for 20 grep -q "\"type\":\"destroyed\",\"name\":\"$N\",\"domid\":$D" "$LAB_TMP/events"
then pass "SSE: a destroyed event for it"; else
	fail "SSE: a destroyed event for it"; sed 's/^/#   /' "$LAB_TMP/events"; fi
check_eq "destroying it again: 404" 404 "$(api POST /api/v1/domains/$N/destroy)"
check_eq "destroying Domain-0: 403" 403 "$(api POST /api/v1/domains/0/destroy)"
check_eq "the daemon still answers after all that" 200 "$(api GET /api/v1/domains)"
check_eq "GET /api/v1/events/history: 200" 200 "$(api GET /api/v1/events/history)"
check_match "the history has its create and destroy, timed" \
	"\"time\":[0-9]{13},\"event\":\{\"type\":\"created\",\"name\":\"$N\".*\"event\":\{\"type\":\"destroyed\",\"name\":\"$N\"" \
	"$(flat)"
xl debug-keys h
check_eq "GET /api/v1/host/dmesg: 200" 200 "$(api GET /api/v1/host/dmesg)"
check_match "the hypervisor's log, as xlite dmesg" "'h' pressed" "$(body)"
check_eq "POST /api/v1/host/dmesg (would clear): 405" 405 "$(api POST /api/v1/host/dmesg)"

# ---- shutdown through the API: a Linux guest that powers off ---------------------
# on_poweroff=preserve: it stays shut down (the daemon's monitor thread
# leaves it so), for the event and `xlite list` to see.
L=apilinux
echo 'echo api-guest-up' | guest_xml "$LAB_TMP/$L.xml" $L 160 ""
sed -i 's|</domain>|  <on_poweroff>preserve</on_poweroff>\n</domain>|' "$LAB_TMP/$L.xml"
check_eq "POST a Linux guest: 201" 201 "$(api POST /api/v1/domains --data-binary @"$LAB_TMP/$L.xml")"
LD=$(domid $L)
if wait_for 240 grep -q "xlite-guest: ready" "/var/log/xen/guest-$L.log"; then
	pass "the Linux guest made through the API boots"; else
	fail "the Linux guest made through the API boots"; fi
check_eq "shutdown: 202 (asked; the guest acts)" 202 "$(api POST /api/v1/domains/$L/shutdown)"
check_match "202: names the action" '"action":"shutdown"' "$(flat)"
if wait_for 120 grep -q "\"type\":\"shutdown\",\"name\":\"$L\",\"domid\":$LD,.*\"reason\":\"poweroff\"" \
	"$LAB_TMP/events"; then pass "SSE: a shutdown event with its reason"; else
	fail "SSE: a shutdown event with its reason"; grep "$L" "$LAB_TMP/events" | sed 's/^/#   /'; fi
check_match "xlite list shows it shut down (preserved)" "^...s" "$(state $L)"
check_match "the daemon's monitor preserved it" "monitor of '$L'.*preserve" "$(cat "$LOG")"
check_eq "GET its xlite log: 200" 200 "$(api GET /api/v1/domains/$L/log)"
check_match "xlite's log of it: adopted, then preserved" "xlited.*adopted.*xlited.*preserve" \
	"$(body | tr '\n' ' ')"
check_eq "destroy the preserved domain: 200" 200 "$(api POST /api/v1/domains/$L/destroy)"
check_eq "it is gone" "" "$(domid $L)"
if wait_for 20 grep -q "\"type\":\"destroyed\",\"name\":\"$L\"" "$LAB_TMP/events"
then pass "SSE: its destroyed event"; else fail "SSE: its destroyed event"; fi
kill "$EPID" 2>/dev/null

# ---- restart ---------------------------------------------------------------------
kill -TERM "$XPID"
if wait_for 20 sh -c "! kill -0 $XPID 2>/dev/null"; then pass "SIGTERM stops xlited"; else
	fail "SIGTERM stops xlited"; kill -KILL "$XPID"; fi
wait "$XPID"
check_eq "it exits 0" 0 "$?"
if start_xlited; then pass "xlited starts again"; else fail "xlited starts again"; fi
check_eq "the token is the same after a restart" "$TOKEN" "$(cat "$ST/api-token")"
check_eq "the old token still works" 200 "$(api GET /api/v1/host)"
kill -TERM "$XPID"
wait "$XPID"
grep -q 'warning\|ERROR\|AddressSanitizer' "$LOG" && sed 's/^/#   /' "$LOG" | tail -20
check_fails "no warning or sanitizer report in xlited's log" grep -E 'warning|AddressSanitizer|runtime error' "$LOG"
finish
