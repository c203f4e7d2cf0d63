"""Manuscript lint: findings with stable codes that users can grep and tests can name.

``lint_book(root)`` → a list of :class:`Finding`. A mistake that stops the
reader (a config error, a broken chapter) becomes findings too, so
``pressroom check`` always reports instead of stopping at the first problem.
Every finding is made where its problem is found, with its code (the reader's
errors carry theirs); nothing here reads a code off a message.

The codes, of the manuscript and of everything else ``pressroom check`` reports:

| code | severity | what |
| ---- | -------- | ---- |
| C001 | error   | the config cannot be read or is wrong (syntax, type, unknown key, missing file, an unknown contributor role, a date that is not YYYY[-MM[-DD]]) |
| M001 | error   | unknown citation key (the closest key is suggested) |
| M002 | warning | bibliography entry never cited |
| M003 | error   | footnote called but not defined |
| M004 | warning | footnote defined but never called |
| M005 | warning | headings with the same title in one chapter (their ids collide and get suffixes) |
| M006 | warning | heading level skips (## then ####) |
| M007 | warning | a straight quote typography can only guess (between letters or digits, 'before digits) |
| M008 | warning | double space in the text |
| M009 | error   | raw HTML outside the safe inline subset (br sub sup span with class or lang, abbr cite small em strong i b u mark wbr), or as a block |
| M010 | error   | image missing, outside the book, or not an image |
| M011 | error   | image without alternative text |
| M012 | error   | a chapter that cannot be read (not UTF-8, no title, …) |
| M013 | error   | a link to nothing: no such id, or a file that is no chapter of the book (pressroom.links) |
| M014 | error   | a note that calls a note (itself, or one that calls it back) |
| M015 | error   | a link with an unsafe scheme (javascript:, file:, data: …) |
| M016 | error   | block quotations or lists nested more than 64 levels deep |
| M017 | warning | a word too long for any line, with nowhere to break (it is broken at any letter) |
| M030 | error   | a heading's {#id .class}: an id that is no name, used twice, or on the chapter's title |
| M031 | error   | a construct Pressroom does not read (grid or simple table, example list, raw LaTeX, a TeX formula it cannot convert), with what to write |
| M032 | error   | a class on a chapter's title that names no kind of chapter ({.dedication}, {.epigraph}…) |
| S002 | error   | styles/book.css not UTF-8, or referring to anything outside the book |
| F001 | error   | the renderer asked for a file outside the book or a URL |
| R001 | error   | a bibliography file cannot be read or is wrong (syntax, format, an item without id or type, a key twice…) |
| R002 | error   | the citation style (CSL) cannot be read, is not CSL or no shipped style; an unknown CSL locale |
| I001 | error   | the index file cannot be read or is wrong |
| T001 | error   | a template mistake: syntax, undefined name, a filter that raises, a missing template, the sandbox |
| T002 | warning | a book template copied from Pressroom's, whose original has changed since |
| S001 | warning | a declaration or rule of styles/book.css that WeasyPrint ignores (unknown property…) |
| W001 | warning | any other WeasyPrint warning (an image it cannot load…) |
| B001 | error   | an output cannot be written |
| G001 | warning | a character no font of the book draws in its style (italic, bold…): file, line, character |
| B003 | error   | ``build --strict``: the build had warnings (listed under it) |
| B004 | warning | the build cache (.cache) leads outside the book folder: the build runs without it |
| B005 | error   | pandoc (the citations) cannot be found or run: reinstall pypandoc-binary |
| P001–P004 | error | PDF checks (validate.py) |
| P005 | error   | the print layout did not settle: setting the contents' page numbers keeps moving the pages |
| P010–P012 | error | a printer's profile: a trim it does not offer, a page count outside its range, a word too near the trim |
| P013–P016 | error | the printer's preflight of the PDF: marks, annotations or outline it refuses, no PDF/X, RGB where it asks for K |
| K001 | error   | a cover asked of a profile with no printer's paper (proof, screen) |
| K002 | error   | a cover image (front, author photo, logo) below 300 ppi at its placed size |
| K003 | error   | a cover for a page count the printer does not bind |
| K004 | error   | check: the cover's size is not the sheet the interior's page count and paper make |
| K005 | error   | check: cover text outside the printer's safe area or across a spine fold |
| A001 | error   | an Ace by DAISY violation in the EPUB |
| X002 | warning | Ace by DAISY could not run |
| X001 | error   | EPUBCheck could not run |
"""

from __future__ import annotations

import re
from pathlib import Path

from . import model as m
from .accessibility import has_text_alternative
from .errors import Finding, PressroomError
from .walk import INLINE_TYPES, iter_nodes, query


