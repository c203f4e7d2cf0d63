"""The metadata real editions carry (issue 16, item 5): contributors with their roles, a series and
its number, an edition statement, the publication date, dedication, epigraph and acknowledgements as
front-matter pages, an "Also by" page; in the OPF (refines, MARC relators, collection), on the title
and copyright pages, and in the PDF's document information and XMP packet.

The corpus book ``parts-and-matter`` carries all of it; its EPUBCheck, Ace, folio and page-label
checks are test_corpus.py's and test_accessibility.py's. Here: what each output says."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest

from bookmaker import make_book
from pressroom.config import load_config
from epubtools import NS, Epub, build
from printed import PrintedPdf

BOOK = "parts-and-matter"
CORPUS = Path(__file__).parent / "corpus"
XHTML = {"x": "http://www.w3.org/1999/xhtml", "epub": "http://www.idpf.org/2007/ops"}


@pytest.fixture(scope="module")
def opf(built_books):
    return Epub(built_books.output(BOOK, "epub")).xml("EPUB/content.opf")


def _refined(opf, element: str, name: str) -> dict[str, list[tuple[str, str]]]:
    """The refinements of the ``dc:element`` named ``name``: property → [(value, scheme)]."""
    found = opf.xpath(f"//dc:{element}[text()=$name]", namespaces=NS, name=name)
    assert len(found) == 1, f"{element} {name}: {len(found)} elements"
    uid = found[0].get("id")
    assert uid, f"{name} has no id to refine"
    refines = opf.xpath("//opf:meta[@refines=$ref]", namespaces=NS, ref="#" + uid)
    out: dict[str, list[tuple[str, str]]] = {}
    for meta in refines:
        out.setdefault(meta.get("property"), []).append((meta.text, meta.get("scheme") or ""))
    return out


def test_opf_creators_and_contributors_with_marc_roles(opf):
    assert opf.xpath("//dc:creator/text()", namespaces=NS) == ["Maren Holt"]
    assert sorted(opf.xpath("//dc:contributor/text()", namespaces=NS)) == ["Idris Vane", "Lucía Ferrer Soto"]
    assert _refined(opf, "creator", "Maren Holt") == {"role": [("aut", "marc:relators")],
                                                     "file-as": [("Holt, Maren", "")]}
    assert _refined(opf, "contributor", "Idris Vane") == {"role": [("edt", "marc:relators")],
                                                         "file-as": [("Vane, Idris", "")]}
    assert _refined(opf, "contributor", "Lucía Ferrer Soto") == {"role": [("trl", "marc:relators")],
                                                                "file-as": [("Ferrer Soto, Lucía", "")]}


def test_opf_series_edition_date_and_isbn(opf):
    collection = opf.xpath("//opf:meta[@property='belongs-to-collection']", namespaces=NS)
    assert [c.text for c in collection] == ["Imaginary Lights"]
    refines = {m.get("property"): m.text for m in
               opf.xpath("//opf:meta[@refines=$ref]", namespaces=NS, ref="#" + collection[0].get("id"))}
    assert refines == {"collection-type": "series", "group-position": "2"}
    assert opf.xpath("//opf:meta[@property='schema:bookEdition']/text()", namespaces=NS) == ["Second edition"]
    assert opf.xpath("//dc:date/text()", namespaces=NS) == ["2024-05-17"]
    assert "urn:isbn:9783161484100" in opf.xpath("//dc:identifier/text()", namespaces=NS)


def _page(built_books, name: str):
    return Epub(built_books.output(BOOK, "epub")).xml(f"EPUB/text/{name}.xhtml")


def _text(tree, path: str) -> list[str]:
    return [" ".join("".join(e.itertext()).split()) for e in tree.xpath(path, namespaces=XHTML)]


def test_title_and_copyright_pages_credit_everyone(built_books):
    title = _page(built_books, "titlepage")
    assert _text(title, "//x:p[@class='book-author']") == ["Maren Holt"]
    assert _text(title, "//x:p[@class='book-credit']") == ["Edited by Idris Vane", "Translated by Lucía Ferrer Soto"]
    assert _text(title, "//x:p[@class='book-series']") == ["Imaginary Lights, 2"]
    assert _text(title, "//x:p[@class='book-edition']") == ["Second edition"]
    copyright_page = " ".join(_text(_page(built_books, "copyright"), "//x:section//x:p"))
    for words in ("Translated by Lucía Ferrer Soto", "Edited by Idris Vane", "Series: Imaginary Lights, 2",
                  "Second edition", "Published by Pressroom Test Press, 2024-05-17.",
                  "ISBN 978-1-4028-9462-6 (paperback)", "ISBN 978-3-16-148410-0 (EPUB)"):
        assert words in copyright_page


@pytest.mark.parametrize("page, epub_type, role", [
    ("dedication", "dedication", "doc-dedication"),
    ("epigraph", "epigraph", "doc-epigraph"),
    ("preface", "preface", "doc-preface"),
    ("acknowledgements", "acknowledgments", "doc-acknowledgments"),
])
def test_front_matter_pages_have_their_semantics_and_landmarks(built_books, page, epub_type, role):
    section = _page(built_books, page).xpath("//x:body/x:section", namespaces=XHTML)[0]
    assert section.get(f"{{{XHTML['epub']}}}type") == epub_type
    assert section.get("role") == role
    nav = _page(built_books, "nav")
    landmarks = nav.xpath("//x:nav[@epub:type='landmarks']//x:a", namespaces=XHTML)
    assert (epub_type, f"{page}.xhtml") in [(a.get(f"{{{XHTML['epub']}}}type"), a.get("href")) for a in landmarks]


def test_also_by_page_faces_the_title_page(built_books):
    epub = Epub(built_books.output(BOOK, "epub"))
    spine = [ref.get("idref") for ref in epub.xml("EPUB/content.opf").xpath("//opf:itemref", namespaces=NS)]
    assert spine.index("also-by") + 1 == spine.index("titlepage")
    also = epub.xml("EPUB/text/also-by.xhtml")
    assert _text(also, "//x:h2") == ["Also by Maren Holt"]
    assert _text(also, "//x:li") == ["The Wreck of the Sarah Polwhele", "Salt Roads: Walking the Carrow Coast"]

    pdf = PrintedPdf(built_books.output(BOOK, "pdf"))
    # The half-title's verso (ii), facing the title page (iii); neither prints a folio.
    assert "Also by Maren Holt" in " ".join(pdf.body_text(1).split())
    assert "The Keepers of Carrow Point" in pdf.body_text(2)
    assert pdf.page_labels[:3] == ["i", "ii", "iii"]
    assert pdf.folios[1] == pdf.folios[2] == ""


def test_dedication_and_epigraph_are_display_pages_in_print(built_books):
    """Each on its own recto, in roman, with no folio and no heading printed (the page's text is the
    dedication alone); acknowledgements are a chapter with a folio."""
    pdf = PrintedPdf(built_books.output(BOOK, "pdf"))
    pages = {}
    for index in range(pdf.count):
        text = " ".join(pdf.body_text(index).split())
        for key, words in (("dedication", "For the keepers"), ("epigraph", "A light is only a promise"),
                           ("acknowledgements", "This history owes its sources")):
            if words in text:
                pages[key] = index
    assert set(pages) == {"dedication", "epigraph", "acknowledgements"}
    for key in ("dedication", "epigraph"):
        index = pages[key]
        assert index % 2 == 0, f"the {key} is not on a recto"
        assert pdf.folios[index] == "", f"the {key} prints a folio"
        assert pdf.page_labels[index].isalpha(), "front matter is numbered in roman"
        assert key.capitalize() not in pdf.body_text(index), f"the {key} prints its heading"
    assert pdf.folios[pages["acknowledgements"]] == pdf.page_labels[pages["acknowledgements"]]
    # Where the Chicago Manual of Style (1.4) puts them: after the copyright page, before the
    # contents, which do not list them (the EPUB's nav does).
    contents = pdf.page_of("contents")
    assert pdf.page_of("copyright-page") < pages["dedication"] < pages["epigraph"] < contents
    listed = " ".join(pdf.body_text(i) for i in range(contents, pages["acknowledgements"]))
    assert "Acknowledgements" in listed and "Dedication" not in listed and "Epigraph" not in listed
    nav = _page(built_books, "nav")
    toc = _text(nav, "//x:nav[@epub:type='toc']/x:ol/x:li/x:a")
    assert toc[:4] == ["Dedication", "Epigraph", "Preface", "Acknowledgements"]


def test_pdf_document_information_and_xmp(built_books):
    with pikepdf.open(built_books.output(BOOK, "pdf")) as pdf:
        assert str(pdf.docinfo["/Author"]) == "Maren Holt"
        assert str(pdf.docinfo["/Title"]) == "The Keepers of Carrow Point: A Short History of an Imaginary Light"
        xmp = pdf.open_metadata()
        assert xmp["dc:title"] == str(pdf.docinfo["/Title"])
        assert xmp["dc:creator"] == ["Maren Holt"]
        assert xmp["dc:contributor"] == {"Idris Vane", "Lucía Ferrer Soto"}
        assert xmp["dc:language"] == {"en-GB"}
        assert xmp["dc:date"] == ["2024-05-17"]
        # the print edition's ISBN, as the book's config gives it
        print_isbn = load_config(CORPUS / BOOK).metadata.isbn_print.replace("-", "")
        assert xmp["dc:identifier"] == f"urn:isbn:{print_isbn}"
        assert xmp["dc:publisher"] == {"Pressroom Test Press"}
        assert xmp["dc:rights"] == "Written for Pressroom’s test corpus; free to copy."
        assert xmp["dc:description"] == str(pdf.docinfo["/Subject"])
        assert xmp["xmp:CreateDate"] == "2023-11-14T22:13:20Z"


def test_xmp_keeps_the_pdf_ua_and_pdf_x_identification(built_books):
    """The screen PDF's packet still says PDF/UA-1 and the IngramSpark one PDF/X-1a, beside the book's
    Dublin Core; every property stands once."""
    from lxml import etree

    for profile, key, value in (("screen", "pdfuaid:part", "1"),
                                ("ingramspark", "pdfxid:GTS_PDFXVersion", "PDF/X-1a:2003")):
        with pikepdf.open(built_books.any_length(BOOK, profile)) as pdf:
            xmp = pdf.open_metadata()
            assert xmp[key] == value
            assert xmp["dc:creator"] == ["Maren Holt"]
            assert xmp["dc:contributor"] == {"Idris Vane", "Lucía Ferrer Soto"}
            packet = etree.fromstring(pdf.Root.Metadata.read_bytes())
            names = [child.tag for d in packet.iter("{http://www.w3.org/1999/02/22-rdf-syntax-ns#}Description")
                     for child in d] + [name for d in packet.iter(
                         "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}Description") for name in d.attrib]
            repeated = {name for name in names if names.count(name) > 1} - {
                "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}about"}
            assert not repeated, f"{profile}: properties given twice: {repeated}"


# ------------------------------------------------------------------ config and manuscript mistakes

CONFIG = """\
[book]
title = "A Small Book"
author = "Ann Author"
language = "en-GB"
identifier = "urn:uuid:00000000-0000-4000-8000-000000000001"
{extra}
[contents]
body = ["a.md"]
"""


def _build(tmp_path, extra: str, chapter: str = "# A\n\nText.\n"):
    book = make_book(tmp_path, {"a.md": chapter}, config=CONFIG.format(extra=extra) + "\n[epub]\nprint_page_numbers = false\n")
    return build(book, "--format", "epub")


def test_an_unknown_role_is_c001_at_its_line_listing_the_roles(tmp_path):
    result = _build(tmp_path, '\n[[book.contributor]]\nname = "Bo Sun"\nrole = "translater"\n')
    assert result.returncode == 1
    assert "manuscript/book.toml:9: error C001: 'translater' is not a role" in result.stderr
    assert "translator (trl)" in result.stderr and "editor (edt)" in result.stderr
    assert "Traceback" not in result.stderr


def test_contributor_mistakes_are_each_c001_at_their_line(tmp_path):
    result = _build(tmp_path, '\n[[book.contributor]]\nrole = "editor"\n\n'
                              '[[book.contributor]]\nname = "Cy Dee"\nrole = "editor"\nnick = "cy"\n'
                              'series_number = 3\n')
    assert result.returncode == 1
    assert "manuscript/book.toml:7: error C001: [[book.contributor]] needs a 'name'" in result.stderr
    assert "manuscript/book.toml:13: error C001: unknown key 'nick' in [[book.contributor]]" in result.stderr


def test_a_series_number_needs_a_series(tmp_path):
    result = _build(tmp_path, 'series_number = 3\n')
    assert result.returncode == 1
    assert "manuscript/book.toml:6: error C001: a 'series_number' needs 'series'" in result.stderr


def test_co_authors_are_creators_in_order(tmp_path):
    result = _build(tmp_path, '\n[[book.contributor]]\nname = "Bo Sun"\nrole = "author"\n'
                              '\n[[book.contributor]]\nname = "Cy Dee"\nrole = "illustrator"\nfile_as = "Dee, C."\n')
    assert result.returncode == 0, result.stderr
    epub = Epub(tmp_path / "dist" / "a-small-book.epub")
    opf = epub.xml("EPUB/content.opf")
    assert opf.xpath("//dc:creator/text()", namespaces=NS) == ["Ann Author", "Bo Sun"]
    assert _refined(opf, "contributor", "Cy Dee") == {"role": [("ill", "marc:relators")], "file-as": [("Dee, C.", "")]}
    title = epub.xml("EPUB/text/titlepage.xhtml")
    assert _text(title, "//x:p[@class='book-author']") == ["Ann Author and Bo Sun"]
    assert _text(title, "//x:p[@class='book-credit']") == ["Illustrated by Cy Dee"]


def test_a_class_on_a_title_that_names_no_role_is_m030(tmp_path):
    result = _build(tmp_path, "", chapter="{.dedicaton}\n# For Ann\n\nFor Ann.\n")
    assert result.returncode == 1
    assert "manuscript/a.md:2: error M032: {.dedicaton} on the chapter's title names no kind of chapter" in result.stderr
    assert ".dedication" in result.stderr


def test_a_date_that_is_not_a_date_is_c001(tmp_path):
    result = _build(tmp_path, 'date = "May 2024"\n')
    assert result.returncode == 1
    assert "manuscript/book.toml:6: error C001: 'date' must be YYYY, YYYY-MM or YYYY-MM-DD" in result.stderr


@pytest.mark.parametrize("profile", ["proof", "screen"])
def test_pdf_with_its_xmp_rebuilds_byte_identical(tmp_path, profile):
    """Two builds from nothing (no memo) give the same PDF, XMP packet and all."""
    import shutil

    from builtbooks import book_folders

    outputs = []
    for n in (1, 2):
        book = shutil.copytree(book_folders()[BOOK], tmp_path / str(n), ignore=shutil.ignore_patterns("dist", ".cache", "golden"))
        result = build(book, "--format", "pdf", "--profile", profile, "--no-cache")
        assert result.returncode == 0, result.stderr
        outputs.append(next((book / "dist").glob("*.pdf")).read_bytes())
    assert outputs[0] == outputs[1]
    assert "<rdf:li>Lucía Ferrer Soto</rdf:li>".encode() in outputs[0]  # the XMP packet, uncompressed
