"""Every id of the book, defined here and nowhere else.

Pure functions: names and numbers in, an id out. The rest of Pressroom (the reader, the
renderers, the templates through Jinja globals, the page map) asks this module for an id and
never builds one itself.

Two kinds of id share one namespace (an EPUB file needs its ids unique; the PDF is one document,
so every id of the book is unique in the whole book):

**Names** are slugs of what the author wrote: chapter ids (from the file name), part ids (from
the part's title) and heading ids (from the heading's text, wherever the heading stands: in the
text, a block quotation, a list item or a note). They come from one book-wide
:class:`IdAllocator`, so the second "Notes" becomes ``notes-2``. A slug is ASCII letters, digits
and single hyphens, starting with a letter.

**Generated ids** each begin with a reserved word and a hyphen, or are one of the fixed ids of the
pages Pressroom adds:

============================  =================================  ===============================
what                          form                               example
============================  =================================  ===============================
chapter or part title         ``title-{chapter or part}``        ``title-intro``
footnote                      ``note-{chapter}-{n}``             ``note-intro-3``
footnote call                 ``{note}-ref``                     ``note-intro-3-ref``
a chapter's endnotes          ``note-{chapter}-notes``           ``note-intro-notes``
citation                      ``cite-{chapter}-{n}``             ``cite-intro-12``
citation set as a footnote    ``note-{citation}``                ``note-cite-intro-12``
index mark, found by a term   ``ix-{chapter}-{n}``               ``ix-intro-40``
index mark, written ``{.index}``  ``ix-{chapter}-m{n}``          ``ix-intro-m2``
index entry                   ``ixe-{slug of the term}[-n]``     ``ixe-stalin-joseph``
bibliography entry            ``ref-{citation key, escaped}``    ``ref-nove-economic-history``
a part's or chapter's list    ``ref-{owner}.list``               ``ref-intro.list``
its entry                     ``ref-{owner}.-{key, escaped}``    ``ref-intro.-nove``
print page break (EPUB)       ``page-{folio}``                   ``page-12``
paragraph (PDF only)          ``b-{chapter}-{n}``                ``b-intro-7``
endnote paragraph (PDF only)  ``b-{chapter}-n{n}``               ``b-intro-n2``
page anchor (PDF only)        ``page.{folio}``                   ``page.12`` (a dot: never a slug)
EPUB manifest items           ``image-{n}``, ``css-{name}``      ``image-1``, ``css-base``
fixed                         :data:`FIXED`                      ``bibliography``, ``index``…
============================  =================================  ===============================

A name never takes a generated form: a slug that begins with a reserved word (:data:`RESERVED`) or
equals a fixed id is escaped with ``h-`` (``h-`` is itself reserved, so escaping is one-to-one).
So a heading "Page 1" gets ``h-page-1``, "Ref Nove" ``h-ref-nove``, "Note 3" ``h-note-3``,
"Index" ``h-index``, and a chapter file ``index.md`` the id ``h-index`` (its EPUB file cannot
clash with the index's). An author's link to ``#page-1`` still finds the heading "Page 1":
:func:`unescape` gives the slug a link may use for an escaped name (see :mod:`pressroom.links`).

Generated ids are one-to-one too: chapter ids are names, so they never begin with a reserved word,
and the part after the chapter id is a number (``n``, ``m{n}``), so ``cite-a-1-2`` can only be
citation 2 of chapter ``a-1``.
"""

from __future__ import annotations

import re
import unicodedata

# The words that begin a generated id (each followed by a hyphen); "h" is the escape of names.
RESERVED = ("b", "caption", "cite", "css", "h", "image", "ix", "ixe", "note", "page", "ref", "title", "xref")
# The ids of the pages and sections Pressroom adds, of the EPUB package's own items (a chapter's id
# is its manifest item's: "author" would clash with the creator's id in the OPF), and of the preview.
FIXED = frozenset({
    "also-by", "author", "bibliography", "contents", "copyright", "copyright-page", "cover", "cover-img", "endnotes", "half-title", "id",
    "index", "landmarks", "list-of-figures", "list-of-tables", "nav", "ncx", "pressroom-overlay", "titlepage", "toc",
})
ESCAPE = "h-"

BIBLIOGRAPHY = "bibliography"
INDEX = "index"
ENDNOTES = "endnotes"  # the book's Notes in the back matter ([notes] place = "book")
CONTENTS = "contents"
TOC = "toc"
TITLE_PAGE = "titlepage"
HALF_TITLE = "half-title"
COPYRIGHT_PAGE = "copyright-page"
ALSO_BY = "also-by"  # the "Also by" page ([book] also_by)
# Ids of the OPF's metadata elements besides "author" (the first author's dc:creator): with an
# underscore, which no slug holds, so no chapter's manifest id can take them.
SERIES = "collection_series"


