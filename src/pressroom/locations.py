"""Which page of a split output (EPUB files, preview pages) holds each id of the book."""

from __future__ import annotations

from . import model as m


def page_of_ids(book: m.Book) -> dict[str, str]:
    """id → the page that holds it: a chapter id, a part id, or "bibliography"."""
    where: dict[str, str] = {}
    for chapter in book.chapters:
        where[chapter.id] = chapter.id
        for node_id in _ids_in(chapter):
            where[node_id] = chapter.id
    for part in book.parts:
        where[part.id] = part.id
    if book.index:
        from .templates import index_entry_id

        where["index"] = "index"
        for entry in book.index:
            where[index_entry_id(entry.term)] = "index"
    if book.bibliography:
        where["bibliography"] = "bibliography"
        for entry in book.bibliography:
            where[entry.id] = "bibliography"
    return where


def _ids_in(chapter: m.Chapter):
    for block in (*chapter.title_blocks(), *chapter.blocks):
        yield from _block_ids(block)
    for note in chapter.notes:
        yield note.id
        yield note.ref_id
        for block in note.blocks:
            yield from _block_ids(block)


def _block_ids(block: m.Block):
    if isinstance(block, m.Heading):
        yield block.id
    if isinstance(block, m.BlockQuote):
        for inner in block.blocks:
            yield from _block_ids(inner)
    for node in m.iter_inlines(block):
        if isinstance(node, (m.Cite, m.IndexMark)):
            yield node.id
        elif isinstance(node, m.PageBreak):
            yield f"page-{node.label}"
