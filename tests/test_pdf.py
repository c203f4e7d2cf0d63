"""The real PDF of the shipped book, read back with pypdf and pypdfium2."""

import re

import pytest

from epubtools import build, copy_book
from seed import seed_body_words, words

MM = 72 / 25.4
BOOK_TITLE = "Russia: From Revolution to Counter-revolution"


class Pdf:
    def __init__(self, path):
        import pypdf
        import pypdfium2

        self.path = path
        self.reader = pypdf.PdfReader(path)
        self.pdfium = pypdfium2.PdfDocument(path)
        self.texts = [page.extract_text() or "" for page in self.reader.pages]

    def band(self, index: int, top: bool) -> str:
        """The text in the top (running head) or bottom (folio) 14 mm of a page's trim box."""
        page = self.pdfium[index]
        left, bottom, right, top_ = (float(v) for v in self.reader.pages[index].trimbox)
        textpage = page.get_textpage()
        if top:
            return textpage.get_text_bounded(left, top_ - 14 * MM, right, top_).strip()
        return textpage.get_text_bounded(left, bottom, right, bottom + 14 * MM).strip()

    def body(self, index: int) -> str:
        """The text between the running-head and folio bands."""
        left, bottom, right, top = (float(v) for v in self.reader.pages[index].trimbox)
        return self.pdfium[index].get_textpage().get_text_bounded(left, bottom + 14 * MM, right, top - 14 * MM)

    def folio(self, index: int) -> str:
        return self.band(index, top=False)

    def page_index(self, page_object) -> int:
        return self.reader.get_page_number(page_object) if not isinstance(page_object, int) else page_object


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    return copy_book(tmp_path_factory.mktemp("book"))


@pytest.fixture(scope="module")
def pdf(book):
    result = build(book, "--format", "pdf")
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"dist/russia-part-three\.pdf: \d+ KiB, \d+ pages, [\d.]+ s", result.stdout.strip())
    return Pdf(book / "dist" / "russia-part-three.pdf")


@pytest.fixture(scope="module")
def screen(book):
    result = build(book, "--format", "pdf", "--profile", "screen")
    assert result.returncode == 0, result.stderr
    return Pdf(book / "dist" / "russia-part-three-screen.pdf")


def _mm(value) -> int:
    return round(float(value) / MM)


def test_print_profile_has_trim_bleed_and_marks(pdf):
    page = pdf.reader.pages[0]
    assert (_mm(page.trimbox.width), _mm(page.trimbox.height)) == (138, 216)
    assert (_mm(page.bleedbox.width), _mm(page.bleedbox.height)) == (144, 222)
    assert _mm(page.mediabox.width) >= 144
    # The marks, read off the rendered half-title page (blank but for its title).
    scale = 4
    image = pdf.pdfium[0].render(scale=scale, grayscale=True).to_pil()
    mx0, my0, mx1, my1 = (float(v) for v in page.mediabox)
    tx0, ty0, tx1, ty1 = (float(v) for v in page.trimbox)

    def ink(x, y):  # darkest pixel within 1 pt of a point, 0 = black
        px, py = (x - mx0) * scale, (my1 - y) * scale
        return min(image.getpixel((int(px + dx), int(py + dy))) for dx in range(-4, 5) for dy in range(-4, 5))

    bleed = tx0 - mx0
    for x in (mx0 + bleed / 4, mx1 - bleed / 4):  # crop marks on the trim lines, in the outer bleed
        for y in (ty0, ty1):
            assert ink(x, y) < 100, (x, y)
    for y in (my0 + bleed / 4, my1 - bleed / 4):
        for x in (tx0, tx1):
            assert ink(x, y) < 100, (x, y)
    assert ink((tx0 + tx1) / 2, my1 - bleed / 2) < 100  # registration targets
    assert ink(mx0 + bleed / 2, (ty0 + ty1) / 2) < 100
    for x, y in ((tx0 + 3, ty0 + 3), (tx1 - 3, ty1 - 3)):  # nothing inside the trim at the corners
        assert ink(x, y) > 200


def test_screen_profile_is_the_trim_only(screen, pdf):
    page = screen.reader.pages[0]
    assert (_mm(page.mediabox.width), _mm(page.mediabox.height)) == (138, 216)
    assert all(tuple(p.mediabox) == tuple(p.trimbox) for p in screen.reader.pages)  # no bleed, no marks
    # The same pages as the print profile, page by page, with the same numbers.
    assert screen.texts == pdf.texts
    assert list(screen.reader.page_labels) == list(pdf.reader.page_labels)


def test_every_font_is_embedded_and_is_the_book_serif(pdf):
    for page in pdf.reader.pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font)["/FontDescriptor"].get_object()
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font.get("/BaseFont")
            assert "Garamond" in str(font.get("/BaseFont"))


def test_metadata(pdf):
    info = pdf.reader.metadata
    assert info.title == "Russia: From Revolution to Counter-revolution: Part Three: From Five-Year Plan to the Purges"
    assert info.author == "Ted Grant"
    assert pdf.reader.trailer["/Root"]["/Lang"] == "en-GB"


