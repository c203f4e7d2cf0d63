"""The people who made the book, by role: the roles ``book.toml`` accepts, one definition.

A role has a friendly name (what the author writes, ``role = "translator"``), its MARC relator code
(what the EPUB's OPF says, ``<meta refines="#…" property="role" scheme="marc:relators">trl</meta>``:
EPUB 3.3, 5.5.6 "The role property", and the Library of Congress's relator list
https://id.loc.gov/vocabulary/relators), whether it makes its person a creator (``dc:creator``, the
book's authors) or a contributor (``dc:contributor``, everyone else: EPUB 3.3, D.3.3 / D.3.4), and
the words that credit it on the title page ("Translated by").

Writers get the list of every contributor in order from :func:`credits` and never read this table's
words themselves.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import model as m


@dataclass(frozen=True)
class Role:
    code: str  # the MARC relator code
    creator: bool  # dc:creator (an author) rather than dc:contributor
    credit: str  # "Translated by", before the names on the title and copyright pages ("" for an author)


# MARC relator codes as the Library of Congress lists them in 2025: "aui" (author of introduction,
# etc.) is deprecated for "wfw" (writer of foreword), "win" (introduction) and "wpr" (preface).
ROLES: dict[str, Role] = {
    "author": Role("aut", True, ""),
    "editor": Role("edt", False, "Edited by"),
    "translator": Role("trl", False, "Translated by"),
    "illustrator": Role("ill", False, "Illustrated by"),
    "foreword": Role("wfw", False, "Foreword by"),
    "introduction": Role("win", False, "Introduction by"),
    "preface": Role("wpr", False, "Preface by"),
    "afterword": Role("aft", False, "Afterword by"),
    "photographer": Role("pht", False, "Photographs by"),
    "cover-designer": Role("cov", False, "Cover design by"),
}


def role_of(contributor: m.Contributor) -> Role:
    return ROLES[contributor.role]


def everyone(meta: m.Metadata) -> tuple[m.Contributor, ...]:
    """Every person named by the book, in order: ``[book] author`` first (an author), then each
    ``[[book.contributor]]`` as written."""
    return (m.Contributor(meta.author, "author", meta.author_file_as), *meta.contributors)


def authors(meta: m.Metadata) -> tuple[str, ...]:
    """The names of the book's authors (creators), in order."""
    return tuple(c.name for c in everyone(meta) if role_of(c).creator)


def credits(meta: m.Metadata) -> tuple[tuple[str, str], ...]:
    """The title page's credit lines besides the authors: (words, names) per role, in the order the
    roles are first given: ``("Translated by", "Ann Lee and Bo Sun")``."""
    names: dict[str, list[str]] = {}
    for c in meta.contributors:
        if not role_of(c).creator:
            names.setdefault(c.role, []).append(c.name)
    return tuple((ROLES[role].credit, join_names(people)) for role, people in names.items())


def join_names(names: list[str] | tuple[str, ...]) -> str:
    """"A", "A and B", "A, B and C" (the house style: no serial comma)."""
    names = list(names)
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
