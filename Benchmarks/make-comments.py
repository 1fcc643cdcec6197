#!/usr/bin/env python3
"""A consultation's export against a corpus (Benchmarks/make-corpus.py): COUNT comments on the
draft at REVISION, most quoting 6 to 14 words of a paragraph as a reader copies them from the
typeset page (Markdown markers and link targets gone), some naming only a section, some general,
with the stakeholder groups, countries and comment types a UN consultation has. Written as CSV.

Usage: Benchmarks/make-comments.py REPO REVISION COUNT OUT.csv [--seed N]
"""
import argparse
import csv
import random
import re
import subprocess


def typeset_words(paragraph):
    """The words a reader sees: links keep their text, markers go, footnote references go."""
    text = re.sub(r"\[\^[^\]]+\]", "", paragraph)
    text = re.sub(r"\]\([^)]*\)", "", text)
    text = re.sub(r"[*_`\[\]]", "", text)
    return text.split()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("repo")
    parser.add_argument("revision")
    parser.add_argument("count", type=int)
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=30)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    git = lambda *a: subprocess.run(["git", "-C", args.repo, *a], capture_output=True, check=True, text=True).stdout
    paths = [p for p in git("ls-tree", "-r", "--name-only", args.revision, "drafts").split() if p.endswith(".md")]
    sections = []
    for path in paths:
        text = git("show", f"{args.revision}:{path}")
        title = re.search(r"^# (.+)$", text, re.M).group(1)
        paragraphs = [p for p in text.split("\n\n") if p and p[0].isalpha() and len(p.split()) > 20]
        sections.append((title, paragraphs))
    groups = ["Government", "Local government", "Civil society", "Academia", "Private sector", "Regional meeting",
              "Persons with disabilities", "Youth", "Indigenous peoples", "International organisation"]
    countries = ["Kenya", "Brazil", "France", "India", "China", "Mexico", "Ghana", "Lebanon", "Ukraine", "Chile"]
    with open(args.out, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["Name", "Organisation", "Stakeholder group", "Country", "Section", "Text commented on",
                         "Type of comment", "Comment", "Proposed change"])
        for index in range(args.count):
            number = rng.randrange(len(sections))
            title, paragraphs = sections[number]
            kind = rng.random()
            quote, reference = "", rng.choice([str(number + 1), title, f"Section {number + 1}"])
            if kind < 0.85 and paragraphs:
                words = typeset_words(rng.choice(paragraphs))
                length = rng.randint(6, 14)
                start = rng.randrange(max(1, len(words) - length))
                quote = " ".join(words[start:start + length])
            elif kind > 0.95:
                reference = "General"
            writer.writerow([f"Commenter {index % 4000}", f"Organisation {index % 900}", rng.choice(groups),
                             rng.choice(countries), reference, quote, rng.choice(["ge", "te", "ed"]),
                             f"Comment {index}: the passage should say who is responsible and by when.",
                             "Add a deadline." if rng.random() < 0.4 else ""])


if __name__ == "__main__":
    main()
