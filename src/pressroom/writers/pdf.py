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
from ..errors import BuildError
from ..fonts import missing_glyphs
from ..printers import file_suffix
from . import WriteOptions, Written


def warm() -> None:
    """Import WeasyPrint (about 0.3 s) while the driver waits for pandoc (see :func:`pressroom.writers.warm`)."""
    from ..adapters.weasyprint import imported

    imported()


def write_pdf(book: m.Book, layout, options: WriteOptions = WriteOptions()) -> Written:
    """The PDF of ``book`` as ``layout`` (a :class:`pressroom.layout.Layout`) sets its pages."""
    from ..adapters.weasyprint import progress
    from ..layout import document_for
    from ..pagination import LaidPage, label_ranges
    from ..pdf_bytes import near_trim, pdf_bytes
    from ..printers import check_page_count, check_words, printer

    p = printer(options.profile)
    if layout is None:
        raise BuildError("the PDF writer needs the print layout of the book", code="B001")
    report = options.report
    for missing in missing_glyphs(book):
        report(missing)
    if layout.units:  # laid out by unit: each unit's PDF was written where it was laid out
        if not all(unit.pdf for unit in layout.units):
            raise BuildError("a unit of the print layout has no PDF of its own (a bug of Pressroom's)", code="B001")
        return _joined(book, layout, p, options)
    with progress(report):
        document = document_for(book, layout, p.name)
        check_page_count(p, len(document.pages))
        if p.pod:
            check_words(p, near_trim(document.pages, p.safe_mm))
        report(f"writing {len(document.pages)} pages")
        ranges = label_ranges(tuple(LaidPage(page.page, page.blank) for page in layout.pages))
        data = pdf_bytes(document, book.metadata, p.name, options.modified, ranges)
    suffix = file_suffix(p.name)
    return Written({f"{book.metadata.slug}{suffix}.pdf": data}, f"{len(document.pages)} pages")


def _joined(book: m.Book, layout, p, options: WriteOptions) -> Written:
    """The PDF of a book laid out by unit (pressroom.units): the units' PDFs, written for this profile
    where they were laid out, joined into one (pressroom.adapters.pdf_join)."""
    from ..adapters.pdf_join import join
    from ..pagination import LaidPage, label_ranges
    from ..printers import check_page_count, check_words

    count = len(layout.pages)
    check_page_count(p, count)
    near, bookmarks, owners, offset = [], [], [], 0
    for unit in layout.units:
        near += [(offset + index, text, distance) for index, text, distance in unit.near_trim]
        bookmarks += [(level, label, offset + page, x, y, state) for level, label, page, x, y, state in unit.bookmarks]
        owners.append(frozenset(anchor for anchor, _ in unit.anchors))
        offset += len(unit.pages)
    if p.pod:
        check_words(p, near)
    options.report(f"joining the PDFs of {len(layout.units)} units")
    options.report(f"writing {count} pages")
    ranges = label_ranges(tuple(LaidPage(page.page, page.blank) for page in layout.pages))
    data = join([unit.pdf for unit in layout.units], owners=owners, bookmarks=bookmarks if p.links else [],
                 page_labels=ranges, run=options.run)
    suffix = file_suffix(p.name)
    return Written({f"{book.metadata.slug}{suffix}.pdf": data}, f"{count} pages")
