#!/usr/bin/env python3
"""Reads an HTML document (a browser's serialized DOM) on standard input and prints one JSON
object per element, in document order: {"tag": name, "attrs": [[name, value], ...]}. A real
parser, so that markup shown as text or inside attribute values is never taken for an element."""
import json
import sys
from html.parser import HTMLParser


class Elements(HTMLParser):
    def handle_starttag(self, tag, attrs):
        print(json.dumps({"tag": tag, "attrs": [[name, value or ""] for name, value in attrs]}))

    handle_startendtag = handle_starttag


parser = Elements(convert_charrefs=True)
parser.feed(sys.stdin.read())
parser.close()
