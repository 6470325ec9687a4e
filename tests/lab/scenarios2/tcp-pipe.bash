# tcp-pipe.bash HOST PORT: stdin to a TCP connection to HOST:PORT and what
# comes back to stdout, each way by dd in 64 KiB reads (bash's /dev/tcp), as
# the transport of the lab's moves (`xlite migrate -s '' NAME 'bash
# .../tcp-pipe.bash HOST PORT'`). busybox nc relays in small reads, and that
# is what limited the link: 1.16 MB/s through nc, 3.17 MB/s with dd onto the
# socket itself (tests/bench/link.sh, one boot, on the e1000 NIC the link had
# then; 5.8-8.8 MB/s with dd on virtio-net). Ends when both ways did:
# stdin at its end, and the other side closed.
exec 3<>"/dev/tcp/$1/$2" || exit 1
dd bs=64k <&3 2>/dev/null &
dd bs=64k >&3 2>/dev/null
exec 3>&-
wait
