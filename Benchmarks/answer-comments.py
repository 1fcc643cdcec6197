#!/usr/bin/env python3
"""Answers COUNT comments of a round the way a writing team does: for each, an edit of the passage
it quotes (a word replaced), committed with `stet commit --addresses ID`; then the dispositions
recorded in one `stet comments respond ... --commit`.

Usage: Benchmarks/answer-comments.py STET REPO COUNT [--seed N]
"""
import argparse
import json
import random
import subprocess


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("stet")
    parser.add_argument("repo")
    parser.add_argument("count", type=int)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    stet = lambda *a: subprocess.run([args.stet, "-C", args.repo, *a], capture_output=True, check=True, text=True).stdout
    listed = json.loads(stet("comments", "list", "--format", "json"))["comments"]
    exact = [c for c in listed if c["anchor"]["state"] == "exact" and c["section"]]
    rng.shuffle(exact)
    files = subprocess.run(["git", "-C", args.repo, "ls-files", "drafts"], capture_output=True, text=True, check=True).stdout.split()
    paths = {}
    for path in files:
        ident = path.rsplit("/", 1)[-1][:-3].split("-", 1)[-1]
        head = open(f"{args.repo}/{path}", encoding="utf-8").read(300)
        if head.startswith("---\n") and "\nid: " in head:
            ident = head.split("\nid: ", 1)[1].split("\n", 1)[0].strip()
        paths.setdefault(ident, []).append(path)
    answered, touched = [], set()
    for comment in exact:
        if len(answered) == args.count:
            break
        if comment["section"] in touched or len(paths.get(comment["section"], [])) != 1:
            continue
        path = paths[comment["section"]][0]
        text = open(f"{args.repo}/{path}", encoding="utf-8").read()
        passage = comment["anchor"]["text"]
        if text.count(passage) != 1:
            continue
        words = passage.split(" ")
        words[len(words) // 2] = "agreed"
        open(f"{args.repo}/{path}", "w", encoding="utf-8").write(text.replace(passage, " ".join(words)))
        stet("commit", "-m", f"Answer {comment['id']}", "--addresses", comment["id"], comment["section"])
        answered.append(comment["id"])
        # A section once per batch, so that every edit stays where its comment's passage was.
        touched.add(comment["section"])
        if len(touched) > 400:
            touched.clear()
    stet("comments", "respond", *answered, "--status", "accepted", "--response", "Accepted.", "--commit")
    print(len(answered))


if __name__ == "__main__":
    main()
