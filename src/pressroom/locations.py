"""Which page of a split output (EPUB files, preview pages) holds each id of the book."""

from __future__ import annotations

from . import ids
from . import model as m
from .notes import endnoted
from .walk import iter_nodes


def page_of_ids(book: m.Book, notes_page: bool = False) -> dict[str, str]:
    """id → the page that holds it: a chapter id, a part id, ``ids.BIBLIOGRAPHY`` or ``ids.INDEX``;
    with ``notes_page`` (the EPUB and the preview of a book with ``[notes] place = "book"``),
    ``ids.ENDNOTES`` for the notes themselves (their calls stay in their chapters). links.py asks
    only which ids exist."""
    where: dict[str, str] = {}
    for chapter in book.chapters:
        where[chapter.id] = chapter.id
        for node_id in chapter.survey.ids:
            where[node_id] = chapter.id
    if book.settings.note_place == "chapter":  # the endnotes at each chapter's end
        for chapter in book.chapters:
            if chapter.notes:
                where[ids.endnotes_id(chapter.id)] = chapter.id
                where[ids.title_id(ids.endnotes_id(chapter.id))] = chapter.id
    for chapter in endnoted(book) if notes_page else ():
        for node_id in (ids.endnotes_id(chapter.id), ids.title_id(ids.endnotes_id(chapter.id)),
                        *(note.id for note in chapter.notes)):
            where[node_id] = ids.ENDNOTES
        for node in iter_nodes(chapter.notes):  # what a note holds (a citation, a heading…) is there too
            if isinstance(node, (m.Cite, m.IndexMark, m.Heading, m.Table, m.Figure)) and node.id:
                where[node.id] = ids.ENDNOTES
            elif isinstance(node, m.PageBreak):  # a print page that begins inside a note
                where[ids.page_break_id(node.label)] = ids.ENDNOTES
    if notes_page and endnoted(book):
        where[ids.ENDNOTES] = ids.ENDNOTES
        where[ids.title_id(ids.ENDNOTES)] = ids.ENDNOTES
    for bib in book.scoped_bibliographies:  # a part's or chapter's list, at the end of its last chapter
        where[ids.scoped_bibliography_id(bib.owner)] = bib.after
        where[ids.title_id(ids.scoped_bibliography_id(bib.owner))] = bib.after
        for entry in bib.entries:
            where[entry.id] = bib.after
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
