"""The screen PDF is tagged PDF/UA-1 (issue 16, item 3), checked with the PyPI checker ``pdfua``
(12 checks of the machine-checkable PDF/UA-1 rules, on pikepdf) and for nested links, which it does
not check, on every book of the corpus and the shipped book."""

from __future__ import annotations

import pikepdf
import pytest

from builtbooks import book_folders
from printcheck import nested_links

BOOKS = sorted(book_folders())


@pytest.mark.parametrize("name", BOOKS)
def test_screen_pdf_is_tagged_pdf_ua_1_and_passes_the_checker(built_books, name):
    import pdfua

    path = built_books.output(name, "pdf", "screen")
    with pikepdf.open(path) as pdf:
        assert "/StructTreeRoot" in pdf.Root and pdf.Root.MarkInfo.Marked
        assert str(pdf.Root.Lang)
        with pdf.open_metadata() as xmp:
            assert xmp.get("pdfuaid:part") == "1"
    report = pdfua.validate(str(path))
    assert [(f.rule_id, f.message) for f in report.findings] == []
    assert nested_links(path) == 0


def test_the_checker_fails_an_untagged_pdf(built_books):
    """The proof PDF is not tagged: the checker must say so, or its pass above means nothing."""
    import pdfua

    report = pdfua.validate(str(built_books.output("shipped", "pdf", "proof")))
    assert report.findings
