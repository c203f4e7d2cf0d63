"""Characters a book's text may hold: separators normalised, control characters found, nesting bounded.

Applied to every text read from the book (chapters, book.toml, the bibliography, the index file)
before it reaches a model, so no layout engine ever sees them:

- a UTF-8 byte order mark at the start is dropped (editors on Windows write one);
- the Unicode line and paragraph separators (U+2028, U+2029) and NEL (U+0085) become a space:
  Markdown has its own line and paragraph breaks, and WeasyPrint crashed on a space followed by
  U+2029. The words on either side are kept;
- the control characters no EPUB or PDF may hold (C0 but tab and newlines, C1, U+FFFE, U+FFFF,
  lone surrogates) are refused: :func:`bad_character` finds the first one;
- brackets nested deeper than :data:`MAX_NESTING` are refused: :func:`too_deep` finds where,
  before a recursive parser (tomllib, json, markdown-it) meets them.
"""

from __future__ import annotations

import re

MAX_NESTING = 64  # levels of [ { or of block quotation / list: far beyond any real book

_SEPARATORS = re.compile("[\u2028\u2029\u0085]")
_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff\ud800-\udfff]")


def normalise(text: str) -> str:
    """``text`` without a leading byte order mark, its separators (U+2028, U+2029, U+0085) made spaces."""
    if text.startswith("\ufeff"):
        text = text[1:]
    return separators_to_spaces(text)


def separators_to_spaces(text: str) -> str:
    """``text`` with U+2028, U+2029 and U+0085 made spaces (for text that arrives by an escape, such
    as ``&#x2029;`` in Markdown or ``"\\u2029"`` in JSON and TOML, after the file's own check)."""
    return _SEPARATORS.sub(" ", text) if _SEPARATORS.search(text) else text


def separators_to_spaces_in(value):
    """A parsed JSON or TOML value with :func:`separators_to_spaces` applied to every string in it
    (keys too). Iterative where it can be: the value's depth is already bounded by :func:`too_deep`."""
    if isinstance(value, str):
        return separators_to_spaces(value)
    if isinstance(value, list):
        return [separators_to_spaces_in(v) for v in value]
    if isinstance(value, dict):
        return {separators_to_spaces(k): separators_to_spaces_in(v) for k, v in value.items()}
    return value


def bad_character(text: str) -> tuple[int, str] | None:
    """(line, description) of the first control character no output may hold, or None."""
    found = _BAD.search(text)
    if not found:
        return None
    line = text.count("\n", 0, found.start()) + 1
    return line, (f"the control character U+{ord(found.group()):04X}, which no EPUB or PDF may hold; delete it")


def too_deep(text: str, opening: str = "[{", closing: str = "]}", limit: int = MAX_NESTING) -> int:
    """The line where brackets (``opening``/``closing``, outside double- or single-quoted strings) first
    nest deeper than ``limit``, or 0. Hand-written: it must not recurse, since what it guards
    against is a recursion too deep for the parsers."""
    depth, line, quote, escaped = 0, 1, "", False
    for char in text:
        if char == "\n":
            line += 1
        if quote:
            if escaped:
                escaped = False
            elif char == "\\" and quote == '"':
                escaped = True
            elif char == quote or char == "\n":
                quote = ""
        elif char in "\"'":
            quote = char
        elif char in opening:
            depth += 1
            if depth > limit:
                return line
        elif char in closing:
            depth = max(depth - 1, 0)
    return 0
