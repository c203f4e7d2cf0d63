"""Issue 18 probe: can units written as separate PDFs be merged with each font embedded once?

Run: ``PYTHONPATH=src python benchmarks/units_fonts_probe.py tests/corpus/parts-and-matter``.
Two units of different text (the first half of the chapters, then the rest) are written with WeasyPrint's ``full_fonts``
(each face embedded whole, so two units embed byte-identical font files), merged with pikepdf, and
the duplicate font files made one object. Prints the sizes against the in-process join (one
document, subsets), which is what layout by unit must come within 10 % of (issue 18, item 4).
"""

from __future__ import annotations

import hashlib
import io
import sys
import time
from pathlib import Path

import pikepdf

from pressroom.adapters import weasyprint as wp
from pressroom.pipeline import prepare_book
from pressroom.print_html import render_html


def merged(pdfs: list[bytes]) -> bytes:
    """The PDFs' pages in one file, each font file stream (FontFile, FontFile2, FontFile3) kept once."""
    out = pikepdf.new()
    for data in pdfs:
        out.pages.extend(pikepdf.open(io.BytesIO(data)).pages)  # (named destinations: not this probe's concern)
    seen: dict[str, pikepdf.Object] = {}
    for obj in out.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/FontDescriptor":
            for key in ("/FontFile", "/FontFile2", "/FontFile3"):
                if key in obj:
                    digest = hashlib.sha256(obj[key].read_raw_bytes()).hexdigest()
                    if digest in seen:
                        obj[key] = seen[digest]
                    else:
                        seen[digest] = obj[key]
    buffer = io.BytesIO()
    out.remove_unreferenced_resources()
    out.save(buffer, compress_streams=True, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return buffer.getvalue()


def main(root: Path) -> None:
    from dataclasses import replace

    book = prepare_book(root)
    half = len(book.chapters) // 2  # two units of different text: the first chapters, then the others
    first = wp.render(render_html(replace(book, chapters=book.chapters[:half]), "print", "text"), root)
    second = wp.render(render_html(replace(book, chapters=book.chapters[half:]), "print", "text"), root)
    joined = first.copy([*first.pages, *second.pages]).write_pdf()
    started = time.perf_counter()
    full = [first.write_pdf(full_fonts=True), second.write_pdf(full_fonts=True)]
    written = time.perf_counter() - started
    subset = [first.write_pdf(), second.write_pdf()]
    started = time.perf_counter()
    full_merged = merged(full)
    merge_time = time.perf_counter() - started
    print(f"in-process join (one document, subsets): {len(joined)} B")
    print(f"two units, subsets, merged: {len(merged(subset))} B = {len(merged(subset)) / len(joined):.2f} x")
    print(f"two units, whole fonts, merged, fonts once: {len(full_merged)} B = {len(full_merged) / len(joined):.2f} x "
          f"(writing {written:.2f} s, merging {merge_time:.2f} s)")


if __name__ == "__main__":
    main(Path(sys.argv[1]).resolve())
