"""How notes are numbered: afresh in each chapter (the reader's numbers) or through the book.

``number_through_book(chapters) -> chapters``: each chapter's notes and calls shifted by the count
of notes in the chapters before it, so numbers run 1, 2, … from the first chapter to the last.
Ids are left alone (they name the chapter and its own number, ``pressroom.ids``), so links hold.
"""

from __future__ import annotations

from dataclasses import replace

from . import model as m
from .walk import walk

NUMBERINGS = ("chapter", "book")  # [notes] numbering


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
