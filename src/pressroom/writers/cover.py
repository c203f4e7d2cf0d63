"""The print layout's page count → the paperback's cover: ``<slug>-cover.pdf`` (for the printer) and
``<slug>-cover-proof.pdf`` (the same with its guides: trim, folds, safe areas, barcode box), with
WeasyPrint.

The sheet (:mod:`pressroom.cover_sheet`) is sized by the printer of the profile (KDP, IngramSpark,
Lulu; :mod:`pressroom.cover_rules`) from the page count of the print layout the driver made for this
run (the same layout the PDF writer prints, so the book is laid out once) and ``[print] paper``; the
HTML comes from :mod:`pressroom.cover_html`. A page count outside what the printer binds is refused
(K003) before anything is drawn.

For a printer that takes no RGB (IngramSpark: PDF/X-1a, CMYK only), both files are written as the
interior is: the profile's PDF/X variant and output intent (:mod:`pressroom.printers`, the same
finisher), every colour and image separated (:mod:`pressroom.cover_html`). The proof is too: it is the
printed file with guides over it, so the author sees the colours the press gets, and a preflight of
the proof finds what it would find in the cover.
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
    from ..printers import printer
    from ..trim import UNITS

    if layout is None:
        raise BuildError("the cover writer needs the print layout of the book (its page count)", code="B001")
    sheet = book_sheet(book, len(layout.pages), options.profile)
    front = front_image(book, sheet, options.run)
    p = printer(options.profile)
    steps = [finishers.trim_inside(sheet.bleed * UNITS["mm"])]
    if p.cmyk and p.output_intent:
        intent = p.output_intent
        steps.append(finishers.add_output_intent(intent.identifier, intent.condition, intent.registry))
    variant = p.pdf_variant if p.cmyk else None
    slug = book.metadata.slug
    files = {}
    for name, guides in ((f"{slug}-cover.pdf", False), (f"{slug}-cover-proof.pdf", True)):
        with wp.progress(options.report):
            document = wp.render(cover_html(book, sheet, front, guides, options.run), book.root)
            meta = document.metadata
            meta.title = f"{book.metadata.title}: cover" + (" (proof with guides)" if guides else "")
            meta.authors = [book.metadata.author]
            meta.lang = book.metadata.language
            meta.created = meta.modified = options.modified.strftime("%Y-%m-%dT%H:%M:%SZ")
            meta.generator = "Pressroom"
            files[name] = document.write_pdf(finisher=finishers.finisher(*steps), pdf_variant=variant)
    spine = f"spine {sheet.spine:.2f} mm" + ("" if sheet.spine_text else " (no text)")
    return Written(files, f"{sheet.pages} pages, {sheet.paper} paper, {spine}, "
                          f"{sheet.width:.1f} × {sheet.height:.1f} mm")
