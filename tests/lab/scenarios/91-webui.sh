# lab: hostfwd
# xlited's web console and sampler in dom0 on real Xen. Over HTTPS from
# dom0 (curl): the page's files with their types and cache headers, no
# path out of the www directory, the sampler's history and `sample` SSE
# events, a running guest's console tail, the login cookie (HttpOnly,
# Secure, SameSite=Strict) and the CSRF header a change with it needs.
# Then the host side (tests/lab/host/webui: chromium and playwright-core)
# drives the console through QEMU's forward to dom0's 10.0.2.15:8443; its
# ok/not ok lines come back on port 9000 and are this file's own.
. "$(dirname "$0")/lib.sh"

ST=/var/lib/xlite
CERT=$ST/xlited-cert.pem
URL=https://127.0.0.1:8443
G=webguest
LOG=$LAB_TMP/xlited.log
CONF=$LAB_TMP/xlite.conf

# get PATH [CURL-ARG...]: the status; the body in $LAB_TMP/body, the
# headers in $LAB_TMP/headers
get() {
	_p=$1; shift
	curl -s --cacert "$CERT" -D "$LAB_TMP/headers" -o "$LAB_TMP/body" -w '%{http_code}' \
		"$@" "$URL$_p"
}
api() { _m=$1 _p=$2; shift 2; get "$_p" -X "$_m" -H "Authorization: Bearer $TOKEN" "$@"; }
header() { grep -i "^$1:" "$LAB_TMP/headers" | head -1 | tr -d '\r' | sed 's/^[^:]*: *//'; }
body() { cat "$LAB_TMP/body"; }
domid() { xlite list "$1" 2>/dev/null | awk 'NR == 2 { print $2 }'; }
count_samples() { tr -cd '{' <"$LAB_TMP/body" | wc -c; }

# ---- dom0 on QEMU's user network (the lab's `# lab: hostfwd`) ----------------
[ -e /sys/class/net/eth0 ] || modprobe e1000
wait_for 10 test -e /sys/class/net/eth0
ip addr add 10.0.2.15/24 dev eth0
ip link set eth0 up
ping -c 1 -W 2 10.0.2.2 >/dev/null 2>&1	# let QEMU's network learn dom0's address
check "dom0's eth0 has 10.0.2.15 (QEMU user network)" sh -c "ip addr show eth0 | grep -q 10.0.2.15"

# Two peers of this host: itself (to show the forwarding and the pin on one
# host) and the same with another fingerprint.
printf '[daemon]\nlisten=0.0.0.0\nsample-interval=1\n' >"$CONF"
xlited -c "$CONF" --print-token >/dev/null 2>>"$LOG"
FP=$(sed '/-----/d' "$CERT" | base64 -d | sha256sum | cut -d' ' -f1)
ZERO=0000000000000000000000000000000000000000000000000000000000000000
printf '[peers]\nself = https://127.0.0.1:8443 %s %s\nbad = https://127.0.0.1:8443 %s %s\n' \
	"$(cat $ST/api-token)" "$FP" "$(cat $ST/api-token)" "$ZERO" >>"$CONF"
xlited --foreground -c "$CONF" >>"$LOG" 2>&1 &
XPID=$!
if wait_for 30 curl -s --cacert "$CERT" -o /dev/null "$URL/"; then
	pass "xlited serves on 0.0.0.0:8443"; else fail "xlited serves on 0.0.0.0:8443"
	sed 's/^/#   /' "$LOG"; fi
TOKEN=$(cat "$ST/api-token" 2>/dev/null)
check_match "it logs the sampler's interval and the history's bound" \
	"sampling every 1 s; history 3600 s, 3601 records a domain, at most [0-9]+ KiB" "$(cat "$LOG")"

check_match "the fingerprint configured is the one it logs" \
	"SHA-256 $(echo "$FP" | tr a-f A-F | sed 's/../&:/g; s/:$//')" "$(cat "$LOG")"

