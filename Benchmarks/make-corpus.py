#!/usr/bin/env python3
"""A guideline's drafting history, for the benchmarks: sections of policy prose in Markdown (one
file each under drafts/), then commits by several writers that edit them as drafting teams do
(words replaced, sentences added, dropped and rewritten, punctuation, list items, paragraphs
added, dropped and moved within and between sections), some on writers' branches merged back,
and the milestones first, second and final as annotated tags. The history is given to
`git fast-import` as one stream, so thousands of commits take seconds. The same seed gives the
same repository, byte for byte.

Usage: Benchmarks/make-corpus.py OUT [--sections N] [--commits N] [--wrap COLUMNS]
       [--writers N] [--branches P] [--seed S]
"""
import argparse
import calendar
import random
import subprocess
import sys
import time

NOUNS = ["city", "resident", "service", "platform", "council", "district", "sensor", "dataset", "network",
         "community", "operator", "procurement", "budget", "standard", "interface", "archive", "register",
         "neighbourhood", "transport", "housing", "library", "school", "clinic", "permit", "licence", "audit",
         "algorithm", "camera", "portal", "partner", "supplier", "contract", "pilot", "evaluation", "user",
         "citizen", "official", "committee", "strategy", "policy", "assessment", "consultation", "record"]
ADJECTIVES = ["public", "digital", "local", "open", "shared", "accessible", "secure", "independent", "national",
              "municipal", "transparent", "inclusive", "affordable", "reliable", "regional", "existing", "new",
              "vulnerable", "older", "informal", "common", "interoperable", "personal", "anonymous", "annual"]
VERBS = ["publish", "review", "protect", "share", "explain", "assess", "fund", "consult", "document", "procure",
         "evaluate", "support", "retain", "delete", "audit", "monitor", "train", "involve", "inform", "adapt"]
MODALS = ["should", "must", "may", "could", "should not", "must not", "can", "will"]
DETERMINERS = ["the", "each", "every", "a", "any", "their", "its", "this", "these"]
PREPOSITIONS = ["for", "with", "in", "across", "before", "after", "within", "by", "through", "under"]
OPENERS = ["Where possible,", "In every case,", "Before a project starts,", "At each stage,", "Within a year,",
           "When data is collected,", "Subject to national law,", "As a minimum,"]
WRITERS = ["Amina Diallo", "Lucas Pereira", "Mei Chen", "Ben Okafor", "Carmen Ruiz", "Dana Ivanova", "Farid Haddad",
           "Grace Mensah", "Hiro Tanaka", "Ines Moreau", "Jonas Berg", "Kavya Rao"]


class Writer:
    """Prose made from the seeded generator `rng`."""

    def __init__(self, rng):
        self.rng = rng

    def phrase(self):
        r = self.rng
        words = [r.choice(DETERMINERS), r.choice(ADJECTIVES), r.choice(NOUNS)]
        if r.random() < 0.15:
            words[2] = "**" + words[2] + "**"
        elif r.random() < 0.1:
            words[1] = "*" + words[1] + "*"
        elif r.random() < 0.08:
            words[2] = "[%s](https://example.org/%s)" % (words[2], words[2])
        return " ".join(words)

    def sentence(self):
        r = self.rng
        parts = []
        if r.random() < 0.2:
            parts.append(r.choice(OPENERS))
        parts += [self.phrase(), r.choice(MODALS), r.choice(VERBS), self.phrase()]
        for _ in range(r.randint(0, 2)):
            parts += [r.choice(PREPOSITIONS), self.phrase()]
        if r.random() < 0.1:
            parts.append("within %d months" % r.randint(2, 36))
        if r.random() < 0.05:
            parts.append("(see `%s`)" % r.choice(NOUNS))
        text = " ".join(parts)
        return text[0].upper() + text[1:] + "."

    def paragraph(self):
        return ["paragraph", [self.sentence() for _ in range(self.rng.randint(2, 6))]]

    def block(self):
        roll = self.rng.random()
        if roll < 0.12:
            return ["list", [self.sentence() for _ in range(self.rng.randint(2, 5))]]
        if roll < 0.18:
            return ["numbered", [self.sentence() for _ in range(self.rng.randint(2, 4))]]
        if roll < 0.24:
            return ["heading", ["%s and %s" % (self.rng.choice(ADJECTIVES).capitalize(), self.rng.choice(NOUNS))]]
        return self.paragraph()


def wrap(text, width, indent=""):
    """Greedy line breaking at `width` columns; the first line without `indent`."""
    if width <= 0:
        return text
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = indent + word
        else:
            line = word if not line else line + " " + word
    lines.append(line)
    return "\n".join(lines)


