"""The preview's print view: a chapter's PDF pages shown as images, kept in a bounded memo.

The layout and the page images are made in a worker process (:class:`LayoutWorker`), replaced
after a few layouts: WeasyPrint keeps some memory from every document it lays out (about 0.35 MiB
for a one-page chapter, measured over 100 layouts), and pdfium and Pillow some from every image,
which a long session in the server itself would pile up (20 MiB in 100 cycles, measured); the
server keeps bytes only. A layout in another process also leaves the server free to answer
(pages, reload events) meanwhile.

Why images (rendered by pypdfium2) and not the PDF in the browser's viewer: an image page can be
swapped in place after a save, keeping the author's scroll position and page; a PDF viewer reloads
from page 1 (and headless or mobile browsers have none). Each page image is made when the browser
asks for it (the page loads it lazily, so only the pages in view are rasterised).

:class:`PrintViews` keeps the views least recently used first, within a byte budget (the PDFs and
the images made of them): a long session of edits and views does not grow the server without end.
"""

from __future__ import annotations

import io
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

PRINT_MEMO_BYTES = 8 * 1024 * 1024  # the views kept: PDFs and page images, least recently used dropped first
IMAGE_SCALE = 2 * 96 / 72  # image pixels per PDF point: twice a CSS pixel, sharp on a high-density screen


LAYOUTS_PER_WORKER = 10  # then the worker process is replaced, and what WeasyPrint kept with it


class LayoutFailed(Exception):
    """The print layout stopped on a mistake in the book: the message names it (file, line, code)."""


def lay_out(html: str, book_root: str) -> tuple[bytes, tuple[tuple[int, int], ...], tuple[str, ...], str]:
    """In the worker: (PDF, its page sizes, WeasyPrint's warnings as finding lines, "") for a print
    HTML document whose relative URLs are in ``book_root``; (b"", (), warnings, the error's text) on
    a book's mistake."""
    from .adapters.weasyprint import render, weasyprint_findings
    from .diagnostics import Diagnostics
    from .errors import PressroomError, error_text

    warnings: list[str] = []
    try:
        with weasyprint_findings(Diagnostics(lambda found: warnings.append(str(found))), Path(book_root)):
            pdf = render(html, book_root).write_pdf()
        return pdf, page_sizes(pdf), tuple(warnings), ""
    except PressroomError as exc:
        return b"", (), tuple(warnings), error_text(exc)


class LayoutWorker:
    """One worker process for the print layouts, started when first needed (``spawn``: a fresh
    interpreter, nothing of the server's threads or memory), replaced after ``LAYOUTS_PER_WORKER``."""

    def __init__(self, log: Callable[[str], None] = lambda line: None):
        self.log = log
        self._pool = None
        self._lock = threading.Lock()

    def pages(self, html: str, book_root: Path) -> "PrintPages":
        """The laid-out pages of ``html``; its warnings go to ``log``; a mistake in the book raises
        :class:`LayoutFailed`."""
        pdf, sizes, warnings, error = self._run(lay_out, html, str(book_root))
        for line in warnings:
            self.log(line)
        if error:
            raise LayoutFailed(error)
        return PrintPages(pdf, sizes)

    def image(self, pdf: bytes, number: int) -> bytes:
        """Page ``number`` of ``pdf`` as a PNG (:func:`page_image`)."""
        return self._run(page_image, pdf, number)

    def _run(self, function, *args):
        with self._lock:
            if self._pool is None:
                import multiprocessing
                from concurrent.futures import ProcessPoolExecutor

                self._pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                                                 max_tasks_per_child=LAYOUTS_PER_WORKER)
            pool = self._pool
        from concurrent.futures.process import BrokenProcessPool

        try:
            return pool.submit(function, *args).result()
        except BrokenProcessPool as exc:
            with self._lock:
                if self._pool is pool:
                    self._pool = None  # the next view starts another worker
            raise LayoutFailed(f"internal error (a bug in Pressroom; please report it): the print layout's "
                               f"worker process stopped ({exc})") from None

    def close(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.shutdown(wait=True, cancel_futures=True)
                self._pool = None


@dataclass
class PrintPages:
    """One laid-out chapter: its PDF, each page's size in CSS pixels, the page images made so far."""

    pdf: bytes
    sizes: tuple[tuple[int, int], ...]
    images: dict[int, bytes] = field(default_factory=dict)

    def weight(self) -> int:
        return len(self.pdf) + sum(len(image) for image in self.images.values())


def page_sizes(pdf: bytes) -> tuple[tuple[int, int], ...]:
    """(width, height) of each page of ``pdf`` in CSS pixels (96 a inch)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        return tuple((round(w * 96 / 72), round(h * 96 / 72)) for w, h in (document.get_page_size(n)
                                                                          for n in range(len(document))))
    finally:
        document.close()


def page_image(pdf: bytes, number: int, scale: float = IMAGE_SCALE) -> bytes:
    """Page ``number`` (1 for the first) of ``pdf`` as a PNG."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        page = document[number - 1]
        bitmap = page.render(scale=scale)
        out = io.BytesIO()
        bitmap.to_pil().save(out, "PNG")
        page.close()
        return out.getvalue()
    finally:
        document.close()


class PrintViews:
    """Print views by key (a digest of what they are made of), least recently used dropped first
    once they weigh more than ``budget`` bytes. Thread-safe: the server answers on many threads,
    and pdfium and WeasyPrint are used by one at a time."""

    def __init__(self, budget: int = PRINT_MEMO_BYTES):
        self.budget = budget
        self._views: OrderedDict[str, PrintPages] = OrderedDict()
        self._lock = threading.RLock()

    def view(self, key: str, make: Callable[[], PrintPages]) -> PrintPages:
        """The view kept under ``key``, else made now by ``make()`` and kept."""
        with self._lock:
            found = self._views.get(key)
            if found is None:
                found = self._views[key] = make()
            self._views.move_to_end(key)
            self._trim(keep=key)
            return found

    def image(self, key: str, number: int, make: Callable[[bytes, int], bytes] = page_image) -> bytes | None:
        """Page ``number``'s image of the view kept under ``key`` (made now by ``make(pdf, number)``
        if need be), or None."""
        with self._lock:
            found = self._views.get(key)
            if found is None or not 1 <= number <= len(found.sizes):
                return None
            image = found.images.get(number)
            if image is None:
                image = found.images[number] = make(found.pdf, number)
            self._views.move_to_end(key)
            self._trim(keep=key)
            return image

    def weight(self) -> int:
        with self._lock:
            return sum(view.weight() for view in self._views.values())

    def _trim(self, keep: str) -> None:
        total = sum(view.weight() for view in self._views.values())
        for key in list(self._views):
            if total <= self.budget:
                break
            if key == keep:
                continue
            total -= self._views.pop(key).weight()
        view = self._views.get(keep)
        if view is not None and total > self.budget:
            # One view alone over the budget (a very long chapter): drop its images, oldest first.
            for number in list(view.images):
                if total <= self.budget:
                    break
                total -= len(view.images.pop(number))
