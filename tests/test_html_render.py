"""The PDF's HTML: no index anchors, inline elements kept off line-break opportunities (see html_render), from tables."""

import pytest

from pressroom import model as m
from pressroom.adapters.weasyprint import spaces_into_elements, without_index_marks
from pressroom.html_render import HtmlRenderer
from pressroom.walk import walk_inline_sequences

MARK = m.IndexMark("ix-1", "Luxemburg, Rosa")
T = m.Text

UNMARKED = [
    # (inlines, expected): the PDF's HTML has no index anchors; the text around one is joined again
    ((T("representatives, "), MARK, T("Rosa Luxemburg and")), (T("representatives, Rosa Luxemburg and"),)),
    ((MARK, T("Trotsky’s view")), (T("Trotsky’s view"),)),
    ((T("the "), MARK, m.Abbr("GPU"), T(" in")), (T("the "), m.Abbr("GPU"), T(" in"))),
    ((T("in "), m.Emph((MARK, T("Pravda"))),), (T("in "), m.Emph((T("Pravda"),)))),
    ((m.Link("https://example.org", (T("the "), MARK, T("Comintern"))),),
     (m.Link("https://example.org", (T("the Comintern"),)),)),
    ((T("end "), MARK), (T("end "),)),
    ((T("plain text"),), (T("plain text"),)),
]


@pytest.mark.parametrize("inlines, expected", UNMARKED)
def test_index_marks_are_left_out_of_the_pdf(inlines, expected):
    # without_index_marks works on one sequence (the renderer applies it to each it renders): over a tree
    assert walk_inline_sequences(inlines, without_index_marks) == expected


SPACES = [
    ((T("of the "), m.Abbr("GPU")), (T("of the"), m.Abbr(" GPU"))),
    ((T("in "), m.Emph((T("Pravda"),))), (T("in"), m.Emph((T(" "), T("Pravda"))))),
    ((T("see "), m.Link("https://example.org", (T("here"),))),
     (T("see"), m.Link("https://example.org", (T(" "), T("here"))))),
    ((T(" "), m.Abbr("GPU")), (T(" "), m.Abbr("GPU"))),  # a lone space stays where it is
    ((T("no space"), m.Abbr("GPU")), (T("no space"), m.Abbr("GPU"))),
]


@pytest.mark.parametrize("inlines, expected", SPACES)
def test_spaces_move_into_the_following_element(inlines, expected):
    assert spaces_into_elements(inlines) == expected


def test_only_the_pdf_html_is_rearranged():
    inlines = (T("the "), MARK, m.Abbr("GPU"))
    epub = HtmlRenderer(lambda target: target, footnotes="aside").inlines(inlines)
    pdf = HtmlRenderer(lambda target: target, footnotes="inline").inlines(inlines)
    assert epub == 'the <span class="ix" id="ix-1"></span><abbr>GPU</abbr>'
    assert pdf == 'the<abbr> GPU</abbr>'
