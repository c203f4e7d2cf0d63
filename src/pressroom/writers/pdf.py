"""The print layout → a print-ready PDF (``<slug>.pdf``, or ``<slug>-screen.pdf``) with WeasyPrint.

The pages are the print layout stage's (:mod:`pressroom.layout`): the laid-out document itself when
the stage ran in this process, else laid out again from its data. This writer gives the PDF its
metadata, its ``/PageLabels`` (the printed folios, from :mod:`pressroom.pagination`) and, in the
"print" profile, crop and registration marks in the bleed (:mod:`pressroom.adapters.pydyf`).
"""

from __future__ import annotations

import shutil
import subprocess

from .. import model as m
from ..errors import BuildError, finding
from . import WriteOptions, Written

BOOK_FONT = "EB Garamond"


def font_installed(family: str = BOOK_FONT) -> bool:
    if not shutil.which("fc-list"):
        return False
    result = subprocess.run(["fc-list", f"{family}", "family"], capture_output=True, text=True, check=False)
    return bool(result.stdout.strip())


def write_pdf(book: m.Book, layout, options: WriteOptions = WriteOptions()) -> Written:
    """The PDF of ``book`` as ``layout`` (a :class:`pressroom.layout.Layout`) sets its pages."""
    from ..adapters import pydyf as finishers
    from ..adapters.weasyprint import progress
    from ..layout import document_for
    from ..pagination import LaidPage, label_ranges
    from ..print_html import check_profile

    check_profile(options.profile)
    if layout is None:
        raise BuildError("the PDF writer needs the print layout of the book", code="B001")
    report = options.report
    if not font_installed():
        report(finding("B002", None, f"the book font {BOOK_FONT} is not installed, so the PDF falls back to "
                       "another serif; install it with: apt-get install fonts-ebgaramond", "warning"))
    with progress(report):
        document = document_for(book, layout, options.profile)
        meta = document.metadata
        meta.title = book.metadata.title + (f": {book.metadata.subtitle}" if book.metadata.subtitle else "")
        meta.authors = [book.metadata.author]
        meta.description = book.metadata.subtitle
        meta.keywords = list(book.metadata.subjects)
        meta.lang = book.metadata.language
        meta.created = meta.modified = options.modified.strftime("%Y-%m-%dT%H:%M:%SZ")
        meta.generator = "Pressroom"
        report(f"writing {len(document.pages)} pages")
        ranges = label_ranges(tuple(LaidPage(page.page, page.blank) for page in layout.pages))
        steps = [lambda document, pdf: finishers.add_page_labels(pdf, ranges)]
        if options.profile == "print":
            steps.append(finishers.add_print_marks)
        data = document.write_pdf(finisher=finishers.finisher(*steps))
    suffix = "" if options.profile == "print" else f"-{options.profile}"
    return Written({f"{book.metadata.slug}{suffix}.pdf": data}, f"{len(document.pages)} pages")
