"""Where the bibliography is set ([bibliography] scope): one list for the book (the default), one per
part (after the part's last chapter) or one per chapter (at its end), each listing only the works
cited in it.

``scope_bibliography(book) -> book``: with scope "part" or "chapter", the book with its
``scoped_bibliographies`` (each entry a copy of the book's, in the style's order, with the scope's
id and only the scope's citations in ``cited_by``) and its ``bibliography`` reduced to what no scope
lists: the works listed though never cited (``nocite``) and, with scope "part", the works cited
only outside the parts (in front or back matter). That rest is the book-wide list at the end of the
book, where a reader looks for works the author lists without citing; a part's list holds only
what the part cites, as its reader expects.

``scope_owner(scope, chapter) -> str``: the part or chapter whose list a chapter's citations link
to ("" for the book's). A numeric style keeps the book's numbers in each list (one citation
processor run for the book).
"""

from __future__ import annotations

from dataclasses import replace

from . import ids
from . import model as m

SCOPES = ("book", "part", "chapter")  # [bibliography] scope


def scope_owner(scope: str, chapter: m.Chapter) -> str:
    """The id of the part or chapter whose bibliography lists ``chapter``'s citations; "" for the book's."""
    if scope == "chapter":
        return chapter.id
    if scope == "part":
        return chapter.part
    return ""


def scope_bibliography(book: m.Book) -> m.Book:
    """The book with its bibliography split by ``[bibliography] scope`` (unchanged with "book")."""
    scope = book.settings.bibliography_scope
    if scope == "book" or not book.bibliography:
        return book
    cites: dict[str, set[str]] = {}  # owner → its citations' ids, owners in reading order
    last: dict[str, str] = {}  # owner → its last chapter
    for chapter in book.chapters:
        owner = scope_owner(scope, chapter)
        if owner:
            cites.setdefault(owner, set()).update(cite.id for cite in chapter.survey.cites)
            last[owner] = chapter.id
    lists = []
    for owner, cited in cites.items():
        entries = tuple(replace(entry, id=ids.scoped_bib_entry_id(owner, entry.key),
                                cited_by=tuple(c for c in entry.cited_by if c in cited))
                        for entry in book.bibliography if any(c in cited for c in entry.cited_by))
        if entries:
            lists.append(m.ScopedBibliography(owner, last[owner], entries))
    scoped = set().union(*cites.values()) if cites else set()
    rest = tuple(replace(entry, cited_by=tuple(c for c in entry.cited_by if c not in scoped))
                 for entry in book.bibliography
                 if not entry.cited_by or any(c not in scoped for c in entry.cited_by))
    return replace(book, bibliography=rest, scoped_bibliographies=tuple(lists))


def list_after(book: m.Book) -> dict[str, m.ScopedBibliography]:
    """Chapter id → the scoped bibliography set after it."""
    return {bib.after: bib for bib in book.scoped_bibliographies}
