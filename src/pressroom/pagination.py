"""Page numbering of the print edition, defined once, from the book model.

The conventions (after the Chicago Manual of Style, 17th ed., 1.4–1.7 and 1.49):

- **Front matter** is numbered in lower-case roman from i on the first page: half-title (i), its
  verso (ii: blank, or the "Also by" page facing the title page), title page (iii), copyright page
  (iv), a dedication and an epigraph (display pages, each on a recto: :mod:`pressroom.frontmatter`),
  the contents, then the book's other front-matter chapters (a preface…), each starting on a recto.
- **The body** is numbered in arabic from 1 on its first page, whatever stands there: the first
  part's title page, or the first chapter's opener.
- **Back matter** (appendix chapters, the book's Notes, bibliography, index) continues the arabic numbers.
- Every page is counted, but not every page shows its number. No folio is printed on *display*
  pages (half-title, "Also by", title page, copyright page, dedication, epigraph), on part title
  pages, or on blank pages.
- Folios stand at the foot of the page, centred. A chapter opener (and the first page of the
  contents, the bibliography and the index) therefore carries a drop folio like every other page
  and loses only its running heads; the other pages of the text carry the book's title on the
  verso and the current chapter or section on the recto.

Everything that shows a page number derives from this module: the CSS that draws the folios
(:func:`page_css`), the labels read off a laid-out document (:func:`folios`), and from those the
contents, the "Cited on" lists, the index, the EPUB page-list and the PDF's ``/PageLabels``
(:func:`label_ranges`).
"""

from __future__ import annotations

from dataclasses import dataclass

from . import ids
from . import model as m
from .captions import listed
from .frontmatter import is_display
from .notes import endnoted


@dataclass(frozen=True)
class PageStyle:
    """How the pages of one kind of division are numbered and headed."""

    numerals: str  # a CSS counter style: "lower-roman" or "decimal"
    folio: bool  # the page number is printed at the foot
    heads: bool  # running heads on its pages after the first (the opener never has them)


# The named pages (CSS ``page``) of the print edition and their style. A "-start" name is the same
# style on the division where the body begins: its first page restarts the numbers at 1.
DISPLAY, FRONT, PART, TEXT = "display", "front", "part", "text"
STYLES: dict[str, PageStyle] = {
    DISPLAY: PageStyle("lower-roman", folio=False, heads=False),
    FRONT: PageStyle("lower-roman", folio=True, heads=True),
    PART: PageStyle("decimal", folio=False, heads=False),
    TEXT: PageStyle("decimal", folio=True, heads=True),
}
START = "-start"
ROMAN, ARABIC = "lower-roman", "decimal"


@dataclass(frozen=True)
class Division:
    """A part of the book that begins on a new page: its element's id and its named page."""

    id: str
    page: str  # a key of STYLES, + START for the division where the body begins


def divisions(book: m.Book) -> tuple[Division, ...]:
    """The divisions of the print edition in reading order, each with its named page."""
    out = [Division(ids.HALF_TITLE, DISPLAY)]
    if book.metadata.also_by:
        out.append(Division(ids.ALSO_BY, DISPLAY))  # the half-title's verso, facing the title page
    out += [Division(ids.TITLE_PAGE, DISPLAY), Division(ids.COPYRIGHT_PAGE, DISPLAY)]
    front = [chapter for chapter in book.chapters if chapter.matter == "front"]
    out += [Division(chapter.id, DISPLAY) for chapter in front if is_display(chapter)]  # before the contents
    out.append(Division(ids.CONTENTS, FRONT))
    # The lists of figures and of tables (when asked for and not empty) follow it, numbered as it is.
    out += [Division(list_id, FRONT) for kind, list_id in (("figure", ids.LIST_OF_FIGURES), ("table", ids.LIST_OF_TABLES))
            if listed(book, kind)]
    out += [Division(chapter.id, FRONT) for chapter in front if not is_display(chapter)]
    seen_parts: set[str] = set()
    for chapter in book.chapters:
        if chapter.matter == "front":
            continue
        if chapter.part and chapter.part not in seen_parts:
            seen_parts.add(chapter.part)
            out.append(Division(chapter.part, PART))
        out.append(Division(chapter.id, TEXT))
        out += [Division(ids.scoped_bibliography_id(bib.owner), TEXT) for bib in book.scoped_bibliographies
                if bib.after == chapter.id and bib.owner == chapter.part]  # a part's bibliography: a recto
    if endnoted(book):  # the book's Notes ([notes] place = "book")
        out.append(Division(ids.ENDNOTES, TEXT))
    if book.bibliography:
        out.append(Division(ids.BIBLIOGRAPHY, TEXT))
    if book.index:
        out.append(Division(ids.INDEX, TEXT))
    first_body = next((i for i, d in enumerate(out) if d.page in (PART, TEXT)), None)
    if first_body is not None:
        out[first_body] = Division(out[first_body].id, out[first_body].page + START)
    return tuple(out)


