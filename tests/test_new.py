"""`pressroom new`: a book that builds at once into a valid EPUB and a PDF."""

import subprocess
import sys

from epubtools import epubcheck


def run(*args):
    return subprocess.run([sys.executable, "-m", "pressroom", *args], capture_output=True, text=True)


def test_new_book_builds_valid_outputs(tmp_path):
    path = tmp_path / "my-book"
    result = run("new", str(path), "--title", "A New Book", "--author", "Jane Writer")
    assert result.returncode == 0, result.stderr
    for name in ("manuscript/book.toml", "manuscript/01-first-chapter.md", "manuscript/bibliography.json",
                 "styles/house.csl", "styles/book.css", "templates/parts.j2", "templates/epub/chapter.xhtml.j2"):
        assert (path / name).is_file(), name
    chapter = (path / "manuscript" / "01-first-chapter.md").read_text()
    assert chapter.startswith("# ") and "[^first]" in chapter and "[@doe-first-book" in chapter
    result = run("build", "--book", str(path))
    assert result.returncode == 0, result.stderr
    epub = path / "dist" / "a-new-book.epub"
    report = epubcheck(epub)
    assert (report["checker"]["nFatal"], report["checker"]["nError"], report["checker"]["nWarning"]) == (0, 0, 0)
    assert (path / "dist" / "a-new-book.pdf").read_bytes().startswith(b"%PDF")
    assert run("check", "--book", str(path), "--lint-only", "--strict").returncode == 0


def test_new_refuses_a_folder_with_files(tmp_path):
    (tmp_path / "keep.txt").write_text("mine")
    result = run("new", str(tmp_path))
    assert result.returncode == 2
    assert "exists and is not an empty folder" in result.stderr and "Traceback" not in result.stderr
    assert (tmp_path / "keep.txt").read_text() == "mine"
