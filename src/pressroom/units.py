"""The print edition laid out by unit: each piece of the book that starts on a fresh page (the front
matter, each part's title page, each chapter, the book's Notes, the bibliography and index) is its
own WeasyPrint document, laid out alone, and its PDF written alone (issue 18).

Why: a unit's pages depend only on its own HTML, so a rebuild after a one-chapter edit lays out that
chapter only (the others come from the driver's memo), and units can be laid out at once in worker
processes (:mod:`pressroom.unit_pool`). WeasyPrint's laid-out pages do not cross a process boundary
(they hold cffi objects), so a unit's result is plain data and its PDF's bytes: :class:`UnitPages`.
The driver (:func:`pressroom.layout.lay_out_by_unit`) finds the numbers; the PDF writer joins the
units' PDFs (:mod:`pressroom.adapters.pdf_join`).

How a unit stands where it stands in the whole book. Every unit starts on a recto (``print.css``:
``break-before: right`` on chapters, parts, the Notes, the bibliography, the index), so a unit's
pages do not depend on the units before it, only its page numbers do. A unit's document is:
- an empty page first, a verso (``html { break-before: left }``), so that the unit's first page is a
  recto and no page of the unit is the document's ``:first``;
- the unit's own divisions, as the whole book's HTML has them (:func:`pressroom.print_html.render_html`
  in ``"unit"`` mode);
- when a unit follows, an empty page where the next unit would start (``break-before: right``, with
  its named page), so that a blank verso before the next unit is this unit's last page, drawn as
  in the whole book.
The two empty pages are dropped. The page counter starts at 1 on the unit's first page, and the
folios drawn in the margins are moved to the unit's first folio when the layout of the unit's text
is done (:func:`pressroom.adapters.weasyprint.folios_from`): the first folio is asked of
``folio_of(page count)`` then, so a worker can lay out a unit before the units before it are
counted.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Callable

from . import ids
from . import model as m
from .codec import register
from .errors import Finding
from .ids import page_anchor
from .pagination import divisions


NEXT_EDGE = 'class="unit-edge unit-next"'  # the empty page where the next unit starts (pdf/book.html.j2)


@dataclass(frozen=True)
class Unit:
    """A piece of the print edition laid out alone: ``kind`` "front", "part", "chapter", "notes" or
    "bibliography" or "index" (the back matter laid out after the rest); ``id`` its first division's; ``next_page`` the named
    page of the next unit's first division ("" for the last unit)."""

    kind: str
    id: str
    next_page: str
    part: m.Part | None = None
    chapter: m.Chapter | None = None


def starts_anywhere(book_root) -> str | None:
    """Where the book sets a page break before an element to other than a recto: a ``break-before``
    or ``page-break-before`` with a value but ``right`` or ``recto`` in its stylesheet
    (``styles/book.css``, read as CSS: any case, escapes, ``@media``), or but ``right``, ``recto`` or
    ``left`` in a template of its own (``templates/``, read as text: a ``<style>`` in a block it
    overrides; ``left`` is the units' own rule, which a copied template has); as
    "styles/book.css:3: break-before: page"; None when it sets none.

    Every unit starts on a recto (``print.css``: chapters, parts, the Notes, the bibliography and
    the index), and a unit's pages are its own only because of it; a chapter allowed to start on a
    verso would be drawn on a recto all the same. Any such declaration counts, whatever its selector
    (a selector cannot be told from its text to miss every unit's first element), so a book that
    has one is laid out as one document (:mod:`pressroom.build`): slower, never wrong."""
    import tinycss2

    from .book_css import BOOK_CSS, read_book_css

    text = read_book_css(book_root)
    if "break" in text.lower() or "\\" in text:
        stack = list(tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True))
        while stack:
            node = stack.pop(0)
            if node.type in ("qualified-rule", "at-rule") and node.content is not None:
                stack[:0] = tinycss2.parse_blocks_contents(node.content, skip_comments=True, skip_whitespace=True)
            elif node.type == "declaration" and node.lower_name in _BREAKS:
                value = tinycss2.serialize(node.value).strip().lower()
                if value not in _RECTO:
                    return f"{BOOK_CSS}:{node.source_line}: {node.name}: {value}"
    return _template_break(book_root)


