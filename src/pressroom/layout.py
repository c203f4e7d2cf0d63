"""The print layout stage: the finished book and a PDF profile in, the page map out, as plain data.

:func:`lay_out` lays the book out with WeasyPrint and returns a :class:`Layout`: every page's
number (from :mod:`pressroom.pagination`), the page each anchor stands on, the numbers printed in
the contents, the "Cited on" lists and the index, and the text's page breaks for the EPUB's
page-list. Both writers consume it. It is a pure function of its inputs, so the driver may memoise
it; when it ran in this process, the laid-out WeasyPrint document stays attached to it
(:func:`document_for`), and the PDF writer reuses it; from the data alone the document is laid
out again (:func:`document_for` does that too) and checked against the data.

How the numbers settle. The text (front matter, chapters, the bibliography and index as headings
only) is laid out once; its pages do not depend on any number printed after them. Then:
1. the back matter (bibliography and index) is laid out alone, from the page where it starts, with
   the pages that cite each work and hold each index term (each once, consecutive ones as ranges);
2. the front matter is laid out alone with the contents' numbers read off the combined pages; if
   its pages are those of the first layout (same pages, same anchors, the same blank pages after
   it), they take the first layout's place;
3. if not (the contents changed length when its numbers were set, and everything after moved),
   the text is laid out again with those numbers, and so on: at most ``MAX_PASSES`` layouts of
   the text. A layout that still moves is an error (P005), never a warning.
A cross-reference whose target is on another spread prints its page ("Figure 2 on p. 42",
:func:`see_pages`): when the pages it prints change, the text is laid out again first.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, replace
from typing import Callable

from . import ids
from .captions import list_targets
from . import model as m
from .codec import register
from .errors import BuildError
from .frontmatter import is_display
from .ids import page_anchor
from .pagemap import Break, insert_page_breaks, mark_pages
from .pagination import Folio, LaidPage, body_start, folios
from .print_html import check_profile, print_sheet, render_html
from .templates import book_contents, index_locators
from .walk import query

MAX_PASSES = 3

Locators = tuple[tuple[str, tuple[tuple[str, str], ...]], ...]  # key → ((printed label, target id), …)


@register
@dataclass(frozen=True)
class PrintedPage:
    label: str  # its number ("iv", "12"), printed or not
    printed: bool  # the number is printed at its foot
    page: str  # the CSS named page ("" for none)
    blank: bool


@register  # a value the driver's memo keeps (pressroom.codec)
@dataclass(frozen=True)
class Layout:
    """The print edition's pages, as data (every value a str, int, bool or a tuple of them)."""

    profile: str
    pages: tuple[PrintedPage, ...]
    anchors: tuple[tuple[str, int], ...]  # (anchor, index of the first page it stands on), sorted
    contents: tuple[tuple[str, str], ...]  # (contents entry's target id, the number printed for it)
    cited: Locators  # bibliography entry id → its "Cited on" pages
    index: Locators  # "term\x1fsub" → its pages
    breaks: tuple[Break, ...]  # the text's page breaks (see pressroom.pagemap), in page order
    tail_start: int  # index of the first page of the back matter laid out on its own (= len(pages) if none)
    passes: int  # layouts of the text it took to settle
    band: int = 0  # the printer's gutter step the pages were laid out with (pressroom.printers.gutter_band)
    see: tuple[tuple[str, str], ...] = ()  # cross-reference site → its target's page, printed after it
    scoped_cited: Locators = ()  # a part's or chapter's bibliography entry id → its "Cited on" pages
    units: tuple = ()  # laid out by unit (lay_out_by_unit): each unit's pressroom.units.UnitPages, in order
    unit_html: tuple[str, ...] = ()  # and each unit's HTML (never kept by the memo: a Layout by unit is not)

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(page.label for page in self.pages)

    def page_of(self, anchor: str) -> int | None:
        return dict(self.anchors).get(anchor)


# The WeasyPrint document a Layout was read from, while both live in this process.
_documents: "weakref.WeakKeyDictionary[Layout, object]" = weakref.WeakKeyDictionary()


def lay_out(book: m.Book, profile: str = "print", report: Callable[[str], None] = lambda message: None) -> Layout:
    """Lay the finished book out for the PDF ``profile`` until its numbers settle; the page map."""
    from .adapters import weasyprint as wp

    check_profile(profile)
    with wp.progress(report):
        return _in_gutter_band(profile, lambda band: _settle(book, profile, report, band), report)


