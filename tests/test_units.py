"""The print edition laid out by unit (issue 18, items 1–4; pressroom.units, pressroom.unit_pool,
layout.lay_out_by_unit): the same book as the one-document layout, the same whatever the number of
workers, and incremental: a rebuild lays out again only what changed, and an edit that moves pages
moves every page reference with them.

Every expected value comes from the one-document layout (``layout.lay_out``) of the same book, never
from constants of one book.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from corpus_books import SHIPPED, copy_book, corpus_names
from pressroom import layout as layouts
from pressroom import units
from pressroom.memo import NO_MEMO, Memo
from pressroom.pipeline import prepare_book

# What a Layout says of the book's pages (everything but how it was made).
PAGE_FACTS = ("pages", "anchors", "contents", "cited", "index", "breaks", "tail_start", "see", "scoped_cited")


def facts(layout) -> dict:
    return {name: getattr(layout, name) for name in PAGE_FACTS}


def copied(name: str, tmp_path: Path) -> Path:
    target = tmp_path / "book"
    target.mkdir()
    return copy_book(name, target)


def by_unit(book, memo=None, jobs: int = 1, write=None):
    memo = memo or Memo(None)
    return layouts.lay_out_by_unit(book, "proof", memo.run, memo.has, jobs, write)


@pytest.fixture
def laid_units(monkeypatch):
    """The HTML of every unit laid out (in this process) while the test runs, in order."""
    seen: list[str] = []
    original = units.lay_out

    def counting(html, root, folio_of, write):
        seen.append(html)
        return original(html, root, folio_of, write)

    monkeypatch.setattr(units, "lay_out", counting)
    return seen


@pytest.mark.parametrize("name", [*corpus_names(), SHIPPED])
def test_units_give_the_pages_of_the_one_document_layout(tmp_path, name):
    """Every page's number and kind, every anchor's page, the contents, "Cited on", index and
    cross-reference numbers, and the EPUB's page breaks: the same as the one-document layout's."""
    book = prepare_book(copied(name, tmp_path), NO_MEMO)
    whole = layouts.lay_out(book, "proof")
    parts = by_unit(book)
    assert facts(parts) == facts(whole)
    assert len(parts.units) == len(units.units(book))
    assert sum(len(unit.pages) for unit in parts.units) == len(whole.pages)


def test_two_workers_give_what_one_process_gives(tmp_path):
    """The units laid out by two worker processes (each asking its first folio when its text is laid
    out) give the very results of one process, PDFs included."""
    book = prepare_book(copied("parts-and-matter", tmp_path), NO_MEMO)
    write = units.PdfSpec("proof", book.metadata, "2020-01-01T00:00:00+00:00")
    alone = by_unit(book, write=write)
    pooled = by_unit(book, jobs=2, write=write)
    assert pooled.units == alone.units
    assert facts(pooled) == facts(alone)


def test_the_front_matter_is_laid_out_beside_the_back_matter(tmp_path):
    """A book without front-matter chapters has its back matter numbered from the body alone; the front
    matter, whose contents number the back matter's first pages, is made from the back matter's page
    counts as the workers give them and laid out by them beside it (unit_pool.Later), not after it.
    The results are one process's, where the front matter is laid out after the back matter."""
    book = prepare_book(copied("french", tmp_path), NO_MEMO)
    assert not any(chapter.matter == "front" for chapter in book.chapters)
    tail = [unit for unit in units.units(book) if unit.kind in ("bibliography", "index")]
    assert tail
    write = units.PdfSpec("proof", book.metadata, "2020-01-01T00:00:00+00:00")
    alone = by_unit(book, write=write)
    said: list = []
    memo = Memo(None)
    pooled = layouts.lay_out_by_unit(book, "proof", memo.run, memo.has, 2, write, said.append)
    assert pooled.units == alone.units
    assert facts(pooled) == facts(alone)
    batch = len(tail) + 1  # the back matter's units and the front matter, given out together
    assert [m for m in said if isinstance(m, str) and re.fullmatch(
        rf"laid out the front matter \(\d of {batch}, 2 workers\)", m)], said


def _chapter_file(root: Path, name: str) -> Path:
    return root / "manuscript" / name


def _edit_word(path: Path, old: str, new: str) -> str:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text


