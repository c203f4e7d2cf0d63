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
from ..templates import book_stylesheet, environment, stylesheet
from . import WriteOptions, Written
from .epub import MADE_WITH

PROFILES = {"print": "pdf-print.css", "screen": "pdf-screen.css"}
BOOK_FONT = "EB Garamond"


def render_html(
    book: m.Book,
    profile: str = "print",
    bibliography_only: bool = False,
    page_refs: dict[str, list[tuple[str, str]]] | None = None,
    first_page: int = 0,
    only_chapter: m.Chapter | None = None,
) -> str:
    """The book as one HTML document, exactly as WeasyPrint is given it.

    With ``bibliography_only``, just the bibliography, its pages numbered from
    ``first_page`` and its "cited on" pages from ``page_refs``; with
    ``only_chapter``, just that chapter (the preview's print view).
    """
    if profile not in PROFILES:
        raise UsageError(f"unknown PDF profile {profile!r}; expected one of: {', '.join(PROFILES)}")
    env = environment(book.root)

    def href(target: str) -> str:
        return f"#{target}"

    from pathlib import Path

    renderer = HtmlRenderer(href, footnotes="inline", asset=lambda path: (Path(book.root) / path).as_uri())
    css = "\n".join([*(stylesheet(name) for name in ("base.css", "print.css", PROFILES[profile])),
                     book_stylesheet(book.root)])
    return env.get_template("pdf/book.html.j2").render(
        book=book, meta=book.metadata, r=renderer, href=href, css=css, made_with=MADE_WITH,
        trim=book.settings.trim_size, bibliography_only=bibliography_only, page_refs=page_refs,
        first_page=first_page, only_chapter=only_chapter,
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
    page_of = {}
    for index, page in enumerate(document.pages):
        for anchor in page.anchors:
            page_of[anchor] = index
    refs: dict[str, list[tuple[str, str]]] = {}
    for entry in book.bibliography:
        seen: dict[int, str] = {}
        for cite_id in entry.cited_by:
            index = page_of.get(cite_id)
            if index is not None:
                seen.setdefault(index, cite_id)
        refs[entry.id] = [(labels[i], cite_id) for i, cite_id in sorted(seen.items())]
    return refs


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
        html = render_html(book, options.profile)
        document = weasyprint.HTML(string=html, base_url=book.root).render()
        first_body = next((c.id for c in book.chapters if c.matter != "front"), "")
        if book.bibliography:
            labels = page_labels(document, first_body or "bibliography")
            start = next(i for i, page in enumerate(document.pages) if "bibliography" in page.anchors)
            report("bibliography: laying out the cited pages")
            alone = render_html(book, options.profile, bibliography_only=True,
                                page_refs=cited_pages(book, document, labels), first_page=int(labels[start]))
            tail = weasyprint.HTML(string=alone, base_url=book.root).render()
            document = document.copy(document.pages[:start] + tail.pages)
        meta = document.metadata
        meta.title = book.metadata.title + (f": {book.metadata.subtitle}" if book.metadata.subtitle else "")
        meta.authors = [book.metadata.author]
        meta.description = book.metadata.subtitle
        meta.keywords = list(book.metadata.subjects)
        meta.lang = book.metadata.language
        meta.created = meta.modified = modified.strftime("%Y-%m-%dT%H:%M:%SZ")
        meta.generator = "Pressroom"
        report(f"writing {len(document.pages)} pages")
        data = document.write_pdf()
    finally:
        progress.removeHandler(handler)
    suffix = "" if options.profile == "print" else f"-{options.profile}"
    return Written(data, f"{len(document.pages)} pages", suffix)
