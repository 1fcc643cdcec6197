#!/usr/bin/env python3
"""Two measures of a redline's accuracy that read only stet's JSON and git.

1. Pairs: per section, deleted blocks and inserted blocks that share at least 80 % (and 70 %) of
   their words (Dice over the multisets of words). A reviewer sees such a pair as an edited
   block; the redline showed a whole block deleted and another inserted.
2. Credits: inserted and deleted spans of three or more words credited to one commit C, sampled;
   each is checked against git: an inserted span passes when C's own diff adds lines that hold its
   words, or C's drafts hold them where its first parent's do not; a deleted span, the reverse.

Usage: Benchmarks/redline-accuracy.py REPOSITORY STET [FROM TO] [--samples N] [--seed S]
"""
import argparse
import collections
import json
import random
import re
import subprocess
import sys

WORD = re.compile(r"\w+", re.UNICODE)


LIST_NUMBER = re.compile(r"^(\s*)\d+[.)](?=\s)", re.MULTILINE)


def words(text):
    # A numbered list item's number changes as items are added above it: it is not a word.
    return [w.lower() for w in WORD.findall(LIST_NUMBER.sub(r"\1", text))]


def dice(a, b):
    if not a and not b:
        return 1.0
    common = sum((collections.Counter(a) & collections.Counter(b)).values())
    return 2 * common / (len(a) + len(b))


def block_text(block):
    return "".join(span["text"] for span in block["spans"])


def pairs(document, threshold, shown=None):
    found = 0
    for section in document["sections"]:
        deleted = [words(block_text(b)) for b in section["blocks"] if b["status"] == "deleted"]
        inserted = [words(block_text(b)) for b in section["blocks"] if b["status"] == "inserted"]
        used = set()
        for old in deleted:
            for index, new in enumerate(inserted):
                if index not in used and len(old) + len(new) > 0 and dice(old, new) >= threshold:
                    used.add(index)
                    found += 1
                    if shown is not None:
                        shown.append((section["id"], round(dice(old, new), 2), " ".join(old[:14]), " ".join(new[:14])))
                    break
    return found


def git(repository, *arguments):
    return subprocess.run(["git", "-C", repository] + list(arguments), capture_output=True, text=True).stdout


def subsequence(haystack, needle):
    """Whether the words of `needle` occur in `haystack` in order (others may stand between:
    words an intermediate commit added and this one took away with the rest)."""
    position = 0
    for word in haystack:
        if position < len(needle) and word == needle[position]:
            position += 1
    return position == len(needle)


def contains(haystack, needle):
    """Whether the word sequence `needle` occurs in `haystack`."""
    if not needle:
        return True
    text, part = " " + " ".join(haystack) + " ", " " + " ".join(needle) + " "
    return part in text


class History:
    def __init__(self, repository):
        self.repository = repository
        self.cache = {}

    def drafts(self, commit):
        """The words of every section file at a commit, file by file."""
        if commit not in self.cache:
            listing = git(self.repository, "ls-tree", "-r", "--name-only", commit, "--", "drafts")
            texts = [words(git(self.repository, "show", "%s:%s" % (commit, path)))
                     for path in listing.split("\n") if path.endswith(".md")]
            self.cache[commit] = texts
        return self.cache[commit]

    def has(self, commit, sequence):
        return any(contains(text, sequence) for text in self.drafts(commit))

    def diff_lines(self, commit, sign):
        diff = git(self.repository, "show", "--format=", "--unified=0", "--first-parent", commit, "--", "drafts")
        return [words(line[1:]) for line in diff.split("\n") if line.startswith(sign) and not line.startswith(sign * 3)]

    def brought(self, commit, sequence, inserted):
        lines = self.diff_lines(commit, "+" if inserted else "-")
        joined = [w for line in lines for w in line]
        if contains(joined, sequence) or subsequence(joined, sequence):
            return True
        parent = git(self.repository, "rev-parse", commit + "^").strip()
        if not parent:
            return inserted
        if inserted:
            return self.has(commit, sequence) and not self.has(parent, sequence)
        return self.has(parent, sequence) and not self.has(commit, sequence)


def credits(repository, document, samples, seed):
    commits = document.get("commits") or []
    candidates = []
    for section in document["sections"]:
        for block in section["blocks"]:
            for span in block["spans"]:
                if span["kind"] not in ("inserted", "deleted") or len(span.get("commits") or []) != 1:
                    continue
                sequence = words(span["text"])
                if len(sequence) >= 3:
                    candidates.append((span["kind"] == "inserted", sequence, span["commits"][0], section["id"]))
    random.Random(seed).shuffle(candidates)
    history = History(repository)
    checked, passed, failures = 0, 0, []
    for inserted, sequence, commit, section in candidates[:samples]:
        checked += 1
        if history.brought(commit, sequence, inserted):
            passed += 1
        else:
            failures.append((section, commit[:7], "inserted" if inserted else "deleted", " ".join(sequence[:12])))
    return checked, passed, failures, len(candidates)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("repository")
    parser.add_argument("stet")
    parser.add_argument("range", nargs="*", default=["first", "final"])
    parser.add_argument("--samples", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    start, end = (args.range + ["first", "final"])[:2] if len(args.range) >= 2 else ("first", "final")
    output = subprocess.run([args.stet, "compare", "-C", args.repository, start, end, "--format", "json"],
                            capture_output=True, text=True, check=True).stdout
    document = json.loads(output)
    shown = []
    print("pairs sharing >= 80%% of their words: %d" % pairs(document, 0.8, shown))
    for pair in shown[:10]:
        print("  %s (%.2f): %s | %s" % pair)
    print("pairs sharing >= 70%% of their words: %d" % pairs(document, 0.7))
    checked, passed, failures, total = credits(args.repository, document, args.samples, args.seed)
    share = 100.0 * passed / checked if checked else 100.0
    print("credited spans of 3+ words checked against git: %d of %d sampled (of %d) brought in by their commit (%.1f %%)"
          % (passed, checked, total, share))
    for failure in failures[:10]:
        print("  not brought in: %s %s %s: %s" % failure)


if __name__ == "__main__":
    main()
