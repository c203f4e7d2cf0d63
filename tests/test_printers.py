"""PDF profiles named for where the file goes (issue 16, item 1): each printer's rules, read back
from the built PDF as a printer's preflight would, on every book of the corpus and the shipped book;
and the refusals, each quoting the printer's rule."""

from __future__ import annotations

import pytest
from pypdf import PdfReader

from bookmaker import CONFIG, make_book
from builtbooks import book_folders
from epubtools import build
from pagecheck import Printed, check_labels_and_folios
from printcheck import MM, nearest_to_trim
from pressroom import printers

BOOKS = sorted(book_folders())


def _finished(built_books, name):
    from pressroom.build import prepare_book

    return prepare_book(built_books.folder(name))


def _foot_mm(profile: str) -> float:
    """The folio band to read the folios from: the profile's bottom margin, less a millimetre."""
    return printers.margins(printers.printer(profile))[2] - 1


@pytest.mark.parametrize("name", BOOKS)
def test_kdp_has_no_annotations_or_outline_no_bleed_and_every_word_inside(built_books, name):
    path = built_books.printer_pdf(name, "kdp")
    reader = PdfReader(path)
    assert "/Outlines" not in reader.trailer["/Root"]
    assert all(not page.get("/Annots") for page in reader.pages)
    for page in reader.pages:
        media, trim = page.mediabox, page.trimbox
        # KDP: bleed at most 0.125 in at the outside and 0.125 in at top and bottom.
        assert float(media.width) <= float(trim.width) + 0.125 * 72 + 0.01
        assert float(media.height) <= float(trim.height) + 0.25 * 72 + 0.01
    distance, word, page = nearest_to_trim(path)
    assert distance >= 9.5, (word, page, distance)
    # KDP recommends fully embedded fonts: WeasyPrint's full_fonts keeps every glyph of the font.
    assert path.stat().st_size > built_books.output(name, "pdf", "screen").stat().st_size


@pytest.mark.parametrize("name", BOOKS)
def test_ingramspark_is_pdf_x_1a_with_an_output_intent_and_every_word_inside(built_books, name):
    path = built_books.printer_pdf(name, "ingramspark")
    reader = PdfReader(path)
    info = reader.trailer["/Info"]
    assert info["/GTS_PDFXConformance"].startswith("PDF/X-1a")
    assert info["/Trapped"] == "/False"
    intents = reader.trailer["/Root"]["/OutputIntents"]
    assert [(i["/S"], i["/OutputConditionIdentifier"], i["/RegistryName"]) for i in intents] == [
        ("/GTS_PDFX", "FOGRA39", "http://www.color.org")]
    assert "/Outlines" not in reader.trailer["/Root"]
    assert all(not page.get("/Annots") for page in reader.pages)
    assert all(page.mediabox == page.trimbox for page in reader.pages)  # nothing bleeds: no bleed
    distance, word, page = nearest_to_trim(path)
    assert distance >= 12.7, (word, page, distance)
    # Text in 100 % K: no RGB colour is set anywhere in a page's content.
    for page in reader.pages:
        content = page.get_contents().get_data()
        assert b" rg" not in content and b" RG" not in content and b"/DeviceRGB" not in content


@pytest.mark.parametrize("profile", ["proof", "screen", "kdp", "ingramspark"])
@pytest.mark.parametrize("name", BOOKS)
def test_every_pdf_has_page_labels_equal_to_its_folios(built_books, name, profile):
    path = built_books.printer_pdf(name, profile) if printers.printer(profile).pod else \
        built_books.output(name, "pdf", profile)
    check_labels_and_folios(Printed(path, foot_mm=_foot_mm(profile)), _finished(built_books, name))


def test_proof_keeps_its_bleed_and_marks_and_print_is_its_old_name(built_books):
    path = built_books.output("shipped", "pdf", "proof")
    page = PdfReader(path).pages[0]
    assert float(page.mediabox.width) - float(page.trimbox.width) == pytest.approx(6 * MM, abs=0.1)
    assert printers.printer("print") is printers.printer("proof")
    assert printers.file_suffix("print") == ""


def test_a_trim_the_printer_does_not_offer_is_refused_with_its_rule(built_books):
    book = built_books.folder("shipped")
    result = build(book, "--format", "pdf", "--profile", "lulu")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    line = next(i for i, text in enumerate((book / "manuscript/book.toml").read_text().splitlines(), 1)
                if text.startswith("trim"))
    assert f"manuscript/book.toml:{line}: error P010: Lulu does not print a 138×216 mm trim" in result.stderr
    assert "Lulu offers these book sizes only: " in result.stderr and "152.4×228.6 mm" in result.stderr


def test_a_book_too_short_for_the_printer_is_refused(tmp_path):
    book = make_book(tmp_path, {"a.md": "# A\n\nShort.\n"},
                     config=CONFIG.format(body='["a.md"]') + '\n[print]\ntrim = "6in 9in"\nprofile = "kdp"\n')
    result = build(book, "--format", "pdf")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "pages; KDP paperback: 24 to 828 pages" in result.stderr


