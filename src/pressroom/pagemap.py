"""The print edition's page breaks, read from the PDF layout, put into the book for the EPUB.

``page_map(pages, labels, first, end)`` reads the pages of a laid-out WeasyPrint
document (through :mod:`pressroom.adapters.weasyprint`): for every page of the text,
the block (paragraph or heading) its first line belongs to, and the first words there. ``insert_page_breaks(book, breaks)`` finds those
words in the block's text and puts a :class:`~pressroom.model.PageBreak`
before the word the page starts with (or at the block's start), so the EPUB's
page-list follows the PDF page by page. A page with no text (a blank verso)
breaks at the same place as the page after it.

Hand-written: WeasyPrint exposes the layout boxes but nothing maps them back
to a source document's text. The print layout stage (:mod:`pressroom.layout`) calls it.
"""

from __future__ import annotations

import re
from dataclasses import replace

from . import ids
from . import model as m
from .walk import inline_children, iter_nodes, query, walk

# A break: the block key (a paragraph's ``ids.paragraph_id``, a heading id, a chapter's ``ids.title_id``), the first
# words of the page in that block ("" = the block's start), and the printed page label.
Break = tuple[str, str, str]

BLOCK_ID = re.compile(r"^b-")


def block_key(chapter: m.Chapter, number: int) -> str:
    return ids.paragraph_id(chapter.id, number)


def page_map(pages, labels: list[str], first: int, end: int) -> list[Break]:
    """The breaks of pages ``first`` ≤ index < ``end`` of a laid-out WeasyPrint document's ``pages``."""
    return breaks_from(page_starts(pages[first:end]), labels[first:end])


def page_starts(pages) -> tuple[tuple[str, str] | None, ...]:
    """For each laid-out WeasyPrint page, the block its text starts in and the first words there
    (block key, words), or None for a page with no text. Plain data: a unit laid out in a worker
    process sends it back (:mod:`pressroom.units`), and :func:`breaks_from` makes the breaks."""
    from .adapters.weasyprint import page_text_runs

    out: list[tuple[str, str] | None] = []
    for page in pages:
        found = None
        words = ""
        for block, text in page_text_runs(page, lambda ident: bool(BLOCK_ID.match(ident))):
            if not text.strip() or not block:
                continue
            if found is None:
                found = block
            if block != found:
                break
            words += text
            if len(words) > 40:
                break
        out.append(None if found is None else (found, " ".join(words.split())))
    return tuple(out)


def breaks_from(starts, labels) -> list[Break]:
    """The breaks of pages whose :func:`page_starts` are ``starts``, numbered ``labels``: a page with
    no text (a blank verso) breaks where the next page with text does."""
    breaks: list[Break] = []
    pending: list[str] = []  # labels of blank pages waiting for the next page with text
    for start, label in zip(starts, labels):
        if start is None:
            pending.append(label)
            continue
        for waiting in (*pending, label):
            breaks.append((start[0], start[1], waiting))
        pending = []
    return breaks


def _flow(inlines) -> list[tuple[str, object]]:
    """The text of inlines as laid out (citations as printed), as (text, node) pieces."""
    pieces: list[tuple[str, object]] = []
    for node in iter_nodes(inlines, leaves=(m.Cite,)):
        if isinstance(node, (m.Text, m.Abbr, m.Code, m.Literal)):
            pieces.append((node.text, node))
        elif isinstance(node, m.Cite):
            pieces.append((m.cite_text(node), node))
        elif isinstance(node, (m.LineBreak, m.SoftBreak)):
            pieces.append((" ", node))
    return pieces


def _offset(inlines, words: str, start: int) -> int:
    """Where the page's first words begin in the block's text (at a word start), from ``start``; -1 if not found."""
    text = "".join(piece for piece, _ in _flow(inlines))
    flat = re.sub(r"\s", " ", text)
    if not words:
        return start
    # Search for the page's first words, then fewer of them, tolerant of spacing.
    tokens = words.split()
    for count in (min(len(tokens), 6), 3, 1):
        pattern = r"\s+".join(re.escape(t) for t in tokens[:count])
        found = re.compile(pattern).search(flat, start)
        if found:
            offset = found.start()
            while offset > 0 and (flat[offset - 1].isalnum() or flat[offset - 1] in "\u2010\u00ad"):
                offset -= 1  # the page starts inside a hyphenated word: break before the word
            return offset
    return -1


def _insert(inlines: tuple[m.Inline, ...], at: list[tuple[int, str]]) -> tuple[m.Inline, ...]:
    """Put a PageBreak at each character offset (sorted) of the inlines' flow text."""
    position = 0
    pending = list(at)

    def place(node):
        """The node, after the page breaks that fall before it (a text node: split at them)."""
        nonlocal position
        if inline_children(node):
            return node  # an italic, a link…: its text is placed in its children
        result: list[m.Inline] = []
        if isinstance(node, m.Text):
            text, cut = node.text, 0
            while pending and pending[0][0] < position + len(text):
                split = max(pending[0][0] - position, 0)
                if split > cut:
                    result.append(m.Text(text[cut:split]))
                result.append(m.PageBreak(pending.pop(0)[1]))
                cut = split
            if cut < len(text):
                result.append(m.Text(text[cut:]) if cut else node)
            position += len(text)
            return tuple(result)
        length = len(m.cite_text(node)) if isinstance(node, m.Cite) else len(getattr(node, "text", "")) if \
            isinstance(node, (m.Abbr, m.Code, m.Literal)) else 1 if isinstance(node, (m.LineBreak, m.SoftBreak)) else 0
        if isinstance(node, m.IndexMark):
            while pending and pending[0][0] <= position:
                result.append(m.PageBreak(pending.pop(0)[1]))  # a mark goes with the word after it
        while pending and pending[0][0] < position + max(length, 1) and length:
            result.append(m.PageBreak(pending.pop(0)[1]))  # never inside an acronym or a citation
        result.append(node)
        position += length
        return tuple(result)

    out = walk(inlines, place, leaves=(m.Cite,))  # a citation is placed whole, as printed
    return out + tuple(m.PageBreak(label) for _, label in pending)