def _in_gutter_band(profile: str, settle: Callable[[int], Layout], report) -> Layout:
    """``settle(band)`` in the printer's gutter band for its page count. The gutter grows with the page
    count and the page count with the gutter: lay out with the narrowest, then with the step the pages
    fall in until it holds (the count only grows)."""
    from .printers import gutter_band, printer

    band = 0
    for _ in range(len(printer(profile).gutter) + 1):
        layout = settle(band)
        wanted = gutter_band(printer(profile), len(layout.pages))
        if wanted <= band:
            return layout
        report(f"{len(layout.pages)} pages: laying out again with the printer's wider gutter")
        band = wanted
    return layout


def _settle(book: m.Book, profile: str, report, band: int = 0) -> Layout:
    from .adapters import weasyprint as wp

    contents: dict[str, str] | None = None  # first pass: the contents numbered by CSS target-counter()
    see: dict[str, str] = {}  # cross-reference site → its target's page, printed after it
    scoped: dict[str, list[tuple[str, str]]] | None = None  # the parts' or chapters' "Cited on" pages
    for attempt in range(1, MAX_PASSES + 1):
        report("laying out the print edition" + (f" again (pass {attempt})" if attempt > 1 else ""))
        text = wp.render(render_html(book, profile, "text", toc_pages=contents, band=band, see_pages=see,
                                     scoped_pages=scoped), book.root)
        pages, tail_start, cited, index, breaks = _with_back_matter(book, profile, text, report, band)
        laid = wp.laid_pages(pages)
        numbers = folios(laid)
        where = wp.first_pages(pages)
        wanted = _contents_numbers(book, where, numbers)
        wanted_see = see_pages(book, where, numbers, see)
        wanted_scoped = scoped_cited_pages(book, where, numbers) if book.scoped_bibliographies else None
        if wanted_see != see or wanted_scoped != scoped:  # the text changes: lay it out again with the pages
            report("text: setting the cross-references' and the cited works' page numbers")
            contents, see, scoped = wanted, wanted_see, wanted_scoped
            continue
        if wanted == contents:
            return _settled(book, profile, text.copy(pages), laid, numbers, where, wanted, cited, index, breaks,
                            tail_start, attempt, band, see, scoped)
        report("front matter: setting the contents' page numbers")
        front = wp.render(render_html(book, profile, "front", toc_pages=wanted, band=band, see_pages=see,
                                      scoped_pages=scoped), book.root)
        if _same_front(front.pages, pages, laid):
            pages = front.pages + pages[len(front.pages):]
            return _settled(book, profile, text.copy(pages), laid, numbers, wp.first_pages(pages), wanted, cited,
                            index, breaks, tail_start, attempt, band, see, scoped)
        contents = wanted
    raise BuildError(f"the print layout did not settle in {MAX_PASSES} passes: setting the contents' and the "
                     "cross-references' page numbers changes their length, and that moves the pages they number",
                     code="P005")


def _with_back_matter(book: m.Book, profile: str, text, report, band: int = 0):
    """The text's pages with the bibliography and index laid out alone in place of their headings:
    (pages, index of the first back-matter page, "Cited on" lists, index locators, text breaks)."""
    from .adapters import weasyprint as wp

    laid = wp.laid_pages(text.pages)
    labels = [folio.label for folio in folios(laid)]
    where = wp.first_pages(text.pages)
    tail_anchor = ids.BIBLIOGRAPHY if book.bibliography else ids.INDEX if book.index else ""
    tail_start = where[tail_anchor] if tail_anchor else len(text.pages)
    text_range = _text_range(book, where, tail_start)
    breaks = tuple(_breaks(text.pages, labels, text_range))
    if not tail_anchor:
        return list(text.pages), tail_start, {}, {}, breaks
    for index in text_range:  # the index's links go to pages
        wp.add_anchor(text.pages[index], page_anchor(labels[index]))
    cited = cited_pages(book, where, labels, tail_start)
    index_refs = index_pages(book, breaks)
    report("back matter: laying out the cited and indexed pages")
    tail = wp.render(render_html(book, profile, "tail", first_folio=int(labels[tail_start]), page_refs=cited,
                                 index_refs=index_refs, band=band), book.root)
    return list(text.pages[:tail_start]) + list(tail.pages), tail_start, cited, index_refs, breaks


def _breaks(pages, labels, text_range: range):
    from .pagemap import page_map

    return page_map(pages, labels, text_range.start, text_range.stop) if text_range else []


