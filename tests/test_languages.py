"""Hyphenation exceptions and right-to-left paragraphs (pressroom.hyphenation, pressroom.direction)."""

from __future__ import annotations

import zipfile

import pytest

from bookmaker import make_book
from pressroom import model as m
from pressroom.direction import inlines_direction, text_direction
from pressroom.hyphenation import SHY, exception_problem, soft_hyphens

HYPHENATION = [
    ("Stalin and Stalin’s men", ("Sta-lin",), f"Sta{SHY}lin and Sta{SHY}lin’s men"),
    ("Stalinist Stalingrad", ("Sta-lin",), "Stalinist Stalingrad"),  # the whole word only
    ("stalin", ("Sta-lin",), "stalin"),  # in the case given
    ("Bukharin, Stalin", ("Sta-lin", "Bukh-arin"), f"Bukh{SHY}arin, Sta{SHY}lin"),
    ("Морозов говорил", ("Мо-ро-зов",), f"Мо{SHY}ро{SHY}зов говорил"),
]


@pytest.mark.parametrize(("text", "exceptions", "expected"), HYPHENATION)
def test_soft_hyphens_at_the_exceptions_break_points(text, exceptions, expected):
    assert soft_hyphens(text, exceptions) == expected


@pytest.mark.parametrize(("entry", "ok"), [("Sta-lin", True), ("Мо-ро-зов", True), ("Stalin", False),
                                           ("Sta lin", False), ("-Stalin", False)])
def test_an_exception_is_a_word_with_hyphens(entry, ok):
    assert (exception_problem(entry) == "") is ok


def test_exceptions_from_book_toml_reach_the_epub_and_a_bad_one_is_c001(tmp_path):
    from pressroom.build import build_book
    from pressroom.lint import lint_book

    root = make_book(tmp_path, {"a.md": "# A\n\nStalin spoke [@nove-economic-history] [@trotsky-revolution-betrayed].\n"})
    config = root / "manuscript" / "book.toml"
    text = config.read_text(encoding="utf-8")
    config.write_text(text + '\n[typography]\nhyphenation = ["Sta-lin"]\n', encoding="utf-8")
    build_book(root, ["epub"], echo=lambda line: None, report=lambda f: None)
    epub = zipfile.ZipFile(next((root / "dist").glob("*.epub")))
    chapter = next(n for n in epub.namelist() if n.endswith("a.xhtml"))
    assert f"Sta{SHY}lin spoke" in epub.read(chapter).decode()
    config.write_text(text + '\n[typography]\nhyphenation = ["Stalin"]\n', encoding="utf-8")
    found = [f for f in lint_book(root) if f.code == "C001"]
    assert found and "'hyphenation': 'Stalin' is not a word with its break points" in found[0].message


@pytest.mark.parametrize(("text", "direction"), [
    ("שָׁלוֹם עֲלֵיכֶם", "rtl"), ("«سلام», he said", "rtl"), ("He said «שָׁלוֹם»", "ltr"),
    ("1923: שָׁלוֹם", "rtl"), ("", "ltr"), ("Ἡράκλειτος", "ltr"),
])
def test_text_direction_by_the_first_strong_character(text, direction):
    assert text_direction(text) == direction


def test_a_paragraph_direction_looks_into_emphasis():
    assert inlines_direction((m.Text("« "), m.Emph((m.Text("שָׁלוֹם"),)), m.Text(" said"))) == "rtl"


def test_a_hebrew_paragraph_is_marked_rtl_in_the_epub(corpus):
    epub = zipfile.ZipFile(corpus("russian").output(".epub"))
    page = epub.read("EPUB/text/yazyki.xhtml").decode()
    assert '<p dir="rtl">שָׁלוֹם' in page
    assert page.count('dir="rtl"') == 1


@pytest.mark.parametrize(("language", "terms", "expected"), [
    ("pl", ["łódź", "lampa", "żaba", "zebra", "źródło", "ćma", "cebula"],
     ["cebula", "ćma", "lampa", "łódź", "zebra", "źródło", "żaba"]),
    ("sv", ["ål", "zebra", "äpple", "apa"], ["apa", "zebra", "ål", "äpple"]),
    ("es", ["ñandú", "nube", "luz"], ["luz", "nube", "ñandú"]),
    ("en-GB", ["The Zebra", "apple", "Ångström", "“Bee”"], ["Ångström", "apple", "“Bee”", "The Zebra"]),
    ("ru", ["яблоко", "Есенин", "арбуз", "ёлка"], ["арбуз", "ёлка", "Есенин", "яблоко"]),
])
def test_the_index_sorts_by_the_language_collation(language, terms, expected):
    from pressroom.indexing import collation_key

    assert sorted(terms, key=collation_key(language)) == expected
