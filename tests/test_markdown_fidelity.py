"""No Markdown reaches a reader (issue 13): every output of every corpus book is free of Markdown
syntax, and every word pandoc reads in the kitchen-sink book's chapters stands, in order, in the
EPUB and in the PDF.

Pandoc is the reference: its reading of each chapter (pypandoc-binary's pandoc, Markdown → HTML) is
taken as text. HTML rather than pandoc's plain writer, whose text adds what is presentation (list
numbers, a table's rules, captions moved below their tables); the words are pandoc's either way.
"""

from __future__ import annotations

import re
import subprocess
import zipfile

import pytest
from lxml import etree, html

from corpus_books import corpus_names
from printed import LINE_HYPHEN, model_of

XHTML = "{http://www.w3.org/1999/xhtml}"
# What Markdown leaves when a construct is not read: each (pattern, what it is).
SYNTAX = [
    (r"\*\*|__\w", "strong emphasis"), (r"(?<!\w)\*\w[^*\n]*\*(?!\w)", "emphasis"),
    (r"\|\s*:?-{3}", "a pipe table's rule"), (r":::", "a fenced div"), (r"\{[#.][\w-]", "attributes"),
    (r"\$", "TeX math"), (r"~~|~\w+~", "strikeout or subscript"), (r"\^\w+\^", "superscript"),
    (r"\^\[|\[\^", "a note"), (r"\]\(|!\[|\]\{", "a link, an image or a span"), (r"`", "code"),
    (r"\\[-\"'.*_`#|$\\]", "an escape"), (r"(?m)^\s*#{1,6} ", "a heading"), (r"(?m)^\s*\| ", "a line block"),
    (r"(?m)^\s*> ", "a quotation"), (r"(?m)^\s*:\s{2,}", "a definition"), (r"\+-{3,}\+", "a grid table"),
    (r"</?(?:sub|sup|span|br|em|strong|mark|small|cite|abbr|u|i|b|div)\b", "raw HTML"),
    (r"\[@|@\w+:\w", "a citation or cross-reference"),
]


# Elements a reader sees apart from their neighbours (a table's cells, a list's items): a space after
# each, so that the words of two cells never run together in the text read back.
_APART = {"p", "td", "th", "tr", "li", "dt", "dd", "div", "caption", "figcaption", "br", "h1", "h2", "h3",
          "blockquote", "aside", "section", "title", "a"}


def _text(root) -> str:
    """The text of an (X)HTML tree, a space after each element of _APART."""
    for element in root.iter():
        if isinstance(element.tag, str) and etree.QName(element).localname in _APART:
            element.tail = " " + (element.tail or "")
    return "".join(root.itertext())


def _epub_texts(path, code: bool = True) -> dict[str, str]:
    """Each XHTML page of the EPUB → its text; without ``code``, code left out (it may hold any character)."""
    out = {}
    with zipfile.ZipFile(path) as epub:
        for name in sorted(n for n in epub.namelist() if n.endswith(".xhtml")):
            root = etree.fromstring(epub.read(name))
            for formula in list(root.iter("{http://www.w3.org/1998/Math/MathML}math")):
                formula.text, formula[:] = "", []  # a formula's words are pandoc's TeX: not compared
            for element in [] if code else list(root.iter(f"{XHTML}code", f"{XHTML}pre")):
                element.text, element[:] = "", []  # its words gone, the text after it kept
            out[name] = _text(root)
    return out


def _pdf_text(path) -> str:
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return LINE_HYPHEN.sub("", text)


def _found(text: str) -> list[tuple[str, str]]:
    return [(what, match.group()) for pattern, what in SYNTAX for match in re.finditer(pattern, text)]


