"""ISBNs per format (issue 16, item 5, in part): checked by their check digit in book.toml, carried into
the OPF and onto the copyright page."""

from __future__ import annotations

import pytest

from bookmaker import CONFIG, make_book
from epubtools import NS, Epub, build
from pressroom.isbn import isbn_problem

NO_PAGES = "\n[epub]\nprint_page_numbers = false\n"


@pytest.mark.parametrize("text, problem", [
    ("978-0-14-044913-6", ""),
    ("9780140449136", ""),
    ("0-14-044913-2", ""),  # ISBN-10
    ("0-8044-2957-X", ""),  # ISBN-10 ending in X
    ("978-0-14-044913-7", "should end in 6"),
    ("0-14-044913-1", "should end in 2"),
    ("977-0-14-044913-6", "begins with 978 or 979"),
    ("978-0-14-04491", "13 digits"),
])
def test_isbn_check_digits(text, problem):
    assert (isbn_problem(text) == "") if not problem else (problem in isbn_problem(text))


def test_isbns_go_into_the_opf_and_onto_the_copyright_page(tmp_path):
    config = CONFIG.format(body='["a.md"]') + NO_PAGES.replace(
        "print_page_numbers = false", 'print_page_numbers = false\nisbn = "978-0-14-044913-6"')
    config += '\n[print]\nisbn = "978-1-913026-06-6"\n'
    book = make_book(tmp_path, {"a.md": "# A\n\nText.\n"}, config=config)
    result = build(book, "--format", "epub")
    assert result.returncode == 0, result.stderr
    epub = Epub(book / "dist" / "a-small-book.epub")
    opf = epub.xml("EPUB/content.opf")
    assert opf.xpath("//dc:identifier[@id='isbn']/text()", namespaces=NS) == ["urn:isbn:9780140449136"]
    assert opf.xpath("//dc:identifier[@id='id']/text()", namespaces=NS)  # the unique identifier stays
    copyright = epub.zip.read("EPUB/text/copyright.xhtml").decode()
    assert "ISBN 978-1-913026-06-6 (paperback)" in copyright and "ISBN 978-0-14-044913-6 (EPUB)" in copyright


def test_a_wrong_check_digit_is_a_config_error_with_its_line(tmp_path):
    config = CONFIG.format(body='["a.md"]') + '\n[print]\nisbn = "978-0-14-044913-7"\n'
    book = make_book(tmp_path, {"a.md": "# A\n\nText.\n"}, config=config)
    result = build(book, "--format", "epub")
    line = config.splitlines().index('isbn = "978-0-14-044913-7"') + 1
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert f"manuscript/book.toml:{line}: error C001: '[print] isbn'" in result.stderr and "should end in 6" in result.stderr
