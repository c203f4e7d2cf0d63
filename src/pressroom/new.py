"""``pressroom new PATH``: a book that builds at once, with the default style and an empty ``templates/``.

Pressroom's templates stay in the package (copies would shadow its fixes for ever); the book's
``templates/`` folder holds a README saying how to override one template or one block of it."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

from .errors import UsageError
from .templates import BOOK_TEMPLATES, RESOURCES

CONFIG = """\
# The book: metadata, reading order and build settings.
# Paths in [contents] and [bibliography] file are relative to this folder (manuscript/).

[book]
title = "{title}"
subtitle = ""
author = "{author}"
language = "en-GB"
publisher = ""
rights = "© {author}. All rights reserved."
# Stable for every edition built from this manuscript.
identifier = "urn:uuid:{uuid}"
description = ""
subjects = []

[contents]
front = []
body = ["01-first-chapter.md"]   # or {{ part = "Part One", chapters = ["a.md", "b.md"] }}
back = []

[bibliography]
file = "bibliography.json"
style = "styles/house.csl"       # a note style turns citations into footnotes

[print]
trim = "138mm 216mm"

[typography]
abbreviations = []
"""

CHAPTER = """\
# The First Chapter

Write each chapter in its own file, in Markdown. A footnote is called like
this[^first] and defined anywhere in the file. A citation names a work in the
bibliography and a page [@doe-first-book, p. 12].

## A Section

> A block quotation is a paragraph that starts with "> ".

[^first]: The text of the footnote.
"""

BIBLIOGRAPHY = """\
[
  {
    "id": "doe-first-book",
    "type": "book",
    "author": [{"family": "Doe", "given": "Jane"}],
    "title": "The First Book",
    "publisher": "Example Press",
    "publisher-place": "London",
    "issued": {"date-parts": [[2020]]}
  }
]
"""

BOOK_CSS = """\
/* Your additions to the stylesheet, applied after Pressroom's own in every output
   (EPUB, PDF, preview). For example:
   html { font-size: 11pt; }
*/
"""


def new_book(path: Path, title: str = "Untitled Book", author: str = "Anonymous") -> list[Path]:
    """Create the book folder; refuse a folder that exists and is not empty. Returns the files made."""
    path = Path(path)
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise UsageError(f"{path} exists and is not an empty folder; choose a new path")
    manuscript = path / "manuscript"
    manuscript.mkdir(parents=True, exist_ok=True)
    (path / "styles").mkdir()
    (path / "dist").mkdir()
    files = {
        manuscript / "book.toml": CONFIG.format(title=title, author=author,
                                                 uuid=uuid.uuid5(uuid.NAMESPACE_URL, f"pressroom:{path.resolve()}")),
        manuscript / "01-first-chapter.md": CHAPTER,
        manuscript / "bibliography.json": BIBLIOGRAPHY,
        path / "styles" / "book.css": BOOK_CSS,
        path / ".gitignore": "/dist/\n/.cache/\n",
    }
    for file, text in files.items():
        file.write_text(text, encoding="utf-8")
    shutil.copyfile(RESOURCES / "house.csl", path / "styles" / "house.csl")
    (path / BOOK_TEMPLATES).mkdir()
    shutil.copyfile(RESOURCES / "book-templates-README.md", path / BOOK_TEMPLATES / "README.md")
    return sorted([*files, path / "styles" / "house.csl", path / BOOK_TEMPLATES / "README.md"])
