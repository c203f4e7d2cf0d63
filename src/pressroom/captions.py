"""The words of a numbered caption ("Table 3", "Figure 2"), defined once for every output, in the
book's language (the words ``table`` and ``figure`` of :mod:`pressroom.words`: "Tableau 3").

Tables and figures are numbered through the book, from 1, in reading order (the reader counts them,
given the count of the chapters before: :func:`pressroom.markdown_reader.read_chapter`).
"""

from __future__ import annotations

from typing import Mapping

from .words import book_words, words_for


def caption_label(kind: str, number: int, words: Mapping[str, str] | None = None) -> str:
    """``("table", 3)`` → ``"Table 3"``: what stands before the caption's words; ``words``: the book's
    (:func:`pressroom.words.book_words`), English's if None."""
    return f"{(words or words_for('en'))[kind]} {number}"


def listed(book, kind: str) -> tuple[tuple[str, str, str], ...]:
    """The numbered figures (``kind`` "figure") or tables ("table") of ``book`` (a model.Book) in
    reading order, as the list of figures or of tables gives them: ((target id, "Figure 2", the
    caption's words as plain text), …); empty unless book.toml's ``[contents]`` asks for that list."""
    from . import model as m
    from .walk import query

    wanted = book.settings.list_figures if kind == "figure" else book.settings.list_tables
    node_type = m.Figure if kind == "figure" else m.Table
    if not wanted:
        return ()
    words = book_words(book)
    return tuple((node.id, caption_label(kind, node.number, words), m.plain_text(node.caption).strip())
                 for chapter in book.chapters for node in query(chapter.blocks, node_type, leaves=(m.Paragraph,))
                 if node.number)


def list_targets(book) -> list[str]:
    """The target ids of the entries of the lists of figures and of tables book.toml asks for, in order."""
    return [target for kind in ("figure", "table") for target, _, _ in listed(book, kind)]