def _text_range(book: m.Book, where: dict[str, int], tail_start: int) -> range:
    """The indexes of the text's pages: from the first chapter or part to the back matter laid out alone
    (a dedication or an epigraph, before the contents, is not of the text)."""
    text = (*(c.id for c in book.chapters if not is_display(c)), *(p.id for p in book.parts))
    starts = [where[d] for d in text if d in where]
    return range(min(starts), tail_start) if starts else range(0)


def _same_front(front_pages, pages, laid: tuple[LaidPage, ...]) -> bool:
    """Whether the front matter laid out alone has the pages the whole layout had before the body:
    the same kinds of page, each anchor on the same page, and only blank pages after it."""
    from .adapters import weasyprint as wp

    count = len(front_pages)
    end = body_start(laid)
    end = len(pages) if end is None else end
    if count > end or wp.laid_pages(front_pages) != laid[:count] or any(not page.blank for page in laid[count:end]):
        return False
    alone = wp.first_pages(front_pages)
    together = wp.first_pages(pages[:count])
    return alone == together


def _contents_numbers(book: m.Book, where: dict[str, int], numbers: tuple[Folio, ...]) -> dict[str, str]:
    """Each entry's target id → the number of the page it stands on: the contents' headings and the
    lists of figures and tables' captions (pressroom.captions.list_targets)."""
    return {target: numbers[where[target]].label for target in [*contents_targets(book), *list_targets(book)]
            if target in where}


def spread(index: int) -> int:
    """The spread a page (index from 0, the first page a recto alone) is printed on: pages on one
    spread face each other."""
    return (index + 1) // 2


def see_pages(book: m.Book, where: dict[str, int], numbers: tuple[Folio, ...], before: dict[str, str]) -> dict[str, str]:
    """Cross-reference site → the number of the page its target stands on, for each reference whose
    target the reader cannot see from it: not on the same page nor on the facing one (LaTeX's
    ``\vref`` convention; pandoc-crossref prints no pages). A site given a page in ``before`` keeps
    one (its number updated), so that the layout settles: the words it adds may carry the reference
    to the target's spread, and taking them away would carry it back."""
    out = {}
    for chapter in book.chapters:
        for ref in query((*chapter.blocks, *chapter.notes), m.CrossRef):
            site, target = where.get(ref.site), where.get(ref.target)
            if site is None or target is None:
                continue
            if ref.site in before or spread(site) != spread(target):
                out[ref.site] = numbers[target].label
    return out


def contents_targets(book: m.Book) -> list[str]:
    """The target id of every entry of the contents, in order (as ``parts.toc_list`` lists them, to
    depth 2: chapters and their sections)."""
    targets = []
    for item in book_contents(book):
        if item.kind == "part":
            targets.append(item.part.id)
            for chapter in item.chapters:
                targets += [chapter.id, *(section.id for section in chapter.sections)]
            if item.bibliography:
                targets.append(item.bibliography)
        elif item.kind == "chapter":
            if not is_display(item.chapter):  # a dedication, an epigraph: not in the printed contents
                targets += [item.chapter.id, *(section.id for section in item.chapter.sections)]
        else:
            targets.append(item.id)
    return targets


def _settled(book, profile, document, laid, numbers, where, contents, cited, index, breaks, tail_start, passes, band,
             see, scoped=None):
    layout = Layout(
        profile=profile,
        pages=tuple(PrintedPage(f.label, f.printed, p.page, p.blank) for f, p in zip(numbers, laid)),
        anchors=tuple(sorted(where.items())),
        contents=tuple(contents.items()),
        cited=tuple((key, tuple(items)) for key, items in cited.items()),
        index=tuple((key, tuple(items)) for key, items in index.items()),
        breaks=tuple(breaks),
        tail_start=tail_start,
        passes=passes,
        band=band,
        see=tuple(sorted(see.items())),
        scoped_cited=tuple((key, tuple(items)) for key, items in (scoped or {}).items()),
    )
    if document is not None:
        _documents[layout] = document
    return layout