@pytest.mark.parametrize("name", corpus_names())
def test_no_markdown_syntax_reaches_a_reader(name, corpus):
    built = corpus(name)
    for page, text in _epub_texts(built.output(".epub"), code=False).items():
        assert not _found(text), f"{name} EPUB {page}: {_found(text)}"
    # The PDF's text cannot leave code out: the corpus books' code holds none of this syntax.
    pdf = _pdf_text(built.output(".pdf"))
    assert not _found(pdf), f"{name} PDF: {_found(pdf)}"


def test_the_scan_finds_each_construct_left_as_source():
    """The scan itself: each piece of syntax a reader might be shown is found."""
    for sample in ("**bold**", "| a |\n|---|", "::: epigraph", "## Head {#id}", "$E=mc^2$", "~~gone~~",
                   "^[note]", "[^1]", "[see](#x)", "![alt](a.png)", "`code`", "a\\-b", "| verse", "> quoted",
                   "+---+---+", "<sup>2</sup>", "H~2~O", "x^2^", "@fig:map"):
        assert _found(sample), sample


def _words(text: str) -> list[str]:
    """The words of a text, in lower case (small capitals read back in either case); a zero-width
    space (what <wbr> becomes) is no word break a reader sees."""
    return [w.lower() for w in re.findall(r"\w+", text.replace("\u200b", ""))]


def _pandoc_words(source: str) -> tuple[list[str], list[list[str]]]:
    """Pandoc's reading of a chapter: the words of its text, and those of each of its notes."""
    import pypandoc

    page = html.fromstring(f"<div>{pypandoc.convert_text(source, 'html', format='markdown')}</div>")
    notes = []
    for section in page.xpath("//section[@id='footnotes']|//section[contains(@class,'footnotes')]"):
        for item in section.xpath(".//li"):
            for back in item.xpath(".//a[contains(@class,'footnote-back')]"):
                back.getparent().remove(back)
            notes.append(_words(_text(item)))
        section.getparent().remove(section)
    # pandoc without the pandoc-crossref filter prints @fig:map as written: Pressroom prints what it
    # names ("Figure 2"), so pandoc's words of a cross-reference are not looked for.
    for ref in page.xpath("//span[contains(@class,'citation')]"):
        if re.fullmatch(r"(?:fig|tbl|sec):[\w-]+(?: (?:fig|tbl|sec):[\w-]+)*", ref.get("data-cites", "")):
            ref.text, ref[:] = "", []
    # A formula is drawn in the PDF (no words to read back) and MathML in the EPUB: checked elsewhere.
    for formula in page.xpath("//span[contains(@class,'math')]"):
        formula.text, formula[:] = "", []
    for call in page.xpath("//a[contains(@class,'footnote-ref')]"):
        call.drop_tree()  # its tail (the text after the call) kept
    return _words(_text(page)), notes


def _missing_in_order(wanted: list[str], got: list[str]) -> list[str]:
    """The words of ``wanted`` not found in ``got`` in order (the first that breaks the order, with
    what follows), or [] when all are."""
    pos = 0
    for n, word in enumerate(wanted):
        try:
            pos = got.index(word, pos) + 1
        except ValueError:
            return wanted[n:n + 12]
    return []


def test_every_word_pandoc_reads_stands_in_order_in_the_epub_and_the_pdf(corpus):
    built = corpus("kitchen-sink")
    book = model_of(built.folder)
    epub = _epub_texts(built.output(".epub"))
    pdf = _words(_pdf_text(built.output(".pdf")))
    for chapter in book.chapters:
        source = (built.folder / chapter.source).read_text(encoding="utf-8")
        text, notes = _pandoc_words(source)
        page = _words(epub[f"EPUB/text/{chapter.id}.xhtml"])
        assert not _missing_in_order(text + [w for note in notes for w in note], page), (
            chapter.source, "EPUB", _missing_in_order(text + [w for note in notes for w in note], page))
        assert not _missing_in_order(text, pdf), (chapter.source, "PDF", _missing_in_order(text, pdf))
        for note in notes:
            assert not _missing_in_order(note, pdf), (chapter.source, "PDF note", note)
