#!/usr/bin/env bash
# Two stet binaries timed in turn (Benchmarks/interleave.py) on the same corpora: `stet diff first
# final --format json` on the corpora hard-wrapped at 80 columns and unwrapped, and `stet compare
# first final --format json` on the wrapped one. For a change that must be no slower: build the
# old binary first, keep it, then run this with both.
# Usage: Benchmarks/binaries.sh OLD_STET NEW_STET [WORKDIR]
set -euo pipefail
project="$(cd "$(dirname "$0")/.." && pwd)"
old="$1" new="$2" work="${3:-$(mktemp -d)}"
mkdir -p "$work"
for corpus in corpus-wrap80 corpus; do
    if [ ! -d "$work/$corpus" ]; then
        wrap=$([ "$corpus" = corpus-wrap80 ] && echo 80 || echo 0)
        python3 "$project/Benchmarks/make-corpus.py" "$work/$corpus" --sections 500 --commits 5000 --wrap "$wrap" >&2
    fi
done
for corpus in corpus-wrap80 corpus; do
    echo "== stet diff first final on $corpus"
    "$project/Benchmarks/interleave.py" "old" "$old diff -C $work/$corpus first final --format json" \
        "new" "$new diff -C $work/$corpus first final --format json" 20
done
echo "== stet compare first final on corpus-wrap80"
"$project/Benchmarks/interleave.py" "old" "$old compare -C $work/corpus-wrap80 first final --format json" \
    "new" "$new compare -C $work/corpus-wrap80 first final --format json" 10