def lint_book(root: str | Path) -> list[Finding]:
    """Every finding for the book folder, sorted by file and line."""
    from .reader import load_book, unknown_citations

    try:
        book = load_book(root, lenient=True)
    except PressroomError as exc:
        return sorted(set(exc.findings), key=_order)  # each made with its code where it was found
    findings = unknown_citations(book)
    findings += _uncited(book)
    from dataclasses import replace

    from .indexing import gather_index, index_spellings, mark_index_terms
    from .links import dangling_links

    spellings = index_spellings(book.index_terms)  # the index's entries may be linked to
    index = gather_index(book.index_terms, [mark_index_terms(c, spellings)[1] for c in book.chapters])
    findings += dangling_links(replace(book, index=index))
    findings += _resource_findings(book)
    from .fonts import missing_glyphs

    findings += missing_glyphs(book)
    for chapter in book.chapters:
        findings += _chapter_findings(chapter)
    return sorted(set(findings), key=_order)


def _resource_findings(book: m.Book) -> list[Finding]:
    """What is wrong with the files the outputs are made with besides the manuscript: the book's
    stylesheet and its citation style (read and checked as a build would)."""
    from .book_css import read_book_css
    from .csl_styles import style_path

    findings: list[Finding] = []
    for check in (lambda: read_book_css(book.root), lambda: style_path(book)):
        try:
            check()
        except PressroomError as exc:  # each made with its code where it was found
            findings += exc.findings
    return findings


def _order(f: Finding):
    return (f.file, f.line, f.code, f.message)


def _uncited(book: m.Book) -> list[Finding]:
    cited = {item.key for _, cite in book.citations() for item in cite.items} | set(book.settings.citation_nocite)
    if "*" in cited:  # [bibliography] nocite = ["*"]: every work is listed on purpose
        return []
    return [
        Finding("M002", "warning", ref.source, ref.line, f"the bibliography entry {ref.id!r} is never cited")
        for ref in book.references
        if ref.id not in cited
    ]


_UNDEFINED_NOTE = re.compile(r"\[\^([^\]\s]+)\]")
_AMBIGUOUS_QUOTE = re.compile(r"(?<=[\w.,])\"(?=\w)|(?<![\w])'(?=\d)")
_DOUBLE_SPACE = re.compile(r"\S {2,}\S")
LONG_WORD = 80  # characters: wider than any line of any trim size Pressroom accepts
_LONG_WORD = re.compile(rf"[^\s\u00ad\u200b/-]{{{LONG_WORD + 1},}}")


def _chapter_findings(chapter: m.Chapter) -> list[Finding]:
    out: list[Finding] = []
    source = chapter.source

    def add(code: str, severity: str, line: int, message: str) -> None:
        out.append(Finding(code, severity, source, line, message))

    for label, line in chapter.unused_notes:
        add("M004", "warning", line, f"the footnote [^{label}] is defined but never called")

    # The outline: the text's headings, wherever they stand (in a quotation, in a list).
    previous_level = 1
    seen_titles: dict[str, int] = {}
    for heading in query(chapter.blocks, m.Heading):
        line = heading.line
        title = m.plain_text(heading.inlines).strip()
        if heading.level > previous_level + 1:
            add("M006", "warning", line,
                f"heading level {heading.level} after level {previous_level}: a level is skipped")
        previous_level = heading.level
        if title in seen_titles:
            add("M005", "warning", line,
                f"the heading {title!r} repeats the one at line {seen_titles[title]}; its id becomes {heading.id!r}")
        seen_titles.setdefault(title, line)

    # The words: the text's and the notes' (the title is not checked: the model keeps no line for it).
    line = 0
    # A citation's printed form is not the author's words.
    for node in iter_nodes(chapter.blocks + chapter.notes, leaves=(m.Cite,)):
        if not isinstance(node, INLINE_TYPES):
            line = getattr(node, "line", 0) or line  # a block's (or a note's) line, for the words inside it
        elif isinstance(node, m.Image):
            if not has_text_alternative(node):
                add("M011", "error", node.line or line,
                    f"the image {node.src} has no alternative text: write ![what it shows](…)")
        elif isinstance(node, m.Text):
            text = node.text
            for match in _UNDEFINED_NOTE.finditer(text):
                add("M003", "error", line, f"the footnote [^{match.group(1)}] is called but not defined")
            if _AMBIGUOUS_QUOTE.search(text):
                add("M007", "warning", line, "a straight quote between letters or before digits: "
                    "typography can only guess which way it turns; write ’ or “ ” yourself")
            if _DOUBLE_SPACE.search(text):
                add("M008", "warning", line, "a double space in the text")
            long_word = _LONG_WORD.search(text)
            if long_word:
                add("M017", "warning", line, f"a word of {len(long_word.group())} characters with nowhere to "
                    "break it: the outputs break it at any letter where the line ends; add spaces, or "
                    "soft hyphens (U+00AD) where it may break")
    return out
