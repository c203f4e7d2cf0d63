"""Markdown chapter → :class:`~pressroom.model.Chapter`.

CommonMark is parsed by markdown-it-py with footnotes (``[^label]``), block
attributes (``{.epigraph}`` on the line before a block) and pandoc-style
citations (``[@key, p. 38]``); the token stream is then turned into model nodes.
Nothing downstream sees Markdown.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.attrs import attrs_block_plugin, attrs_plugin
from mdit_py_plugins.attrs.parse import ParseError
from mdit_py_plugins.attrs.parse import parse as parse_attrs
from mdit_py_plugins.container import container_plugin
from mdit_py_plugins.deflist import deflist_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.subscript import sub_plugin
from mdit_py_plugins.superscript import superscript_plugin

from . import model as m
from .citation_syntax import citation_plugin
from .characters import MAX_NESTING, bad_character, normalise, separators_to_spaces
from .errors import Finding, Location, ManuscriptError, finding
from . import ids as id_scheme
from .ids import IdAllocator
from . import formulas, unsupported


# Link schemes a book may use; any other (javascript:, file:, data:, vbscript:…) is refused.
SAFE_SCHEMES = ("http", "https", "mailto", "ftp")
_SCHEME = re.compile(r"^\s*([A-Za-z][A-Za-z0-9+.-]*):")
# markdown-it counts a list as two levels (the list and its item): room for MAX_NESTING of either.
_PARSER_NESTING = 2 * MAX_NESTING + 8
_UNDEFINED_CALL = re.compile(r"\[\^([^\]\s]+)\]")


# A comment could hide text from the author's own reading of the outputs: refused like other HTML.
_COMMENT = "raw HTML: a comment <!-- … --> is not allowed in a chapter; delete it (keep notes to yourself elsewhere)"

# The raw HTML a chapter may hold, inside a paragraph: tag → the attributes it may carry.
SAFE_HTML: dict[str, frozenset[str]] = {
    "br": frozenset(), "wbr": frozenset(), "sub": frozenset(), "sup": frozenset(), "em": frozenset(),
    "strong": frozenset(), "i": frozenset(), "b": frozenset(), "u": frozenset(), "mark": frozenset(),
    "small": frozenset(), "cite": frozenset(), "abbr": frozenset({"title"}), "span": frozenset({"class", "lang"}),
}
_VOID_HTML = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
                        "track", "wbr"})
_SAFE_HTML_TEXT = ", ".join(f"<{tag}>" for tag in SAFE_HTML)
_HTML_TAG = re.compile(r"^<(/?)([A-Za-z][A-Za-z0-9]*)((?:\s[^>]*?)?)\s*(/?)>$", re.S)
_HTML_ATTR = re.compile(r"""\s*([A-Za-z][A-Za-z0-9:-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
# markdown-it's inline tokens that open and close an element, and the style of each that is Styled.
_STYLED = {"sub_open": "sub", "sup_open": "sup", "s_open": "strike"}
_OPENING = frozenset({"em_open", "strong_open", "link_open", "span_open", *_STYLED})
_CLOSING = frozenset(kind.replace("_open", "_close") for kind in _OPENING)
_HTML_STYLE = {"sub": "sub", "sup": "sup", "u": "underline", "mark": "mark", "small": "small", "cite": "cite"}
# A paragraph that is a line block: its first line begins with "|" and a space (or is "|" alone).
_LINE_BLOCK = re.compile(r"^\|(?: |$)")
# The classes of a fenced div that make it a quotation (set as Pressroom's {.epigraph} quotations are).
QUOTATION_CLASSES = frozenset({"epigraph", "poem", "dialogue"})


def _merged(inlines: list[m.Inline]) -> tuple[m.Inline, ...]:
    """Adjacent texts joined into one."""
    out: list[m.Inline] = []
    for node in inlines:
        if out and isinstance(node, m.Text) and isinstance(out[-1], m.Text):
            out[-1] = m.Text(out[-1].text + node.text)
        else:
            out.append(node)
    return tuple(out)


def _span(kids: tuple[m.Inline, ...], classes: tuple[str, ...], lang: str) -> tuple[m.Inline, ...]:
    """What ``[words]{...}`` (or ``<span>``) becomes: small capitals, a span, or just its words."""
    if classes == ("smallcaps",) and not lang:
        return (m.Styled("smallcaps", kids),)
    if classes or lang:
        return (m.Span(kids, classes, lang),)
    return kids


def _html_node(name: str, kids: tuple[m.Inline, ...], attrs: dict) -> tuple[m.Inline, ...]:
    """A tag of the safe subset as model inlines."""
    if name == "br":
        return (m.LineBreak(),)
    if name == "wbr":
        return (m.Text("\u200b"),)  # a break opportunity, as <wbr> is
    if name in ("em", "i"):
        return (m.Emph(kids),)
    if name in ("strong", "b"):
        return (m.Strong(kids),)
    if name == "abbr":
        return (m.Abbr(m.plain_text(kids)),)
    if name == "span":
        return _span(kids, tuple(str(attrs.get("class", "")).split()), str(attrs.get("lang", "")))
    return (m.Styled(_HTML_STYLE[name], kids),)


def _div(blocks: tuple[m.Block, ...], classes: tuple[str, ...], lang: str, line: int) -> m.Block:
    """A fenced div: a quotation when a class says so (``::: epigraph``, as Pressroom's own
    ``{.epigraph}`` before a quotation; a quotation inside it takes its classes), else a Div."""
    if QUOTATION_CLASSES & set(classes) and not lang:
        if len(blocks) == 1 and isinstance(blocks[0], m.BlockQuote):
            inner = blocks[0]
            return replace(inner, classes=tuple(dict.fromkeys((*classes, *inner.classes))))
        return m.BlockQuote(blocks, classes, line)
    return m.Div(blocks, classes, lang, line)


_ALIGN = {"text-align:left": "left", "text-align:right": "right", "text-align:center": "center"}
# Pandoc's table caption: a paragraph before or after the table that begins "Table:", "table:" or ":".
_CAPTION = re.compile(r"^(?:[Tt]able:|:)[ \t]*")


def _table_caption(inlines: tuple[m.Inline, ...]) -> tuple[m.Inline, ...] | None:
    """The words of a table caption paragraph (``Table: Prices`` → ``Prices``), or None."""
    first = inlines[0] if inlines else None
    found = _CAPTION.match(first.text) if isinstance(first, m.Text) else None
    if found is None:
        return None
    rest = first.text[found.end():]
    return (*((m.Text(rest),) if rest else ()), *inlines[1:])


def _only(token: Token) -> Token:
    """A token standing alone in an inline token of its own (to read an image as an inline)."""
    return Token("inline", "", 0, children=[token])


# A pandoc-crossref label: fig:, tbl: or sec: and a name.
_LABEL = re.compile(rf"^(?:{'|'.join(id_scheme.CROSSREF_KINDS)}):[A-Za-z0-9][A-Za-z0-9_-]*$")
_BARE_CROSSREF = re.compile(rf"(?<![\w@])@((?:{'|'.join(id_scheme.CROSSREF_KINDS)}):[A-Za-z0-9][A-Za-z0-9_-]*)")


def _bare_crossrefs(inlines: list[m.Inline], line: int) -> list[m.Inline]:
    """``see @fig:map`` in running text: the label as a CrossRef (hand-written: the citation plugin
    reads bracketed citations only; a bare ``@key`` that is no label stays text)."""
    out: list[m.Inline] = []
    for node in inlines:
        if not isinstance(node, m.Text) or "@" not in node.text:
            out.append(node)
            continue
        pos = 0
        for found in _BARE_CROSSREF.finditer(node.text):
            label = found.group(1).rstrip("-_")
            if found.start() > pos:
                out.append(m.Text(node.text[pos:found.start()]))
            out.append(m.CrossRef(label, id_scheme.crossref_id(label), line))
            pos = found.start() + 1 + len(label)
        if pos < len(node.text):
            out.append(m.Text(node.text[pos:]))
    return out


_HEADING_ATTRS = re.compile(r"\s*(\{[^{}]*\})\s*$")
_WRITTEN_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


@lru_cache(maxsize=1)
def markdown_parser() -> MarkdownIt:
    # CommonMark's preset stops parsing at 20 levels of nesting and drops the rest of the chapter
    # without a word (a list nested 10 deep lost its last item and what followed); parse deeper,
    # and refuse what passes MAX_NESTING with a message (see read_chapter).
    parser = (
        MarkdownIt("commonmark", {"typographer": False, "maxNesting": _PARSER_NESTING})
        .enable("table")  # pipe tables; their captions are read by hand (_table_caption): no plugin does
        .enable("strikethrough")  # ~~gone~~
        .use(footnote_plugin)
        .use(attrs_block_plugin)
        .use(attrs_plugin, spans=True, allowed=["id", "class", "term", "sub", "lang"])  # [Stalin]{.index term="…"}
        .use(sub_plugin)  # H~2~O
        .use(superscript_plugin)  # x^2^
        .use(deflist_plugin)
        # pandoc's fenced divs, ::: epigraph or ::: {.poem lang=de}: one container that takes any info
        .use(container_plugin, name="div", validate=lambda params, *markup: True)
        # TeX math (pressroom.formulas); pandoc's rules: no space inside the dollars, no digit after
        # the closing one ("$5 and $10" is text).
        .use(dollarmath_plugin, allow_space=False, allow_digits=False, allow_labels=False)
        .use(citation_plugin)
    )
    # markdown-it leaves a link it deems unsafe (javascript:, file:, data:…) as literal text, which
    # then stands in the book as Markdown; take every link, and refuse the unsafe ones with a finding.
    parser.validateLink = lambda url: True
    parser.core.ruler.before("text_join", "typographic_escapes", _keep_typographic_escapes)
    return parser


# What typography would change (dashes, the ellipsis, curly quotes): escaped, it is printed as written.
_TYPOGRAPHIC = frozenset("-.\"'")


def _keep_typographic_escapes(state) -> None:
    """``\\-``, ``\\.``, ``\\"`` and ``\\'`` as ``literal`` tokens, which markdown-it's ``text_join``
    leaves alone (it joins every other escape into the text, where typography could not tell it)."""
    for block in state.tokens:
        for child in block.children or ():
            if child.type == "text_special" and child.info == "escape" and child.content in _TYPOGRAPHIC:
                child.type = "literal"


# Pandoc's fancy list markers (a) i. (2) #. A.  IV.), which CommonMark does not know. Hand-written: no
# markdown-it plugin reads them. Each is rewritten, before parsing, to a decimal marker of the same
# width ("1" padded with zeros, so the item's text keeps its column), and its numbering kept by line.
_FANCY_MARKER = re.compile(
    r"^(?P<indent>[ \t]*)(?:\((?P<inner>[0-9]{1,9}|[a-zA-Z]|[ivxlcdm]+|[IVXLCDM]+)\)"
    r"|(?P<bare>#|[a-zA-Z]|[ivxlcdm]+|[IVXLCDM]+)(?P<delim>[.)]))(?P<space>[ \t]+)(?=\S)", re.M)
_PLAIN_ITEM = re.compile(r"^[ \t]*(?:[-+*]|[0-9]{1,9}[.)])[ \t]")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}


def _roman_value(numeral: str) -> int:
    total = 0
    values = [_ROMAN_VALUES[c] for c in numeral.lower()]
    for n, value in enumerate(values):
        total += -value if n + 1 < len(values) and values[n + 1] > value else value
    return total


def fancy_list_markers(text: str) -> tuple[str, dict[int, tuple[str, str, int]]]:
    """``text`` with pandoc's fancy list markers made decimal, and line (1-based) → (style, delimiter,
    start) of each rewritten marker (see model.LIST_STYLES). A marker counts where a list may start or
    go on: after a blank line or another item, outside fenced code; an upper-case letter with a period
    needs two spaces after it (pandoc's rule, so that "B. Russell" stays a name)."""
    if not _FANCY_MARKER.search(text):
        return text, {}
    lines = text.split("\n")
    found: dict[int, tuple[str, str, int]] = {}
    fence = ""
    blank = True  # the line before is blank (or the file begins)
    in_list = False  # a list item was seen, and no paragraph has begun since at the left margin
    styles: dict[tuple, str] = {}  # the style of the last fancy marker of each kind (v. after iv.)
    for n, line in enumerate(lines):
        opened = _FENCE.match(line)
        if fence:
            if opened and opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence):
                fence = ""
            continue
        if opened:
            fence = opened.group(1)
            continue
        marker = _FANCY_MARKER.match(line)
        rewritten = None
        if marker and (blank or in_list):
            rewritten = _rewrite_marker(marker, styles.get(_list_key(marker), "") if in_list else "")
        if rewritten is not None:
            new, found[n + 1] = rewritten
            styles[_list_key(marker)] = found[n + 1][0]
            rest = line[marker.end("delim") if marker.group("bare") else marker.end("inner") + 1:]
            lines[n] = marker.group("indent") + new + rest
        if rewritten is not None or _PLAIN_ITEM.match(line):
            in_list = True
        elif line.strip() and blank and line[:1] not in " \t":
            in_list = False
        blank = not line.strip()
    return "\n".join(lines), found


