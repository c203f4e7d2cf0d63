"""The book's own stylesheet, ``styles/book.css``: read through the path gate, checked, returned as text.

A stylesheet can make a renderer fetch files (``url(…)``, ``@import``): the book's may refer only to
files inside the book folder (or to ``data:`` URLs); anything else — another scheme (``file:``,
``http:``), an absolute path, a path that climbs out — is a user error with the line, before any
output is made. The same rule holds again when WeasyPrint fetches (see :func:`pressroom.adapters.weasyprint.book_fetcher`).
"""

from __future__ import annotations

import re
from pathlib import Path

from .errors import Location, ManuscriptError, finding
from .paths import inside_book, optional_book_file

BOOK_CSS = "styles/book.css"
_REFERENCE = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)|@import\s+(?:"([^"]*)"|'([^']*)')""", re.I)
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):")


def read_book_css(book_root: str | Path) -> str:
    """The text of ``styles/book.css`` ("" when the book has none). Raises a :class:`ManuscriptError`
    (code S002) when it is not UTF-8, leaves the book folder, or refers to a file outside it."""
    root = Path(book_root)
    path = optional_book_file(root, BOOK_CSS, code="S002")
    if path is None:
        return ""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ManuscriptError(f"not UTF-8 text (byte {exc.start}); save the stylesheet as UTF-8",
                              Location(BOOK_CSS, data[: exc.start].count(b"\n") + 1), code="S002") from None
    problems = []
    for match in _REFERENCE.finditer(text):
        target = next(g for g in match.groups() if g is not None).strip()
        where = Location(BOOK_CSS, text.count("\n", 0, match.start()) + 1)
        problem = reference_problem(root, target, where)
        if problem:
            problems.append(finding("S002", where, problem))
    if problems:
        raise ManuscriptError(f"{len(problems)} problem(s) in {BOOK_CSS}:", None, tuple(problems), code="S002")
    return text


def reference_problem(root: Path, target: str, where: Location) -> str:
    """Why the stylesheet may not refer to ``target`` ("" when it may: a data: URL, a fragment, a
    file inside the book)."""
    if not target or target.startswith("#"):
        return ""
    scheme = _SCHEME.match(target)
    if scheme:
        if scheme.group(1).lower() == "data":
            return ""
        return f"url({target[:60]}): a stylesheet may use only the book's own files (a path relative to styles/)"
    relative = str(Path("styles") / target.split("?")[0].split("#")[0])
    try:
        inside_book(root, relative, where)
    except ManuscriptError as exc:
        return f"url({target[:60]}): {exc.message}"
    return ""
