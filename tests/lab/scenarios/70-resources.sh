# Issue 10's live resources on real Xen, with a Linux PV guest of max 512
# MiB, boot target 256 MiB, guaranteed minimum 192 MiB, 2 vCPUs (vCPU 1
# pinned to CPU 1), credit2 weight 512 and cap 150 from its XML:
#   - create applies them all (xenstore, xl sched-credit2, xl vcpu-list);
#   - mem-set 400M grows the guest's own MemTotal and xl list agrees; xl's
#     mem-set is seen by xlite list -l; mem-set below the minimum or above
#     the maximum is refused with the figures, nothing changed; mem-min;
#   - vcpu-set 2 -> 1 -> 2 is seen by the guest (/sys/.../cpu/online) and by
#     xl vcpu-list (Linux makes a vCPU set online present; the guest script
#     then onlines it, as a distribution's udev rule does); vcpu-pin both
#     ways between xl and xlite;
#   - sched-credit2 weight and cap both ways between xl and xlite.
# The guest also has <e820_host state='on'/> (libxl's e820_host): its
# kernel's memory map (dmesg's "Xen: [mem ...]") holds the host's reserved
# ranges, its RAM ends at its 256 MiB target and its balloon room is at
# 4 GiB, into which the mem-set 400m above grows it.
. "$(dirname "$0")/lib.sh"

N=res70
W=/tmp/xlite-res
LOG=/var/log/xen/guest-$N.log
mkdir -p "$W"

glog() { tr -d '\r' <"$LOG" 2>/dev/null; }
# The guest's last report: "RES mem=KB cpus=LIST" (printed when it changes).
gmem() { glog | sed -n 's/^RES mem=\([0-9]*\) .*/\1/p' | tail -1; }
gcpus() { glog | sed -n 's/^RES mem=[0-9]* cpus=\(.*\)$/\1/p' | tail -1; }
xs() { xenstore-read "/local/domain/$D/$1" 2>&1; }
xl_mem() { xl list "$N" 2>/dev/null | awk 'NR == 2 { print $3 }'; }
# xl_vcpu VCPU FIELD: from xl vcpu-list (FIELD: cpu, state, hard).
xl_vcpu() {
	xl vcpu-list "$N" 2>/dev/null | awk -v v="$1" -v f="$2" '
		$1 != "Name" && $3 == v { if (f == "cpu") print $4; else if (f == "state") print $5;
			else print $(NF - 2) }'
}
xlite_vcpu() {
	xlite vcpu-list "$N" 2>/dev/null | awk -v v="$1" -v f="$2" '
		$1 != "Name" && $3 == v { if (f == "cpu") print $4; else if (f == "state") print $5;
			else print $(NF - 2) }'
}
sched_of() { "$1" sched-credit2 -d "$N" 2>/dev/null | awk -v n="$N" '$1 == n { print $3, $4 }'; }
mem_above() { [ "$(gmem)" -gt "$1" ] 2>/dev/null; }
mem_below() { [ "$(gmem)" -lt "$1" ] 2>/dev/null; }
cpus_are() { [ "$(gcpus)" = "$1" ]; }

guest_xml "$W/g.xml" $N 512 "" current=256 vcpus=2/2 <<'EOF'
dmesg | sed -n 's/.*Xen: \[mem \(0x[0-9a-f]*\)-\(0x[0-9a-f]*\)\] \(.*\)$/E820 \1 \2 \3/p'
old=
while :; do
	# What a udev rule does in a full distribution (Debian's
	# 40-vm-hotadd.rules): a vCPU the host made present is brought online.
	for c in /sys/devices/system/cpu/cpu[0-9]*/online; do
		[ "$(cat $c)" = 0 ] && echo 1 >$c
	done
	cur="RES mem=$(sed -n 's/^MemTotal: *\([0-9]*\).*/\1/p' /proc/meminfo) cpus=$(cat /sys/devices/system/cpu/online)"
	[ "$cur" != "$old" ] && echo "$cur"
	old=$cur
	sleep 1
done
EOF
awk '{ print }
	/<memory / { print "  <memtune><min_guarantee unit='"'"'MiB'"'"'>192</min_guarantee></memtune>"
		print "  <cputune><shares>512</shares><cap>150</cap><vcpupin vcpu='"'"'1'"'"' cpuset='"'"'1'"'"'/></cputune>"
		print "  <features><xen><e820_host state='"'"'on'"'"'/></xen></features>" }' \
	"$W/g.xml" >"$W/res.xml"

# ---- create: the XML's resources applied ------------------------------------
rm -f "$LOG"
check "create -n shows min, target, max, pin, weight, cap" sh -c \
	"xlite create -n $W/res.xml | grep -q 'memory min 196608 KiB' &&
	 xlite create -n $W/res.xml | grep -q 'vcpupin 1 cpus 1' &&
	 xlite create -n $W/res.xml | grep -q 'sched weight 512'"