def _list_key(marker: re.Match) -> tuple[str, str, bool]:
    """What a marker shares with the markers of its list: indentation, delimiter, letter case."""
    value = marker.group("inner") or marker.group("bare")
    return marker.group("indent"), marker.group("delim") or "()", value.isupper()


def _rewrite_marker(marker: re.Match, going_on: str = "") -> tuple[str, tuple[str, str, int]] | None:
    """A fancy marker → (the decimal marker of its width, (style, delimiter, number)); None for a
    marker CommonMark reads as it is (``1.``, ``1)``) or pandoc would not take (``B. Russell``).
    ``going_on``: the style of the list the marker may continue (so ``v.`` after ``iv.`` is roman)."""
    value = marker.group("inner") or marker.group("bare")
    delimiter = "parens" if marker.group("inner") else "period" if marker.group("delim") == "." else "paren"
    if value == "#":
        style, number = "decimal", 1
    elif value.isdigit():
        if delimiter != "parens":
            return None
        style, number = "decimal", int(value)
    elif len(value) > 1 or value in "iI" or (going_on.endswith("roman") and value.lower() in _ROMAN_VALUES):
        style, number = ("lower-roman" if value.islower() else "upper-roman"), _roman_value(value)
    else:
        style, number = ("lower-alpha" if value.islower() else "upper-alpha"), ord(value.lower()) - 96
    if style.startswith("upper") and delimiter == "period" and len(marker.group("space")) < 2:
        return None
    width = len(value) + (2 if delimiter == "parens" else 1)
    return "1".zfill(width - 1) + (")" if delimiter != "period" else "."), (style, delimiter, number)