# ---- the page's files ----------------------------------------------------------
check_eq "GET / without a token: 200 (the page holds no secret)" 200 "$(get /)"
check_match "/ is the console's index.html" "<title>xlite console</title>" "$(body)"
check_eq "index.html is text/html" "text/html; charset=utf-8" "$(header Content-Type)"
check_eq "index.html: revalidated (no-cache)" "no-cache" "$(header Cache-Control)"
check_match "a Content-Security-Policy: its own scripts only" "default-src 'self'" \
	"$(header Content-Security-Policy)"
check_eq "app.js: 200" 200 "$(get /app.js)"
check_eq "app.js is text/javascript" "text/javascript; charset=utf-8" "$(header Content-Type)"
check_eq "uPlot (vendored): 200" 200 "$(get /vendor/uplot/uPlot.iife.min.js)"
check_eq "uPlot: cached a day" "public, max-age=86400" "$(header Cache-Control)"
check_eq "the same bytes as installed" "$(md5sum </usr/share/xlite/www/vendor/uplot/uPlot.iife.min.js)" \
	"$(md5sum <"$LAB_TMP/body")"
check_eq "uPlot's licence is served" 200 "$(get /vendor/uplot/LICENSE)"
check_eq "../ out of the directory: 404" 404 "$(get /../../../etc/passwd --path-as-is)"
check_eq "%2e%2e out of the directory: 404" 404 "$(get /%2e%2e/%2e%2e/etc/passwd --path-as-is)"
check_eq "vendor/../../: 404" 404 "$(get /vendor/../../../etc/shadow --path-as-is)"
check_fails "nothing of /etc/passwd came back" grep -q "root:" "$LAB_TMP/body"
check_eq "a dot file: 404" 404 "$(get /.hidden)"
check_eq "no such file: 404" 404 "$(get /nothing.html)"
ln -sf /etc/passwd /usr/share/xlite/www/link.txt
check_eq "a symbolic link in the directory is not followed: 404" 404 "$(get /link.txt)"
rm -f /usr/share/xlite/www/link.txt
check_eq "the API still needs the token" 401 "$(get /api/v1/history)"

# ---- a running guest, sampled --------------------------------------------------
# It prints, then idles (under TCG a busy guest slows the whole lab).
printf 'echo webui-guest-up\nwhile :; do sleep 5; done\n' |
	guest_xml "$LAB_TMP/$G.xml" $G 160 ""
check "xlite create $G (a Linux guest)" xlite create "$LAB_TMP/$G.xml"
if wait_for 30 sh -c "[ \$(curl -s --cacert $CERT -H 'Authorization: Bearer $TOKEN' \
	$URL/api/v1/domains/$G/history | tr -cd '{' | wc -c) -ge 3 ]"; then
	pass "its history has 3 samples within 30 s (1 s interval)"; else
	fail "its history has 3 samples within 30 s (1 s interval)"; fi
check_eq "GET /api/v1/domains/$G/history: 200" 200 "$(api GET /api/v1/domains/$G/history)"
check_match "a sample: CPU %, memory figures, vCPUs, state, disk and network rates" \
	'"cpu_pct":[0-9.]+,"vcpus":1,"state":"[-rb]{6}","min_kib":[0-9]+,"target_kib":163840,"actual_kib":[0-9]+,"max_kib":163840,"demand_kib":(null|[0-9]+),"disk_read_bps":' \
	"$(body)"
# ?since=T: the samples after T only (more may have come since: the first
# one after T is the one that followed T)
body | grep -o '"t":[0-9]*' | cut -d: -f2 >"$LAB_TMP/times"
prev=$(tail -2 "$LAB_TMP/times" | head -1)
last=$(tail -1 "$LAB_TMP/times")
api GET "/api/v1/domains/$G/history?since=$prev" >/dev/null
check_eq "?since=T starts with the sample after T" "$last" \
	"$(body | grep -o '"t":[0-9]*' | head -1 | cut -d: -f2)"
