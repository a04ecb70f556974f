#!/usr/bin/env bash
# scripts/fuzz-ci.sh: every fuzz target (func FuzzX in internal/**/*_test.go)
# for a bounded time, one `go test -fuzz '^FuzzX$'` each (-fuzz must match one
# target). .ci/run calls it; a failing input is written to the package's
# testdata/fuzz/FuzzX/ by go test, to commit with the fix.
#
#   scripts/fuzz-ci.sh                 # FUZZTIME=3s each
#   FUZZTIME=20s scripts/fuzz-ci.sh    # longer
#   scripts/fuzz-ci.sh --save-corpus 8 # afterwards copy up to 8 of the smallest
#                                      # inputs each target found into its
#                                      # testdata/fuzz/FuzzX/ (the seed corpora)
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${FUZZTIME:-3s}
save=0
if [ "${1:-}" = --save-corpus ]; then save=${2:?--save-corpus needs a count}; fi
module=$(go list -m)
cache=$(go env GOCACHE)/fuzz

n=0
failed=()
start=$(date +%s)
while IFS=: read -r file name; do
	dir=$(dirname "$file")
	n=$((n + 1))
	echo "--- fuzz $dir $name ($fuzztime)"
	if ! go test -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" "./$dir" >/tmp/fuzz-ci.$$ 2>&1; then
		cat /tmp/fuzz-ci.$$
		failed+=("$dir $name")
	fi
	if [ "$save" -gt 0 ] && [ -d "$cache/$module/$dir/$name" ]; then
		mkdir -p "$dir/testdata/fuzz/$name"
		# The smallest inputs: cheap to rerun on every go test.
		find "$cache/$module/$dir/$name" -type f -printf '%s %p\n' | sort -n | head -n "$save" | cut -d' ' -f2- |
			while read -r f; do cp "$f" "$dir/testdata/fuzz/$name/"; done || true # head closes the pipe early
	fi
done < <(grep -rHo --include='*_test.go' '^func Fuzz[A-Za-z0-9_]*' internal | sed 's/:func /:/' | sort -u)
rm -f /tmp/fuzz-ci.$$
echo "fuzz: $n targets, $fuzztime each, $(($(date +%s) - start)) s in all"
if [ ${#failed[@]} -gt 0 ]; then
	printf 'fuzz: FAILED %s\n' "${failed[@]}"
	exit 1
fi
