#!/usr/bin/env bash
# `diagctl symbols keys` against `openssl dgst -sha256` on the same bytes,
# all in /dev/shm (so in the page cache): a 1 GiB ELF file, and a
# directory of 2,000 ELF files totalling 1 GiB (against
# `find DIR -type f -print0 | xargs -0 -P 2 openssl dgst -sha256`).
# Runs alternate; prints the medians, the ratios and diagctl's peak RSS.
# The files are deleted afterwards.
#
# Usage: scripts/bench-symbols.sh [RUNS (default 5)]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
out=${BENCH_DIR:-/dev/shm/diagctl-bench-symbols}

tmp=$(mktemp -d)
trap 'rm -rf "$out" "$tmp"' EXIT
bin=$tmp/diagctl
go build -trimpath -o "$bin" ./cmd/diagctl
mkdir -p "$out/dir"

# A small real ELF (gcc, SHA-1 build id) to head every file, so each is
# keyed (and hashed) rather than skipped.
printf 'int main(void){return 0;}\n' >"$tmp/m.c"
gcc -O1 -Wl,--build-id=sha1 -o "$tmp/elf" "$tmp/m.c"
# Random bytes without /dev/urandom's cost: AES-CTR of zeros.
rand() { head -c "$1" /dev/zero | openssl enc -aes-128-ctr -nosalt -pass pass:bench -pbkdf2 2>/dev/null; }
{ cat "$tmp/elf"; rand $((1024 * 1024 * 1024 - $(stat -c %s "$tmp/elf"))); } >"$out/big.elf"
each=$((1024 * 1024 * 1024 / 2000))
rand $((each * 2000)) >"$tmp/pool"
split -a 4 -d -b $((each - $(stat -c %s "$tmp/elf"))) "$tmp/pool" "$tmp/part."
i=0
for p in "$tmp"/part.*; do
	[ "$i" -lt 2000 ] || break
	cat "$tmp/elf" "$p" >"$out/dir/f$(printf %04d $i).so"
	rm -f "$p"
	i=$((i + 1))
done
rm -f "$tmp/pool" "$tmp"/part.*
echo "big.elf: $(stat -c %s "$out/big.elf") bytes; dir: $(find "$out/dir" -type f | wc -l) files, $(du -sb "$out/dir" | cut -f1) bytes"

# timed CMD...: prints "seconds peak-KiB"
timed() { /usr/bin/time -f '%e %M' -o "$tmp/t" "$@" >/dev/null 2>"$tmp/err" || { cat "$tmp/err"; exit 1; }; cat "$tmp/t"; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f", a/b}'; }

# Warm up: every byte read once by each.
"$bin" symbols keys "$out/big.elf" "$out/dir" >/dev/null
cat "$out/big.elf" "$out"/dir/* >/dev/null

: >"$tmp/o1"; : >"$tmp/d1"; : >"$tmp/o2"; : >"$tmp/d2"; : >"$tmp/rss"
for ((r = 1; r <= runs; r++)); do
	timed openssl dgst -sha256 "$out/big.elf" | awk '{print $1}' >>"$tmp/o1"
	timed "$bin" --no-progress symbols keys "$out/big.elf" | tee -a "$tmp/rss" | awk '{print $1}' >>"$tmp/d1"
	timed sh -c "find '$out/dir' -type f -print0 | xargs -0 -P 2 openssl dgst -sha256" | awk '{print $1}' >>"$tmp/o2"
	timed "$bin" --no-progress symbols keys "$out/dir" | tee -a "$tmp/rss" | awk '{print $1}' >>"$tmp/d2"
done
o1=$(median <"$tmp/o1"); d1=$(median <"$tmp/d1"); o2=$(median <"$tmp/o2"); d2=$(median <"$tmp/d2")
rss=$(awk '{print $2}' "$tmp/rss" | sort -n | tail -1)
echo "$runs alternating runs on $(nproc) cores, load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "1 GiB ELF:   openssl median ${o1}s, diagctl median ${d1}s, ratio $(ratio "$d1" "$o1") (target <= 0.55)"
echo "2,000 files: openssl median ${o2}s, diagctl median ${d2}s, ratio $(ratio "$d2" "$o2") (target <= 0.60)"
echo "diagctl peak RSS $((rss / 1024)) MiB (target < 32 MiB)"
echo "raw runs (s): openssl big: $(tr '\n' ' ' <"$tmp/o1")| diagctl big: $(tr '\n' ' ' <"$tmp/d1")"
echo "              openssl dir: $(tr '\n' ' ' <"$tmp/o2")| diagctl dir: $(tr '\n' ' ' <"$tmp/d2")"