check_eq "?since=T: none at or before T" "" \
	"$(body | grep -o '"t":[0-9]*' | cut -d: -f2 | awk -v p="$prev" '$1 <= p')"
check_eq "?since=not a number: 400" 400 "$(api GET "/api/v1/domains/$G/history?since=x")"
check_eq "by id as well" 200 "$(api GET "/api/v1/domains/$(domid $G)/history")"
check_eq "history of an unknown domain: 404" 404 "$(api GET /api/v1/domains/nosuch/history)"
check_eq "GET /api/v1/history (the host): 200" 200 "$(api GET /api/v1/history)"
check_match "host samples: CPU %, CPUs, domains, memory" \
	'"cpu_pct":[0-9.]+,"nr_cpus":[0-9]+,"domains":[0-9]+,"total_kib":[0-9]+,"free_kib":[0-9]+' "$(body)"
curl -s -N --cacert "$CERT" -H "Authorization: Bearer $TOKEN" "$URL/api/v1/events" \
	>"$LAB_TMP/events" 2>/dev/null &
EPID=$!
wait_for 60 sh -c "grep -A2 '^event: sample' '$LAB_TMP/events' | grep -q '^data: .*}}\$'"
kill "$EPID" 2>/dev/null
check_match "SSE: 'sample' events with every domain and the host" \
	"^data: \{\"domains\":\[.*\"name\":\"$G\".*\],\"host\":\{\"t\":" "$(grep -A2 '^event: sample' "$LAB_TMP/events")"
if wait_for 120 grep -q "webui-guest-up" "/var/log/xen/guest-$G.log"; then
	pass "the guest booted (its console log)"; else fail "the guest booted (its console log)"; fi
check_eq "GET /api/v1/domains/$G/console: 200" 200 "$(api GET /api/v1/domains/$G/console)"
check_match "the console's tail, as text" "webui-guest-up" "$(body)"
check_eq "console: text/plain" "text/plain; charset=utf-8" "$(header Content-Type)"
check_eq "console of an unknown domain: 404" 404 "$(api GET /api/v1/domains/nosuch/console)"

# ---- peers: /api/v1/peers/NAME/... forwarded, the certificate pinned ----------
check_eq "GET /api/v1/peers: 200" 200 "$(api GET /api/v1/peers)"
check_match "it lists self and bad (no tokens)" '^\[\{"name":"self",.*"name":"bad"' "$(body)"
check_fails "the list holds no token" grep -q "$TOKEN" "$LAB_TMP/body"
check_eq "GET /api/v1/peers/self/host: 200" 200 "$(api GET /api/v1/peers/self/host)"
check_match "the peer's host document" '"xen_version"' "$(body)"
check_eq "a peer's domain history: 200" 200 "$(api GET "/api/v1/peers/self/domains/$G/history?since=0")"
check_match "its samples" '"cpu_pct"' "$(body)"
check_eq "an action forwarded: POST .../peers/self/domains/$G/pause: 200" 200 \
	"$(api POST /api/v1/peers/self/domains/$G/pause)"
check_match "the domain is paused" "^..p" "$(xlite list $G | awk 'NR == 2 { print $5 }')"
check_eq "and unpause: 200" 200 "$(api POST /api/v1/peers/self/domains/$G/unpause)"
check_eq "a peer's error comes back as it is: 404" 404 "$(api GET /api/v1/peers/self/domains/nosuch)"
check_eq "a peer whose certificate is not the pinned one: 502" 502 "$(api GET /api/v1/peers/bad/host)"
check_match "502 says the fingerprint and that nothing was sent" \
	"peer bad: its certificate's SHA-256 is [0-9A-F]{64}, not the 0{64} configured: nothing sent" "$(body)"
