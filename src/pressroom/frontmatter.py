"""What a chapter is, when it is more than a chapter: a dedication, an epigraph, acknowledgements…

The author says it with a class on the chapter's title, on the line before it (the attribute syntax
the dialect already uses for ``{.epigraph}`` quotations; pandoc's EPUB writer reads the same from a
heading's ``epub:type`` attribute, and Vellum calls these "element types")::

    {.dedication}
    # Dedication

    For the keepers, who stayed awake so that others could sleep.

and lists the file where it stands in the book, usually ``[contents] front``. Each role gives the
chapter its EPUB 3 structural semantics (``epub:type``, EPUB SSV 1.1) and DPUB-ARIA role, a landmark
in the EPUB's nav, and how the print edition sets it: a *display* role (dedication, epigraph) stands
on its own recto with no heading shown (the title stays in the markup for screen readers and the
contents of the EPUB) and no folio printed (Chicago Manual of Style 1.4: display pages carry no
folio), like the title page; the others are set as chapters.

A display chapter of the front matter stands where the Chicago Manual of Style (1.4) puts a
dedication and an epigraph: after the copyright page and before the contents, which do not list it;
the text whose pages the EPUB's page-list follows begins after the contents, as before.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ChapterRole:
    epub_type: str  # EPUB Structural Semantics Vocabulary 1.1
    aria: str  # Digital Publishing WAI-ARIA Module 1.1 role
    display: bool  # set as a display page in print: no heading shown, no folio, no running heads


ROLES: dict[str, ChapterRole] = {
    "dedication": ChapterRole("dedication", "doc-dedication", True),
    "epigraph": ChapterRole("epigraph", "doc-epigraph", True),
    "acknowledgments": ChapterRole("acknowledgments", "doc-acknowledgments", False),
    "foreword": ChapterRole("foreword", "doc-foreword", False),
    "preface": ChapterRole("preface", "doc-preface", False),
    "introduction": ChapterRole("introduction", "doc-introduction", False),
    "prologue": ChapterRole("prologue", "doc-prologue", False),
    "epilogue": ChapterRole("epilogue", "doc-epilogue", False),
    "afterword": ChapterRole("afterword", "doc-afterword", False),
}
# The British spelling the author may write, for the vocabulary's American one.
ALIASES = {"acknowledgements": "acknowledgments"}


def chapter_role(classes: list[str] | tuple[str, ...]) -> tuple[str, list[str]]:
    """The classes on a chapter's title → (its role, "" for none; the classes that name no role)."""
    roles = [ALIASES.get(c, c) for c in classes if ALIASES.get(c, c) in ROLES]
    return (roles[0] if roles else ""), [c for c in classes if ALIASES.get(c, c) not in ROLES]


def role_of(role: str) -> ChapterRole | None:
    """The role named by a chapter's ``role`` field, None for a plain chapter."""
    return ROLES.get(role)


def is_display(chapter) -> bool:
    """Whether a chapter (a ``model.Chapter``) is a display page of the front matter: set before the
    contents, not listed in the printed contents."""
    role = ROLES.get(chapter.role)
    return chapter.matter == "front" and role is not None and role.display
