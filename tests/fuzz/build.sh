#!/bin/bash
# Builds the libFuzzer targets of tests/fuzz/ with clang, outside the
# autotools build (whose warning flags are GCC's): each target is its .c
# and the product sources it exercises, all compiled with
# -fsanitize=fuzzer,address,undefined.
#
# Usage: tests/fuzz/build.sh [OUTDIR]      (default: build/fuzz)
# Environment: CC (default clang), EXTRA_CFLAGS.
set -euo pipefail

TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
OUT=${1:-$TOP/build/fuzz}
CC=${CC:-clang}
mkdir -p "$OUT/gen/libtool/parse"
OUT=$(cd "$OUT" && pwd)

CFLAGS=(-g -O1 -std=gnu11 -fsanitize=fuzzer,address,undefined
	-fno-sanitize-recover=undefined -fno-omit-frame-pointer
	-Wall -Wextra -Wno-unused-parameter -Werror
	-I"$TOP" -I"$OUT/gen" -D_GNU_SOURCE
	-DXLITE_DATADIR='"/usr/share/xlite"' -DXLITE_LOCALSTATEDIR='"/var"'
	${EXTRA_CFLAGS:-})
pc() { pkg-config "$@"; }

# The RelaxNG schema, compiled in as the product build does.
awk -f "$TOP/libtool/parse/rng2c.awk" "$TOP/libtool/parse/domain.rng" \
	> "$OUT/gen/libtool/parse/domain-rng.c.tmp"
mv "$OUT/gen/libtool/parse/domain-rng.c.tmp" "$OUT/gen/libtool/parse/domain-rng.c"

build() {
	local name=$1
	shift
	echo "fuzz: building $name"
	# shellcheck disable=SC2046
	"$CC" "${CFLAGS[@]}" -o "$OUT/$name" "$@"
}

# (a) domain XML -> config -> plan -> text and JSON.
build fuzz-domain-xml "$TOP/tests/fuzz/fuzz-domain-xml.c" \
	"$TOP"/libtool/parse/*.c "$TOP"/libtool/plan/*.c "$TOP"/libtool/util/*.c \
	"$TOP/libtool/device/bridge.c" "$OUT/gen/libtool/parse/domain-rng.c" \
	$(pc --cflags --libs libxml-2.0 glib-2.0 json-glib-1.0)

# (b) xenstore wire replies to a pipelined batch, and the decoders.
# libxsclient is every xenstore-client/*.c but the CLI's (cli-*.c).
XSC=()
for f in "$TOP"/xenstore-client/*.c; do
	case $f in */cli-*) ;; *) XSC+=("$f") ;; esac
done
build fuzz-xs-wire "$TOP/tests/fuzz/fuzz-xs-wire.c" "${XSC[@]}" "$TOP"/libtool/util/*.c \
	$(pc --cflags --libs glib-2.0 xenstore)

# (c) pv-drivers: block and net rings, and the xenbus handshake.
PVD=("$TOP"/pv-drivers/core/*.c "$TOP/tests/fuzz/fuzz-pvd-plat.c")
build fuzz-pvd-ring "$TOP/tests/fuzz/fuzz-pvd-ring.c" "${PVD[@]}" \
	$(pc --cflags --libs glib-2.0)
build fuzz-pvd-xenbus "$TOP/tests/fuzz/fuzz-pvd-xenbus.c" "${PVD[@]}" \
	$(pc --cflags --libs glib-2.0)
# (d) the save file (and stream) reader: header, XML, chunks, trailer.
build fuzz-save-file "$TOP/tests/fuzz/fuzz-save-file.c" \
	"$TOP/libtool/save/format.c" "$TOP/libtool/save/stream.c" \
	$(pc --cflags --libs glib-2.0 zlib)
echo "fuzz: targets in $OUT"
