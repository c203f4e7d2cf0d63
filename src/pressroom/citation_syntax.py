"""Pandoc's citation syntax, ``[see @key, p. 38; @other, pp. 82-3, my emphasis]``.

No maintained markdown-it plugin parses pandoc citations (mdit-py-plugins has
none), so this module holds a small hand-written parser: :func:`parse_citation`
is a pure function from the bracket's text to :class:`CiteItem` values, and
:func:`citation_plugin` adds it to markdown-it as an inline rule that runs
before links.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.rules_inline import StateInline

from .model import CiteItem

# A citation key: starts with a letter, digit or underscore; may contain internal punctuation.
_KEY = r"[\w][\w:.#$%&+?<>~/-]*?"
_ITEM = re.compile(rf"^(?P<prefix>.*?)(?P<suppress>-?)@(?P<key>{_KEY})(?=$|[\s,;.:!?)\]]*(?:$|[\s,;]))(?P<rest>.*)$", re.S)

# Locator labels as authors write them, mapped to CSL locator types.
LOCATOR_LABELS = {
    "p.": "page", "pp.": "page", "page": "page", "pages": "page",
    "vol.": "volume", "vols.": "volume", "volume": "volume",
    "chap.": "chapter", "ch.": "chapter", "chapter": "chapter",
    "sec.": "section", "§": "section", "section": "section",
    "para.": "paragraph", "paragraph": "paragraph",
    "col.": "column", "n.": "note", "nn.": "note", "note": "note",
    "l.": "line", "ll.": "line", "line": "line", "fig.": "figure", "no.": "issue",
}
_LOCATOR = re.compile(
    r"^,?\s*(?P<label>" + "|".join(re.escape(k) for k in sorted(LOCATOR_LABELS, key=len, reverse=True)) + r")"
    r"\s*(?P<value>[0-9ivxlcdmIVXLCDM]+(?:\s*[-–]\s*[0-9ivxlcdmIVXLCDM]+)?)(?P<rest>.*)$",
    re.S,
)


def parse_citation(text: str) -> tuple[CiteItem, ...] | None:
    """Parse the inside of ``[...]`` into cited items, or ``None`` if it is no citation.

    >>> parse_citation("Quoted in @nove, p. 174")
    (CiteItem(key='nove', prefix='Quoted in', label='page', locator='174', suffix='', suppress_author=False),)
    """
    items = []
    for part in text.split(";"):
        match = _ITEM.match(part.strip())
        if not match:
            return None
        prefix = match["prefix"].strip()
        if prefix and not re.search(r"(^|\s)$", match["prefix"]):
            return None  # an e-mail address such as a@b.org, not a citation
        rest = match["rest"]
        label = locator = ""
        loc = _LOCATOR.match(rest)
        if loc:
            label, locator, rest = LOCATOR_LABELS[loc["label"]], loc["value"], loc["rest"]
        suffix = rest.strip()
        items.append(
            CiteItem(
                key=match["key"],
                prefix=prefix,
                label=label,
                locator=locator.replace(" ", ""),
                suffix=suffix,
                suppress_author=bool(match["suppress"]),
            )
        )
    return tuple(items)


def _citation_rule(state: StateInline, silent: bool) -> bool:
    if state.src[state.pos] != "[" or state.src.startswith("[^", state.pos):
        return False
    end = state.md.helpers.parseLinkLabel(state, state.pos, False)
    if end < 0:
        return False
    # "[text](url)" and "[text][ref]" are links, never citations.
    if state.src[end + 1 : end + 2] in ("(", "["):
        return False
    inner = state.src[state.pos + 1 : end]
    if "@" not in inner:
        return False
    items = parse_citation(inner)
    if items is None:
        return False
    if not silent:
        token = state.push("citation", "", 0)
        token.meta = {"items": items}
        token.content = inner
        # Offset of the citation within the inline source, to compute its line.
        token.info = str(state.src.count("\n", 0, state.pos))
    state.pos = end + 1
    return True


def citation_plugin(md: MarkdownIt) -> None:
    """Add ``[@key]`` citations to a markdown-it parser (token type ``citation``)."""
    md.inline.ruler.before("link", "citation", _citation_rule)
