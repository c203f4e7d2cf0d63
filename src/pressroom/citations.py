"""Citations and bibliography rendered by a CSL processor (citeproc-py).

``print_citations(style, references, cites)`` → :class:`Printed`: every
citation's printed form, and the bibliography of the cited works in the style's
order, each with the citations that point to it. ``fill_citations(chapter, …)``
puts the printed forms into a chapter's :class:`~pressroom.model.Cite` nodes;
with a note style (CSL ``class="note"``) every citation in the text becomes a
footnote, numbered together with the author's notes. The driver
(:mod:`pressroom.pipeline`) runs the first once per book and the second per chapter.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Mapping

from . import model as m
from .adapters.citeproc import style_lookups_kept
from .codec import register
from .errors import Location, ManuscriptError
from .html_inlines import html_to_inlines
from .ids import bib_entry_id, cite_note_id, note_ref_id
from .paths import inside_book
from .walk import walk, walk_inline_sequences

# citeproc-py has no "suppress author" flag on a cited item (citeproc-js has):
# such an item is cited through a copy of its reference without author or editor.
_NO_AUTHOR = "--no-author"


def style_path(book: m.Book) -> Path:
    if not book.settings.citation_style:
        return Path(__file__).parent / "resources" / "house.csl"
    path = inside_book(Path(book.root), book.settings.citation_style, Location("manuscript/book.toml"), code="C001")
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
    _check_style(head, book.settings.citation_style)
    return path


CSL_NAMESPACE = "http://purl.org/net/xbiblio/csl"


def _check_style(data: bytes, source: str) -> None:
    """Refuse a file that is not a CSL style (not XML, or not a ``<style>`` in the CSL namespace),
    parsed without entities or network, before citeproc-py meets it."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ManuscriptError(f"not a CSL style: the XML is not well-formed ({exc.msg})",
                              Location(source, exc.lineno or 0), code="R002") from None
    if root.tag != f"{{{CSL_NAMESPACE}}}style":
        raise ManuscriptError(f"not a CSL style: its root element is <{etree.QName(root).localname}>, expected "
                              f'<style xmlns="{CSL_NAMESPACE}" …>', Location(source, root.sourceline or 1),
                              code="R002")


def style_source(book: m.Book) -> tuple[bytes, str]:
    """(bytes, path for messages) of the book's citation style, checked (see :func:`style_path`)."""
    path = style_path(book)
    shown = str(path.relative_to(book.root)) if path.is_relative_to(book.root) else path.name
    return path.read_bytes(), shown


def book_cites(book: m.Book) -> tuple[m.Cite, ...]:
    """Every citation of the book, in reading order (notes included)."""
    return tuple(cite for _, cite in book.citations())


@register
@dataclass(frozen=True)
class Printed:
    """What the citation processor made of a book's citations."""

    rendered: Mapping[str, tuple[m.CiteSegment, ...]]  # cite id → the citation as printed
    bibliography: tuple[m.BibEntry, ...]  # in the style's order
    note_style: bool  # the style sets citations as footnotes


def print_citations(style: bytes, style_file: str, references: tuple[m.Reference, ...],
                    cites: tuple[m.Cite, ...]) -> Printed:
    """Run citeproc-py over the citations with the style (its bytes; ``style_file`` for messages).

    A pure function of its arguments: the driver runs it only when the style, the references or
    the sequence of citations changed."""
    with style_lookups_kept():
        rendered, entries, note_style = _run_citeproc(style, style_file, references, list(cites))
    return Printed(rendered, entries, note_style)


def fill_citations(chapter: m.Chapter, rendered: Mapping[str, tuple[m.CiteSegment, ...]],
                   note_style: bool) -> m.Chapter:
    """The chapter with each citation's printed form (``rendered``: at least this chapter's cites);
    with a note style, every citation of the text moved into a footnote of its own."""
    def fill(node):
        return replace(node, rendered=rendered[node.id]) if isinstance(node, m.Cite) else node

    # The title's citations are not printed by the processor (see ChapterSurvey.cites).
    chapter = replace(chapter, blocks=walk(chapter.blocks, fill), notes=walk(chapter.notes, fill))
    return citations_as_notes(chapter) if note_style else chapter