def test_a_one_word_edit_lays_out_that_chapter_only_and_undoing_it_gives_the_first_layout(tmp_path, laid_units):
    root = copied("parts-and-matter", tmp_path)
    memo = Memo(None)
    first = by_unit(prepare_book(root, NO_MEMO), memo)
    cold = len(laid_units)
    assert cold >= len(first.units)
    chapter = _chapter_file(root, "oil-and-glass.md")
    text = chapter.read_text(encoding="utf-8")
    word = re.search(r"\b(the)\b", text.split("\n\n", 2)[-1]).group(1)
    original = _edit_word(chapter, f" {word} ", " that ")
    memo.next_round()
    edited_book = prepare_book(root, NO_MEMO)
    edited = by_unit(edited_book, memo)
    relaid = laid_units[cold:]
    assert len(relaid) == 1 and 'id="oil-and-glass"' in relaid[0]
    assert facts(edited) == facts(layouts.lay_out(edited_book, "proof"))
    chapter.write_text(original, encoding="utf-8")
    memo.next_round()
    again = by_unit(prepare_book(root, NO_MEMO), memo)
    assert len(laid_units) == cold + 2  # that chapter alone, again (the memo keeps what the last build used)
    assert again.units == first.units and facts(again) == facts(first)


def test_a_chapter_that_grows_by_pages_moves_every_page_reference(tmp_path, laid_units):
    """An edit that makes a chapter of Part One longer moves every later page: the units after it are
    laid out again at their new folios, and the contents, "Cited on" lists and index give the new
    pages, as the one-document layout of the edited book does."""
    root = copied("parts-and-matter", tmp_path)
    memo = Memo(None)
    first = by_unit(prepare_book(root, NO_MEMO), memo)
    chapter = _chapter_file(root, "building-the-tower.md")
    text = chapter.read_text(encoding="utf-8")
    paragraph = max(text.split("\n\n"), key=len)
    chapter.write_text(text + ("\n\n" + paragraph) * 6, encoding="utf-8")
    memo.next_round()
    cold = len(laid_units)
    book = prepare_book(root, NO_MEMO)
    grown = by_unit(book, memo)
    whole = layouts.lay_out(book, "proof")
    assert len(grown.pages) > len(first.pages)
    assert facts(grown) == facts(whole)
    moved = [target for target, page in grown.contents if dict(first.contents).get(target) != page]
    assert moved, "the contents' numbers after the grown chapter moved"
    assert len(laid_units) > cold + 1  # the grown chapter, and the units whose folios moved


def test_a_layout_by_unit_that_does_not_settle_is_an_error(tmp_path, monkeypatch):
    """Page references that never come to rest stop the build with P005 after MAX_PASSES layouts."""
    from pressroom.errors import BuildError

    book = prepare_book(copied("parts-and-matter", tmp_path), NO_MEMO)
    passes = []
    monkeypatch.setattr(layouts, "see_pages",
                        lambda book, where, numbers, before: passes.append(1) or {"x": str(len(passes))})
    with pytest.raises(BuildError) as caught:
        by_unit(book)
    assert caught.value.code == "P005" and len(passes) == layouts.MAX_PASSES


def _build_pdf(root: Path, *options: str) -> bytes:
    import os
    import subprocess
    import sys

    env = {**os.environ, "SOURCE_DATE_EPOCH": "1000000000"}
    subprocess.run([sys.executable, "-m", "pressroom", "build", "--book", str(root), "--format", "pdf", *options],
                   check=True, capture_output=True, env=env)
    (pdf,) = (root / "dist").glob("*.pdf")
    return pdf.read_bytes()


def test_the_pdf_is_the_same_bytes_with_any_number_of_workers_and_from_the_cache(tmp_path):
    """`build --jobs 1`, `--jobs 2` (workers started while the book is read: four chapters), and a
    build that reads every unit back from the cache give the very same PDF; its text, page by page,
    is the one-document layout's."""
    import subprocess

    root = copied("parts-and-matter", tmp_path)
    alone = _build_pdf(root, "--jobs", "1", "--no-cache")
    assert _build_pdf(root, "--jobs", "2", "--no-cache") == alone
    assert _build_pdf(root, "--jobs", "2") == alone  # the cache filled
    assert _build_pdf(root, "--jobs", "2") == alone  # every unit read back
    (tmp_path / "by-unit.pdf").write_bytes(alone)
    (tmp_path / "whole.pdf").write_bytes(_build_pdf(root, "--one-document", "--no-cache"))

    def text(name: str) -> str:
        return subprocess.run(["pdftotext", "-layout", str(tmp_path / name), "-"], check=True,
                              capture_output=True, text=True).stdout

    assert text("by-unit.pdf") == text("whole.pdf") and text("whole.pdf").count("\f") > 20


