"""How notes are numbered: afresh in each chapter (the reader's numbers) or through the book; and
where they are set (:data:`PLACES`).

``number_through_book(chapters) -> chapters``: each chapter's notes and calls shifted by the count
of notes in the chapters before it, so numbers run 1, 2, … from the first chapter to the last.
Ids are left alone (they name the chapter and its own number, ``pressroom.ids``), so links hold.
"""

from __future__ import annotations

from dataclasses import replace

from . import model as m
from .walk import walk

NUMBERINGS = ("chapter", "book")  # [notes] numbering
# [notes] place: "foot" of the printed page (each EPUB chapter's notes after its text), "chapter"
# (endnotes at the end of each chapter), "book" (a Notes section in the back matter, grouped under
# each chapter's title, as the Chicago Manual of Style 14.42–14.45 sets them).
PLACES = ("foot", "chapter", "book")


def endnoted(book: m.Book) -> tuple[m.Chapter, ...]:
    """The chapters whose notes the book's Notes section sets (``place = "book"``), in reading order;
    () for a book whose notes stand elsewhere."""
    if book.settings.note_place != "book":
        return ()
    return tuple(chapter for chapter in book.chapters if chapter.notes)


def _shifted(chapter: m.Chapter, offset: int) -> m.Chapter:
    """``chapter`` with every note's number and every call's number raised by ``offset``."""
    if not offset:
        return chapter

    def shift(node):
        if isinstance(node, m.NoteRef):
            return replace(node, number=node.number + offset)
        if isinstance(node, m.Note):
            return replace(node, number=node.number + offset)
        return node

    return walk(chapter, shift)


def number_through_book(chapters: tuple[m.Chapter, ...]) -> tuple[m.Chapter, ...]:
    """The chapters, in reading order, with their notes numbered through the book."""
    out, offset = [], 0
    for chapter in chapters:
        out.append(_shifted(chapter, offset))
        offset += max((note.number for note in chapter.notes), default=0)
    return tuple(out)
