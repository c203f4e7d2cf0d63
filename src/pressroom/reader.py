"""The book folder → :class:`~pressroom.model.Book`.

Read everything first (config, chapters, bibliography), then resolve the
cross-references (every citation key must name a bibliography entry), so the
writers get a complete, checked model.
"""

from __future__ import annotations

import difflib
from dataclasses import replace
from pathlib import Path

from . import model as m
from .bibliography import read_bibliography
from .cache import BuildCache, digest
from .config import load_config
from .errors import Finding, Location, ManuscriptError, finding
from .ids import IdAllocator, slugify
from .markdown_reader import read_chapter
from .paths import inside_book

MANUSCRIPT = "manuscript"


def load_book(root: str | Path, cache: "BuildCache | None" = None, lenient: bool = False) -> m.Book:
    """Read the book folder. With a ``cache``, chapters whose bytes (and preceding ids) did not
    change since the last call are not parsed again. ``lenient`` leaves unknown citation keys
    for ``pressroom check`` to report instead of failing."""
    root = Path(root).resolve()
    config = load_config(root)
    ids = IdAllocator()
    chapters: list[m.Chapter] = []
    parts: dict[str, list[str]] = {}
    for entry in config.spine:
        rel = f"{MANUSCRIPT}/{entry.file}"
        path = inside_book(root, rel, Location(f"{MANUSCRIPT}/book.toml"))
        if not path.is_file():
            raise ManuscriptError(
                f"the chapter file {rel} listed in [contents] does not exist", Location(f"{MANUSCRIPT}/book.toml"),
                code="C001")
        chapter_id = ids.allocate(slugify(Path(entry.file).stem, "chapter"))
        part_id = ""
        if entry.part:
            part_id = slugify(entry.part, "part")
            parts.setdefault(part_id, [])
        chapter = _read_chapter(cache, path.read_bytes(), rel, chapter_id, entry.matter, part_id, ids)
        if entry.part:
            parts[part_id].append(chapter.id)
        chapters.append(chapter)
    part_titles = {slugify(e.part, "part"): e.part for e in config.spine if e.part}
    part_list = tuple(m.Part(ids.allocate(pid), part_titles[pid], tuple(chs)) for pid, chs in parts.items())

    references: tuple[m.Reference, ...] = ()
    if config.bibliography:
        references = read_bibliography(*_manuscript_file(root, config.bibliography, "bibliography file"))

    index_terms: tuple[m.IndexTerm, ...] = ()
    if config.index:
        from .indexing import read_index_file

        index_terms = read_index_file(*_manuscript_file(root, config.index, "index file"))

    book = m.Book(str(root), config.metadata, config.settings, tuple(chapters), part_list, references,
                  index_terms=index_terms)
    book = resolve_images(book)
    if not lenient:
        resolve_citations(book)
    return book


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
            path = inside_book(root, relative, where, "M010") if not Path(unquote(node.src)).is_absolute() else None
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
    path = inside_book(root, rel, Location(f"{MANUSCRIPT}/book.toml"))
    if not path.is_file():
        raise ManuscriptError(f"the {what} {rel} does not exist", Location(f"{MANUSCRIPT}/book.toml"), code="C001")
    return path.read_bytes(), rel


def _read_chapter(cache, data: bytes, rel: str, chapter_id: str, matter: str, part: str, ids: IdAllocator):
    if cache is None:
        return read_chapter(data, rel, chapter_id, matter, part, ids)
    before = frozenset(ids.taken)

    def compute():
        scratch = IdAllocator(before)
        chapter = read_chapter(data, rel, chapter_id, matter, part, scratch)
        return chapter, frozenset(scratch.taken - before)

    key = digest(digest(data), rel, chapter_id, matter, part, *sorted(before))
    chapter, added = cache.chapters.get(key, compute)
    ids.taken |= added
    return replace(chapter, key=key)


def unknown_citations(book: m.Book) -> list[Finding]:
    """An M001 finding for every citation key that names no bibliography entry, with the closest key."""
    known = {ref.id for ref in book.references}
    found = []
    for chapter, cite in book.citations():
        for item in cite.items:
            if item.key not in known:
                close = difflib.get_close_matches(item.key, sorted(known), n=1)
                hint = f"; did you mean @{close[0]}?" if close else "; add it to the bibliography"
                found.append(finding("M001", Location(chapter.source, cite.line),
                                     f"unknown citation key @{item.key}{hint}"))
    return found


def resolve_citations(book: m.Book) -> None:
    """Check that every cited key names a bibliography entry; report all unknown keys at once."""
    problems = unknown_citations(book)
    if problems:
        raise ManuscriptError(f"{len(problems)} citation(s) name no bibliography entry:", None, tuple(problems),
                              code="M001")