def _outline(pdf):
    out = []

    def walk(items, level):
        for item in items:
            if isinstance(item, list):
                walk(item, level + 1)
            else:
                out.append((level, item.title, pdf.reader.get_destination_page_number(item)))

    walk(pdf.reader.outline, 0)
    return out


def test_outline_mirrors_the_contents(pdf, screen):
    from pressroom.build import prepare_book
    from seed import ROOT

    chapter = prepare_book(ROOT).chapters[0]
    expected = [(0, chapter.title_text)] + [(1, s.title) for s in chapter.sections] + [(0, "Bibliography"),
                                                                                    (0, "Index")]
    assert [(level, title) for level, title, _ in _outline(pdf)] == expected


def test_contents_page_numbers_are_where_the_headings_stand(pdf):
    contents = next(i for i, t in enumerate(pdf.texts) if t.startswith("Contents"))
    lines = [l for l in pdf.texts[contents].split("\n") if re.search(r"\.\s*\d+$", l)]
    listed = [(re.sub(r"[ .]+\d+$", "", l).strip(), re.search(r"(\d+)$", l).group(1)) for l in lines]
    outline = _outline(pdf)
    assert [t for t, _ in listed] == [t for _, t, _ in outline]
    for (title, number), (_, _, index) in zip(listed, outline):
        assert pdf.folio(index) == number, title
        assert title.split()[0] in pdf.texts[index]


def test_front_matter_roman_body_arabic_from_one(pdf):
    from pagecheck import Printed, check_labels_and_folios
    from pressroom.build import prepare_book
    from seed import ROOT

    check_labels_and_folios(Printed(pdf.path), prepare_book(ROOT))
    opener = _outline(pdf)[0][2]
    assert pdf.folio(opener) == "1"  # a drop folio on the opener
    assert pdf.band(opener, top=True) == ""  # no running head on the opener
    assert pdf.folio(opener + 1) == "2"
    romans = [pdf.folio(i) for i in range(opener)]
    assert "v" in romans and all(re.fullmatch(r"[ivx]*", r) for r in romans)  # the contents' page
    assert opener % 2 == 0  # 0-based even index: a recto


def test_running_heads(pdf):
    outline = _outline(pdf)
    sections = [(index, title) for level, title, index in outline if level == 1]
    opener = outline[0][2]
    bibliography = next(index for _, title, index in outline if title == "Bibliography")
    checked = 0
    for index in range(opener + 1, bibliography - 1):
        head = pdf.band(index, top=True)
        if not pdf.texts[index].strip():
            continue  # a blank page
        if (index - opener) % 2 == 1:  # verso
            assert head == BOOK_TITLE, index
        else:  # recto: the section current at the top of the page or first started on it
            starting = [t for i, t in sections if i == index]
            before = [t for i, t in sections if i < index]
            assert head in (starting[:1] + before[-1:]), (index, head)
        checked += 1
    assert checked > 40


def test_footnotes_once_and_on_the_page_of_their_call(pdf):
    pages = [re.sub(r"\s+", " ", p) for p in pdf.texts]
    for call, note in (("then an officer in the GPU", "The name of Stalin’s secret police"),
                       ("in the nationalist Kuomintang", "The modern spelling of Kuomintang is Guomindang")):
        with_note = [i for i, p in enumerate(pages) if note in p]
        assert len(with_note) == 1, note
        page = pages[with_note[0]]
        assert call in page
        # The call's mark and the note's marker carry the same number.
        number = re.search(re.escape(call) + r"(\d+)", page).group(1)
        assert re.search(rf"{number}\.\s*{re.escape(note)}", page)


def test_bibliography_cited_on_pages_are_where_the_citations_stand(pdf):
    from pressroom.build import prepare_book
    from seed import ROOT

    book = prepare_book(ROOT)
    dests = pdf.reader.named_destinations
    first = next(i for i, t in enumerate(pdf.texts) if t.startswith("Bibliography"))
    text = re.sub(r"\s+", " ", " ".join(pdf.texts[first:])).replace("\u00a0", " ")
    for entry in book.bibliography:
        pages = sorted({pdf.reader.get_destination_page_number(dests[c]) for c in entry.cited_by})
        folios = [pdf.folio(i) for i in pages]
        label = "pp." if len(folios) > 1 else "p."
        printed = f"Cited on {label} {', '.join(folios)}."
        assert printed in text, (entry.key, printed)
        for index in pages:  # the citation is really on that page (a word hyphenated at a line's end joined)
            printed = re.sub("[-\u2010]\n", "", pdf.texts[index])
            assert entry.key.split("-")[0].capitalize()[:4] in printed or "Ibid" in printed


