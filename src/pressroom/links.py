"""Cross-references: every link of the book's own resolved to the id it points to.

An author links to a heading, a chapter or any id of the book (see :mod:`pressroom.ids`):

- ``[see](#heading)``: an id anywhere in the book, in this chapter or another;
- ``[see](other.md#heading)``: an id of the chapter file ``other.md`` (relative to this file);
- ``[see](other.md)``: the chapter itself.

A heading whose slug was escaped (``h-page-1`` for "Page 1") is found by its slug too
(``#page-1``), unless that slug is itself an id of the book. External links (any URL with a
scheme: ``https:``, ``mailto:``…) are kept as written. A link to nothing is an error finding
(:data:`CODE`) with the file and line of the link.

``resolve_links(book)`` → the book with each chapter's resolved links in :attr:`Chapter.links`
(url as written → target id), which the renderers turn into an href for their output (a file
of the EPUB, a page of the preview, ``#id`` in the PDF). The targets are the ids every output
holds: index marks are left out (the PDF does not print them), and page breaks do not exist yet.
"""

from __future__ import annotations

import difflib
import posixpath
from dataclasses import replace
from urllib.parse import unquote, urlsplit

from . import ids
from . import model as m
from .errors import Finding, Location, ManuscriptError, finding
from .locations import page_of_ids

CODE = "M013"


def is_external(url: str) -> bool:
    """Whether a link leaves the book: it has a URL scheme (``https:``, ``mailto:``, ``ftp:``…)."""
    return len(urlsplit(url).scheme) > 1  # one letter would be a Windows drive, not a scheme


def link_targets(book: m.Book) -> dict[str, str]:
    """Every id a link may point to → the page (chapter, part, bibliography, index) that holds it.

    Before the citation processor has run (``pressroom check``), the bibliography entries it will
    make (one per cited work of the bibliography) are counted already."""
    where = {node_id: page for node_id, page in page_of_ids(book).items() if not ids.is_index_mark(node_id)}
    if not book.bibliography:
        known = {ref.id for ref in book.references}
        cited = sorted({item.key for _, cite in book.citations() for item in cite.items if item.key in known})
        for key in cited:
            where[ids.bib_entry_id(key)] = ids.BIBLIOGRAPHY
        if cited:
            where[ids.BIBLIOGRAPHY] = where[ids.title_id(ids.BIBLIOGRAPHY)] = ids.BIBLIOGRAPHY
    return where


def _aliases(book: m.Book, targets: dict[str, str]) -> dict[str, str]:
    """What an author may write for an id that is not written as they would guess it, where that is
    no id itself: the slug of an escaped name (``page-1`` → ``h-page-1``), and ``ref-`` before a
    citation key that had to be escaped (``ref-smith:2001`` → ``ref-smith.3a2001``)."""
    found = {ids.unescape(name): name for name in sorted(targets) if name.startswith(ids.ESCAPE)}
    for ref in book.references:
        if ids.bib_entry_id(ref.id) in targets:
            found[ids.bib_entry_as_written(ref.id)] = ids.bib_entry_id(ref.id)
    return {alias: name for alias, name in found.items() if alias not in targets}


class _Resolver:
    """Resolves the urls of one book; holds its targets, aliases and chapters by source file."""

    def __init__(self, book: m.Book):
        self.targets = link_targets(book)
        self.aliases = _aliases(book, self.targets)
        self.chapters = {chapter.source: chapter for chapter in book.chapters}

    def resolve(self, url: str, chapter: m.Chapter) -> tuple[str, str]:
        """(target id, "") for a link of ``chapter``, or ("", what is wrong)."""
        parts = urlsplit(url)
        path, fragment = unquote(parts.path), unquote(parts.fragment)
        if parts.query:
            return "", f"the link {url!r} has a query (?…); a link inside the book names a file and an id only"
        if not path:
            if not fragment:
                return "", f"the link {url!r} points to nothing; give #an-id, a chapter file, or a full URL"
            return self._in(fragment, None, url)
        file = posixpath.normpath(posixpath.join(posixpath.dirname(chapter.source), path))
        target = self.chapters.get(file)
        if target is None:
            names = ", ".join(sorted(posixpath.relpath(s, posixpath.dirname(chapter.source)) for s in self.chapters))
            return "", (f"the link {url!r} points to {path}, which is not a chapter of the book "
                        f"(the chapters are {names}); a web address needs its https://")
        if not fragment:
            return target.id, ""
        return self._in(fragment, target, url)

    def _in(self, fragment: str, chapter: m.Chapter | None, url: str) -> tuple[str, str]:
        """The id ``fragment`` names, in the whole book or on ``chapter``'s page only."""
        page = chapter.id if chapter is not None else None
        for candidate in (fragment, self.aliases.get(fragment)):
            if candidate in self.targets and (page is None or self.targets[candidate] == page):
                return candidate, ""
        where = f"of {chapter.source}" if chapter is not None else "of the book"
        choices = [i for i, p in self.targets.items() if page is None or p == page]
        choices += [a for a, name in self.aliases.items() if page is None or self.targets[name] == page]
        close = difflib.get_close_matches(fragment, sorted(choices), n=1, cutoff=0.8)
        hint = f"; did you mean #{close[0]}?" if close else ""
        return "", f"the link {url!r} names no heading or other id {where}{hint}"


def _resolve(book: m.Book) -> tuple[list[tuple[tuple[str, str], ...]], list[Finding]]:
    """Each chapter's resolved links (url → id, sorted) and the findings of the links to nothing."""
    resolver = _Resolver(book)
    resolved, findings = [], []
    for chapter in book.chapters:
        found: dict[str, str] = {}
        for link in chapter.survey.links:
            if is_external(link.url) or link.url in found:
                continue
            target, problem = resolver.resolve(link.url, chapter)
            if problem:
                findings.append(finding(CODE, Location(chapter.source, link.line), problem))
            else:
                found[link.url] = target
        resolved.append(tuple(sorted(found.items())))
    return resolved, findings


def _index_references(book: m.Book) -> list[Finding]:
    """A finding for every "see" or "see also" of the index file that names no entry of the index."""
    if not book.index:
        return []
    entries = {entry.term for entry in book.index}
    findings = []
    for term in book.index_terms:
        for other in (term.see, *term.see_also):
            if other and other not in entries:
                findings.append(finding(CODE, Location(term.source, term.line),
                                        f"the index entry {term.term!r} refers to {other!r}, which is no entry "
                                        "of the index (a term found in the text, or one with a see)"))
    return findings


def dangling_links(book: m.Book) -> list[Finding]:
    """A finding (:data:`CODE`, error) for every link of the book's own that points to nothing: in the
    text, and the index file's cross-references (give it the book with its index gathered)."""
    return _resolve(book)[1] + _index_references(book)


def resolve_links(book: m.Book) -> m.Book:
    """The book with every chapter's links resolved (:attr:`Chapter.links`).

    Raises a :class:`ManuscriptError` listing every link to nothing. (Where each target lands is the
    writers' business: their page memos take the book's id → page map.)"""
    resolved, findings = _resolve(book)
    findings += _index_references(book)
    if findings:
        raise ManuscriptError(f"{len(findings)} link(s) point to nothing:", None, tuple(findings), code=CODE)
    chapters = tuple(replace(chapter, links=links) if links else chapter
                     for chapter, links in zip(book.chapters, resolved))
    return replace(book, chapters=chapters)
