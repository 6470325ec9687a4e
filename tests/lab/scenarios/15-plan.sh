# Domain XML and plans on real Xen: the installed xlite validates the
# examples and plans the golden files exactly; a created guest finds what
# the plan wrote (nodes, permissions, vCPUs online as planned and hotplug
# through cpu/N/availability, memory target), xenconsoled takes the
# console, and the guest may write its control/, data/ and error/ areas
# but nothing else of its domain directory. A create costs < 40 requests.
. "$(dirname "$0")/lib.sh"

SRC=/lab/src

# ---- validate and plan, no Xen involved --------------------------------
for f in "$SRC"/examples/*.xml; do
	check "validate examples/${f##*/}" xlite validate "$f"
done
cat >"$LAB_TMP/hvm.xml" <<'EOF'
<domain type='xen'><name>h</name><memory>65536</memory>
<os><type>hvm</type></os></domain>
EOF
check_status "validate refuses an HVM guest with exit 2" 2 xlite validate "$LAB_TMP/hvm.xml"
check_match "and says why, with the line" "hvm.xml:2: HVM guests are not supported" \
	"$(xlite validate "$LAB_TMP/hvm.xml" 2>&1)"
for x in "$SRC"/tests/golden/*.xml; do
	b=${x%.xml}
	xlite create -n "$x" >"$LAB_TMP/plan" 2>&1
	check "create -n ${x##*/} is tests/golden/${b##*/}.plan" cmp "$LAB_TMP/plan" "$b.plan"
	xlite create -n --json "$x" >"$LAB_TMP/json" 2>&1
	check "create -n --json ${x##*/} is tests/golden/${b##*/}.json" cmp "$LAB_TMP/json" "$b.json"
done

# ---- a tiny guest: the domain's nodes and their cost --------------------
OUT=$(xlite create --json "$SRC/examples/tiny.xml" 2>&1)
check_match "create examples/tiny.xml" '"name": "tiny1"' "$OUT"
REQ=$(echo "$OUT" | sed -n 's/.*"xenstore_requests": \([0-9]*\).*/\1/p')
echo "# tiny create: $REQ xenstore requests"
check "a create costs fewer than 40 xenstore requests" test "${REQ:-99}" -lt 40
T=$(xl domid tiny1 2>/dev/null)
TU=$(xenstore-read /local/domain/$T/vm 2>/dev/null)
check_match "domain dir: dom0's, guest reads" "\\(n0,r$T\\)" "$(xenstore-ls -p /local/domain/$T | head -1)"
check_match "its name" "^name = \"tiny1\"" "$(xenstore-ls /local/domain/$T)"
check_match "control/ is the guest's" "^control = \"\" .*\\(n$T\\)" "$(xenstore-ls -p /local/domain/$T)"
check_match "data/ is the guest's" "^data = \"\" .*\\(n$T\\)" "$(xenstore-ls -p /local/domain/$T)"
check_match "memory/ inherits dom0's" "^memory = \"\" .*\\(n0,r$T\\)" "$(xenstore-ls -p /local/domain/$T)"
check_eq "memory/target" 16384 "$(xenstore-read /local/domain/$T/memory/target)"
check_eq "memory/static-max" 16384 "$(xenstore-read /local/domain/$T/memory/static-max)"
check_eq "/vm names it" tiny1 "$(xenstore-read $TU/name)"
check_eq "/vm holds on_crash" destroy "$(xenstore-read $TU/on_crash)"
check "xenconsoled took the console (wrote its tty)" wait_for 10 xenstore-read /local/domain/$T/console/tty
check "destroy tiny1" xlite destroy tiny1

# ---- a Linux guest: what it may write, vCPU hotplug ---------------------
# The guest tries its areas, then waits for vCPU 1 to become present (Linux
# offlines vCPUs whose availability is "offline" and makes them present
# again when it turns "online"; onlining is then up to the guest, as a udev
# rule would). Its lines start with "xl15 " (the console holds the kernel's
# log too).
guest_xml "$LAB_TMP/smp.xml" smp15 192 "" current=160 vcpus=1/2 <<'EOF'
w(){ xenstore-write $1 1 2>/dev/null;echo xl15 $2=$?;}
w data/x DW;w error/x EW;w control/x CW;w name NW;w memory/target MW;w vm VW
w device/vbd/9/x DV;w cpu/1/availability AW
c=/sys/devices/system/cpu
echo xl15 T=$(xenstore-read memory/target) C=$(cat $c/online) P=$(cat $c/present)
(i=0;while ! grep -q 0-1 $c/present&&[ $i -lt 200 ];do sleep .3;i=$((i+1));done;echo 1 >$c/cpu1/online;echo xl15 CPU1=$(cat $c/online))&
EOF
check "create a 2-vCPU guest with 1 online" xlite create "$LAB_TMP/smp.xml"
S=$(xl domid smp15 2>/dev/null)
check_eq "cpu/1 starts offline" offline "$(xenstore-read /local/domain/$S/cpu/1/availability)"
ran() { guest_log smp15 | grep -q "xlite-guest: done"; }
if wait_for 240 ran; then pass "guest ran its script"; else
	fail "guest ran its script"; guest_log smp15 | tail -20 | sed 's/^/#   /'; fi
LOG=$(guest_log smp15 | tr -d '\r' | grep '^xl15 ')
echo "$LOG" | sed 's/^/# /'
check_match "guest writes data/" "DW=0" "$LOG"
check_match "guest writes error/" "EW=0" "$LOG"
check_match "guest writes control/" "CW=0" "$LOG"
check_match "guest cannot rename itself" "NW=[1-9]" "$LOG"
check_match "guest cannot set its memory target" "MW=[1-9]" "$LOG"
check_match "guest cannot change its vm path" "VW=[1-9]" "$LOG"
check_match "guest cannot make devices" "DV=[1-9]" "$LOG"
check_match "guest cannot online its own vCPUs" "AW=[1-9]" "$LOG"
check_match "guest reads its target (160 MiB)" "T=163840 " "$LOG"
check_match "guest starts with one vCPU online and present" "C=0 P=0\$" "$LOG"
check_eq "name unchanged" smp15 "$(xenstore-read /local/domain/$S/name)"
check_eq "Linux announced poweroff support in control/" 1 \
	"$(xenstore-read /local/domain/$S/control/feature-poweroff 2>&1)"
check "dom0 makes vCPU 1 available" xenstore-write /local/domain/$S/cpu/1/availability online
up() { guest_log smp15 | tr -d '\r' | grep -q "^xl15 CPU1=0-1"; }
if wait_for 60 up; then pass "guest saw vCPU 1 and brought it online"; else
	fail "guest saw vCPU 1 and brought it online"; guest_log smp15 | tail -5 | sed 's/^/#   /'; fi
check "destroy smp15" xlite destroy smp15
finish
