"""A laid-out WeasyPrint document → the bytes of its PDF for a profile: one definition, used by the PDF
writer (the book as one document) and by the units of a book laid out by unit
(:mod:`pressroom.units`: each unit's PDF, joined by :mod:`pressroom.adapters.pdf_join`).

The PDF gets its metadata (document information and an XMP packet, :mod:`pressroom.xmp`), its
``/PageLabels`` when given (the printed folios, from :mod:`pressroom.pagination`) and what the
profile's printer asks (:mod:`pressroom.printers`): crop and registration marks in the bleed, no links
or outline, whole fonts, PDF/X with an output intent (:mod:`pressroom.adapters.pydyf`).
"""

from __future__ import annotations

import datetime as dt

from . import model as m
from .contributors import authors

PX_MM = 25.4 / 96  # a CSS px in mm


def pdf_bytes(document, meta: m.Metadata, profile: str, modified: dt.datetime,
              ranges: tuple[tuple[int, str, int], ...] | None) -> bytes:
    """The PDF of ``document`` for ``profile``; ``ranges``: its /PageLabels (None: none, a unit's)."""
    from .adapters import pydyf as finishers
    from .printers import printer
    from .xmp import xmp_packet

    p = printer(profile)
    info = document.metadata
    info.title = meta.title + (f": {meta.subtitle}" if meta.subtitle else "")
    info.authors = list(authors(meta))
    info.description = meta.description or meta.subtitle  # the XMP's dc:description
    info.keywords = list(meta.subjects)
    info.lang = meta.language
    info.created = info.modified = modified.strftime("%Y-%m-%dT%H:%M:%SZ")
    info.generator = "Pressroom"
    steps = [] if ranges is None else [lambda document, pdf: finishers.add_page_labels(pdf, ranges)]
    steps.append(finishers.set_xmp(lambda existing: xmp_packet(meta, modified, existing)))
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
    return document.write_pdf(finisher=finishers.finisher(*steps), pdf_variant=p.pdf_variant,
                              full_fonts=p.full_fonts)


def near_trim(pages, safe_mm: float) -> list[tuple[int, str, float]]:
    """(page index, text, distance in mm) of every text box of the laid-out ``pages`` nearer the trim
    than ``safe_mm`` (a printer's safe distance: :func:`pressroom.printers.check_words` refuses them)."""
    from .adapters.weasyprint import text_boxes

    near = []
    for index, page in enumerate(pages):
        width, height = page.width, page.height
        for text, x0, y0, x1, y1 in text_boxes(page):
            distance = min(x0, y0, width - x1, height - y1) * PX_MM
            if distance < safe_mm:
                near.append((index, text.strip(), distance))
    return near
