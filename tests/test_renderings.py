"""Every node type of the model (as walk.CHILDREN declares them) has a rendering in every output:
the EPUB and the preview (footnotes "aside"), the PDF (footnotes "inline") and plain text.

A new node type fails here until it has a sample below with what each output makes of it."""

import pytest

from pressroom import model as m
from pressroom.formulas import mathml_to_svg, tex_to_mathml
from pressroom.html_render import HtmlRenderer
from pressroom.walk import BLOCK_TYPES, CHILDREN, INLINE_TYPES

T = m.Text
P = m.Paragraph
NOTE = m.Note("ch-note-1", "1", 1, (P((T("The note."),)),), "ch-note-1-ref")
CITE = m.Cite("ch-cite-1", (m.CiteItem("nove"),), 3,
              (m.CiteSegment("", (T("("),)), m.CiteSegment("nove", (T("Nove, "), m.Emph((T("History"),)))),
               m.CiteSegment("", (T(")"),))))
BREAK = '<span epub:type="pagebreak" role="doc-pagebreak" id="page-12" aria-label="12"></span>'

MATHML = tex_to_mathml("x^2", False)
SVG, *SIZE = mathml_to_svg(MATHML)  # the PDF draws the MathML (its drawing is ziamath's)

# type: (sample, EPUB/preview HTML, PDF HTML, plain text)
SAMPLES = {
    m.Text: (T("a < b"), "a &lt; b", "a &lt; b", "a < b"),
    m.Literal: (m.Literal('"'), "&#34;", "&#34;", '"'),
    m.Emph: (m.Emph((T("it"),)), "<em>it</em>", "<em>it</em>", "it"),
    m.Strong: (m.Strong((T("bold"),)), "<strong>bold</strong>", "<strong>bold</strong>", "bold"),
    m.Styled: (m.Styled("smallcaps", (T("Ada"),)), '<span class="smallcaps">Ada</span>',
               '<span class="smallcaps">Ada</span>', "Ada"),
    m.Span: (m.Span((T("Angst"),), ("word",), "de"), '<span class="word" lang="de" xml:lang="de">Angst</span>',
             '<span class="word" lang="de" xml:lang="de">Angst</span>', "Angst"),
    m.CrossRef: (m.CrossRef("fig:map", "fig-map", 3, (T("Figure\u00a02"),)),
                 '<a class="crossref" href="#fig-map">Figure\u00a02</a>', '<a class="crossref" href="#fig-map">Figure\u00a02</a>',
                 "Figure\u00a02"),
    m.Math: (m.Math("x^2", MATHML), MATHML,
             '<span class="math" role="img" aria-label="x^2">' + SVG.replace(
                 "<svg ", f'<svg style="width: {SIZE[0]:.3f}em; height: {SIZE[1]:.3f}em; vertical-align: {SIZE[2]:.3f}em" ', 1).replace(
                 ">", "><title>x^2</title>", 1)  # the formula's words, the tagged PDF's /Alt
             + "</span>", "x^2"),
    m.Code: (m.Code("x<y"), "<code>x&lt;y</code>", "<code>x&lt;y</code>", "x<y"),
    m.Link: (m.Link("https://example.org/?a&b", (T("here"),)), '<a href="https://example.org/?a&amp;b">here</a>',
             '<a href="https://example.org/?a&amp;b">here</a>', "here"),
    m.Image: (m.Image("manuscript/map.png", "A map", "Moscow"),
              '<img src="manuscript/map.png" alt="A map" title="Moscow"/>',
              '<img src="manuscript/map.png" alt="A map" title="Moscow"/>', "A map"),
    m.LineBreak: (m.LineBreak(), "<br/>", "<br/>", " "),
    m.SoftBreak: (m.SoftBreak(), "\n", "\n", " "),
    m.Abbr: (m.Abbr("GPU"), "<abbr>GPU</abbr>", "<abbr>GPU</abbr>", "GPU"),
    m.NoteRef: (m.NoteRef("ch-note-1", 1),
                '<a class="noteref" epub:type="noteref" role="doc-noteref" id="ch-note-1-ref" href="#ch-note-1">1</a>',
                '<span class="footnote-call" id="ch-note-1-ref"></span>'
                '<span class="footnote" id="ch-note-1" data-number="1">The note.</span>', ""),
    m.Cite: (CITE, '<span class="citation" id="ch-cite-1">(<a class="cite" href="#ref-nove">Nove, <em>History</em></a>)</span>',
             # the PDF: the space before an element goes into it (see adapters.weasyprint.spaces_into_elements)
             '(<span class="citation" id="ch-cite-1"><a class="cite" href="#ref-nove">Nove,<em> History</em></a></span>)',
             ""),
    m.IndexMark: (m.IndexMark("ix-1", "Nove"), '<span class="ix" id="ix-1"></span>', "", ""),  # the PDF: no anchor
    m.PageBreak: (m.PageBreak("12"), BREAK, "", ""),  # the PDF is the print edition: its pages are real
    m.Paragraph: (P((T("p"),)), "<p>p</p>", '<p id="b-ch-1">p</p>', "p"),
    m.Heading: (m.Heading(2, (T("Section"),), "section"), '<h2 id="section">Section</h2>',
                '<h2 id="section">Section</h2>', "Section"),
    m.BlockQuote: (m.BlockQuote((P((T("q"),)),), ("epigraph",)),
                   '<blockquote class="epigraph" epub:type="epigraph" role="doc-epigraph">\n<p>q</p>\n</blockquote>',
                   '<blockquote class="epigraph" epub:type="epigraph" role="doc-epigraph">\n<p id="b-ch-1">q</p>\n'
                   '</blockquote>', "q"),
    m.ListBlock: (m.ListBlock(((P((T("a"),)),), (P((T("b"),)),)), ordered=True, start=3),
                  '<ol start="3"><li><p>a</p></li><li><p>b</p></li></ol>',
                  # WeasyPrint does not read start: the PDF resets the counter itself (issue 13)
                  '<ol start="3" style="counter-reset: list-item 2"><li><p id="b-ch-1">a</p></li><li><p id="b-ch-2">b</p>'
                  '</li></ol>', "a\nb"),
    m.CodeBlock: (m.CodeBlock("x = 1 < 2"), "<pre><code>x = 1 &lt; 2</code></pre>",
                  "<pre><code>x = 1 &lt; 2</code></pre>", "x = 1 < 2"),
    m.ThematicBreak: (m.ThematicBreak(), '<hr class="break"/>', '<hr class="break"/>', ""),
    m.Table: (m.Table((m.TableRow((m.TableCell((T("Item"),)), m.TableCell((T("Price"),)))),),
                      (m.TableRow((m.TableCell((T("Loaf"),)), m.TableCell((T("1.20"),)))),), ("", "right"),
                      (T("Prices"),), 2),
              '<table><caption><span class="caption-label">Table 2.</span> Prices</caption><thead><tr>'
              '<th scope="col">Item</th><th scope="col" class="align-right">Price</th></tr></thead><tbody><tr>'
              '<td>Loaf</td><td class="align-right">1.20</td></tr></tbody></table>',
              '<table><caption id="b-ch-1"><span class="caption-label">Table 2.</span> Prices</caption><thead>'
              '<tr id="b-ch-2"><th scope="col">Item</th><th scope="col" class="align-right">Price</th></tr></thead>'
              '<tbody><tr id="b-ch-3"><td>Loaf</td><td class="align-right">1.20</td></tr></tbody></table>',
              "Prices\nItem Price\nLoaf 1.20"),
    m.Figure: (m.Figure((m.Image("manuscript/map.png", "A map"),), (T("A "), m.Emph((T("map"),))), 1),
               '<figure><img src="manuscript/map.png" alt="A map"/><figcaption><span class="caption-label">'
               'Figure 1.</span> A <em>map</em></figcaption></figure>',
               '<figure><img src="manuscript/map.png" alt="A map"/><figcaption id="b-ch-1"><span class="caption-label">'
               'Figure 1.</span> A<em> map</em></figcaption></figure>', "A map"),
    m.DefinitionList: (m.DefinitionList((m.DefinitionItem((T("Proof"),), ((P((T("Rising."),)),),)),)),
                       "<dl><dt>Proof</dt><dd><p>Rising.</p></dd></dl>",
                       '<dl><dt id="b-ch-1">Proof</dt><dd><p id="b-ch-2">Rising.</p></dd></dl>', "Proof\nRising."),
    m.LineBlock: (m.LineBlock((m.Line((T("One"),)), m.Line((T("\u00a0Two"),)))),
                  '<div class="line-block"><div class="line">One</div><div class="line">\u00a0Two</div></div>',
                  '<div class="line-block"><div class="line" id="b-ch-1">One</div><div class="line" id="b-ch-2">'
                  '\u00a0Two</div></div>', "One\n\u00a0Two"),
    m.Div: (m.Div((P((T("Hallo"),)),), ("aside",), "de"), '<div class="aside" lang="de" xml:lang="de">\n<p>Hallo</p>\n</div>',
            '<div class="aside" lang="de" xml:lang="de">\n<p id="b-ch-1">Hallo</p>\n</div>', "Hallo"),
}

