"""EPUB accessibility that is true: Ace by DAISY finds nothing on any book of the corpus, the OPF
carries xml:lang, and the accessibility metadata says what the book holds and claims only what the
build checked (issue 16, item 4)."""

from __future__ import annotations

import pytest
from PIL import Image

from acetools import ace_violations
from bookmaker import CONFIG, make_book
from builtbooks import book_folders
from epubtools import NS, Epub, build

NO_PAGES = "\n[epub]\nprint_page_numbers = false\n"  # an EPUB alone, without the PDF's layout


@pytest.mark.parametrize("name", sorted(book_folders()))
def test_ace_finds_no_violation(built_books, name):
    epub = built_books.output(name, "epub")
    assert ace_violations(epub) == []


@pytest.mark.parametrize("name", sorted(book_folders()))
def test_package_has_the_book_language_and_no_unearned_certifier(built_books, name):
    opf = Epub(built_books.output(name, "epub")).xml("EPUB/content.opf")
    language = opf.xpath("//dc:language/text()", namespaces=NS)[0]
    assert opf.get("{http://www.w3.org/XML/1998/namespace}lang") == language
    certified = opf.xpath("//opf:meta[@property='a11y:certifiedBy']", namespaces=NS)
    assert certified == [] or "certified_by" in (book_folders()[name] / "manuscript" / "book.toml").read_text()


def _pictured_book(root, alt="A map of Moscow in 1937", extra=""):
    """A book whose chapter has one image (with ``alt``) and a footnote, built as an EPUB alone."""
    book = make_book(root, {"a.md": f"# A\n\nText.[^1]\n\n![{alt}](map.png)\n\n[^1]: A note.\n"},
                     config=CONFIG.format(body='["a.md"]') + NO_PAGES + extra)
    Image.new("RGB", (40, 30), "white").save(book / "manuscript" / "map.png")
    return book


def _metadata(book):
    result = build(book, "--format", "epub")
    assert result.returncode == 0, result.stderr
    epub = Epub(book / "dist" / "a-small-book.epub")
    opf = epub.xml("EPUB/content.opf")
    return epub, lambda prop: opf.xpath(f"//opf:meta[@property='{prop}']/text()", namespaces=NS)


def test_a_book_with_images_says_so_and_passes_ace(tmp_path):
    epub, meta = _metadata(_pictured_book(tmp_path))
    summary = meta("schema:accessibilitySummary")[0]
    assert "the only image, the cover" not in summary.lower()
    assert "Besides the cover, it has 1 image; every image, the cover included, has a text alternative." in summary
    assert "1 footnote linked to and from its call" in summary
    assert "page list" not in summary and "index" not in summary
    assert "alternativeText" in meta("schema:accessibilityFeature")
    assert not {"pageBreakMarkers", "pageNavigation", "index"} & set(meta("schema:accessibilityFeature"))
    assert meta("schema:accessModeSufficient") == ["textual"]
    assert meta("dcterms:conformsTo") == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]
    assert meta("a11y:certifiedBy") == [] and "No evaluator" in summary
    assert ace_violations(epub.path) == []


def test_an_image_without_alternative_text_withdraws_the_conformance_claim(tmp_path):
    _, meta = _metadata(_pictured_book(tmp_path, alt=""))
    assert meta("dcterms:conformsTo") == []
    assert meta("schema:accessModeSufficient") == ["textual,visual"]
    assert "alternativeText" not in meta("schema:accessibilityFeature")
    assert meta("schema:accessibilitySummary")[0].startswith(
        "This publication makes no claim to conform to WCAG: 1 image has no text alternative.")


def test_certifier_and_credential_only_as_configured(tmp_path):
    extra = '\n[accessibility]\ncertified_by = "Accessible Books Ltd"\ncredential = "DAISY Ace Certified"\n'
    _, meta = _metadata(_pictured_book(tmp_path, extra=extra))
    assert meta("a11y:certifiedBy") == ["Accessible Books Ltd"]
    assert meta("a11y:certifierCredential") == ["DAISY Ace Certified"]
    assert "evaluated by Accessible Books Ltd" in meta("schema:accessibilitySummary")[0]


def test_a_credential_without_a_certifier_is_a_config_error(tmp_path):
    book = _pictured_book(tmp_path, extra='\n[accessibility]\ncredential = "DAISY Ace Certified"\n')
    result = build(book, "--format", "epub")
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert "manuscript/book.toml:" in result.stderr and "'credential' needs 'certified_by'" in result.stderr


def test_ace_findings_are_a001_and_a_missing_ace_is_x002(built_books, monkeypatch):
    from pressroom import ace

    epub = built_books.output("shipped", "epub")
    assert ace.ace_findings(epub) == []
    monkeypatch.setattr(ace, "ace_command", lambda: None)
    (missing,) = ace.ace_findings(epub)
    assert (missing.code, missing.severity) == ("X002", "warning") and "not installed" in missing.message


@pytest.mark.parametrize("name", sorted(book_folders()))
def test_the_summary_counts_the_tables_and_formulas_the_book_has(built_books, name):
    """Tables and mathematics are said as the model holds them (never "no tables" of a book with
    tables); formulas make the EPUB's MathML and its TeX alttext accessibility features."""
    from pressroom import model as m
    from pressroom.pipeline import read_book
    from pressroom.walk import query

    book = read_book(book_folders()[name])
    content = tuple(node for chapter in book.chapters for node in chapter.blocks + chapter.notes)
    tables, formulas = len(list(query(content, m.Table))), len(list(query(content, m.Math)))
    opf = Epub(built_books.output(name, "epub")).xml("EPUB/content.opf")
    summary = opf.xpath("//opf:meta[@property='schema:accessibilitySummary']/text()", namespaces=NS)[0]
    features = set(opf.xpath("//opf:meta[@property='schema:accessibilityFeature']/text()", namespaces=NS))
    assert (f"It has {tables} table" in summary) == bool(tables) and ("no tables" in summary) == (not tables)
    assert (f"It has {formulas} formula" in summary) == bool(formulas)
    assert ("no mathematics" in summary) == (not formulas)
    assert ({"MathML", "describedMath"} <= features) == bool(formulas)
