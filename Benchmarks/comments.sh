#!/usr/bin/env bash
# A consultation of 30,000 comments against the corpus (Benchmarks/make-corpus.py: 500 sections,
# 5,000 commits), made on `first` by Benchmarks/make-comments.py, most quoting a passage. Reports
# the time and peak memory of `stet comments import`, of `stet comments --at HEAD` (every comment
# followed from first to HEAD) and of `stet comments matrix --format html` once 300 comments are
# answered by commits (Benchmarks/answer-comments.py), beside `git log -p --word-diff=porcelain
# first..HEAD` (the history that following reads); the store's size; and the lines `git diff`
# shows for one changed disposition. Usage: Benchmarks/comments.sh [WORKDIR]
source "$(dirname "$0")/common.sh"
"$project/scripts/install-deps" time git
repo="$work/comments-repo"
rm -rf "$repo"
git clone -q "$work/corpus" "$repo"
git -C "$repo" fetch -q origin 'refs/tags/*:refs/tags/*'
export STET_AUTHOR="Secretariat <secretariat@example.org>"
python3 "$project/Benchmarks/make-comments.py" "$repo" first 30000 "$work/comments.csv"
base=$(git -C "$repo" rev-parse HEAD)

measure() { # label, command...: seconds and peak MB of one run
    local label="$1"; shift
    /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >/dev/null 2>"$work/stderr.txt"
    read -r seconds kilobytes < "$work/time.txt"
    printf "%-34s %6.2f s  peak %4d MB\n" "$label" "$seconds" "$((kilobytes / 1024))"
}

echo "== stet comments import (30,000 rows; 3 runs)"
for run in 1 2 3; do
    git -C "$repo" reset -q --hard "$base"; rm -rf "$repo/comments"
    measure "import, run $run" "$stet" -C "$repo" comments import "$work/comments.csv" --round online --on first
done
grep -c "warning" "$work/stderr.txt" | xargs -I{} echo "quotes not anchored (repeated or not in their section): {}"
store="$repo/comments/online.rec"
echo "store: $(du -k "$store" | cut -f1) KB on disk, $(python3 -c "import sys,zlib;print(len(zlib.compress(open(sys.argv[1],'rb').read()))//1024)" "$store") KB as git's object"

echo "== answering 300 comments by commits"
answered=$(python3 "$project/Benchmarks/answer-comments.py" "$stet" "$repo" 300)
echo "$answered comments answered, each by its own commit"

echo "== following and publishing (3 runs each)"
for run in 1 2 3; do measure "comments --at HEAD, run $run" "$stet" -C "$repo" comments --at HEAD; done
for run in 1 2 3; do measure "matrix --format html, run $run" "$stet" -C "$repo" comments matrix -o "$work/matrix.html" --force; done
for run in 1 2 3; do measure "git log -p --word-diff, run $run" git -C "$repo" log -p --word-diff=porcelain first..HEAD -- drafts; done
echo "matrix: $(du -k "$work/matrix.html" | cut -f1) KB"

echo "== one changed disposition in git diff"
id=$(grep -m1 '^Id: ' "$store" | cut -d' ' -f2)
"$stet" -C "$repo" comments respond "$id" --status noted --response "Noted, with thanks." >/dev/null
git -C "$repo" diff -U0 -- comments/online.rec | python3 -c '
import re, sys
lines = [l for l in sys.stdin.read().splitlines() if l[:1] in "+-" and l[:3] not in ("+++", "---")]
print(f"{len(lines)} changed lines:", "; ".join(lines))'
git -C "$repo" diff -U0 -- comments/online.rec | grep '^@@' | wc -l | xargs -I{} echo "{} hunk(s)"
