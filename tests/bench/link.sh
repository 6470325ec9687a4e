# Benchmark: TCP throughput across the two-host lab's link, busybox nc
# from one dom0 to the other (`tests/lab/xlite-lab run --hosts 2
# tests/bench/link.sh`). Figures only, one line a direction:
#   bench link 1->2: mib=16 bytes=... secs=... mb_s=...
# MIB (default 16) of zeros per direction, each bounded by LIMIT seconds
# (default 300: bytes tells what arrived). secs: from the sender's start to
# its nc's end, which is when the receiver has read everything and closed.
[ "${LAB_HOSTS:-1}" = 2 ] || { echo "bench: needs the two-host lab (run --hosts 2)"; exit 1; }
MIB=${MIB:-16} LIMIT=${LIMIT:-300}
on() { if [ "$1" = 1 ]; then shift; sh -c "$*"; else shift; lab-on 2 "$*"; fi; }
now() { cut -d' ' -f1 /proc/uptime; }

one() {	# one FROM TO
	# The receiver counts behind nc -e (a listener whose own stdin ends
	# would end the connection early); its count is its answer's end.
	on "$2" "rm -f /tmp/link.rx; echo 'wc -c >/tmp/link.rx.t; mv /tmp/link.rx.t /tmp/link.rx' >/tmp/link-rx.sh
		timeout $LIMIT nc -l -p 9001 -e sh /tmp/link-rx.sh </dev/null >/dev/null 2>&1 &"
	n=0	# it listens when port 9001, 0x2329, is in LISTEN (0A)
	until on "$2" "cat /proc/net/tcp /proc/net/tcp6 | grep -qE ':2329 0+:0000 0A'" || [ $n -ge 100 ]; do
		sleep 0.2; n=$((n + 1))
	done
	secs=$(on "$1" "t0=\$(cut -d' ' -f1 /proc/uptime)
		dd if=/dev/zero bs=64k count=$((MIB * 16)) 2>/dev/null | timeout $LIMIT nc 169.254.0.$2 9001 >/dev/null
		awk -v a=\$t0 -v b=\$(cut -d' ' -f1 /proc/uptime) 'BEGIN { printf \"%.1f\", b - a }'")
	n=0
	until bytes=$(on "$2" "cat /tmp/link.rx 2>/dev/null") && [ -n "$bytes" ] || [ $n -ge 30 ]; do
		sleep 1; n=$((n + 1))
	done
	echo "bench link $1->$2: mib=$MIB bytes=${bytes:-none} secs=$secs" \
		"mb_s=$(awk -v b="${bytes:-0}" -v s="$secs" 'BEGIN { printf "%.2f", (s > 0 ? b / s / 1e6 : 0) }')"
}

one 1 2
one 2 1
exit 0
