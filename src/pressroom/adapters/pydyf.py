"""pydyf finishers: what WeasyPrint's PDF lacks, or makes slowly, added to its pydyf document as
it is written (``write_pdf(finisher=...)``). Written for pydyf 0.13.0 under WeasyPrint 70.0
(``WRITTEN_FOR``).

- :func:`add_page_labels`: WeasyPrint writes no ``/PageLabels``, so a viewer's "page 1" is the
  half-title. The ranges come from :func:`pressroom.pagination.label_ranges`, so the viewer shows
  the printed folios. pydyf rather than pikepdf: the catalog is at hand while WeasyPrint writes,
  so nothing is parsed and written a second time, and no library is added.
- :func:`add_print_marks`: crop and registration marks in the bleed. WeasyPrint can draw these
  itself (``@page { marks: crop cross }``), but it does so by building, parsing and painting an
  SVG image on every page: about a twelfth of our whole PDF build (measured with cProfile on the
  sample book: 1.7 s of 19.7 s profiled, 15 ms a page). The marks are the same few lines on every
  page of a size, so here they are one small content stream, written once per page size and
  shared by every page. The drawing follows WeasyPrint's: at each corner two lines along the trim
  edges in the outer half of the bleed, and a registration target (a circle and a cross) at the
  middle of each edge, centred in the bleed. No library draws printer's marks into an existing PDF.
- :func:`without_links_and_outline`: WeasyPrint always writes the links as annotations and the
  headings as an outline (``bookmark-level: none`` on every heading would also drop the PDF/UA
  structure's use of them); a printer that refuses both gets a PDF with neither.
- :func:`scope_table_headers`: WeasyPrint tags a ``<th>`` as ``/TH`` and ties data cells to it by
  ``/Headers`` and ``/ID``, but reads ``scope`` only for row headers and never writes ``/Scope``;
  PDF/UA checkers (and screen readers that ignore ``/Headers``) want the scope on the header.
- :func:`set_xmp`: WeasyPrint writes an XMP packet only for a PDF/A, PDF/UA or PDF/X variant, and
  then with the title, one list of authors and the description only; the book's packet
  (:mod:`pressroom.xmp`) replaces it, keeping its conformance identification, or is added.
- :func:`complete_unicode_maps`: with ``full_fonts`` WeasyPrint writes each font's ``/ToUnicode``
  from the font's cmap alone, so a glyph reached only through OpenType substitution (the ligatures
  fi, ffi, fl; old-style figures, so every folio) maps to nothing or to another character: text
  extraction, search and screen readers read "su t" for "suffit" and a Devanagari sign for a page
  number (seen with Pressroom Garamond in the KDP and IngramSpark PDFs). The map of the text
  WeasyPrint actually set (each font's ``to_unicode``, as the subset mode uses) is added on top.
- :func:`trim_inside`: a cover is drawn as one page the size of the whole sheet, bleed included
  (every box placed from the sheet's corner), so WeasyPrint's ``/TrimBox`` is its ``/MediaBox``; a
  printer's preflight reads the trimmed size from the ``/TrimBox`` (PDF/X requires it), so it is
  set inside the bleed. (CSS ``bleed`` would make WeasyPrint write it, but would move the page's
  origin to the trim and every box with it.)
- :func:`add_output_intent`: WeasyPrint writes an output intent only with an embedded ICC profile
  (``@color-profile``); PDF/X also allows naming a registered print condition without one.
"""

from __future__ import annotations

WRITTEN_FOR = "0.13.0"

KAPPA = 0.5523  # Bézier control distance for a quarter circle, as a fraction of the radius
LINE_WIDTH = 0.5  # pt: a hairline that survives print


def _circle(x: float, y: float, r: float) -> list[str]:
    k = KAPPA * r
    return [
        f"{x + r:.3f} {y:.3f} m",
        f"{x + r:.3f} {y + k:.3f} {x + k:.3f} {y + r:.3f} {x:.3f} {y + r:.3f} c",
        f"{x - k:.3f} {y + r:.3f} {x - r:.3f} {y + k:.3f} {x - r:.3f} {y:.3f} c",
        f"{x - r:.3f} {y - k:.3f} {x - k:.3f} {y - r:.3f} {x:.3f} {y - r:.3f} c",
        f"{x + k:.3f} {y - r:.3f} {x + r:.3f} {y - k:.3f} {x + r:.3f} {y:.3f} c",
        "h",
    ]


