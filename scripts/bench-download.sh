#!/usr/bin/env bash
# A big debug report from the emulator on loopback into a tmpfs: diagctl
# (SHA-256 and ZIP check included) against `curl -o` of the same URL, run
# alternately; then diagctl with the progress bar drawn on a pseudo-terminal.
# Prints the median wall time of each and diagctl's peak RSS.
#
# Usage: scripts/bench-download.sh [SIZE (default 1GiB)] [RUNS (default 5)]
set -euo pipefail
cd "$(dirname "$0")/.."
size=${1:-1GiB}
runs=${2:-5}
port=${BENCH_PORT:-18473}
out=${BENCH_DIR:-/dev/shm/diagctl-bench}

tmp=$(mktemp -d)
bin=$tmp/diagctl
go build -trimpath -o "$bin" ./cmd/diagctl
mkdir -p "$out"
"$bin" emulator --addr "127.0.0.1:$port" --big-size "$size" >"$tmp/emu.txt" &
emu=$!
trap 'kill $emu 2>/dev/null; rm -rf "$out" "$tmp"' EXIT
for _ in $(seq 50); do curl -s -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done

task=$(go run ./scripts/emuids TaskBig)
url="http://127.0.0.1:$port/api/v1/sandbox/tasks/$task/debug_report"
export DIAGCTL_SANDBOX_SERVER="http://127.0.0.1:$port" DIAGCTL_SANDBOX_USER=analyst DIAGCTL_SANDBOX_PASSWORD=s3cret-pass

# timed CMD...: prints "seconds peak-KiB"
timed() { /usr/bin/time -f '%e %M' -o "$tmp/t" "$@" >/dev/null 2>"$tmp/err" || { cat "$tmp/err"; exit 1; }; cat "$tmp/t"; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

: >"$tmp/curl"; : >"$tmp/plain"; : >"$tmp/bar"; : >"$tmp/rss"
for ((i = 1; i <= runs; i++)); do
	rm -f "$out"/*
	timed curl -s -u analyst:s3cret-pass -o "$out/curl.zip" "$url" | awk '{print $1}' >>"$tmp/curl"
	rm -f "$out"/*
	timed "$bin" --no-progress sandbox debug-report -o "$out/d.zip" "$task" | tee -a "$tmp/rss" | awk '{print $1}' >>"$tmp/plain"
	rm -f "$out"/*
	# script(1) gives diagctl a terminal, so the bar is drawn (into /dev/null).
	script -qec "/usr/bin/time -f '%e %M' -o $tmp/tb $bin sandbox debug-report -o $out/b.zip $task" /dev/null >/dev/null
	awk '{print $1}' "$tmp/tb" >>"$tmp/bar"
	awk '{print $2}' "$tmp/tb" | sed 's/^/0 /' >>"$tmp/rss"
done
c=$(median <"$tmp/curl"); p=$(median <"$tmp/plain"); b=$(median <"$tmp/bar")
rss=$(awk '{print $2}' "$tmp/rss" | sort -n | tail -1)
echo "size $size, $runs alternating runs, files in $out"
echo "curl -o                   median ${c}s"
echo "diagctl --no-progress     median ${p}s  ratio $(awk -v a="$p" -v b="$c" 'BEGIN{printf "%.2f", a/b}') (target <= 1.20)"
echo "diagctl with progress bar median ${b}s  ratio $(awk -v a="$b" -v b="$c" 'BEGIN{printf "%.2f", a/b}') (target <= 1.25)"
echo "diagctl peak RSS          $((rss / 1024)) MiB (target < 32 MiB)"
