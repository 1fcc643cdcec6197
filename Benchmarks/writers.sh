#!/usr/bin/env bash
# The writers' loop against git on the same repository: `stet status` after editing one section
# beside `git status`, and `stet commit` of one section beside `git commit -a`, on a corpus made by
# ../shared/bench/make-corpus.py (500 sections, 5,000 commits). Reports medians and ratios.
# Usage: Benchmarks/writers.sh [WORKDIR]
set -euo pipefail
project="$(cd "$(dirname "$0")/.." && pwd)"
work="${1:-$(mktemp -d)}"
mkdir -p "$work"
"$project/scripts/install-deps" hyperfine python3
(cd "$project" && swift build -c release --static-swift-stdlib --product stet >&2)
stet="$project/.build/release/stet"

if [ ! -d "$work/corpus" ]; then
    python3 "$project/../shared/bench/make-corpus.py" "$work/corpus" --sections 500 --commits 5000 >&2
fi
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

echo "== commit of one edited section (median of 30 runs, a new edit before each)"
edit='date +%s%N >> drafts/'"$section"
hyperfine -N --warmup 3 --runs 30 --export-json "$work/commit.json" \
    -n "git commit -a" --prepare "sh -c 'cd $work/git && $edit'" "git -C $work/git commit -q -a -m Edit" \
    -n "stet commit" --prepare "sh -c 'cd $work/stet && $edit'" "$stet commit -C $work/stet -m Edit" >&2

python3 - "$work/status.json" "$work/commit.json" <<'PY'
import json, sys
for path in sys.argv[1:]:
    results = {r["command"]: r for r in json.load(open(path))["results"]}
    names = list(results)
    base, ours = results[names[0]], results[names[1]]
    ratio = ours["median"] / base["median"]
    print(f"{names[1]:>12}: median {ours['median']*1000:6.1f} ms | {names[0]}: {base['median']*1000:6.1f} ms | ratio {ratio:4.2f}x")
PY
git -C "$work/stet" fsck --strict >/dev/null && echo "git fsck --strict: clean after the stet commits"