check "create the guest (max 512, target 256, min 192 MiB)" xlite create "$W/res.xml"
D=$(xlite list $N 2>/dev/null | awk 'NR == 2 { print $2 }')
check_eq "memory/static-max in KiB" 524288 "$(xs memory/static-max)"
check_eq "memory/target in KiB" 262144 "$(xs memory/target)"
check_eq "xlite/memory-min in KiB" 196608 "$(xs xlite/memory-min)"
check_eq "xl sched-credit2 shows the XML's weight and cap" "512 150" "$(sched_of xl)"
check_eq "xl vcpu-list shows vCPU 1 pinned to CPU 1" 1 "$(xl_vcpu 1 hard)"
check_eq "xlite vcpu-list shows the same pin" 1 "$(xlite_vcpu 1 hard)"
check_match "list -l shows min, target, max (no demand: no agent)" \
	"^$N +$D .* 192 +256 +[0-9]+ +512 +-\$" "$(xlite list -l $N)"
check_match "list --json has the memory figures" \
	'"memory": \{"min_kib": 196608, "target_kib": 262144, "actual_kib": [0-9]+, "max_kib": 524288, "min_guaranteed": true, "demand_kib": null\}' \
	"$(xlite list --json $N)"
if wait_for 240 sh -c "tr -d '\r' <$LOG | grep -q '^RES mem='"; then
	pass "the guest reports its MemTotal and online CPUs"
else
	fail "the guest reports its MemTotal and online CPUs"; glog | tail -5 | sed 's/^/#   /'
fi
M0=$(gmem)
echo "# guest MemTotal at 256 MiB: $M0 kB, online CPUs $(gcpus)"
check_eq "the guest has both vCPUs online" 0-1 "$(gcpus)"

# ---- e820_host: the host's memory map ------------------------------------------
glog | grep '^E820 ' | sed 's/^/# guest /'
echo "# host (Xen's map):"; xl dmesg | grep -A12 'Xen-e820 RAM map' | grep '^(XEN)  \[' | sed 's/^/#   /'
check_eq "e820_host is recorded for describe" 1 "$(xs xlite/e820-host)"
check_match "e820_host: the guest's map holds the host's MMCONFIG range (reserved)" \
	"^E820 0x0*b0000000 0x0*bfffffff reserved" "$(glog)"
check_match "e820_host: ... and the host's range below 4 GiB at 0xfffc0000 (reserved)" \
	"^E820 0x0*fffc0000 0x0*ffffffff reserved" "$(glog)"
check_match "e820_host: its RAM below 4 GiB ends at its 256 MiB target" \
	"^E820 0x0*100000 0x0*fffffff usable" "$(glog)"
check_match "e820_host: the host's RAM above it is unusable to the guest" \
	"^E820 0x0*10000000 0x0*7ffdefff unusable" "$(glog)"
check_match "e820_host: its balloon room is at 4 GiB" "^E820 0x0*100000000 0x[0-9a-f]+ usable" \
	"$(glog)"

# The guest's balloon follows a mem-set: WHAT its MemTotal does, the test
# (mem_above|mem_below) and its bound in kB; then xl list's MiB, within
# XLCMP XLBOUND, matching RE (SHOWN in the check's name).
balloon_follows() {
	if wait_for 60 "$2" "$3"; then pass "the guest's MemTotal $1 ($(gmem) kB)"
	else fail "the guest's MemTotal $1 (still $(gmem) kB)"; fi
	wait_for 20 sh -c "[ \$(xl list $N | awk 'NR == 2 { print \$3 }') $4 $5 ]"
	check_match "xl list shows ~$6 MiB" "$7" "$(xl_mem)"
}

# ---- memory -------------------------------------------------------------------
check "mem-set $N 400m" xlite mem-set $N 400m
check_eq "memory/target is 400 MiB" 409600 "$(xs memory/target)"
balloon_follows "grows by 144 MiB worth" mem_above $((M0 + 120000)) -ge 395 400 '^(39[5-9]|40[0-5])$'
check_status "mem-set below the minimum is refused (exit 1)" 1 xlite mem-set $N 100
check_match "the refusal names the rule and the figures" \
	'min <= target <= max must hold: .*minimum 192 MiB above the target 100 MiB' "$(cat "$LAB_TMP/out")"
check_status "mem-set above the maximum is refused (exit 1)" 1 xlite mem-set $N 1g
check_match "that refusal gives the maximum" 'target 1024 MiB above the maximum 512 MiB' \
	"$(cat "$LAB_TMP/out")"
