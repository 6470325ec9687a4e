# PVH guests on real Xen (issue 11): the lab's Linux guest as
# <type machine='xenpvh'>xenpvh</type>, created by xlite itself (an HVM
# container with HAP, no device model), with a disk and a vif served by
# dom0's blkback and netback; the guest says it runs as PVH, reads and
# writes its disk, pings dom0; reboot gives a new domain that comes up
# again; shutdown and destroy leave no domain, node, loop device or vif.
# The guest has 512 MiB, 256 at boot: it starts in Xen's populate-on-demand
# mode, as libxl builds it: created paused, Xen holds 256 MiB with PoD
# entries beyond its cache; running, its balloon driver takes its MemTotal
# down and Xen's PoD entries within the cache; mem-set moves it up.
# Needs the lab CPU without RDTSCP (LAB.md "PVH guests").
. "$(dirname "$0")/lib.sh"

IMG=/tmp/xlite-pvh
BR=xlbr0
N=pvh1
LOG=/var/log/xen/guest-$N.log
mkdir -p "$IMG"

ip link add $BR type bridge 2>/dev/null
ip addr add 169.254.0.1/16 dev $BR 2>/dev/null
ip link set $BR up
yes "xlite pvh pattern" | head -c 4194304 >"$IMG/pat"
dd if=/dev/zero of="$IMG/disk.img" bs=1M count=8 2>/dev/null
dd if="$IMG/pat" of="$IMG/disk.img" conv=notrunc 2>/dev/null
PAT=$(md5sum <"$IMG/pat" | cut -d' ' -f1)
GUESTW=$(yes pvh | head -c 1048576 | md5sum | cut -d' ' -f1)

domid() { xlite list "$1" 2>/dev/null | awk 'NR == 2 { print $2 }'; }
xs_has() { xenstore-ls "$1" >/dev/null 2>&1 || xenstore-read "$1" >/dev/null 2>&1; }
# gone DOMID UUID: nothing of the domain in xenstore, no loop device on
# the image, no vif of the domain.
gone() {
	! xs_has "/local/domain/$1" && ! xs_has "/local/domain/0/backend/vbd/$1" &&
		! xs_has "/local/domain/0/backend/vif/$1" && ! xs_has "/vm/$2" &&
		! grep -qx "$IMG/disk.img" /sys/block/loop*/loop/backing_file 2>/dev/null &&
		! ls /sys/class/net 2>/dev/null | grep -q "^vif$1\."
}
new_id() { d=$(domid "$1"); [ -n "$d" ] && [ "$d" != "$2" ]; }
done_marker() { grep -q "xlite-guest: done" "$LOG" 2>/dev/null; }
# The guest's init traps poweroff and reboot only once its script is done
# (guest-init): a request before then is lost, for PV and PVH alike.
done_twice() { [ "$(grep -c "xlite-guest: done" "$LOG" 2>/dev/null)" -ge 2 ]; }

# The guest reports its kind (Linux's /sys/hypervisor/guest_type), reads
# dom0's pattern from xvda, writes its own 1 MiB at 4 MiB, pings dom0.
guest_xml "$IMG/pvh.xml" $N 512 "lab.ip=169.254.0.2/16" disk="$IMG/disk.img:xvda" \
	bridge="$BR" current=256 <<'EOF'
echo GT=$(cat /sys/hypervisor/guest_type)
i=0;while [ ! -b /dev/xvda ]&&[ $i -lt 300 ];do sleep .2;i=$((i+1));done
echo R=$(dd if=/dev/xvda bs=1M count=4 2>/dev/null|md5sum)
yes pvh|head -c 1048576|dd of=/dev/xvda bs=1M seek=4 conv=fsync 2>/dev/null;echo W=$?
ping -c3 -W5 169.254.0.1 >/dev/null;echo P=$?
mt() { sed -n 's/^MemTotal: *\([0-9]*\).*/\1/p' /proc/meminfo; }
i=0;while [ "$(mt)" -gt 300000 ]&&[ $i -lt 60 ];do sleep 1;i=$((i+1));done
echo MT=$(mt)
EOF
sed -i "s|<type>linux</type>|<type arch='x86_64' machine='xenpvh'>xenpvh</type>|" "$IMG/pvh.xml"
UUID=$(xlite create -n "$IMG/pvh.xml" | awk '$1 == "uuid" { print $2 }')
sed -i "s|<name>$N</name>|<name>$N</name><uuid>$UUID</uuid>|" "$IMG/pvh.xml"

check_match "xlite info says whether PV and PVH guests can be live-migrated" \
	"logdirty_pv +: (yes|no).*logdirty_pvh +: (yes|no)" "$(xlite info | tr '\n' ' ')"
check_match "xlite info: this Xen tracks PVH guests' dirty pages (hap)" \
	"logdirty_pvh +: yes \\(hap\\)" "$(xlite info)"
check_match "the plan says PVH" "^guest pvh: HVM container" "$(xlite create -n "$IMG/pvh.xml")"
check_match "the plan says populate-on-demand" \
	"^populate-on-demand: 512 MiB of guest memory, 256 MiB populated at boot" \
	"$(xlite create -n "$IMG/pvh.xml")"
