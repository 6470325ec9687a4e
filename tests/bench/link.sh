# Benchmark: TCP throughput across the two-host lab's link, from one dom0
# to the other (`tests/lab/xlite-lab run --hosts 2 tests/bench/link.sh`).
# Figures only, one line a direction and sender:
#   bench link 1->2 nc|dd: mib=16 bytes=... secs=... mb_s=...
# MIB (default 16) of zeros each, bounded by LIMIT seconds (default 300:
# bytes tells what arrived). nc: dd into busybox nc, which relays it to the
# socket (as the migration's transport `nc HOST PORT` does); dd: dd writes
# 64 KiB at a time onto the socket itself (bash's /dev/tcp). The receiver
# reads the socket itself (nc -l -e link-rx.sh) and times it, from the
# connection to its end.
[ "${LAB_HOSTS:-1}" = 2 ] || { echo "bench: needs the two-host lab (run --hosts 2)"; exit 1; }
MIB=${MIB:-16} LIMIT=${LIMIT:-300}
on() { if [ "$1" = 1 ]; then shift; sh -c "$*"; else shift; lab-on 2 "$*"; fi; }
field() { echo "$1" | awk -v n="$2" '{ print $n }'; }

one() {	# one FROM TO nc|dd
	on "$2" "rm -f /tmp/link.rx
		timeout $LIMIT nc -l -p 9001 -e sh /lab/src/tests/bench/link-rx.sh </dev/null >/dev/null 2>&1 &"
	n=0	# it listens when port 9001, 0x2329, is in LISTEN (0A)
	until on "$2" "cat /proc/net/tcp /proc/net/tcp6 | grep -qE ':2329 0+:0000 0A'" || [ $n -ge 100 ]; do
		sleep 0.2; n=$((n + 1))
	done
	if [ "$3" = nc ]; then
		on "$1" "dd if=/dev/zero bs=64k count=$((MIB * 16)) 2>/dev/null |
			timeout $LIMIT nc 169.254.0.$2 9001 >/dev/null"
	else
		on "$1" "timeout $LIMIT bash -c 'dd if=/dev/zero bs=64k count=$((MIB * 16)) 2>/dev/null \
			>/dev/tcp/169.254.0.$2/9001'"
	fi
	n=0
	until rx=$(on "$2" "cat /tmp/link.rx 2>/dev/null") && [ -n "$rx" ] || [ $n -ge 30 ]; do
		sleep 1; n=$((n + 1))
	done
	bytes=$(field "$rx" 1) secs=$(field "$rx" 2)
	echo "bench link $1->$2 $3: mib=$MIB bytes=${bytes:-none} secs=${secs:-none}" \
		"mb_s=$(awk -v b="${bytes:-0}" -v s="${secs:-0}" 'BEGIN { printf "%.2f", (s > 0 ? b / s / 1e6 : 0) }')"
}

one 1 2 nc
one 2 1 nc
one 1 2 dd
one 2 1 dd
exit 0
