"""The real PDF of the shipped book, read back with pypdf (work in progress for issue 4)."""

import re

import pytest

from epubtools import build, copy_book


@pytest.fixture(scope="module")
def pdf(tmp_path_factory):
    import pypdf

    book = copy_book(tmp_path_factory.mktemp("book"))
    result = build(book, "--format", "pdf")
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"dist/russia-part-three\.pdf: \d+ KiB, .* [\d.]+ s", result.stdout.strip())
    return pypdf.PdfReader(book / "dist" / "russia-part-three.pdf")


def _pages(pdf):
    return [page.extract_text() or "" for page in pdf.pages]


def test_page_size_is_the_trim(pdf):
    box = pdf.pages[0].mediabox
    assert round(float(box.width) / 72 * 25.4) == 138 and round(float(box.height) / 72 * 25.4) == 216


def test_every_font_is_embedded(pdf):
    for page in pdf.pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
            descriptor = descriptor.get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font.get("/BaseFont")
            assert "Garamond" in str(font.get("/BaseFont"))


def test_footnotes_once_and_on_the_page_of_their_call(pdf):
    pages = [re.sub(r"\s+", " ", p) for p in _pages(pdf)]
    for call_words, note_words in (("then an officer in the", "The name of Stalin"),
                                   ("in the nationalist", "The modern spelling of Kuomintang is Guomindang")):
        with_note = [i for i, p in enumerate(pages) if note_words in p]
        assert len(with_note) == 1, note_words
        assert call_words.lower() in pages[with_note[0]].lower()
