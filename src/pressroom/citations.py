"""Citations and bibliography set by pandoc's citeproc (:mod:`pressroom.adapters.pandoc_citeproc`).

``print_citations(style, references, places, locale)`` → :class:`Printed`: every citation's
printed form, and the bibliography of the cited works in the style's order, each with the
citations that point to it, from ONE run of pandoc over a document of every citation of the book
in reading order (each author's note a note, so that "Ibid." and short forms follow the notes as
printed). ``fill_citations(chapter, …)`` puts the printed forms into a chapter's
:class:`~pressroom.model.Cite` nodes; with a note style (CSL ``class="note"``) every citation in
the text becomes a footnote, numbered together with the author's notes. The driver
(:mod:`pressroom.pipeline`) runs the first once per book and the second per chapter.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from typing import Mapping

from . import model as m
from .adapters.pandoc_citeproc import PandocFailed, run_pandoc
from .codec import register
from .csl_styles import is_note_style, locator_terms
from .errors import Location, ManuscriptError
from .ids import bib_entry_id, cite_note_id, note_ref_id
from .walk import iter_nodes, query, walk, walk_inline_sequences

# The pandoc document model the citations are written in (pandoc-types; pandoc 3.9 writes 1.23.1).
PANDOC_API = [1, 23, 1]
REF_TARGET = "#ref-"  # pandoc's link-citations: each work of a citation links to "#ref-KEY"


def book_cites(book: m.Book) -> tuple[m.Cite, ...]:
    """Every citation of the book, in reading order (notes included)."""
    return tuple(cite for _, cite in book.citations())


def cite_places(chapter: m.Chapter) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Where a chapter's citations stand, in reading order: ``("", (cite id,))`` for a citation of
    the text, ``(note id, (cite ids…))`` for an author's note at its call (with or without
    citations: each note counts in the notes' numbering); notes never called come last."""
    places: list[tuple[str, tuple[str, ...]]] = []
    notes = {note.id: note for note in chapter.notes}
    called: set[str] = set()
    for node in iter_nodes(chapter.blocks, leaves=(m.Cite,)):
        if isinstance(node, m.Cite):
            places.append(("", (node.id,)))
        elif isinstance(node, m.NoteRef) and node.note_id in notes and node.note_id not in called:
            called.add(node.note_id)
            places.append((node.note_id, tuple(c.id for c in query(notes[node.note_id].blocks, m.Cite,
                                                                    leaves=(m.Cite,)))))
    places += [(note.id, tuple(c.id for c in query(note.blocks, m.Cite, leaves=(m.Cite,))))
               for note in chapter.notes if note.id not in called]
    return tuple(places)


@register
@dataclass(frozen=True)
class Printed:
    """What the citation processor made of a book's citations."""

    rendered: Mapping[str, tuple[m.CiteSegment, ...]]  # cite id → the citation as printed
    bibliography: tuple[m.BibEntry, ...]  # in the style's order
    note_style: bool  # the style sets citations as footnotes


def print_citations(style: bytes, style_file: str, references: tuple[m.Reference, ...],
                    places: tuple[tuple[str, tuple[m.Cite, ...]], ...], locale: str = "",
                    nocite: tuple[str, ...] = ()) -> Printed:
    """Run pandoc's citeproc once over every citation of the book.

    ``places``: the citations in reading order, each ``("", (cite,))`` in the text or
    ``(note id, cites)`` in an author's note (see :func:`cite_places`); ``locale`` the CSL locale
    ("" for the style's); ``nocite`` the keys of works listed though never cited ("*": every
    work). A pure function of its arguments: the driver runs it only when the style,
    the references, the locale or the citations (not their lines) changed."""
    cites = [cite for _, group in places for cite in group]
    document = citation_document(places, locator_terms(locale), locale, nocite)
    try:
        out = run_pandoc(["--from=json", "--to=json", "--citeproc", "--csl=style.csl",
                          "--bibliography=references.json"],
                         json.dumps(document).encode("utf-8"),
                         {"style.csl": style,
                          "references.json": json.dumps([dict(r.csl) for r in references]).encode("utf-8")})
    except PandocFailed as exc:
        raise ManuscriptError(f"pandoc's citeproc could not set the citations with this style: {exc}",
                              Location(style_file), code="R002") from None
    result = json.loads(out)
    found = [node for node in _pandoc_nodes(result["blocks"]) if node.get("t") == "Cite"]
    if len(found) != len(cites):  # pandoc gives back every Cite it was handed, in order
        raise RuntimeError(f"pandoc gave back {len(found)} citations for {len(cites)}")
    rendered = {cite.id: _segments(node["c"][1]) for cite, node in zip(cites, found)}
    cited_by: dict[str, list[str]] = {}
    for cite in cites:
        for item in cite.items:
            cited_by.setdefault(item.key, []).append(cite.id)
    entries = []
    for node in _pandoc_nodes(result["blocks"]):
        if node.get("t") == "Div" and node["c"][0][0].startswith("ref-") and "csl-entry" in node["c"][0][1]:
            key = node["c"][0][0][len("ref-"):]
            entries.append(m.BibEntry(bib_entry_id(key), key, _block_inlines(node["c"][1]),
                                      tuple(dict.fromkeys(cited_by.get(key, ())))))
    return Printed(rendered, tuple(entries), is_note_style(style))


