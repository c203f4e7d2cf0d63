"""The output formats, registered by name: each writer turns a finished book into a file.

A writer is ``write(book, modified, options) -> Written``; it is imported only
when its format is built, so a plain EPUB build never imports WeasyPrint.
"""

from __future__ import annotations

import datetime as dt
import importlib
from dataclasses import dataclass, field
from typing import Callable, Protocol

from .. import model as m


@dataclass(frozen=True)
class WriteOptions:
    profile: str = "print"  # PDF: "print" or "screen"
    report: Callable[[str], None] = field(default=lambda message: None)  # progress and warnings
    cache: object = None  # a BuildCache, for pieces that cost time to make (the cover)


@dataclass(frozen=True)
class Written:
    data: bytes
    detail: str  # for the summary line: "74 pages", "1 chapter(s), 2 note(s)…"
    suffix: str = ""  # added to the file name before the extension ("-screen")


class Writer(Protocol):
    def __call__(self, book: m.Book, modified: dt.datetime, options: WriteOptions) -> Written: ...


# format → (module, function, file extension)
WRITERS: dict[str, tuple[str, str, str]] = {
    "epub": ("pressroom.writers.epub", "write_epub", "epub"),
    "pdf": ("pressroom.writers.pdf", "write_pdf", "pdf"),
}


def begin(fmt: str, config, cache=None) -> None:
    """Let a writer start, from the configuration alone, work it will need after the book is read
    (a module-level ``begin(config, cache)``, if the writer has one)."""
    module, _, _ = WRITERS[fmt]
    start = getattr(importlib.import_module(module), "begin", None)
    if start is not None:
        start(config, cache)


def writer(fmt: str) -> Writer:
    module, function, _ = WRITERS[fmt]
    return getattr(importlib.import_module(module), function)