class _ChapterReader:
    """Walks one chapter's token stream; holds the counters that make ids stable."""

    def __init__(self, source: str, chapter_id: str, ids: IdAllocator,
                 list_numbering: dict[int, tuple[str, str, int]] | None = None,
                 numbers_before: tuple[int, int] = (0, 0)):
        self.source = source
        self.list_numbering = list_numbering or {}  # line of a fancy list marker → (style, delimiter, start)
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
        self.tables, self.figures = numbers_before  # numbered through the book

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
                children = tokens[i + 1].children or []
                if len(children) == 1 and children[0].type == "image":
                    out.append(self.figure(children[0], line))
                elif _LINE_BLOCK.match(tokens[i + 1].content):
                    out.append(self.line_block(self.inlines(tokens[i + 1], line), line))
                else:
                    paragraph = m.Paragraph(self.inlines(tokens[i + 1], line), line)
                    caption = _table_caption(paragraph.inlines)
                    if caption is not None and out and isinstance(out[-1], m.Table) and not out[-1].caption:
                        out[-1] = self.captioned(out[-1], caption)  # ": caption" after the table
                    else:
                        out.append(paragraph)
                i += 3
            elif tok.type == "table_open":
                table, i = self.table(tokens, i, line)
                caption = _table_caption(out[-1].inlines) if out and isinstance(out[-1], m.Paragraph) else None
                if caption is not None and not table.caption:
                    out.pop()  # "Table: caption" before the table
                    table = self.captioned(table, caption)
                out.append(table)
            elif tok.type == "heading_open":
                level = int(tok.tag[1])
                inlines, attrs = self.heading_attributes(self.inlines(tokens[i + 1], line), line)
                heading_id = self.heading_id(level, inlines, str(attrs.get("id", "")), line)
                classes = tuple(str(attrs.get("class", "")).split())
                out.append(m.Heading(level, inlines, heading_id, line, classes))
                i += 3
            elif tok.type == "blockquote_open":
                classes = tuple(str(tok.attrs.get("class", "")).split())
                inner, i = self.blocks(tokens, i + 1, "blockquote_close")
                out.append(m.BlockQuote(inner, classes, line))
            elif tok.type in ("bullet_list_open", "ordered_list_open"):
                ordered = tok.type == "ordered_list_open"
                close = tok.type.replace("_open", "_close")
                default = (1, "decimal", "paren" if tok.markup == ")" else "period")
                start = int(tok.attrs.get("start", 1)) if ordered else 1
                # (start, style, delimiter, items) of each list: CommonMark knows two delimiters, so
                # lists of other markers that follow each other come as one, split here where they change.
                lists: list[tuple[int, str, str, list]] = []
                i += 1
                while tokens[i].type != close:
                    item_line = tokens[i].map[0] + 1 if tokens[i].map else 0
                    style, delimiter, number = self.list_numbering.get(item_line, (*default[1:], 0))
                    item, i = self.blocks(tokens, i + 1, "list_item_close")
                    if not lists or (ordered and (style, delimiter) != lists[-1][1:3]):
                        lists.append((number or start, style, delimiter, []))
                    lists[-1][3].append(item)
                for first, style, delimiter, items in lists:
                    out.append(m.ListBlock(tuple(items), ordered, first, line, style, delimiter) if ordered
                               else m.ListBlock(tuple(items), ordered, first, line))
                i += 1
            elif tok.type in ("fence", "code_block"):
                out.append(m.CodeBlock(tok.content, tok.info.strip(), line))
                i += 1
            elif tok.type == "dl_open":
                items: list[m.DefinitionItem] = []
                i += 1
                while tokens[i].type != "dl_close":
                    if tokens[i].type == "dt_open":
                        items.append(m.DefinitionItem(self.inlines(tokens[i + 1], line), ()))
                        i += 3
                    else:  # dd_open
                        definition, i = self.blocks(tokens, i + 1, "dd_close")
                        term = items[-1] if items else m.DefinitionItem((), ())
                        items[-1:] = [replace(term, definitions=(*term.definitions, definition))]
                out.append(m.DefinitionList(tuple(items), line))
                i += 1
            elif tok.type == "container_div_open":
                classes, lang = self.div_attributes(tok.info, line)
                inner, i = self.blocks(tokens, i + 1, "container_div_close")
                out.append(_div(inner, classes, lang, line))
            elif tok.type == "hr":
                out.append(m.ThematicBreak(line))
                i += 1
            elif tok.type == "html_block":
                if tok.content.lstrip().startswith("<!--"):
                    self.fail(line, _COMMENT, "M009")
                else:
                    tag = re.match(r"\s*</?([A-Za-z][A-Za-z0-9-]*)", tok.content)
                    self.fail(line, f"raw HTML <{tag.group(1) if tag else tok.content.strip()[:20]}> is not "
                              f"allowed as a block; write it in Markdown (only {_SAFE_HTML_TEXT} may stand "
                              "inside a paragraph)", "M009")
                i += 1
            elif tok.type in ("math_block", "math_block_label"):
                formula = self.formula(tok.content.strip(), True, line)
                out.append(m.Paragraph((formula,) if formula else (), line))
                i += 1
            elif tok.type == "footnote_block_open":
                i = self._skip(tokens, i, "footnote_block_close")
            else:
                self.fail(line, f"unsupported Markdown construct ({tok.type})")
                i += 1
        return tuple(out), i

    def line_block(self, inlines: tuple[m.Inline, ...], line: int) -> m.LineBlock:
        """A paragraph whose lines begin with "|": each such line kept (its leading spaces kept as
        no-break spaces); a line that does not begin with "|" goes on the line before (pandoc's rule).
        Hand-written: no markdown-it plugin reads line blocks."""
        lines: list[list[m.Inline]] = []
        current: list[m.Inline] = []
        starting = True
        for node in (*inlines, m.SoftBreak()):
            if isinstance(node, (m.SoftBreak, m.LineBreak)):
                starting = True
                continue
            if starting:
                starting = False
                text = node.text if isinstance(node, m.Text) else ""
                if text.startswith("|"):
                    body = text[2:] if text.startswith("| ") else text[1:]
                    indent = len(body) - len(body.lstrip(" "))
                    current = [m.Text("\u00a0" * indent + body.lstrip(" "))] if body else []
                    lines.append(current)
                    continue
                if current:
                    current.append(m.Text(" "))
            current.append(node)
        return m.LineBlock(tuple(m.Line(_merged(kept)) for kept in lines), line)

    def div_attributes(self, info: str, line: int) -> tuple[tuple[str, ...], str]:
        """A fenced div's classes and language from what follows its colons: ``epigraph``,
        ``{.poem}``, ``{lang=de}`` (read by mdit-py-plugins' attribute parser)."""
        info = info.strip()
        if not info.startswith("{"):
            return tuple(info.split()), ""
        try:
            _, attrs = parse_attrs(info)
        except ParseError as exc:
            self.fail(line, f"the attributes {info!r} of the div cannot be read ({exc}); write "
                      "::: {.class lang=xx}", "M030")
            return (), ""
        return tuple(str(attrs.get("class", "")).split()), str(attrs.get("lang", ""))

    def figure(self, image: Token, line: int) -> m.Figure:
        """An image alone in its paragraph: a figure, captioned with its description as written."""
        self.figures += 1
        (picture,) = self.inlines(_only(image), line)
        written = str(image.attrs.get("id", ""))
        figure_id = self.written_id(written, "figure", line) if written else id_scheme.caption_id("figure", self.figures)
        return m.Figure((picture,), self.inlines(image, line), self.figures, line, figure_id)

    def table(self, tokens: list[Token], i: int, line: int) -> tuple[m.Table, int]:
        """A pipe table from its ``table_open`` at ``i``; (the table, the index after its close)."""
        head: list[m.TableRow] = []
        body: list[m.TableRow] = []
        aligns: list[str] = []
        rows = head
        cells: list[m.TableCell] = []
        while tokens[i].type != "table_close":
            tok = tokens[i]
            if tok.type == "tbody_open":
                rows = body
            elif tok.type == "tr_close":
                rows.append(m.TableRow(tuple(cells)))
                cells = []
            elif tok.type in ("th_open", "td_open"):
                if rows is head:
                    aligns.append(_ALIGN.get(str(tok.attrs.get("style", "")), ""))
                cell_line = tokens[i + 1].map[0] + 1 if tokens[i + 1].map else line
                cells.append(m.TableCell(self.inlines(tokens[i + 1], cell_line)))
            i += 1
        caption: tuple[m.Inline, ...] = ()
        if body and body[-1].cells:  # ": caption" right under the table, which markdown-it takes for a row
            found = _table_caption(body[-1].cells[0].inlines)
            if found is not None and not any(cell.inlines for cell in body[-1].cells[1:]):
                body.pop()
                caption = found
        table = m.Table(tuple(head), tuple(body), tuple(aligns), line=line)
        return (self.captioned(table, caption) if caption else table), i + 1

    def captioned(self, table: m.Table, caption: tuple[m.Inline, ...]) -> m.Table:
        """The table with its caption and number; a label at the caption's end (``{#tbl:prices}``) its id."""
        self.tables += 1
        caption, attrs = self.heading_attributes(caption, table.line)
        written = str(attrs.get("id", ""))
        table_id = self.written_id(written, "table", table.line) if written else id_scheme.caption_id("table", self.tables)
        return replace(table, caption=caption, number=self.tables, id=table_id)

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
            elif kind == "math_inline":
                formula = self.formula(child.content, False, line + breaks)
                if formula:
                    top.append(formula)
            elif kind == "literal":
                top.append(m.Literal(child.content))
            elif kind == "softbreak":
                top.append(m.SoftBreak())
                breaks += 1
            elif kind == "hardbreak":
                top.append(m.LineBreak())
                breaks += 1
            elif kind == "code_inline":
                top.append(m.Code(child.content))
            elif kind in _OPENING:
                stack.append((kind, [], {**child.attrs, "line": line + breaks}))
            elif kind == "html_inline":
                self.html_inline(child.content, stack, line + breaks)
            elif kind in _CLOSING:
                if stack[-1][0].startswith("html:"):
                    self.fail(line, f"the raw HTML <{stack[-1][0][5:]}> is not closed before the Markdown "
                              f"around it ends; write </{stack[-1][0][5:]}> inside it", "M009")
                    return ()
                opened, children, attrs = stack.pop()
                kids = tuple(children)
                node: m.Inline
                if opened == "span_open":
                    # [words]{.index} marks an index entry; [words]{.smallcaps} is set in small
                    # capitals; a span with other classes or a language keeps them; else just its words.
                    classes = str(attrs.get("class", "")).split()
                    if "index" in classes:
                        self.index_marks += 1
                        term = str(attrs.get("term") or m.plain_text(kids)).strip()
                        stack[-1][1].append(m.IndexMark(id_scheme.index_mark_id(self.chapter_id, self.index_marks, True),
                                                        term, str(attrs.get("sub", ""))))
                        classes.remove("index")
                    stack[-1][1].extend(_span(kids, tuple(classes), str(attrs.get("lang", ""))))
                    continue
                if opened in _STYLED:
                    node = m.Styled(_STYLED[opened], kids)
                elif opened == "em_open":
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
            elif kind == "citation" and any(_LABEL.match(item.key) for item in child.meta["items"]):
                top.extend(self.crossrefs(child.meta["items"], line + int(child.info or 0)))
            elif kind == "citation":
                self.cite_count += 1
                cite_line = line + int(child.info or 0)
                top.append(m.Cite(id_scheme.cite_id(self.chapter_id, self.cite_count), child.meta["items"], cite_line))
            else:
                self.fail(line, f"unsupported Markdown construct ({kind})")
        if any(isinstance(node, m.Text) and "@" in node.text for node in stack[0][1]):
            stack[0][1][:] = _bare_crossrefs(stack[0][1], line)
        if len(stack) > 1:
            self.fail(line, f"the raw HTML <{stack[-1][0][5:]}> is not closed; write </{stack[-1][0][5:]}> "
                      "in the same paragraph", "M009")
            return ()
        return tuple(stack[0][1])

    def formula(self, tex: str, display: bool, line: int) -> m.Math | None:
        """A TeX formula, its MathML made now so that what cannot be read is found with its line (M031)."""
        try:
            return m.Math(tex, formulas.tex_to_mathml(tex, display), display)
        except ValueError as exc:
            self.fail(line, f"${tex[:40]}$: {exc}; write it with the commands of LaTeX's math mode "
                      "(\\frac, \\sqrt, \\int, ^ and _ …), or in words", unsupported.CODE)
            return None

    def crossrefs(self, items, line: int) -> list[m.Inline]:
        """``[see @fig:map; @tbl:prices]``: the cross-references, with the words around them."""
        if not all(_LABEL.match(item.key) for item in items):
            self.fail(line, "a citation and a cross-reference in one pair of brackets; write them apart "
                      "([@key] and [@fig:label])", "M013")
            return []
        out: list[m.Inline] = []
        for n, item in enumerate(items):
            if n:
                out.append(m.Text(", "))
            if item.prefix:
                out.append(m.Text(item.prefix + " "))
            out.append(m.CrossRef(item.key, id_scheme.crossref_id(item.key), line))
            if item.locator or item.suffix:
                out.append(m.Text(" " + " ".join(filter(None, (item.locator, item.suffix)))))
        return out

    def html_inline(self, html: str, stack: list, line: int) -> None:
        """A tag of the safe inline subset (:data:`SAFE_HTML`) opened, closed or set (``<br>``),
        its attributes checked; anything else is M009 with the tag. A comment is dropped."""
        if html.startswith("<!--"):
            self.fail(line, _COMMENT, "M009")
            return
        tag = _HTML_TAG.match(html)
        if not tag:
            self.fail(line, f"raw HTML {html[:40]!r} cannot be read; write it in Markdown", "M009")
            return
        name = tag.group(2).lower()
        if tag.group(1):  # a closing tag
            if stack[-1][0] != "html:" + name:
                self.fail(line, f"</{name}> closes no <{name}> opened in the same paragraph", "M009")
                return
            _, children, attrs = stack.pop()
            stack[-1][1].extend(tuple(children) if attrs.get("refused") else _html_node(name, tuple(children), attrs))
            return
        attrs = {key.lower(): double or single for key, double, single in _HTML_ATTR.findall(tag.group(3))}
        refused = sorted(set(attrs) - SAFE_HTML.get(name, frozenset()))
        if name not in SAFE_HTML:
            self.fail(line, f"raw HTML {html[:40]!r} is not allowed; write it in Markdown (the HTML "
                      f"a chapter may hold: {_SAFE_HTML_TEXT})", "M009")
        elif refused or _HTML_ATTR.sub("", tag.group(3)).strip():
            self.fail(line, f"raw HTML <{name}> may not carry {', '.join(refused) or 'that attribute'} "
                      f"(allowed: {', '.join(sorted(SAFE_HTML[name])) or 'none'})", "M009")
        problem = name not in SAFE_HTML or bool(refused)
        if name in _VOID_HTML or tag.group(4):
            if not problem:
                stack[-1][1].extend(_html_node(name, (), attrs))
        else:  # its words are read (a refused tag's too, so that its closing tag is no second problem)
            stack.append(("html:" + name, [], {**attrs, "refused": problem}))

    def heading_id(self, level: int, inlines: tuple[m.Inline, ...], written: str = "", line: int = 0) -> str:
        """A heading's name from the book-wide pool, wherever it stands (text, quotation, list, note):
        the one ``written`` after it (``{#tables}``), else a slug of its text; "" for the chapter's
        title (the first heading read, at level 1: its id is the chapter's)."""
        if not self.title_seen:
            self.title_seen = True
            if level == 1:
                if written:
                    self.fail(line, f"the chapter's title takes its id from the file name; remove {{#{written}}} "
                              "(a link to the chapter names its file: [see](chapter.md))", "M030")
                return ""
        if written:
            return self.written_id(written, "heading", line) or self.ids.allocate(
                id_scheme.heading_slug(m.plain_text(inlines)))
        return self.ids.allocate(id_scheme.heading_slug(m.plain_text(inlines)))

    def written_id(self, written: str, what: str, line: int) -> str:
        """The id an author wrote for a heading, figure or table (``{#ovens}``, ``{#fig:map}``: a
        pandoc-crossref label becomes ids.crossref_id), taken from the book-wide pool; "" (and M030)
        for one that is no name or is taken already."""
        name = id_scheme.crossref_id(written) if _LABEL.match(written) else written
        if not _WRITTEN_ID.match(name):
            self.fail(line, f"the {what} id {{#{written}}} is not a name: write letters, digits and "
                      "hyphens, starting with a letter ({#the-tables}, or a label {#fig:map})", "M030")
        elif id_scheme.escape(name) in self.ids.taken:
            self.fail(line, f"the {what} id {{#{written}}} is used twice in the book; give each its own", "M030")
        else:
            return self.ids.allocate(name)
        return ""

    def heading_attributes(self, inlines: tuple[m.Inline, ...], line: int) -> tuple[tuple[m.Inline, ...], dict]:
        """A heading's inlines without the attributes written at its end (pandoc's ``## Title {#id
        .unlisted}``, read by mdit-py-plugins' attribute parser), and those attributes."""
        last = inlines[-1] if inlines else None
        found = _HEADING_ATTRS.search(last.text) if isinstance(last, m.Text) else None
        if found is None:
            return inlines, {}
        try:
            _, attrs = parse_attrs(found.group(1))
        except ParseError as exc:
            self.fail(line, f"the attributes {found.group(1)!r} after the heading cannot be read ({exc}); "
                      "write {#id .class}", "M030")
            return inlines, {}
        text = last.text[:found.start()].rstrip()
        return (*inlines[:-1], *((m.Text(text),) if text else ())), attrs

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
    numbers_before: tuple[int, int] = (0, 0),
) -> m.Chapter:
    """Parse one chapter file's bytes. ``source`` is its path for messages, ``ids`` the book-wide id pool,
    ``numbers_before`` the captioned tables and the figures of the chapters before (they are numbered
    through the book)."""
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
    text, list_numbering = fancy_list_markers(text)
    tokens = markdown_parser().parse(text, env)
    deep = _too_deep(tokens)
    if deep is not None:
        raise ManuscriptError(f"block quotations or lists nested more than {MAX_NESTING} levels deep; "
                              "no reader could follow them", Location(source, deep.map[0] + 1 if deep.map else 0),
                              code="M016")
    reader = _ChapterReader(source, chapter_id, ids, list_numbering, numbers_before)
    for line, message in unsupported.unread_constructs(text):
        reader.fail(line, message, unsupported.CODE)
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
    a class that names no role is M032, listing the roles."""
    from .frontmatter import ROLES, chapter_role

    opening = next(tok for tok in tokens if tok.type == "heading_open")
    role, unknown = chapter_role(str(opening.attrs.get("class", "")).split())
    if unknown:
        raise ManuscriptError(f"{{.{unknown[0]}}} on the chapter's title names no kind of chapter; expected one "
                              f"of: {', '.join('.' + name for name in ROLES)}",
                              Location(source, opening.map[0] + 1 if opening.map else 0), code="M032")
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
        if not isinstance(block, m.Heading) or "unlisted" in block.classes:
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