def citation_document(places, terms: Mapping[str, str], locale: str, nocite: tuple[str, ...] = ()) -> dict:
    """The pandoc document (JSON) of every citation: one paragraph per citation of the text, one
    paragraph with a note per author's note (its citations side by side in the note)."""
    blocks = []
    for note_id, cites in places:
        if not note_id:
            blocks.append({"t": "Para", "c": [_pandoc_cite(cites[0], terms)]})
            continue
        inside = []
        for cite in cites:
            inside += [_pandoc_cite(cite, terms), {"t": "Space"}]
        inside = inside[:-1] or [{"t": "Str", "c": "note"}]
        blocks.append({"t": "Para", "c": [{"t": "Str", "c": "x"}, {"t": "Note", "c": [{"t": "Para", "c": inside}]}]})
    meta = {"link-citations": {"t": "MetaBool", "c": True}, "link-bibliography": {"t": "MetaBool", "c": False}}
    if nocite:
        listed = m.Cite("nocite", tuple(m.CiteItem(key) for key in nocite))
        meta["nocite"] = {"t": "MetaInlines", "c": [_pandoc_cite(listed, terms)]}
    if locale:
        meta["lang"] = {"t": "MetaInlines", "c": [{"t": "Str", "c": locale}]}
    return {"pandoc-api-version": PANDOC_API, "meta": meta, "blocks": blocks}


def _pandoc_cite(cite: m.Cite, terms: Mapping[str, str]) -> dict:
    """One citation as a pandoc ``Cite``: the locator written into the suffix with the locale's
    label, where pandoc's citeproc looks for it."""
    citations = []
    for item in cite.items:
        suffix = f", {terms.get(item.label, item.label)} {item.locator}" if item.locator else ""
        if item.suffix:
            suffix += item.suffix if item.suffix[0] in ",;.:" else " " + item.suffix
        citations.append({"citationId": item.key, "citationPrefix": _pandoc_text(item.prefix),
                          "citationSuffix": _pandoc_text(suffix),
                          "citationMode": {"t": "SuppressAuthor" if item.suppress_author else "NormalCitation"},
                          "citationNoteNum": 0, "citationHash": 0})
    return {"t": "Cite", "c": [citations, [{"t": "Str", "c": cite.id}]]}


def _pandoc_text(text: str) -> list[dict]:
    """Plain text as pandoc inlines (words and spaces)."""
    out: list[dict] = []
    for n, word in enumerate(text.split(" ")):
        if n:
            out.append({"t": "Space"})
        if word:
            out.append({"t": "Str", "c": word})
    return out


def _pandoc_nodes(blocks: list):
    """Every element of a pandoc JSON tree, in document order (an explicit stack: the tree is
    pandoc's, not Pressroom's model)."""
    stack = [blocks]
    while stack:
        value = stack.pop()
        if isinstance(value, dict):
            if "t" in value:
                yield value
            stack.extend(reversed([v for k, v in value.items() if k == "c"]))
        elif isinstance(value, list):
            stack.extend(reversed(value))


def _segments(content: list) -> tuple[m.CiteSegment, ...]:
    """A printed citation (pandoc inlines) → segments: each work's part (its link to ``#ref-KEY``)
    and the punctuation between them; a citation pandoc set as a note is taken out of its note."""
    if len(content) == 1 and content[0]["t"] == "Note":
        content = _flat_blocks(content[0]["c"])
    while len(content) == 1 and content[0]["t"] == "Span":
        content = content[0]["c"][1]
    out: list[m.CiteSegment] = []
    loose: list = []
    for node in content:
        if node["t"] == "Link" and node["c"][2][0].startswith(REF_TARGET):
            if loose:
                out.append(m.CiteSegment("", _inlines(loose)))
                loose = []
            out.append(m.CiteSegment(node["c"][2][0][len(REF_TARGET):], _inlines(node["c"][1])))
        else:
            loose.append(node)
    if loose:
        out.append(m.CiteSegment("", _inlines(loose)))
    return tuple(out)


