"""What pandoc authors write that Pressroom does not read yet, found in a chapter's source before it
is parsed, so that it is never printed to a reader as raw syntax: each a finding (:data:`CODE`) with
the file, the line and what to write instead.

Hand-written: markdown-it reads these lines as ordinary text (a grid table's rows as a paragraph, a
simple table's dashed line as a rule), so no token tells that they were meant as something else.
A TeX formula that cannot be read is found by the reader itself (:mod:`pressroom.formulas`).
"""

from __future__ import annotations

import re

CODE = "M031"

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
# (pattern of a line, what it is, what to write instead)
_UNREAD = (
    (re.compile(r"^\s*\+(?:[-=:]+\+){1,}\s*$"), "a grid table",
     "write a pipe table (| a | b | with a |---|---| line under the header)"),
    (re.compile(r"^\s*-{3,}(?: +-{3,})+\s*$"), "a simple or multiline table",
     "write a pipe table (| a | b | with a |---|---| line under the header)"),
    (re.compile(r"^\s*\(@[\w-]*\)\s"), "an example list ((@) items)",
     "write an ordered list (1. 2. or a) b))"),
    (re.compile(r"^\s*\\(?:newpage|pagebreak|clearpage|begin\{|vspace)"), "raw LaTeX",
     "write it in Markdown; the print edition breaks pages itself"),
)


def unread_constructs(text: str) -> list[tuple[int, str]]:
    """Each line (1-based) of ``text`` outside fenced code that begins a construct Pressroom does not
    read, with the message of its finding; one finding per construct (its first line)."""
    found: list[tuple[int, str]] = []
    fence = ""
    inside = False  # in a construct already reported, until a blank line
    for number, line in enumerate(text.split("\n"), 1):
        opened = _FENCE.match(line)
        if fence:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = ""
            continue
        if opened:
            fence = opened.group(1)
            continue
        if not line.strip():
            inside = False
            continue
        for pattern, what, instead in _UNREAD:
            if not inside and pattern.match(line):
                found.append((number, f"{what} is not read by Pressroom; {instead}"))
                inside = True
                break
    return found
