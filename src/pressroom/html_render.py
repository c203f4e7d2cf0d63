"""Model blocks and inlines → (X)HTML markup, shared by the EPUB, the PDF and the preview.

:class:`HtmlRenderer` is a visitor: one table (``HtmlRenderer.RENDER``) gives the method for each
node type, and a type with no entry is an error (a test checks every type of ``walk.CHILDREN``).
The renderer is given ``href(target_id)``, which says where an id lives (in
the EPUB each chapter is its own file; in the PDF everything is one document),
and ``footnotes``: "aside" collects a chapter's notes after its text (EPUB,
preview); "inline" leaves each note at its call for CSS ``float: footnote``
(PDF). ``note_place`` (``[notes] place``, :data:`pressroom.notes.PLACES`): with "chapter" or
"book" a call is a link to its endnote (:meth:`HtmlRenderer.endnote`) in every output, which the
templates set where the book asks. Output is well-formed XHTML.
"""

from __future__ import annotations

import re
from typing import Callable

from markupsafe import Markup, escape

from .direction import inlines_direction
from . import ids
from .captions import caption_label
from . import model as m


_LEADING_BREAKS = re.compile(r'(?:<span epub:type="pagebreak"[^>]*></span>)*')


def _no_html(renderer: "HtmlRenderer", node) -> str:
    raise TypeError(f"no HTML for {node!r}: add its type to HtmlRenderer.RENDER")


