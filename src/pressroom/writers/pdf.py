"""The print layout → a PDF for where it goes (``<slug>.pdf`` for the proof, else
``<slug>-<profile>.pdf``) with WeasyPrint.

The pages are the print layout stage's (:mod:`pressroom.layout`): the laid-out document itself when
the stage ran in this process, else laid out again from its data. This writer gives the PDF its
metadata (document information and an XMP packet, :mod:`pressroom.xmp`), its ``/PageLabels`` (the printed folios, from :mod:`pressroom.pagination`) and what the
profile's printer asks (:mod:`pressroom.printers`): crop and registration marks in the bleed, no
links or outline, whole fonts, PDF/X with an output intent (:mod:`pressroom.adapters.pydyf`). Before
writing, a printer's profile refuses a page count it does not print and a word nearer the trim than
it allows.
"""

from __future__ import annotations


from .. import model as m
from ..contributors import authors
from ..errors import BuildError, finding
from ..fonts import missing_glyphs
from ..printers import file_suffix
from . import WriteOptions, Written


def warm() -> None:
    """Import WeasyPrint (about 0.3 s) while the driver waits for pandoc (see :func:`pressroom.writers.warm`)."""
    import weasyprint  # noqa: F401


def write_pdf(book: m.Book, layout, options: WriteOptions = WriteOptions()) -> Written:
    """The PDF of ``book`` as ``layout`` (a :class:`pressroom.layout.Layout`) sets its pages."""
    from ..adapters import pydyf as finishers
    from ..adapters.weasyprint import progress
    from ..layout import document_for
    from ..pagination import LaidPage, label_ranges
    from ..printers import check_page_count, printer
    from ..xmp import xmp_packet

    p = printer(options.profile)
    if layout is None:
        raise BuildError("the PDF writer needs the print layout of the book", code="B001")
    report = options.report
    for missing in missing_glyphs(book):
        report(missing)
    with progress(report):
        document = document_for(book, layout, p.name)
        check_page_count(p, len(document.pages))
        if p.pod:
            _check_words(p, document)
        meta = document.metadata
        meta.title = book.metadata.title + (f": {book.metadata.subtitle}" if book.metadata.subtitle else "")
        meta.authors = list(authors(book.metadata))
        meta.description = book.metadata.description or book.metadata.subtitle  # the XMP's dc:description
        meta.keywords = list(book.metadata.subjects)
        meta.lang = book.metadata.language
        meta.created = meta.modified = options.modified.strftime("%Y-%m-%dT%H:%M:%SZ")
        meta.generator = "Pressroom"
        report(f"writing {len(document.pages)} pages")
        ranges = label_ranges(tuple(LaidPage(page.page, page.blank) for page in layout.pages))
        steps = [lambda document, pdf: finishers.add_page_labels(pdf, ranges),
                 finishers.set_xmp(lambda existing: xmp_packet(book.metadata, options.modified, existing))]
        if p.pdf_variant:
            steps.append(finishers.scope_table_headers)
        if p.full_fonts:
            steps.append(finishers.complete_unicode_maps)
        if p.marks:
            steps.append(finishers.add_print_marks)
        if not p.links:
            steps.append(finishers.without_links_and_outline)
        if p.output_intent:
            intent = p.output_intent
            steps.append(finishers.add_output_intent(intent.identifier, intent.condition, intent.registry))
        data = document.write_pdf(finisher=finishers.finisher(*steps), pdf_variant=p.pdf_variant,
                                  full_fonts=p.full_fonts)
    suffix = file_suffix(p.name)
    return Written({f"{book.metadata.slug}{suffix}.pdf": data}, f"{len(document.pages)} pages")


PX_MM = 25.4 / 96  # a CSS px in mm


def _check_words(p, document) -> None:
    """Refuse a laid-out document with text nearer the trim than the printer's safe distance."""
    from ..adapters.weasyprint import text_boxes
    from ..printers import check_words

    near = []
    for index, page in enumerate(document.pages):
        width, height = page.width, page.height
        for text, x0, y0, x1, y1 in text_boxes(page):
            distance = min(x0, y0, width - x1, height - y1) * PX_MM
            if distance < p.safe_mm:
                near.append((index, text.strip(), distance))
    check_words(p, near)
