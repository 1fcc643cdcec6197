#!/usr/bin/env bash
# Hostile sections, each in a repository of its own: for every input, the time and peak memory
# of `stet commit` (a refusal counts: it must be quick and clear), `stet status`, `stet diff` and
# `stet compare` (HTML) between the input and a one-word edit of it, and `stet render`; then the
# worst seconds per megabyte against the bound of 2 s per MB (inputs under 1 MB count as 1 MB).
# Inputs over stet's 5 MB section limit are committed with git, as a repository from elsewhere
# could hold them. Usage: Benchmarks/hostile.sh [WORKDIR]
no_corpus=1
source "$(dirname "$0")/common.sh"
"$project/scripts/install-deps" time
export STET_AUTHOR="Hostile <hostile@example.org>"
export GIT_AUTHOR_NAME=Hostile GIT_AUTHOR_EMAIL=hostile@example.org GIT_COMMITTER_NAME=Hostile GIT_COMMITTER_EMAIL=hostile@example.org

# Writes input NAME (first version) and its edit into $work/inputs/NAME.a and NAME.b.
mkdir -p "$work/inputs"
python3 - "$work/inputs" <<'PY'
import os, random, sys
out = sys.argv[1]
random.seed(8)
words = ("city data residents public service digital access people rights privacy network "
         "budget council plan open standard review consultation inclusion").split()
def prose(size):
    parts, total = [], 0
    while total < size:
        paragraph = " ".join(random.choice(words) for _ in range(80)) + ".\n\n"
        parts.append(paragraph)
        total += len(paragraph)
    return "".join(parts)
inputs = {
    "prose-100mb": "# Prose\n\n" + prose(100_000_000),
    "line-10mb": "# Line\n\n" + " ".join(random.choice(words) for _ in range(1_100_000)) + "\n",
    "nested-lists-100mb": "# Nested\n\n" + "".join("  " * i + "- item %d\n" % i for i in range(10_000)),
    "nested-one-line": "# Nested\n\n" + " ".join("-+"[i % 2] for i in range(10_000)) + " deep\n\n" + "> " * 10_000 + "quoted\n",
    "brackets-300kb": "# Brackets\n\n" + "![[]()" * 50_000 + "\n",
    "table-5000-columns": "# Table\n\n" + "|" + "|".join("c%d" % i for i in range(5000)) + "|\n|" + "|".join("-" * 3 for _ in range(5000)) + "|\n|" + "|".join("v%d" % i for i in range(5000)) + "|\n",
    "bidi-zero-width-1mb": "# Hidden\n\n" + " ".join(random.choice(words) + random.choice(["\u202e", "\u200b", "\u2066", "\u200f", ""]) for _ in range(120_000)) + "\n",
    "yaml-alias-bomb": "---\nid: bomb\nl0: &l0 [lol]\n" + "".join("l%d: &l%d [%s]\n" % (i, i, ", ".join(["*l%d" % (i - 1)] * 9)) for i in range(1, 10)) + "---\n# Bomb\n\nText.\n",
    "nul-bytes": "# NUL\n\nText\0with\0NUL bytes.\n",
}
for name, text in inputs.items():
    with open(os.path.join(out, name + ".a"), "wb") as f:
        f.write(text.encode("utf-8"))
    middle = len(text) // 2
    cut = text.index(" ", middle) if " " in text[middle:] else len(text) - 1
    edited = text[:cut] + " edited" + text[cut:]
    with open(os.path.join(out, name + ".b"), "wb") as f:
        f.write(edited.encode("utf-8"))
with open(os.path.join(out, "invalid-utf8.a"), "wb") as f:
    f.write(b"# Invalid\n\nDonn\xe9es ouvertes.\n")
with open(os.path.join(out, "invalid-utf8.b"), "wb") as f:
    f.write(b"# Invalid\n\nDonn\xe9es ouvertes, edited.\n")
PY

# Runs stet with ARGS in the current folder; prints "seconds peak-MB exit-status".
measure() {
    local out
    out=$( { /usr/bin/time -f "%e %M" "$stet" "$@" >/dev/null 2>"$work/stderr"; } 2>&1; echo "rc=$?")
    local status=${out##*rc=}
    local figures
    figures=$(tail -1 "$work/stderr")
    echo "$figures $status"
}

printf '%-22s %8s  %-18s %-18s %-18s %-18s %-18s %s\n' input MB "commit s/MB/rc" "status" "diff" "compare" "render" "worst s/MB"
worst_overall=0
for a in "$work"/inputs/*.a; do
    name=$(basename "$a" .a)
    repo="$work/repo-$name"
    rm -rf "$repo"
    "$stet" init "$repo" >/dev/null
    cd "$repo"
    cp "$a" "drafts/02-$name.md"
    commit=$(measure commit -m "Hostile $name")
    if [ "${commit##* }" != 0 ]; then
        # Refused (over the limit, or content stet does not accept): git holds it anyway.
        git add -A && git commit -qm "Hostile $name (git)"
    fi
    cp "$work/inputs/$name.b" "drafts/02-$name.md"
    status=$(measure status)
    git add -A && git commit -qm "Edit $name"
    diff=$(measure diff HEAD~1 HEAD --stat)
    compare=$(measure compare HEAD~1 HEAD -o "$work/compare-$name.html" --force)
    render=$(measure render HEAD -o "$work/render-$name.html" --force)
    megabytes=$(python3 -c "import os; print(f'{os.path.getsize(\"$a\") / 1e6:.2f}')")
    worst=$(python3 - "$megabytes" "$commit" "$status" "$diff" "$compare" "$render" <<'PY'
import sys
mb = max(1.0, float(sys.argv[1]))
print(f"{max(float(r.split()[0]) for r in sys.argv[2:]) / mb:.3f}")
PY
)
    cell() { set -- $1; printf '%5.2fs %5dMB %3s' "$1" "$(( $2 / 1024 ))" "$3"; }
    printf '%-22s %8s  %-18s %-18s %-18s %-18s %-18s %s\n' "$name" "$megabytes" "$(cell "$commit")" "$(cell "$status")" \
        "$(cell "$diff")" "$(cell "$compare")" "$(cell "$render")" "$worst"
    worst_overall=$(python3 -c "print(max($worst_overall, $worst))")
    cd "$work"
done
echo "worst: $worst_overall s per MB (bound: 2 s per MB); the third figure of each cell is the exit status"