def document_for(book: m.Book, layout: Layout, profile: str):
    """The WeasyPrint document of ``layout`` in ``profile``: the one it was read from if it is still
    in this process (and of that profile), else laid out again from the data and checked against it."""
    from .adapters import weasyprint as wp

    document = _documents.get(layout)
    if document is not None and layout.profile == profile:
        return document
    contents = dict(layout.contents)
    scoped = {k: list(v) for k, v in layout.scoped_cited} if book.scoped_bibliographies else None
    text = wp.render(render_html(book, profile, "text", toc_pages=contents, band=layout.band,
                                 see_pages=dict(layout.see), scoped_pages=scoped), book.root)
    pages = list(text.pages)
    if layout.tail_start < len(layout.pages):
        labels = layout.labels
        for index in _text_range(book, wp.first_pages(text.pages), layout.tail_start):
            wp.add_anchor(text.pages[index], page_anchor(labels[index]))
        tail = wp.render(render_html(book, profile, "tail", first_folio=int(labels[layout.tail_start]),
                                     page_refs={k: list(v) for k, v in layout.cited},
                                     index_refs={k: list(v) for k, v in layout.index}, band=layout.band), book.root)
        pages = pages[:layout.tail_start] + list(tail.pages)
    laid = wp.laid_pages(pages)
    if tuple((p.page, p.blank) for p in layout.pages) != tuple((p.page, p.blank) for p in laid) \
            or tuple(sorted(wp.first_pages(pages).items())) != layout.anchors:
        raise BuildError("the print layout given does not match the book laid out again: pages moved",
                         code="P005")
    return text.copy(pages)


def lay_out_by_unit(book: m.Book, profile: str, run: Callable, has: Callable, jobs: int = 1, write=None,
                    report: Callable[[str], None] = lambda message: None, laying=None) -> Layout:
    """The print layout, each unit of the book laid out alone (:mod:`pressroom.units`): the page map
    as :func:`lay_out` gives it, with each unit's pages and PDF (``Layout.units``). A driver, not a
    stage: each unit is the stage ``units.lay_out_unit`` run through ``run`` (the driver's memo:
    ``has`` tells what it holds), by up to ``jobs`` worker processes (:mod:`pressroom.unit_pool`).
    ``write``: the :class:`~pressroom.units.PdfSpec` the units' PDFs are written for (None: no PDF).
    ``laying``: the :class:`~pressroom.unit_pool.Layouts` to lay out with, its workers started early
    by the driver (default: one made here with the arguments above).

    How the numbers settle: the body's units (parts, chapters, the book's Notes) are laid out first;
    their pages are numbered from 1 whatever the front matter's length. Then the front matter, with the
    contents' numbers read off the body's pages (its own entries numbered by CSS within it), and the
    back matter with the "Cited on" and index pages of the front matter and body. The cross-references'
    pages (:func:`see_pages`) and the scoped bibliographies' "Cited on" pages are printed in the
    body: when they change, the body is laid out again with them (only the units whose HTML changed:
    the memo has the others), at most ``MAX_PASSES`` times, else P005."""
    from contextlib import nullcontext

    from .adapters import weasyprint as wp
    from .unit_pool import Layouts

    check_profile(profile)
    given = laying
    laying = laying or Layouts(book.root, run, has, jobs)
    # Only the first unit's PDF carries the date (the joined PDF's information and XMP are the first
    # unit's: pressroom.adapters.pdf_join), so that a new date lays out no other unit again.
    laying.write, laying.report = write and replace(write, modified=UNDATED), report
    with nullcontext() if given else laying, wp.progress(report):
        return _in_gutter_band(profile, lambda band: _settle_by_unit(book, profile, laying, report, band, write),
                               report)


UNDATED = "1980-01-01T00:00:00+00:00"  # the date of every unit's PDF but the first's


