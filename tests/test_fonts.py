"""The fonts a book is set in (pressroom.fonts): what the shipped faces cover, that the PDF embeds
only them, and what is DRAWN on the page, read back by OCR (tesseract): text extraction reads the
characters even when the glyphs drawn are wrong, so it cannot tell."""

from __future__ import annotations

import difflib
import re
import shutil
import subprocess

import pytest
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from pressroom import fonts

SCRIPTS = {
    "polish": "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ",
    "vietnamese": "ắằẳẵặấầẩẫậđếềểễệốồổỗộớờởỡợứừửữựỳỷỹỵ",
    "greek": "αβγδεζηθικλμνξοπρςστυφχψωΑΒΓΔΛΣΩάέήίόύώ",
    "polytonic": "ἀἁἂἐἑἠἡἰἱὀὁὐὑὠὡᾶῆῖῦῶᾳῃῳ",
    "cyrillic": "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВЖЩЯЁіїєґІЇЄҐ",
    "french and german": "àâçéèêëîïôœùûüÿŒÀÉäöüßÄÖÜẞ«»„“‚‘",
}
STYLES = ("roman", "italic", "bold", "bold italic")


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_the_book_family_draws_latin_greek_and_cyrillic_in_every_style(script, style):
    book_faces = [f for f in fonts.faces_for(style) if f.family == fonts.BOOK_FAMILY]
    assert len(book_faces) == 1
    missing = [c for c in SCRIPTS[script] if ord(c) not in fonts._codepoints(book_faces[0].file)]
    assert missing == []


@pytest.mark.parametrize("style", ["roman", "bold"])
def test_hebrew_and_arabic_come_from_the_declared_fallbacks(style):
    assert all(fonts.drawable(c, style) for c in "שָׁלוֹם" + "سلام")
    assert [f.family for f in fonts.faces_for(style)] == list(fonts.FAMILIES)


def test_cjk_is_drawn_by_no_shipped_font():
    assert not fonts.drawable("漢")
    assert fonts.drawable(" ") and fonts.drawable("\u00a0") and fonts.drawable("\u202f")


@pytest.mark.parametrize("face", [f for f in fonts.FACES if f.family == fonts.BOOK_FAMILY], ids=lambda f: f.file)
def test_the_book_faces_have_small_capitals_and_old_style_figures(face):
    font = TTFont(str(fonts.FONTS / face.file))
    features = {record.FeatureTag for record in font["GSUB"].table.FeatureList.FeatureRecord}
    assert {"smcp", "c2sc", "onum", "liga"} <= features
    assert "fvar" not in font  # a static instance: WeasyPrint 70 draws a variable font at its default only
    assert font["OS/2"].usWeightClass == face.weight


def test_the_font_faces_are_declared_by_file_not_by_system_name():
    css = fonts.font_face_css()
    assert css.count("@font-face") == len(fonts.FACES)
    for face in fonts.FACES:
        assert (fonts.FONTS / face.file).is_file()
        assert (fonts.FONTS / face.file).as_uri() in css
    assert "EB Garamond" not in css and "serif" not in css.replace("Serif", "")


def _embedded_fonts(pdf) -> set[str]:
    names = set()
    for page in PdfReader(pdf).pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            names.add(str(font.get_object()["/BaseFont"]).split("+", 1)[-1])
    return names


def test_the_pdf_embeds_only_the_declared_faces(corpus):
    built = corpus("russian")
    assert _embedded_fonts(built.output(".pdf")) == {
        "Pressroom-Garamond", "Pressroom-Garamond-Italic", "Pressroom-Garamond-Bold",
        "Pressroom-Garamond-Bold-Italic", "Pressroom-Hebrew"}


