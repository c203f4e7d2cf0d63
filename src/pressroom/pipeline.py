"""The build's stages, run by one driver: read → resolve → typeset (→ print layout → write).

Each stage is a pure function of its inputs; the driver runs it through a
:class:`~pressroom.memo.Memo`, which keeps each result under a digest of the stage's code and
of exactly the arguments it was given. Per-chapter work is mapped over the chapters here, by
the driver, so after an edit only the changed chapters are read, marked and typeset again:

- **read**: the config, each chapter file (``reader.read_chapter_file``: its bytes, place in the
  book and the ids taken before it) and what the driver needs of it (:class:`ChapterFacts`), the
  bibliography and the index file; images checked;
- **resolve and typeset**: citations printed by pandoc's citeproc once for the book
  (``citations.print_citations``: the style's bytes, the references, every citation where it
  stands, the locale), on a thread of its own while this one marks the index terms in each
  chapter, gathers the index and typesets the text that holds no citation; then the citations
  filled into each chapter and the text that holds them typeset; then the metadata, bibliography
  and part titles.

The print layout and the writers are run by :mod:`pressroom.build`, which gives the writers this
memo's ``run`` for the pieces they make (the print page map, the cover, each chapter's page).
``NO_MEMO`` (the default) runs every stage plainly: ``build --no-cache``, ``check`` and tests.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from . import model as m
from . import walk
from .citations import cite_places, fill_citations, print_citations
from .csl_styles import book_locale, style_source
from .codec import register
from .config import load_config
from . import ids as id_scheme
from .ids import IdAllocator
from .indexing import gather_index, index_spellings, mark_index_terms
from .crossrefs import resolve_crossrefs
from .links import resolve_links
from .memo import NO_MEMO, Memo, Ref
from .reader import (cite_problems, nocite_problems, read_chapter_file, read_index_terms, read_references,
                     resolve_images, spine_files)
from .notes import number_through_book
from .bibliography_scopes import scope_bibliography
from .typography import typeset_book_matter, typeset_chapter


@register
@dataclass(frozen=True)
class ChapterFacts:
    """What the driver needs to know of a chapter as read, kept apart from the chapter itself, so
    that an unchanged chapter's intermediate results are named by their keys and never loaded."""

    source: str
    taken: frozenset[str]  # the ids it took (its id, its headings')
    cites: tuple[m.Cite, ...]  # in reading order, notes included
    places: tuple[tuple[str, tuple[str, ...]], ...]  # where they stand (citations.cite_places)
    images: tuple[str, ...]  # as written in the chapter
    numbers: tuple[int, int] = (0, 0)  # the last numbers of a captioned table and a figure it reached


def _last_numbers(chapter: m.Chapter, before: tuple[int, int]) -> tuple[int, int]:
    tables = [t.number for t in walk.query(chapter, m.Table) if t.number]
    figures = [f.number for f in walk.query(chapter, m.Figure)]
    return max(tables, default=before[0]), max(figures, default=before[1])


def chapter_facts(read: tuple[m.Chapter, frozenset[str]], numbers_before: tuple[int, int] = (0, 0)) -> ChapterFacts:
    chapter, taken = read
    survey = chapter.survey
    return ChapterFacts(chapter.source, taken, survey.cites, cite_places(chapter), survey.images,
                        _last_numbers(chapter, numbers_before))


def index_places(marked: tuple[m.Chapter, tuple[tuple[str, str, str], ...]]) -> tuple[tuple[str, str, str], ...]:
    """The (term, sub-entry, mark id) of a marked chapter (a result kept apart, as ChapterFacts)."""
    return marked[1]


@dataclass(frozen=True)
class _Read:
    """The book as read, its chapters as results of the memo (lazy) and the facts the driver needs."""

    book: m.Book  # everything but the chapters
    chapters: tuple["Ref | m.Chapter", ...]
    facts: tuple[ChapterFacts, ...]


def _read(root: Path, memo: Memo, lenient: bool) -> _Read:
    root = Path(root).resolve()
    config = load_config(root)
    # Chapter and part ids first, all of them, so that no heading of an earlier chapter takes the
    # name of a later chapter (its EPUB file) or of a part.
    ids = IdAllocator()
    chapter_ids = [ids.allocate(id_scheme.chapter_slug(Path(entry.file).stem)) for entry in config.spine]
    part_ids: dict[str, str] = {}  # title → id, in reading order
    for entry in config.spine:
        if entry.part and entry.part not in part_ids:
            part_ids[entry.part] = ids.allocate(id_scheme.part_slug(entry.part))
    chapters: list[Ref | m.Chapter] = []
    facts: list[ChapterFacts] = []
    numbers = (0, 0)  # tables and figures are numbered through the book
    parts: dict[str, list[str]] = {pid: [] for pid in part_ids.values()}
    for entry, chapter_id, (path, rel) in zip(config.spine, chapter_ids, spine_files(root, config)):
        part_id = part_ids[entry.part] if entry.part else ""
        read = memo.ref(read_chapter_file, path.read_bytes(), rel, chapter_id, entry.matter, part_id,
                        frozenset(ids.taken), numbers)
        found = memo.run(chapter_facts, read, numbers)
        ids.taken |= found.taken
        numbers = found.numbers
        if part_id:
            parts.setdefault(part_id, []).append(chapter_id)
        chapters.append(memo.item(read, 0))
        facts.append(found)
    part_list = tuple(m.Part(pid, title, tuple(parts[pid])) for title, pid in part_ids.items())
    book = m.Book(str(root), config.metadata, config.settings, (), part_list,
                  read_references(root, config), index_terms=read_index_terms(root, config))
    # Images are checked against the folder at every build; only chapters that show some are loaded.
    with_images = [n for n, found in enumerate(facts) if found.images]
    if with_images:
        resolved = resolve_images(replace(book, chapters=tuple(chapters[n].get() for n in with_images)))
        for n, chapter in zip(with_images, resolved.chapters):
            chapters[n] = chapter
    if not lenient:
        problems = cite_problems(book.references, [(found.source, cite) for found in facts for cite in found.cites])
        problems += nocite_problems(book.references, book.settings.citation_nocite)
        if problems:
            from .errors import ManuscriptError

            raise ManuscriptError(f"{len(problems)} citation(s) name no bibliography entry:", None, tuple(problems),
                                  code="M001")
    return _Read(book, tuple(chapters), tuple(facts))


