"""The book's own words (pressroom.words): a catalogue by language, overridable in book.toml, and
no English word left in the templates and writers."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pytest

from bookmaker import make_book
from pressroom.words import CATALOGUE, KEYS, words_for

LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "nl", "pl", "ru")


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_language_has_every_word(language):
    assert set(CATALOGUE[language]) == set(KEYS)
    assert all(CATALOGUE[language][key].strip() for key in KEYS)


@pytest.mark.parametrize(("tag", "key", "expected"), [
    ("fr-FR", "contents", "Table des matières"), ("fr-CA", "cited_on_page", "Cité p."),
    ("de-DE", "cited_on_pages", "Zitiert auf S."), ("ru", "bibliography", "Библиография"),
    ("pl", "see_also", "Zob. też"), ("en-GB", "index", "Index"),
    ("ja", "contents", "Contents"),  # a language the catalogue lacks: English
])
def test_words_by_language_tag(tag, key, expected):
    assert words_for(tag)[key] == expected


def test_the_book_overrides_a_word():
    assert words_for("fr", (("contents", "Sommaire"),))["contents"] == "Sommaire"
    assert words_for("fr", (("contents", "Sommaire"),))["index"] == "Index"


SOURCES = Path(__file__).resolve().parent.parent / "src" / "pressroom"
ENGLISH = re.compile(r">\s*(Contents|Bibliography|Index|Notes|Cited|Landmarks|Pages|Print view)\b"
                     r"|\"(Contents|Bibliography|Index|Cover|Title page|Copyright|Start of the text)\""
                     r"|aria-label=\"(Notes|Cover|Landmarks|Print views|Pages of the print edition)\"")


@pytest.mark.parametrize("path", sorted([*SOURCES.glob("resources/templates/**/*.j2"), SOURCES / "templates.py",
                                         SOURCES / "writers" / "epub.py", SOURCES / "preview.py",
                                         SOURCES / "print_html.py"]), ids=lambda p: p.name)
def test_no_english_word_is_hard_coded(path):
    assert ENGLISH.findall(path.read_text(encoding="utf-8")) == []


def test_a_french_book_in_french_words_and_an_override(tmp_path):
    from pressroom.build import build_book

    root = make_book(tmp_path, {"a.md": "# Un\n\nTexte [@nove-economic-history, p. 3] et [@trotsky-revolution-betrayed].\n"})
    config = root / "manuscript" / "book.toml"
    config.write_text(config.read_text(encoding="utf-8").replace('language = "en-GB"', 'language = "fr-FR"')
                      + '\n[words]\nindex = "Index des noms"\n', encoding="utf-8")
    build_book(root, ["epub"], echo=lambda line: None, report=lambda m: None)
    epub = zipfile.ZipFile(next((root / "dist").glob("*.epub")))
    nav = epub.read("EPUB/text/nav.xhtml").decode()
    bibliography = epub.read("EPUB/text/bibliography.xhtml").decode()
    assert ">Table des matières</h1>" in nav and ">Bibliographie</a>" in nav
    assert ">Bibliographie</h1>" in bibliography and ">Cité " in bibliography


def test_an_unknown_word_is_a_config_error_with_its_line(tmp_path):
    from pressroom.lint import lint_book

    root = make_book(tmp_path, {"a.md": "# A\n\nText [@nove-economic-history] [@trotsky-revolution-betrayed].\n"})
    config = root / "manuscript" / "book.toml"
    text = config.read_text(encoding="utf-8") + '\n[words]\ncontnets = "Sommaire"\n'
    config.write_text(text, encoding="utf-8")
    found = [f for f in lint_book(root) if f.code == "C001"]
    assert found and found[0].line == text.splitlines().index('contnets = "Sommaire"') + 1
    assert "unknown key 'contnets' in [words]" in found[0].message
