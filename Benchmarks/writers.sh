#!/usr/bin/env bash
# The writers' loop against git on the same repository: `stet status` after editing one section
# beside `git status`, and `stet commit` of one section beside `git commit -a`, on a corpus made by
# Benchmarks/make-corpus.py (500 sections, 5,000 commits), and `stet status` on a copy whose
# timestamps are all new beside the original. Reports medians and ratios.
# Usage: Benchmarks/writers.sh [WORKDIR]
source "$(dirname "$0")/common.sh"
rm -rf "$work/git" "$work/stet"
cp -a "$work/corpus" "$work/git"
cp -a "$work/corpus" "$work/stet"
for repo in git stet; do git -C "$work/$repo" status --porcelain >/dev/null; done   # fresh index stat data
section="$(cd "$work/corpus" && ls drafts | sed -n 250p)"
export GIT_AUTHOR_NAME="Bench Writer" GIT_AUTHOR_EMAIL="bench@example.org"
export GIT_COMMITTER_NAME="Bench Writer" GIT_COMMITTER_EMAIL="bench@example.org"
export STET_AUTHOR="Bench Writer <bench@example.org>"

echo "== status after editing drafts/$section (median of 50 runs)"
for repo in git stet; do echo "One more sentence for the status benchmark." >> "$work/$repo/drafts/$section"; done
hyperfine -N --warmup 5 --runs 50 --export-json "$work/status.json" \
    -n "git status" "git -C $work/git status" \
    -n "stet status" "$stet status -C $work/stet" >&2

echo "== status on a copy whose timestamps are all new (cp -r), after one run, beside the original (median of 50 runs)"
rm -rf "$work/stet-copy"
cp -r "$work/stet" "$work/stet-copy"
first_run=$( { /usr/bin/time -f %e "$stet" status -C "$work/stet-copy" >/dev/null; } 2>&1 )
echo "first status on the copy: ${first_run} s (hashes every section once and writes the index back)"
hyperfine -N --warmup 5 --runs 50 --export-json "$work/status-copy.json" \
    -n "stet status" "$stet status -C $work/stet" \
    -n "stet status (copy)" "$stet status -C $work/stet-copy" >&2

echo "== commit of one edited section (median of 30 runs, a new edit before each)"
edit='date +%s%N >> drafts/'"$section"
hyperfine -N --warmup 3 --runs 30 --export-json "$work/commit.json" \
    -n "git commit -a" --prepare "sh -c 'cd $work/git && $edit'" "git -C $work/git commit -q -a -m Edit" \
    -n "stet commit" --prepare "sh -c 'cd $work/stet && $edit'" "$stet commit -C $work/stet -m Edit" >&2

echo "== the floor under any libgit2 program: loading libgit2, + init, + open and status (C, median of 50 runs)"
floor="$work/libgit2-floor"
"${CC:-cc}" -O2 -o "$floor" "$project/Benchmarks/libgit2-floor.c" $(pkg-config --cflags --libs libgit2)
hyperfine -N --warmup 5 --runs 50 --export-json "$work/floor-load.json" \
    -n "git status" "git -C $work/git status" -n "libgit2 loaded" "$floor load" >&2
hyperfine -N --warmup 5 --runs 50 --export-json "$work/floor-init.json" \
    -n "git status" "git -C $work/git status" -n "libgit2 init" "$floor" >&2
hyperfine -N --warmup 5 --runs 50 --export-json "$work/floor-status.json" \
    -n "git status" "git -C $work/git status" -n "libgit2 status (C)" "$floor $work/stet" >&2

report_ratios "$work/status.json" "$work/status-copy.json" "$work/commit.json" "$work/floor-load.json" "$work/floor-init.json" "$work/floor-status.json"
git -C "$work/stet" fsck --strict >/dev/null && echo "git fsck --strict: clean after the stet commits"