def contributor_id(n: int) -> str:
    """The OPF id of the n-th ``[[book.contributor]]`` (from 1), for its ``refines``."""
    return f"contributor_{n}"
LANDMARKS = "landmarks"
PAGE_LIST = "page-list"

_RESERVED_START = re.compile(rf"^(?:{'|'.join(RESERVED)})-")


def slugify(text: str, fallback: str = "section") -> str:
    """Turn a title into an XML-safe slug: ``"The 'Third Period'"`` → ``"the-third-period"``.

    Accents are folded to ASCII, anything else that is not a letter or digit becomes a hyphen,
    and a slug never starts with a digit (XML ``ID`` rules) nor is empty: ``fallback`` stands in
    for an empty one, and its first letter is put before a leading digit (``"1917"`` → ``"s-1917"``).
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    if not slug:
        slug = fallback
    if slug[0].isdigit():
        slug = f"{fallback[:1] or 's'}-{slug}"
    return slug


def is_reserved(slug: str) -> bool:
    """Whether a slug has the form of a generated id (so a name may not take it as it is)."""
    return slug in FIXED or bool(_RESERVED_START.match(slug))


def escape(slug: str) -> str:
    """The name a slug becomes: the slug itself, or ``h-`` before it when it is reserved."""
    return ESCAPE + slug if is_reserved(slug) else slug


def unescape(name: str) -> str:
    """The slug a name was made from (what an author writes in a link): ``h-page-1`` → ``page-1``."""
    return name[len(ESCAPE):] if name.startswith(ESCAPE) else name


class IdAllocator:
    """Hands out unique names: the second "notes" becomes "notes-2", a reserved slug is escaped.

    ``allocate`` tries the slug, then the slug with -2, -3… after it, each escaped when reserved,
    and takes the first that is free; escaping is one-to-one and an escaped name is never a
    candidate of another slug, so this always ends."""

    def __init__(self, taken: set[str] | frozenset[str] | None = None):
        self.taken: set[str] = set(taken or ())

    def allocate(self, slug: str) -> str:
        n = 1
        while True:
            candidate = escape(slug if n == 1 else f"{slug}-{n}")
            if candidate not in self.taken:
                self.taken.add(candidate)
                return candidate
            n += 1


# --------------------------------------------------------------------------- names (slugs to allocate)


def chapter_slug(file_stem: str) -> str:
    """The slug a chapter's id is allocated from: its file name without the extension."""
    return slugify(file_stem, "chapter")


def part_slug(title: str) -> str:
    """The slug a part's id is allocated from: its title."""
    return slugify(title, "part")


def heading_slug(text: str) -> str:
    """The slug a heading's id is allocated from: its text as written (before typography)."""
    return slugify(text, "section")


# --------------------------------------------------------------------------- generated ids


CROSSREF_KINDS = ("fig", "tbl", "sec")


def crossref_id(label: str) -> str:
    """The id of what a pandoc-crossref label names: ``fig:map`` → ``fig-map`` (a colon is no XML
    name character); the label's own words otherwise, so a reference finds its target by its label."""
    return label.replace(":", "-", 1)


def caption_id(kind: str, number: int) -> str:
    """The id of a numbered figure or table the author gave no label: ``("figure", 2)`` →
    ``caption-figure-2`` (the list of figures links to it)."""
    return f"caption-{kind}-{number}"


LIST_OF_FIGURES = "list-of-figures"
LIST_OF_TABLES = "list-of-tables"


def crossref_site_id(chapter: str, n: int) -> str:
    """Where the ``n``-th cross-reference of a chapter stands in the PDF (its page decides whether
    it prints the page of its target: pressroom.layout)."""
    return f"xref-{chapter}-{n}"


def title_id(owner: str) -> str:
    """The heading of a chapter, a part or a fixed section (``owner`` is its id)."""
    return f"title-{owner}"


def note_id(chapter: str, number: int) -> str:
    """An author's footnote: ``number`` is its number as read (in order of first call)."""
    return f"note-{chapter}-{number}"


def endnotes_id(chapter: str) -> str:
    """A chapter's endnotes: the section at its end, or its group in the book's Notes. A note's id
    ends in its number, this one in ``-notes``, so the two never meet."""
    return f"note-{chapter}-notes"


def note_ref_id(note: str) -> str:
    """The (first) call of a footnote in the text, the target of the note's link back."""
    return f"{note}-ref"