def _line(x0: float, y0: float, x1: float, y1: float) -> list[str]:
    return [f"{x0:.3f} {y0:.3f} m", f"{x1:.3f} {y1:.3f} l"]


def marks_operators(media: tuple[float, ...], trim: tuple[float, ...]) -> str:
    """The content-stream operators for the marks of a page (boxes as PDF [x0 y0 x1 y1], in pt)."""
    mx0, my0, mx1, my1 = (float(v) for v in media)
    tx0, ty0, tx1, ty1 = (float(v) for v in trim)
    left, right, bottom, top = tx0 - mx0, mx1 - tx1, ty0 - my0, my1 - ty1
    path: list[str] = []
    # Crop marks: along each trim edge, from the media edge across half the bleed.
    path += _line(mx0, ty0, mx0 + left / 2, ty0) + _line(mx0, ty1, mx0 + left / 2, ty1)
    path += _line(mx1, ty0, mx1 - right / 2, ty0) + _line(mx1, ty1, mx1 - right / 2, ty1)
    path += _line(tx0, my0, tx0, my0 + bottom / 2) + _line(tx1, my0, tx1, my0 + bottom / 2)
    path += _line(tx0, my1, tx0, my1 - top / 2) + _line(tx1, my1, tx1, my1 - top / 2)
    # Registration targets: centred in the bleed at the middle of each edge.
    cx, cy = (tx0 + tx1) / 2, (ty0 + ty1) / 2
    for x, y, size in ((cx, my1 - top / 2, top), (cx, my0 + bottom / 2, bottom),
                       (mx0 + left / 2, cy, left), (mx1 - right / 2, cy, right)):
        if size <= 0:
            continue
        path += _circle(x, y, size / 4)
        path += _line(x - size / 2, y, x + size / 2, y) + _line(x, y - size / 2, x, y + size / 2)
    return "\n".join(["/Artifact BMC", "q", f"{LINE_WIDTH} w 0 G", *path, "S", "Q", "EMC"])


def add_print_marks(document, pdf) -> None:
    """A ``write_pdf`` finisher: draw the marks on every page that has a bleed."""
    import pydyf

    open_state = None
    shared: dict[tuple, bytes] = {}
    kids = pdf.pages["Kids"]
    for number in kids[::3]:
        page = pdf.objects[number]
        media, trim = page.get("MediaBox"), page.get("TrimBox")
        if trim is None or tuple(media) == tuple(trim):
            continue
        key = (tuple(media), tuple(trim))
        if key not in shared:
            # "Q" first: WeasyPrint's page stream leaves its flipped coordinates in force, so each
            # page's own content is wrapped in q … Q and the marks are drawn in PDF space.
            stream = pydyf.Stream(["Q", marks_operators(media, trim)], compress=True)
            pdf.add_object(stream)
            shared[key] = stream.reference
        if open_state is None:
            opening = pydyf.Stream(["q"])
            pdf.add_object(opening)
            open_state = opening.reference
        page["Contents"] = pydyf.Array([open_state, page["Contents"], shared[key]])


def add_page_labels(pdf, ranges) -> None:
    """Set the catalog's ``/PageLabels`` from (first page index, style "r"/"D", first number) ranges."""
    import pydyf

    numbers = pydyf.Array()
    for first, style, start in ranges:
        numbers.extend([first, pydyf.Dictionary({"S": "/" + style, "St": start})])
    pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": numbers})


def without_links_and_outline(document, pdf) -> None:
    """A ``write_pdf`` finisher: no page keeps its annotations, the catalog no outline."""
    for number in pdf.pages["Kids"][::3]:
        page = pdf.objects[number]
        page.pop("Annots", None)
    pdf.catalog.pop("Outlines", None)
    if pdf.catalog.get("PageMode") == "/UseOutlines":
        pdf.catalog.pop("PageMode")


def scope_table_headers(document, pdf) -> None:
    """A ``write_pdf`` finisher: every tagged table header (``/TH``) without a ``/Scope`` gets
    ``/Column``. Pressroom's tables have column headers only (a Markdown table's header row; a
    chapter's raw HTML may hold no table), so the scope is true of every one."""
    import pydyf

    for element in pdf.objects:
        if isinstance(element, dict) and element.get("Type") == "/StructElem" and element.get("S") == "/TH":
            attributes = element.setdefault("A", pydyf.Dictionary({"O": "/Table"}))
            attributes.setdefault("Scope", "/Column")


