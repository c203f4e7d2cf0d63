"""``pressroom build``: read the book, finish it (citations, typography), write each format.

The recipe: ``load_book`` → ``render_citations`` → ``apply_typography`` → one
writer per format → an atomic write into ``dist/`` and one summary line per file.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from . import model as m
from .diagnostics import Diagnostics
from .errors import BuildError, UsageError
from .outputs import source_date, write_atomically
from .writers import WRITERS, WriteOptions, begin, needs_layout, writer


def finish_book(book: m.Book, cache=None) -> m.Book:
    """Resolve what the writers need beyond the manuscript: printed citations, bibliography, typography."""
    from .citations import render_citations
    from .indexing import index_book
    from .typography import apply_typography

    return apply_typography(index_book(render_citations(book, cache), cache), cache)


def prepare_book(root: Path, cache=None) -> m.Book:
    """Read and finish the book; with a :class:`~pressroom.cache.BuildCache`, redo only what changed."""
    from .reader import load_book

    if cache is not None:
        cache.next_round()
    return finish_book(load_book(root, cache), cache)


@dataclass(frozen=True)
class Built:
    format: str
    path: Path
    size: int
    seconds: float


def build_book(
    root: Path,
    formats: Iterable[str] | None = None,
    echo: Callable[[str], None] = print,
    profile: str = "print",
    report: Callable[[str], None] = lambda message: None,
    use_cache: bool = True,
    dist: Path | None = None,
    strict: bool = False,
) -> list[Built]:
    """Build each format (default: all) into ``root/dist``; ``echo`` gets one summary line per file,
    ``report`` progress (a str) and warnings (a :class:`~pressroom.errors.Finding`, each once) on the
    way. ``strict``: a warning fails the build before the file it concerns is written."""
    from .templates import template_overrides

    started = time.perf_counter()
    root = Path(root).resolve()
    report = Diagnostics(report)
    for found in template_overrides(root):
        report(found)
    return _build(root, formats, echo, profile, report, use_cache, dist, strict, started)


def _build(root: Path, formats, echo, profile: str, report: Diagnostics, use_cache: bool, dist, strict: bool,
           started: float) -> list[Built]:
    wanted = list(formats) if formats else list(WRITERS)
    for fmt in wanted:
        if fmt not in WRITERS:
            raise UsageError(f"unknown format {fmt!r}; expected one of: {', '.join(WRITERS)}")
    from .cache import BuildCache, load_cache, save_cache

    cache = load_cache(root) if use_cache else BuildCache()
    from .config import load_config

    config = load_config(root)
    for fmt in wanted:
        begin(fmt, config, cache)
    book = prepare_book(root, cache)
    modified = source_date(root)
    dist = Path(dist) if dist is not None else root / "dist"
    options = WriteOptions(profile=profile, report=report, cache=cache, modified=modified)
    with library_warnings(book, wanted, report):
        built = _write(book, wanted, profile, report, options, dist, strict, echo, started)
    if use_cache:
        save_cache(root, cache)
    return built


def library_warnings(book: m.Book, formats: list[str], report: Diagnostics):
    """While the book is laid out and written, WeasyPrint's warnings become findings for ``report``
    (see :mod:`pressroom.weasyprint_log`); nothing at all when no WeasyPrint runs."""
    from contextlib import nullcontext

    if not any(needs_layout(fmt, book) for fmt in formats):
        return nullcontext()
    from .weasyprint_log import weasyprint_findings

    return weasyprint_findings(report, book.root)


def _write(book: m.Book, wanted: list[str], profile: str, report: Diagnostics, options: WriteOptions, dist: Path,
           strict: bool, echo: Callable[[str], None], started: float) -> list[Built]:
    """Lay the book out if a writer wants it, write each format, and each of its files into ``dist``."""
    root = Path(book.root)
    built = []
    layout = print_layout(book, wanted, profile, report)
    for fmt in wanted:
        t0 = time.perf_counter()
        written = writer(fmt)(book, layout if needs_layout(fmt, book) else None, options)
        if strict and report.warnings():
            raise BuildError(f"{len(report.warnings())} warning(s), and --strict makes them errors; "
                             f"{', '.join(sorted(written.files))} not written:", None, tuple(report.warnings()),
                             code="B003")
        for name, data in sorted(written.files.items()):
            path = dist / name
            write_atomically(path, data)
            # The first file's time includes reading the book and laying it out; later ones only their own.
            seconds = time.perf_counter() - (started if not built else t0)
            built.append(Built(fmt, path, len(data), seconds))
            shown = path.relative_to(root) if path.is_relative_to(root) else path
            echo(f"{shown}: {len(data) / 1024:.0f} KiB, {written.detail}, {seconds:.2f} s")
    return built


def print_layout(book: m.Book, formats: list[str], profile: str, report: Callable[[str], None]):
    """The print layout stage (:func:`pressroom.layout.lay_out`), run once when any writer wants it;
    else None (so an EPUB without print page numbers never imports WeasyPrint)."""
    if not any(needs_layout(fmt, book) for fmt in formats):
        return None
    from .layout import lay_out

    return lay_out(book, profile if "pdf" in formats else "print", report)
