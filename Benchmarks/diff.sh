#!/usr/bin/env bash
# stet diff against git's word diff on the same repositories, made by
# Benchmarks/make-corpus.py (500 sections, 5,000 commits), hard-wrapped at 80 columns and
# unwrapped: `stet diff first final --format json` beside
# `git diff --word-diff=porcelain first final -- drafts`, and the floor under any comparison built
# on libgit2 and cmark-gfm (Benchmarks/diff-floor.c: only reading, then reading and parsing, the
# changed sections). Reports medians, ratios and stet's peak memory. Usage: Benchmarks/diff.sh [WORKDIR]
source "$(dirname "$0")/common.sh"
"$project/scripts/install-deps" time
if [ ! -d "$work/corpus-wrap80" ]; then
    python3 "$project/Benchmarks/make-corpus.py" "$work/corpus-wrap80" --sections 500 --commits 5000 --wrap 80 >&2
fi

# The floor: reading the changed sections through libgit2, then also parsing them with cmark-gfm,
# on every core, and nothing else (Benchmarks/diff-floor.c), with the stet binary's inflate.
floor="$work/diff-floor"
"${CC:-cc}" -O2 -o "$floor" "$project/Benchmarks/diff-floor.c" "$project/Sources/CInflate/inflate.c" \
    -I"$project/Sources/CInflate/include" $(pkg-config --cflags --libs libgit2 libcmark-gfm) -lcmark-gfm-extensions \
    -ldeflate -lz -ldl -lpthread

results=()
for corpus in corpus-wrap80 corpus; do
    echo "== $corpus: first..final (median of 10 runs)"
    hyperfine -N --warmup 2 --runs 10 --export-json "$work/diff-$corpus.json" \
        -n "git diff --word-diff" "git -C $work/$corpus diff --word-diff=porcelain first final -- drafts" \
        -n "stet diff" "$stet diff -C $work/$corpus first final --format json" >&2
    results+=("$work/diff-$corpus.json")
    "$project/Benchmarks/interleave.py" "git diff --word-diff" "git -C $work/$corpus diff --word-diff=porcelain first final -- drafts" \
        "stet diff" "$stet diff -C $work/$corpus first final --format json" 15
    "$project/Benchmarks/interleave.py" "git diff --word-diff" "git -C $work/$corpus diff --word-diff=porcelain first final -- drafts" \
        "floor: read" "$floor $work/$corpus first final read" 10
    "$project/Benchmarks/interleave.py" "git diff --word-diff" "git -C $work/$corpus diff --word-diff=porcelain first final -- drafts" \
        "floor: read+parse" "$floor $work/$corpus first final parse" 10
    peak=$(/usr/bin/time -f "%M" "$stet" diff -C "$work/$corpus" first final --format json 2>&1 >/dev/null | tail -1)
    echo "stet diff peak memory ($corpus): $((peak / 1024)) MB"
done
report_ratios "${results[@]}"
