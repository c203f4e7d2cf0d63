"""Typography as a careful publisher sets it, applied once to the model.

:func:`typogrify` is a pure function on a piece of text (given the character
before it, so quotes that open after a break or an italic word come out
right); :func:`mark_abbreviations` splits acronyms out as :class:`Abbr` nodes;
:func:`typeset_chapter` and :func:`typeset_book_matter` run both over a
book's chapters and the rest of it (the driver, :mod:`pressroom.pipeline`, maps
the first over the chapters), so every output (EPUB, PDF, preview) gets the same text.

Hand-written because no maintained Python library does British book
typography on a document model: smartypants works on HTML strings only and
knows nothing of no-break spaces, number ranges or small capitals.
"""

from __future__ import annotations

import re
from dataclasses import replace

from . import model as m
from .walk import map_inlines, walk

NBSP = "\u00a0"
# After these, a quote opens; after anything else, it closes.
_OPENERS = set(" \t\n\u00a0([{\u2014\u2013\u2018\u201c/-")

_ELLIPSIS = re.compile(r"\.\.\.")
_SPACED_HYPHEN = re.compile(r"(?<=\s)-(?=\s|$)|^-(?=\s)")
_RANGE = re.compile(r"(?<=\d)-(?=\d)")
_ABBREVIATED_NUMBER = re.compile(r"\b(p|pp|Vol|vol|Vols|vols|No|no|ch|Ch|chap)\. (?=[\divxlcIVXLC])")
_INITIAL = re.compile(r"\b([A-Z])\. (?=[A-Z])")
_DOUBLE_SPACE = re.compile(r"(?<=\S) {2,}(?=\S)")


def typogrify(text: str, before: str = "") -> str:
    """Curly quotes, dashes (``--`` en, ``---`` em, as pandoc's ``smart``), the ellipsis and no-break
    spaces, on one run of text (what the author escaped is a :class:`~pressroom.model.Literal`, never given here).

    ``before`` is the character that precedes ``text`` in the flow ("" at the
    start of a paragraph). Pure: the same input always gives the same output.

    >>> typogrify('"Yes," he said - \\'p. 38\\'...')
    '“Yes,” he said – ‘p.\\xa038’…'
    """
    text = _DOUBLE_SPACE.sub(" ", text)
    text = text.replace("---", "\u2014").replace("--", "\u2013")  # pandoc's smart dashes
    text = _ELLIPSIS.sub("\u2026", text)
    text = _SPACED_HYPHEN.sub("\u2013", text)
    text = _RANGE.sub("\u2013", text)
    text = _ABBREVIATED_NUMBER.sub(lambda mt: mt.group(1) + "." + NBSP, text)
    text = _INITIAL.sub(lambda mt: mt.group(1) + "." + NBSP, text)
    return _quotes(text, before)


_QUOTE = re.compile("[\"']")


def _quotes(text: str, before: str) -> str:
    """Straight quotes to curly ones, each decided by the character before it (and after, for ')."""
    if '"' not in text and "'" not in text:
        return text
    out = []
    pos = 0
    for match in _QUOTE.finditer(text):
        i = match.start()
        if i == 0:
            prev = before or " "
        elif pos == i:
            prev = out[-1]  # the quote just converted: “‘ opens a nested quotation
        else:
            prev = text[i - 1]
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if match.group() == '"':
            curly = "\u201c" if prev in _OPENERS else "\u201d"
        elif prev in _OPENERS and (nxt.isalnum() or nxt in "\"\u201c"):
            curly = "\u2018"
        else:
            curly = "\u2019"  # apostrophe or closing quote
        out.append(text[pos:i])
        out.append(curly)
        pos = i + 1
    out.append(text[pos:])
    return "".join(out)


# Two or more capitals (and digits), optionally with a plural "s": GPU, NKVD, SRs, CPSU.
_ACRONYM = re.compile(r"\b([A-Z][A-Z0-9]*[A-Z][A-Z0-9]*)(?=s?\b)")
_ROMAN = re.compile(r"^[IVXLCDM]+$")


def mark_abbreviations(text: str, known: frozenset[str] = frozenset()) -> tuple[m.Inline, ...]:
    """Split acronyms out of a text as :class:`Abbr` nodes, to be set in small capitals.

    Roman numerals (II, XIV) stay text unless listed in ``known``.

    >>> mark_abbreviations("the GPU and the SRs")
    (Text(text='the '), Abbr(text='GPU'), Text(text=' and the '), Abbr(text='SR'), Text(text='s'))
    """
    out: list[m.Inline] = []
    pos = 0
    for match in _ACRONYM.finditer(text):
        word = match.group(1)
        if _ROMAN.match(word) and word not in known:
            continue
        if match.start() > pos:
            out.append(m.Text(text[pos : match.start()]))
        out.append(m.Abbr(word))
        pos = match.end()
    if pos < len(text):
        out.append(m.Text(text[pos:]))
    return tuple(out)


class _Flow:
    """Sets one run of text (a paragraph's, a heading's inlines…) in reading order, remembering the
    last character for the quotes: the text of italics, links and printed citations flows on."""

    def __init__(self, known: frozenset[str]):
        self.known = known
        self.last = ""

    def run(self, inlines: tuple[m.Inline, ...]) -> tuple[m.Inline, ...]:
        self.last = ""
        return walk(inlines, self.step)  # bottom up: the leaves come in reading order

    def step(self, node):
        if isinstance(node, m.Text):
            text = typogrify(node.text, self.last)
            self.last = text[-1:] or self.last
            return mark_abbreviations(text, self.known)
        if isinstance(node, (m.LineBreak, m.SoftBreak)):
            self.last = " "
        elif isinstance(node, (m.Code, m.Abbr, m.Literal)):
            self.last = node.text[-1:] or self.last
        return node


def typeset_chapter(chapter: m.Chapter, abbreviations: tuple[str, ...] = ()) -> m.Chapter:
    """The chapter with typography applied to its title, text, notes, citations and section titles;
    ``abbreviations``: acronyms to set in small capitals besides those found (the book's setting)."""
    flow = _Flow(frozenset(abbreviations))
    chapter = map_inlines(chapter, flow.run)
    return replace(chapter, title_text=typogrify(chapter.title_text), sections=_sections(chapter.sections))


def typeset_book_matter(book: m.Book) -> m.Book:
    """The book with typography applied to what is not in a chapter: metadata, bibliography, part titles."""
    flow = _Flow(frozenset(book.settings.abbreviations))
    bibliography = map_inlines(book.bibliography, flow.run)
    parts = tuple(replace(p, title=typogrify(p.title)) for p in book.parts)
    return replace(book, metadata=typeset_metadata(book.metadata), bibliography=bibliography, parts=parts)


def typeset_metadata(meta: m.Metadata) -> m.Metadata:
    """The metadata with typography applied to its prose: title, subtitle, description, rights, the
    series, the edition statement and the other books' titles."""
    return replace(
        meta,
        series=typogrify(meta.series),
        edition=typogrify(meta.edition),
        also_by=tuple(typogrify(title) for title in meta.also_by),
        title=typogrify(meta.title),
        subtitle=typogrify(meta.subtitle),
        description=typogrify(meta.description),
        rights=typogrify(meta.rights),
    )


def _sections(sections: tuple[m.Section, ...]) -> tuple[m.Section, ...]:
    return walk(sections, lambda section: replace(section, title=typogrify(section.title)))