def _text_lines(pdf, index):
    """The lines of body text on a page, top to bottom: (left, right, baseline, text), in pt."""
    left, bottom, right, top = (float(v) for v in pdf.reader.pages[index].trimbox)
    textpage = pdf.pdfium[index].get_textpage()
    rows = {}
    for i in range(textpage.count_chars()):
        char = textpage.get_text_range(i, 1)
        if not char.strip():
            continue
        x0, y0, x1, y1 = textpage.get_charbox(i, loose=True)  # font boxes: one bottom per line
        if not (bottom + 14 * MM < y0 and y1 < top - 14 * MM):
            continue  # running head and folio
        row = rows.setdefault(round(y0), [x0, x1, ""])
        row[0], row[1], row[2] = min(row[0], x0), max(row[1], x1), row[2] + char
    return [(x0, x1, y, text) for y, (x0, x1, text) in sorted(rows.items(), reverse=True)]


def test_no_stray_short_lines_in_justified_text(pdf):
    """Inside a paragraph every line but the last reaches the right margin. (WeasyPrint 70 breaks
    a justified, hyphenated line too early when an inline element starts at the break, leaving
    a word alone on a line: 47 such lines in the sample before the PDF's HTML avoided that.)"""
    outline = _outline(pdf)
    opener = outline[0][2]
    bibliography = next(index for _, title, index in outline if title == "Bibliography")
    stray, looked = [], 0
    for index in range(opener, bibliography):
        lines = [line for line in _text_lines(pdf, index) if len(line[3]) > 0]
        if len(lines) < 5:
            continue
        margin = min(line[0] for line in lines)
        measure = max(line[1] for line in lines) - margin
        steps = sorted(a[2] - b[2] for a, b in zip(lines, lines[1:]))
        leading = steps[len(steps) // 2]  # the usual distance between two lines of text
        for line, after in zip(lines, lines[1:]):
            flush_left = abs(line[0] - margin) < 1 and abs(after[0] - margin) < 1
            same_paragraph = abs((line[2] - after[2]) - leading) <= 1.5
            if flush_left and same_paragraph:
                looked += 1
                if line[1] - margin < 0.8 * measure:
                    stray.append((pdf.folio(index), line[3], after[3][:30]))
    assert looked > 1000
    assert stray == []


def test_prose_words_present_in_order(pdf):
    """Every word of the publisher's text, in order, in the body (running heads, folios and notes
    taken off each page; small capitals read back in any case; hyphenated line ends joined)."""
    from pressroom.build import prepare_book
    from pressroom import model as m
    from seed import ROOT

    notes = [m.block_text(n.blocks[0]) for n in prepare_book(ROOT).chapters[0].notes]
    outline = _outline(pdf)
    body = []
    bibliography = next(index for _, title, index in outline if title == "Bibliography")
    for index in range(outline[0][2], bibliography):
        text = pdf.body(index).replace("\r\n", "\n")
        for note in notes:  # the footnote's own text, with its marker
            pattern = r"(?:\d+\.\s*)?" + r"\s+".join(re.escape(w) for w in note.split())
            text = re.sub(pattern.replace("\\ ", r"\s+"), " ", text)
        body.append(text)
    text = "\n".join(body)
    text = re.sub(r"\u2010\s*\n\s*", "", text)  # a word hyphenated at a line end (or a page end)
    text = re.sub(r"(?<=[A-Za-z])\d+\b", "", text)  # footnote calls glued to their word
    got = [w.casefold() for w in words(text)]
    want = [w.casefold() for w in seed_body_words()]
    position = 0
    for n, word in enumerate(want):
        try:
            position = got.index(word, position) + 1
        except ValueError:
            raise AssertionError(f"word {n} {word!r} not found after {got[max(position - 8, 0):position]}")


@pytest.mark.weasyprint_warnings
def test_progress_and_glyph_warning_are_reported(tmp_path):
    """A character no font of the book draws (here a Chinese one: the shipped fonts have no CJK) is a
    G001 warning with its chapter file and line (it replaces B002, the font not installed: the
    fonts now ship with Pressroom)."""
    from bookmaker import make_book
    from pressroom.build import build_book

    root = make_book(tmp_path, {"a.md": "# A\n\nText with a note[^n] and [@nove-economic-history, p. 3].\n\n"
                                        "The word 漢字 is Chinese.\n\n[^n]: N.\n"})
    messages, lines = [], []
    build_book(root, ["pdf"], echo=lines.append, report=messages.append)
    from pressroom.errors import Finding

    warnings = [m for m in messages if isinstance(m, Finding) and m.code == "G001"]
    assert [(w.severity, w.location.line) for w in warnings] == [("warning", 5)] * 2
    assert warnings[0].location.file.endswith("a.md")
    # WeasyPrint draws .notdef (no system font is picked: the fonts are declared by file) and says so
    others = [m.message for m in messages if isinstance(m, Finding) and m.code != "G001"]
    assert others == [f'.notdef glyph rendered for Unicode string unsupported by fonts: "{c}" (U+{ord(c):04X})'
                      for c in "漢字"]
    assert "'漢' (U+6F22) in roman" in warnings[0].message and "'字'" in warnings[1].message
    messages = [m for m in messages if isinstance(m, str)]  # progress
    assert "creating layout, page 1" in messages
    assert any(m.startswith("writing ") and m.endswith(" pages") for m in messages)
    assert len(lines) == 1 and lines[0].startswith("dist/a-small-book.pdf: ")
