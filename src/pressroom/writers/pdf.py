"""Book model → print-ready PDF (``dist/<slug>.pdf``) with WeasyPrint.

The same templates (``parts.j2``) and base stylesheet as the EPUB, with the
``print.css`` layer: one HTML document for the whole book, footnotes floated
to the foot of their page, running heads from ``string-set``, the contents and
the bibliography's "cited on" pages from ``target-counter``.

WeasyPrint is imported here only, so an EPUB build never pays its import time.
"""

from __future__ import annotations

import datetime as dt

from .. import model as m
from ..html_render import HtmlRenderer
from ..templates import environment, stylesheet
from .epub import MADE_WITH


def render_html(book: m.Book) -> str:
    """The whole book as one HTML document, exactly as WeasyPrint is given it."""
    env = environment(book.root)

    def href(target: str) -> str:
        return f"#{target}"

    renderer = HtmlRenderer(href, footnotes="inline")
    css = stylesheet("base.css") + "\n" + stylesheet("print.css")
    return env.get_template("pdf/book.html.j2").render(
        book=book, meta=book.metadata, r=renderer, href=href, css=css, made_with=MADE_WITH,
        trim=book.settings.trim_size,
    )


def write_pdf(book: m.Book, modified: dt.datetime) -> bytes:
    import weasyprint

    html = render_html(book)
    document = weasyprint.HTML(string=html, base_url=book.root).render()
    meta = document.metadata
    meta.title = book.metadata.title + (f": {book.metadata.subtitle}" if book.metadata.subtitle else "")
    meta.authors = [book.metadata.author]
    meta.description = book.metadata.subtitle
    meta.lang = book.metadata.language
    stamp = modified.strftime("%Y-%m-%dT%H:%M:%SZ")
    meta.created = meta.modified = stamp
    meta.generator = "Pressroom"
    return document.write_pdf(uncompressed_pdf=False)
