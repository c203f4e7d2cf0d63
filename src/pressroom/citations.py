"""Citations and bibliography rendered by a CSL processor (citeproc-py).

``render_citations(book)`` → a new book whose :class:`~pressroom.model.Cite`
nodes carry their printed form, and whose ``bibliography`` lists the cited
works in the style's order, each with the citations that point to it. With a
note style (CSL ``class="note"``) every citation in the text becomes a
footnote, numbered together with the author's notes.
"""

from __future__ import annotations

import json
import threading
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path

from . import model as m
from .errors import Location, ManuscriptError
from .cache import BuildCache, digest
from .html_inlines import html_to_inlines
from .paths import inside_book
from .walk import walk

# citeproc-py has no "suppress author" flag on a cited item (citeproc-js has):
# such an item is cited through a copy of its reference without author or editor.
_NO_AUTHOR = "--no-author"


def style_path(book: m.Book) -> Path:
    if not book.settings.citation_style:
        return Path(__file__).parent / "resources" / "house.csl"
    path = inside_book(Path(book.root), book.settings.citation_style, Location("manuscript/book.toml"))
    if not path.is_file():
        raise ManuscriptError(
            f"the citation style {book.settings.citation_style} does not exist", Location("manuscript/book.toml"),
            code="C001")
    # citeproc-py parses the style with lxml's defaults, which expand entities: refuse a DOCTYPE
    # (and so any entity) before it can make the parser read a file outside the book.
    head = path.read_bytes()
    if b"<!DOCTYPE" in head.upper() or b"<!ENTITY" in head.upper():
        raise ManuscriptError("a CSL style must not declare a DOCTYPE or entities",
                              Location(book.settings.citation_style, head[: head.upper().find(b"<!")].count(b"\n") + 1),
                              code="R002")
    return path


def render_citations(book: m.Book, cache: "BuildCache | None" = None) -> m.Book:
    """Print every citation and the bibliography with the book's CSL style.

    The result depends only on the style, the references and the sequence of
    citations, so with a ``cache`` a rebuild after an edit that left them alone
    skips the processor.
    """
    cites = [cite for _, cite in book.citations()]
    if not cites:
        return book
    path = style_path(book)
    key = ""
    if cache is None:
        rendered, entries, note_style = _process(book, cites, path)
    else:
        key = digest(
            path.read_bytes(),
            json.dumps([ref.csl for ref in book.references], sort_keys=True),
            repr([(c.id, c.items) for c in cites]),
        )
        rendered, entries, note_style = cache.citations.get(key, lambda: _process(book, cites, path))

    def fill(node):
        return replace(node, rendered=rendered[node.id]) if isinstance(node, m.Cite) else node

    chapters = []
    for chapter in book.chapters:
        # The title's citations are not printed by the processor (see ChapterSurvey.cites).
        chapter = replace(
            chapter,
            blocks=walk(chapter.blocks, fill),
            notes=walk(chapter.notes, fill),
            key=digest(chapter.key, "citations", key) if chapter.key else "",
        )
        chapters.append(citations_as_notes(chapter) if note_style else chapter)
    return replace(book, chapters=tuple(chapters), bibliography=entries)


_LOOKUPS = threading.Lock()


@contextmanager
def _style_lookups_kept():
    """Within one run of citeproc-py, answer each XPath lookup on a style element once.

    citeproc-py asks the same questions of the same style elements over and over (3,500
    lookups for the sample book's 56 citations, a third of its time: the macro of a name, the
    enclosing layout, a locale's term). The answers cannot change during a run: the style is
    only ever added to where a ``<names>`` has no ``<name>``, which no lookup looks at. The
    library has no such cache, so it is put in here, for the length of one run only.
    """
    from citeproc.model import CitationStylesElement

    original = CitationStylesElement.xpath_search
    answers: dict = {}

    def xpath_search(self, expression):
        # lxml hands back the same element object for a node while one is referenced, and the
        # keys here hold them, so an element is a stable key for the run.
        found = answers.get((self, expression))
        if found is None:
            found = answers[(self, expression)] = original(self, expression)
        return list(found)

    with _LOOKUPS:
        CitationStylesElement.xpath_search = xpath_search
        try:
            yield
        finally:
            CitationStylesElement.xpath_search = original


def _process(book: m.Book, cites: list[m.Cite], path: Path):
    """Run citeproc-py: (printed citations by id, bibliography entries, whether the style is a note style)."""
    with _style_lookups_kept():
        return _run_citeproc(book, cites, path)