# Node types that are not rendered node by node but by the templates around the text, with where.
STRUCTURE = {
    m.Chapter: "parts.j2 chapter_section (title, blocks, notes)",
    m.Note: "HtmlRenderer.note (aside), HtmlRenderer.note_ref (PDF, inline), HtmlRenderer.endnote (parts.j2 endnote_list)",
    m.CiteSegment: "HtmlRenderer.cite",
    m.TableRow: "HtmlRenderer.table",
    m.DefinitionItem: "HtmlRenderer.definition_list",
    m.Line: "HtmlRenderer.line_block",
    m.TableCell: "HtmlRenderer.table",
    m.BibEntry: "parts.j2 bibliography",
    m.ScopedBibliography: "parts.j2 scoped_bibliography (a part's or chapter's list, after its last chapter)",
    m.Section: "the navigation document and the contents pages",
    m.Book: "each writer",
}


def test_every_node_type_has_a_sample_or_is_rendered_by_the_templates():
    missing = set(CHILDREN) - set(SAMPLES) - set(STRUCTURE)
    assert not missing, f"node types with no rendering sample: {sorted(k.__name__ for k in missing)}"
    assert set(SAMPLES) == set(INLINE_TYPES) | set(BLOCK_TYPES)
    assert set(HtmlRenderer.RENDER) == set(SAMPLES), "HtmlRenderer.RENDER must name every inline and block type"


