# lab: hostfwd
# One console for two hosts (issue 12): host 2's xlited listens on the
# lab link; host 1's has it as a peer (URL, token, certificate pin). From
# host 1's API: host 2's host document and domains, an action forwarded
# to host 2 and carried out there (xl on host 2 sees it), a peer that stops
# answering is reported, not hung on. Then the browser on this machine
# (tests/lab/host/webui-peers, through QEMU's forward to host 1's
# 10.0.2.15:8443) logs in to host 1 and sees both hosts, each with its own
# guest, and pauses host 2's guest through host 1's page.
. "$(dirname "$0")/lib.sh"

ST=/var/lib/xlite
CERT=$ST/xlited-cert.pem
URL=https://127.0.0.1:8443
CONF=$LAB_TMP/xlite.conf
LOG=$LAB_TMP/xlited.log
G1=con1
G2=con2

get() {
	_p=$1; shift
	curl -s --max-time 60 --cacert "$CERT" -o "$LAB_TMP/body" -w '%{http_code}' "$@" "$URL$_p"
}
api() { _m=$1 _p=$2; shift 2; get "$_p" -X "$_m" -H "Authorization: Bearer $TOKEN" "$@"; }
body() { cat "$LAB_TMP/body"; }
tiny() {
	printf "<domain type='xen'><name>%s</name><memory unit='MiB'>32</memory>%s%s</domain>\n" "$1" \
		"<os><type>xen</type><kernel>/lab/guests/tiny.bin</kernel></os>" \
		"<on_poweroff>destroy</on_poweroff>"
}
state2() { lab-on 2 "xl list $G2" 2>/dev/null | awk 'NR == 2 { print $5 }'; }

# ---- host 1 on QEMU's user network (its second NIC, after the link) -----------
IF=
for i in /sys/class/net/*; do
	[ "$(cat "$i/address" 2>/dev/null)" = 52:54:00:00:00:10 ] && IF=${i##*/}
done
check "host 1 has the forward's NIC ($IF)" test -n "$IF"
ip addr add 10.0.2.15/24 dev "$IF"
ip link set "$IF" up
ping -c 1 -W 2 10.0.2.2 >/dev/null 2>&1	# let QEMU's network learn dom0's address

# ---- host 2's xlited on the link, a guest on each host ------------------------
check "host 2: xlited starts, listening on the link" lab-on 2 \
	"printf '[daemon]\nlisten=0.0.0.0\nsample-interval=1\n' >/tmp/x2.conf &&
	 xlited -c /tmp/x2.conf --print-token >/dev/null 2>/tmp/x2.log &&
	 { xlited --foreground -c /tmp/x2.conf </dev/null >>/tmp/x2.log 2>&1 & }"
TOKEN2=$(lab-on 2 cat $ST/api-token)
FP2=$(lab-on 2 "sed '/-----/d' $CERT | base64 -d | sha256sum | cut -d' ' -f1")
check_match "host 2's token and certificate fingerprint" "^[^ ]{16,} [0-9a-f]{64}$" "$TOKEN2 $FP2"
tiny $G1 >"$LAB_TMP/$G1.xml"
check "create $G1 on host 1" xlite create "$LAB_TMP/$G1.xml"
tiny $G2 | lab-on 2 "cat >/tmp/$G2.xml"
check "create $G2 on host 2" lab-on 2 xlite create /tmp/$G2.xml

# ---- host 1's xlited with host 2 as its peer ----------------------------------
printf '[daemon]\nlisten=0.0.0.0\nsample-interval=1\n' >"$CONF"
xlited -c "$CONF" --print-token >/dev/null 2>>"$LOG"
TOKEN=$(cat $ST/api-token)
printf '[peers]\nhost2 = https://%s:8443 %s %s\n' "$LAB_PEER" "$TOKEN2" "$FP2" >>"$CONF"
xlited --foreground -c "$CONF" >>"$LOG" 2>&1 &
XPID=$!
if wait_for 150 curl -s --cacert "$CERT" -o /dev/null "$URL/"; then
	pass "host 1: xlited serves"; else fail "host 1: xlited serves"; sed 's/^/#   /' "$LOG"; fi
up2() { [ "$(api GET /api/v1/peers/host2/host)" = 200 ]; }
if wait_for 150 up2; then pass "host 2 answers through host 1"; else
	fail "host 2 answers through host 1 ($(body))"; lab-on 2 cat /tmp/x2.log | sed 's/^/#   /'; fi

check_eq "GET /api/v1/peers: 200" 200 "$(api GET /api/v1/peers)"
check_match "host2 is listed" '"name": *"host2"' "$(body)"
check_eq "GET /api/v1/peers/host2/host: 200" 200 "$(api GET /api/v1/peers/host2/host)"
check_match "it is host 2's document" '"host": *"xlite-lab-2"' "$(body)"
check_eq "GET /api/v1/peers/host2/domains: 200" 200 "$(api GET /api/v1/peers/host2/domains)"
check_match "host 2's domains have $G2" "\"name\": *\"$G2\"" "$(body)"
check_fails "and not host 1's $G1" grep -Eq "\"name\": *\"$G1\"" "$LAB_TMP/body"
check_eq "$G2's history through host 1: 200" 200 "$(api GET /api/v1/peers/host2/domains/$G2/history)"
check_match "it has samples" '"cpu_pct"' "$(body)"
check_eq "pause $G2 through host 1: 200" 200 "$(api POST /api/v1/peers/host2/domains/$G2/pause)"
check_match "xl on host 2 sees $G2 paused" "p" "$(state2)"
check_eq "unpause it the same way: 200" 200 "$(api POST /api/v1/peers/host2/domains/$G2/unpause)"
check_eq "xl on host 2 sees it running again" "" "$(state2 | tr -d 'rb-')"
check_eq "host 2's refusal comes back as it is: 404" 404 "$(api GET /api/v1/peers/host2/domains/$G1)"

# ---- the browser, on this machine ----------------------------------------------
host_run webui-peers "$TOKEN" host2 $G1 $G2
check_eq "after the browser, $G2 runs on host 2" "" "$(state2 | tr -d 'rb-')"

# ---- a peer that stops answering ------------------------------------------------
check "host 2's xlited stops" lab-on 2 "kill \$(pidof xlited)"
down2() { [ "$(api GET /api/v1/peers/host2/host)" = 502 ]; }
if wait_for 150 down2; then pass "host 2 down: 502 from host 1"; else
	fail "host 2 down: 502 from host 1 (got $(api GET /api/v1/peers/host2/host))"; fi
check_match "saying host 2 cannot be reached" "peer host2: cannot connect to 169.254.0.2 port 8443" "$(body)"
check_eq "host 1 itself still answers: 200" 200 "$(api GET /api/v1/host)"

kill $XPID 2>/dev/null
wait $XPID 2>/dev/null
check "destroy $G1" xlite destroy $G1
check "destroy $G2 on host 2" lab-on 2 xlite destroy $G2
ip addr del 10.0.2.15/24 dev "$IF" 2>/dev/null
finish
