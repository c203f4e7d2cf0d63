"""The book model: the one contract between readers and writers.

A reader turns the manuscript (config, Markdown chapters, bibliography) into a
:class:`Book`; every writer (EPUB, PDF, preview) consumes a ``Book`` and never
sees Markdown. Everything here is a plain frozen dataclass, so a model can be
shared, cached and compared safely.

Inline content is a tuple of :data:`Inline` nodes, block content a tuple of
:data:`Block` nodes, much like pandoc's ``Pandoc Meta [Block]``. Which fields of a node hold
its children is declared once, in :mod:`pressroom.walk`, and every walk of the model goes through it:
a new node type is a class here, an entry in ``walk.CHILDREN`` and a rendering in each output.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from functools import cached_property
from operator import attrgetter
from typing import Any, Callable, Mapping, Union


# Every class of the model is a frozen dataclass whose equality, hash and repr are the three functions
# below, written once: ``dataclass`` compiles them anew for each class, and doing so for the model's
# 48 classes was a third of this module's import (9 of 26 ms, before any book is read). They compare,
# hash and show what the generated ones do (tests/test_walk.py holds them to it): the fields that
# compare (``field(compare=False)`` leaves one out), in order, and only between objects of one class.
_KEYS: dict[type, tuple[Callable, Callable]] = {}


def _keys(cls: type) -> tuple[Callable, Callable]:
    """(the fields an object of ``cls`` is compared by, those it is hashed by) as one getter each."""
    found = _KEYS.get(cls)
    if found is None:
        def getter(names: list[str]) -> Callable:
            if len(names) == 1:
                one = attrgetter(names[0])
                return lambda obj: (one(obj),)
            return attrgetter(*names) if names else (lambda obj: ())

        compared = [f.name for f in fields(cls) if f.compare]
        hashed = [f.name for f in fields(cls) if (f.compare if f.hash is None else f.hash)]
        found = _KEYS[cls] = (getter(compared), getter(hashed))
    return found


def _eq(self, other) -> bool:
    if other.__class__ is not self.__class__:
        return NotImplemented
    key = _keys(self.__class__)[0]
    return key(self) == key(other)


def _hash(self) -> int:
    return hash(_keys(self.__class__)[1](self))


def _repr(self) -> str:
    shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in fields(self) if f.repr)
    return f"{self.__class__.__qualname__}({shown})"


def frozen(cls: type) -> type:
    """``@dataclass(frozen=True)``, with the shared equality, hash and repr."""
    cls = dataclass(cls, frozen=True, eq=False, repr=False)
    cls.__eq__, cls.__hash__, cls.__repr__ = _eq, _hash, _repr
    return cls

# --------------------------------------------------------------------------- inlines


@frozen
class Text:
    text: str


@frozen
class Literal:
    """Characters the author escaped (``\\-``, ``\\"``, ``\\...``): printed as written, never typographed."""

    text: str


@frozen
class Emph:
    children: tuple["Inline", ...]


@frozen
class Strong:
    children: tuple["Inline", ...]


@frozen
class Styled:
    """Words set apart in one of :data:`STYLES`: ``H~2~O``, ``x^2^``, ``~~gone~~``,
    ``[words]{.smallcaps}``, or the same in the safe raw HTML (``<sub>``, ``<u>``, ``<mark>``…)."""

    style: str
    children: tuple["Inline", ...]


# What a Styled node can be (the HTML renderer gives each its element).
STYLES = ("sub", "sup", "strike", "smallcaps", "underline", "mark", "small", "cite")


@frozen
class Span:
    """Words in a language of their own, or with classes for the book's stylesheet:
    ``[Weltschmerz]{lang=de}``, ``<span class="firm">``."""

    children: tuple["Inline", ...]
    classes: tuple[str, ...] = ()
    lang: str = ""


@frozen
class Math:
    """A TeX formula (``$x^2$``; ``$$…$$`` displayed), with its MathML made when it was read
    (:mod:`pressroom.formulas`): the EPUB and the preview show the MathML, the PDF draws it."""

    tex: str
    mathml: str
    display: bool = False


@frozen
class CrossRef:
    """A reference to a figure, a table or a section by its label (``@fig:map``, ``[see @sec:ovens]``),
    printed as its target names it ("Figure 2", "Table 1", the section's title) once the book is read
    (:mod:`pressroom.crossrefs`); ``target`` is the id of what it names (``ids.crossref_id``)."""

    label: str
    target: str
    line: int = 0
    text: tuple["Inline", ...] = ()
    site: str = ""  # where it stands, in the PDF (ids.crossref_site_id), given with its text



@frozen
class Code:
    text: str


@frozen
class Link:
    url: str  # as written; pressroom.links resolves the book's own (Chapter.links)
    children: tuple["Inline", ...]
    title: str = ""
    line: int = 0


@frozen
class Image:
    src: str  # after reading: the file's path relative to the book folder
    alt: str
    title: str = ""
    line: int = 0


@frozen
class LineBreak:
    """A hard line break (a line of verse, a turn of dialogue)."""


@frozen
class SoftBreak:
    """A line break in the source that is only a space in the output."""


@frozen
class Abbr:
    """An acronym (GPU, NKVD…), set in small caps by the stylesheet."""

    text: str


@frozen
class NoteRef:
    """The call of a footnote; ``note_id`` names a :class:`Note` of the same chapter."""

    note_id: str
    number: int


@frozen
class CiteItem:
    """One cited work inside a citation: ``[see @key, p. 38, my emphasis]``."""

    key: str
    prefix: str = ""
    label: str = ""  # CSL locator label ("page", "volume"…), empty without a locator
    locator: str = ""
    suffix: str = ""
    suppress_author: bool = False


@frozen
class Cite:
    """A citation: one or more works cited at one place of the text."""

    id: str
    items: tuple[CiteItem, ...]
    line: int = 0
    # Filled by the citation processor: the citation as printed, in segments;
    # a segment's key names the bibliography entry it refers to ("" for
    # punctuation around and between the works).
    rendered: tuple["CiteSegment", ...] = ()


@frozen
class CiteSegment:
    key: str
    inlines: tuple["Inline", ...]


@frozen
class IndexMark:
    """A place the index points to: an empty anchor before the words it indexes."""

    id: str
    term: str  # the main entry, "Stalin, Joseph"
    sub: str = ""  # the sub-entry, "Seventh Congress", if any


@frozen
class PageBreak:
    """Where a page of the print edition begins (EPUB page-list)."""

    label: str  # the printed folio, "12"


Inline = Union[Text, Literal, Emph, Strong, Styled, Span, CrossRef, Math, Code, Link, Image, LineBreak, SoftBreak, Abbr, NoteRef, Cite, IndexMark, PageBreak]

# --------------------------------------------------------------------------- blocks


@frozen
class Paragraph:
    inlines: tuple[Inline, ...]
    line: int = 0


@frozen
class Heading:
    level: int  # 1 for the chapter title, 2 for a section, …
    inlines: tuple[Inline, ...]
    id: str  # a name from pressroom.ids; "" for the chapter's title, whose id is ids.title_id(chapter)
    line: int = 0
    classes: tuple[str, ...] = ()  # as written after it, ``{#id .unlisted}`` (an unlisted heading is not in the contents)


@frozen
class BlockQuote:
    blocks: tuple["Block", ...]
    classes: tuple[str, ...] = ()  # "epigraph", "dialogue", "poem"…
    line: int = 0


@frozen
class ListBlock:
    items: tuple[tuple["Block", ...], ...]
    ordered: bool = False
    start: int = 1
    line: int = 0
    # An ordered list's numbers as written (pandoc's fancy lists): LIST_STYLES, LIST_DELIMITERS.
    style: str = "decimal"
    delimiter: str = "period"


# The numbering of an ordered list (CSS list-style-type names) and what stands around its numbers.
LIST_STYLES = ("decimal", "lower-alpha", "upper-alpha", "lower-roman", "upper-roman")
LIST_DELIMITERS = {"period": ("", "."), "paren": ("", ")"), "parens": ("(", ")")}


@frozen
class CodeBlock:
    text: str
    language: str = ""
    line: int = 0


@frozen
class ThematicBreak:
    line: int = 0


@frozen
class TableCell:
    inlines: tuple[Inline, ...]


@frozen
class TableRow:
    cells: tuple[TableCell, ...]


@frozen
class Table:
    """A pipe table: its header rows, body rows and each column's alignment ("left", "right",
    "center" or "" as the reader's default); numbered ("Table 3") when it has a caption."""

    head: tuple[TableRow, ...]
    body: tuple[TableRow, ...]
    aligns: tuple[str, ...]
    caption: tuple[Inline, ...] = ()
    number: int = 0  # in the book, from 1; 0 without a caption
    line: int = 0
    id: str = ""  # from its label, ``Table: Prices {#tbl:prices}`` (ids.crossref_id); "" without one


@frozen
class Figure:
    """An image alone in its paragraph: the image (a one-image tuple, so walks find it like any
    inline) and its caption, which is the image's description as written (``![caption](file)``)."""

    image: tuple[Image, ...]
    caption: tuple[Inline, ...]
    number: int = 0  # in the book, from 1
    line: int = 0
    id: str = ""  # from its label, ``![Map](map.png){#fig:map}`` (ids.crossref_id); "" without one


@frozen
class DefinitionItem:
    """A term and its definitions, each a sequence of blocks."""

    term: tuple[Inline, ...]
    definitions: tuple[tuple["Block", ...], ...]


@frozen
class DefinitionList:
    items: tuple[DefinitionItem, ...]
    line: int = 0


@frozen
class LineBlock:
    """Lines kept as written (pandoc's ``| verse``): each line a sequence of inlines; a long line
    turns over with a hanging indent."""

    lines: tuple["Line", ...]
    line: int = 0


@frozen
class Line:
    inlines: tuple[Inline, ...]


@frozen
class Div:
    """A fenced div (``::: {.note lang=de}``) that is no quotation: blocks with classes or a language."""

    blocks: tuple["Block", ...]
    classes: tuple[str, ...] = ()
    lang: str = ""
    line: int = 0


Block = Union[Paragraph, Heading, BlockQuote, ListBlock, CodeBlock, ThematicBreak, Table, Figure, DefinitionList,
              LineBlock, Div]

# --------------------------------------------------------------------------- book


@frozen
class Note:
    """A footnote: its number restarts in every chapter."""

    id: str
    label: str  # the label in the source: ``[^gpu]`` → "gpu"
    number: int
    blocks: tuple[Block, ...]
    ref_id: str  # id of the (first) call in the text, for the link back
    line: int = 0


@frozen
class Section:
    """An entry of the table of contents below a chapter."""

    id: str
    title: str
    level: int
    children: tuple["Section", ...] = ()


@frozen
class Chapter:
    id: str
    source: str  # path relative to the book folder, for messages
    matter: str  # "front", "body" or "back"
    title: tuple[Inline, ...]
    title_text: str
    blocks: tuple[Block, ...]  # the body, without the chapter heading
    notes: tuple[Note, ...] = ()
    sections: tuple[Section, ...] = ()
    part: str = ""  # id of the Part this chapter belongs to, if any
    unused_notes: tuple[tuple[str, int], ...] = ()  # (label, line) of notes defined but never called
    # The book's own links resolved (pressroom.links): (url as written, id of the target), sorted; a
    # link whose url is not here is external and kept as written.
    links: tuple[tuple[str, str], ...] = ()
    # What the chapter is, given as a class on its title ("{.dedication}" on the line before "# …"):
    # a key of pressroom.frontmatter.ROLES ("dedication", "epigraph", "acknowledgments"…), "" for a
    # chapter of the plain kind.
    role: str = ""

    def title_blocks(self) -> tuple["Block", ...]:
        """The chapter title as a heading block, for walks over everything the chapter prints."""
        from .ids import title_id

        return (Heading(1, self.title, title_id(self.id)),)

    @cached_property
    def survey(self) -> "ChapterSurvey":
        """The chapter's ids, citations, images, page breaks and links, from one walk made on first use.

        The writers ask for all four of every chapter of the finished book, and each walk of a long
        book costs a few hundredths of a second. The chapter is frozen, so the answer is kept with it
        (``cached_property`` stores it beside the fields; ``replace`` and ``==`` do not see it)."""
        return _survey(self)


@frozen
class Part:
    id: str
    title: str
    chapter_ids: tuple[str, ...]


@frozen
class Reference:
    """A bibliography entry, kept as the CSL-JSON item it was read from."""

    id: str
    csl: Mapping[str, Any] = field(compare=False, hash=False)
    line: int = 0
    source: str = ""  # the bibliography file it is in, relative to the book folder


@frozen
class BibEntry:
    """A bibliography entry as printed, with every citation that points to it."""

    id: str  # the anchor id, "ref-<key>"
    key: str
    inlines: tuple[Inline, ...]
    cited_by: tuple[str, ...]  # Cite ids, in reading order


@frozen
class ScopedBibliography:
    """The bibliography of a part or a chapter ([bibliography] scope): the works cited in it, in the
    style's order, each entry's id and ``cited_by`` its own (pressroom.bibliography_scopes)."""

    owner: str  # the part's or the chapter's id
    after: str  # the id of the chapter it is set after (the part's last; the chapter itself)
    entries: tuple[BibEntry, ...]


@frozen
class IndexTerm:
    """One line of the index file: a term, the spellings in the text that count as it, cross-references."""

    term: str
    sub: str = ""
    match: tuple[str, ...] = ()
    see: str = ""
    see_also: tuple[str, ...] = ()
    line: int = 0
    source: str = ""  # the index file, relative to the book folder, for messages


@frozen
class IndexEntry:
    """An entry of the finished index: its places in the text (IndexMark ids, in reading order)."""

    term: str
    locators: tuple[str, ...] = ()
    subentries: tuple["IndexEntry", ...] = ()
    see: str = ""
    see_also: tuple[str, ...] = ()
    # Filled by the indexer (pressroom.ids.index_entry_ids): the entry's anchor, and those of its
    # "see" and "see also" entries ("" for a term that is no entry: pressroom.links reports it).
    id: str = ""
    see_id: str = ""
    see_also_ids: tuple[str, ...] = ()


@frozen
class Contributor:
    """A person credited by the book besides ``[book] author`` ([[book.contributor]])."""

    name: str
    role: str  # a key of pressroom.contributors.ROLES ("translator"…)
    file_as: str  # the sort form, "Lee, Ann"


@frozen
class Metadata:
    title: str
    subtitle: str
    author: str
    author_file_as: str
    language: str
    publisher: str
    rights: str
    identifier: str
    date: str
    description: str = ""
    subjects: tuple[str, ...] = ()
    slug: str = "book"  # file name of the outputs: dist/<slug>.epub
    certified_by: str = ""  # who evaluated the EPUB's accessibility ([accessibility]); empty: nobody named
    certifier_credential: str = ""  # their credential, if any
    isbn_epub: str = ""  # as written in book.toml, check digit verified ([epub] isbn)
    isbn_print: str = ""  # [print] isbn
    contributors: tuple[Contributor, ...] = ()  # besides the author, in the order book.toml gives them
    series: str = ""  # the series the book belongs to, if any
    series_number: str = ""  # its place in the series ("3", "2.5"), "" for none
    edition: str = ""  # the edition statement as printed, "Second edition"
    also_by: tuple[str, ...] = ()  # the author's other books, for the "Also by" page

    def publication_date(self, modified) -> str:
        """The date of publication every output gives (OPF ``dc:date``, XMP ``dc:date``): ``[book]
        date``, else the build's date (``modified``, a datetime: ``SOURCE_DATE_EPOCH``'s)."""
        return self.date or modified.strftime("%Y-%m-%d")


@frozen
class Settings:
    """Build settings from the config that are not metadata."""

    citation_style: str = ""  # a CSL file, relative to the book folder, or an official style's name; empty: the house style
    citation_locale: str = ""  # the CSL locale ([bibliography] locale); empty: the book's language
    citation_nocite: tuple[str, ...] = ()  # works listed though never cited ([bibliography] nocite; "*": all)
    bibliography_scope: str = "book"  # [bibliography] scope: one list, or one per "part" or "chapter"
    cover_image: str = ""  # relative to the book folder; empty: a cover is generated
    trim_size: str = "138mm 216mm"
    abbreviations: tuple[str, ...] = ()  # extra acronyms to set in small caps
    print_page_numbers: bool = True  # the EPUB carries the PDF's page breaks (a page-list)
    pdf_profile: str = "proof"  # where the PDF goes ([print] profile; see pressroom.printers)
    paper: str = "white"  # [print] paper: white, cream or colour (the cover's spine; pressroom.cover_rules)
    price_code: str = ""  # [print] price_code: the barcode's 5-digit add-on, "" for none
    cover_blurb: str = ""  # [cover] blurb: the back cover's text (Markdown), or a .md/.txt file in the book
    cover_author_photo: str = ""  # [cover] author_photo: an image on the back, relative to the book folder
    cover_logo: str = ""  # [cover] logo: the publisher's logo on the back, relative to the book folder
    words: tuple[tuple[str, str], ...] = ()  # the book's own words ([words]: key, text), see pressroom.words
    # [book] language (BCP 47), as Metadata.language: for the stages given settings (the CSL locale)
    language: str = "en-GB"
    hyphenation: tuple[str, ...] = ()  # [typography] hyphenation: exceptions, "Sta-lin" (pressroom.hyphenation)
    list_figures: bool = False  # [contents] figures: a list of figures after the contents
    list_tables: bool = False  # [contents] tables: a list of tables after the contents
    note_numbering: str = "chapter"  # [notes] numbering: "chapter" (afresh in each) or "book" (pressroom.notes)
    note_place: str = "foot"  # [notes] place: "foot" of the page, end of each "chapter", the "book"'s Notes


@frozen
class Book:
    root: str  # the book folder (absolute path)
    metadata: Metadata
    settings: Settings
    chapters: tuple[Chapter, ...]
    parts: tuple[Part, ...]
    references: tuple[Reference, ...]  # in the bibliography file's order
    bibliography: tuple[BibEntry, ...] = ()  # filled by the citation processor, in the style's order
    # [bibliography] scope "part" or "chapter": the lists of the parts or chapters, in reading order;
    # ``bibliography`` then holds what no scope lists (pressroom.bibliography_scopes)
    scoped_bibliographies: tuple[ScopedBibliography, ...] = ()
    index_terms: tuple[IndexTerm, ...] = ()  # from the index file
    index: tuple[IndexEntry, ...] = ()  # filled by the indexer, sorted
    page_breaks: bool = False  # the chapters carry the print edition's page breaks

    def reference(self, key: str) -> Reference:
        for ref in self.references:
            if ref.id == key:
                return ref
        raise KeyError(key)

    def citations(self) -> tuple[tuple[Chapter, Cite], ...]:
        """Every citation of the book in reading order, with its chapter (notes included)."""
        return tuple((chapter, cite) for chapter in self.chapters for cite in chapter.survey.cites)


@frozen
class ChapterSurvey:
    """What the whole-book steps ask of a chapter, found in one walk (see :attr:`Chapter.survey`)."""

    ids: tuple[str, ...]  # every id the chapter's pages hold (title, headings, notes, citations, marks, pages)
    cites: tuple[Cite, ...]  # the text's, then the notes', in reading order
    images: tuple[str, ...]  # book-relative paths, text then notes, in reading order (repeats kept)
    page_labels: tuple[str, ...]  # the print page breaks in the title and text
    links: tuple[Link, ...] = ()  # title, text, then notes, in reading order
    crossrefs: int = 0  # how many cross-references (@fig:map) the text and notes hold
    formulas: int = 0  # how many TeX formulas (the EPUB page declares MathML)


def _survey(chapter: Chapter) -> ChapterSurvey:
    """One walk of a chapter for :attr:`Chapter.survey`: the title (its ids and page breaks), the
    text, then the notes (no page breaks: the print edition breaks pages in the text)."""
    from .ids import page_break_id

    ids: list[str] = []
    cites: list[Cite] = []
    images: list[str] = []
    labels: list[str] = []
    links: list[Link] = []
    crossrefs = formulas = 0
    for part, root in (("title", chapter.title_blocks()), ("text", chapter.blocks), ("notes", chapter.notes)):
        for node in walk.iter_nodes(root):
            if isinstance(node, Cite):
                ids.append(node.id)
                if part != "title":
                    cites.append(node)
            elif isinstance(node, IndexMark):
                ids.append(node.id)
            elif isinstance(node, PageBreak):
                ids.append(page_break_id(node.label))
                if part != "notes":
                    labels.append(node.label)
            elif isinstance(node, Image):
                if part != "title":
                    images.append(node.src)
            elif isinstance(node, (Heading, Table, Figure)):
                if node.id:
                    ids.append(node.id)
            elif isinstance(node, Note):
                ids.extend((node.id, node.ref_id))
            elif isinstance(node, Link):
                links.append(node)
            elif isinstance(node, CrossRef):
                crossrefs += 1
            elif isinstance(node, Math):
                formulas += 1
    return ChapterSurvey(tuple(ids), tuple(cites), tuple(images), tuple(labels), tuple(links), crossrefs, formulas)


def _no_text(node) -> str:
    raise TypeError(f"no plain text for {node!r}: add its type to model._INLINE_TEXT or _BLOCK_TEXT")


def _text_of(node) -> str:
    return node.text


def _nothing(node) -> str:
    return ""


def _space(node) -> str:
    return " "


# Plain text, one entry per inline type: what the node itself gives (an italic gives nothing of its
# own: its children give their text). A citation or a note call gives nothing.
_INLINE_TEXT = {
    Text: _text_of, Literal: _text_of, Code: _text_of, Abbr: _text_of, Math: lambda node: node.tex,
    Emph: _nothing, Strong: _nothing, Link: _nothing, Styled: _nothing, Span: _nothing, CrossRef: _nothing,
    SoftBreak: _space, LineBreak: _space,
    Image: lambda node: node.alt,
    NoteRef: _nothing, Cite: _nothing, IndexMark: _nothing, PageBreak: _nothing,
}
# One entry per block type: its text, or None for a container (the blocks inside give theirs).
_BLOCK_TEXT = {
    Paragraph: lambda block: plain_text(block.inlines),
    Heading: lambda block: plain_text(block.inlines),
    CodeBlock: _text_of,
    ThematicBreak: _nothing,
    BlockQuote: None,
    ListBlock: None,
    Table: lambda block: "\n".join([plain_text(block.caption)] * bool(block.caption) + [
        " ".join(plain_text(cell.inlines) for cell in row.cells) for row in (*block.head, *block.body)]),
    Figure: lambda block: plain_text(block.caption),
    DefinitionList: None,
    DefinitionItem: lambda item: plain_text(item.term),
    LineBlock: None,
    Line: lambda line: plain_text(line.inlines),
    Div: None,
}


def plain_text(inlines) -> str:
    """The text of inline nodes without markup (a citation or note call gives nothing)."""
    text = _INLINE_TEXT
    return "".join([(text.get(type(node)) or _no_text)(node) for node in walk.iter_nodes(inlines, (Cite,))])


def block_text(block: Block) -> str:
    """The text of a block and everything in it, paragraphs separated by newlines."""
    table = _BLOCK_TEXT
    texts = []
    for node in walk.iter_nodes(block, (Paragraph, Heading, Table, Figure, Line)):
        if type(node) in _INLINE_TEXT:
            continue  # a definition's term: its item gives its words
        text = table.get(type(node), _no_text)
        if text is not None:
            texts.append(text(node))
    return "\n".join(texts)


def cite_text(cite: Cite) -> str:
    """A citation as printed, as plain text (empty before the citation processor has run)."""
    return "".join(plain_text(segment.inlines) for segment in cite.rendered)


# The walks over the model live in walk.py, which imports this module for its types: imported last,
# once every type above exists (and usable either way round: attributes are looked up at call time).
from . import walk  # noqa: E402
