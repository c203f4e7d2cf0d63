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

from pathlib import Path

from .. import model as m
from ..errors import BuildError, ConfigError
from . import WriteOptions, Written


def sheet_of(book: m.Book, pages: int, profile: str):
    """The cover sheet of ``book`` with ``pages`` pages for ``profile``'s printer: K001 for a profile
    without cover rules, K003 for a page count the printer does not bind (both at their book.toml line)."""
    from ..config import setting_location
    from ..cover_rules import cover_rules
    from ..cover_sheet import cover_sheet
    from ..printers import MM_PER_IN, printer
    from ..trim import trim_points

    root = Path(book.root)
    where = setting_location(root, "print", "profile")
    cover_rules(profile, where)
    p = printer(profile)
    if p.pages and not p.pages[0] <= pages <= p.pages[1]:
        raise ConfigError(f"the book has {pages} pages, and its cover cannot be made for {p.title}: {p.pages_rule}",
                          where, code="K003")
    points = trim_points(book.settings.trim_size)
    trim_mm = (points[0] * MM_PER_IN / 72, points[1] * MM_PER_IN / 72)
    return cover_sheet(profile, trim_mm, book.settings.paper, pages)


def write_cover(book: m.Book, layout, options: WriteOptions = WriteOptions()) -> Written:
    """The cover PDFs of ``book`` for ``layout`` (a :class:`pressroom.layout.Layout`: its page count)."""
    from ..adapters import weasyprint as wp
    from ..cover_html import cover_html, front_image

    if layout is None:
        raise BuildError("the cover writer needs the print layout of the book (its page count)", code="B001")
    sheet = sheet_of(book, len(layout.pages), options.profile)
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
            files[name] = document.write_pdf()
    spine = f"spine {sheet.spine:.2f} mm" + ("" if sheet.spine_text else " (no text)")
    return Written(files, f"{sheet.pages} pages, {sheet.paper} paper, {spine}, "
                          f"{sheet.width:.1f} × {sheet.height:.1f} mm")
