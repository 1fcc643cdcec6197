"""Consultation exports made the way forms and Excel make them, and the comment matrix read back.

  comments-files.py make REPO REVISION OUTDIR
      Renders every section of REPO at REVISION with cmarkgfm (an independent CommonMark+GFM
      renderer) and copies passages from the typeset text, as a reader of the published draft
      does: no Markdown, curly quotes, the line breaks of the source gone. Writes the same rows
      as CSV (UTF-8 with a byte order mark), as tab-separated UTF-16 (Excel's "Unicode text")
      and as XLSX (openpyxl), and rows.json: each row with the section it quotes and whether its
      quote is the draft's own text (a paraphrase is not).

  comments-files.py read-xlsx FILE
      Every cell of the first sheet as openpyxl reads it: value and data type (f: a formula).

  comments-files.py answer-xlsx FILE ID=STATUS=RESPONSE...
      Fills in the Status and Response cells of those rows, as a secretariat does.
"""
import csv
import html.parser
import io
import json
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(__file__))
from sections import body, show  # noqa: E402


class Text(html.parser.HTMLParser):
    """The text of rendered HTML, paragraph by paragraph, footnote references left out."""

    def __init__(self):
        super().__init__()
        self.paragraphs, self.current, self.skip = [], "", 0

    def handle_starttag(self, tag, attrs):
        if tag == "sup":
            self.skip += 1
        if tag in ("p", "li", "h1", "h2", "h3", "td", "th"):
            self.flush()

    def handle_endtag(self, tag):
        if tag == "sup":
            self.skip -= 1
        if tag in ("p", "li", "h1", "h2", "h3", "td", "th"):
            self.flush()

    def handle_data(self, data):
        if not self.skip:
            self.current += data

    def flush(self):
        text = " ".join(self.current.split())
        if text:
            self.paragraphs.append(text)
        self.current = ""


def typeset(markdown):
    import cmarkgfm
    from cmarkgfm.cmark import Options
    rendered = cmarkgfm.github_flavored_markdown_to_html(body(markdown), options=Options.CMARK_OPT_UNSAFE)
    reader = Text()
    reader.feed(rendered)
    reader.flush()
    return reader.paragraphs


def curly(text):
    """Typographic quotes, as a word processor or a web page gives them."""
    text = re.sub(r"'", "\u2019", text)
    return re.sub(r'"([^"]*)"', "\u201c\\1\u201d", text)


