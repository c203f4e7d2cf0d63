"""The book folder → :class:`~pressroom.model.Book`.

Read everything first (config, chapters, bibliography), then resolve the
cross-references (every citation key must name a bibliography entry), so the
writers get a complete, checked model.
"""

from __future__ import annotations

import difflib
from pathlib import Path

from . import model as m
from .bibliography import read_bibliographies
from .errors import Finding, Location, ManuscriptError, finding
from .ids import IdAllocator
from .images import image_problem
from .markdown_reader import read_chapter
from .paths import inside_book, read_book_file

MANUSCRIPT = "manuscript"


def load_book(root: str | Path, lenient: bool = False) -> m.Book:
    """Read the book folder into a model (the driver's read stage, with nothing memoised).
    ``lenient`` leaves unknown citation keys for ``pressroom check`` to report instead of failing."""
    from .memo import NO_MEMO
    from .pipeline import read_book

    return read_book(Path(root), NO_MEMO, lenient)


def spine_files(root: Path, config) -> list[tuple[Path, str]]:
    """(path, book-relative name) of every chapter file in reading order, each checked to exist inside the book."""
    found = []
    for entry in config.spine:
        rel = f"{MANUSCRIPT}/{entry.file}"
        path = inside_book(root, rel, Location(f"{MANUSCRIPT}/book.toml"), code="C001")
        if not path.is_file():
            raise ManuscriptError(
                f"the chapter file {rel} listed in [contents] does not exist", Location(f"{MANUSCRIPT}/book.toml"),
                code="C001")
        found.append((path, rel))
    return found


def read_chapter_file(data: bytes, rel: str, chapter_id: str, matter: str, part: str,
                      taken: frozenset[str], numbers_before: tuple[int, int] = (0, 0)) -> tuple[m.Chapter, frozenset[str]]:
    """A chapter file's bytes → (the chapter, the ids it took), given the ids ``taken`` before it and
    the numbers of captioned tables and figures before it (numbered through the book)."""
    ids = IdAllocator(set(taken))
    chapter = read_chapter(data, rel, chapter_id, matter, part, ids, numbers_before)
    return chapter, frozenset(ids.taken - taken)


def read_references(root: Path, config) -> tuple[m.Reference, ...]:
    return read_bibliographies([_manuscript_file(root, name, "bibliography file") for name in config.bibliography])


def read_index_terms(root: Path, config) -> tuple[m.IndexTerm, ...]:
    if not config.index:
        return ()
    from .indexing import read_index_file

    return read_index_file(*_manuscript_file(root, config.index, "index file"))


IMAGE_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".gif": "image/gif",
               ".svg": "image/svg+xml", ".webp": "image/webp"}


def resolve_images(book: m.Book) -> m.Book:
    """Check every image path (inside the book, an existing image file) and make it relative to the book folder."""
    from dataclasses import replace
    from urllib.parse import unquote, urlsplit

    from .walk import walk

    root = Path(book.root)
    problems: list[Finding] = []

    def refuse(where: Location, message: str) -> None:
        problems.append(finding("M010", where, message))

    def fix(node):
        if not isinstance(node, m.Image):
            return node
        where = Location(chapter.source, node.line)
        if urlsplit(node.src).scheme:
            refuse(where, f"the image {node.src!r} is not a file in the book; "
                   "Pressroom embeds only the book's own images")
            return node
        relative = str(Path(chapter.source).parent / unquote(node.src))
        try:
            path = inside_book(root, relative, where, code="M010") if not Path(unquote(node.src)).is_absolute() else None
        except ManuscriptError as exc:
            problems.extend(exc.findings)
            return node
        if path is None:
            refuse(where, f"{node.src!r} is an absolute path; give a path inside the book folder")
            return node
        if not path.is_file():
            refuse(where, f"the image {node.src} does not exist (looked for {path.relative_to(root)})")
            return node
        if path.suffix.lower() not in IMAGE_TYPES:
            refuse(where, f"{node.src} is not an image Pressroom can embed ({', '.join(sorted(IMAGE_TYPES))})")
            return node
        problem = image_problem(path)
        if problem:
            problems.append(finding("M010", where, f"the image {node.src}: {problem}"))
            return node
        return replace(node, src=str(path.relative_to(root)))

    chapters = []
    for chapter in book.chapters:
        if chapter.survey.images:  # rebuilding a chapter with no image would only cost time
            chapter = walk(chapter, fix)
        chapters.append(chapter)
    if problems:
        raise ManuscriptError(f"{len(problems)} image problem(s):", None, tuple(problems), code="M010")
    return replace(book, chapters=tuple(chapters))


def _manuscript_file(root: Path, name: str, what: str) -> tuple[bytes, str]:
    """(bytes, path for messages) of a file the config names, checked to be inside the book."""
    rel = f"{MANUSCRIPT}/{name}"
    return read_book_file(root, rel, Location(f"{MANUSCRIPT}/book.toml"), what, code="C001"), rel


def unknown_citations(book: m.Book) -> list[Finding]:
    """An M001 finding for every citation key that names no bibliography entry, with the closest key."""
    return cite_problems(book.references, [(chapter.source, cite) for chapter, cite in book.citations()])


def cite_problems(references: tuple[m.Reference, ...], placed) -> list[Finding]:
    """An M001 finding for every cited key of ``placed`` ((chapter source, Cite) pairs) that names no
    reference, with the closest key."""
    known = {ref.id for ref in references}
    found = []
    for source, cite in placed:
        for item in cite.items:
            if item.key not in known:
                close = difflib.get_close_matches(item.key, sorted(known), n=1)
                hint = f"; did you mean @{close[0]}?" if close else "; add it to the bibliography"
                found.append(finding("M001", Location(source, cite.line), f"unknown citation key @{item.key}{hint}"))
    return found


def nocite_problems(references: tuple[m.Reference, ...], keys: tuple[str, ...]) -> list[Finding]:
    """A C001 finding for every key of ``[bibliography] nocite`` that names no reference ("*" names all)."""
    known = {ref.id for ref in references}
    found = []
    for key in keys:
        if key != "*" and key not in known:
            close = difflib.get_close_matches(key, sorted(known), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            found.append(finding("C001", Location(f"{MANUSCRIPT}/book.toml"),
                                 f"[bibliography] nocite names {key!r}, which is in no bibliography file{hint}"))
    return found
