"""``pressroom build``: the recipe of the command, over the driver's stages (:mod:`pressroom.pipeline`).

The book folder's memo is opened; the book is read, resolved and typeset; each format's writer
is run with the memo's ``run`` for the pieces it makes (the print page map, the cover, each
chapter's page); each file is written atomically into ``dist/`` with one summary line; the memo
keeps what this build used for the next.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from . import model as m
from .bookfiles import BookFiles
from .errors import UsageError
from .memo import NO_MEMO, Memo, book_memo
from .outputs import remove_leftovers, source_date, write_atomically
from .paths import inside_book_folder, output_folder, output_path
from .pipeline import prepare_book as _prepare
from .writers import WRITERS, WriteOptions, begin, needs_layout, writer


def prepare_book(root: Path, memo: Memo = NO_MEMO) -> m.Book:
    """Read and finish the book (see :func:`pressroom.pipeline.prepare_book`)."""
    return _prepare(Path(root), memo)


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
    profile: str | None = None,
    report: Callable[[str], None] = lambda message: None,
    use_cache: bool = True,
    dist: Path | None = None,
) -> list[Built]:
    """Build each format (default: all) into ``root/dist``; ``echo`` gets one summary line per file,
    ``report`` progress and warnings on the way. ``use_cache``: keep stage results in the book's
    ``.cache/pressroom/memo`` between builds. ``profile``: the PDF's (see :mod:`pressroom.printers`);
    None for book.toml's ``[print] profile``."""
    from .bookfiles import book_files
    from .config import load_config

    started = time.perf_counter()
    root = Path(root).resolve()
    wanted = list(formats) if formats else list(WRITERS)
    for fmt in wanted:
        if fmt not in WRITERS:
            raise UsageError(f"unknown format {fmt!r}; expected one of: {', '.join(WRITERS)}")
    from .memo import CACHE_DIR

    if use_cache and not inside_book_folder(root, CACHE_DIR):
        report(f"warning: {CACHE_DIR} leads outside the book folder (a symbolic link?); building without the cache")
        use_cache = False
    memo = book_memo(root) if use_cache else NO_MEMO
    config = load_config(root)
    from .printers import check_trim, printer, trim_location

    pdf_printer = printer(profile or config.settings.pdf_profile)
    profile = pdf_printer.name
    if "pdf" in wanted:
        check_trim(pdf_printer, config.settings.trim_size, trim_location(root))
    for fmt in wanted:
        begin(fmt, config, memo.has)
    book = prepare_book(root, memo)
    modified = source_date(root)
    dist = Path(dist) if dist is not None else root / "dist"
    remove_leftovers(output_folder(root, dist))
    files = book_files(book)
    options = WriteOptions(profile=profile, report=report, run=memo.run, files=files, modified=modified)
    layout = None
    if any(needs_layout(fmt, book) for fmt in wanted):
        from . import layout as _  # noqa: F401 - registers the layout's types, for entries read back
        layout = memo.run(print_layout, book, profile if "pdf" in wanted else "proof", files, report=report)
    built = []
    for fmt in wanted:
        t0 = time.perf_counter()
        written = writer(fmt)(book, layout if needs_layout(fmt, book) else None, options)
        for name, data in sorted(written.files.items()):
            path = output_path(root, dist, name)
            write_atomically(path, data)
            # The first file's time includes reading the book and laying it out; later ones only their own.
            seconds = time.perf_counter() - (started if not built else t0)
            built.append(Built(fmt, path, len(data), seconds))
            shown = path.relative_to(root) if path.is_relative_to(root) else path
            echo(f"{shown}: {len(data) / 1024:.0f} KiB, {written.detail}, {seconds:.2f} s")
    memo.save()
    return built


def print_layout(book: m.Book, profile: str, files: BookFiles, report: Callable[[str], None] = lambda message: None):
    """The print layout stage (:func:`pressroom.layout.lay_out`), run through the memo when any writer
    wants it (never otherwise, so an EPUB without print page numbers never imports WeasyPrint).
    ``files`` (the templates, stylesheets and images the layout reads) is there for its key."""
    from .layout import lay_out

    return lay_out(book, profile, report)

