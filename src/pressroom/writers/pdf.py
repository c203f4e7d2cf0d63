"""Book model → print-ready PDF (``dist/<slug>.pdf``, or ``<slug>-screen.pdf``) with WeasyPrint.

The same templates (``parts.j2``) and base stylesheet as the EPUB, with the
``print.css`` layer and a profile layer (``pdf-print.css``: bleed and crop
marks; ``pdf-screen.css``: coloured links). One HTML document holds the whole
book: footnotes float to the foot of their page, running heads come from
``string-set``, the contents' page numbers from ``target-counter``.

The bibliography's "cited on pp." lists each page once. CSS cannot drop the
repeats that ``target-counter`` gives, so after laying out the book we read
on which page every citation landed, lay out the bibliography again alone
(a few pages, starting at the same page number) and put its pages in place of
the first layout's: the text before it cannot move.

WeasyPrint is imported here only, so an EPUB build never pays its import time.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import subprocess

from .. import model as m
from ..errors import UsageError
from ..html_render import HtmlRenderer
from ..templates import book_stylesheet, environment, index_locators, stylesheet
from . import WriteOptions, Written
from .epub import MADE_WITH

PROFILES = {"print": "pdf-print.css", "screen": "pdf-screen.css"}
BOOK_FONT = "EB Garamond"


def render_html(
    book: m.Book,
    profile: str = "print",
    mode: str = "book",
    page_refs: dict[str, list[tuple[str, str]]] | None = None,
    first_page: int = 0,
    only_chapter: m.Chapter | None = None,
    index_refs: dict[str, list[tuple[str, str]]] | None = None,
    toc_pages: dict[str, str] | None = None,
) -> str:
    """The book (or a part of it, by ``mode``) as one HTML document, exactly as WeasyPrint is given it.

    ``"book"``: everything in one document (the back matter's page lists as placeholders);
    ``"text"``: front matter and chapters, the back matter as headings only; ``"tail"``: the back
    matter alone, pages numbered from ``first_page``, the bibliography's "cited on" pages from
    ``page_refs`` and the index's from ``index_refs``; ``"front"``: the front matter alone, the
    contents' page numbers from ``toc_pages``; ``"chapter"``: ``only_chapter`` (the preview).
    """
    if profile not in PROFILES:
        raise UsageError(f"unknown PDF profile {profile!r}; expected one of: {', '.join(PROFILES)}")
    from pathlib import Path

    env = environment(book.root)

    def href(target: str) -> str:
        return f"#{target}"

    renderer = HtmlRenderer(href, footnotes="inline", asset=lambda path: (Path(book.root) / path).as_uri())
    css = "\n".join([*(stylesheet(name) for name in ("base.css", "print.css", PROFILES[profile])),
                     book_stylesheet(book.root)])
    return env.get_template("pdf/book.html.j2").render(
        book=book, meta=book.metadata, r=renderer, href=href, css=css, made_with=MADE_WITH,
        trim=book.settings.trim_size, mode="chapter" if only_chapter else mode, page_refs=page_refs,
        first_page=first_page, only_chapter=only_chapter,
        index_refs=index_refs if index_refs is not None else index_locators(book, lambda mark: None),
        toc_pages=toc_pages.get if toc_pages is not None else None,
    )


def font_installed(family: str = BOOK_FONT) -> bool:
    if not shutil.which("fc-list"):
        return False
    result = subprocess.run(["fc-list", f"{family}", "family"], capture_output=True, text=True, check=False)
    return bool(result.stdout.strip())


class _Progress(logging.Handler):
    """Passes WeasyPrint's progress log ("Step 5 - Creating layout - Page 12") to a callback."""

    def __init__(self, report):
        super().__init__(logging.INFO)
        self.report = report

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if " - " in message:
            message = message.split(" - ", 1)[1]
        self.report(message.replace(" - ", ", ").lower())


def first_pages(pages) -> dict[str, int]:
    """Anchor → index of the first page it stands on (an element split over pages is anchored on each)."""
    found: dict[str, int] = {}
    for index, page in enumerate(pages):
        for anchor in page.anchors:
            found.setdefault(anchor, index)
    return found


def page_labels(document, body_anchor: str) -> list[str]:
    """The printed folio of every page: roman before the body, arabic from 1 at ``body_anchor``."""
    start = next((i for i, page in enumerate(document.pages) if body_anchor in page.anchors), 0)
    return [_roman(i + 1) if i < start else str(i - start + 1) for i in range(len(document.pages))]


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                           (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out += letters
            n -= value
    return out


def cited_pages(book: m.Book, document, labels: list[str]) -> dict[str, list[tuple[str, str]]]:
    """For each bibliography entry, the pages that cite it, each once: [(folio, first citation id there)]."""
    page_of = first_pages(document.pages)
    refs: dict[str, list[tuple[str, str]]] = {}
    for entry in book.bibliography:
        seen: dict[int, str] = {}
        for cite_id in entry.cited_by:
            index = page_of.get(cite_id)
            if index is not None:
                seen.setdefault(index, cite_id)
        refs[entry.id] = [(labels[i], cite_id) for i, cite_id in sorted(seen.items())]
    return refs


def page_ranges(locators: dict[str, list[tuple[str, str]]]) -> dict[str, list[tuple[str, str]]]:
    """Join consecutive page numbers into ranges: [("12", a), ("13", b), ("14", c)] → [("12–14", a)]."""
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


def layout_key(html: str) -> str:
    from ..cache import digest

    return digest("page-map", html)


def _text_pages(book: m.Book, document) -> range:
    """The indexes of the text's pages: from the first chapter's opener to the back matter."""
    if not book.chapters:
        return range(0)
    start = next((i for i, p in enumerate(document.pages) if f"{book.chapters[0].id}-title" in p.anchors), 0)
    end = next((i for i, p in enumerate(document.pages) if {"bibliography", "index"} & set(p.anchors)),
               len(document.pages))
    return range(start, end)


def text_page_map(book: m.Book, document) -> list:
    """The page breaks of the text (from the first chapter to the back matter) in a laid-out document."""
    from ..pagemap import page_map

    pages = _text_pages(book, document)
    return page_map(document, _labels(book, document), pages.start, pages.stop) if pages else []


def _labels(book: m.Book, document) -> list[str]:
    first_body = next((c.id for c in book.chapters if c.matter != "front"), "")
    return page_labels(document, first_body or "bibliography" if book.bibliography else first_body or "index")


def print_page_map(book: m.Book, cache=None, report=lambda message: None) -> list:
    """The print edition's page breaks for the EPUB: from the cache if the text is unchanged, else laid out."""
    html = render_html(book, "print", mode="text")

    def compute() -> list:
        import weasyprint

        report("laying out the print edition for its page numbers")
        document = weasyprint.HTML(string=html, base_url=book.root).render()
        return text_page_map(book, document)

    if cache is None:
        return compute()
    return cache.files.get(("page-map", layout_key(html)), compute)


def page_anchor(label: str) -> str:
    """The anchor of a text page in the PDF (no id made from a title has a dot)."""
    return f"page.{label}"


def anchor_text_pages(book: m.Book, document) -> None:
    """Give every page of the text an anchor (``page_anchor`` of its folio), for the index's links."""
    labels = _labels(book, document)
    for index in _text_pages(book, document):
        document.pages[index].anchors.setdefault(page_anchor(labels[index]), (0, 0, 0, 0))


def index_pages(book: m.Book, breaks: list) -> dict[str, list[tuple[str, str]]]:
    """For each index entry and sub-entry, the pages its marks stand on, each once, consecutive ones
    as ranges, each linked to its page's anchor (see ``anchor_text_pages``).

    The pages are found from the text's page breaks, as the EPUB's are: the PDF's HTML has no anchors
    for the marks, which would cost WeasyPrint a sixth of the text's layout time.
    """
    from ..pagemap import insert_page_breaks, mark_pages

    where = mark_pages(insert_page_breaks(book, breaks))
    return page_ranges({key: [(label, page_anchor(label)) for label, _ in items]
                        for key, items in index_locators(book, where.get).items()})


def _lay_out(weasyprint, book: m.Book, options: WriteOptions):
    """Lay the book out in three passes, so the page numbers in it are all right and each listed once.

    1. front matter and text, the back matter as headings only (the text's pages are then final);
    2. the back matter alone, from the page where it starts, with the pages that cite each work and
       hold each index term (each once, consecutive ones as ranges);
    3. the front matter alone, with the contents' page numbers read off the combined pages.
    """
    html = render_html(book, options.profile, mode="text")
    document = weasyprint.HTML(string=html, base_url=book.root).render()
    breaks = None
    if options.cache is not None and options.profile == "print":
        # The EPUB's page-list comes from this layout: keep it, so the EPUB need not lay out again.
        breaks = options.cache.files.get(("page-map", layout_key(html)), lambda: text_page_map(book, document))
    tail_anchor = "bibliography" if book.bibliography else "index" if book.index else ""
    if not tail_anchor:
        return document
    labels = _labels(book, document)
    start = next(i for i, page in enumerate(document.pages) if tail_anchor in page.anchors)
    if book.index:
        anchor_text_pages(book, document)
    options.report("back matter: laying out the cited and indexed pages")
    tail_html = render_html(
        book, options.profile, mode="tail", first_page=int(labels[start]),
        page_refs=cited_pages(book, document, labels),
        index_refs=index_pages(book, breaks if breaks is not None else text_page_map(book, document)),
    )
    tail = weasyprint.HTML(string=tail_html, base_url=book.root).render()
    pages = document.pages[:start] + tail.pages
    first_tail = int(labels[start])
    final_labels = labels[:start] + [str(first_tail + k) for k in range(len(tail.pages))]
    where = {anchor: final_labels[i] for anchor, i in first_pages(pages).items()}
    body_start = next((i for i, label in enumerate(final_labels) if label.isdigit()), 0)
    options.report("front matter: setting the contents' page numbers")
    front = weasyprint.HTML(string=render_html(book, options.profile, mode="front", toc_pages=where),
                            base_url=book.root).render()
    # The front matter alone has no blank verso before the first chapter opener: keep the first
    # layout's (anchorless, blank) pages after it.
    rest = pages[len(front.pages):body_start]
    if len(front.pages) <= body_start and not any(page.anchors for page in rest):
        pages = front.pages + pages[len(front.pages):]
    else:
        options.report("warning: the contents changed length when its page numbers were set; "
                       "the contents keeps the numbers of the first layout")
    return document.copy(pages)


def warm_up() -> None:
    """What a writer process does before the book reaches it: import WeasyPrint (a third of a second)."""
    import weasyprint  # noqa: F401


def write_pdf(book: m.Book, modified: dt.datetime, options: WriteOptions = WriteOptions()) -> Written:
    import weasyprint

    report = options.report
    if not font_installed():
        report(f"warning: the book font {BOOK_FONT} is not installed, so the PDF falls back to another "
               "serif; install it with: apt-get install fonts-ebgaramond")
    handler = _Progress(report)
    progress = logging.getLogger("weasyprint.progress")
    progress.addHandler(handler)
    progress.setLevel(logging.INFO)
    try:
        document = _lay_out(weasyprint, book, options)
        meta = document.metadata
        meta.title = book.metadata.title + (f": {book.metadata.subtitle}" if book.metadata.subtitle else "")
        meta.authors = [book.metadata.author]
        meta.description = book.metadata.subtitle
        meta.keywords = list(book.metadata.subjects)
        meta.lang = book.metadata.language
        meta.created = meta.modified = modified.strftime("%Y-%m-%dT%H:%M:%SZ")
        meta.generator = "Pressroom"
        report(f"writing {len(document.pages)} pages")
        finisher = None
        if options.profile == "print":
            from ..print_marks import add_print_marks as finisher
        data = document.write_pdf(finisher=finisher)
    finally:
        progress.removeHandler(handler)
    suffix = "" if options.profile == "print" else f"-{options.profile}"
    return Written(data, f"{len(document.pages)} pages", suffix)
