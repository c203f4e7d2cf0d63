"""The output formats, registered by name: each writer turns a finished book into files.

A writer is ``write(book, layout, options) -> Written``: the finished book, the print layout
(:class:`pressroom.layout.Layout`, or None when the format does not need it) and the options; it
returns a tree of files (path relative to the output folder → bytes), which the driver writes
atomically, and a detail for the summary line. A writer is imported only when its format is built,
and no writer imports another, so a plain EPUB build never imports WeasyPrint.
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass, field
from typing import Any, Callable, Protocol

from .. import model as m
from ..bookfiles import BookFiles


def run_plainly(stage: Callable, *args, **hints) -> Any:
    """``stage(*args, **hints)``: how a writer's pieces are made when no driver memoises them."""
    return stage(*args, **hints)


@dataclass(frozen=True)
class WriteOptions:
    profile: str = "print"  # PDF: "print" or "screen"
    # progress (a str) and warnings (a Finding, see pressroom.diagnostics)
    report: Callable[[object], None] = field(default=lambda message: None)
    # The driver's memo (``Memo.run``): a writer makes each costly piece (the cover, a chapter's
    # page) as ``run(stage, *inputs)``, a pure function of exactly those inputs.
    run: Callable[..., Any] = run_plainly
    files: BookFiles | None = None  # the book's templates, stylesheets and images, for stages that read them
    modified: dt.datetime = dt.datetime(1980, 1, 1, tzinfo=dt.timezone.utc)  # the outputs' date (UTC)


@dataclass(frozen=True)
class Written:
    files: dict[str, bytes]  # path relative to the output folder → contents
    detail: str  # for the summary line: "74 pages", "1 chapter(s), 2 note(s)…"


class Writer(Protocol):
    def __call__(self, book: m.Book, layout: object, options: WriteOptions) -> Written: ...


# format → (module, function, needs the print layout: "always", or "page numbers" when the book asks
# for the print edition's page numbers (``[epub] print_page_numbers``), the module of its ``begin``)
WRITERS: dict[str, tuple[str, str, str, str]] = {
    # The EPUB's begin (its generated cover) is the cover module's: importing the writer there, before
    # the book is read, put 8 ms of imports before pandoc could start on the citations.
    "epub": ("pressroom.writers.epub", "write_epub", "page numbers", "pressroom.cover"),
    "pdf": ("pressroom.writers.pdf", "write_pdf", "always", "pressroom.writers.pdf"),
    "cover": ("pressroom.writers.cover", "write_cover", "always", "pressroom.writers.cover"),  # the paperback's cover: its page count
}


def default_formats(profile: str) -> list[str]:
    """What ``build`` with no ``--format`` makes: the EPUB and the PDF, and the cover when the profile
    names a printer with cover rules (:mod:`pressroom.cover_rules`)."""
    from ..cover_rules import COVER_RULES
    from ..printers import printer

    return [fmt for fmt in WRITERS if fmt != "cover" or printer(profile).name in COVER_RULES]


def may_need_layout(fmt: str, settings: m.Settings) -> bool:
    """Whether the writer of ``fmt`` wants the print layout of a book with these settings (known before
    the book is read; :func:`needs_layout` once it is)."""
    need = WRITERS[fmt][2]
    return need == "always" or (need == "page numbers" and settings.print_page_numbers)


def needs_layout(fmt: str, book: m.Book) -> bool:
    """Whether the writer of ``fmt`` wants the print layout of ``book``."""
    return may_need_layout(fmt, book.settings) and (WRITERS[fmt][2] == "always" or bool(book.chapters))


def begin(fmt: str, config, ready: Callable[..., bool] = lambda stage, *args: False) -> None:
    """Let a writer start, from the configuration alone, work it will need after the book is read
    (a ``begin(config, ready)`` in the module :data:`WRITERS` names, if it has one); ``ready(stage, *inputs)``
    says whether the driver's memo has that result already (``Memo.has``)."""
    module = WRITERS[fmt][3]
    start = getattr(importlib.import_module(module), "begin", None)
    if start is not None:
        start(config, ready)


def warm(fmt: str) -> None:
    """Let the writer of ``fmt`` do work that needs no part of the book (a module-level ``warm()``,
    if it has one: importing its libraries) while the driver waits for pandoc to print the
    citations (``prepare_book(..., meanwhile=...)``), so that it is not done after."""
    module = WRITERS[fmt][0]
    start = getattr(importlib.import_module(module), "warm", None)
    if start is not None:
        start()


def writer(fmt: str) -> Writer:
    module, function = WRITERS[fmt][:2]
    return getattr(importlib.import_module(module), function)