def _settle_by_unit(book: m.Book, profile: str, laying, report, band: int, write=None) -> Layout:
    from .pagemap import breaks_from
    from .unit_pool import Later
    from .units import units

    pieces = units(book)
    back = ("bibliography", "index")  # laid out after the rest: they number its pages
    front, body = pieces[0], [u for u in pieces[1:] if u.kind not in back]
    tail = [u for u in pieces if u.kind in back]
    see: dict[str, str] = {}
    scoped: dict[str, list[tuple[str, str]]] | None = None
    sheet = print_sheet(book, profile, band)  # every unit's (each unit numbers its pages from 1)
    for attempt in range(1, MAX_PASSES + 1):
        def html(unit, **more) -> str:
            return render_html(book, profile, "unit", unit=unit, band=band, see_pages=see, scoped_pages=scoped,
                               sheet=sheet, **more)

        report("laying out the print edition by unit" + (f" again (pass {attempt})" if attempt > 1 else ""))
        htmls = [html(unit) for unit in body]
        body_laid = laying.lay_out(htmls, 1, [_unit_name(unit) for unit in body])
        body_where: dict[str, int] = {}
        offset = 0
        for laid in body_laid:
            for anchor, index in laid.anchors:
                body_where.setdefault(anchor, offset + index)
            offset += len(laid.pages)
        body_count = offset
        wanted_toc = [*contents_targets(book), *list_targets(book)]
        body_toc = {target: str(body_where[target] + 1) for target in wanted_toc if target in body_where}
        tail_toc = {target: str(body_count + 1) for target in (ids.BIBLIOGRAPHY, ids.INDEX) if target in wanted_toc}
        # The front matter's contents number the back matter's pages, and the back matter's "Cited on"
        # and index may number the front matter's (a preface): each is laid out again until both hold.
        # A book without front-matter chapters has its back matter laid out first, from the body alone.
        tail_html: list[str] = []
        tail_laid: list = []
        tail_numbers: tuple = ()  # (breaks, "Cited on" pages, index pages) of tail_html
        front_html, front_laid = "", None

        def lay_out_tail(laid_before, later=None):
            """The back matter laid out after ``laid_before`` (unless its HTML is the one laid out last),
            with the ``later`` unit if given (:class:`pressroom.unit_pool.Later`): (its "Cited on" pages,
            its index's pages)."""
            nonlocal tail_html, tail_laid, tail_numbers, front_laid
            where, laid_pages, starts = _joined(laid_before)
            labels = [folio.label for folio in folios(laid_pages)]
            text_range = _text_range(book, where, len(laid_pages))
            breaks = tuple(breaks_from(starts[text_range.start:text_range.stop],
                                       labels[text_range.start:text_range.stop]))
            cited = cited_pages(book, where, labels, len(laid_pages))
            if later is None and tail_numbers and tail_numbers[:2] == (breaks, cited):  # as laid out last
                return tail_numbers[1:]
            index_refs = tail_numbers[2] if tail_numbers and tail_numbers[0] == breaks else index_pages(book, breaks)
            tail_numbers = (breaks, cited, index_refs)
            wanted = [html(unit, page_refs=cited, index_refs=index_refs) for unit in tail]
            if wanted != tail_html or later is not None:
                tail_html = wanted
                laid = laying.lay_out(tail_html, body_count + 1, [f"the {unit.kind}" for unit in tail], later=later)
                tail_laid = laid[:len(tail)]
                if later is not None:
                    (front_laid,) = laid[len(tail):]
            return cited, index_refs

        if tail and not any(chapter.matter == "front" for chapter in book.chapters):
            # The back matter is numbered from the body alone; the front matter is laid out beside it,
            # its contents numbering the back matter's units from their page counts as the workers
            # give them (checked below against the pages their headings stand on).
            def front_beside(counts: tuple[int, ...]) -> str:
                nonlocal front_html
                toc = {unit.id: str(body_count + 1 + sum(counts[:n])) for n, unit in enumerate(tail)
                       if unit.id in tail_toc}
                front_html = html(front, toc_pages={**body_toc, **toc})
                return front_html

            lay_out_tail(body_laid, Later(len(tail) - 1, front_beside, 1, "the front matter", write))
            where, _, _ = _joined(tail_laid)
            tail_toc = {target: str(body_count + 1 + where[target]) for target in tail_toc if target in where}
        for _ in range(MAX_PASSES):
            wanted_front = html(front, toc_pages={**body_toc, **tail_toc})
            if wanted_front != front_html:
                front_html = wanted_front
                (front_laid,) = laying.lay_out([front_html], 1, ["the front matter"], write)
            laid_units = [front_laid, *body_laid]
            where, laid_pages, starts = _joined(laid_units)
            numbers = folios(laid_pages)
            labels = [folio.label for folio in numbers]
            tail_start = len(laid_pages)
            text_range = _text_range(book, where, tail_start)
            breaks = tuple(breaks_from(starts[text_range.start:text_range.stop],
                                       labels[text_range.start:text_range.stop]))
            cited: dict = {}
            index_refs: dict = {}
            unit_html = [front_html, *htmls]
            if not tail:
                break
            cited, index_refs = lay_out_tail(laid_units)
            unit_html += tail_html
            laid_units += tail_laid
            where, laid_pages, starts = _joined(laid_units)
            numbers = folios(laid_pages)
            settled = {target: numbers[where[target]].label for target in tail_toc if target in where}
            if settled == tail_toc:
                break
            report("front matter: setting the contents' page numbers of the back matter")
            tail_toc = settled
        else:
            raise BuildError(f"the print layout did not settle in {MAX_PASSES} passes: the contents' numbers of the "
                             "back matter move the front matter's pages that the back matter numbers", code="P005")
        # The index's links go to the text's pages (a unit anchors each of its pages: pressroom.units).
        where = {anchor: index for anchor, index in where.items()
                 if index in text_range or not anchor.startswith(page_anchor(""))}
        wanted_see = see_pages(book, where, numbers, see)
        wanted_scoped = scoped_cited_pages(book, where, numbers) if book.scoped_bibliographies else None
        if wanted_see == see and wanted_scoped == scoped:
            contents = _contents_numbers(book, where, numbers)
            layout = _settled(book, profile, None, laid_pages, numbers, where, contents, cited, index_refs, breaks,
                              tail_start, attempt, band, see, scoped)
            return replace(layout, units=tuple(laid_units), unit_html=tuple(unit_html))
        report("text: setting the cross-references' and the cited works' page numbers")
        see, scoped = wanted_see, wanted_scoped
    raise BuildError(f"the print layout did not settle in {MAX_PASSES} passes: setting the cross-references' "
                     "page numbers changes their length, and that moves the pages they number", code="P005")