_RECTO = ("right", "recto")
_BREAKS = ("break-before", "page-break-before")
_TEMPLATE_BREAK = re.compile(r"(?:page-)?break-before\s*:\s*([a-z-]+)", re.IGNORECASE)


def _template_break(book_root) -> str | None:
    """The first ``break-before`` but right, recto or left in the book's own templates (see
    :func:`starts_anywhere`), as "templates/NAME:LINE: break-before: VALUE"; None if none."""
    from pathlib import Path

    from .paths import inside_book_folder
    from .templates import BOOK_TEMPLATES

    root = Path(book_root)
    own = root / BOOK_TEMPLATES
    for path in sorted(own.rglob("*")) if own.is_dir() else ():
        relative = path.relative_to(root).as_posix()
        if not path.is_file() or not inside_book_folder(root, relative):
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # a template that cannot be read is reported when it is used
        for match in _TEMPLATE_BREAK.finditer(text):
            if match[1].lower() not in (*_RECTO, "left"):
                return f"{relative}:{text.count(chr(10), 0, match.start()) + 1}: {match[0]}"
    return None


def units(book: m.Book) -> tuple[Unit, ...]:
    """The units of the print edition in reading order (see the module)."""
    from .templates import book_contents

    pieces: list[tuple[str, str, object]] = [("front", ids.HALF_TITLE, None)]
    for item in book_contents(book):
        if item.kind == "part":
            pieces.append(("part", item.part.id, item.part))
            pieces += [("chapter", chapter.id, chapter) for chapter in item.chapters]
        elif item.kind == "chapter" and item.chapter.matter != "front":
            pieces.append(("chapter", item.chapter.id, item.chapter))
        elif item.kind == "notes":
            pieces.append(("notes", item.id, None))
        elif item.kind == "page":
            pieces.append(("bibliography", item.id, None))
        elif item.kind == "index":
            pieces.append(("index", item.id, None))
    page_of = {division.id: division.page for division in divisions(book)}
    out = []
    for n, (kind, ident, node) in enumerate(pieces):
        following = page_of.get(pieces[n + 1][1], "") if n + 1 < len(pieces) else ""
        if n + 1 < len(pieces) and not following:
            following = "auto"
        out.append(Unit(kind, ident, following, part=node if kind == "part" else None,
                        chapter=node if kind == "chapter" else None))
    return tuple(out)


@register  # a stage's argument, identified by its encoding (pressroom.codec)
@dataclass(frozen=True)
class PdfSpec:
    """What a unit's PDF is written for: the profile, the book's metadata, the date (ISO, UTC)."""

    profile: str
    metadata: m.Metadata
    modified: str

    def when(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.modified)


@register  # a value the driver's memo keeps (pressroom.codec)
@dataclass(frozen=True)
class UnitPages:
    """One unit laid out: every value plain data (a str, int, float, bool, bytes or a tuple of them)."""

    pages: tuple[tuple[str, bool], ...]  # (named page, blank) of each page
    anchors: tuple[tuple[str, int], ...]  # (anchor, index of the first page it stands on), sorted
    starts: tuple[tuple[str, str] | None, ...]  # each page's first block and words (pressroom.pagemap)
    bookmarks: tuple[tuple[int, str, int, float, float, str], ...]  # (level, label, page, x, y, state)
    near_trim: tuple[tuple[int, str, float], ...]  # text nearer the trim than the printer allows
    pdf: bytes  # the unit's PDF (b"" when no PDF was asked for)
    findings: tuple[Finding, ...]  # WeasyPrint's warnings while laying it out


def lay_out_unit(html: str, root: str, first_folio: int, write: PdfSpec | None, laid: UnitPages | None = None
                 ) -> UnitPages:
    """The stage: one unit's HTML laid out with its folios from ``first_folio``, and its PDF when
    ``write`` is given. ``laid``: the same result already made (by a worker process), so that the
    driver's memo keeps it under this stage's key."""
    if laid is not None:
        return laid
    return lay_out(html, root, lambda count: first_folio, write)


