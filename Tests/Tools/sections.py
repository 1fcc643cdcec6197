"""What the test readers share about a section file (imported from the scripts beside it)."""
import re
import subprocess


def body(markdown):
    """The Markdown after its YAML front matter (closed by `---` or YAML's `...`)."""
    if markdown.startswith("---\n"):
        end = re.search(r"\n(---|\.\.\.)[ \t]*(\n|$)", markdown[3:])
        if end:
            return markdown[3 + end.end():]
    return markdown


def show(repo, revision, path):
    """A file of the repository at a revision, as git has it."""
    return subprocess.run(["git", "-C", repo, "show", f"{revision}:{path}"], capture_output=True, check=True,
                          text=True).stdout