def _run_citeproc(book: m.Book, cites: list[m.Cite], path: Path):
    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, Locator, formatter
    from citeproc.source.json import CiteProcJSON

    try:
        style = CitationStylesStyle(str(path), validate=False)
    except Exception as exc:  # citeproc raises lxml and its own errors alike
        raise ManuscriptError(f"cannot read the CSL style: {exc}", Location(str(path.relative_to(book.root))),
                              code="R002") from None
    layout = style.root.citation.find("{http://purl.org/net/xbiblio/csl}layout")
    prefix, suffix, delimiter = (layout.get(a, "") for a in ("prefix", "suffix", "delimiter"))
    note_style = style.root.get("class") == "note"

    items = [dict(ref.csl) for ref in book.references]
    for ref in book.references:
        shadow = {k: v for k, v in ref.csl.items() if k not in ("author", "editor")}
        items.append({**shadow, "id": ref.id + _NO_AUTHOR})
    source = CiteProcJSON(items)
    original_key = {ref.id.lower(): ref.id for ref in book.references}
    bibliography = CitationStylesBibliography(style, source, formatter.html)

    citations = []
    for cite in cites:
        cited = []
        for item in cite.items:
            options = {}
            if item.locator:
                options["locator"] = Locator(item.label or "page", item.locator)
            if item.prefix:
                options["prefix"] = item.prefix + " "
            if item.suffix:
                options["suffix"] = item.suffix if item.suffix[0] in ",;.:" else " " + item.suffix
            cited.append(CitationItem(item.key + (_NO_AUTHOR if item.suppress_author else ""), **options))
        citations.append(Citation(cited))
    for citation in citations:
        bibliography.register(citation)
    for key in sorted({item.key for cite in cites for item in cite.items}):
        bibliography.register(Citation([CitationItem(key)]))  # so a work cited only without author is listed

    rendered: dict[str, tuple[m.CiteSegment, ...]] = {}
    for cite, citation in zip(cites, citations):
        html = str(bibliography.cite(citation, lambda item: None))
        rendered[cite.id] = _segments(html, cite, prefix, suffix, delimiter)

    bibliography.sort()
    cited_by: dict[str, list[str]] = {}
    for cite in cites:
        for item in cite.items:
            cited_by.setdefault(item.key, []).append(cite.id)
    entries = []
    for key, text in zip(bibliography.keys, bibliography.bibliography()):
        if key.endswith(_NO_AUTHOR):
            continue
        key = original_key.get(key, key)
        entries.append(m.BibEntry(f"ref-{key}", key, html_to_inlines(str(text)), tuple(dict.fromkeys(cited_by[key]))))
    return rendered, tuple(entries), note_style


def _segments(html: str, cite: m.Cite, prefix: str, suffix: str, delimiter: str) -> tuple[m.CiteSegment, ...]:
    """Split a printed citation into the part for each work, so each can link to its entry.

    If the split is ambiguous (a delimiter inside a title), the whole citation
    links to its first work.
    """
    inner = html
    if prefix and inner.startswith(prefix):
        inner = inner[len(prefix) :]
    else:
        prefix = ""
    if suffix and inner.endswith(suffix):
        inner = inner[: -len(suffix)]
    else:
        suffix = ""
    parts = inner.split(delimiter) if delimiter else [inner]
    keys = [item.key for item in cite.items]
    if len(parts) != len(keys):
        parts, keys = [inner], keys[:1]
    out: list[m.CiteSegment] = []
    if prefix:
        out.append(m.CiteSegment("", html_to_inlines(prefix)))
    for n, (key, part) in enumerate(zip(keys, parts)):
        if n:
            out.append(m.CiteSegment("", html_to_inlines(delimiter)))
        out.append(m.CiteSegment(key, html_to_inlines(part)))
    if suffix:
        out.append(m.CiteSegment("", html_to_inlines(suffix)))
    return tuple(out)


def citations_as_notes(chapter: m.Chapter) -> m.Chapter:
    """Move every citation of the text into a footnote of its own; renumber all notes in order of their calls."""
    numbers: dict[str, int] = {}
    new_notes: list[m.Note] = []

    def call(note_id: str) -> m.NoteRef:
        return m.NoteRef(note_id, numbers.setdefault(note_id, len(numbers) + 1))

    def convert(node):
        if isinstance(node, m.Cite):
            note_id = f"{node.id}-note"
            new_notes.append(m.Note(note_id, node.id, 0, (m.Paragraph((node,), node.line),), f"{note_id}-ref", node.line))
            return call(note_id)
        if isinstance(node, m.NoteRef):
            return call(node.note_id)
        return node

    blocks = walk(chapter.blocks, convert, leaves=(m.Cite,))
    notes = [replace(n, number=numbers[n.id]) for n in (*chapter.notes, *new_notes) if n.id in numbers]
    return replace(chapter, blocks=blocks, notes=tuple(sorted(notes, key=lambda n: n.number)))
