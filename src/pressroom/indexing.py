"""The index: terms from an index file (and inline marks), found in the text, gathered into entries.

``read_index_file`` parses ``manuscript/index.toml``::

    [[entry]]
    term = "Communist International"
    match = ["Communist International", "Comintern"]   # the spellings that count
    see_also = ["Popular Front"]

    [[entry]]
    term = "Communist International"
    sub = "Seventh Congress"                            # a sub-entry
    match = ["Seventh Congress"]

    [[entry]]
    term = "OGPU"
    see = "GPU"                                          # a cross-reference only

``mark_index_terms(chapter, spellings)`` → the chapter with an
:class:`~pressroom.model.IndexMark` before every match in the text (not in
headings, citations or code), and the places it marked; ``gather_index`` makes
the sorted entries, sub-entries and locators (in reading order) of
``book.index`` from every chapter's places. The driver (:mod:`pressroom.pipeline`)
runs them before typography, so a match sees the text as written. Hand-written: no
Python library builds a back-of-book index from a term list.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import replace

from . import model as m
from .characters import MAX_NESTING, normalise, separators_to_spaces_in, too_deep
from .errors import Finding, Location, ManuscriptError, finding
from .ids import index_entry_ids, index_mark_id
from .walk import query, walk

CODE = "I001"  # the index file cannot be read or is wrong

_ENTRY_KEYS = {"term", "sub", "match", "see", "see_also"}


def read_index_file(data: bytes, source: str) -> tuple[m.IndexTerm, ...]:
    try:
        text = normalise(data.decode("utf-8"))
        deep = too_deep(text)
        if deep:
            raise ManuscriptError(f"values nested more than {MAX_NESTING} levels deep; an index entry needs a few",
                                  Location(source, deep), code=CODE)
        parsed = separators_to_spaces_in(tomllib.loads(text))  # "\u2029" escapes, past the file's check
    except UnicodeDecodeError as exc:
        raise ManuscriptError(f"not UTF-8 text (byte {exc.start})",
                              Location(source, data[: exc.start].count(b"\n") + 1), code=CODE) from None
    except tomllib.TOMLDecodeError as exc:
        found = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        where = Location(source, int(found[1]), int(found[2])) if found else Location(source)
        raise ManuscriptError(f"TOML syntax error: {re.sub(r' *[(]at line.*', '', str(exc))}", where,
                              code=CODE) from None
    entry_lines = [n for n, line in enumerate(text.splitlines(), 1) if re.match(r"^\s*\[\[\s*entry\s*\]\]", line)]
    problems: list[Finding] = []
    terms: list[m.IndexTerm] = []
    if set(parsed) - {"entry"}:
        others = sorted(set(parsed) - {"entry"})
        problems.append(finding(CODE, Location(source), f"only [[entry]] tables belong in an index file, not {others}"))
    entries = parsed.get("entry", [])
    if not isinstance(entries, list):
        entries = [entries]
    for n, entry in enumerate(entries):
        line = entry_lines[n] if n < len(entry_lines) else 0
        where = Location(source, line)
        if not isinstance(entry, dict):
            problems.append(finding(CODE, Location(source, line or _line_of_key(text, "entry")),
                                    "each entry is a table: [[entry]] on its own line, then term = \"…\" "
                                    f"and the other keys; not {type(entry).__name__} {str(entry)[:40]!r}"))
            continue
        unknown = set(entry) - _ENTRY_KEYS
        if unknown:
            problems.append(finding(CODE, where, f"unknown key(s) {sorted(unknown)}; expected {sorted(_ENTRY_KEYS)}"))
            continue
        term, sub, see = entry.get("term"), entry.get("sub", ""), entry.get("see", "")
        match, see_also = entry.get("match", []), entry.get("see_also", [])
        if not isinstance(term, str) or not term.strip():
            problems.append(finding(CODE, where, "each [[entry]] needs a term = \"…\""))
            continue
        if not all(isinstance(x, str) for x in (sub, see)) or not all(
            isinstance(v, list) and all(isinstance(s, str) and s for s in v) for v in (match, see_also)
        ):
            problems.append(finding(CODE, where, "sub and see are strings; match and see_also are lists of strings"))
            continue
        if not match and not see and not see_also:
            match = [sub or term]
        terms.append(m.IndexTerm(term, sub, tuple(match), see, tuple(see_also), line, source))
    if problems:
        raise ManuscriptError(f"{len(problems)} problem(s) in the index file:", None, tuple(problems), code=CODE)
    return tuple(terms)


def _line_of_key(text: str, key: str) -> int:
    """The first line where ``key =`` stands, 0 if none."""
    found = re.search(rf"^\s*{re.escape(key)}\s*=", text, re.M)
    return text.count("\n", 0, found.start()) + 1 if found else 0


Spellings = tuple[tuple[str, tuple[str, str]], ...]


def index_spellings(index_terms: tuple[m.IndexTerm, ...]) -> Spellings:
    """Each spelling that counts for a term → (term, sub-entry), the first term listing it winning; sorted."""
    spellings: dict[str, tuple[str, str]] = {}
    for term in index_terms:
        for spelling in term.match:
            spellings.setdefault(spelling, (term.term, term.sub))
    return tuple(sorted(spellings.items()))


def mark_index_terms(chapter: m.Chapter, spellings: Spellings) -> tuple[m.Chapter, tuple[tuple[str, str, str], ...]]:
    """The chapter with an IndexMark before every match of a spelling in its text and notes (not in
    headings, citations or code), and its :func:`chapter_places`."""
    if spellings:
        found_term = dict(spellings)
        alternatives = "|".join(re.escape(s) for s in sorted(found_term, key=len, reverse=True))
        pattern = re.compile(rf"(?:{alternatives})(?!\w)")  # a spelling, not followed by a letter
        counter = [0]

        def mark(node):
            if isinstance(node, m.Text):
                return _mark(node, pattern, found_term, chapter.id, counter)
            return node

        # The text and the notes, in reading order; an index points to the text, not to titles or
        # to a citation's printed form.
        chapter = replace(chapter, blocks=walk(chapter.blocks, mark, leaves=_NOT_INDEXED),
                          notes=walk(chapter.notes, mark, leaves=_NOT_INDEXED))
    return chapter, chapter_places(chapter)


_NOT_INDEXED = (m.Heading, m.Cite)  # their words are not marked (code is a leaf of its own)


def _mark(node: m.Text, pattern, spellings, chapter_id: str, counter: list[int]) -> m.Text | tuple[m.Inline, ...]:
    """A text node, or the nodes it splits into: an IndexMark before each match of the spellings."""
    out: list[m.Inline] = []
    pos = 0
    for found in _matches(pattern, node.text):
        if found.start() > pos:
            out.append(m.Text(node.text[pos : found.start()]))
        counter[0] += 1
        term, sub = spellings[found.group()]
        out.append(m.IndexMark(index_mark_id(chapter_id, counter[0]), term, sub))
        out.append(m.Text(found.group()))
        pos = found.end()
    if not pos:
        return node
    if pos < len(node.text):
        out.append(m.Text(node.text[pos:]))
    return tuple(out)


_WORD = re.compile(r"\w")


def _matches(pattern: re.Pattern, text: str):
    r"""The matches of ``pattern`` (an alternation of spellings) in ``text`` that a letter does not
    precede, as ``re.finditer(r"(?<!\w)(?:…)", text)`` finds them. The look-behind is checked here,
    not in the pattern: a pattern that opens with one is tried at every position, while one that
    opens with the spellings lets Python's re skip to their first letters (9 ms to 1 ms on the
    shipped chapter's 70 spellings)."""
    pos = 0
    while found := pattern.search(text, pos):
        if found.start() and _WORD.match(text, found.start() - 1):
            pos = found.start() + 1  # preceded by a letter: a later spelling may start inside it
            continue
        yield found
        pos = found.end()