# pod FIELD: pod_entries or pod_cache_kib of xlite list --json
pod() { xlite list --json $N 2>/dev/null | sed -n "s/.*\"$1\": \([0-9]*\).*/\1/p"; }
xl_mem_of() { xl list "$1" 2>/dev/null | awk 'NR == 2 { print $3 }'; }
# covered: the PoD entries left are within Xen's PoD cache (the guest can
# touch every page it has without Xen running out)
covered() { e=$(pod pod_entries) c=$(pod pod_cache_kib); [ -n "$e" ] && [ $((e * 4)) -le "$c" ]; }
mem_at_least() { [ "$(xl_mem_of $N)" -ge "$1" ] 2>/dev/null; }

# ---- create ------------------------------------------------------------------
rm -f "$LOG"
check "create a PVH guest with a disk and a vif" xlite create "$IMG/pvh.xml"
D1=$(domid $N)
echo "# $N is domain $D1"
check_match "xl list sees it" "^$N +$D1 " "$(xl list)"
check_match "xlite list sees it" "^$N +$D1 " "$(xlite list)"
check_eq "the vif is connected" "connected" \
	"$(xenstore-read /local/domain/0/backend/vif/$D1/0/hotplug-status 2>&1)"
if wait_for 240 done_marker; then pass "the PVH guest boots and runs its script"; else
	fail "the PVH guest boots and runs its script"; tail -30 "$LOG" | sed 's/^/#   /'; fi
OUT=$(cat "$LOG" 2>/dev/null)
check_match "its console shows the guest's ready line" "xlite-guest: ready" "$OUT"
check_match "the guest runs as PVH" "GT=PVH" "$OUT"
check_match "the guest read dom0's pattern from its disk" "R=$PAT" "$OUT"
check_match "the guest wrote its disk" "W=0" "$OUT"
check_match "the guest pinged dom0 over its vif" "P=0" "$OUT"
check_eq "dom0 reads what the guest wrote" "$GUESTW" \
	"$(dd if="$IMG/disk.img" bs=1M skip=4 count=1 2>/dev/null | md5sum | cut -d' ' -f1)"

# ---- populate-on-demand: 512 MiB of guest memory, 256 populated ----------------
MT=$(echo "$OUT" | tr -d '\r' | sed -n 's/^MT=//p')
echo "# guest MemTotal $MT kB; PoD entries $(pod pod_entries) pages, cache $(pod pod_cache_kib) KiB"
check "PoD: its balloon driver took it to its target (MemTotal $MT kB < 300000)" \
	test "${MT:-999999}" -lt 300000
check "PoD: Xen's PoD entries are within its cache" wait_for 30 covered
check "PoD: mem-set 320m" xlite mem-set $N 320m
check "PoD: the guest grows to 320 MiB (xl list)" wait_for 60 mem_at_least 318

# ---- reboot: a new domain, same name, comes up again ---------------------------
check "reboot" xlite reboot $N
if wait_for 120 new_id $N "$D1"; then pass "reboot gives a new id"; else fail "reboot gives a new id"; fi
D2=$(domid $N)
if wait_for 240 done_twice; then
	pass "the rebooted PVH guest comes up again and runs its script"
else
	fail "the rebooted PVH guest comes up again and runs its script"; tail -20 "$LOG" | sed 's/^/#   /'
fi
check "nothing of the first domain is left in xenstore" sh -c \
	"! xenstore-ls /local/domain/$D1 >/dev/null 2>&1 && ! xenstore-ls /local/domain/0/backend/vbd/$D1 >/dev/null 2>&1"

# ---- shutdown -w ---------------------------------------------------------------
check "shutdown -w returns after the PVH domain is gone" xlite shutdown -w --timeout 120 $N
xl list $N >/dev/null 2>&1 && tail -5 "$LOG" | sed 's/^/#   /'
check_fails "xl no longer lists it" sh -c "xl list $N"
if wait_for 10 gone "$D2" "$UUID"; then pass "nothing left after shutdown"; else
	fail "nothing left after shutdown"; fi

# ---- destroy -------------------------------------------------------------------
check "create it again, paused" xlite create -p "$IMG/pvh.xml"
D3=$(domid $N)
E0=$(pod pod_entries) C0=$(pod pod_cache_kib) M0=$(xl_mem_of $N)
echo "# paused: PoD entries $E0 pages, cache $C0 KiB; xl list: $M0 MiB"
check "PoD: before it runs, Xen has PoD entries beyond its cache" \
	test "$((${E0:-0} * 4))" -gt "${C0:-0}"
check "PoD: before it runs, Xen holds the boot target, not the maximum ($M0 MiB)" \
	sh -c "[ ${M0:-0} -ge 250 ] && [ ${M0:-0} -le 262 ]"
check "destroy" xlite destroy $N
check_status "xlite list of it exits 1 afterwards" 1 xlite list $N
check "nothing left after destroy" gone "$D3" "$UUID"
check_fails "PoD: Xen never ran out of PoD memory" \
	sh -c "xl dmesg | grep -Eqi 'out of (PoD|populate-on-demand) memory'"

finish
