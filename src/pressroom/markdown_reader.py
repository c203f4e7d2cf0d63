"""Markdown chapter → :class:`~pressroom.model.Chapter`.

CommonMark is parsed by markdown-it-py with footnotes (``[^label]``), block
attributes (``{.epigraph}`` on the line before a block) and pandoc-style
citations (``[@key, p. 38]``); the token stream is then turned into model nodes.
Nothing downstream sees Markdown.
"""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin
from mdit_py_plugins.footnote import footnote_plugin

from . import model as m
from .citation_syntax import citation_plugin
from .errors import Finding, Location, ManuscriptError, finding
from . import ids as id_scheme
from .ids import IdAllocator


# Characters XML 1.0 forbids (NUL and the other C0 controls but tab and newlines, and U+FFFE/U+FFFF).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@lru_cache(maxsize=1)
def markdown_parser() -> MarkdownIt:
    return (
        MarkdownIt("commonmark", {"typographer": False})
        .use(footnote_plugin)
        .use(attrs_block_plugin)
        .use(attrs_plugin, spans=True, allowed=["class", "term", "sub"])  # [Stalin]{.index term="…"}
        .use(citation_plugin)
    )


class _ChapterReader:
    """Walks one chapter's token stream; holds the counters that make ids stable."""

    def __init__(self, source: str, chapter_id: str, ids: IdAllocator):
        self.source = source
        self.chapter_id = chapter_id
        self.ids = ids
        self.cite_count = 0
        self.index_marks = 0
        self.note_numbers: dict[str, int] = {}  # label → number, in order of first call
        self.title_seen = False  # the first block, a level-1 heading, is the title: it takes no name
        self.unused_notes: list[tuple[str, int]] = []
        self.problems: list[Finding] = []

    def fail(self, line: int, message: str, code: str = "M012") -> None:
        self.problems.append(finding(code, Location(self.source, line), message))

    # ------------------------------------------------------------------ blocks

    def blocks(self, tokens: list[Token], i: int, stop: str | None) -> tuple[tuple[m.Block, ...], int]:
        out: list[m.Block] = []
        while i < len(tokens):
            tok = tokens[i]
            if stop is not None and tok.type == stop:
                return tuple(out), i + 1
            line = tok.map[0] + 1 if tok.map else 0
            if tok.type == "paragraph_open":
                out.append(m.Paragraph(self.inlines(tokens[i + 1], line), line))
                i += 3
            elif tok.type == "heading_open":
                level = int(tok.tag[1])
                inlines = self.inlines(tokens[i + 1], line)
                out.append(m.Heading(level, inlines, self.heading_id(level, inlines), line))
                i += 3
            elif tok.type == "blockquote_open":
                classes = tuple(str(tok.attrs.get("class", "")).split())
                inner, i = self.blocks(tokens, i + 1, "blockquote_close")
                out.append(m.BlockQuote(inner, classes, line))
            elif tok.type in ("bullet_list_open", "ordered_list_open"):
                ordered = tok.type == "ordered_list_open"
                start = int(tok.attrs.get("start", 1)) if ordered else 1
                close = tok.type.replace("_open", "_close")
                items: list[tuple[m.Block, ...]] = []
                i += 1
                while tokens[i].type != close:
                    item, i = self.blocks(tokens, i + 1, "list_item_close")
                    items.append(item)
                out.append(m.ListBlock(tuple(items), ordered, start, line))
                i += 1
            elif tok.type in ("fence", "code_block"):
                out.append(m.CodeBlock(tok.content, tok.info.strip(), line))
                i += 1
            elif tok.type == "hr":
                out.append(m.ThematicBreak(line))
                i += 1
            elif tok.type == "html_block":
                self.fail(line, "raw HTML is not allowed in a chapter; write it in Markdown "
                          "(it would have to be valid XHTML in the EPUB and accessible)", "M009")
                i += 1
            elif tok.type == "footnote_block_open":
                i = self._skip(tokens, i, "footnote_block_close")
            else:
                self.fail(line, f"unsupported Markdown construct ({tok.type})")
                i += 1
        return tuple(out), i

    @staticmethod
    def _skip(tokens: list[Token], i: int, close: str) -> int:
        while tokens[i].type != close:
            i += 1
        return i + 1

    # ------------------------------------------------------------------ inlines

    def inlines(self, token: Token, line: int) -> tuple[m.Inline, ...]:
        stack: list[tuple[str, list, dict]] = [("root", [], {})]
        breaks = 0  # line breaks so far: the line of a link is the block's line and these
        for child in token.children or []:
            kind = child.type
            top = stack[-1][1]
            if kind == "text":
                if top and isinstance(top[-1], m.Text):
                    top[-1] = m.Text(top[-1].text + child.content)
                else:
                    top.append(m.Text(child.content))
            elif kind == "softbreak":
                top.append(m.SoftBreak())
                breaks += 1
            elif kind == "hardbreak":
                top.append(m.LineBreak())
                breaks += 1
            elif kind == "code_inline":
                top.append(m.Code(child.content))
            elif kind in ("em_open", "strong_open", "link_open", "span_open"):
                stack.append((kind, [], {**child.attrs, "line": line + breaks}))
            elif kind in ("em_close", "strong_close", "link_close", "span_close"):
                opened, children, attrs = stack.pop()
                kids = tuple(children)
                node: m.Inline
                if opened == "span_open":
                    # [words]{.index} marks an index entry; any other span is just its words.
                    if "index" in str(attrs.get("class", "")).split():
                        self.index_marks += 1
                        term = str(attrs.get("term") or m.plain_text(kids)).strip()
                        stack[-1][1].append(m.IndexMark(id_scheme.index_mark_id(self.chapter_id, self.index_marks, True),
                                                        term, str(attrs.get("sub", ""))))
                    stack[-1][1].extend(kids)
                    continue
                if opened == "em_open":
                    node = m.Emph(kids)
                elif opened == "strong_open":
                    node = m.Strong(kids)
                else:
                    node = m.Link(str(attrs.get("href", "")), kids, str(attrs.get("title", "") or ""), attrs["line"])
                stack[-1][1].append(node)
            elif kind == "image":
                alt = "".join(c.content for c in child.children or [])
                title = str(child.attrs.get("title", "") or "")
                top.append(m.Image(str(child.attrs.get("src", "")), alt, title, line))
            elif kind == "footnote_ref":
                label = child.meta["label"]
                number = self.note_numbers.setdefault(label, len(self.note_numbers) + 1)
                top.append(m.NoteRef(id_scheme.note_id(self.chapter_id, number), number))
            elif kind == "citation":
                self.cite_count += 1
                cite_line = line + int(child.info or 0)
                top.append(m.Cite(id_scheme.cite_id(self.chapter_id, self.cite_count), child.meta["items"], cite_line))
            elif kind == "html_inline":
                self.fail(line, f"raw HTML {child.content!r} is not allowed in a chapter; write it in Markdown", "M009")
            else:
                self.fail(line, f"unsupported Markdown construct ({kind})")
        return tuple(stack[0][1])

    def heading_id(self, level: int, inlines: tuple[m.Inline, ...]) -> str:
        """A heading's name from the book-wide pool, wherever it stands (text, quotation, list, note);
        "" for the chapter's title (the first heading read, at level 1: its id is the chapter's)."""
        if not self.title_seen:
            self.title_seen = True
            if level == 1:
                return ""
        return self.ids.allocate(id_scheme.heading_slug(m.plain_text(inlines)))

    # ------------------------------------------------------------------ notes

    def notes(self, tokens: list[Token]) -> tuple[m.Note, ...]:
        notes: list[m.Note] = []
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            if tok.type != "footnote_open":
                i += 1
                continue
            label = tok.meta["label"]
            body_tokens = []
            i += 1
            while tokens[i].type != "footnote_close":
                if tokens[i].type != "footnote_anchor":
                    body_tokens.append(tokens[i])
                i += 1
            line = next((t.map[0] + 1 for t in body_tokens if t.map), 0)
            blocks, _ = self.blocks(body_tokens, 0, None)
            number = self.note_numbers.get(label)
            if number is None:
                self.unused_notes.append((label, line))  # reported by `pressroom check`
                continue
            note_id = id_scheme.note_id(self.chapter_id, number)
            notes.append(m.Note(note_id, label, number, blocks, id_scheme.note_ref_id(note_id), line))
        return tuple(sorted(notes, key=lambda n: n.number))