def render(section, width):
    out = ["# " + section["title"], ""]
    for kind, items in section["blocks"]:
        if kind == "heading":
            out += ["## " + items[0], ""]
        elif kind == "paragraph":
            out += [wrap(" ".join(items), width), ""]
        else:
            for number, item in enumerate(items, 1):
                marker = "- " if kind == "list" else "%d. " % number
                out.append(wrap(marker + item, width, " " * len(marker)))
            out.append("")
    return "\n".join(out)


class Corpus:
    def __init__(self, args):
        self.rng = random.Random(args.seed)
        self.writer = Writer(self.rng)
        self.width = args.wrap
        self.writers = WRITERS[:max(1, args.writers)]
        self.time = calendar.timegm((2024, 1, 8, 9, 0, 0, 0, 0, 0))
        self.mark = 0
        self.out = []
        self.sections = []
        used = set()
        for index in range(args.sections):
            title = "%s %s" % (self.rng.choice(ADJECTIVES).capitalize(), self.rng.choice(NOUNS))
            while title in used:
                title += " " + self.rng.choice(NOUNS)
            used.add(title)
            slug = title.lower().replace(" ", "-")
            blocks = [self.writer.paragraph()] + [self.writer.block() for _ in range(self.rng.randint(5, 11))]
            self.sections.append({"path": "drafts/%03d-%s.md" % (index + 1, slug), "title": title, "blocks": blocks})

    # The edits writers make. Each returns the indices of the sections it changed.
    def paragraphs(self, section, kinds=("paragraph",)):
        return [i for i, block in enumerate(section["blocks"]) if block[0] in kinds]

    def edit(self, sections):
        r = self.rng
        index = r.randrange(len(sections))
        section = sections[index]
        roll = r.random()
        prose = self.paragraphs(section)
        lists = self.paragraphs(section, ("list", "numbered"))
        if roll < 0.30 and prose:
            items = section["blocks"][r.choice(prose)][1]
            position = r.randrange(len(items))
            words = items[position].split(" ")
            for _ in range(r.randint(1, 3)):
                spot = r.randrange(len(words))
                if words[spot].isalpha():
                    words[spot] = r.choice(ADJECTIVES + NOUNS + VERBS)
            items[position] = " ".join(words)
        elif roll < 0.45 and prose:
            items = section["blocks"][r.choice(prose)][1]
            items.insert(r.randint(0, len(items)), self.writer.sentence())
        elif roll < 0.57 and prose:
            items = section["blocks"][r.choice(prose)][1]
            if len(items) > 1:
                items.pop(r.randrange(len(items)))
        elif roll < 0.67 and prose:
            items = section["blocks"][r.choice(prose)][1]
            items[r.randrange(len(items))] = self.writer.sentence()
        elif roll < 0.72 and prose:
            items = section["blocks"][r.choice(prose)][1]
            position = r.randrange(len(items))
            items[position] = items[position].rstrip(".;") + r.choice([";", ".", ", as agreed."])
        elif roll < 0.80 and lists:
            items = section["blocks"][r.choice(lists)][1]
            choice = r.random()
            if choice < 0.4:
                items.insert(r.randint(0, len(items)), self.writer.sentence())
            elif choice < 0.7 and len(items) > 2:
                items.pop(r.randrange(len(items)))
            else:
                items[r.randrange(len(items))] = self.writer.sentence()
        elif roll < 0.86:
            section["blocks"].insert(r.randint(1, len(section["blocks"])), self.writer.block())
        elif roll < 0.90 and len(section["blocks"]) > 3:
            section["blocks"].pop(r.randrange(1, len(section["blocks"])))
        elif roll < 0.95 and len(section["blocks"]) > 2:
            moved = section["blocks"].pop(r.randrange(1, len(section["blocks"])))
            section["blocks"].insert(r.randint(1, len(section["blocks"])), moved)
        elif len(sections) > 1 and len(section["blocks"]) > 2:
            target = r.randrange(len(sections))
            if target != index:
                moved = section["blocks"].pop(r.randrange(1, len(section["blocks"])))
                other = sections[target]["blocks"]
                other.insert(r.randint(1, len(other)), moved)
                return [index, target]
        return [index]

    # The fast-import stream.
    def data(self, text):
        payload = text.encode("utf-8")
        self.out.append(b"data %d\n" % len(payload))
        self.out.append(payload)
        self.out.append(b"\n")

    def commit(self, branch, writer, message, files, parent=None, merge=None):
        self.mark += 1
        self.time += self.rng.randint(600, 5400)
        email = writer.lower().replace(" ", ".").replace("í", "i") + "@example.org"
        self.out.append(b"commit refs/heads/%s\nmark :%d\n" % (branch.encode(), self.mark))
        self.out.append(("author %s <%s> %d +0000\ncommitter %s <%s> %d +0000\n"
                         % (writer, email, self.time, writer, email, self.time)).encode())
        self.data(message)
        if parent:
            self.out.append(b"from :%d\n" % parent)
        if merge:
            self.out.append(b"merge :%d\n" % merge)
        for path, text in files:
            self.out.append(b"M 100644 inline %s\n" % path.encode())
            self.data(text)
        self.out.append(b"\n")
        return self.mark

    def tag(self, name, mark, message):
        self.time += 60
        self.out.append(b"tag %s\nfrom :%d\n" % (name.encode(), mark))
        self.out.append(b"tagger Secretariat <secretariat@example.org> %d +0000\n" % self.time)
        self.data(message)

    def message(self, sections, changed):
        r = self.rng
        title = sections[changed[0]]["title"]
        verb = r.choice(["Clarify", "Tighten", "Reword", "Extend", "Shorten", "Revise", "Answer comments on"])
        text = "%s %s" % (verb, title)
        if len(changed) > 1:
            text = "Move a paragraph from %s to %s" % (title, sections[changed[1]]["title"])
        if r.random() < 0.25:
            text += "\n\nAddresses: OC-%04d" % r.randint(1, 2400)
        return text + "\n"

    def build(self, commits, branch_probability):
        files = [(s["path"], render(s, self.width)) for s in self.sections]
        head = self.commit("main", "Secretariat", "Zero draft\n", files)
        milestones = {commits // 3: "first", 2 * commits // 3: "second", commits: "final"}
        made = 1
        while made < commits:
            if self.rng.random() < branch_probability and commits - made > 8:
                # A writer's branch: edits to a few sections of its own, while main goes on with
                # the others; then merged.
                writer = self.rng.choice(self.writers)
                own = set(self.rng.sample(range(len(self.sections)), 3))
                branch_sections = [dict(s, blocks=[[k, list(v)] for k, v in s["blocks"]]) for s in self.sections]
                tip = head
                name = writer.split(" ")[0].lower() + "/b%d" % made
                for _ in range(self.rng.randint(2, 4)):
                    chosen = sorted(own)
                    view = [branch_sections[i] for i in chosen]
                    changed = [chosen[i] for i in self.edit(view)]
                    tip = self.commit(name, writer, self.message(branch_sections, changed),
                                      [(branch_sections[i]["path"], render(branch_sections[i], self.width)) for i in changed],
                                      parent=tip)
                    made += 1
                for _ in range(self.rng.randint(1, 4)):
                    others = [i for i in range(len(self.sections)) if i not in own]
                    view = [self.sections[i] for i in others]
                    changed = [others[i] for i in self.edit(view)]
                    head = self.commit("main", self.rng.choice(self.writers), self.message(self.sections, changed),
                                       [(self.sections[i]["path"], render(self.sections[i], self.width)) for i in changed],
                                       parent=head)
                    made += 1
                for i in own:
                    self.sections[i] = branch_sections[i]
                head = self.commit("main", writer, "Merge %s\n" % name,
                                   [(self.sections[i]["path"], render(self.sections[i], self.width)) for i in sorted(own)],
                                   parent=head, merge=tip)
            else:
                changed = self.edit(self.sections)
                head = self.commit("main", self.rng.choice(self.writers), self.message(self.sections, changed),
                                   [(self.sections[i]["path"], render(self.sections[i], self.width)) for i in changed],
                                   parent=head)
                made += 1
            for at in sorted(milestones):
                if made >= at and milestones[at]:
                    name = milestones[at]
                    self.tag(name, head, "%s draft, approved\n" % name.capitalize())
                    milestones[at] = None
        for at, name in milestones.items():
            if name:
                self.tag(name, head, "%s draft, approved\n" % name.capitalize())
        return b"".join(self.out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out")
    parser.add_argument("--sections", type=int, default=500)
    parser.add_argument("--commits", type=int, default=5000)
    parser.add_argument("--wrap", type=int, default=0, help="columns to wrap paragraphs at (0: one line each)")
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--branches", type=float, default=0.03, help="chance that a commit starts a writer's branch")
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()
    started = time.time()
    stream = Corpus(args).build(args.commits, args.branches)
    subprocess.run(["git", "init", "-q", "-b", "main", args.out], check=True)
    subprocess.run(["git", "-C", args.out, "fast-import", "--quiet"], input=stream, check=True)
    subprocess.run(["git", "-C", args.out, "reset", "-q", "--hard", "main"], check=True)
    subprocess.run(["git", "-C", args.out, "gc", "-q"], check=True)
    count = subprocess.run(["git", "-C", args.out, "rev-list", "--count", "main"], capture_output=True, text=True).stdout.strip()
    print("%s: %d sections, %s commits, wrap %d, %.1f s" % (args.out, args.sections, count, args.wrap, time.time() - started),
          file=sys.stderr)


if __name__ == "__main__":
    main()
