#!/usr/bin/env python3
"""Checks a Word redline's two readings against an independent Markdown renderer.

Usage: docx-words.py READINGS_JSON REPO A B

READINGS_JSON is what docx-readings.py printed for `stet compare A B --format docx` (or
`stet render B --format docx`, with A the same as B). Accepting every change must give the words
of draft B, every section in order (the drafts folder's files by path, front matter left out) as
cmarkgfm renders them; rejecting every change, draft A's. When the file holds Word footnotes,
their words are compared after the body's, with each section's footnotes taken out of it. Prints
{"accepted": {"same": true|false, and for a mismatch where the words first differ}, "rejected": ...}."""
import json
import re
import subprocess
import sys
from html.parser import HTMLParser

import cmarkgfm
from sections import body, show
from cmarkgfm.cmark import Options

WORD = re.compile(r"\w+", re.UNICODE)


class Text(HTMLParser):
    """The text of rendered Markdown; a section's footnotes apart (in `notes`)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts, self.notes = [], []
        self.depth, self.in_notes = 0, None

    def handle_data(self, data):
        (self.notes if self.in_notes is not None else self.parts).append(data)

    # Blocks are apart; inline elements run on (a footnote's number follows its word, as in Word).
    BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "pre", "blockquote", "section", "table",
              "ul", "ol", "br", "hr", "div"}

    def handle_starttag(self, tag, attrs):
        self.depth += 1
        if tag == "section" and ("class", "footnotes") in attrs:
            self.in_notes = self.depth
        if tag in self.BLOCKS:
            (self.notes if self.in_notes is not None else self.parts).append(" ")

    def handle_endtag(self, tag):
        if tag in self.BLOCKS:
            (self.notes if self.in_notes is not None else self.parts).append(" ")
        if self.in_notes == self.depth:
            self.in_notes = None
        self.depth -= 1


def words(repo, revision, notes_apart):
    files = subprocess.run(["git", "-C", repo, "ls-tree", "--name-only", f"{revision}:drafts/"], capture_output=True,
                           text=True, check=True).stdout.split()
    result, notes = [], []
    for name in sorted(name for name in files if name.endswith(".md")):
        markdown = show(repo, revision, f"drafts/{name}")
        parser = Text()
        parser.feed(cmarkgfm.github_flavored_markdown_to_html(body(markdown), options=Options.CMARK_OPT_FOOTNOTES))
        result += WORD.findall("".join(parser.parts))
        (notes if notes_apart else result).extend(WORD.findall("".join(parser.notes)))
    return result + notes


def compare(found, expected):
    if found == expected:
        return {"same": True}
    index = next((i for i, (x, y) in enumerate(zip(found, expected)) if x != y), min(len(found), len(expected)))
    return {"same": False, "at": index, "found": found[max(0, index - 5):index + 8], "expected": expected[max(0, index - 5):index + 8],
            "lengths": [len(found), len(expected)]}


def main():
    readings_path, repo, a, b = sys.argv[1:5]
    with open(readings_path, encoding="utf-8") as file:
        readings = json.load(file)
    footnotes = WORD.findall(" ".join(readings.get("footnotes", [])))
    apart = bool(footnotes)
    print(json.dumps({"accepted": compare(WORD.findall(readings["accepted"]) + footnotes, words(repo, b, apart)),
                      "rejected": compare(WORD.findall(readings["rejected"]) + footnotes, words(repo, a, apart))}, ensure_ascii=False))


main()
