"""``pressroom build``: the recipe of the command, over the driver's stages (:mod:`pressroom.pipeline`).

The book folder's memo is opened; the book is read, resolved and typeset; each format's writer
is run with the memo's ``run`` for the pieces it makes (the print page map, the cover, each
chapter's page); each file is written atomically into ``dist/`` with one summary line; the memo
keeps what this build used for the next.

Warnings travel as :class:`~pressroom.errors.Finding` values through one
:class:`~pressroom.diagnostics.Diagnostics` (each once, in order): the book templates' (T002), the
writers' (B002…) and WeasyPrint's (S001/W001), which the print layout stage keeps with its result,
so that a layout read back from the memo reports them as the one that was computed did. With
``strict``, a warning stops the build before any file of the format it concerns is written (B003).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

from . import model as m
from .bookfiles import BookFiles
from .diagnostics import Diagnostics
from .errors import BuildError, Finding, Location, UsageError, finding
from .memo import NO_MEMO, Memo, book_memo
from .outputs import remove_leftovers, source_date, write_atomically
from .paths import inside_book_folder, output_folder, output_path
from .pipeline import prepare_book as _prepare
from .writers import WRITERS, WriteOptions, begin, default_formats, may_need_layout, needs_layout, warm, writer


def prepare_book(root: Path, memo: Memo = NO_MEMO, meanwhile: Callable[[], None] = lambda: None) -> m.Book:
    """Read and finish the book (see :func:`pressroom.pipeline.prepare_book`)."""
    return _prepare(Path(root), memo, meanwhile)


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
    strict: bool = False,
    jobs: int | None = None,
    by_unit: bool = True,
) -> list[Built]:
    """Build each format (default: all) into ``root/dist``; ``echo`` gets one summary line per file,
    ``report`` progress (a str) and warnings (a :class:`~pressroom.errors.Finding`, each once) on the
    way. ``use_cache``: keep stage results in the book's ``.cache/pressroom/memo`` between builds.
    ``profile``: the PDF's (see :mod:`pressroom.printers`); None for book.toml's ``[print] profile``.
    ``strict``: a warning fails the build (B003) before the files of the format it concerns are written."""
    from .config import load_config
    from .templates import template_overrides

    started = time.perf_counter()
    root = Path(root).resolve()
    report = Diagnostics(report)
    for found in template_overrides(root):
        report(found)
    for fmt in formats or ():
        if fmt not in WRITERS:
            raise UsageError(f"unknown format {fmt!r}; expected one of: {', '.join(WRITERS)}")
    from .memo import CACHE_DIR

    if use_cache and not inside_book_folder(root, CACHE_DIR):
        report(finding("B004", Location(CACHE_DIR.split("/")[0]), f"{CACHE_DIR} leads outside the book folder "
                       "(a symbolic link?); building without the cache", "warning"))
        use_cache = False
    memo = book_memo(root) if use_cache else NO_MEMO
    config = load_config(root)
    from .printers import check_trim, printer, trim_location

    pdf_printer = printer(profile or config.settings.pdf_profile)
    profile = pdf_printer.name
    wanted = list(formats) if formats else default_formats(profile)
    if "pdf" in wanted or "cover" in wanted:
        check_trim(pdf_printer, config.settings.trim_size, trim_location(root))
    if "cover" in wanted:  # a profile without a printer's paper has no cover (K001), said before the layout
        from .config import setting_location
        from .cover_rules import cover_rules

        cover_rules(profile, setting_location(root, "print", "profile"))
    for fmt in wanted:
        begin(fmt, config, memo.has)
    if by_unit and any(may_need_layout(fmt, config.settings) for fmt in wanted):
        from .units import starts_anywhere

        where = starts_anywhere(root)
        if where is not None:  # each unit starts on a recto: this book's divisions may not
            echo(f"{where}: a division may start on any page, so the book is laid out as one document "
                 "(slower, and not by unit: see README, \"Laid out by unit\")")
            by_unit = False
    laying = _early_workers(root, config, wanted, memo, jobs) if by_unit else None
    try:
        return _build(root, config, wanted, memo, profile, report, dist, strict, jobs, by_unit, laying, started, echo)
    finally:
        if laying is not None:
            laying.stop()


# A book with at least this many chapters in its body starts its layout's workers before it is read.
EARLY_WORKERS = 4


def _early_workers(root: Path, config, wanted, memo, jobs: int | None):
    """The layout's worker processes, started while the book is read, when the PDF is wanted and the
    book is long enough to gain from them (:data:`EARLY_WORKERS`); else None (the layout starts
    workers itself when more than one unit must be laid out)."""
    from .unit_pool import Layouts, default_jobs

    jobs = jobs or default_jobs()
    if "pdf" not in wanted or jobs < 2 or sum(entry.matter != "front" for entry in config.spine) < EARLY_WORKERS:
        return None
    laying = Layouts(root, memo.run, memo.has, jobs)
    laying.start()
    return laying


def _build(root, config, wanted, memo, profile, report, dist, strict, jobs, by_unit, laying, started, echo):
    """:func:`build_book` once the configuration is read and the formats are known: read the book, lay
    it out for print if a format needs it (``laying``: the layout's workers, if started early), write."""
    from .bookfiles import book_files

    # With layout workers started, the PDF is laid out by them, not here: importing WeasyPrint here
    # too would only take a core from them and from reading the book (0.35 s of CPU).
    warmed = [fmt for fmt in wanted if not (fmt == "pdf" and laying is not None)]
    book = prepare_book(root, memo, meanwhile=lambda: [warm(fmt) for fmt in warmed])
    modified = source_date(root)
    dist = Path(dist) if dist is not None else root / "dist"
    remove_leftovers(output_folder(root, dist))
    files = book_files(book)
    options = WriteOptions(profile=profile, report=report, run=memo.run, files=files, modified=modified)
    layout = None
    if any(needs_layout(fmt, book) for fmt in wanted):
        from . import layout as _  # noqa: F401 - registers the layout's types, for entries read back
        printed = "pdf" in wanted or "cover" in wanted  # the cover's spine: the printed edition's page count
        if by_unit:
            from .units import PdfSpec

            # Each unit's PDF is written where it is laid out, for every profile: with a printer's whole
            # fonts too (kdp, ingramspark, lulu), whose PDFs the join shares one program per face. The
            # long book: cold 27–29 s against 38–51 s for the units' pages written as one document in
            # this process (the way before), and a one-word rebuild 3.4 s against 18.5 s.
            write = PdfSpec(profile, book.metadata, modified.isoformat()) if "pdf" in wanted else None
            layout = print_layout_by_unit(book, profile if printed else "proof", memo, jobs, write, report, laying)
            if laying is not None:
                laying.stop()  # the layout is done: the workers end now, not after the PDF is written
        else:
            layout, warnings = memo.run(print_layout, book, profile if printed else "proof", files,
                                        report=report)
            for found in warnings:  # computed now or read back with the layout: reported alike
                report(found)
    built = []
    for fmt in wanted:
        t0 = time.perf_counter()
        with library_warnings(fmt, book, report):
            written = writer(fmt)(book, layout if needs_layout(fmt, book) else None, options)
        if strict and report.warnings():
            raise BuildError(f"{len(report.warnings())} warning(s), and --strict makes them errors; "
                             f"{', '.join(sorted(written.files))} not written:", None, tuple(report.warnings()),
                             code="B003")
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


def print_layout(book: m.Book, profile: str, files: BookFiles,
                 report: Callable[[str], None] = lambda message: None) -> tuple[object, tuple[Finding, ...]]:
    """The print layout stage (:func:`pressroom.layout.lay_out`), run through the memo when any writer
    wants it (never otherwise, so an EPUB without print page numbers never imports WeasyPrint):
    (the :class:`~pressroom.layout.Layout`, the warnings WeasyPrint gave while laying the book out, as
    findings). The warnings are part of the result, so the memo keeps them with the layout and a
    build that reads the layout back reports them again (and ``--strict`` fails on them again).
    ``files`` (the templates, stylesheets and images the layout reads) is there for its key;
    ``report`` gets the progress only."""
    from .adapters.weasyprint import weasyprint_findings
    from .layout import lay_out

    warnings = Diagnostics()
    with weasyprint_findings(warnings, book.root):
        layout = lay_out(book, profile, report)
    return layout, tuple(warnings.findings)


def print_layout_by_unit(book: m.Book, profile: str, memo, jobs: int | None, write, report: Diagnostics,
                         laying=None):
    """The print layout, each unit laid out alone through the memo (:func:`pressroom.layout.lay_out_by_unit`),
    by ``jobs`` worker processes (default: one per core); each unit's WeasyPrint warnings are kept
    with it, so a unit read back from the memo reports them as the one laid out did."""
    from .layout import lay_out_by_unit
    from .unit_pool import default_jobs

    layout = lay_out_by_unit(book, profile, memo.run, memo.has, jobs or default_jobs(), write, report, laying)
    for unit in layout.units:
        for found in unit.findings:
            report(found)
    return layout


def library_warnings(fmt: str, book: m.Book, report: Diagnostics):
    """While a writer that runs WeasyPrint (one that needs the print layout: the PDF's pages are laid
    out again when the layout was read from the memo, then drawn) writes, WeasyPrint's warnings become
    findings for ``report`` (see :func:`pressroom.adapters.weasyprint.weasyprint_findings`); nothing at
    all for a writer that does not, so an EPUB without print page numbers loads nothing of WeasyPrint's."""
    from contextlib import nullcontext

    if not needs_layout(fmt, book):
        return nullcontext()
    from .adapters.weasyprint import weasyprint_findings

    return weasyprint_findings(report, book.root)