check_eq "an unknown peer: 404" 404 "$(api GET /api/v1/peers/nosuch/host)"
check_eq "a path with .. : 400" 400 "$(api GET /api/v1/peers/self/../../host --path-as-is)"
check_eq "peers need the token too" 401 "$(get /api/v1/peers/self/host)"

# ---- login cookie, CSRF --------------------------------------------------------
check_eq "POST /login with a wrong token: 401" 401 \
	"$(get /login -X POST -H 'Content-Type: application/json' --data '{"token":"00"}')"
check_eq "POST /login with the token: 200" 200 \
	"$(get /login -X POST -H 'Content-Type: application/json' --data "{\"token\":\"$TOKEN\"}")"
check_match "it sets the cookie HttpOnly, Secure, SameSite=Strict" \
	"^xlited_token=$TOKEN; Path=/; HttpOnly; Secure; SameSite=Strict\$" "$(header Set-Cookie)"
CSRF=$(body | sed -n 's/.*"csrf":"\([0-9a-f]*\)".*/\1/p')
check_eq "and gives the CSRF value (64 hex digits)" 64 "$(printf %s "$CSRF" | wc -c)"
C="Cookie: xlited_token=$TOKEN"
check_eq "a GET with the cookie: 200" 200 "$(get /api/v1/domains -H "$C")"
check_eq "a change with the cookie and no CSRF header: 401" 401 \
	"$(get /api/v1/domains/$G/pause -X POST -H "$C")"
check_match "401 says the header is needed" "X-Xlited-CSRF" "$(body)"
check_eq "with a wrong CSRF header: 401" 401 \
	"$(get /api/v1/domains/$G/pause -X POST -H "$C" -H "X-Xlited-CSRF: ${CSRF%?}x")"
check_eq "still running" "" "$(xlite list $G | awk 'NR == 2 { print $5 }' | tr -d 'rb-')"
check_eq "with the cookie and the CSRF header: 200" 200 \
	"$(get /api/v1/domains/$G/pause -X POST -H "$C" -H "X-Xlited-CSRF: $CSRF")"
check_eq "unpause the same way: 200" 200 \
	"$(get /api/v1/domains/$G/unpause -X POST -H "$C" -H "X-Xlited-CSRF: $CSRF")"
check_eq "GET /api/v1/session with the cookie gives the same CSRF value" "$CSRF" \
	"$(get /api/v1/session -H "$C" >/dev/null; body | sed -n 's/.*"csrf":"\([0-9a-f]*\)".*/\1/p')"

# ---- the browser, on the host --------------------------------------------------
xl debug-keys h	# something in Xen's ring for the hypervisor log (10 may have cleared it)
host_run webui "$TOKEN" "$G"

# after the browser, which reads the guest's console
head -c 100000 /dev/zero | tr '\0' 'x' >>"/var/log/xen/guest-$G.log"
printf '\nwebui-tail-marker\n' >>"/var/log/xen/guest-$G.log"
api GET /api/v1/domains/$G/console >/dev/null
check_eq "a long console log: the last 64 KiB at most" 1 "$([ "$(wc -c <"$LAB_TMP/body")" -le 65536 ] && echo 1)"
check_eq "its tail, from a line's start (the cut line left out)" "webui-tail-marker" "$(body | head -1)"

# ---- cleanup -------------------------------------------------------------------
xlite destroy $G >/dev/null 2>&1
xlite destroy webtiny >/dev/null 2>&1
kill -TERM "$XPID"
wait "$XPID"
check_eq "xlited exits 0 on SIGTERM (the sampler thread joined)" 0 "$?"
check_fails "no warning or sanitizer report in xlited's log" grep -E 'warning|AddressSanitizer|runtime error' "$LOG"
grep -E 'warning|AddressSanitizer|runtime error' "$LOG" | sed 's/^/#   /' | head
ip link set eth0 down
ip addr flush dev eth0
finish
