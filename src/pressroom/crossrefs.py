"""Cross-references as pandoc-crossref writes them: ``@fig:map``, ``[see @tbl:prices]``,
``@sec:ovens`` → the words that name the target ("Figure 2", "Table 1", or a section's title in
quotation marks: Pressroom does not number sections), linked to it in every output.

``resolve_crossrefs(book)`` → the book with each :class:`~pressroom.model.CrossRef`'s text filled in;
a label that names nothing is an error (:data:`CODE`) with the file and line of the reference. Run
once the chapters are typeset (the section titles are taken as printed) and before the links are
resolved (a reference is a link to its target's id).
"""

from __future__ import annotations

from dataclasses import replace

from . import ids
from . import model as m
from .captions import caption_label
from .errors import ManuscriptError, finding, Location
from .typography import NNBSP, locale_for
from .words import book_words
from .walk import query, walk

CODE = "M013"
NBSP = "\u00a0"


def crossref_targets(book: m.Book) -> dict[str, tuple[m.Inline, ...]]:
    """Every id a cross-reference may name → the words that name it: a numbered figure or table
    ("Figure 2", a no-break space before the number), a section (its title in quotation marks), in
    the book's language ("Tableau 3", « Titre »)."""
    words = book_words(book)
    locale = locale_for(book.metadata.language)
    space = NNBSP if locale.spaced_punctuation else ""  # « titre », as typography sets a French quotation
    opening, closing = locale.quotes[0] + space, space + locale.quotes[1]
    targets: dict[str, tuple[m.Inline, ...]] = {}
    for chapter in book.chapters:
        for node in query(chapter.blocks, m.Figure, m.Table, m.Heading, leaves=(m.Paragraph,)):
            if not node.id:
                continue
            if isinstance(node, m.Figure):
                targets[node.id] = (m.Text(caption_label("figure", node.number, words).replace(" ", NBSP)),)
            elif isinstance(node, m.Table) and node.number:
                targets[node.id] = (m.Text(caption_label("table", node.number, words).replace(" ", NBSP)),)
            elif isinstance(node, m.Heading):
                targets[node.id] = (m.Text(opening), *node.inlines, m.Text(closing))
    return targets


def resolve_crossrefs(book: m.Book) -> m.Book:
    """The book with every cross-reference's words filled in (see the module's docstring)."""
    chapters = [chapter for chapter in book.chapters if chapter.survey.crossrefs]
    if not chapters:
        return book
    targets = crossref_targets(book)
    problems = []
    for chapter in chapters:
        for ref in query((*chapter.blocks, *chapter.notes), m.CrossRef):
            if ref.target not in targets:
                problems.append(finding(CODE, Location(chapter.source, ref.line),
                                        f"@{ref.label} names no figure, table or section of the book; label one "
                                        f"with {{#{ref.label}}}"))
    if problems:
        raise ManuscriptError(f"{len(problems)} cross-reference(s) to nothing:", None, tuple(problems), code=CODE)

    def filled(chapter: m.Chapter) -> m.Chapter:
        count = 0

        def fill(node):
            nonlocal count
            if not isinstance(node, m.CrossRef):
                return node
            count += 1
            return replace(node, text=targets[node.target], site=ids.crossref_site_id(chapter.id, count))

        return walk(chapter, fill)

    done = {chapter.id: filled(chapter) for chapter in chapters}
    return replace(book, chapters=tuple(done.get(chapter.id, chapter) for chapter in book.chapters))