def _value(chapter: "Ref | m.Chapter") -> m.Chapter:
    return chapter.get() if isinstance(chapter, Ref) else chapter


def read_book(root: Path, memo: Memo = NO_MEMO, lenient: bool = False) -> m.Book:
    """The book folder → the model as written. ``lenient`` leaves unknown citation keys for
    ``pressroom check`` to report instead of failing."""
    read = _read(root, memo, lenient)
    return replace(read.book, chapters=tuple(_value(c) for c in read.chapters))


def citation_inputs(read: _Read) -> tuple | None:
    """The arguments of the citations stage (``citations.print_citations``) for the book as read, or
    None when it cites nothing."""
    book = read.book
    cites = tuple(cite for found in read.facts for cite in found.cites)
    nocite = book.settings.citation_nocite
    if not (cites or nocite):
        return None
    style, style_file = style_source(book)
    # The citations without their lines: an edit that moves a citation but changes none
    # does not run pandoc again.
    unplaced = {cite.id: replace(cite, line=0) for cite in cites}
    places = tuple((note, tuple(unplaced[c] for c in ids)) for found in read.facts for note, ids in found.places)
    return style, style_file, book.references, places, book_locale(book), nocite


def _resolve(read: _Read, memo: Memo, meanwhile: Callable[[], None] = lambda: None) -> tuple[m.Book, list]:
    """Citations printed and filled in, index terms marked and gathered, each chapter typeset; the
    chapters as the memo's results.

    pandoc prints the citations on a thread of its own (:meth:`Memo.start`) while this one marks the
    index terms and sets the text that holds no citation (``typeset_chapter(..., part="plain")``); the
    runs of text that hold a citation are set once it is filled in (``part="citing"``). Neither the
    marking nor the plain text depends on how a citation is printed: an index is never marked inside
    a citation, and each run of text is set on its own. ``meanwhile`` (the caller's work that needs
    no part of the book) is done in that time too, when pandoc is at work."""
    book, chapters = read.book, list(read.chapters)
    citing = citation_inputs(read)
    printed = memo.start(print_citations, *citing) if citing else None
    spellings = index_spellings(book.index_terms)
    # Marking index terms costs less than reading its results back: they are kept in memory only,
    # named by their keys to the typesetting after them (which is kept).
    marked = [memo.ref(mark_index_terms, chapter, spellings, keep=False) for chapter in chapters]
    places = [memo.run(index_places, ref) for ref in marked]
    book = replace(book, index=gather_index(book.index_terms, places, book.metadata.language))
    typeset_as = (book.settings.abbreviations, book.metadata.language, book.settings.hyphenation)
    if printed is None:
        return book, [memo.ref(typeset_chapter, memo.item(ref, 0), *typeset_as) for ref in marked]
    plain = [memo.ref(typeset_chapter, memo.item(ref, 0), *typeset_as, "plain", keep=False) for ref in marked]
    if not printed.ready():  # pandoc is at work: set the plain text meanwhile
        for ref in plain:
            ref.get()
        meanwhile()
    done = printed.get()
    filled = [memo.ref(fill_citations, ref, {c.id: done.rendered[c.id] for c in found.cites}, done.note_style,
                       keep=False)
              for ref, found in zip(plain, read.facts)]
    return (replace(book, bibliography=done.bibliography),
            [memo.ref(typeset_chapter, ref, *typeset_as, "citing") for ref in filled])


def prepare_book(root: Path, memo: Memo = NO_MEMO, meanwhile: Callable[[], None] = lambda: None) -> m.Book:
    """Read, resolve and typeset: the finished book every writer and the preview take. Each
    chapter goes through the stages as a chain of memo results, so an unchanged chapter is not
    read, marked or typeset again, and only its last result is loaded. ``meanwhile``: work of the
    caller's that needs no part of the book, done while pandoc prints the citations (if it does)."""
    book, chapters = _resolve(_read(root, memo, lenient=False), memo, meanwhile)
    typeset = tuple(ref.get() for ref in chapters)
    if book.settings.note_numbering == "book":
        typeset = number_through_book(typeset)
    # Links last: they may point to any id the other stages made (cheap: each chapter's survey
    # lists its links, and the writers ask for the survey anyway).
    return resolve_links(scope_bibliography(resolve_crossrefs(typeset_book_matter(replace(book, chapters=typeset)))))