def complete_unicode_maps(document, pdf) -> None:
    """A ``write_pdf(full_fonts=True)`` finisher: each font's ``/ToUnicode`` CMap gains the glyphs
    of the text set with it (glyph → the characters of its cluster), which win over the cmap's."""
    import re

    set_text: dict[str, dict[int, str]] = {}
    for font in document.fonts.values():
        set_text.setdefault(str(font.name), {}).update(font.to_unicode)
    entry = re.compile(rb"^<([0-9a-f]{4})> <([0-9a-f]*)>$")
    for element in pdf.objects:
        if not (isinstance(element, dict) and element.get("Type") == "/Font" and "ToUnicode" in element):
            continue
        used = set_text.get(str(element.get("BaseFont")))
        if not used:
            continue
        stream = pdf.objects[int(element["ToUnicode"].split()[0])]
        head = [line for line in stream.stream if not (entry.match(line) or line.endswith((b"beginbfchar", b"endbfchar")))]
        mapping = {int(found.group(1), 16): found.group(2) for line in stream.stream if (found := entry.match(line))}
        mapping.update({glyph: text.encode("utf-16-be").hex().encode() for glyph, text in used.items() if text})
        body: list[bytes] = []
        items = sorted(mapping.items())
        for start in range(0, len(items), 100):  # at most 100 entries a block (PDF 32000-1, 9.10.3)
            batch = items[start:start + 100]
            body.append(f"{len(batch)} beginbfchar".encode())
            body += [b"<%04x> <%s>" % (glyph, text) for glyph, text in batch]
            body.append(b"endbfchar")
        end = head.index(b"endcmap")
        stream.stream[:] = head[:end] + body + head[end:]


def trim_inside(bleed_pt: float):
    """A ``write_pdf`` finisher: every page's ``/TrimBox`` is its ``/MediaBox`` less ``bleed_pt``
    on each side, and its ``/BleedBox`` the ``/MediaBox``."""
    def step(document, pdf) -> None:
        import pydyf

        for number in pdf.pages["Kids"][::3]:
            page = pdf.objects[number]
            x0, y0, x1, y1 = (float(v) for v in page["MediaBox"])
            page["BleedBox"] = pydyf.Array([x0, y0, x1, y1])
            page["TrimBox"] = pydyf.Array([round(x0 + bleed_pt, 3), round(y0 + bleed_pt, 3),
                                           round(x1 - bleed_pt, 3), round(y1 - bleed_pt, 3)])
    return step


def add_output_intent(identifier: str, condition: str, registry: str):
    """A ``write_pdf`` finisher that sets a PDF/X output intent naming the registered print condition
    ``identifier`` (e.g. "FOGRA39") of the ICC registry ``registry``, with no profile embedded."""
    def step(document, pdf) -> None:
        import pydyf

        intent = pydyf.Dictionary({
            "Type": "/OutputIntent", "S": "/GTS_PDFX",
            "OutputConditionIdentifier": pydyf.String(identifier), "OutputCondition": pydyf.String(condition),
            "RegistryName": pydyf.String(registry), "Info": pydyf.String(condition),
        })
        pdf.catalog["OutputIntents"] = pydyf.Array([intent])
    return step


def set_xmp(make_packet):
    """A ``write_pdf`` finisher: the catalog's ``/Metadata`` stream holds ``make_packet(existing)``,
    ``existing`` the packet WeasyPrint wrote (bytes) or None. Written uncompressed, so that tools that
    scan a file for its XMP find it."""
    def step(document, pdf) -> None:
        import pydyf

        reference = pdf.catalog.get("Metadata")
        stream = pdf.objects[int(reference.split()[0])] if reference else None
        existing = b"".join(part if isinstance(part, bytes) else str(part).encode() for part in stream.stream) \
            if stream is not None else None
        if stream is None:
            stream = pydyf.Stream([], {"Type": "/Metadata", "Subtype": "/XML"})
            pdf.add_object(stream)
            pdf.catalog["Metadata"] = stream.reference
        stream.stream = [make_packet(existing)]
        stream.compress = False
    return step


def finisher(*steps):
    """One ``write_pdf`` finisher that runs each ``step(document, pdf)`` in turn."""
    def finish(document, pdf) -> None:
        for step in steps:
            step(document, pdf)
    return finish
