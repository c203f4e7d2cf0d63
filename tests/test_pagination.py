"""Page numbers defined once (pressroom.pagination), on a book with a preface, two parts, an appendix,
citations and an index: the printed folios, /PageLabels, the contents, the "Cited on" lists, the
index and the EPUB page-list all agree, read off the real PDF and EPUB. Also the layout stage's
passes, its P005 error, and the writers' independence."""

from __future__ import annotations

import ast
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from pressroom import ids
from bookmaker import make_book
from epubtools import NS, Epub
from pagecheck import Printed, check_cited_on, check_contents, check_index, check_labels_and_folios, check_page_list

SRC = Path(__file__).resolve().parent.parent / "src" / "pressroom"

# Index terms: short names (under five letters, so never hyphenated), each its own spelling.
NAMES = ("Ada", "Zog", "Kant", "Hume", "Mill")
WORDS = ("the", "river", "ran", "past", "old", "mills", "and", "quiet", "fields", "where", "people", "once",
         "worked", "long", "hours", "under", "grey", "skies", "while", "letters", "came", "from", "distant",
         "towns", "about", "prices", "weather", "roads", "markets", "harvests")

CONFIG = """\
[book]
title = "Numbers in Order"
author = "Ann Author"
language = "en-GB"
identifier = "urn:uuid:00000000-0000-4000-8000-000000000042"
publisher = "Test Press"

[contents]
front = ["preface.md"]
body = [{ part = "Part One: Rivers", chapters = ["one.md", "two.md"] },
        { part = "Part Two: Roads", chapters = ["three.md", "four.md"] }]
back = ["appendix.md"]

[bibliography]
file = "refs.json"

[index]
file = "index.toml"
"""

REFS = [{"id": f"work-{n}", "type": "book", "author": [{"family": f"Writer{n}", "given": "A."}],
         "title": f"Collected Essays {n}", "issued": {"date-parts": [[1900 + n]]}} for n in range(1, 5)]


def _paragraph(rng: random.Random, n_words: int, extra: str = "") -> str:
    words = [rng.choice(WORDS) for _ in range(n_words)]
    words[0] = words[0].capitalize()
    return " ".join(words) + extra + "."


def _chapter(title: str, seed: int, paragraphs: int, sections: int = 1) -> str:
    rng = random.Random(seed)
    out = [f"# {title}", ""]
    for s in range(sections):
        if s:
            out += [f"## Section {seed}.{s}", ""]
        for p in range(paragraphs):
            extra = ""
            if rng.random() < 0.3:
                extra += f" said {rng.choice(NAMES)}"
            if rng.random() < 0.25:
                extra += f" [@work-{rng.randint(1, 4)}, p. {rng.randint(1, 300)}]"
            out += [_paragraph(rng, rng.randint(40, 90), extra), ""]
    out += [f"A note here.[^n{seed}]", "", f"[^n{seed}]: A note about {rng.choice(NAMES)} and the mills.", ""]
    return "\n".join(out)


CHAPTERS = {
    "preface.md": _chapter("Preface", 1, 14),
    "one.md": _chapter("The River", 2, 18, 2),
    "two.md": _chapter("The Mills", 3, 10),
    "three.md": _chapter("The Road", 4, 22, 2),
    "four.md": _chapter("The Market", 5, 8),
    "appendix.md": _chapter("Appendix: Prices", 6, 9),
}
INDEX = "\n".join(f'[[entry]]\nterm = "{name}"\n' for name in NAMES)


def make_numbered_book(root: Path) -> Path:
    make_book(root, CHAPTERS, config=CONFIG, refs=REFS)
    (root / "manuscript" / "index.toml").write_text(INDEX, encoding="utf-8")
    return root


def run(*args, cwd=None):
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env, cwd=cwd, check=False)


@pytest.fixture(scope="module")
def numbered(tmp_path_factory):
    root = make_numbered_book(tmp_path_factory.mktemp("numbered"))
    result = run("-m", "pressroom", "build", "--book", str(root))
    assert result.returncode == 0, result.stderr
    assert "warning" not in result.stderr.lower()
    return root


@pytest.fixture(scope="module")
def finished(numbered):
    from pressroom.build import prepare_book

    return prepare_book(numbered)