def renderer(footnotes: str) -> HtmlRenderer:
    chapter = m.Chapter("ch", "ch.md", "body", (T("Title"),), "Title", (), (NOTE,))
    return HtmlRenderer(lambda target: f"#{target}", footnotes=footnotes).for_chapter(chapter)


def render(node, footnotes: str) -> str:
    r = renderer(footnotes)
    return str(r.inlines((node,)) if isinstance(node, INLINE_TYPES) else r.blocks((node,)))


@pytest.mark.parametrize("kind", list(SAMPLES), ids=lambda kind: kind.__name__)
def test_each_output_renders_each_node_type(kind):
    node, epub, pdf, text = SAMPLES[kind]
    assert type(node) is kind
    assert render(node, "aside") == epub
    assert render(node, "inline") == pdf
    assert (m.plain_text((node,)) if isinstance(node, INLINE_TYPES) else m.block_text(node)) == text


def test_a_type_without_a_rendering_is_an_error_naming_it():
    class Stranger:
        pass

    with pytest.raises(TypeError, match="no HTML for .*Stranger"):
        renderer("aside").render(Stranger())
    with pytest.raises(TypeError, match="Stranger"):
        m.plain_text((Stranger(),))


def test_the_pdf_sets_every_block_of_a_note_at_its_call():
    """A footnote in the PDF is an inline element: its first paragraph beside the marker, its other
    blocks as spans print.css sets as blocks (paragraphs kept apart, a quotation, a list with its
    numbers from its start, code with its lines); a soft break stays a soft break (WeasyPrint's
    white space is processed in notes by the adapter)."""
    note = m.Note("ch-note-1", "1", 1, (
        P((T("One"), m.SoftBreak(), T("line."))), P((T("Two."),)), m.BlockQuote((P((T("Quoted."),)),)),
        m.ListBlock(((P((T("Listed."),)),), (P((T("Next."),)),)), ordered=True, start=3),
        m.CodeBlock("a = 1\nb = 2\n")), "ch-note-1-ref")
    chapter = m.Chapter("ch", "ch.md", "body", (T("Title"),), "Title", (), (note,))
    r = HtmlRenderer(lambda target: f"#{target}", footnotes="inline").for_chapter(chapter)
    assert r.inlines((m.NoteRef("ch-note-1", 1),)) == (
        '<span class="footnote-call" id="ch-note-1-ref"></span>'
        '<span class="footnote" id="ch-note-1" data-number="1">One\nline.'
        '<span class="note-p">Two.</span>'
        '<span class="note-quote">Quoted.</span>'
        '<span class="note-list"><span class="note-item"><span class="note-marker">3.</span>Listed.</span>'
        '<span class="note-item"><span class="note-marker">4.</span>Next.</span></span>'
        '<span class="note-code">a = 1\nb = 2</span></span>')


def test_every_block_type_has_a_rendering_inside_a_pdf_note():
    assert set(HtmlRenderer.NOTE_RENDER) == set(BLOCK_TYPES)


def test_the_aside_note_links_back_to_its_call():
    html = str(renderer("aside").note(NOTE))
    assert html == ('<aside class="footnote" epub:type="footnote" role="doc-footnote" id="ch-note-1"><p>'
                    '<a class="backlink" href="#ch-note-1-ref" role="doc-backlink" aria-label="Back to note 1 in the '
                    'text">1.</a> The note.</p></aside>')
