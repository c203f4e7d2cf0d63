"""Which page of a split output (EPUB files, preview pages) holds each id of the book."""

from __future__ import annotations

from . import ids
from . import model as m


def page_of_ids(book: m.Book) -> dict[str, str]:
    """id → the page that holds it: a chapter id, a part id, ``ids.BIBLIOGRAPHY`` or ``ids.INDEX``."""
    where: dict[str, str] = {}
    for chapter in book.chapters:
        where[chapter.id] = chapter.id
        for node_id in chapter.survey.ids:
            where[node_id] = chapter.id
    for part in book.parts:
        where[part.id] = part.id
        where[ids.title_id(part.id)] = part.id
    if book.index:
        where[ids.INDEX] = ids.INDEX
        where[ids.title_id(ids.INDEX)] = ids.INDEX
        for entry in book.index:
            where[entry.id] = ids.INDEX
    if book.bibliography:
        where[ids.BIBLIOGRAPHY] = ids.BIBLIOGRAPHY
        where[ids.title_id(ids.BIBLIOGRAPHY)] = ids.BIBLIOGRAPHY
        for entry in book.bibliography:
            where[entry.id] = ids.BIBLIOGRAPHY
    return where
