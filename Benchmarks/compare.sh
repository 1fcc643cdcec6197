#!/usr/bin/env bash
# The annotated comparison against git on the same repository, made by
# Benchmarks/make-corpus.py (500 sections, 5,000 commits, hard-wrapped at 80 columns):
# `stet compare first final --format html -o FILE` beside `git log -p --word-diff=porcelain
# first..final -- drafts` (git printing each commit's word diff, no attribution), and beside
# `git blame --porcelain first..final` run over every section file. Reports medians, ratios and
# stet's peak memory. Usage: Benchmarks/compare.sh [WORKDIR]
source "$(dirname "$0")/common.sh"
"$project/scripts/install-deps" time
if [ ! -d "$work/corpus-wrap80" ]; then
    python3 "$project/Benchmarks/make-corpus.py" "$work/corpus-wrap80" --sections 500 --commits 5000 --wrap 80 >&2
fi
repo="$work/corpus-wrap80"

echo "== first..final (median of 5 runs)"
hyperfine -N --warmup 1 --runs 5 --export-json "$work/compare-log.json" \
    -n "git log -p --word-diff" "git -C $repo log -p --word-diff=porcelain first..final -- drafts" \
    -n "stet compare" "$stet compare -C $repo first final --format html -o $work/compare.html --force" >&2

"$project/Benchmarks/interleave.py" "git log -p --word-diff" "git -C $repo log -p --word-diff=porcelain first..final -- drafts" \
    "stet compare" "$stet compare -C $repo first final --format html -o $work/compare.html --force" 7

cat > "$work/blame-all.sh" <<SH
#!/bin/sh
cd "$repo" && git ls-tree --name-only final drafts/ | while read -r file; do git blame --porcelain first..final -- "\$file" >/dev/null; done
SH
chmod +x "$work/blame-all.sh"
echo "== git blame over every section (1 run) beside stet compare"
hyperfine -N --runs 1 --export-json "$work/compare-blame.json" \
    -n "git blame (every section)" "$work/blame-all.sh" \
    -n "stet compare" "$stet compare -C $repo first final --format html -o $work/compare.html --force" >&2

report_ratios "$work/compare-log.json" "$work/compare-blame.json"
peak=$(/usr/bin/time -f "%M" "$stet" compare -C "$repo" first final --format html -o "$work/compare.html" --force 2>&1 >/dev/null | tail -1)
echo "stet compare peak memory: $((peak / 1024)) MB"
