"""The book's own files that the writers read as they stand: templates, stylesheets, images.

A stage that reads files of the book folder (a Jinja template override, ``styles/book.css``, an
image WeasyPrint measures) takes a :class:`BookFiles` value among its arguments: its digest
covers the bytes of every such file, so the memo's key of the stage changes when any of them does.
Chapters, the config, the bibliography and the index file are not in it: they reach the stages
through the book model, whose values are in the keys already. Files a book's stylesheet refers to
(fonts, background images) belong in ``styles/``, beside it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import model as m
from .codec import register

# The folders whose every file a writer may read: template overrides; the book's stylesheet and
# whatever it refers to (fonts, images: kept beside it); the citation style.
FOLDERS = ("templates", "styles")

@register
@dataclass(frozen=True)
class BookFiles:
    root: str  # the book folder (absolute path)
    digest: str  # of every file a writer may read there, with its path


def book_files(book: m.Book) -> BookFiles:
    """The files a writer reads from the book folder as a stage input: every file under
    ``templates/`` and ``styles/`` (hidden ones aside), the images the chapters show and the
    cover image, hashed with their book-relative paths, in sorted order."""
    from .memo import digest

    root = Path(book.root)
    paths: set[Path] = set()
    for name in FOLDERS:
        for folder, dirs, files in os.walk(root / name):
            dirs[:] = [d for d in dirs if not d.startswith(".")]
            paths.update(Path(folder) / f for f in files if not f.startswith("."))
    paths.update(root / src for chapter in book.chapters for src in chapter.survey.images)
    if book.settings.cover_image:
        paths.add(root / book.settings.cover_image)
    parts: list[bytes] = []
    for path in sorted(paths):
        rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        try:
            parts.append(rel.encode("utf-8") + b"\0" + path.read_bytes())
        except OSError:
            parts.append(rel.encode("utf-8") + b"\0unreadable")
    return BookFiles(str(root), digest(*parts))


@lru_cache(maxsize=4)
def environment_for(files: BookFiles):
    """The Jinja environment for the book's templates as they stand (one per state of the folder)."""
    from .templates import environment

    return environment(files.root)
