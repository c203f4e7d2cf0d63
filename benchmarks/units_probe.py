"""Issue 18, step 1 probe: can units laid out as separate WeasyPrint documents be joined, and how?

Run: ``PYTHONPATH=src python benchmarks/units_probe.py tests/corpus/parts-and-matter``.
Lays the book's text out twice (two stand-in "units"), then measures, on one machine in one run:

- whether laid-out pages cross a process boundary (``pickle`` of ``Document.pages``);
- the PDF of the two documents' pages joined in-process (``Document.copy(a + b).write_pdf()``)
  against each written alone and merged with pikepdf (what a process pool would have to do);
- the time of each way.

Prints one line per fact; the numbers go to benchmarks/RESULTS.md by hand (not part of the tests).
"""

from __future__ import annotations

import io
import pickle
import sys
import time
from pathlib import Path

import pikepdf

from pressroom.adapters import weasyprint as wp
from pressroom.pipeline import prepare_book
from pressroom.print_html import render_html


def _timed(make):
    start = time.perf_counter()
    value = make()
    return value, time.perf_counter() - start


def _unpicklable(obj, path: list[str], seen: set[int], depth: int = 0) -> list[str] | None:
    """The attribute path from ``obj`` down to the first object ``pickle`` refuses, or None."""
    if id(obj) in seen or depth > 40:
        return None
    seen.add(id(obj))
    try:
        pickle.dumps(obj)
        return None
    except Exception:
        pass
    if isinstance(obj, dict):
        items = list(obj.items())
    elif isinstance(obj, (list, tuple)):
        items = list(enumerate(obj))
    else:
        items = list(getattr(obj, "__dict__", {}).items())
        items += [(name, getattr(obj, name)) for name in getattr(obj, "__slots__", ()) if hasattr(obj, name)]
    for key, value in items:
        found = _unpicklable(value, [*path, f"{key}:{type(value).__name__}"], seen, depth + 1)
        if found:
            return found
    return path


def _merged(pdfs: list[bytes]) -> bytes:
    """The PDFs' pages one after the other, merged with pikepdf's ``add_pages_from`` (which carries
    named destinations and outlines; /PageLabels would still have to be written again)."""
    out = pikepdf.Pdf.new()
    for data in pdfs:
        out.add_pages_from(pikepdf.Pdf.open(io.BytesIO(data)))
    buffer = io.BytesIO()
    out.save(buffer, deterministic_id=True)
    return buffer.getvalue()


def _unit_pdf(html: str, root: str) -> bytes:
    """A worker's job in the PDF-bytes design: lay one unit out and write it (spawn-safe, top level)."""
    return wp.render(html, root).write_pdf()


def _pool_vs_serial(html: str, root: str) -> None:
    """Two units: in 2 spawned workers returning PDFs merged with pikepdf, against one process
    laying both out and joining in-process. Prints wall times (pool start-up included)."""
    from concurrent.futures import ProcessPoolExecutor
    import multiprocessing

    def serial():
        a, b = wp.render(html, root), wp.render(html, root)
        return a.copy([*a.pages, *b.pages]).write_pdf()

    def pooled():
        with ProcessPoolExecutor(2, mp_context=multiprocessing.get_context("spawn")) as pool:
            return _merged(list(pool.map(_unit_pdf, [html, html], [root, root])))

    _, t_serial = _timed(serial)
    _, t_pooled = _timed(pooled)
    print(f"two units, one process + in-process join: {t_serial:.2f} s; "
          f"2 spawned workers + pikepdf merge: {t_pooled:.2f} s ({t_pooled / t_serial:.2f} x)")


def main(root: Path) -> None:
    book = prepare_book(root)
    html = render_html(book, "print", "text")
    first, t_first = _timed(lambda: wp.render(html, book.root))
    second, t_second = _timed(lambda: wp.render(html, book.root))
    print(f"pages per unit: {len(first.pages)}; layout s: {t_first:.2f}, {t_second:.2f}")
    try:
        pickle.dumps(first.pages)
        print("pickle of laid-out pages: ok")
    except Exception as error:
        where = " -> ".join(_unpicklable(first.pages[0], ["page"], set()) or [])
        print(f"pickle of laid-out pages: fails ({type(error).__name__}: {error}); at {where}")
    alone, t_alone = _timed(first.write_pdf)
    joined, t_joined = _timed(lambda: first.copy([*first.pages, *second.pages]).write_pdf())
    second_alone = second.write_pdf()
    merged, t_merged = _timed(lambda: _merged([alone, second_alone]))
    print(f"one unit alone: {len(alone)} B ({t_alone:.2f} s to write)")
    print(f"two units joined in-process: {len(joined)} B ({t_joined:.2f} s), "
          f"{len(joined) / (2 * len(alone)):.3f} of two separate PDFs")
    print(f"two units written apart + pikepdf merge: {len(merged)} B (merge {t_merged:.2f} s), "
          f"{len(merged) / len(joined):.3f} of the in-process join")
    _pool_vs_serial(html, str(book.root))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