# The blocks insert_page_breaks takes whole (their runs of text in their own order).
_LEAVES = (m.Paragraph, m.Heading, m.Table, m.Figure, m.LineBlock, m.DefinitionList)


def _row(row: m.TableRow, numbered) -> m.TableRow:
    """A table row with its page break, at the start of its first cell (the PDF numbers rows)."""
    if not row.cells:
        numbered(())
        return row
    first = numbered(row.cells[0].inlines)
    return m.TableRow((m.TableCell(first), *row.cells[1:]))


def insert_page_breaks(book: m.Book, breaks: list[Break]) -> m.Book:
    """The book with a PageBreak at the start of each print page, found by the page's first words."""
    by_block: dict[str, list[tuple[str, str]]] = {}
    for block, words, label in breaks:
        by_block.setdefault(block, []).append((words, label))
    chapters = []
    for chapter in book.chapters:
        counter = [0, 0]  # the text's runs, the endnotes' runs

        def place(inlines: tuple[m.Inline, ...], key: str) -> tuple[m.Inline, ...]:
            wanted = by_block.get(key)
            if not wanted:
                return inlines
            offsets, start = [], 0
            for words, label in wanted:
                offset = _offset(inlines, words, start)
                if offset < 0:
                    offset = start  # not found: at least at the block
                offsets.append((offset, label))
                start = offset
            return _insert(inlines, offsets)

        def numbered(inlines: tuple[m.Inline, ...]) -> tuple[m.Inline, ...]:
            """A run of text the PDF numbers (html_render.block_id), with its page breaks."""
            counter[0] += 1
            return place(inlines, block_key(chapter, counter[0]))

        def note_numbered(inlines: tuple[m.Inline, ...]) -> tuple[m.Inline, ...]:
            """A run of text of an endnote, which the PDF numbers apart (ids.note_paragraph_id)."""
            counter[1] += 1
            return place(inlines, ids.note_paragraph_id(chapter.id, counter[1]))

        def text_block(node):
            return block(node, numbered)

        def note_block(node):
            return block(node, note_numbered)

        def block(node, numbered):
            """A block with its page breaks: its runs of text numbered in reading order, as the PDF's
            HTML numbers them (a paragraph; a table's caption and rows; a figure's caption; a term; a
            line of verse), a heading by its id."""
            if isinstance(node, m.Paragraph):
                inlines = numbered(node.inlines)
                return node if inlines is node.inlines else replace(node, inlines=inlines)
            if isinstance(node, m.Heading):
                inlines = place(node.inlines, node.id)
                return node if inlines is node.inlines else replace(node, inlines=inlines)
            if isinstance(node, m.Table):
                caption = numbered(node.caption) if node.caption else node.caption
                rows = tuple(_row(row, numbered) for row in (*node.head, *node.body))
                return replace(node, caption=caption, head=rows[:len(node.head)], body=rows[len(node.head):])
            if isinstance(node, m.Figure):
                return replace(node, caption=numbered(node.caption))
            if isinstance(node, m.LineBlock):
                return replace(node, lines=tuple(m.Line(numbered(line.inlines)) for line in node.lines))
            if isinstance(node, m.DefinitionList):
                return replace(node, items=tuple(
                    m.DefinitionItem(numbered(item.term),
                                     tuple(walk(d, lambda n: block(n, numbered), leaves=_LEAVES)
                                           for d in item.definitions))
                    for item in node.items))
            return node

        title = place(chapter.title, ids.title_id(chapter.id))
        blocks = walk(chapter.blocks, text_block, leaves=_LEAVES)
        notes = chapter.notes
        if book.settings.note_place != "foot":  # endnotes: pages may begin inside them
            notes = tuple(replace(note, blocks=walk(note.blocks, note_block, leaves=_LEAVES)) for note in notes)
        chapters.append(replace(chapter, title=title, blocks=blocks, notes=notes))
    return replace(book, chapters=tuple(chapters), page_breaks=bool(breaks))


def mark_pages(book: m.Book) -> dict[str, str]:
    """For each index mark, the print page it stands on, from the page breaks (empty without them).

    A mark in a footnote stands on the page of the note's call, as in the PDF.
    """
    if not book.page_breaks:
        return {}
    where: dict[str, str] = {}
    for chapter in book.chapters:
        label = ""
        call_page: dict[str, str] = {}
        for node in iter_nodes(chapter.title_blocks() + chapter.blocks):
            if isinstance(node, m.PageBreak):
                label = node.label
            elif isinstance(node, m.IndexMark) and label:
                where[node.id] = label
            elif isinstance(node, m.NoteRef):
                call_page.setdefault(node.note_id, label)
        for note in chapter.notes:
            if call_page.get(note.id):
                for node in query(note.blocks, m.IndexMark):
                    where[node.id] = call_page[note.id]
    return where