def test_a_stylesheet_that_lets_a_chapter_start_on_any_page_is_laid_out_as_one_document(tmp_path):
    """Every unit starts on a recto, so a book whose own stylesheet lets a division start on any page
    (a ``break-before`` but ``right``) is laid out as one document, and says so: its chapters then
    start where the one-document layout puts them (here: on the very next page, two pages sooner)."""
    from pypdf import PdfReader

    from pressroom.build import build_book

    root = copied("endnotes", tmp_path)
    styles = root / "styles"
    styles.mkdir(exist_ok=True)
    (styles / "book.css").write_text("p { hyphens: auto }\n.chapter { break-before: page }\n", encoding="utf-8")
    assert units.starts_anywhere(root) == "styles/book.css:2: break-before: page"
    book = prepare_book(root, NO_MEMO)
    whole = layouts.lay_out(book, "proof")
    assert len(whole.pages) < sum(len(unit.pages) for unit in by_unit(book).units)  # the units would be wrong
    said: list = []
    build_book(root, ["pdf"], echo=said.append, profile="proof", jobs=2)
    assert said[0].startswith("styles/book.css:2: break-before: page: a division may start on any page, so the "
                              "book is laid out as one document")
    (pdf,) = (root / "dist").glob("*.pdf")
    assert len(PdfReader(str(pdf)).pages) == len(whole.pages)
    # CSS names in any case or escaped, and a book template's own <style>, count too; a recto does not.
    for css in (".chapter { BREAK-BEFORE: page }", ".chapter { page-break\\-before: always }"):
        (styles / "book.css").write_text(css, encoding="utf-8")
        assert units.starts_anywhere(root) is not None, css
    (styles / "book.css").write_text(".chapter { break-before: right }\n", encoding="utf-8")
    assert units.starts_anywhere(root) is None
    template = root / "templates" / "pdf" / "book.html.j2"
    template.parent.mkdir(parents=True)
    template.write_text('{% extends "!pdf/book.html.j2" %}\n'
                        '{% block head %}<style>.chapter { Break-Before: page }</style>{% endblock %}', encoding="utf-8")
    assert units.starts_anywhere(root) == "templates/pdf/book.html.j2:2: Break-Before: page"


def test_a_mistake_in_the_front_matter_made_beside_the_back_matter_stops_the_build(tmp_path):
    """The front matter's HTML is made while the workers lay out the back matter (unit_pool.Later): a
    mistake in its template stops the build with the template's file and line, no traceback, and the
    workers stop (one waiting for its first folio is told to stop, not left waiting)."""
    import os
    import subprocess
    import sys

    from pressroom.templates import RESOURCES

    root = copied("french", tmp_path)
    original = (RESOURCES / "templates" / "pdf" / "book.html.j2").read_text(encoding="utf-8")
    marked = "{{ parts.half_title(meta) }}"
    assert marked in original
    broken = original.replace(marked, marked + "{{ no_such_value.here }}", 1)
    template = root / "templates" / "pdf" / "book.html.j2"
    template.parent.mkdir(parents=True)
    template.write_text(broken, encoding="utf-8")
    line = broken[:broken.index("no_such_value")].count("\n") + 1
    done = subprocess.run([sys.executable, "-m", "pressroom", "build", "--book", str(root), "--format", "pdf",
                           "--jobs", "2", "--no-cache"], capture_output=True, text=True,
                          env={**os.environ, "SOURCE_DATE_EPOCH": "1000000000"})
    assert done.returncode != 0
    assert f"templates/pdf/book.html.j2:{line}" in done.stderr, done.stderr
    assert "T001" in done.stderr and "Traceback" not in done.stderr
    assert not (root / "dist").exists() or not list((root / "dist").glob("*.pdf"))
