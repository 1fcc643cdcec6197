#!/usr/bin/env python3
"""Checks a Word redline's two readings against an independent Markdown renderer.

Usage: docx-words.py READINGS_JSON REPO A B

READINGS_JSON is what docx-readings.py printed for `stet compare A B --format docx`. Accepting
every change must give the words of draft B, every section in order (the drafts folder's files by
path, front matter left out) as cmarkgfm renders them; rejecting every change, draft A's. Prints
{"accepted": true|false, "rejected": ..., and for a mismatch where the words first differ}."""
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
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_data(self, data):
        self.parts.append(data)

    # Blocks are apart; inline elements run on (a footnote's number follows its word, as in Word).
    BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "pre", "blockquote", "section", "table",
              "ul", "ol", "br", "hr", "div"}

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in self.BLOCKS:
            self.parts.append(" ")


def words(repo, revision):
    files = subprocess.run(["git", "-C", repo, "ls-tree", "--name-only", f"{revision}:drafts/"], capture_output=True,
                           text=True, check=True).stdout.split()
    result = []
    for name in sorted(name for name in files if name.endswith(".md")):
        markdown = show(repo, revision, f"drafts/{name}")
        parser = Text()
        parser.feed(cmarkgfm.github_flavored_markdown_to_html(body(markdown), options=Options.CMARK_OPT_FOOTNOTES))
        result += WORD.findall("".join(parser.parts))
    return result


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
    print(json.dumps({"accepted": compare(WORD.findall(readings["accepted"]), words(repo, b)),
                      "rejected": compare(WORD.findall(readings["rejected"]), words(repo, a))}, ensure_ascii=False))


main()
