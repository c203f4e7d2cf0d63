"""Reading a built PDF back the way a printer's preflight does: boxes, annotations, outline, words."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

MM = 72 / 25.4  # points per mm
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">')


def words_by_page(pdf: Path) -> list[list[tuple[str, float, float, float, float]]]:
    """Every word of every page, with its box in points from the media box's top left (pdftotext -bbox)."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for chunk in html.split("<page ")[1:]:
        pages.append([(w[4], float(w[0]), float(w[1]), float(w[2]), float(w[3])) for w in _WORD.findall(chunk)])
    return pages


def nearest_to_trim(pdf: Path) -> tuple[float, str, int]:
    """(distance in mm, word, page number) of the word nearest any trim edge, against each page's TrimBox."""
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    nearest = (float("inf"), "", 0)
    for number, (page, words) in enumerate(zip(reader.pages, words_by_page(pdf)), 1):
        media, trim = page.mediabox, page.trimbox
        # pdftotext measures from the media box's top left; the trim box in PDF space (y up).
        left = float(trim.left) - float(media.left)
        top = float(media.top) - float(trim.top)
        right = left + float(trim.width)
        bottom = top + float(trim.height)
        for text, x0, y0, x1, y1 in words:
            distance = min(x0 - left, y0 - top, right - x1, bottom - y1) / MM
            if distance < nearest[0]:
                nearest = (distance, text, number)
    return nearest


def nested_links(pdf: Path) -> int:
    """How many Link structure elements stand inside another Link in the PDF's structure tree (PDF/UA
    wants none: WeasyPrint makes them for generated content inside a link, Kozea/WeasyPrint#2482)."""
    import pikepdf

    with pikepdf.open(pdf) as document:
        count, seen = 0, set()
        stack = [(document.Root.StructTreeRoot, False)]
        while stack:  # the structure tree is the PDF's, not the book model: no walk.py here
            node, in_link = stack.pop()
            if node.objgen in seen and node.objgen != (0, 0):
                continue
            seen.add(node.objgen)
            is_link = str(node.get("/S", "")) == "/Link"
            count += is_link and in_link
            kids = node.get("/K")
            kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
            stack += [(kid, in_link or is_link) for kid in kids if isinstance(kid, pikepdf.Dictionary) and "/S" in kid]
        return count
