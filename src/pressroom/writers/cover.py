"""The print layout's page count → the paperback's cover: ``<slug>-cover.pdf`` (for the printer) and
``<slug>-cover-proof.pdf`` (the same with its guides: trim, folds, safe areas, barcode box), with
WeasyPrint.

The sheet (:mod:`pressroom.cover_sheet`) is sized by the printer of the profile (KDP, IngramSpark,
Lulu; :mod:`pressroom.cover_rules`) from the page count of the print layout the driver made for this
run (the same layout the PDF writer prints, so the book is laid out once) and ``[print] paper``; the
HTML comes from :mod:`pressroom.cover_html`. A page count outside what the printer binds is refused
(K003) before anything is drawn.
"""

from __future__ import annotations

from .. import model as m
from ..errors import BuildError
from . import WriteOptions, Written


def write_cover(book: m.Book, layout, options: WriteOptions = WriteOptions()) -> Written:
    """The cover PDFs of ``book`` for ``layout`` (a :class:`pressroom.layout.Layout`: its page count)."""
    from ..adapters import pydyf as finishers
    from ..adapters import weasyprint as wp
    from ..cover_html import cover_html, front_image
    from ..cover_sheet import book_sheet
    from ..trim import UNITS

    if layout is None:
        raise BuildError("the cover writer needs the print layout of the book (its page count)", code="B001")
    sheet = book_sheet(book, len(layout.pages), options.profile)
    front = front_image(book, sheet, options.run)
    slug = book.metadata.slug
    files = {}
    for name, guides in ((f"{slug}-cover.pdf", False), (f"{slug}-cover-proof.pdf", True)):
        with wp.progress(options.report):
            document = wp.render(cover_html(book, sheet, front, guides), book.root)
            meta = document.metadata
            meta.title = f"{book.metadata.title}: cover" + (" (proof with guides)" if guides else "")
            meta.authors = [book.metadata.author]
            meta.lang = book.metadata.language
            meta.created = meta.modified = options.modified.strftime("%Y-%m-%dT%H:%M:%SZ")
            meta.generator = "Pressroom"
            files[name] = document.write_pdf(finisher=finishers.trim_inside(sheet.bleed * UNITS["mm"]))
    spine = f"spine {sheet.spine:.2f} mm" + ("" if sheet.spine_text else " (no text)")
    return Written(files, f"{sheet.pages} pages, {sheet.paper} paper, {spine}, "
                          f"{sheet.width:.1f} × {sheet.height:.1f} mm")
