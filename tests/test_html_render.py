"""The PDF's HTML keeps inline elements off line-break opportunities (see html_render), from tables."""

import pytest

from pressroom import model as m
from pressroom.html_render import HtmlRenderer, anchors_after_first_word, spaces_into_elements

MARK = m.IndexMark("ix-1", "Luxemburg, Rosa")
T = m.Text

ANCHORS = [
    # (inlines, expected)
    ((T("representatives, "), MARK, T("Rosa Luxemburg and")),
     (T("representatives, "), T("Rosa"), MARK, T(" Luxemburg and"))),
    ((MARK, T("Trotsky’s view")), (T("Trotsky’s"), MARK, T(" view"))),
    ((MARK, T("Five-Year Plan")), (T("Five-Year"), MARK, T(" Plan"))),
    ((T("the "), MARK, m.Abbr("GPU"), T(" in")), (T("the "), m.Abbr("GPU"), MARK, T(" in"))),
    ((T("in "), MARK, m.Emph((T("Pravda"),))), (T("in "), m.Emph((T("Pravda"), MARK)))),
    ((MARK, T("“quoted”")), (MARK, T("“quoted”"))),  # no word at once: the mark stays
    ((T("end "), MARK), (T("end "), MARK)),
    ((T("plain text"),), (T("plain text"),)),
]


@pytest.mark.parametrize("inlines, expected", ANCHORS)
def test_index_anchors_move_past_the_first_word(inlines, expected):
    assert anchors_after_first_word(inlines) == expected


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
    assert pdf == 'the<abbr> GPU</abbr><span class="ix" id="ix-1"></span>'
