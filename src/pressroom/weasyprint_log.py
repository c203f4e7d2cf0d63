"""WeasyPrint's warnings → findings, with the book's stylesheet file and line where they are about it.

Written for WeasyPrint 70. WeasyPrint reports what it ignores (a CSS declaration it does not
know or whose value is invalid, an ``@page`` size it cannot read, an image it cannot load…) on its
``weasyprint`` logger and carries on; left alone those messages go nowhere. While
:func:`weasyprint_findings` is active, each warning or error logged there becomes a finding given to
``report``:

- S001: a problem in ``styles/book.css``, at its own line. WeasyPrint numbers a position within the
  stylesheet it parses, and Pressroom hands it one ``<style>`` made of several sheets, so a position
  cannot tell which file it is in. Instead the book's sheet is parsed alone (once, when the first
  positioned message arrives) and its messages, which carry the file's own lines, stand for the
  layout's: the same message without its position is the same problem.
- W001: any other WeasyPrint warning (an image it could not load, a problem in the stylesheet
  Pressroom made, which is a bug of Pressroom's: its own stylesheets and templates raise none).

Which arguments of a message are its position is read from WeasyPrint's message template (``at
%d:%d``), never guessed from the English text.
"""

from __future__ import annotations

import logging
import re
from contextlib import contextmanager
from pathlib import Path
from typing import Callable

from .errors import Finding, Location, finding

LOGGER = "weasyprint"
_SPECIFIER = re.compile(r"%[-#0 +]*\d*(?:\.\d+)?[sdrifx]")


def css_position(record: logging.LogRecord) -> tuple[int, int] | None:
    """(line, column) of a WeasyPrint message that has one (its template says ``at %d:%d``)."""
    args = record.args if isinstance(record.args, tuple) else ()
    template = str(record.msg)
    specifiers = list(_SPECIFIER.finditer(template))
    for n, (first, second) in enumerate(zip(specifiers, specifiers[1:])):
        if (template[:first.start()].endswith("at ") and template[first.end():second.start()] == ":"
                and first.group().endswith("d") and second.group().endswith("d") and n + 1 < len(args)):
            return int(args[n]), int(args[n + 1])
    return None


def _without_position(record: logging.LogRecord, position: tuple[int, int]) -> str:
    return record.getMessage().replace(f" at {position[0]}:{position[1]}", "", 1)


def stylesheet_findings(text: str, file: str) -> list[Finding]:
    """S001 for each declaration or rule WeasyPrint ignores in one stylesheet, at the file's line."""
    with _records() as records:
        import weasyprint

        # Only the text is checked: an @import is not followed (it is given an empty sheet).
        weasyprint.CSS(string=text, url_fetcher=lambda url: {"string": "", "mime_type": "text/css"})
    found = []
    for record in records:
        position = css_position(record)
        if position is None:
            found.append(finding("S001", Location(file), record.getMessage(), "warning"))
        else:
            found.append(finding("S001", Location(file, position[0]), _without_position(record, position),
                                 "warning"))
    return found


class _Handler(logging.Handler):
    def __init__(self, report: Callable[[Finding], None], book_root: Path):
        super().__init__(logging.WARNING)
        self.report = report
        self.book_root = book_root
        self.collect: list[logging.LogRecord] | None = None  # set while a sheet is parsed alone
        self._book_sheet: dict[str, list[Finding]] | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if self.collect is not None:
            self.collect.append(record)
            return
        position = css_position(record)
        if position is None:
            self.report(finding("W001", None, record.getMessage(), "warning"))
            return
        mine = self.book_sheet().get(_without_position(record, position))
        if mine:
            for found in mine:
                self.report(found)
        else:
            self.report(finding("W001", None, f"in the stylesheet Pressroom gave WeasyPrint (line {position[0]}): "
                                f"{_without_position(record, position)}", "warning"))

    def book_sheet(self) -> dict[str, list[Finding]]:
        """The book's own stylesheet's problems, by message: parsed alone on first use."""
        if self._book_sheet is None:
            from .templates import BOOK_CSS, book_stylesheet

            text = book_stylesheet(self.book_root)
            self._book_sheet = {}
            for found in stylesheet_findings(text, BOOK_CSS) if text.strip() else ():
                self._book_sheet.setdefault(found.message, []).append(found)
        return self._book_sheet


_ACTIVE: list[_Handler] = []  # the handlers installed, innermost last (parsing alone collects there)


@contextmanager
def weasyprint_findings(report: Callable[[Finding], None], book_root: str | Path):
    """While active, WeasyPrint's warnings become findings given to ``report`` (see the module)."""
    logger = _quiet_logger()
    handler = _Handler(report, Path(book_root))
    logger.addHandler(handler)
    _ACTIVE.append(handler)
    try:
        yield
    finally:
        _ACTIVE.remove(handler)
        logger.removeHandler(handler)


class _Collector(logging.Handler):
    def __init__(self, records: list[logging.LogRecord]):
        super().__init__(logging.WARNING)
        self.records = records

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def _records():
    """The records WeasyPrint logs meanwhile, collected instead of reported (active handlers pause:
    a sheet parsed alone is a check, not the layout)."""
    records: list[logging.LogRecord] = []
    logger = _quiet_logger()
    collector = _Collector(records)
    paused = [(handler, handler.collect) for handler in _ACTIVE]
    for handler, _ in paused:
        handler.collect = []
    logger.addHandler(collector)
    try:
        yield records
    finally:
        logger.removeHandler(collector)
        for handler, collect in paused:
            handler.collect = collect


def _quiet_logger() -> logging.Logger:
    """WeasyPrint's logger, with a NullHandler so that a message no one is listening for is dropped
    (as WeasyPrint itself arranges when it is imported first) rather than printed by Python."""
    logger = logging.getLogger(LOGGER)
    if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
        logger.addHandler(logging.NullHandler())
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.WARNING)
    return logger