@pytest.fixture(scope="module")
def pdf(numbered):
    return Printed(numbered / "dist" / "numbers-in-order.pdf")


def test_the_book_has_what_the_tests_need(finished, pdf):
    assert [c.matter for c in finished.chapters] == ["front", "body", "body", "body", "body", "back"]
    assert len(finished.parts) == 2 and finished.bibliography and finished.index
    # The preface and the chapters run over several pages, so numbers can go wrong.
    preface, first = finished.chapters[0], finished.chapters[1]
    assert pdf.page_of(finished.parts[0].id) - pdf.page_of(preface.id) >= 3
    assert pdf.page_of(finished.chapters[2].id) - pdf.page_of(first.id) >= 3


def test_folios_and_page_labels_follow_the_definition(pdf, finished):
    check_labels_and_folios(pdf, finished)
    # The preface is numbered in roman, the first part's title page is 1, the appendix continues.
    assert pdf.labels[pdf.page_of(finished.chapters[0].id)] in ("vii", "ix")
    assert pdf.labels[pdf.page_of(finished.parts[0].id)] == "1"
    appendix = pdf.page_of(finished.chapters[-1].id)
    assert pdf.feet[appendix] == pdf.labels[appendix] == str(appendix - pdf.page_of(finished.parts[0].id) + 1)


def test_running_heads_are_off_on_openers_and_display_pages(pdf, finished):
    import pypdfium2

    from pagecheck import MM

    document = pypdfium2.PdfDocument(pdf.reader.stream)
    openers = {pdf.page_of(c.id) for c in finished.chapters} | {pdf.page_of(p.id) for p in finished.parts} | {
        0, pdf.page_of(ids.TITLE_PAGE), pdf.page_of(ids.COPYRIGHT_PAGE), pdf.page_of(ids.CONTENTS),
        pdf.page_of(ids.BIBLIOGRAPHY), pdf.page_of(ids.INDEX)}
    heads = 0
    for index, page in enumerate(pdf.reader.pages):
        left, bottom, right, top = (float(v) for v in page.trimbox)
        head = document[index].get_textpage().get_text_bounded(left, top - 14 * MM, right, top).strip()
        if index in openers or not pdf.texts[index].strip():
            assert head == "", (index, head)
        elif index > pdf.page_of(finished.parts[0].id) and (index - pdf.page_of(finished.parts[0].id)) % 2 == 1:
            assert head == "Numbers in Order", (index, head)  # a verso of the text
            heads += 1
    assert heads > 5


def test_contents_numbers_are_where_the_headings_stand(pdf, finished):
    check_contents(pdf, finished)


def test_cited_on_lists_are_the_pages_of_the_citations(pdf, finished):
    check_cited_on(pdf, finished)


def test_index_locators_are_the_pages_of_the_terms(pdf, finished):
    check_index(pdf, finished, {name: (name,) for name in NAMES})


def test_epub_page_list_is_the_pdf_folios(numbered, pdf, finished):
    epub = Epub(numbered / "dist" / "numbers-in-order.epub")
    nav = epub.xml("EPUB/text/nav.xhtml")
    page_list = nav.xpath("//x:nav[@epub:type='page-list']//x:a", namespaces=NS)
    check_page_list(pdf, finished, [a.text for a in page_list])
    ids = {}
    for name in epub.documents():
        ids[name.rsplit("/", 1)[1]] = {e.get("id") for e in epub.xml(name).xpath("//*[@id]")}
    for a in page_list:  # each entry goes to its marker, in the right file (a part's title page too)
        file, fragment = a.get("href").split("#")
        assert fragment == f"page-{a.text}" and fragment in ids[file], a.get("href")
    part_file = next(n for n in ids if finished.parts[0].id in ids[n] and n.startswith(finished.parts[0].id))
    assert f"page-{pdf.labels[pdf.page_of(finished.parts[0].id)]}" in ids[part_file]


def test_epubcheck_passes(numbered):
    from epubtools import epubcheck

    report = epubcheck(numbered / "dist" / "numbers-in-order.epub")
    problems = [m for m in report["messages"] if m["severity"] in ("FATAL", "ERROR", "WARNING")]
    assert (report["checker"]["nFatal"], report["checker"]["nError"], report["checker"]["nWarning"]) == (0, 0, 0)
    assert problems == []


