# The receiving end of tests/bench/link.sh (behind `nc -l -e`: stdin is the
# connection): counts what comes until the sender closes, and writes
# "BYTES SECS" (from the connection to its end) to /tmp/link.rx.
t0=$(cut -d' ' -f1 /proc/uptime)
b=$(wc -c)
t1=$(cut -d' ' -f1 /proc/uptime)
echo "$b $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')" >/tmp/link.rx.t
mv /tmp/link.rx.t /tmp/link.rx
