#!/usr/bin/env python3
"""Checks the two readings of a typeset redline against an independent Markdown renderer.

Usage: redline-readings.py DOM COMPARISON_JSON REPO

DOM is the page as Chromium parsed it (--dump-dom); COMPARISON_JSON is `stet compare A B --format
json` for the same drafts; REPO is the repository. For every section of the page (the element
with data-section), the page's text without <del> and without notes (data-note, <aside>) must
have the words of the later draft's section rendered by cmark-gfm's Python binding (cmarkgfm),
in order; without <ins> and notes, the earlier draft's. Prints one JSON object: the sections
checked, and for each mismatch the section, the reading and the first place the words differ.
Also reports any visible line of the page, code blocks aside, that starts with Markdown markup."""
import json
import re
import subprocess
import sys
from html.parser import HTMLParser

import cmarkgfm
from sections import body, show
from cmarkgfm.cmark import Options

WORD = re.compile(r"\w+", re.UNICODE)
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
BLOCK = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td", "th", "div", "pre", "blockquote", "section",
         "table", "ul", "ol", "br", "hr", "aside", "footer", "header", "nav", "main", "dl", "dt", "dd"}


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.children = tag, dict(attrs), parent, []


class Tree(HTMLParser):
    """A plain element tree of an HTML document (the browser already fixed its nesting)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", [], None)
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, attrs, self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not self.root and node.tag != tag:
            node = node.parent
        if node is not self.root:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html):
    tree = Tree()
    tree.feed(html)
    tree.close()
    return tree.root


def text(node, drop):
    """The text below node, leaving out the subtrees `drop` says to; blocks on lines of their own."""
    parts = []

    def walk(current):
        for child in current.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag in ("script", "style") or drop(child):
                continue
            else:
                if child.tag in BLOCK:
                    parts.append("\n")
                walk(child)
                if child.tag in BLOCK:
                    parts.append("\n")

    walk(node)
    return "".join(parts)


def find(node, predicate, found):
    for child in node.children:
        if isinstance(child, Node):
            if predicate(child):
                found.append(child)
            find(child, predicate, found)
    return found


def is_note(node):
    return "data-note" in node.attrs or node.tag == "aside"




def rendered_words(repo, revision, path):
    if not path:
        return []
    markdown = show(repo, revision, path)
    html = cmarkgfm.github_flavored_markdown_to_html(body(markdown), options=Options.CMARK_OPT_FOOTNOTES)
    return WORD.findall(text(parse(html), lambda node: False))


def first_difference(page, expected):
    for index, (x, y) in enumerate(zip(page, expected)):
        if x != y:
            return {"at": index, "page": page[max(0, index - 5):index + 8], "expected": expected[max(0, index - 5):index + 8]}
    return {"at": min(len(page), len(expected)), "page": page[len(expected):][:10], "expected": expected[len(page):][:10]}


def main():
    dom_path, json_path, repo = sys.argv[1:4]
    with open(dom_path, encoding="utf-8") as file:
        root = parse(file.read())
    with open(json_path, encoding="utf-8") as file:
        comparison = json.load(file)
    revision = {"a": comparison["a"]["commit"], "b": comparison["b"]["commit"]}
    sections = {section["id"]: section for section in comparison["sections"]}
    report = {"checked": [], "mismatches": [], "markupLines": []}
    for element in find(root, lambda node: "data-section" in node.attrs, []):
        section = sections.get(element.attrs["data-section"])
        if section is None:
            report["mismatches"].append({"section": element.attrs["data-section"], "reading": "none",
                                         "why": "not in the comparison"})
            continue
        readings = {
            "b": (lambda node: node.tag == "del" or is_note(node), section.get("pathB") if section["status"] != "removed" else None),
            "a": (lambda node: node.tag == "ins" or is_note(node), section.get("pathA") if section["status"] != "added" else None),
        }
        for side, (drop, path) in readings.items():
            page = WORD.findall(text(element, drop))
            expected = rendered_words(repo, revision[side], path)
            if page != expected:
                report["mismatches"].append({"section": section["id"], "reading": side, **first_difference(page, expected)})
        report["checked"].append(section["id"])
        # What a reader sees: no line starts with Markdown markup.
        for line in text(element, lambda node: node.tag == "pre").split("\n"):
            if re.match(r"\s*(#{1,6}\s|\|\s*\S|-\s+\*\*|\*\*\S)", line):
                report["markupLines"].append({"section": section["id"], "line": line.strip()[:80]})
    print(json.dumps(report, ensure_ascii=False, indent=1))


main()