def _unit_name(unit) -> str:
    """A unit as the progress names it: "chapter “Oil and Glass”", "part “Part One”", "the Notes"."""
    if unit.kind == "chapter":
        return f"chapter “{unit.chapter.title_text}”"
    if unit.kind == "part":
        return f"part “{unit.part.title}”"
    return "the Notes"


def _joined(laid_units):
    """The units' pages as one book: (anchor → page index, LaidPage of every page, page starts)."""
    from .pagination import LaidPage

    where: dict[str, int] = {}
    pages: list = []
    starts: list = []
    for laid in laid_units:
        for anchor, index in laid.anchors:
            where.setdefault(anchor, len(pages) + index)
        pages += [LaidPage(name, blank) for name, blank in laid.pages]
        starts += laid.starts
    return where, tuple(pages), starts


def cited_pages(book: m.Book, where: dict[str, int], labels: list[str], before: int) -> dict[str, list[tuple[str, str]]]:
    """For each bibliography entry, the pages (before index ``before``) that cite it, each once:
    [(page number, first citation id there)], in page order."""
    refs: dict[str, list[tuple[str, str]]] = {}
    for entry in book.bibliography:
        seen: dict[int, str] = {}
        for cite_id in entry.cited_by:
            index = where.get(cite_id)
            if index is not None and index < before:
                seen.setdefault(index, cite_id)
        refs[entry.id] = [(labels[i], cite_id) for i, cite_id in sorted(seen.items())]
    return refs


def scoped_cited_pages(book: m.Book, where: dict[str, int], numbers) -> dict[str, list[tuple[str, str]]]:
    """For each entry of a part's or chapter's bibliography ([bibliography] scope), the pages that cite
    it in its scope, each once: [(page number, first citation id there)], in page order. Its
    citations may stand after it (a note in the book's Notes)."""
    labels = [folio.label for folio in numbers]
    out: dict[str, list[tuple[str, str]]] = {}
    for bib in book.scoped_bibliographies:
        out.update(cited_pages(replace(book, bibliography=bib.entries), where, labels, len(labels)))
    return out


def page_ranges(locators: dict[str, list[tuple[str, str]]]) -> dict[str, list[tuple[str, str]]]:
    """Join consecutive arabic page numbers into ranges: [("12", a), ("13", b), ("14", c)] → [("12–14", a)]."""
    out = {}
    for key, items in locators.items():
        joined: list[list] = []
        for label, target in items:
            if joined and label.isdigit() and joined[-1][1].isdigit() and int(label) == int(joined[-1][1]) + 1:
                joined[-1][1] = label
            else:
                joined.append([label, label, target])
        out[key] = [(first if first == last else f"{first}\u2013{last}", target) for first, last, target in joined]
    return out


def index_pages(book: m.Book, breaks) -> dict[str, list[tuple[str, str]]]:
    """For each index entry and sub-entry, the pages its marks stand on, each once, consecutive ones
    as ranges, each linked to its page's anchor (:func:`page_anchor`).

    The pages are found from the text's page breaks, as the EPUB's are: the PDF's HTML has no anchors
    for the marks (see :func:`pressroom.adapters.weasyprint.without_index_marks`).
    """
    where = mark_pages(insert_page_breaks(book, list(breaks)))
    return page_ranges({key: [(label, page_anchor(label)) for label, _ in items]
                        for key, items in index_locators(book, where.get).items()})
