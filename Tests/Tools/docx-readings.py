#!/usr/bin/python3
"""Reads a Word file with LibreOffice (headless, through UNO) as a reviewer would use it.

Usage: /usr/bin/python3 docx-readings.py FILE.docx
(Debian's python3, which has LibreOffice's `uno` module: python3-uno.)

Prints one JSON object:
- "changes": every tracked change, as {"type", "author", "date"};
- "accepted": the text after accepting every change, "rejected": after rejecting every change
  (each reloaded from the file): paragraphs and table cells in order, one per line, the title,
  subtitle and contents heading paragraphs left out;
- "styles": the paragraph style of each non-empty paragraph, in order, of the file as it is;
- "tables" and "images": how many tables and pictures the file holds;
- "footnotes": the text of each Word footnote, in order."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    result = PropertyValue()
    result.Name, result.Value = name, value
    return result


def connect():
    profile = tempfile.mkdtemp(prefix="stet-lo-")
    pipe = "stet" + str(os.getpid())
    office = subprocess.Popen(["soffice", "--headless", "--invisible", "--norestore", "--nologo", "--nodefault",
                               f"-env:UserInstallation=file://{profile}", f"--accept=pipe,name={pipe};urp;"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(600):
        try:
            context = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
            return office, context, desktop
        except Exception:
            time.sleep(0.1)
    office.kill()
    raise SystemExit("LibreOffice did not start")


def load(desktop, path):
    document = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(path)), "_blank", 0,
                                            (prop("Hidden", True),))
    if document is None:
        raise SystemExit(f"LibreOffice could not open {path}")
    return document


def text_of(document):
    lines, styles, tables = [], [], 0
    enumeration = document.Text.createEnumeration()
    while enumeration.hasMoreElements():
        element = enumeration.nextElement()
        if element.supportsService("com.sun.star.text.TextTable"):
            tables += 1
            for name in element.getCellNames():
                lines.append(element.getCellByName(name).getString())
            continue
        style = element.ParaStyleName
        if style in ("Title", "Subtitle", "Contents Heading", "TOC Heading"):
            continue
        text = element.getString()
        lines.append(text)
        if text.strip():
            styles.append(style)
    return "\n".join(lines), styles, tables


def dispatch(context, document, command):
    dispatcher = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.DispatchHelper", context)
    dispatcher.executeDispatch(document.CurrentController.Frame, command, "", 0, ())


def main():
    # A copy of its own: a lock file left beside the original by another office never stops it.
    path = os.path.join(tempfile.mkdtemp(prefix="stet-docx-"), "file.docx")
    shutil.copyfile(sys.argv[1], path)
    office, context, desktop = connect()
    try:
        document = load(desktop, path)
        changes = []
        redlines = document.Redlines.createEnumeration()
        while redlines.hasMoreElements():
            redline = redlines.nextElement()
            moment = redline.RedlineDateTime
            changes.append({"type": redline.RedlineType, "author": redline.RedlineAuthor,
                            "date": f"{moment.Year:04d}-{moment.Month:02d}-{moment.Day:02d}T{moment.Hours:02d}:{moment.Minutes:02d}:{moment.Seconds:02d}"})
        _, styles, tables = text_of(document)
        images = document.GraphicObjects.getCount()
        notes = document.Footnotes
        footnotes = [notes.getByIndex(index).getString() for index in range(notes.getCount())]
        dispatch(context, document, ".uno:AcceptAllTrackedChanges")
        accepted, _, _ = text_of(document)
        document.close(True)
        document = load(desktop, path)
        dispatch(context, document, ".uno:RejectAllTrackedChanges")
        rejected, _, _ = text_of(document)
        document.close(True)
        print(json.dumps({"changes": changes, "accepted": accepted, "rejected": rejected, "styles": styles, "tables": tables,
                          "images": images, "footnotes": footnotes}, ensure_ascii=False))
    finally:
        try:
            desktop.terminate()
        except Exception:
            pass
        office.wait(timeout=30)


main()
