"""Which way a paragraph runs: right to left when its first strong character is Hebrew, Arabic…

Unicode's bidirectional algorithm orders the characters within a line (WeasyPrint through Pango and
FriBidi, browsers and reading systems on their own), but the paragraph's own direction, which side
it starts from and aligns to, is the markup's: ``dir="rtl"``. :func:`text_direction` decides it by
Unicode's rule P2 (the first character of a strong class), as ``dir="auto"`` would; it is written
out rather than left to ``dir="auto"`` because WeasyPrint 70 does not implement ``auto``.
"""

from __future__ import annotations

import unicodedata


def text_direction(text: str) -> str:
    """"rtl" when the first strong character of ``text`` is right to left (bidi class R or AL:
    Hebrew, Arabic, Syriac…), else "ltr".

    >>> text_direction("«שָׁלוֹם», he said"), text_direction("He said «שָׁלוֹם»")
    ('rtl', 'ltr')
    """
    return strong_direction(text) or "ltr"


def strong_direction(text: str) -> str:
    """"rtl" or "ltr" by the first strong character of ``text``, "" when it has none."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return "rtl"
        if kind == "L":
            return "ltr"
    return ""


def inlines_direction(inlines) -> str:
    """The direction of a paragraph's inlines (their text nodes in reading order; a citation's
    printed form is not looked into): as :func:`text_direction` on their text, stopping at the
    first strong character, so an ordinary paragraph costs a glance at its first word."""
    from . import model as m
    from .walk import iter_nodes

    for node in iter_nodes(inlines, (m.Cite,)):
        if isinstance(node, m.Text):
            found = strong_direction(node.text)
            if found:
                return found
    return "ltr"
