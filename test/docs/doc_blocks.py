"""Fenced code blocks of README.md and docs/*.md, with their test markers.

Shared by the docs tests (snippets.mlir, commands.mlir). A block is a fenced
block opened by a line of three backticks and an optional language tag
(```mlir, ```sh, or none). The marker of a block is an HTML comment on the
line just before its opening fence (blank lines between are not allowed):

    <!-- doc-test: fragment -->                 an ```mlir block that is not a whole module
    <!-- doc-test: gpu -->                      a ```sh block that needs an NVIDIA GPU
    <!-- doc-test: not-run (REASON) -->         a ```sh block the tests do not run

Commands of a block: in a ```sh block, or in any block whose lines start
with "$ " (a transcript: command lines after "$ ", the rest is output), the
commands are what the tests run. A ```sh block without "$ " lines is a
script: all of its lines run, in order, under `bash -e -o pipefail`.
"""

import os
import re

FENCE = re.compile(r"^(\s*)```([A-Za-z0-9_+-]*)\s*$")
MARKER = re.compile(r"^\s*<!--\s*doc-test:\s*(fragment|gpu|not-run)\s*(?:\((.*)\))?\s*-->\s*$")


class Block:
    def __init__(self, path, line, lang, text, marker, reason):
        self.path = path  # relative to the source root
        self.line = line  # 1-based line of the opening fence
        self.lang = lang
        self.text = text
        self.marker = marker  # None, "fragment", "gpu" or "not-run"
        self.reason = reason

    @property
    def where(self):
        return "%s:%d" % (self.path, self.line)

    def is_transcript(self):
        return any(l.startswith("$ ") for l in self.text.splitlines())

    def has_commands(self):
        return self.lang == "sh" or self.is_transcript()

    def script(self):
        """The commands of the block as one bash script."""
        lines = self.text.splitlines()
        if not self.is_transcript():
            return self.text
        out = []
        for l in lines:
            if l.startswith("$ "):
                out.append(l[2:])
            # A continuation line of a "$ " command ends the previous in "\".
            elif out and out[-1].endswith("\\"):
                out.append(l)
        return "\n".join(out) + "\n"


def doc_files(src_root):
    files = ["README.md"]
    docs = os.path.join(src_root, "docs")
    files += sorted("docs/" + f for f in os.listdir(docs) if f.endswith(".md"))
    return files


def read_blocks(src_root, rel):
    blocks = []
    with open(os.path.join(src_root, rel), encoding="utf-8") as f:
        lines = f.read().splitlines()
    i = 0
    while i < len(lines):
        m = FENCE.match(lines[i])
        if not m:
            i += 1
            continue
        indent, lang = m.group(1), m.group(2)
        marker = reason = None
        if i > 0:
            mm = MARKER.match(lines[i - 1])
            if mm:
                marker, reason = mm.group(1), mm.group(2)
        body = []
        j = i + 1
        while j < len(lines) and not re.match(r"^\s*```\s*$", lines[j]):
            l = lines[j]
            body.append(l[len(indent):] if l.startswith(indent) else l.lstrip())
            j += 1
        if j == len(lines):
            raise SystemExit("%s:%d: unterminated code block" % (rel, i + 1))
        blocks.append(Block(rel, i + 1, lang, "\n".join(body) + "\n", marker, reason))
        i = j + 1
    return blocks


def all_blocks(src_root):
    out = []
    for rel in doc_files(src_root):
        out += read_blocks(src_root, rel)
    return out


def check_markers(blocks):
    """Markers used where they make no sense are errors (stale markers)."""
    errors = []
    for b in blocks:
        if b.marker == "fragment" and b.lang != "mlir":
            errors.append("%s: 'fragment' marks a ```%s block, not ```mlir" % (b.where, b.lang))
        if b.marker in ("gpu", "not-run") and not b.has_commands():
            errors.append("%s: '%s' marks a block without commands" % (b.where, b.marker))
        if b.marker == "not-run" and not b.reason:
            errors.append("%s: 'not-run' needs a reason in parentheses" % b.where)
    return errors
