"""[notes] numbering (issue 14, item 5): notes numbered afresh in each chapter (the default) or through
the book, in the model, the EPUB and the PDF; a bad value is a C001 finding naming its line."""

import re
import subprocess
import zipfile

import pytest

from bookmaker import CONFIG, config_findings, make_book
from epubtools import build
from pressroom.pipeline import prepare_book

CHAPTERS = {
    "one.md": "# One\n\nFirst.[^a] Second.[^b]\n\n[^a]: Note alpha.\n[^b]: Note beta.\n",
    "two.md": "# Two\n\nThird.[^c] Fourth.[^d] Fifth.[^e]\n\n[^c]: Note gamma.\n[^d]: Note delta.\n"
              "\n[^e]: Note epsilon, first paragraph.\n\n    Its second paragraph.\n",
}


def _book(tmp_path, numbering: str | None):
    config = CONFIG.format(body='["one.md", "two.md"]')
    if numbering is not None:
        config += f'\n[notes]\nnumbering = "{numbering}"\n'
    return make_book(tmp_path / "book", CHAPTERS, config)


def test_a_bad_numbering_is_a_c001_naming_its_line(tmp_path):
    root = _book(tmp_path, "part")
    text, line = config_findings(root, "numbering")
    assert f"book.toml:{line}" in text and "C001" in text
    assert "'numbering' must be one of: chapter, book" in text


def test_numbers_run_through_the_book_as_the_chapters_count_them(tmp_path):
    per_chapter = prepare_book(_book(tmp_path / "a", None))
    through = prepare_book(_book(tmp_path / "b", "book"))
    offset = 0
    for before, after in zip(per_chapter.chapters, through.chapters):
        assert [n.number for n in before.notes] == list(range(1, len(before.notes) + 1))
        assert [n.number for n in after.notes] == [n.number + offset for n in before.notes]
        assert [n.id for n in after.notes] == [n.id for n in before.notes]  # ids (and links) unchanged
        offset += len(before.notes)
    assert offset == 5


def _pdf_lines(root):
    pdf = next((root / "dist").glob("*.pdf"))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize("numbering", ["chapter", "book"])
def test_epub_and_pdf_print_the_models_numbers(tmp_path, numbering):
    root = _book(tmp_path, numbering)
    book = prepare_book(root)
    result = build(root, "--format", "epub", "--format", "pdf")
    assert result.returncode == 0, result.stderr
    notes = [(n.number, n.blocks[0]) for c in book.chapters for n in c.notes]
    lines = _pdf_lines(root)
    with zipfile.ZipFile(next((root / "dist").glob("*.epub"))) as epub:
        xhtml = "".join(epub.read(name).decode() for name in sorted(epub.namelist()) if name.endswith(".xhtml"))
    for number, first in notes:
        words = "".join(getattr(i, "text", " ") for i in first.inlines).split()[:2]
        # PDF: the note's marker is the model's number
        assert any(line.startswith(f"{number}. {' '.join(words)}") for line in lines), (number, words, lines)
        # EPUB: the call and the backlink carry the model's number
        assert re.search(rf'role="doc-noteref"[^>]*>{number}</a>', xhtml)
        assert re.search(rf'role="doc-backlink"[^>]*>{number}\.</a>', xhtml)