def cite_id(chapter: str, n: int) -> str:
    """The ``n``-th citation of a chapter (text, then notes, as read)."""
    return f"cite-{chapter}-{n}"


def cite_note_id(cite: str) -> str:
    """The footnote a citation becomes with a note citation style."""
    return f"note-{cite}"


def index_mark_id(chapter: str, n: int, written: bool = False) -> str:
    """The ``n``-th index mark of a chapter: found by the index file's spellings, or ``written``
    in the text as ``[words]{.index}`` (the two are counted apart)."""
    return f"ix-{chapter}-{'m' if written else ''}{n}"


def is_index_mark(node_id: str) -> bool:
    """Whether an id is an :func:`index_mark_id` (the PDF prints no anchor for those)."""
    return node_id.startswith("ix-")


def index_entry_id(term: str) -> str:
    """The id an entry of the index asks for; :func:`index_entry_ids` gives the one it gets."""
    return "ixe-" + slugify(term, "term")


def index_entry_ids(terms) -> dict[str, str]:
    """Each distinct term of the index (in the index's order) → its entry's id, the target of "see"
    and "see also": :func:`index_entry_id`, with -2, -3… when an earlier term took it ("C", "C++")."""
    taken: set[str] = set()
    out: dict[str, str] = {}
    for term in terms:
        if term in out:
            continue
        wanted, n = index_entry_id(term), 1
        candidate = wanted
        while candidate in taken:
            n += 1
            candidate = f"{wanted}-{n}"
        taken.add(candidate)
        out[term] = candidate
    return out


_KEY_SAFE = re.compile(r"[A-Za-z0-9_-]")


def bib_entry_id(key: str) -> str:
    """A bibliography entry, the target of the citations of the work ``key``.

    A citation key may hold what an id may not (``smith:2001``: EPUBCheck wants an XML name without
    a colon; a ``#`` would end a link's fragment): any character but ASCII letters, digits, ``_`` and
    ``-`` is written as ``.`` and its UTF-8 bytes in hex (``ref-smith.3a2001``), a dot as ``.2e``, so
    two keys never share an id. Hand-written: the standard library quotes for URLs, not XML names."""
    return "ref-" + "".join(c if _KEY_SAFE.match(c) else "".join(f".{b:02x}" for b in c.encode("utf-8"))
                            for c in key)


def scoped_bib_entry_id(owner: str, key: str) -> str:
    """The entry of the work ``key`` in the bibliography of the part or chapter ``owner``
    ([bibliography] scope). An escaped key holds a dot only before two hex digits, and ``owner`` (a
    name) none, so ``.-`` parts the two one way only."""
    return f"ref-{owner}.-{bib_entry_id(key)[len('ref-'):]}"


def scoped_bibliography_id(owner: str) -> str:
    """The bibliography of the part or chapter ``owner`` (``.l`` is no escape: no key's id has it)."""
    return f"ref-{owner}.list"


def bib_entry_as_written(key: str) -> str:
    """What an author may write to link to a bibliography entry: ``ref-`` and the key as it is
    (``ref-smith:2001``); :mod:`pressroom.links` takes it for :func:`bib_entry_id`."""
    return f"ref-{key}"


def page_break_id(label: str) -> str:
    """Where a print page begins, in the EPUB (its page-list points here)."""
    return f"page-{label}"


def paragraph_id(chapter: str, n: int) -> str:
    """The ``n``-th paragraph of a chapter in the PDF's HTML, to map laid-out pages back to it."""
    return f"b-{chapter}-{n}"


def note_paragraph_id(chapter: str, n: int) -> str:
    """The ``n``-th paragraph of a chapter's notes set as endnotes in the PDF's HTML (``[notes] place``
    "chapter" or "book"), counted apart from the text's (a number never begins with "n")."""
    return f"b-{chapter}-n{n}"


def is_paragraph_of(block: str, chapter: str) -> bool:
    """Whether a :func:`paragraph_id` is one of ``chapter``'s (not of a chapter whose id starts alike)."""
    prefix = f"b-{chapter}-"
    return block.startswith(prefix) and block[len(prefix):].isdigit()


def image_item_id(n: int) -> str:
    """The EPUB manifest item of the ``n``-th image of the book."""
    return f"image-{n}"


def stylesheet_item_id(file_name: str) -> str:
    """The EPUB manifest item of a stylesheet: ``"base.css"`` → ``css-base``."""
    return "css-" + file_name.removesuffix(".css")


def page_anchor(label: str) -> str:
    """The anchor of a text page in the PDF, the target of the index's page numbers."""
    return f"page.{label}"