def chapter_places(chapter: m.Chapter) -> tuple[tuple[str, str, str], ...]:
    """(term, sub-entry, mark id) of every IndexMark of a chapter's text and notes, in reading order."""
    return tuple((node.term, node.sub, node.id) for node in query(chapter.blocks + chapter.notes, m.IndexMark))


def gather_index(index_terms: tuple[m.IndexTerm, ...], places_by_chapter, language: str = "en") -> tuple[m.IndexEntry, ...]:
    """Every IndexMark (each chapter's :func:`chapter_places`) and the index file's cross-references,
    as sorted entries."""
    places: dict[str, dict[str, list[str]]] = {}
    for chapter_places_found in places_by_chapter:
        for term, sub, mark_id in chapter_places_found:
            places.setdefault(term, {}).setdefault(sub, []).append(mark_id)
    see: dict[str, str] = {}
    see_also: dict[str, list[str]] = {}
    for term in index_terms:
        if term.see:
            see[term.term] = term.see
        for other in term.see_also:
            see_also.setdefault(term.term, []).append(other)
        if term.see or term.see_also:
            places.setdefault(term.term, {}).setdefault("", [])
    entries = []
    key = collation_key(language)
    for term in sorted(places, key=key):
        subs = places[term]
        subentries = tuple(m.IndexEntry(sub, tuple(ids)) for sub, ids in sorted(subs.items(), key=lambda i: key(i[0]))
                           if sub and ids)
        locators = tuple(subs.get("", ()))
        if not locators and not subentries and term not in see and term not in see_also:
            continue  # a term that never occurs
        entries.append(m.IndexEntry(term, locators, subentries, see.get(term, ""), tuple(see_also.get(term, ()))))
    anchors = index_entry_ids(entry.term for entry in entries)
    return tuple(replace(entry, id=anchors[entry.term], see_id=anchors.get(entry.see, ""),
                         see_also_ids=tuple(anchors.get(other, "") for other in entry.see_also))
                 for entry in entries)


def sort_key(term: str) -> str:
    """Letter-by-letter order, ignoring case, quotes and a leading article."""
    folded = re.sub(r"^(the|a|an)\s+", "", term.casefold().strip("'\"‘’“”«»„"))
    return re.sub(r"[^\w\s,]", "", folded)


def collation_key(language: str):
    """A sort key for index terms in the book's language (a BCP 47 tag): :func:`sort_key`'s
    folding, then the language's collation (ICU's, through PyICU: Polish ł after l, Swedish å
    after z, Spanish ñ after n; measured against pyuca, whose one root order gets these wrong and
    which is 50 times slower), then the term itself, so the order is total."""
    import icu

    collator = icu.Collator.createInstance(icu.Locale(language.replace("-", "_")))
    return lambda term: (collator.getSortKey(sort_key(term)), term)
