#!/usr/bin/env python3
"""A real standard's history as a stet repository, and its comparison read back.

Usage: Benchmarks/spec-history.py WORKDIR STET

The CommonMark specification travelled with the CommonMark Python package: each source release
on PyPI (0.5.0 to 0.7.5) carries the spec.txt of its day. This downloads them (pip download),
keeps each distinct text once, oldest first, splits each into one section per top-level heading,
and commits them to a new stet repository, one commit per version (tagged first and final at
the ends). Then `stet compare first final` is timed, opened in headless Chromium, and read back
with Tests/Tools/redline-readings.py (each section's words against cmarkgfm's rendering of
both drafts). Prints the versions, the time, and the readings' report."""
import hashlib
import json
import os
import re
import subprocess
import sys
import tarfile
import time

work, stet = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
project = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
os.makedirs(work, exist_ok=True)
versions = ["0.5.0", "0.5.2", "0.5.4", "0.6.0", "0.6.2", "0.6.4", "0.7.0", "0.7.2", "0.7.5"]
downloads = os.path.join(work, "downloads")
os.makedirs(downloads, exist_ok=True)
for version in versions:
    subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--no-deps", "--no-binary", ":all:",
                    f"CommonMark=={version}", "-d", downloads], check=True, stderr=subprocess.DEVNULL)

texts, seen = [], set()
for version in versions:
    archive = next(os.path.join(downloads, name) for name in os.listdir(downloads)
                   if name.lower().startswith("commonmark-") and name.endswith(f"-{version}.tar.gz"))
    with tarfile.open(archive) as tar:
        member = next((m for m in tar.getmembers() if m.name.endswith("/spec.txt")), None)
        if member is None:
            continue
        text = tar.extractfile(member).read().decode("utf-8")
    digest = hashlib.sha1(text.encode()).hexdigest()
    if digest not in seen:
        seen.add(digest)
        texts.append((version, text))


def sections(text):
    """The spec's top-level sections: (slug, text), its YAML header left out."""
    if text.startswith("---\n"):
        end = re.search(r"\n(\.\.\.|---)\n", text[4:])
        text = text[4 + end.end():] if end else text
    # Examples are fenced (later versions) or set between lines of one "." (three to an example).
    parts, current, fence, dots = [], [], None, 0
    for line in text.split("\n"):
        match = re.match(r"^(`{3,}|~{3,})", line)
        if match:
            fence = None if fence and line.startswith(fence) else (fence or match.group(1))
        if line == ".":
            dots = (dots + 1) % 3
        if fence is None and dots == 0 and line.startswith("# ") and current:
            parts.append("\n".join(current))
            current = []
        current.append(line)
    parts.append("\n".join(current))
    result = []
    for part in parts:
        heading = re.match(r"# (.*)", part)
        title = heading.group(1).strip() if heading else "Front"
        slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:40] or "front"
        result.append((slug, part.strip("\n") + "\n"))
    return result


repo = os.path.join(work, "spec")
if os.path.exists(repo):
    subprocess.run(["rm", "-rf", repo], check=True)
env = dict(os.environ, STET_AUTHOR="John MacFarlane <jgm@berkeley.edu>")


def run(*arguments):
    return subprocess.run([stet, *arguments], cwd=repo, env=env, check=True, capture_output=True, text=True)


subprocess.run([stet, "init", repo, "--title", "CommonMark Spec"], env=env, check=True, capture_output=True)
for index, (version, text) in enumerate(texts):
    drafts = os.path.join(repo, "drafts")
    for name in os.listdir(drafts):
        if name.endswith(".md"):
            os.remove(os.path.join(drafts, name))
    used = set()
    for number, (slug, body) in enumerate(sections(text)):
        while slug in used:
            slug += "-"
        used.add(slug)
        with open(os.path.join(drafts, f"{number + 1:02d}-{slug}.md"), "w", encoding="utf-8") as file:
            file.write(body)
    run("commit", "-m", f"CommonMark spec as released with CommonMark {version}")
    if index == 0:
        run("tag", "first", "-m", f"CommonMark {version}")
    if index == len(texts) // 2:
        run("tag", "second", "-m", f"CommonMark {version}")
run("tag", "final", "-m", f"CommonMark {texts[-1][0]}")

page = os.path.join(work, "spec-compare.html")
start = time.monotonic()
run("compare", "first", "final", "-o", page, "--force")
seconds = time.monotonic() - start
comparison = os.path.join(work, "spec-compare.json")
with open(comparison, "w") as file:
    file.write(run("compare", "first", "final", "--format", "json").stdout)
dom = subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--virtual-time-budget=5000", "--dump-dom",
                      "file://" + page], capture_output=True, text=True, check=True).stdout
with open(os.path.join(work, "spec-dom.html"), "w") as file:
    file.write(dom)
report = json.loads(subprocess.run([sys.executable, os.path.join(project, "Tests/Tools/redline-readings.py"),
                                    os.path.join(work, "spec-dom.html"), comparison, repo],
                                   capture_output=True, text=True, check=True).stdout)
print(f"versions: {', '.join(version for version, _ in texts)}")
print(f"stet compare first final: {seconds:.2f} s, page {os.path.getsize(page) / 1e6:.1f} MB")
print(f"sections read back: {len(report['checked'])}, mismatches: {len(report['mismatches'])}, "
      f"lines starting with markup: {len(report['markupLines'])}")
for mismatch in report["mismatches"][:10]:
    print(json.dumps(mismatch, ensure_ascii=False))
