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
from .errors import UsageError
from .outputs import source_date, write_atomically
from .writers import WRITERS, WriteOptions, begin, writer


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
) -> list[Built]:
    """Build each format (default: all) into ``root/dist``; ``echo`` gets one summary line per file,
    ``report`` progress and warnings on the way."""
    started = time.perf_counter()
    root = Path(root).resolve()
    wanted = list(formats) if formats else list(WRITERS)
    # The PDF first: its layout gives the EPUB its print page numbers, through the cache.
    wanted.sort(key=lambda fmt: fmt != "pdf")
    for fmt in wanted:
        if fmt not in WRITERS:
            raise UsageError(f"unknown format {fmt!r}; expected one of: {', '.join(WRITERS)}")
    from .cache import BuildCache, load_cache, save_cache

    cache = load_cache(root) if use_cache else BuildCache()
    from .config import load_config

    config = load_config(root)
    workers = _start_workers(wanted, cache)
    try:
        for fmt in wanted:
            begin(fmt, config, cache)
        book = prepare_book(root, cache)
        modified = source_date(root)
        dist = Path(dist) if dist is not None else root / "dist"
        built = []
        options = WriteOptions(profile=profile, report=report, cache=cache)
        for fmt in wanted:
            t0 = time.perf_counter()
            if fmt in workers:
                written = workers[fmt].write(book, modified, options)
            else:
                written = writer(fmt)(book, modified, options)
            path = dist / f"{book.metadata.slug}{written.suffix}.{WRITERS[fmt][2]}"
            write_atomically(path, written.data)
            # The first file's time includes reading the book; later ones only their own writing.
            seconds = time.perf_counter() - (started if not built else t0)
            built.append(Built(fmt, path, len(written.data), seconds))
            shown = path.relative_to(root) if path.is_relative_to(root) else path
            echo(f"{shown}: {len(written.data) / 1024:.0f} KiB, {written.detail}, {seconds:.2f} s")
    finally:
        for worker in workers.values():
            worker.close()
    if use_cache:
        save_cache(root, cache)
    return built


def _start_workers(formats: list[str], cache) -> dict:
    """A child process for each writer that has heavy modules to import (``warm_up``), forked before
    the book is read so that the import and the reading run side by side (see ``writers.worker``)."""
    import importlib

    from .writers.worker import Worker, can_fork

    if not can_fork():
        return {}
    return {fmt: Worker(fmt, cache) for fmt in formats
            if getattr(importlib.import_module(WRITERS[fmt][0]), "warm_up", None) is not None}