def test_the_layout_stage_is_data_and_the_pdf_can_be_made_from_it_alone(numbered, finished):
    """The stage's value is plain data; the PDF made from the data alone (no document attached) is
    the PDF made from the document the stage laid out."""
    import dataclasses

    from pressroom import layout as stage
    from pressroom.writers import WriteOptions
    from pressroom.writers.pdf import write_pdf

    layout = stage.lay_out(finished, "screen")

    def plain(value):
        if dataclasses.is_dataclass(value):
            return all(plain(getattr(value, f.name)) for f in dataclasses.fields(value))
        if isinstance(value, tuple):
            return all(plain(v) for v in value)
        return isinstance(value, (str, int, bool))

    assert plain(layout)
    assert layout.passes >= 1 and len(layout.pages) == len(Printed(numbered / "dist" / "numbers-in-order.pdf").labels)
    import datetime as dt

    options = WriteOptions(profile="screen", modified=dt.datetime(2023, 11, 14, tzinfo=dt.timezone.utc))
    attached = write_pdf(finished, layout, options).files
    stage._documents.clear()
    alone = write_pdf(finished, layout, options).files
    assert attached == alone


def test_a_layout_that_does_not_settle_is_an_error(tmp_path, monkeypatch):
    from pressroom import layout as stage
    from pressroom.build import prepare_book
    from pressroom.errors import BuildError

    root = make_book(tmp_path, {"a.md": "# A\n\nText [@nove-economic-history, p. 3].\n"})
    book = prepare_book(root)
    passes = []
    monkeypatch.setattr(stage, "_same_front", lambda *args: False)  # the contents always changes length…
    monkeypatch.setattr(stage, "_contents_numbers",  # …and its numbers never come to rest
                        lambda book, where, numbers: passes.append(1) or {
                            target: str(len(passes)) for target in stage.contents_targets(book)})
    with pytest.raises(BuildError) as caught:
        stage.lay_out(book)
    assert caught.value.code == "P005" and len(passes) == stage.MAX_PASSES


def test_a_contents_that_changes_length_is_laid_out_again(tmp_path, monkeypatch):
    from pressroom import layout as stage
    from pressroom.build import prepare_book

    root = make_book(tmp_path, {"a.md": "# A\n\nText [@nove-economic-history, p. 3].\n", "b.md": "# B\n\nMore.\n"})
    book = prepare_book(root)
    monkeypatch.setattr(stage, "_same_front", lambda *args: False)
    layout = stage.lay_out(book)
    assert layout.passes == 2
    assert dict(layout.contents)[book.chapters[1].id] == layout.labels[layout.page_of(book.chapters[1].id)]


def test_an_epub_without_print_page_numbers_never_imports_weasyprint(tmp_path):
    config = "[book]\ntitle = \"T\"\nauthor = \"A\"\nlanguage = \"en\"\nidentifier = \"urn:x:1\"\n\n" \
             "[contents]\nbody = [\"a.md\"]\n\n[bibliography]\nfile = \"refs.json\"\n\n[epub]\nprint_page_numbers = false\n"
    root = make_book(tmp_path, {"a.md": "# A\n\nText [@nove-economic-history, p. 3].\n"}, config=config)
    result = run("-X", "importtime", "-m", "pressroom", "build", "--book", str(root), "--format", "epub")
    assert result.returncode == 0, result.stderr
    imported = [line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if "|" in line]
    assert "pressroom.adapters.ebooklib" in imported and "ebooklib" in imported  # the measure works
    assert not [name for name in imported if "weasyprint" in name or "pydyf" in name]


def test_no_writer_imports_another():
    writers = sorted(p.stem for p in (SRC / "writers").glob("*.py") if p.stem != "__init__")
    assert {"epub", "pdf"} <= set(writers)
    for name in writers:
        tree = ast.parse((SRC / "writers" / f"{name}.py").read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                module = node.module or ""
                if node.level == 1:  # from . import x / from .x import y
                    targets = [module] if module else [alias.name for alias in node.names]
                elif module.startswith("pressroom.writers"):
                    targets = [module.removeprefix("pressroom.writers").lstrip(".")]
                else:
                    continue
                assert not set(targets) & set(writers), (name, targets)
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    assert not alias.name.startswith("pressroom.writers."), (name, alias.name)