def style_of(page: str) -> PageStyle:
    """The style of a named page (a ``-start`` name is its division's style)."""
    return STYLES[page.removesuffix(START)]


def page_css(book: m.Book, first_folio: int = 0) -> str:
    """The ``@page`` rules that draw folios and running heads, and the ``page`` of each division.

    ``first_folio``: for a document that holds only the back matter, laid out on its own, the
    arabic number of its first page (the document's pages continue the book's).
    The fonts of the margin boxes are the print stylesheet's; this gives only their content.
    """
    none = "content: none;"
    rules = []
    for name, style in sorted(STYLES.items()):
        for page in (name, name + START):
            folio = f"content: counter(page, {style.numerals});" if style.folio else none
            verso = "content: string(book-title);" if style.heads else none
            recto = "content: string(chapter-title);" if style.heads else none
            rules.append(f"@page {page} {{ @bottom-center {{ {folio} }} }}")
            rules.append(f"@page {page}:left {{ @top-left {{ {verso} }} @top-right {{ {none} }} }}")
            rules.append(f"@page {page}:right {{ @top-right {{ {recto} }} @top-left {{ {none} }} }}")
            # An opener: no running heads (":first" would mean the document's first page).
            for side in ("left", "right"):
                rules.append(f"@page {page}:{side}:nth(1 of {page}) "
                             f"{{ @top-left {{ {none} }} @top-right {{ {none} }} }}")
            rules.append(f"@page {page}:blank {{ @top-left {{ {none} }} @top-right {{ {none} }} "
                         f"@bottom-center {{ {none} }} }}")
    # Blank pages take the name of the element around the next division (none): no folio, no head.
    rules.append(f"@page :blank {{ @top-left {{ {none} }} @top-right {{ {none} }} @bottom-center {{ {none} }} }}")
    for name in sorted(STYLES):
        rules.append(f"@page :nth(1 of {name + START}) {{ counter-reset: page 1; }}")
    if first_folio:
        rules.append(f"@page :first {{ counter-reset: page {int(first_folio)}; }}")
    for division in divisions(book):
        rules.append(f'[id="{_css_escape(division.id)}"] {{ page: {division.page}; }}')
        if style_of(division.page).numerals != ARABIC:
            # The contents' entry for a front-matter division, when CSS numbers it: in roman too.
            rules.append(f'.contents .toc-entry[data-target="#{_css_escape(division.id)}"]:not([data-page])::after '
                         f'{{ content: leader(". ") target-counter(attr(data-target), page, {ROMAN}); }}')
    return "\n".join(rules) + "\n"


def _css_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


@dataclass(frozen=True)
class LaidPage:
    """What numbering needs of one laid-out page: its named page and whether it is blank."""

    page: str  # the CSS named page ("" when none)
    blank: bool


@dataclass(frozen=True)
class Folio:
    label: str  # the page's number: "iv", "12"
    printed: bool  # printed at its foot


def folios(pages: tuple[LaidPage, ...]) -> tuple[Folio, ...]:
    """The number of every page of a laid-out book, and whether it is printed: roman from i up to
    the body's first page, arabic from 1 there on (see the module's conventions)."""
    start = body_start(pages)
    out = []
    for index, page in enumerate(pages):
        if start is not None and index >= start:
            label, default = str(index - start + 1), TEXT
        else:
            label, default = to_roman(index + 1), FRONT
        name = page.page if page.page.removesuffix(START) in STYLES else default
        out.append(Folio(label, not page.blank and style_of(name).folio))
    return tuple(out)


def body_start(pages: tuple[LaidPage, ...]) -> int | None:
    """The index of the body's first page (the first page of a ``-start`` division), or None."""
    return next((i for i, page in enumerate(pages) if page.page.endswith(START) and not page.blank), None)


def label_ranges(pages: tuple[LaidPage, ...]) -> tuple[tuple[int, str, int], ...]:
    """The PDF's page-label ranges: (first page index, numbering style "r" or "D", first number)."""
    start = body_start(pages)
    if start is None:
        return ((0, "r", 1),)
    return ((0, "r", 1), (start, "D", 1)) if start else ((0, "D", 1),)


def to_roman(n: int) -> str:
    """Lower-case roman numerals, as CSS ``lower-roman`` writes them (1 → "i", 14 → "xiv")."""
    out = ""
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                           (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out += letters
            n -= value
    return out