def unit_pages_count(html: str, root: str, laid: UnitPages | None = None) -> int:
    """The stage: how many pages a unit's HTML makes (its folios play no part). Kept by the memo with
    each unit laid out (``laid``), so that the driver knows where each later unit starts before
    it is laid out."""
    if laid is not None:
        return len(laid.pages)
    return len(lay_out(html, root, lambda count: 1, None).pages)


def warm_up() -> None:
    """What every unit's layout needs first, done ahead (a worker, while the driver reads the book):
    WeasyPrint imported and the shipped fonts unpacked into this process's font configuration
    (:func:`pressroom.adapters.weasyprint.font_configuration`, keyed by their ``@font-face`` rules,
    which every book's stylesheet has alike)."""
    from .adapters import weasyprint as wp
    from .fonts import font_face_css

    wp.render(f"<style>{font_face_css()}</style><p>x</p>", str(wp.RESOURCES))


def unit_labels(laid, first_folio: int) -> list[str]:
    """The page numbers of a unit's pages from its first folio, in the numerals of its first page that
    is not blank (pressroom.pagination: roman in the front matter, arabic from the body on)."""
    from .pagination import ARABIC, START, STYLES, style_of, to_roman

    named = next((page.page for page in laid if not page.blank and page.page.removesuffix(START) in STYLES), "")
    arabic = not named or style_of(named).numerals == ARABIC
    return [str(first_folio + n) if arabic else to_roman(first_folio + n) for n in range(len(laid))]


def lay_out(html: str, root: str, folio_of: Callable[[int], int], write: PdfSpec | None) -> UnitPages:
    """Lay out one unit's HTML (see the module); ``folio_of(page count)`` gives its first folio once
    its text is laid out."""
    from .adapters import weasyprint as wp
    from .diagnostics import Diagnostics
    from .pagemap import page_starts

    found = Diagnostics()
    with wp.weasyprint_findings(found, root):
        document, pages, first = _render(html, root, folio_of)
        anchors = wp.first_pages(pages)
        near: list = []
        data = b""
        if write is not None:
            from .pdf_bytes import near_trim, pdf_bytes
            from .printers import printer

            p = printer(write.profile)
            if p.pod:
                near = near_trim(pages, p.safe_mm)
            foreign = sorted(wp.internal_link_targets(pages) - set(anchors))
            for target in foreign:  # another unit's: the link is kept for the join (pdf_join's owners)
                wp.add_anchor(pages[0], target)
            data = pdf_bytes(document.copy(pages), write.metadata, write.profile, write.when(), None)
            for target in foreign:
                del pages[0].anchors[target]
    result = UnitPages(
        pages=tuple((page.page, page.blank) for page in wp.laid_pages(pages)),
        anchors=tuple(sorted(anchors.items())),
        starts=page_starts(pages),
        bookmarks=wp.bookmarks(pages),
        near_trim=tuple(near),
        pdf=data,
        findings=tuple(found.findings),
    )
    return result


def _render(html: str, root: str, folio_of: Callable[[int], int]):
    """(document, the unit's pages, its first folio): the unit's HTML laid out, its two empty pages
    dropped, each page anchored for the index's links (``ids.page_anchor``)."""
    from .adapters import weasyprint as wp

    followed = NEXT_EDGE in html  # the last page is the next unit's first
    first: list[int] = []
    with wp.folios_from(lambda count: first.append(folio_of(count - 1 - followed)) or first[0]):
        document = wp.render(html, root, shared_style=True)
    pages = document.pages[1:len(document.pages) - followed]
    first_folio = first[0] if first else folio_of(len(pages))
    for label, page in zip(unit_labels(wp.laid_pages(pages), first_folio), pages):
        wp.add_anchor(page, page_anchor(label))  # the index's links go to pages
    return document, pages, first_folio
