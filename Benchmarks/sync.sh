#!/usr/bin/env bash
# A writer's `stet sync` when there is nothing to exchange, beside `git pull --ff-only && git push`,
# on a corpus made by Benchmarks/make-corpus.py (500 sections, 5,000 commits, milestone tags)
# shared through a bare repository in a local folder. Both fetch, compare the branch (stet also
# compares every milestone with the remote's) and find nothing to send. Reports medians and ratios.
# Usage: Benchmarks/sync.sh [WORKDIR]
source "$(dirname "$0")/common.sh"
export GIT_AUTHOR_NAME="Writer" GIT_AUTHOR_EMAIL="writer@example.org"
export GIT_COMMITTER_NAME="Writer" GIT_COMMITTER_EMAIL="writer@example.org"
export STET_AUTHOR="Writer <writer@example.org>"

rm -rf "$work/shared.git" "$work/git-wc" "$work/stet-wc"
git clone -q --bare "$work/corpus" "$work/shared.git"
git clone -q "$work/shared.git" "$work/git-wc"
"$stet" clone "$work/shared.git" "$work/stet-wc" >/dev/null
"$stet" sync -C "$work/stet-wc" | grep -q "Already in step" || { echo "stet sync found work to do" >&2; exit 1; }

echo "== a no-op sync over a local remote (median of 30 runs)"
hyperfine -N --warmup 3 --runs 30 --export-json "$work/sync.json" \
    -n "git pull --ff-only && git push" "sh -c 'git -C $work/git-wc pull -q --ff-only && git -C $work/git-wc push -q'" \
    -n "stet sync" "$stet sync -C $work/stet-wc" >&2

report_ratios "$work/sync.json"
git -C "$work/shared.git" fsck --strict >/dev/null 2>&1 && echo "git fsck --strict on the shared repository: clean"