def read_chapter(
    data: bytes,
    source: str,
    chapter_id: str,
    matter: str,
    part: str,
    ids: IdAllocator,
) -> m.Chapter:
    """Parse one chapter file's bytes. ``source`` is its path for messages, ``ids`` the book-wide id pool."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ManuscriptError(f"not UTF-8 text (byte {exc.start}); save the file as UTF-8", Location(source, line),
                              code="M012")
    bad = _NOT_XML.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise ManuscriptError(
            f"the file contains the control character U+{ord(bad.group()):04X}, which no EPUB or PDF may hold; "
            "delete it", Location(source, line), code="M012")
    env: dict = {}
    tokens = markdown_parser().parse(text, env)
    reader = _ChapterReader(source, chapter_id, ids)
    blocks, _ = reader.blocks(tokens, 0, None)
    notes = reader.notes(tokens)
    # The footnote plugin drops a definition that is never called; keep its label and line for `check`.
    for ref, index in env.get("footnotes", {}).get("refs", {}).items():
        if index == -1:
            label = ref[1:]
            found = re.search(rf"^ {{0,3}}\[\^{re.escape(label)}\]:", text, re.M)
            reader.unused_notes.append((label, text.count("\n", 0, found.start()) + 1 if found else 0))
    if reader.problems:
        raise ManuscriptError(f"{len(reader.problems)} problem(s) in {source}:", None, tuple(reader.problems),
                              code=reader.problems[0].code)

    if not blocks or not isinstance(blocks[0], m.Heading) or blocks[0].level != 1:
        raise ManuscriptError(
            "a chapter must start with its title as a level-1 heading ('# Title')",
            Location(source, blocks[0].line if blocks else 1), code="M012")
    title = blocks[0]
    body: list[m.Block] = []
    for block in blocks[1:]:
        if isinstance(block, m.Heading) and block.level == 1:
            raise ManuscriptError(
                "only one level-1 heading per chapter (the title); use '##' for sections",
                Location(source, block.line), code="M012")
        body.append(block)
    title_text = m.plain_text(title.inlines).strip()
    return m.Chapter(
        id=chapter_id,
        source=source,
        matter=matter,
        title=title.inlines,
        title_text=title_text,
        blocks=tuple(body),
        notes=notes,
        sections=_sections(body),
        part=part,
        unused_notes=tuple(reader.unused_notes),
    )


def _sections(blocks: list[m.Block]) -> tuple[m.Section, ...]:
    """Nest the chapter's headings (level 2 and below) into a table of contents."""
    root: list = []
    stack: list[tuple[int, list]] = [(1, root)]
    for block in blocks:
        if not isinstance(block, m.Heading):
            continue
        while stack[-1][0] >= block.level:
            stack.pop()
        children: list = []
        stack[-1][1].append((block, children))
        stack.append((block.level, children))

    def freeze(entries) -> tuple[m.Section, ...]:
        return tuple(
            m.Section(h.id, m.plain_text(h.inlines).strip(), h.level, freeze(kids)) for h, kids in entries
        )

    return freeze(root)
