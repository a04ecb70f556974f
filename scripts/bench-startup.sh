#!/usr/bin/env bash
# Start-up time of `diagctl --version` against `curl --version`, run side by
# side: median wall time of N alternating runs each (default 20).
# Usage: scripts/bench-startup.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-20}
bin=$(mktemp -d)/diagctl
go build -trimpath -ldflags "-s -w" -o "$bin" ./cmd/diagctl

now() { date +%s%N; }
declare -a d c
for ((i = 0; i < n; i++)); do
	t0=$(now); "$bin" --version >/dev/null; t1=$(now)
	curl --version >/dev/null; t2=$(now)
	d+=($(( (t1 - t0) / 1000 ))); c+=($(( (t2 - t1) / 1000 )))
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2)}'; }
md=$(median "${d[@]}"); mc=$(median "${c[@]}")
echo "runs: $n each, alternating"
echo "diagctl --version median: ${md} us"
echo "curl --version    median: ${mc} us"
awk -v a="$md" -v b="$mc" 'BEGIN {printf "ratio diagctl/curl: %.2f (target <= 0.60)\n", a/b}'
