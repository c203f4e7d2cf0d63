"""Typography as a careful publisher sets it, applied once to the model.

:func:`typogrify` is a pure function on a piece of text (given the character
before it, so quotes that open after a break or an italic word come out
right); :func:`mark_abbreviations` splits acronyms out as :class:`Abbr` nodes;
:func:`typeset_chapter` and :func:`typeset_book_matter` run both over a
book's chapters and the rest of it (the driver, :mod:`pressroom.pipeline`, maps
the first over the chapters), so every output (EPUB, PDF, preview) gets the same text.

The quotation marks are the book's language's (:func:`locale_for` from ``[book] language``, a
BCP 47 tag): the author types straight quotes, ``"`` for a quotation and ``'`` for one inside it,
and each language's publishers' marks are set (:data:`QUOTES`); French also gets its narrow
no-break spaces inside guillemets and before ``; : ! ?``.

Hand-written because no maintained Python library does British book
typography on a document model: smartypants works on HTML strings only and
knows nothing of no-break spaces, number ranges, small capitals or other languages' marks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Callable

from . import model as m
from .hyphenation import soft_hyphens
from .ids import cite_note_id
from .walk import map_inlines, query, walk

NBSP = "\u00a0"
NNBSP = "\u202f"  # narrow no-break space (French: inside guillemets, before ; : ! ?)
# After these, a quote opens; after anything else, it closes.
_OPENERS = frozenset(" \t\n\u00a0\u202f([{\u2014\u2013\u2018\u201c\u201e\u201a\u00ab/-")

# The quotation marks of a language's publishers: (open, close) of a quotation, then of a quotation
# inside it. Keyed by language, or language-region where the region differs (en-GB, pt-BR, de-CH).
# Sources: CLDR's delimiters, checked against each country's style manuals (Duden, Imprimerie
# nationale, RAE, the Polish PWN); where the issue names a choice (nl, pl), it is taken.
QUOTES: dict[str, tuple[str, str, str, str]] = {
    "en": ("\u201c", "\u201d", "\u2018", "\u2019"),        # “…” ‘…’ (en-US and plain en)
    "en-GB": ("\u2018", "\u2019", "\u201c", "\u201d"),     # ‘…’ “…”
    "en-AU": ("\u2018", "\u2019", "\u201c", "\u201d"),
    "en-NZ": ("\u2018", "\u2019", "\u201c", "\u201d"),
    "en-IE": ("\u2018", "\u2019", "\u201c", "\u201d"),
    "fr": ("\u00ab", "\u00bb", "\u201c", "\u201d"),        # « … » “…”
    "de": ("\u201e", "\u201c", "\u201a", "\u2018"),        # „…“ ‚…‘
    "de-CH": ("\u00ab", "\u00bb", "\u2039", "\u203a"),     # «…» ‹…›
    "es": ("\u00ab", "\u00bb", "\u201c", "\u201d"),        # «…» “…”
    "it": ("\u00ab", "\u00bb", "\u201c", "\u201d"),        # «…» “…”
    "pt": ("\u00ab", "\u00bb", "\u201c", "\u201d"),        # «…» “…”
    "pt-BR": ("\u201c", "\u201d", "\u2018", "\u2019"),     # “…” ‘…’
    "nl": ("\u201c", "\u201d", "\u2018", "\u2019"),        # “…” ‘…’
    "pl": ("\u201e", "\u201d", "\u00ab", "\u00bb"),        # „…” «…»
    "ru": ("\u00ab", "\u00bb", "\u201e", "\u201c"),        # «…» „…“
    "uk": ("\u00ab", "\u00bb", "\u201e", "\u201c"),        # «…» „…“
    "be": ("\u00ab", "\u00bb", "\u201e", "\u201c"),
    "cs": ("\u201e", "\u201c", "\u201a", "\u2018"),        # „…“ ‚…‘
    "sk": ("\u201e", "\u201c", "\u201a", "\u2018"),
    "sv": ("\u201d", "\u201d", "\u2019", "\u2019"),        # ”…” ’…’
    "fi": ("\u201d", "\u201d", "\u2019", "\u2019"),
    "da": ("\u00bb", "\u00ab", "\u203a", "\u2039"),        # »…« ›…‹
    "nb": ("\u00ab", "\u00bb", "\u2018", "\u2019"),        # «…» ‘…’
    "el": ("\u00ab", "\u00bb", "\u201c", "\u201d"),        # «…» “…”
}
_SPACED_PUNCTUATION = frozenset({"fr"})  # narrow no-break spaces inside «…» and before ; : ! ?


@dataclass(frozen=True)
class Locale:
    """What typography needs of a language: its quotation marks (primary open and close, nested
    open and close) and whether it spaces ``« » ; : ! ?`` (French)."""

    tag: str
    quotes: tuple[str, str, str, str]
    spaced_punctuation: bool = False


@lru_cache(maxsize=64)
def locale_for(tag: str) -> Locale:
    """The :class:`Locale` of a BCP 47 tag ("fr-FR", "en-GB", "ru"): its language-region's row of
    :data:`QUOTES` if there is one, else its language's, else English's (en-US).

    >>> locale_for("de-AT").quotes
    ('„', '“', '‚', '‘')
    """
    parts = tag.replace("_", "-").split("-")
    language = parts[0].lower()
    region = next((p.upper() for p in parts[1:] if len(p) == 2 and p.isalpha()), "")
    quotes = QUOTES.get(f"{language}-{region}") or QUOTES.get(language) or QUOTES["en"]
    return Locale(tag, quotes, language in _SPACED_PUNCTUATION)


EN_GB = locale_for("en-GB")

# Each pattern begins with the character it is about and looks behind it after: Python's re then
# skips to that character, where a pattern that opens with a look-behind is tried at every position
# (the five took 27 ms on the shipped chapter, 2.5 ms written so; tests/test_typography.py checks
# each against its plain form: "(?<=\d)-(?=\d)", "\b(p|pp|…)\. (?=[\divxlcIVXLC])" …).
_ELLIPSIS = re.compile(r"\.\.\.")
_SPACED_HYPHEN = re.compile(r"-(?:(?<=\s-)(?=\s|$)|(?<=^-)(?=\s))")  # a hyphen with a space before and after
_RANGE = re.compile(r"-(?<=\d-)(?=\d)")  # 1931-33
_NUMBER_WORDS = ("p", "pp", "Vol", "vol", "Vols", "vols", "No", "no", "ch", "Ch", "chap")
# "p. 38", "Vol. II": the space after the point of one of _NUMBER_WORDS, before a number
_ABBREVIATED_NUMBER = re.compile(r"\. (?:" + "|".join(rf"(?<=\b{word}\. )" for word in _NUMBER_WORDS)
                                 + r")(?=[\divxlcIVXLC])")
_INITIAL = re.compile(r"\. (?<=\b[A-Z]\. )(?=[A-Z])")  # "E. H. Carr": the space after an initial
_DOUBLE_SPACE = re.compile(r" (?<=\S )(?: +)(?=\S)")  # two spaces or more between words


def typogrify(text: str, before: str = "", locale: Locale = EN_GB) -> str:
    """Curly quotes, dashes (``--`` en, ``---`` em, as pandoc's ``smart``), the ellipsis and no-break
    spaces, on one run of text (what the author escaped is a :class:`~pressroom.model.Literal`, never
    given here), as ``locale``'s publishers set them.

    ``before`` is the character that precedes ``text`` in the flow ("" at the
    start of a paragraph). Pure: the same input always gives the same output.

    >>> typogrify('"Yes," he said - \\'p. 38\\'...')
    '‘Yes,’ he said – ‘p.\\xa038’…'
    """
    return typogrify_run(text, before, locale)[0]


def typogrify_run(text: str, before: str = "", locale: Locale = EN_GB,
                  opened: tuple[str, ...] = ()) -> tuple[str, tuple[str, ...]]:
    """:func:`typogrify` on one run of a flow: ``opened``, the quotations open before it (from the
    run before), and the text with the quotations still open after it."""
    text = _DOUBLE_SPACE.sub(" ", text)
    text = text.replace("---", "\u2014").replace("--", "\u2013")  # pandoc's smart dashes
    text = _ELLIPSIS.sub("\u2026", text)
    text = _SPACED_HYPHEN.sub("\u2013", text)
    text = _RANGE.sub("\u2013", text)
    text = _ABBREVIATED_NUMBER.sub("." + NBSP, text)
    text = _INITIAL.sub("." + NBSP, text)
    text, opened = quote_run(text, before, locale.quotes, opened)
    return (_french_spaces(text, before) if locale.spaced_punctuation else text), opened


_QUOTE = re.compile("[\"']")
_GUILLEMET_OPEN = re.compile("\u00ab[ \u00a0\u202f]*")
_GUILLEMET_CLOSE = re.compile("[ \u00a0\u202f]*\u00bb")
# ; ! ? (a run of them: "?!") and a colon that ends a clause (not 10:30 or a URL's), after a word
_BEFORE_PUNCTUATION = re.compile("(?<=[^\\s\u202f\u00a0!?;(\\[«])[ \u00a0\u202f]?([!?;]+|:(?=\\s|$))")


def _french_spaces(text: str, before: str = "") -> str:
    """A narrow no-break space inside « » and before ; : ! ? (replacing any space typed there), as
    French publishers set them (Imprimerie nationale; the narrow space is the current practice).
    ``before``: the character before ``text`` in the flow (" :" after an index term is a word's)."""
    pad = before[-1:] if before[-1:].strip() else ""
    if pad:
        return _french_spaces(pad + text)[len(pad):]
    text = _GUILLEMET_OPEN.sub("\u00ab" + NNBSP, text)
    text = _GUILLEMET_CLOSE.sub(NNBSP + "\u00bb", text)
    return _BEFORE_PUNCTUATION.sub(lambda mt: NNBSP + mt.group(1), text)


_ENGLISH = QUOTES["en"]


def _quotes(text: str, before: str, marks: tuple[str, str, str, str] = _ENGLISH) -> str:
    """Straight quotes to the language's marks, on one run of text (see :func:`quote_run`)."""
    return quote_run(text, before, marks)[0]


def quote_run(text: str, before: str, marks: tuple[str, str, str, str] = _ENGLISH,
              opened: tuple[str, ...] = ()) -> tuple[str, tuple[str, ...]]:
    """Straight quotes to the language's marks (``marks``: open, close, nested open, nested close),
    and the quotations still open after the text (to pass to the next run of the same flow).

    A quote opens after a space or an opening mark (and, for ', before a letter or a quote), else
    it closes. The level is the nesting, whichever straight quote the author typed: the outer
    quotation gets the language's primary marks, one inside it the nested ones, one inside that the
    primary again (so '…"…"…' and "…'…'…" both come out right). A ' between two letters, or one
    that closes no quotation opened with ', is an apostrophe (’); 'n' stays ‘n’ (rock 'n' roll)."""
    if '"' not in text and "'" not in text:
        return text, opened
    openers = _OPENERS | {marks[0], marks[2]}
    stack = list(opened)  # the straight quote that opened each quotation still open, outermost first
    out = []
    pos = 0
    for match in _QUOTE.finditer(text):
        i, quote = match.start(), match.group()
        if i == 0:
            prev = before or " "
        elif pos == i:
            prev = out[-1]  # the quote just converted: “‘ opens a nested quotation
        else:
            prev = text[i - 1]
        nxt = text[i + 1] if i + 1 < len(text) else ""
        if quote == "'" and (text[i + 1:i + 3] == "n'" or (i >= 2 and text[i - 2:i] == "'n")):
            curly = "\u2018" if nxt == "n" else "\u2019"
        elif prev in openers and (quote == '"' or nxt.isalnum() or nxt in "\"'" + marks[0] + marks[2]):
            curly = marks[0] if len(stack) % 2 == 0 else marks[2]
            stack.append(quote)
        elif quote == '"' or (stack and stack[-1] == "'" and not (prev.isalpha() and nxt.isalpha())):
            level = len(stack) - 1 - stack[::-1].index(quote) if quote in stack else 0
            curly = marks[1] if level % 2 == 0 else marks[3]
            del stack[level:]
        else:
            curly = "\u2019"  # an apostrophe
        out.append(text[pos:i])
        out.append(curly)
        pos = i + 1
    out.append(text[pos:])
    return "".join(out), tuple(stack)


# Two or more capitals (and digits), a word of their own, optionally with a plural "s": GPU, NKVD, SRs,
# CPSU. Plainly "\b([A-Z][A-Z0-9]*[A-Z][A-Z0-9]*)(?=s?\b)"; written to start at a capital (see typogrify_run's).
_ACRONYM = re.compile(r"([A-Z](?<!\w[A-Z])[A-Z0-9]*[A-Z][A-Z0-9]*)(?=s?\b)")
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

    def __init__(self, known: frozenset[str], locale: Locale = EN_GB, hyphenation: tuple[str, ...] = ()):
        self.known = known
        self.hyphenation = hyphenation
        self.locale = locale
        self.last = ""
        self.opened: tuple[str, ...] = ()  # quotations open at this point of the flow

    def run(self, inlines: tuple[m.Inline, ...]) -> tuple[m.Inline, ...]:
        self.last = ""
        self.opened = ()
        return self._walk(inlines)

    def _walk(self, inlines: tuple[m.Inline, ...]) -> tuple[m.Inline, ...]:
        # Bottom up, the leaves in reading order; a span is given whole (a leaf here), so that its
        # own language can hold while its words are set (:meth:`_span`).
        return walk(inlines, self.step, leaves=(m.Span,))

    def _span(self, span: m.Span) -> m.Span:
        """A span's words set in the flow: in its own language's marks when it has one
        (``[Guten Tag]{lang=de}``), its quotations its own; the flow's resume after it."""
        if not span.lang:
            return replace(span, children=self._walk(span.children))
        outer = (self.locale, self.opened)
        self.locale, self.opened = locale_for(span.lang), ()
        try:
            return replace(span, children=self._walk(span.children))
        finally:
            self.locale, self.opened = outer

    def step(self, node):
        if isinstance(node, m.Span):
            return self._span(node)
        if isinstance(node, m.Text):
            text, self.opened = typogrify_run(node.text, self.last, self.locale, self.opened)
            self.last = text[-1:] or self.last
            text = soft_hyphens(text, self.hyphenation)
            return mark_abbreviations(text, self.known)
        if isinstance(node, (m.LineBreak, m.SoftBreak)):
            self.last = " "
        elif isinstance(node, (m.Code, m.Abbr, m.Literal)):
            self.last = node.text[-1:] or self.last
        return node


def typeset_chapter(chapter: m.Chapter, abbreviations: tuple[str, ...] = (), language: str = "en-GB",
                    hyphenation: tuple[str, ...] = (), part: str = "all") -> m.Chapter:
    """The chapter with typography applied to its title, text, notes, citations and section titles;
    ``abbreviations``: acronyms to set in small capitals besides those found (the book's setting);
    ``language``: the book's BCP 47 tag (``[book] language``), whose marks are set;
    ``hyphenation``: the book's exceptions ("Sta-lin"), given soft hyphens (:mod:`pressroom.hyphenation`).

    ``part`` lets the driver set a chapter while pandoc prints its citations: ``"plain"`` sets the
    title, the section titles and every run of text that holds no citation; ``"citing"`` then sets
    the runs that do (:func:`citing`), once the citations are filled in. Each run is set on its own
    (a flow starts afresh in each), so "plain", the filling, then "citing" set what the filling then
    "all" sets."""
    locale = locale_for(language)
    notes = citation_notes(chapter) if part == "citing" else frozenset()

    def set_for(where: Locale):
        run = _Flow(frozenset(abbreviations), where, hyphenation).run
        if part == "all":
            return run
        wanted = part == "citing"
        return lambda inlines: run(inlines) if citing(inlines, notes) == wanted else inlines

    chapter = in_languages(chapter, set_for, locale)
    if part == "citing":
        return chapter
    return replace(chapter, title_text=typogrify(chapter.title_text, "", locale),
                   sections=_sections(chapter.sections, locale))


def citation_notes(chapter: m.Chapter) -> frozenset[str]:
    """The notes a note citation style made of the chapter's citations (their ids)."""
    return frozenset(cite_note_id(cite.id) for cite in query(chapter, m.Cite))


def citing(inlines: tuple[m.Inline, ...], notes: frozenset[str] = frozenset()) -> bool:
    """Whether a run of text holds a citation, or the call of one of ``notes`` (a citation moved
    into a note of its own by a note style, the punctuation after it moved before the call)."""
    return any(isinstance(node, m.Cite) or (isinstance(node, m.NoteRef) and node.note_id in notes)
               for node in query(inlines, m.Cite, m.NoteRef))


def in_languages(root, set_for: Callable[[Locale], Callable], locale: Locale):
    """``root`` with each outermost inline sequence set by ``set_for(locale)``; the blocks of a div
    with a language of its own (``::: {lang=de}``) set by ``set_for`` of that language, and so on
    inside it."""
    def div(node):
        if not isinstance(node, m.Div):
            return node
        inner = locale_for(node.lang) if node.lang else locale
        return replace(node, blocks=in_languages(node.blocks, set_for, inner))

    root = walk(root, div, leaves=(m.Div,))  # each div given whole: its blocks set here, in its language
    return map_inlines(root, set_for(locale), leaves=(m.Div,))


def typeset_book_matter(book: m.Book) -> m.Book:
    """The book with typography applied to what is not in a chapter: metadata, bibliography, part titles."""
    locale = locale_for(book.metadata.language)
    flow = _Flow(frozenset(book.settings.abbreviations), locale, book.settings.hyphenation)
    bibliography = map_inlines(book.bibliography, flow.run)
    parts = tuple(replace(p, title=typogrify(p.title, "", locale)) for p in book.parts)
    return replace(book, metadata=typeset_metadata(book.metadata), bibliography=bibliography, parts=parts)


def typeset_metadata(meta: m.Metadata) -> m.Metadata:
    """The metadata with typography applied to its prose, in the marks of its language: title,
    subtitle, description, rights, the series, the edition statement and the other books' titles."""
    locale = locale_for(meta.language)
    return replace(
        meta,
        series=typogrify(meta.series, "", locale),
        edition=typogrify(meta.edition, "", locale),
        also_by=tuple(typogrify(title, "", locale) for title in meta.also_by),
        title=typogrify(meta.title, "", locale),
        subtitle=typogrify(meta.subtitle, "", locale),
        description=typogrify(meta.description, "", locale),
        rights=typogrify(meta.rights, "", locale),
    )


def _sections(sections: tuple[m.Section, ...], locale: Locale) -> tuple[m.Section, ...]:
    return walk(sections, lambda section: replace(section, title=typogrify(section.title, "", locale)))
