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
from .characters import MAX_NESTING, bad_character, normalise, separators_to_spaces
from .errors import Finding, Location, ManuscriptError, finding
from . import ids as id_scheme
from .ids import IdAllocator


# Link schemes a book may use; any other (javascript:, file:, data:, vbscript:…) is refused.
SAFE_SCHEMES = ("http", "https", "mailto", "ftp")
_SCHEME = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.-]*):")
# markdown-it counts a list as two levels (the list and its item): room for MAX_NESTING of either.
_PARSER_NESTING = 2 * MAX_NESTING + 8
_UNDEFINED_CALL = re.compile(r"\[\^([^\]\s]+)\]")


@lru_cache(maxsize=1)
def markdown_parser() -> MarkdownIt:
    # CommonMark's preset stops parsing at 20 levels of nesting and drops the rest of the chapter
    # without a word (a list nested 10 deep lost its last item and what followed); parse deeper,
    # and refuse what passes MAX_NESTING with a message (see read_chapter).
    parser = (
        MarkdownIt("commonmark", {"typographer": False, "maxNesting": _PARSER_NESTING})
        .use(footnote_plugin)
        .use(attrs_block_plugin)
        .use(attrs_plugin, spans=True, allowed=["class", "term", "sub"])  # [Stalin]{.index term="…"}
        .use(citation_plugin)
    )
    # markdown-it leaves a link it deems unsafe (javascript:, file:, data:…) as literal text, which
    # then stands in the book as Markdown; take every link, and refuse the unsafe ones with a finding.
    parser.validateLink = lambda url: True
    return parser


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
        self.note_calls: dict[str, int] = {}  # label → line of its first call
        self.inline_notes: dict[int, str] = {}  # the footnote plugin's id of a ^[…] note → its label
        self.in_note = ""  # the label of the note being read, "" in the text
        self.note_line = 0  # the line of that note (a ^[…] note's tokens carry none)

    def fail(self, line: int, message: str, code: str = "M012") -> None:
        self.problems.append(finding(code, Location(self.source, line or self.note_line), message))

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
                child.content = separators_to_spaces(child.content)  # &#x2029; arrives decoded
                for call in _UNDEFINED_CALL.finditer(child.content):
                    self.fail(line, f"the footnote [^{call.group(1)}] is called but not defined; "
                              f"define it with a line '[^{call.group(1)}]: The note.'", "M003")
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
                    href = str(attrs.get("href", ""))
                    scheme = _SCHEME.match(href)
                    if scheme and scheme.group(1).lower() not in SAFE_SCHEMES:
                        self.fail(line, f"a link to {href[:60]!r}: a book links only with "
                                  f"{', '.join(s + ':' for s in SAFE_SCHEMES)} or to its own headings", "M015")
                    node = m.Link(href, kids, str(attrs.get("title", "") or ""), attrs["line"])
                stack[-1][1].append(node)
            elif kind == "image":
                alt = "".join(c.content for c in child.children or [])
                title = str(child.attrs.get("title", "") or "")
                top.append(m.Image(str(child.attrs.get("src", "")), alt, title, line))
            elif kind == "footnote_ref":
                label = self.label_of(child.meta)
                if self.in_note:
                    self.fail(line, f"the note [^{self.in_note}] calls the note [^{label}]: a note cannot "
                              "call a note (put the text in the note itself)", "M014")
                self.note_calls.setdefault(label, line)
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

    def label_of(self, meta: dict) -> str:
        """A note's label: the one written (``[^label]``), or one made for a pandoc inline note ``^[…]``."""
        if meta.get("label") is not None:
            return meta["label"]
        if meta["id"] not in self.inline_notes:
            n = len(self.inline_notes) + 1
            self.inline_notes[meta["id"]] = f"inline-{n}"
        return self.inline_notes[meta["id"]]

    # ------------------------------------------------------------------ notes

    def notes(self, tokens: list[Token]) -> tuple[m.Note, ...]:
        notes: list[m.Note] = []
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            if tok.type != "footnote_open":
                i += 1
                continue
            label = self.label_of(tok.meta)
            body_tokens = []
            i += 1
            while tokens[i].type != "footnote_close":
                if tokens[i].type != "footnote_anchor":
                    body_tokens.append(tokens[i])
                i += 1
            line = next((t.map[0] + 1 for t in body_tokens if t.map), 0) or self.note_calls.get(label, 0)
            self.in_note, self.note_line = label, line
            blocks, _ = self.blocks(body_tokens, 0, None)
            self.in_note, self.note_line = "", 0
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
        text = normalise(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ManuscriptError(f"not UTF-8 text (byte {exc.start}); save the file as UTF-8", Location(source, line),
                              code="M012")
    bad = bad_character(text)
    if bad:
        raise ManuscriptError(f"the file contains {bad[1]}", Location(source, bad[0]), code="M012")
    env: dict = {}
    tokens = markdown_parser().parse(text, env)
    deep = _too_deep(tokens)
    if deep is not None:
        raise ManuscriptError(f"block quotations or lists nested more than {MAX_NESTING} levels deep; "
                              "no reader could follow them", Location(source, deep.map[0] + 1 if deep.map else 0),
                              code="M016")
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
    if not title_text:
        raise ManuscriptError("the chapter's title is empty: write it after the '#' ('# Title')",
                              Location(source, title.line))
    role = _title_role(tokens, source)
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
        role=role,
    )


def _title_role(tokens: list[Token], source: str) -> str:
    """The role a class on the chapter's title gives it ({.dedication}: see pressroom.frontmatter);
    a class that names no role is M030, listing the roles."""
    from .frontmatter import ROLES, chapter_role

    opening = next(tok for tok in tokens if tok.type == "heading_open")
    role, unknown = chapter_role(str(opening.attrs.get("class", "")).split())
    if unknown:
        raise ManuscriptError(f"{{.{unknown[0]}}} on the chapter's title names no kind of chapter; expected one "
                              f"of: {', '.join('.' + name for name in ROLES)}",
                              Location(source, opening.map[0] + 1 if opening.map else 0), code="M030")
    return role


_CONTAINERS = {"blockquote_open": 1, "bullet_list_open": 1, "ordered_list_open": 1,
               "blockquote_close": -1, "bullet_list_close": -1, "ordered_list_close": -1}


def _too_deep(tokens: list[Token]) -> Token | None:
    """The first token inside more than MAX_NESTING block quotations and lists, or None."""
    depth = 0
    for token in tokens:
        depth += _CONTAINERS.get(token.type, 0)
        if depth > MAX_NESTING:
            return token
    return None


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