# An ordered list's numbering as HTML's ``<ol type>`` (base.css sets list-style-type from it).
_HTML_LIST_TYPE = {"decimal": "1", "lower-alpha": "a", "upper-alpha": "A", "lower-roman": "i", "upper-roman": "I"}
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
          (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


# Each style of model.Styled as an element (and its attributes).
_STYLED_HTML = {
    "sub": ("sub", ""), "sup": ("sup", ""), "strike": ("del", ""), "smallcaps": ("span", ' class="smallcaps"'),
    "underline": ("u", ""), "mark": ("mark", ""), "small": ("small", ""), "cite": ("cite", ""),
}


def _class_and_lang(classes: tuple[str, ...], lang: str) -> str:
    """``class`` and ``lang`` attributes (``xml:lang`` too: the EPUB is XHTML) for what has them."""
    out = f' class="{escape(" ".join(classes))}"' if classes else ""
    if lang:
        out += f' lang="{escape(lang)}" xml:lang="{escape(lang)}"'
    return out


def list_marker(block: m.ListBlock, number: int) -> str:
    """The printed marker of item ``number`` of an ordered list, in its style: ``3.``, ``c)``, ``(iv)``.
    Hand-written (a dozen lines) where CSS cannot draw it: a PDF note's list is made of spans."""
    if block.style.endswith("alpha"):
        digits, n = "", number
        while n > 0:
            n, rest = divmod(n - 1, 26)
            digits = chr(97 + rest) + digits
    elif block.style.endswith("roman"):
        digits, n = "", number
        for value, numeral in _ROMAN:
            count, n = divmod(n, value)
            digits += numeral * count
    else:
        digits = str(number)
    if block.style.startswith("upper"):
        digits = digits.upper()
    before, after = m.LIST_DELIMITERS[block.delimiter]
    return f"{before}{digits}{after}"


class HtmlRenderer:
    def __init__(self, href: Callable[[str], str], footnotes: str = "aside",
                 asset: Callable[[str], str] = lambda path: path, words=None, ink: str = "",
                 note_place: str = "foot"):
        from .words import words_for

        self.href = href
        self.words = words if words is not None else words_for("en")  # the book's (pressroom.words)
        self.ink = ink  # the colour formulas are drawn in (a printer's 100 % K), else the SVG's black
        self.footnotes = footnotes
        self.note_place = note_place  # "foot", or "chapter"/"book": endnotes (pressroom.notes.PLACES)
        self._in_endnote = False  # the PDF numbers an endnote's runs of text apart from the text's
        self._note_paragraphs = 0
        self.asset = asset  # book-relative file path → URL in this output
        self.page_breaks = footnotes == "aside"  # the print edition's page breaks: in the EPUB, not the PDF
        self.block_ids = footnotes == "inline"  # the PDF numbers its paragraphs, to map pages back to them
        self._for_weasyprint = None
        if self.block_ids:  # the PDF's inlines, shaped round WeasyPrint's quirks (imported for the PDF only)
            from .adapters.weasyprint import spaces_into_elements, without_index_marks

            self._for_weasyprint = lambda inlines: spaces_into_elements(without_index_marks(inlines))
        self._paragraphs = 0
        self.see_pages: dict[str, str] = {}  # the PDF: cross-reference site → its target's page (pressroom.layout)
        # [bibliography] scope (pressroom.bibliography_scopes): citations link to their part's or chapter's
        # list; the lists to set after each chapter (chapter id → list); in the PDF each entry's "Cited
        # on" pages (entry id → [(page, citation id)], from pressroom.layout), when known
        self.bib_scope = "book"
        self.scoped_lists: dict[str, m.ScopedBibliography] = {}
        self.scoped_pages: dict[str, list[tuple[str, str]]] | None = None
        self._bib_owner = ""
        # the EPUB: heading id of a section Pressroom makes (the Notes, a chapter's endnotes, a part's or
        # chapter's bibliography) → the labels of the print pages that begin at it (pressroom.pagemap)
        self.heading_pages: dict[str, tuple[str, ...]] = {}
        self._chapter_id = ""
        self._notes: dict[str, m.Note] = {}
        self._links: dict[str, str] = {}

    def for_chapter(self, chapter: m.Chapter) -> "HtmlRenderer":
        self._notes = {note.id: note for note in chapter.notes}
        self._links = dict(chapter.links)
        self._paragraphs = 0
        self._note_paragraphs = 0
        self._chapter_id = chapter.id
        from .bibliography_scopes import scope_owner

        self._bib_owner = scope_owner(self.bib_scope, chapter)
        return self

    def scoped_list(self, chapter: m.Chapter) -> m.ScopedBibliography | None:
        """The part's or chapter's bibliography set after ``chapter``, if any."""
        return self.scoped_lists.get(chapter.id)

    # ------------------------------------------------------------------ inlines

    def inlines(self, inlines: tuple[m.Inline, ...]) -> Markup:
        """A sequence of inlines (each nested sequence is rendered through here too)."""
        if self._for_weasyprint is not None:
            inlines = self._for_weasyprint(inlines)
        table = self.RENDER
        return Markup("".join((table.get(type(node)) or _no_html)(self, node) for node in inlines))

    def render(self, node) -> str:
        """One inline or block node as HTML, by the method ``RENDER`` gives for its type."""
        return (self.RENDER.get(type(node)) or _no_html)(self, node)

    inline = block = render

    def text(self, node: m.Text) -> str:
        return str(escape(node.text))

    def crossref(self, node: m.CrossRef) -> str:
        """A cross-reference: the words that name its target ("Figure 2"), a link to it; in the PDF
        it stands at its site's id, and the page of its target follows it, outside the link, when
        ``see_pages`` (site → page number, from pressroom.layout) gives one ("on p. 42")."""
        link = f'<a class="crossref" href="{escape(self.href(node.target))}"'
        if not self.block_ids or not node.site:
            return f'{link}>{self.inlines(node.text)}</a>'
        page = self.see_pages.get(node.site)
        after = f" {escape(self.words['on_page'].replace('{page}', page))}" if page else ""
        return f'{link} id="{node.site}">{self.inlines(node.text)}</a>{after}'

    def math(self, node: m.Math) -> str:
        """A formula: its MathML (EPUB, preview), or drawn as SVG on the text's baseline (the PDF:
        WeasyPrint draws no MathML), its TeX as the text a screen reader says."""
        if not self.block_ids:
            return node.mathml
        from .formulas import mathml_to_svg

        svg, width, height, below = mathml_to_svg(node.mathml)
        style = f"width: {width:.3f}em; height: {height:.3f}em; vertical-align: {below:.3f}em"
        # The TeX is the formula's words for a screen reader: aria-label for the HTML, and the SVG's
        # <title>, which WeasyPrint's tagged PDF makes the /Figure's /Alt. ziamath draws in "black"
        # (fill and stroke); WeasyPrint's SVG takes no colour from the page's CSS, so a printer's ink
        # replaces it in the SVG itself.
        if self.ink:
            svg = svg.replace('"black"', f'"{self.ink}"')
        svg = svg.replace("<svg ", f'<svg style="{style}" ', 1)
        svg = svg.replace(">", f"><title>{escape(node.tex)}</title>", 1)
        return (f'<span class="math{" display" if node.display else ""}" role="img" aria-label="{escape(node.tex)}">'
                + svg + "</span>")

    def literal(self, node: m.Literal) -> str:
        return str(escape(node.text))

    def emph(self, node: m.Emph) -> str:
        return f"<em>{self.inlines(node.children)}</em>"

    def strong(self, node: m.Strong) -> str:
        return f"<strong>{self.inlines(node.children)}</strong>"

    def code(self, node: m.Code) -> str:
        return f"<code>{escape(node.text)}</code>"

    def abbr(self, node: m.Abbr) -> str:
        return f"<abbr>{escape(node.text)}</abbr>"

    def link(self, node: m.Link) -> str:
        return f'<a href="{escape(self.link_href(node.url))}">{self.inlines(node.children)}</a>'

    def link_href(self, url: str) -> str:
        """Where a link goes in this output: a resolved link (``Chapter.links``) to its target's place,
        any other (external) as written."""
        target = self._links.get(url)
        return self.href(target) if target is not None else url

    def image(self, node: m.Image) -> str:
        title = f' title="{escape(node.title)}"' if node.title else ""
        return f'<img src="{escape(self.asset(node.src))}" alt="{escape(node.alt)}"{title}/>'

    def line_break(self, node: m.LineBreak) -> str:
        return "<br/>"

    def soft_break(self, node: m.SoftBreak) -> str:
        return "\n"

    def index_mark(self, node: m.IndexMark) -> str:
        return f'<span class="ix" id="{node.id}"></span>'

    def breaks_at(self, heading_id: str) -> Markup:
        """The page-break markers of the print pages that begin at a made heading (``heading_pages``)."""
        return Markup("".join(self.page_break(m.PageBreak(label)) for label in self.heading_pages.get(heading_id, ())))

    def page_break(self, node: m.PageBreak) -> str:
        if not self.page_breaks:
            return ""
        return (f'<span epub:type="pagebreak" role="doc-pagebreak" id="{escape(ids.page_break_id(node.label))}" '
                f'aria-label="{escape(node.label)}"></span>')

    def note_ref(self, ref: m.NoteRef) -> str:
        note = self._notes.get(ref.note_id)
        if self.footnotes == "inline" and note is not None and self.note_place == "foot":
            # The print layer floats the note to the foot of the page (float: footnote);
            # WeasyPrint then draws the call and the marker itself.
            # The footnote is an inline element (it stands inside the paragraph of its call), so
            # its blocks are spans that print.css sets as blocks (see NOTE_RENDER).
            # The empty anchor marks the call's place, so a check can find the page it landed on.
            return (f'<span class="footnote-call" id="{note.ref_id}"></span>'
                    f'<span class="footnote" id="{note.id}" data-number="{note.number}">'
                    f'{self.note_body(note.blocks)}</span>')
        return (
            f'<a class="noteref" epub:type="noteref" role="doc-noteref" id="{ids.note_ref_id(ref.note_id)}" '
            f'href="{escape(self.href(ref.note_id))}">{ref.number}</a>'
        )

    # ------------------------------------------------------------------ blocks of a note in the PDF

    def note_body(self, blocks: tuple[m.Block, ...]) -> str:
        """Blocks inside an inline element (a PDF note, one of its quotations or list items) as spans:
        a first paragraph as its bare inlines (so that the note's marker, or an item's, shares its
        line), every other block by ``NOTE_RENDER``."""
        out = []
        for n, block in enumerate(blocks):
            if n == 0 and isinstance(block, m.Paragraph):
                out.append(str(self.inlines(block.inlines)))
            else:
                out.append((self.NOTE_RENDER.get(type(block)) or _no_html)(self, block))
        return "".join(out)

    def note_paragraph(self, block: m.Paragraph) -> str:
        return f'<span class="note-p">{self.inlines(block.inlines)}</span>'

    def note_heading(self, block: m.Heading) -> str:
        """A heading of a note, in a span with its id, which a link may point to."""
        return f'<span class="note-heading" id="{block.id}">{self.inlines(block.inlines)}</span>'

    def note_quote(self, block: m.BlockQuote) -> str:
        classes = "".join(f" {escape(c)}" for c in block.classes)
        return f'<span class="note-quote{classes}">{self.note_body(block.blocks)}</span>'

    def note_list(self, block: m.ListBlock) -> str:
        items = []
        for n, item in enumerate(block.items):
            marker = list_marker(block, block.start + n) if block.ordered else "\u2013"
            items.append(f'<span class="note-item"><span class="note-marker">{marker}</span>'
                         f'{self.note_body(item)}</span>')
        return f'<span class="note-list">{"".join(items)}</span>'

    def note_code(self, block: m.CodeBlock) -> str:
        return f'<span class="note-code">{escape(block.text.rstrip(chr(10)))}</span>'

    def note_break(self, block: m.ThematicBreak) -> str:
        return '<span class="note-break"></span>'

    def cite(self, cite: m.Cite) -> str:
        parts = []
        for segment in cite.rendered:
            text = self.inlines(segment.inlines)
            if segment.key:
                target = (ids.scoped_bib_entry_id(self._bib_owner, segment.key) if self._bib_owner
                          else ids.bib_entry_id(segment.key))
                parts.append(f'<a class="cite" href="{escape(self.href(target))}">{text}</a>')
            else:
                parts.append(str(text))
        body = "".join(parts)
        if self.block_ids:
            # The PDF: the opening parenthesis before the span and the closing one after it, so the
            # span does not start at a line-break opportunity (see anchors_after_first_word).
            opening = body[:1] if body[:1] in "([" else ""
            closing = body[-1:] if opening and body[-1:] in ")]" else ""
            inner = body[len(opening):len(body) - len(closing)]
            return f'{opening}<span class="citation" id="{cite.id}">{inner}</span>{closing}'
        return f'<span class="citation" id="{cite.id}">{body}</span>'

    # ------------------------------------------------------------------ blocks

    def blocks(self, blocks: tuple[m.Block, ...]) -> Markup:
        return Markup("\n".join(self.block(b) for b in blocks))

    def paragraph(self, block: m.Paragraph) -> str:
        only = type(block.inlines[0]) if len(block.inlines) == 1 else None
        attrs = ' class="source"' if only is m.Cite else ' class="image"' if only is m.Image else ""
        if inlines_direction(block.inlines) == "rtl":
            attrs += ' dir="rtl"'  # a Hebrew or Arabic paragraph starts from the right (pressroom.direction)
        return f"<p{attrs}{self.block_id()}>{self.inlines(block.inlines)}</p>"

    def block_id(self) -> str:
        """The PDF's id attribute of the next run of text of the chapter (a paragraph, a caption, a
        table row, a term, a line of verse), numbered in reading order as pagemap counts them; ""
        elsewhere."""
        if not self.block_ids:
            return ""
        if self._in_endnote:  # an endnote's, numbered apart (pressroom.pagemap counts them so too)
            self._note_paragraphs += 1
            return f' id="{ids.note_paragraph_id(self._chapter_id, self._note_paragraphs)}"'
        self._paragraphs += 1
        return f' id="{ids.paragraph_id(self._chapter_id, self._paragraphs)}"'

    def heading(self, block: m.Heading) -> str:
        level = min(block.level, 6)
        classes = f' class="{escape(" ".join(block.classes))}"' if block.classes else ""
        return f'<h{level} id="{block.id}"{classes}>{self.inlines(block.inlines)}</h{level}>'

    def block_quote(self, block: m.BlockQuote) -> str:
        classes = " ".join(block.classes)
        attrs = f' class="{escape(classes)}"' if classes else ""
        inner = self.blocks(block.blocks)
        if "epigraph" in block.classes:
            return f'<blockquote{attrs} epub:type="epigraph" role="doc-epigraph">\n{inner}\n</blockquote>'
        return f"<blockquote{attrs}>\n{inner}\n</blockquote>"

    def list_block(self, block: m.ListBlock) -> str:
        tag = "ol" if block.ordered else "ul"
        start = f' start="{block.start}"' if block.ordered and block.start != 1 else ""
        if block.ordered and block.style != "decimal":
            start += f' type="{_HTML_LIST_TYPE[block.style]}"'
        if block.ordered and block.delimiter != "period":
            start += f' class="{block.delimiter}"'  # base.css: the numbers' brackets
        if block.ordered and block.start != 1 and self.block_ids:
            # WeasyPrint does not read <ol start>: the PDF sets the counter itself.
            start += f' style="counter-reset: list-item {block.start - 1}"'
        items = "".join(f"<li>{self.blocks(item)}</li>" for item in block.items)
        return f"<{tag}{start}>{items}</{tag}>"

    def code_block(self, block: m.CodeBlock) -> str:
        return f"<pre><code>{escape(block.text)}</code></pre>"

    def thematic_break(self, block: m.ThematicBreak) -> str:
        return '<hr class="break"/>'

    def table(self, block: m.Table) -> str:
        """A table: its caption above it ("Table 3."), header rows in ``thead`` (repeated on each
        printed page the table runs onto), each column's alignment as a class base.css sets."""
        caption = (f"<caption{self.block_id()}>{self.caption_words('table', block.number, block.caption)}</caption>"
                   if block.caption else "")
        head = "".join(self.table_row(row, "th", block.aligns) for row in block.head)
        body = "".join(self.table_row(row, "td", block.aligns) for row in block.body)
        table_id = f' id="{block.id}"' if block.id else ""
        return (f'<table{table_id}>{caption}{f"<thead>{head}</thead>" if head else ""}'
                f'{f"<tbody>{body}</tbody>" if body else ""}</table>')

    def table_row(self, row: m.TableRow, tag: str, aligns: tuple[str, ...]) -> str:
        cells = []
        row_id = self.block_id()
        for n, cell in enumerate(row.cells):
            align = aligns[n] if n < len(aligns) else ""
            attrs = (' scope="col"' if tag == "th" else "") + (f' class="align-{align}"' if align else "")
            cells.append(f"<{tag}{attrs}>{self.inlines(cell.inlines)}</{tag}>")
        return f"<tr{row_id}>{''.join(cells)}</tr>"

    def caption_words(self, kind: str, number: int, caption: tuple[m.Inline, ...]) -> str:
        """A caption's label and words: ``<span class="caption-label">Table 3.</span> Prices``; a page
        of the print edition that begins with the caption begins before its label."""
        breaks = 0
        while breaks < len(caption) and isinstance(caption[breaks], m.PageBreak):
            breaks += 1
        label = f'<span class="caption-label">{escape(caption_label(kind, number, self.words))}.</span> ' if number else ""
        return f"{self.inlines(caption[:breaks])}{label}{self.inlines(caption[breaks:])}"

    def figure(self, block: m.Figure) -> str:
        """An image alone in its paragraph, with its caption under it ("Figure 2."); the image keeps
        its description as its alternative text."""
        caption = block.caption
        breaks = 0  # a print page that begins with the figure begins before its image
        while breaks < len(caption) and isinstance(caption[breaks], m.PageBreak):
            breaks += 1
        figure_id = f' id="{block.id}"' if block.id else ""
        return (f'<figure{figure_id}>{self.inlines(caption[:breaks])}{self.inlines(block.image)}<figcaption{self.block_id()}>'
                f'{self.caption_words("figure", block.number, caption[breaks:])}</figcaption></figure>')

    def definition_list(self, block: m.DefinitionList) -> str:
        items = []
        for item in block.items:
            items.append(f"<dt{self.block_id()}>{self.inlines(item.term)}</dt>")
            items.extend(f"<dd>{self.blocks(definition)}</dd>" for definition in item.definitions)
        return f"<dl>{''.join(items)}</dl>"

    def line_block(self, block: m.LineBlock) -> str:
        """Lines of verse (or an address), each a block of its own that turns over with a hanging indent."""
        lines = "".join(f'<div class="line"{self.block_id()}>{self.inlines(line.inlines)}</div>' for line in block.lines)
        return f'<div class="line-block">{lines}</div>'

    def div(self, block: m.Div) -> str:
        return f"<div{_class_and_lang(block.classes, block.lang)}>\n{self.blocks(block.blocks)}\n</div>"

    def styled(self, node: m.Styled) -> str:
        tag, attrs = _STYLED_HTML[node.style]
        return f"<{tag}{attrs}>{self.inlines(node.children)}</{tag}>"

    def span(self, node: m.Span) -> str:
        return f"<span{_class_and_lang(node.classes, node.lang)}>{self.inlines(node.children)}</span>"

    def note_definitions(self, block: m.DefinitionList) -> str:
        """A definition list in a PDF note: each term in italic, its definitions after it."""
        items = []
        for item in block.items:
            definitions = "".join(f'<span class="note-p">{self.note_body(d)}</span>' for d in item.definitions)
            items.append(f'<span class="note-p"><em>{self.inlines(item.term)}</em></span>{definitions}')
        return f'<span class="note-list">{"".join(items)}</span>'

    def note_line_block(self, block: m.LineBlock) -> str:
        return "".join(f'<span class="note-p note-line">{self.inlines(line.inlines)}</span>' for line in block.lines)

    def note_div(self, block: m.Div) -> str:
        return f'<span{_class_and_lang(("note-div", *block.classes), block.lang)}>{self.note_body(block.blocks)}</span>'

    def note_table(self, block: m.Table) -> str:
        """A table in a PDF note: its rows as lines of cells (a note is an inline element)."""
        caption = (f'<span class="note-p">{self.caption_words("table", block.number, block.caption)}</span>'
                   if block.caption else "")
        rows = []
        for row in (*block.head, *block.body):
            cells = " ".join(f'<span class="note-cell">{self.inlines(cell.inlines)}</span>' for cell in row.cells)
            rows.append(f'<span class="note-row">{cells}</span>')
        return f'<span class="note-table">{caption}{"".join(rows)}</span>'

    def note_figure(self, block: m.Figure) -> str:
        return (f'<span class="note-figure">{self.inlines(block.image)}'
                f'<span class="note-caption">{self.caption_words("figure", block.number, block.caption)}</span></span>')

    def note(self, note: m.Note) -> Markup:
        """A footnote as an ``aside``, its number linking back to the call."""
        back = (
            f'<a class="backlink" href="{escape(self.href(note.ref_id))}" role="doc-backlink" '
            f'aria-label="{escape(self.words["back_to_note"].replace("{number}", str(note.number)))}">'
            f'{note.number}.</a> '
        )
        paragraphs = []
        for n, block in enumerate(note.blocks):
            html = self.block(block)
            if n == 0 and html.startswith("<p>"):
                html = "<p>" + back + html[3:]
            paragraphs.append(html)
        if not paragraphs:
            paragraphs.append(f"<p>{back}</p>")
        return Markup(
            f'<aside class="footnote" epub:type="footnote" role="doc-footnote" id="{note.id}">'
            + "\n".join(paragraphs)
            + "</aside>"
        )

    def endnote(self, note: m.Note) -> Markup:
        """An endnote (``[notes] place`` "chapter" or "book") as an item of the endnotes' ordered list:
        its number first, a link back to its call, then its blocks. The same in every output; in the
        PDF its runs of text are numbered apart from the text's (``ids.note_paragraph_id``), so that
        the EPUB's page-break markers find the pages that begin in the notes."""
        back = (f'<a class="backlink" href="{escape(self.href(note.ref_id))}" role="doc-backlink" '
                f'aria-label="{escape(self.words["back_to_note"].replace("{number}", str(note.number)))}">'
                f'{note.number}.</a> ')
        self._in_endnote = True
        try:
            blocks = [self.block(block) for block in note.blocks]
        finally:
            self._in_endnote = False
        if blocks and blocks[0].startswith("<p"):  # the number opens the first paragraph
            opening = blocks[0].index(">") + 1
            # after the marker of a print page that begins with the note (its number is on that page)
            opening += len(_LEADING_BREAKS.match(blocks[0], opening).group(0))
            blocks[0] = blocks[0][:opening] + back + blocks[0][opening:]
        else:
            blocks.insert(0, f'<p class="endnote-number">{back}</p>')
        return Markup(f'<li class="endnote" id="{note.id}" epub:type="endnote">' + "\n".join(blocks) + "</li>")

    # The one table of renderings: a node type without an entry has no HTML (an error).
    RENDER = {
        m.Text: text, m.Literal: literal, m.Emph: emph, m.Strong: strong, m.Code: code, m.Link: link, m.Image: image,
        m.Styled: styled, m.Span: span, m.CrossRef: crossref, m.Math: math,
        m.LineBreak: line_break, m.SoftBreak: soft_break, m.Abbr: abbr, m.NoteRef: note_ref, m.Cite: cite,
        m.IndexMark: index_mark, m.PageBreak: page_break,
        m.Paragraph: paragraph, m.Heading: heading, m.BlockQuote: block_quote, m.ListBlock: list_block,
        m.CodeBlock: code_block, m.ThematicBreak: thematic_break, m.Table: table, m.Figure: figure,
        m.DefinitionList: definition_list, m.LineBlock: line_block, m.Div: div,
    }
    # The blocks of a note in the PDF, as spans inside the note's inline element: a block type
    # without an entry is an error too.
    NOTE_RENDER = {
        m.Paragraph: note_paragraph, m.Heading: note_heading, m.BlockQuote: note_quote,
        m.ListBlock: note_list, m.CodeBlock: note_code, m.ThematicBreak: note_break,
        m.Table: note_table, m.Figure: note_figure, m.DefinitionList: note_definitions,
        m.LineBlock: note_line_block, m.Div: note_div,
    }
