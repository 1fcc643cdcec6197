#!/usr/bin/env bash
# The secretariat's commands against git on the same repository, on a corpus made by
# Benchmarks/make-corpus.py (500 sections, 5,000 commits): `stet tag final` at HEAD (checks,
# annotated tag, section summary and contributors since `second`, the milestone log commit)
# beside `git tag -a`, and `stet milestones` beside the git commands that list the same facts
# (tags, changed files with renames, authors between milestones). Reports medians and ratios.
# Usage: Benchmarks/milestones.sh [WORKDIR]
source "$(dirname "$0")/common.sh"
export GIT_AUTHOR_NAME="Secretariat" GIT_AUTHOR_EMAIL="secretariat@example.org"
export GIT_COMMITTER_NAME="Secretariat" GIT_COMMITTER_EMAIL="secretariat@example.org"
export STET_AUTHOR="Secretariat <secretariat@example.org>"

# The corpus's own tags mark where the milestones fall; stet re-tags them as milestones.
first="$(git -C "$work/corpus" rev-parse 'first^{commit}')"
second="$(git -C "$work/corpus" rev-parse 'second^{commit}')"
for repo in git-ms stet-ms; do
    rm -rf "$work/$repo"
    cp -a "$work/corpus" "$work/$repo"
    git -C "$work/$repo" tag -d first second final >/dev/null
    git -C "$work/$repo" status --porcelain >/dev/null
done
git -C "$work/git-ms" tag -a first -m "Approved" "$first"
git -C "$work/git-ms" tag -a second -m "Approved" "$second"
"$stet" tag -C "$work/stet-ms" first "$first" -m "Approved by the Expert Working Group" >/dev/null
"$stet" tag -C "$work/stet-ms" second "$second" -m "Approved by the Expert Group Meeting" >/dev/null
base="$(git -C "$work/stet-ms" rev-parse HEAD)"

echo "== tag final at HEAD (median of 30 runs; the tag and its log commit undone before each)"
hyperfine -N --warmup 3 --runs 30 --export-json "$work/tag.json" \
    -n "git tag -a" --prepare "sh -c 'git -C $work/git-ms tag -d final >/dev/null 2>&1 || true'" \
    "git -C $work/git-ms tag -a final -m Approved HEAD" \
    -n "stet tag" --prepare "sh -c 'git -C $work/stet-ms tag -d final >/dev/null 2>&1; git -C $work/stet-ms reset -q --hard $base'" \
    "$stet tag -C $work/stet-ms final -m Approved" >&2
git -C "$work/git-ms" tag -d final >/dev/null 2>&1 || true
git -C "$work/stet-ms" tag -d final >/dev/null 2>&1 || true
git -C "$work/stet-ms" reset -q --hard "$base"

echo "== list the milestones with sections changed and contributors (median of 20 runs)"
listing="git -C $work/git-ms for-each-ref refs/tags; git -C $work/git-ms diff --name-status -M first second;"
listing+=" git -C $work/git-ms shortlog -sne first..second; git -C $work/git-ms diff --name-status -M second HEAD;"
listing+=" git -C $work/git-ms shortlog -sne second..HEAD; git -C $work/git-ms shortlog -sne first"
hyperfine -N --warmup 3 --runs 20 --export-json "$work/milestones.json" \
    -n "git (6 commands)" "sh -c '$listing'" \
    -n "stet milestones" "$stet milestones -C $work/stet-ms" >&2

report_ratios "$work/tag.json" "$work/milestones.json"
"$stet" verify -C "$work/stet-ms" >/dev/null && echo "stet verify: the milestone record is sound"
git -C "$work/stet-ms" fsck --strict >/dev/null 2>&1 && echo "git fsck --strict: clean"
