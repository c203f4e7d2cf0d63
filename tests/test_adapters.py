"""The library adapters (pressroom.adapters.*): each workaround still needed, and still working, on the
library version it was written for. A test here fails when a library changes under a workaround."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from importlib.metadata import version

import pytest

from pressroom import model as m
from pressroom.adapters import ebooklib as ebooklib_adapter
from pressroom.adapters import pydyf as pydyf_adapter
from pressroom.adapters import weasyprint as weasyprint_adapter
from pressroom.adapters import ziamath as ziamath_adapter

HTML = """<html><head><style>
@page {{ size: 100mm 100mm; }}
.a {{ page: alpha; }} .b {{ page: beta; break-before: right; }}
</style></head><body><p class="a" id="one">One</p><p class="b" id="two">Two</p></body></html>"""


@pytest.mark.parametrize("adapter, distribution", [
    (weasyprint_adapter, "weasyprint"), (pydyf_adapter, "pydyf"), (ebooklib_adapter, "EbookLib"),
    (ziamath_adapter, "ziamath"),
])
def test_each_adapter_names_the_version_it_was_written_for(adapter, distribution):
    """A new release of the library: look at each workaround again, then move WRITTEN_FOR on."""
    assert version(distribution) == adapter.WRITTEN_FOR


def test_weasyprint_pages_carry_their_page_name_only_privately():
    document = weasyprint_adapter.render(HTML.format(), "/")
    from pressroom.pagination import LaidPage

    # Needed: WeasyPrint's public Page has no page name or blankness.
    assert not {"name", "page_type", "blank"} & set(vars(document.pages[0]))
    # Working: one page of "alpha", a blank verso (named after what holds the next element), "beta".
    assert weasyprint_adapter.laid_pages(document.pages) == (
        LaidPage("alpha", False), LaidPage("", True), LaidPage("beta", False))
    assert weasyprint_adapter.first_pages(document.pages) == {"one": 0, "two": 2}


def test_weasyprint_page_text_runs_name_their_block():
    document = weasyprint_adapter.render(HTML.format(), "/")
    runs = list(weasyprint_adapter.page_text_runs(document.pages[2], lambda ident: ident == "two"))
    assert runs == [("two", "Two")]


def test_weasyprint_an_added_anchor_becomes_a_destination():
    import pypdf

    document = weasyprint_adapter.render(HTML.format(), "/")
    assert "page.x" not in document.pages[2].anchors  # needed: WeasyPrint makes none for a page
    weasyprint_adapter.add_anchor(document.pages[2], "page.x")
    reader = pypdf.PdfReader(io.BytesIO(document.write_pdf()))
    assert reader.get_destination_page_number(reader.named_destinations["page.x"]) == 2


def test_weasyprint_writes_no_page_labels_and_the_pydyf_finisher_adds_them():
    import pypdf

    document = weasyprint_adapter.render(HTML.format(), "/")
    plain = pypdf.PdfReader(io.BytesIO(document.write_pdf()))
    assert "/PageLabels" not in plain.trailer["/Root"]  # needed
    ranges = ((0, "r", 1), (2, "D", 1))
    finished = pypdf.PdfReader(io.BytesIO(document.write_pdf(
        finisher=pydyf_adapter.finisher(lambda d, pdf: pydyf_adapter.add_page_labels(pdf, ranges)))))
    assert list(finished.page_labels) == ["i", "ii", "1"]  # working


def test_weasyprint_lays_out_empty_index_anchors_so_the_pdf_leaves_them_out():
    """Needed: an empty inline anchor is a box WeasyPrint lays out (it holds a destination)."""
    import pypdf

    html = HTML.format().replace("<p class=\"a\" id=\"one\">One</p>", '<p class="a" id="one">O<span id="ix-1"></span>ne</p>')
    document = weasyprint_adapter.render(html, "/")
    assert "ix-1" in document.pages[0].anchors
    assert "ix-1" in pypdf.PdfReader(io.BytesIO(document.write_pdf())).named_destinations
    mark = m.IndexMark("ix-1", "One")
    assert weasyprint_adapter.without_index_marks((m.Text("O"), mark, m.Text("ne"))) == (m.Text("One"),)


def test_ebooklib_epubhtml_still_drops_our_head_so_pages_are_plain_items():
    from ebooklib import epub

    xhtml = ('<?xml version="1.0"?><!DOCTYPE html><html xmlns="http://www.w3.org/1999/xhtml">'
             '<head><title>T</title><meta name="keep" content="me"/></head><body epub:type="bodymatter">'
             '<p>x</p></body></html>')
    page = epub.EpubHtml(file_name="a.xhtml", content=xhtml)
    epub.EpubBook().add_item(page)
    assert b'name="keep"' not in page.get_content()  # needed: EpubHtml re-makes the head
    item = epub.EpubItem(file_name="a.xhtml", media_type="application/xhtml+xml", content=xhtml.encode())
    assert item.get_content() == xhtml.encode()  # working: a plain item keeps every byte


def _tiny_book():
    from ebooklib import epub

    book = epub.EpubBook()
    book.set_identifier("urn:x:1")
    book.set_title("T")
    book.set_language("en")
    page = epub.EpubItem(uid="a", file_name="text/a.xhtml", media_type="application/xhtml+xml",
                         content=b'<html xmlns="http://www.w3.org/1999/xhtml"><head><title>A</title></head><body><p id="p">x</p></body></html>')
    book.add_item(page)
    nav = epub.EpubNav()
    book.add_item(nav)
    book.spine = ["a"]
    return book


def test_ebooklib_writes_now_into_the_zip_and_repack_makes_equal_bytes():
    from ebooklib import epub

    raw = io.BytesIO()
    epub.write_epub(raw, _tiny_book(), {})
    stamps = {info.date_time for info in zipfile.ZipFile(raw).infolist()}
    assert stamps != {(1980, 1, 1, 0, 0, 0)}  # needed: entries carry the time of writing
    when = dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.timezone.utc)
    first = ebooklib_adapter.package(_tiny_book(), when)
    second = ebooklib_adapter.package(_tiny_book(), when)
    assert first == second  # working
    archive = zipfile.ZipFile(io.BytesIO(first))
    assert archive.namelist()[0] == "mimetype" and archive.infolist()[0].compress_type == zipfile.ZIP_STORED
    assert {info.date_time for info in archive.infolist()} == {(2023, 11, 14, 22, 13, 20)}


def test_ebooklib_own_random_identifier_is_replaced():
    from ebooklib import epub

    assert epub.EpubBook().uid != epub.EpubBook().uid  # needed: EbookLib makes a random one
    book = _tiny_book()
    assert book.uid == "urn:x:1"  # working: set_identifier replaces it


# A note called in the first paragraph; a filler; a paragraph of which one line fits above the note
# area (orphans: 2): WeasyPrint 70 moves the note to the next page so that a second line fits.
NOTE_HTML = """<html><head><style>
@page { size: 300px 200px; margin: 0; @footnote { margin: 0; padding: 0; } }
body { margin: 0; font: 16px/20px serif; }
p { margin: 0; orphans: 2; widows: 1; }
.note { float: footnote; footnote-policy: line; font: 16px/20px serif; }
.filler { height: 130px; }
</style></head><body>
<p>Call<span class="note">The note.</span> here.</p>
<div class="filler"></div>
<p>Line one<br/>line two<br/>line three<br/>line four</p>
</body></html>"""


def _note_pages(document) -> list[int]:
    """The index of each page whose note area holds text."""
    from weasyprint.formatting_structure import boxes

    found = []
    for index, page in enumerate(document.pages):
        areas = [box for box in page._page_box.descendants() if isinstance(box, boxes.FootnoteAreaBox)]
        if any(isinstance(box, boxes.TextBox) for area in areas for box in area.descendants()):
            found.append(index)
    return found


def test_weasyprint_moves_a_laid_note_off_its_calls_page_and_the_adapter_keeps_it():
    import weasyprint

    assert weasyprint_adapter.report_line_found()  # a new WeasyPrint: look at the workaround again
    # Needed: WeasyPrint alone puts the note (called on page 0) on page 1.
    assert _note_pages(weasyprint.HTML(string=NOTE_HTML).render()) == [1]
    # Working: with the adapter the note stays on page 0, and the last paragraph starts on page 1.
    document = weasyprint_adapter.render(NOTE_HTML, "/")
    assert _note_pages(document) == [0]
    assert [text for _, text in weasyprint_adapter.page_text_runs(document.pages[1], lambda _: True)][:1] == ["Line one"]


def test_ebooklib_writes_no_package_language_and_package_adds_it():
    from ebooklib import epub
    from lxml import etree

    def package_element(data: bytes):
        return etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("EPUB/content.opf"))

    raw = io.BytesIO()
    epub.write_epub(raw, _tiny_book(), {})
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    assert package_element(raw.getvalue()).get(lang) is None  # needed: Ace's epub-lang
    when = dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.timezone.utc)
    assert package_element(ebooklib_adapter.package(_tiny_book(), when)).get(lang) == "en"  # working


LINKED = ('<html><head><style>@page { size: 100mm 100mm; }</style></head><body>'
          '<h1 id="a">A</h1><p><a href="#b">to B</a> <a href="https://example.org/">out</a></p>'
          '<h1 id="b" style="break-before: page">B</h1></body></html>')


def test_weasyprint_writes_links_and_outline_and_the_finisher_takes_them_out():
    import pypdf

    document = weasyprint_adapter.render(LINKED, "/")
    plain = pypdf.PdfReader(io.BytesIO(document.write_pdf()))
    assert "/Outlines" in plain.trailer["/Root"] and plain.pages[0].get("/Annots")  # needed
    finished = pypdf.PdfReader(io.BytesIO(document.write_pdf(
        finisher=pydyf_adapter.finisher(pydyf_adapter.without_links_and_outline))))
    assert "/Outlines" not in finished.trailer["/Root"]  # working
    assert all(not page.get("/Annots") for page in finished.pages)
    assert "a" in finished.named_destinations  # the named destinations stay (they are no annotation)


def test_weasyprint_pdf_x_has_no_output_intent_without_a_profile_and_the_finisher_names_one():
    import pypdf

    document = weasyprint_adapter.render(LINKED, "/")
    plain = pypdf.PdfReader(io.BytesIO(document.write_pdf(pdf_variant="pdf/x-1a")))
    assert plain.trailer["/Info"]["/GTS_PDFXConformance"] == "PDF/X-1a:2003"  # what WeasyPrint 70 declares
    assert "/OutputIntents" not in plain.trailer["/Root"]  # needed
    step = pydyf_adapter.add_output_intent("FOGRA39", "Coated FOGRA39", "http://www.color.org")
    finished = pypdf.PdfReader(io.BytesIO(document.write_pdf(pdf_variant="pdf/x-1a",
                                                              finisher=pydyf_adapter.finisher(step))))
    intent, = finished.trailer["/Root"]["/OutputIntents"]  # working
    assert (intent["/S"], intent["/OutputConditionIdentifier"], intent["/RegistryName"]) == (
        "/GTS_PDFX", "FOGRA39", "http://www.color.org")


ZIA_MATH = '<math><msubsup><mo>&#x0222B;</mo><mn>0</mn><mn>1</mn></msubsup><msup><mi>x</mi><mn>2</mn></msup></math>'


def test_ziamath_logs_through_the_root_logger_and_the_adapter_keeps_it_quiet():
    """Needed: ziafont's logging.debug() calls install a stderr handler on the root logger when it
    has none (seen: WeasyPrint's progress printed by the build). Working: drawing leaves none."""
    import subprocess
    import sys

    probe = ("import logging, ziamath; ziamath.Math({!r}).svg(); print(len(logging.getLogger().handlers))")
    bare = subprocess.run([sys.executable, "-c", probe.format(ZIA_MATH)], capture_output=True, text=True, check=True)
    assert bare.stdout.strip() == "1"
    via = ("import logging; from pressroom.adapters.ziamath import draw; draw({!r}, 24.0); "
           "print(len(logging.getLogger().handlers))")
    ours = subprocess.run([sys.executable, "-c", via.format(ZIA_MATH)], capture_output=True, text=True, check=True)
    assert ours.stdout.strip() == "0"


def test_ziamath_symbols_carry_ids_and_the_adapter_draws_plain_paths():
    """Needed: by default each glyph is a <symbol id>, the same id in every formula (WeasyPrint:
    "Anchor defined twice"). Working: the adapter's SVG has no id, and the setting is restored."""
    import ziafont
    import ziamath

    assert ' id="' in ziamath.Math(ZIA_MATH).svg()
    svg, width, height, below = ziamath_adapter.draw(ZIA_MATH, 24.0)
    assert " id=" not in svg and "<path" in svg and width > 0 and height > 0 and below < 0
    assert ziafont.config.svg2 is True