check_eq "the refusals changed nothing" 409600 "$(xs memory/target)"
check_status "a malformed size is a usage error (exit 2)" 2 xlite mem-set $N 12x
check "mem-min $N 300" xlite mem-min $N 300
check_status "mem-set under the new minimum is refused" 1 xlite mem-set $N 256
check "mem-min back to 192" xlite mem-min $N 192
check "mem-set $N 300" xlite mem-set $N 300
balloon_follows "shrinks again" mem_below $((M0 + 120000)) -le 305 300 '^(29[5-9]|30[0-5])$'
# xl's mem-set needs libxl's own record of the domain (xl refuses xlite's
# domains: "unable to retrieve domain configuration"): xl's own guest.
cat >"$W/xl-tiny.cfg" <<EOF
name = "xltiny70"
kernel = "${LAB_GUESTS:-/lab/guests}/tiny.bin"
memory = 32
maxmem = 64
EOF
check "xl creates a tiny guest with memory 32, maxmem 64" xl create "$W/xl-tiny.cfg"
check "xl mem-set xltiny70 48" xl mem-set xltiny70 48
check_match "xlite list -l sees xl's target and max (no minimum)" \
	'^xltiny70 +[0-9]+ .* 0 +48 +[0-9]+ +64 +-$' "$(xlite list -l xltiny70)"
check "xlite mem-set xltiny70 40" xlite mem-set xltiny70 40
check_eq "xl's domain has xlite's target" 40960 \
	"$(xenstore-read /local/domain/$(xl domid xltiny70)/memory/target 2>&1)"
check "xl mem-set xltiny70 56 after xlite's" xl mem-set xltiny70 56
check "xl destroy xltiny70" xl destroy xltiny70
check "mem-max $N 480" xlite mem-max $N 480
check_eq "memory/static-max follows mem-max" 491520 "$(xs memory/static-max)"
check_status "mem-max under the target is refused" 1 xlite mem-max $N 200

# ---- vCPUs -----------------------------------------------------------------------
check "vcpu-set $N 1" xlite vcpu-set $N 1
if wait_for 30 cpus_are 0; then pass "the guest has CPU 0 alone online"; else
	fail "the guest has CPU 0 alone online (cpus $(gcpus))"; fi
wait_for 10 sh -c "xl vcpu-list $N | awk '\$3 == 1 { print \$5 }' | grep -q p"
check_eq "xl vcpu-list shows vCPU 1 offline" --p "$(xl_vcpu 1 state)"
check_eq "xlite vcpu-list shows the same" --p "$(xlite_vcpu 1 state)"
check "vcpu-set $N 2" xlite vcpu-set $N 2
if wait_for 30 cpus_are 0-1; then pass "the guest brings CPU 1 back"; else
	fail "the guest brings CPU 1 back (cpus $(gcpus))"; fi
check_status "vcpu-set beyond the maximum is refused" 1 xlite vcpu-set $N 3
check_match "that refusal gives the maximum" 'has 2 vCPUs at most' "$(cat "$LAB_TMP/out")"
check "vcpu-pin $N 0 1" xlite vcpu-pin $N 0 1
check_eq "xl vcpu-list sees xlite's pin" 1 "$(xl_vcpu 0 hard)"
check "xl vcpu-pin $N 1 0" xl vcpu-pin $N 1 0
check_eq "xlite vcpu-list sees xl's pin" 0 "$(xlite_vcpu 1 hard)"
check "vcpu-pin $N all all" xlite vcpu-pin $N all all
check_eq "both vCPUs may run anywhere again" "all all" "$(xl_vcpu 0 hard) $(xl_vcpu 1 hard)"
check_status "vcpu-pin to a CPU the host lacks is refused" 1 xlite vcpu-pin $N 0 7
check_match "vcpu-list --json" '"vcpu": 1, "online": true' "$(xlite vcpu-list --json $N)"

# ---- scheduler ---------------------------------------------------------------------
check "sched-credit2 -d $N -w 300 -c 50" xlite sched-credit2 -d $N -w 300 -c 50
check_eq "xl sched-credit2 sees weight 300 cap 50" "300 50" "$(sched_of xl)"
check "xl sched-credit2 -d $N -w 700" xl sched-credit2 -d $N -w 700
check_eq "xlite sched-credit2 sees xl's weight, the cap kept" "700 50" "$(sched_of xlite)"
check "sched-credit2 -d $N -c 0 keeps the weight" xlite sched-credit2 -d $N -c 0
check_eq "weight 700, no cap" "700 0" "$(sched_of xl)"
check_match "sched-credit2 lists Domain-0" '^Domain-0 +0 ' "$(xlite sched-credit2)"

check "destroy $N" xlite destroy $N
rm -rf "$W"
finish
