"""``check`` of a cover PDF against the interior PDF built with it: the sheet's size from the
interior's page count (K004), every image printed at 300 ppi or more (K002), and every character
inside a safe area, none across a fold (K005).

``check_cover(cover_pdf, interior_pdf, book, profile)`` → findings. The expected sheet is
:func:`pressroom.cover_sheet.book_sheet` of the interior's page count as read from its PDF; the
characters are read back from the cover PDF with PDFium (their boxes after every transform, so the
spine's turned text too). The front image's resolution is refused when the cover is built (K002).
"""

from __future__ import annotations

from pathlib import Path

from . import model as m
from .errors import Finding, Location, finding

TOLERANCE_MM = 0.5  # the sheet's size may differ by this much (a printer's template rounds to 0.01 in)
PT_MM = 25.4 / 72


def sheet_size(path: Path) -> tuple[float, float]:
    """The first page's media box, in mm."""
    import pypdf

    box = pypdf.PdfReader(path).pages[0].mediabox
    return float(box.width) * PT_MM, float(box.height) * PT_MM


def page_count(path: Path) -> int:
    import pypdf

    return len(pypdf.PdfReader(path).pages)


def characters(path: Path) -> list[tuple[str, float, float, float, float]]:
    """(character, x0, y0, x1, y1) in mm from the sheet's top left, for each non-blank character."""
    import pypdfium2

    pdf = pypdfium2.PdfDocument(path)
    try:
        page = pdf[0]
        height = page.get_height()
        text = page.get_textpage()
        found = []
        for i in range(text.count_chars()):
            char = text.get_text_range(i, 1)
            if not char.strip():
                continue
            left, bottom, right, top = text.get_charbox(i)
            found.append((char, left * PT_MM, (height - top) * PT_MM, right * PT_MM, (height - bottom) * PT_MM))
        return found
    finally:
        pdf.close()


def images(path: Path) -> list[tuple[tuple[int, int], tuple[float, float, float, float]]]:
    """(pixels, (x0, y0, x1, y1) in mm from the sheet's top left) of each image drawn on the cover."""
    import pypdfium2
    import pypdfium2.raw as pdfium_c

    pdf = pypdfium2.PdfDocument(path)
    try:
        page = pdf[0]
        height = page.get_height()
        found = []
        for image in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_IMAGE]):
            left, bottom, right, top = image.get_bounds()
            found.append((tuple(image.get_px_size()),
                          (left * PT_MM, (height - top) * PT_MM, right * PT_MM, (height - bottom) * PT_MM)))
        return found
    finally:
        pdf.close()


def check_cover(cover_pdf: Path, interior_pdf: Path, book: m.Book, profile: str) -> list[Finding]:
    """The cover's findings: K004 when its size is not the sheet the interior's page count makes,
    K002 for an image printed below 300 ppi, K005 for characters outside the safe areas or across a fold (the first named, the count given)."""
    from .cover_sheet import book_sheet

    where = Location(cover_pdf.name)
    pages = page_count(interior_pdf)
    sheet = book_sheet(book, pages, profile)
    width, height = sheet_size(cover_pdf)
    findings = []
    if abs(width - sheet.width) > TOLERANCE_MM or abs(height - sheet.height) > TOLERANCE_MM:
        findings.append(finding("K004", where, f"the cover is {width:.1f} × {height:.1f} mm, but the interior's "
                                f"{pages} pages on {sheet.paper} paper make a sheet of {sheet.width:.1f} × "
                                f"{sheet.height:.1f} mm (spine {sheet.spine:.2f} mm: {sheet.rules.spine_rule}); "
                                "build the cover again with the interior"))
        return findings  # the places below are measured on the sheet the interior makes
    from .cover_html import MIN_PPI

    for (px_w, px_h), (x0, y0, x1, y1) in images(cover_pdf):
        ppi = min(px_w / ((x1 - x0) / 25.4), px_h / ((y1 - y0) / 25.4))
        if ppi < MIN_PPI - 0.5:
            findings.append(finding("K002", where, f"an image of {px_w}×{px_h} px is printed {x1 - x0:.1f}×"
                                    f"{y1 - y0:.1f} mm at ({x0:.1f}, {y0:.1f}) mm: {ppi:.0f} ppi; a printed cover "
                                    f"needs at least {MIN_PPI} ppi"))
    areas = sheet.safe_areas()
    outside = [(c, box) for c, *box in characters(cover_pdf) if not any(a.holds(*box) for a in areas)]
    if outside:
        char, (x0, y0, x1, y1) = outside[0]
        across = [x for x in sheet.folds if x0 < x < x1]
        what = f"crosses the fold at {across[0]:.1f} mm" if across else "stands outside the safe area"
        findings.append(finding("K005", where, f"{len(outside)} character(s) of the cover's text are not where "
                                f"the printer can keep them: the first, {char!r} at ({x0:.1f}, {y0:.1f}) mm, {what}; "
                                f"{sheet.rules.safe_rule}; spine text {sheet.rules.spine_clear_in} in clear of each "
                                "fold (a blurb or title too long for its panel?)"))
    return findings
