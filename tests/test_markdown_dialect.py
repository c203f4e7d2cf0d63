"""The author's Markdown (issue 13): each construct of pandoc's Markdown that Pressroom reads, from a
table of cases: the Markdown in, the model node it becomes, what the EPUB's XHTML holds and the words
the PDF prints, in order.

One small book holds every case as a chapter of its own; it is built once (EPUB and PDF, from
nothing) for the module, so each case reads its own chapter of both outputs.
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from bookmaker import make_book
from epubtools import build
from pressroom import model as m
from pressroom import walk
from pressroom.ids import IdAllocator
from pressroom.markdown_reader import fancy_list_markers, read_chapter
from pressroom.typography import typogrify
from printed import PrintedPdf, chapter_pages, model_of

# name: (chapter text after its title, model node type it must hold, fragments of the EPUB chapter's
# XHTML in order, the PDF's words in order)
CASES: dict[str, tuple[str, type, tuple[str, ...], tuple[str, ...]]] = {
    "dashes": ("Rises at four -- or three --- and bakes... Pages 12--14.", m.Paragraph,
               ("Rises at four \u2013 or three \u2014 and bakes\u2026 Pages 12\u201314.",),
               ("Rises at four \u2013 or three \u2014 and bakes\u2026 Pages 12\u201314.",)),
    "escapes": ('K\\-9 and \\-\\- and \\"inch\\" and it\\\'s and \\.\\.\\. kept.', m.Literal,
                ("K-9 and -- and &#34;inch&#34; and it&#39;s and ... kept.",),
                ('K-9 and -- and "inch" and it\'s and ... kept.',)),
    "heading-attributes": ("## The Oven {#ovens .unnumbered}\n\nSee [the oven](#ovens).\n\n"
                           "## Hidden {.unlisted}\n\nText.", m.Heading,
                           ('<h2 id="ovens" class="unnumbered">The Oven</h2>', '<a href="#ovens">the oven</a>',
                            '<h2 id="hidden" class="unlisted">Hidden</h2>'),
                           ("The Oven", "See the oven.", "Hidden")),
    "list-letters": ("c) Sift.\nd) Weigh.", m.ListBlock,
                     ('<ol start="3" type="a" class="paren"><li><p>Sift.</p></li><li><p>Weigh.</p></li></ol>',),
                     ("c) Sift.", "d) Weigh.")),
    "list-roman": ("iv. Shape.\nv. Score.\nvi. Bake.", m.ListBlock,
                   ('<ol start="4" type="i">',), ("iv. Shape.", "v. Score.", "vi. Bake.")),
    "list-parens": ("(2) Mix.\n(3) Knead.", m.ListBlock, ('<ol start="2" class="parens">',), ("(2) Mix.", "(3) Knead.")),
    "list-upper": ("A.  Rye.\nB.  Spelt.", m.ListBlock, ('<ol type="A">',), ("A. Rye.", "B. Spelt.")),
    "list-hash": ("#. First.\n#. Second.", m.ListBlock, ("<ol><li><p>First.</p></li><li><p>Second.</p></li></ol>",),
                  ("1. First.", "2. Second.")),
    "list-start": ("3. Third.\n4. Fourth.", m.ListBlock, ('<ol start="3">',), ("3. Third.", "4. Fourth.")),
    "table": ("Table: Prices of *bread*\n\n| Loaf | Price |\n|:--|--:|\n| Rye | 1.45 |\n| Tin | 1.20 |", m.Table,
              ('<caption><span class="caption-label">Table 1.</span> Prices of <em>bread</em></caption>',
               '<thead><tr><th scope="col" class="align-left">Loaf</th><th scope="col" class="align-right">Price'
               '</th></tr></thead>', '<td class="align-right">1.45</td>'),
              ("Table 1. Prices of bread", "Loaf Price", "Rye 1.45", "Tin 1.20")),
    "table-caption-after": ("| Day | Loaves |\n|---|---|\n| Monday | 40 |\n: Loaves baked", m.Table,
                            ('<span class="caption-label">Table 2.</span> Loaves baked</caption>',),
                            ("Table 2. Loaves baked", "Day Loaves", "Monday 40")),
    "table-no-caption": ("| Flour | Water |\n|---|---|\n| 1 kg | 650 g |", m.Table,
                         ("<table><thead>",), ("Flour Water", "1 kg 650 g")),
    "figure": ("![A nest box in *ink*](box.png)", m.Figure,
               ('<figure id="caption-figure-1"><img src="../images/box.png" alt="A nest box in ink"/><figcaption><span '
                'class="caption-label">Figure 1.</span> A nest box in <em>ink</em></figcaption></figure>',),
               ("Figure 1. A nest box in ink",)),
    "definition-list": ("Proof\n:   The second rise.\n\n    An hour.\n\nCrumb\n:   The inside.", m.DefinitionList,
                        ("<dl><dt>Proof</dt><dd><p>The second rise.</p>\n<p>An hour.</p></dd><dt>Crumb</dt>",),
                        ("Proof", "The second rise.", "An hour.", "Crumb", "The inside.")),
    "line-block": ("| The oven's hot,\n|     the loaves go in;\n| and a long line that goes on and on until it has "
                   "to turn over onto the next line of the page.", m.LineBlock,
                   ('<div class="line-block"><div class="line">The oven\u2019s hot,</div><div class="line">'
                    '\u00a0\u00a0\u00a0\u00a0the loaves go in;</div>',),
                   ("The oven\u2019s hot,", "the loaves go in;", "and a long line")),
    "div-epigraph": ("::: epigraph\n> Our daily bread.\n:::", m.BlockQuote,
                     ('<blockquote class="epigraph" epub:type="epigraph" role="doc-epigraph">',), ("Our daily bread.",)),
    "div-poem": ("::: {.poem}\nThe yeast is quick,\\\nthe salt is slow.\n:::", m.BlockQuote,
                 ('<blockquote class="poem">', "The yeast is quick,<br/>the salt is slow."),
                 ("The yeast is quick,", "the salt is slow.")),
    "div-lang": ("::: {lang=de .aside}\nDas Brot.\n:::", m.Div,
                 ('<div class="aside" lang="de" xml:lang="de">', "Das Brot."), ("Das Brot.",)),
    "pressroom-epigraph": ("{.epigraph}\n> Bread.", m.BlockQuote, ('<blockquote class="epigraph"',), ("Bread.",)),
    "styled": ("H~2~O, 2^8^, ~~gone~~, [Ada]{.smallcaps}, [Brot]{lang=de}.", m.Styled,
               ("H<sub>2</sub>O, 2<sup>8</sup>, <del>gone</del>, <span class=\"smallcaps\">Ada</span>, "
                '<span lang="de" xml:lang="de">Brot</span>.',), ("H2O, 28, gone, Ada, Brot.",)),
    "raw-html": ('A<br>b, H<sub>2</sub>O, <mark>m</mark>, <span class="firm" lang="fr">pain</span>, '
                 "<abbr>BS</abbr>, <cite>Year</cite>, <u>u</u>, <small>s</small>, <i>i</i>, <b>b</b>.", m.Styled,
                 ("A<br/>b, H<sub>2</sub>O, <mark>m</mark>, <span class=\"firm\" lang=\"fr\" xml:lang=\"fr\">pain</span>, "
                  "<abbr>BS</abbr>, <cite>Year</cite>, <u>u</u>, <small>s</small>, <em>i</em>, <strong>b</strong>.",),
                 ("A", "b, H2O, m, pain, BS, Year, u, s, i, b.")),
    "code": ("Call `bake(loaf)`:\n\n```python\ndef bake(loaf):\n    return loaf\n```", m.CodeBlock,
             ("<code>bake(loaf)</code>", "<pre><code>def bake(loaf):\n    return loaf\n</code></pre>"),
             ("Call bake(loaf):", "def bake(loaf):", "return loaf")),
    # A section is named by its title in the quotation marks of the book's language (en-GB: single).
    "crossref": ("## Ovens {#sec:ovens}\n\nTable: Prices {#tbl:prices}\n\n| a |\n|---|\n| 1 |\n\n"
                 "![A box](box.png){#fig:box}\n\nSee @fig:box, [see @tbl:prices] and @sec:ovens.", m.CrossRef,
                 ('<h2 id="sec-ovens">Ovens</h2>', '<table id="tbl-prices">', '<figure id="fig-box">',
                  'See <a class="crossref" href="#fig-box">Figure\u00a02</a>, see <a class="crossref" '
                  'href="#tbl-prices">Table\u00a03</a> and <a class="crossref" href="#sec-ovens">\u2018Ovens\u2019</a>.'),
                 ("See Figure 2, see Table 3 and \u2018Ovens\u2019.",)),
    "math": ("Energy is $E=mc^2$ and\n\n$$\\int_0^1 x^2\\,dx = \\frac{1}{3}$$\n\nafter.", m.Math,
             ('<math alttext="E=mc^2" xmlns="http://www.w3.org/1998/Math/MathML" display="inline">',
              '<math alttext="\\int_0^1 x^2\\,dx = \\frac{1}{3}" xmlns="http://www.w3.org/1998/Math/MathML" '
              'display="block">'),
             ("Energy is", "and", "after.")),
    "scene-break": ("Before.\n\n* * *\n\nAfter.", m.ThematicBreak, ("<p>Before.</p>", '<hr class="break"/>', "<p>After.</p>"),
                    ("Before.", "\u2767", "After.")),
}


def _chapter_name(case: str) -> str:
    return f"{case}.md"


def _title(case: str) -> str:
    return "Case " + case.replace("-", " ").title()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("dialect")
    chapters = {_chapter_name(case): f"# {_title(case)}\n\n{text}\n" for case, (text, *_) in CASES.items()}
    make_book(root, chapters)
    png = Path(__file__).parent / "corpus" / "kitchen-sink" / "manuscript" / "images" / "nest-box.png"
    (root / "manuscript" / "box.png").write_bytes(png.read_bytes())
    result = build(root)
    assert result.returncode == 0, result.stderr
    book = model_of(root)
    pdf = PrintedPdf(next((root / "dist").glob("*.pdf")))
    return book, zipfile.ZipFile(next((root / "dist").glob("*.epub"))), pdf, chapter_pages(pdf, book)


def _in_order(haystack: str, needles, what: str) -> None:
    pos = 0
    for needle in needles:
        found = haystack.find(needle, pos)
        assert found >= 0, f"{what}: {needle!r} not found (in order) in:\n{haystack[pos:pos + 2000]}"
        pos = found + len(needle)


def _pdftotext(path: Path, pages: range) -> str:
    """The words of some pages as poppler reads them, line by line (pdfium reads a list's numbers
    after its items: WeasyPrint draws the markers last)."""
    result = subprocess.run(["pdftotext", "-layout", "-f", str(pages.start + 1), "-l", str(pages.stop),
                             str(path), "-"], capture_output=True, text=True, check=True)
    return result.stdout


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\u2010\n", "").replace("\ufffe", "")).strip()


@pytest.mark.parametrize("case", list(CASES))
def test_each_construct_in_the_model_the_epub_and_the_pdf(case, built):
    book, epub, pdf, pages = built
    text, kind, xhtml, printed = CASES[case]
    (chapter,) = [c for c in book.chapters if c.source.endswith(_chapter_name(case))]
    assert list(walk.query(chapter.blocks, kind)), f"{case}: no {kind.__name__} in the model"
    page = epub.read(f"EPUB/text/{chapter.id}.xhtml").decode()
    _in_order(page, xhtml, f"{case} (EPUB)")
    words = _flat(_pdftotext(pdf.path, pages[chapter.id]))
    _in_order(words, [_flat(p) for p in printed], f"{case} (PDF)")


# ---------------------------------------------------------------------- the pieces, from tables

@pytest.mark.parametrize("text, expected", [
    ("a -- b", "a \u2013 b"),
    ("a --- b", "a \u2014 b"),
    ("1914--1918", "1914\u20131918"),
    ("wait...", "wait\u2026"),
    ("well---no", "well\u2014no"),
])
def test_smart_dashes_and_ellipsis(text, expected):
    assert typogrify(text) == expected


@pytest.mark.parametrize("markdown, style, delimiter, start", [
    ("a) x\nb) y", "lower-alpha", "paren", 1),
    ("c. x", "lower-alpha", "period", 3),
    ("i. x\nii. y", "lower-roman", "period", 1),
    ("iv. x\nv. y", "lower-roman", "period", 4),
    ("(2) x", "decimal", "parens", 2),
    ("(b) x", "lower-alpha", "parens", 2),
    ("#. x\n#. y", "decimal", "period", 1),
    ("A.  x", "upper-alpha", "period", 1),
    ("IV)  x", "upper-roman", "paren", 4),
    ("7) x", "decimal", "paren", 7),
])
def test_fancy_list_markers(markdown, style, delimiter, start):
    chapter = read_chapter(f"# T\n\n{markdown}\n".encode(), "t.md", "t", "body", "", IdAllocator())
    (block,) = chapter.blocks
    assert isinstance(block, m.ListBlock) and block.ordered
    assert (block.style, block.delimiter, block.start) == (style, delimiter, start)


@pytest.mark.parametrize("text", [
    "B. Russell wrote it.",  # an initial, one space: pandoc takes no list
    "Para\na) not a list: the paragraph goes on",
    "```\na) code\n```",
])
def test_what_is_no_fancy_list_stays_as_written(text):
    rewritten, found = fancy_list_markers(text)
    assert rewritten == text and not found


def test_two_lists_of_different_markers_are_two_lists():
    chapter = read_chapter(b"# T\n\na) x\nb) y\n\n(3) z\n", "t.md", "t", "body", "", IdAllocator())
    assert [(b.style, b.delimiter, b.start, len(b.items)) for b in chapter.blocks] == [
        ("lower-alpha", "paren", 1, 2), ("decimal", "parens", 3, 1)]


@pytest.mark.parametrize("markdown, message", [
    ("# T {#mine}\n", "chapter's title takes its id"),
    ("# T\n\n## A {#1st}\n", "is not a name"),
    ("# T\n\n## A {#same}\n\n## B {#same}\n", "used twice"),
])
def test_a_heading_id_that_cannot_be_taken_is_m030_with_its_line(markdown, message):
    from pressroom.errors import ManuscriptError

    with pytest.raises(ManuscriptError) as caught:
        read_chapter(markdown.encode(), "t.md", "t", "body", "", IdAllocator())
    (problem,) = caught.value.findings
    assert problem.code == "M030" and message in str(problem.message)
    assert problem.line == markdown.count("\n", 0, markdown.rindex("{")) + 1


def test_tables_and_figures_are_numbered_through_the_book(tmp_path):
    make_book(tmp_path, {
        "one.md": "# One\n\nTable: First\n\n| a |\n|---|\n| 1 |\n\n| b |\n|---|\n| 2 |\n\n![Fig one](p.png)\n",
        "two.md": "# Two\n\n| c |\n|---|\n| 3 |\n\n: Second\n\n![Fig two](p.png)\n",
    })
    png = Path(__file__).parent / "corpus" / "kitchen-sink" / "manuscript" / "images" / "nest-box.png"
    (tmp_path / "manuscript" / "p.png").write_bytes(png.read_bytes())
    book = model_of(tmp_path)
    tables = [t.number for t in walk.query(book.chapters, m.Table)]
    figures = [f.number for f in walk.query(book.chapters, m.Figure)]
    assert tables == [1, 0, 2] and figures == [1, 2]


@pytest.mark.parametrize("markdown, message", [
    ('A <script>x</script> b', "'<script>' is not allowed"),
    ('A <span style="color:red">b</span>', "raw HTML <span> may not carry style"),
    ('A <img src="x.png"> b', "'<img src=\"x.png\">' is not allowed"),
    ("A <sup>b c", "<sup> is not closed"),
    ("A b</sub> c", "</sub> closes no <sub>"),
    ("<div>\nblock\n</div>", "<div> is not allowed as a block"),
])
def test_raw_html_outside_the_safe_subset_is_m009_naming_the_tag(markdown, message):
    from pressroom.errors import ManuscriptError

    with pytest.raises(ManuscriptError) as caught:
        read_chapter(f"# T\n\n{markdown}\n".encode(), "t.md", "t", "body", "", IdAllocator())
    (problem,) = caught.value.findings
    assert problem.code == "M009" and message in problem.message and problem.line == 3


def test_an_html_comment_is_m009_never_printed():
    from pressroom.errors import ManuscriptError

    for text in ("A <!-- note to self --> b", "<!-- a block comment -->"):
        with pytest.raises(ManuscriptError) as caught:
            read_chapter(f"# T\n\n{text}\n".encode(), "t.md", "t", "body", "", IdAllocator())
        (problem,) = caught.value.findings
        assert problem.code == "M009" and "comment" in problem.message and problem.line == 3


@pytest.mark.parametrize("markdown, line, what", [
    ("+---+---+\n| a | b |\n+===+===+\n| 1 | 2 |\n+---+---+", 3, "a grid table"),
    ("  Right   Left\n-------  ------\n     12  12", 4, "a simple or multiline table"),
    ("Energy is $\\foo{E}$.", 3, "the TeX command \\foo is not known"),
    ("$$\n\\bar{x} \\frob x\n$$", 3, "the TeX command \\frob is not known"),
    ("(@) An example.", 3, "an example list"),
    ("\\newpage", 3, "raw LaTeX"),
])
def test_what_pressroom_does_not_read_is_m031_with_its_line_and_what_to_write(markdown, line, what):
    from pressroom.errors import ManuscriptError

    with pytest.raises(ManuscriptError) as caught:
        read_chapter(f"# T\n\n{markdown}\n".encode(), "t.md", "t", "body", "", IdAllocator())
    (problem,) = caught.value.findings
    assert problem.code == "M031" and problem.line == line and what in problem.message
    assert "write" in problem.message.split(";", 1)[1]


@pytest.mark.parametrize("text", [
    "It costs $5 and $10 at the baker's.",
    "```\n+---+---+\n$x$\n```",
    "A rule:\n\n---\n\nand text.",
])
def test_what_only_looks_like_it_is_read_as_text(text):
    read_chapter(f"# T\n\n{text}\n".encode(), "t.md", "t", "body", "", IdAllocator())


def test_a_cross_reference_to_nothing_is_m013_with_its_file_and_line(tmp_path):
    from pressroom.errors import ManuscriptError

    make_book(tmp_path, {"one.md": "# One\n\nText.\n\nSee @fig:nowhere.\n"})
    with pytest.raises(ManuscriptError) as caught:
        model_of(tmp_path)
    (problem,) = caught.value.findings
    assert (problem.code, problem.file, problem.line) == ("M013", "manuscript/one.md", 5)
    assert "@fig:nowhere" in problem.message


def test_a_bare_at_key_that_is_no_label_stays_text():
    chapter = read_chapter(b"# T\n\nWrite to me@example.org or @home.\n", "t.md", "t", "body", "", IdAllocator())
    assert not list(walk.query(chapter.blocks, m.CrossRef))
    assert m.block_text(chapter.blocks[0]) == "Write to me@example.org or @home."


def test_a_formula_is_drawn_in_the_pdf(built):
    """The PDF draws a formula (WeasyPrint has no MathML: an SVG of ziamath's glyph outlines) where
    the text has none: the math chapter's pages hold many more vector paths than the dashes
    chapter's (whose only paths are the proof's crop marks)."""
    import pypdfium2.raw as raw

    book, _, pdf, pages = built

    def paths(case: str) -> int:
        (chapter,) = [c for c in book.chapters if c.source.endswith(_chapter_name(case))]
        return sum(len(list(pdf.pdfium[i].get_objects(filter=[raw.FPDF_PAGEOBJ_PATH], max_depth=8)))
                   for i in pages[chapter.id])

    assert paths("math") >= paths("dashes") + 10