# What the Russian corpus book prints, by style, and the tesseract languages to read it with.
DRAWN = [
    ("rus", "roman", "Прежде чем сложить лист, переплётчик ищет его направление"),
    ("rus", "italic", "Направление волокон"),
    ("rus", "italic", "мягких французских булок, да выпей чаю"),
    ("rus", "bold", "Съешь же ещё этих мягких"),
    ("rus", "bold italic", "Жирный курсив"),
    ("ell", "roman", "πάντα χωρεῖ καὶ οὐδὲν μένει"),
    ("ell", "italic", "Λόγος, ψυχή, ἀρετή"),  # read "Ίόγο, ψυγή, ἄρετή": tesseract's Greek is upright
    ("ell", "bold", "Φιλοσοφία"),
    ("pol", "italic", "Zażółć gęślą jaźń"),
    ("pol", "bold", "Łódź, Gdańsk, Kraków"),
    ("deu", "italic", "Größe, Übung, Äpfel"),
    ("deu", "bold", "Straße und Fußgänger"),
]


@pytest.fixture(scope="module")
def ocr(corpus, tmp_path_factory):
    """Language → the text tesseract reads on the Russian book's pages, rendered at 300 dpi."""
    assert shutil.which("tesseract") and shutil.which("pdftoppm"), "scripts/system-deps.sh --test installs them"
    pdf = corpus("russian").output(".pdf")
    out = tmp_path_factory.mktemp("ocr")
    subprocess.run(["pdftoppm", "-png", "-r", "300", str(pdf), str(out / "page")], check=True)
    pages = sorted(out.glob("page-*.png"), key=lambda p: int(p.stem.split("-")[1]))
    extracted = [page.extract_text() for page in PdfReader(pdf).pages]
    read = {}
    for lang in sorted({lang for lang, _, _ in DRAWN}):
        # only the pages that hold this language's phrases (by their first word): OCR is slow
        firsts = {phrase.split()[0].strip(",") for lg, _, phrase in DRAWN if lg == lang}
        read[lang] = "\n".join(
            subprocess.run(["tesseract", str(page), "-", "-l", lang], capture_output=True, text=True,
                           check=True).stdout
            for page, text in zip(pages, extracted) if any(first in text for first in firsts))
    return read


def _best_match(phrase: str, text: str) -> float:
    """The similarity (0..1) of ``phrase`` to the closest stretch of ``text`` of its length, word-wise."""
    words = re.sub(r"-\n", "", text).split()
    size = len(phrase.split())
    best = 0.0
    for start in range(max(len(words) - size + 1, 1)):
        best = max(best, difflib.SequenceMatcher(None, phrase, " ".join(words[start:start + size])).ratio())
    return best


@pytest.mark.parametrize(("lang", "style", "phrase"), DRAWN, ids=[f"{d[0]}-{d[1]}" for d in DRAWN])
def test_ocr_reads_what_is_drawn(ocr, lang, style, phrase):
    """Wrong glyphs (another font's glyph numbers) or blank gaps read as nonsense: a phrase drawn
    right reads back at least 85 % alike (75 % for italic Greek: tesseract's Greek data reads
    italics poorly), while another phrase of the same page reads under 60 %."""
    assert _best_match(phrase, ocr[lang]) >= (0.75 if (lang, style) == ("ell", "italic") else 0.85), ocr[lang]


def test_ocr_tells_a_phrase_not_drawn(ocr):
    """The control: phrases that are not on the pages match far less, so the threshold means something."""
    assert _best_match("Λόγια, ψυχρή, ἄρτος", ocr["ell"]) < 0.75
    assert _best_match("Съешь его мягкий чай", ocr["rus"]) < 0.85


def test_a_shipped_face_is_unpacked_once_and_a_changed_copy_is_never_used(tmp_path, monkeypatch):
    """The WOFF2 faces are unpacked into the user's cache once (pressroom.fonts.unpacked): the bytes are
    fontTools' unpacking, and a kept copy that was changed is unpacked again, not used."""
    import io

    from fontTools.ttLib import woff2

    from pressroom import fonts

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = fonts.FONTS / fonts.FACES[0].file
    fresh = io.BytesIO()
    woff2.decompress(io.BytesIO(path.read_bytes()), fresh)
    assert fonts.unpacked(path) == fresh.getvalue()
    (kept,) = (tmp_path / "pressroom" / "fonts").glob("*.ttf")
    data = bytearray(kept.read_bytes())
    data[100] ^= 0xFF
    kept.write_bytes(bytes(data))
    assert fonts.unpacked(path) == fresh.getvalue()
    assert kept.read_bytes() != bytes(data)  # written again, whole