def _flat_blocks(blocks: list) -> list:
    """The inlines of pandoc blocks side by side (a Div's blocks in turn, a space between blocks)."""
    out: list = []
    stack = list(reversed(blocks))
    while stack:
        block = stack.pop()
        if block["t"] in ("Para", "Plain"):
            if out:
                out.append({"t": "Space"})
            out += block["c"]
        elif block["t"] == "Div":
            stack.extend(reversed(block["c"][1]))
    return out


def _block_inlines(blocks: list) -> tuple[m.Inline, ...]:
    return _inlines(_flat_blocks(blocks))


_QUOTES = {"SingleQuote": ("\u2018", "\u2019"), "DoubleQuote": ("\u201c", "\u201d")}


def _inlines(nodes: list) -> tuple[m.Inline, ...]:
    """Pandoc inlines → model inlines: words, italics and bold kept; small capitals, super- and
    subscripts, spans and links as their text (the model has no such inline)."""
    out: list[m.Inline] = []

    def text(value: str) -> None:
        if value:
            if out and isinstance(out[-1], m.Text):
                out[-1] = m.Text(out[-1].text + value)
            else:
                out.append(m.Text(value))

    for node in nodes:
        kind, value = node["t"], node.get("c")
        if kind == "Str":
            text(value)
        elif kind in ("Space", "SoftBreak", "LineBreak"):
            text(" ")
        elif kind in ("Emph", "Strong"):
            out.append((m.Emph if kind == "Emph" else m.Strong)(_inlines(value)))
        elif kind == "Quoted":
            open_, close = _QUOTES[value[0]["t"]]
            for inner in (_inlines([{"t": "Str", "c": open_}, *value[1], {"t": "Str", "c": close}])):
                text(inner.text) if isinstance(inner, m.Text) else out.append(inner)
        elif kind in ("SmallCaps", "Superscript", "Subscript", "Underline", "Strikeout", "Span", "Link", "Cite"):
            children = value[1] if kind in ("Span", "Link") else value[1] if kind == "Cite" else value
            for inner in _inlines(children):
                text(inner.text) if isinstance(inner, m.Text) else out.append(inner)
        elif kind == "Code":
            text(value[1])
    return tuple(out)


def fill_citations(chapter: m.Chapter, rendered: Mapping[str, tuple[m.CiteSegment, ...]],
                   note_style: bool) -> m.Chapter:
    """The chapter with each citation's printed form (``rendered``: at least this chapter's cites);
    with a note style, every citation of the text moved into a footnote of its own. A citation that
    opens a note (an author's note, or one the style makes) opens with a capital ("Ibid.")."""
    opening = {node.id for note in chapter.notes for node in _opening_cites(note.blocks)}

    def filler(capital):
        def fill(node):
            if not isinstance(node, m.Cite):
                return node
            printed = rendered[node.id]
            return replace(node, rendered=_capitalised(printed) if capital(node) else printed)
        return fill

    # The title's citations are not printed by the processor (see ChapterSurvey.cites).
    chapter = replace(chapter, blocks=walk(chapter.blocks, filler(lambda cite: note_style)),
                      notes=walk(chapter.notes, filler(lambda cite: cite.id in opening)))
    return citations_as_notes(chapter) if note_style else chapter


def _opening_cites(blocks: tuple[m.Block, ...]) -> tuple[m.Cite, ...]:
    """The citation a note opens with, if it opens with one."""
    first = blocks[0] if blocks else None
    inlines = getattr(first, "inlines", ()) if isinstance(first, m.Paragraph) else ()
    return (inlines[0],) if inlines and isinstance(inlines[0], m.Cite) else ()


def _capitalised(segments: tuple[m.CiteSegment, ...]) -> tuple[m.CiteSegment, ...]:
    """The printed citation with its first letter a capital ("ibid." → "Ibid."), as it opens a note."""
    out = list(segments)
    for n, segment in enumerate(out):
        for k, inline in enumerate(segment.inlines):
            target = inline
            path = []
            while isinstance(target, (m.Emph, m.Strong)) and target.children:
                path.append(target)
                target = target.children[0]
            if isinstance(target, m.Text) and target.text.strip():
                stripped = target.text.lstrip()
                new = m.Text(target.text[: len(target.text) - len(stripped)] + stripped[:1].upper() + stripped[1:])
                for wrapper in reversed(path):
                    new = replace(wrapper, children=(new, *wrapper.children[1:]))
                out[n] = replace(segment, inlines=(*segment.inlines[:k], new, *segment.inlines[k + 1:]))
                return tuple(out)
            if isinstance(target, m.Text):
                continue
            return tuple(out)
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
