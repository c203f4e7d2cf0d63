"""Which page of a split output (EPUB files, preview pages) holds each id of the book."""

from __future__ import annotations

from . import model as m


def page_of_ids(book: m.Book) -> dict[str, str]:
    """id → the page that holds it: a chapter id, a part id, or "bibliography"."""
    where: dict[str, str] = {}
    for chapter in book.chapters:
        where[chapter.id] = chapter.id
        for node_id in chapter.survey.ids:
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
