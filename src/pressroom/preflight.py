"""A printer profile's preflight of a built PDF, read back as the printer's own checks would.

``preflight_pdf(path, printer)`` → findings, for what :mod:`pressroom.printers` says the printer
refuses or requires (the words' distance from the trim is checked when the PDF is built: P012):

| code | what |
| ---- | ---- |
| P013 | bleed (and so room for marks) where the printer wants the page to be the trim, since nothing bleeds |
| P014 | annotations (links) or an outline where the printer refuses them |
| P015 | no PDF/X declaration, or no output intent, where the printer asks for PDF/X |
| P016 | an RGB colour in a page where the printer asks for text in 100 % K |
"""

from __future__ import annotations

import re
from pathlib import Path

from .errors import Finding
from .printers import Printer

_RGB = re.compile(rb"(?:^|\s)(?:[\d.]+\s+){3}(?:rg|RG)\b|/DeviceRGB")


def preflight_pdf(path: Path, p: Printer) -> list[Finding]:
    """The findings of ``p``'s preflight on the PDF at ``path`` (none for a profile with no printer rules)."""
    import pypdf

    if not p.pod:
        return []
    name = path.name
    reader = pypdf.PdfReader(path)
    out: list[Finding] = []

    def add(code: str, message: str) -> None:
        out.append(Finding(code, "error", name, 0, message))

    bleeding = [n for n, page in enumerate(reader.pages, 1)
                if tuple(map(float, page.mediabox)) != tuple(map(float, page.trimbox))]
    if bleeding:
        add("P013", f"{len(bleeding)} page(s) larger than the trim (from page {bleeding[0]}): {p.title} wants "
                    f"bleed {p.bleed}, and no crop or registration marks")
    if not p.links:
        annotated = [n for n, page in enumerate(reader.pages, 1) if page.get("/Annots")]
        if annotated:
            add("P014", f"{len(annotated)} page(s) carry annotations (from page {annotated[0]}): {p.title} "
                        "refuses annotations")
        if "/Outlines" in reader.trailer["/Root"]:
            add("P014", f"the PDF has an outline (bookmarks): {p.title} refuses it")
    if p.pdf_variant and p.pdf_variant.startswith("pdf/x"):
        info = reader.trailer.get("/Info", {})
        if not str(info.get("/GTS_PDFXConformance", "")).startswith("PDF/X"):
            add("P015", f"the PDF is not declared PDF/X: {p.title} asks for PDF/X-1a")
        if not reader.trailer["/Root"].get("/OutputIntents"):
            add("P015", f"the PDF has no output intent: {p.title} asks for PDF/X-1a, which requires one")
    if p.text_k:
        coloured = [n for n, page in enumerate(reader.pages, 1) if _RGB.search(page.get_contents().get_data())]
        if coloured:
            add("P016", f"{len(coloured)} page(s) set an RGB colour (from page {coloured[0]}): {p.title} asks "
                        "for text in 100 % K")
    return out