def test_a_margin_below_the_printer_minimum_is_refused(tmp_path):
    text = "# A\n\n" + "\n\n".join(f"Paragraph {n} of a book long enough for the printer. " * 12 for n in range(160))
    book = make_book(tmp_path, {"a.md": text},
                     config=CONFIG.format(body='["a.md"]') + '\n[print]\ntrim = "6in 9in"\n')
    (book / "styles").mkdir()
    (book / "styles" / "book.css").write_text("@page { margin: 5mm; }\n", encoding="utf-8")
    result = build(book, "--format", "pdf", "--profile", "kdp")
    assert result.returncode == 1 and "Traceback" not in result.stderr, result.stdout
    assert "nearer the trim than 9.5 mm" in result.stderr and "KDP: outside, top and bottom margins" in result.stderr


@pytest.mark.parametrize("pages, inside", [(24, 0.375), (150, 0.375), (151, 0.5), (300, 0.5), (301, 0.625),
                                           (500, 0.625), (700, 0.75), (701, 0.875), (828, 0.875)])
def test_kdp_gutter_grows_with_the_page_count(pages, inside):
    kdp = printers.printer("kdp")
    assert kdp.gutter[printers.gutter_band(kdp, pages)][1] == pytest.approx(inside * 25.4)
    assert printers.margins(kdp, printers.gutter_band(kdp, pages))[3] >= inside * 25.4


def test_preflight_finds_what_the_printer_refuses(built_books):
    """The printer's preflight (``pressroom check``): clean on the file made for that printer; on the
    proof (bleed, marks, links, outline, RGB, not PDF/X) it names each refusal with its code."""
    from pressroom.preflight import preflight_pdf

    assert preflight_pdf(built_books.printer_pdf("shipped", "ingramspark"), printers.printer("ingramspark")) == []
    assert preflight_pdf(built_books.printer_pdf("shipped", "kdp"), printers.printer("kdp")) == []
    proof = built_books.output("shipped", "pdf", "proof")
    codes = [f.code for f in preflight_pdf(proof, printers.printer("ingramspark"))]
    assert codes == ["P013", "P014", "P014", "P015", "P015", "P016"]  # RGB black text too
    screen = built_books.output("shipped", "pdf", "screen")
    assert "P016" in [f.code for f in preflight_pdf(screen, printers.printer("ingramspark"))]  # coloured links


def test_check_runs_the_printer_preflight_and_ace(tmp_path):
    import json
    import subprocess
    import sys

    from epubtools import copy_book

    book = copy_book(tmp_path)
    config = book / "manuscript" / "book.toml"
    config.write_text(config.read_text().replace('trim = "138mm 216mm"', 'trim = "138mm 216mm"\nprofile = "kdp"'))
    (book / "styles" / "book.css").write_text("@page { margin: 4mm; }\n.contents a { color: red; }\n")
    result = subprocess.run([sys.executable, "-m", "pressroom", "check", "--book", str(book), "--format", "json"],
                            capture_output=True, text=True)
    findings = json.loads(result.stdout)["findings"]
    assert [f["code"] for f in findings if f["code"].startswith("P")] == ["P012"], findings
    assert "KDP: outside, top and bottom margins" in findings[-1]["message"]
    (book / "styles" / "book.css").unlink()
    result = subprocess.run([sys.executable, "-m", "pressroom", "check", "--book", str(book), "--format", "json"],
                            capture_output=True, text=True)
    assert json.loads(result.stdout)["findings"] == [], result.stdout  # Ace and the preflight ran: nothing


@pytest.mark.parametrize("profile", ["kdp", "ingramspark"])  # whole fonts (Lulu too, but no corpus trim of its)
@pytest.mark.parametrize("name", ["french", "kitchen-sink"])
def test_whole_fonts_still_read_back_as_the_words_set(built_books, name, profile):
    """Fonts embedded whole map every glyph set to its characters: each word of the book with a
    ligature (fi, ffi, fl…) reads back from the PDF as written (WeasyPrint's full_fonts maps the
    font's cmap only: "suffit" read "su t"; pressroom.adapters.pydyf.complete_unicode_maps)."""
    import re

    from pressroom import model as m
    from printed import PrintedPdf, normalised, words

    book = _finished(built_books, name)
    wanted = sorted({word for chapter in book.chapters for block in chapter.blocks
                     for word in words(m.block_text(block)) if re.search("f[fil]", word)})
    assert wanted, "the book has words with ligatures"
    pdf = PrintedPdf(built_books.printer_pdf(name, profile))
    printed = set(words(" ".join(normalised(pdf.main_text(i)) + " " + pdf.notes_text(i) for i in range(pdf.count))))
    assert [word for word in wanted if word not in printed] == []
