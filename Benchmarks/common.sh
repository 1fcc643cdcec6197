# Shared by the benchmark scripts (sourced, not run): builds stet as released, makes the corpus
# once (unless no_corpus=1), and prints medians and ratios from hyperfine's JSON.
# Sets: project, work, stet. Takes the work folder as $1 (default: a new temporary folder).
set -euo pipefail
project="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${1:-$(mktemp -d)}"
mkdir -p "$work"
"$project/scripts/install-deps" hyperfine python3
(cd "$project" && swift build -c release --static-swift-stdlib --product stet >&2)
stet="$project/.build/release/stet"

# A script that sets no_corpus=1 before sourcing this file makes its own inputs.
if [ "${no_corpus:-0}" != 1 ] && [ ! -d "$work/corpus" ]; then
    python3 "$project/Benchmarks/make-corpus.py" "$work/corpus" --sections 500 --commits 5000 >&2
fi

# Prints, for each hyperfine JSON file, the second command's median beside the first's and
# their ratio.
report_ratios() {
    python3 - "$@" <<'PY'
import json, sys
for path in sys.argv[1:]:
    results = {r["command"]: r for r in json.load(open(path))["results"]}
    names = list(results)
    base, ours = results[names[0]], results[names[1]]
    ratio = ours["median"] / base["median"]
    print(f"{names[1]:>16}: median {ours['median']*1000:7.1f} ms | {names[0]}: {base['median']*1000:6.1f} ms | ratio {ratio:4.2f}x")
PY
}