def make(repo, revision, out):
    files = subprocess.run(["git", "-C", repo, "ls-tree", "-r", "--name-only", revision, "drafts"],
                           capture_output=True, check=True, text=True).stdout.split()
    sections = []
    for path in sorted(f for f in files if f.endswith(".md")):
        markdown = show(repo, revision, path)
        ident = re.search(r"^id:\s*(\S+)", markdown, re.M).group(1)
        title = re.search(r"^title:\s*(.+)$", markdown, re.M).group(1).strip()
        sections.append((ident, title, typeset(markdown)))
    rows, expected = [], []
    people = [("Amina Diallo", "Urban Lab", "Civil society", "Sénégal"),
              ("فاطمة السيد", "معهد التنمية الحضرية", "Academia", "Saudi Arabia"),
              ("张伟", "同济大学", "Academia", "China"),
              ("Ольга Коваленко", "Київ Цифровий", "Local government", "Ukraine"),
              ("Jean-Pierre Martin", "Ville de Lyon", "Government", "France")]
    for number, (ident, title, paragraphs) in enumerate(sections):
        # The start and the end of every paragraph and list item: across emphasis, links,
        # apostrophes and the source's line breaks.
        quotes = []
        for paragraph in paragraphs[1:]:
            words = paragraph.split()
            if len(words) >= 6:
                quotes += [" ".join(words[1:9]), " ".join(words[-8:])]
        for index, quote in enumerate(quotes):
            person = people[(number + index) % len(people)]
            reference = [str(number + 1), title, f"Section {number + 1}", ident][(number + index) % 4]
            rows.append(list(person) + [reference, curly(quote), "te", f"Comment on “{quote[:20]}”,\nwith a second line and \"quotes\".", ""])
            expected.append({"section": ident, "quote": quote, "anchored": True})
    # A paraphrase of a passage that is there, and a quote of a passage that is not.
    ident, title, paragraphs = sections[0]
    words = paragraphs[1].split()
    rows.append(list(people[4]) + [title, " ".join(reversed(words[:6])), "ed", "Une paraphrase, pas une citation.", ""])
    expected.append({"section": ident, "quote": None, "anchored": False})
    rows.append(list(people[3]) + ["General", "words that no draft of these guidelines ever held", "ge", "Цитата из другого документа.", ""])
    expected.append({"section": None, "quote": None, "anchored": False})
    # Cells a spreadsheet would take for formulas, and markup.
    for payload in ["=HYPERLINK(\"http://127.0.0.1:9/\",\"x\")", "+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)",
                    "<script>document.title='pwned'</script>", "<img src=x onerror=document.title='pwned'>"]:
        rows.append([payload, payload, "Private sector", "", "General", "", "ge", payload, payload])
        expected.append({"section": None, "quote": None, "anchored": False, "payload": payload})
    # An exact resubmission of the first row.
    rows.append(list(rows[0]))
    expected.append(dict(expected[0], duplicateOfRow=2))
    header = ["Name", "Organization", "Stakeholder group", "Country", "Section", "Text commented on", "Type of comment",
              "Comment", "Proposed change"]
    os.makedirs(out, exist_ok=True)
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows([header] + rows)
    with open(os.path.join(out, "comments.csv"), "wb") as file:
        file.write(b"\xef\xbb\xbf" + buffer.getvalue().encode("utf-8"))
    buffer = io.StringIO()
    csv.writer(buffer, delimiter="\t", lineterminator="\r\n").writerows([header] + rows)
    with open(os.path.join(out, "comments-unicode.txt"), "wb") as file:
        file.write(buffer.getvalue().encode("utf-16"))
    import openpyxl
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Responses"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
        # openpyxl stores a string starting with "=" as a formula: a form's export would not.
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
    book.save(os.path.join(out, "comments.xlsx"))
    with open(os.path.join(out, "rows.json"), "w") as file:
        json.dump({"rows": [dict(e, cells=r) for e, r in zip(expected, rows)]}, file, ensure_ascii=False)


def read_xlsx(path):
    import openpyxl
    sheet = openpyxl.load_workbook(path).worksheets[0]
    cells = [[{"value": cell.value, "type": cell.data_type} for cell in row] for row in sheet.iter_rows()]
    print(json.dumps({"title": sheet.title, "cells": cells}, ensure_ascii=False))


def answer_xlsx(path, answers):
    """Fills the Status and Response cells of the rows whose ID is given ("ID=status=response"),
    as a secretariat does in the exported matrix, and saves it."""
    import openpyxl
    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    header = [cell.value for cell in sheet[1]]
    column = {name: header.index(name) + 1 for name in ("ID", "Status", "Response")}
    wanted = dict((a.split("=", 2)[0], a.split("=", 2)[1:]) for a in answers)
    for row in range(2, sheet.max_row + 1):
        ident = sheet.cell(row, column["ID"]).value
        if ident in wanted:
            sheet.cell(row, column["Status"]).value, sheet.cell(row, column["Response"]).value = wanted[ident]
    book.save(path)


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2], sys.argv[3], sys.argv[4])
    elif sys.argv[1] == "read-xlsx":
        read_xlsx(sys.argv[2])
    elif sys.argv[1] == "answer-xlsx":
        answer_xlsx(sys.argv[2], sys.argv[3:])
    else:
        sys.exit(__doc__)