def _run_citeproc(style_bytes: bytes, style_file: str, references: tuple[m.Reference, ...], cites: list[m.Cite]):
    """(printed citations by id, bibliography entries, whether the style is a note style)."""
    import io

    from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle, Locator, formatter
    from citeproc.source.json import CiteProcJSON

    try:
        style = CitationStylesStyle(io.BytesIO(style_bytes), validate=False)
    except Exception as exc:  # citeproc raises lxml and its own errors alike
        raise ManuscriptError(f"cannot read the CSL style: {exc}", Location(style_file), code="R002") from None
    layout = style.root.citation.find("{http://purl.org/net/xbiblio/csl}layout")
    prefix, suffix, delimiter = (layout.get(a, "") for a in ("prefix", "suffix", "delimiter"))
    note_style = style.root.get("class") == "note"

    items = [dict(ref.csl) for ref in references]
    for ref in references:
        shadow = {k: v for k, v in ref.csl.items() if k not in ("author", "editor")}
        items.append({**shadow, "id": ref.id + _NO_AUTHOR})
    source = CiteProcJSON(items)
    original_key = {ref.id.lower(): ref.id for ref in references}
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
        entries.append(m.BibEntry(bib_entry_id(key), key, html_to_inlines(str(text)), tuple(dict.fromkeys(cited_by[key]))))
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
            note_id = cite_note_id(node.id)
            new_notes.append(m.Note(note_id, node.id, 0, (m.Paragraph((node,), node.line),), note_ref_id(note_id),
                                    node.line))
            return call(note_id)
        if isinstance(node, m.NoteRef):
            return call(node.note_id)
        return node

    blocks = walk(chapter.blocks, convert, leaves=(m.Cite,))
    cite_notes = frozenset(note.id for note in new_notes)
    blocks = walk_inline_sequences(blocks, lambda inlines: calls_after_punctuation(inlines, cite_notes))
    notes = [replace(n, number=numbers[n.id]) for n in (*chapter.notes, *new_notes) if n.id in numbers]
    return replace(chapter, blocks=blocks, notes=tuple(sorted(notes, key=lambda n: n.number)))


# The marks a note call follows rather than precedes ("way.¹", not "way ¹.").
CALL_FOLLOWS = ".,;:!?…"


def calls_after_punctuation(inlines: tuple[m.Inline, ...], note_ids: frozenset[str]) -> tuple[m.Inline, ...]:
    """One inline sequence with each call of a note in ``note_ids`` set as a publisher sets it: the
    space (or source line break) before the call taken out, and the punctuation right after it moved before it
    ("the whole way [@x]." → "the whole way.¹"). Other calls (the author's own ``[^n]``) stay where
    the author put them. The same tuple if there is nothing to do."""
    out: list[m.Inline] = []
    moved = False
    index = 0
    while index < len(inlines):
        node = inlines[index]
        index += 1
        if not (isinstance(node, m.NoteRef) and node.note_id in note_ids):
            out.append(node)
            continue
        moved = True
        while out and (isinstance(out[-1], m.SoftBreak) or (isinstance(out[-1], m.Text) and out[-1].text.endswith(" "))):
            before = out.pop()
            if isinstance(before, m.Text) and before.text.rstrip(" "):
                out.append(m.Text(before.text.rstrip(" ")))
        after = inlines[index] if index < len(inlines) else None
        if isinstance(after, m.Text):
            rest = after.text.lstrip(CALL_FOLLOWS)
            marks = after.text[:len(after.text) - len(rest)]
            if marks:
                out.append(m.Text(marks))
                out.append(node)
                if rest:
                    out.append(m.Text(rest))
                index += 1
                continue
        out.append(node)
    if not moved:
        return inlines
    return _joined_texts(out)


def _joined_texts(inlines: list[m.Inline]) -> tuple[m.Inline, ...]:
    """Adjacent texts joined into one (as the reader makes them)."""
    out: list[m.Inline] = []
    for node in inlines:
        if isinstance(node, m.Text) and out and isinstance(out[-1], m.Text):
            out[-1] = m.Text(out[-1].text + node.text)
        else:
            out.append(node)
    return tuple(out)
