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


def test_an_edited_book_template_is_used_by_the_next_build(tmp_path):
    """An edit to a book's template is seen at once, with or without --no-cache; no compiled template
    (code) is kept in the book folder."""
    import zipfile

    path = tmp_path / "book"
    assert run("new", str(path), "--title", "Templates", "--author", "Jane Writer").returncode == 0
    assert run("build", "--book", str(path), "--format", "epub").returncode == 0
    assert not (path / ".cache" / "pressroom" / "templates").exists()
    template = path / "templates" / "epub" / "chapter.xhtml.j2"
    for n, flag in enumerate(((), ("--no-cache",))):
        template.write_text(template.read_text().replace("{% endblock %}", f"<p>edited {n}</p>{{% endblock %}}", 1))
        result = run("build", "--book", str(path), "--format", "epub", *flag)
        assert result.returncode == 0, result.stderr
        with zipfile.ZipFile(path / "dist" / "templates.epub") as epub:
            chapter = epub.read("EPUB/text/c-01-first-chapter.xhtml").decode()
        assert f"<p>edited {n}</p>" in chapter


def test_a_book_template_cannot_run_code(tmp_path):
    """The classic Jinja escape through a global's __globals__ is refused by the sandbox: the build
    fails and the command it tried to run never ran."""
    path = tmp_path / "book"
    assert run("new", str(path), "--title", "Hostile", "--author", "Jane Writer").returncode == 0
    sentinel = tmp_path / "ran"
    template = path / "templates" / "epub" / "chapter.xhtml.j2"
    attack = "{{ cycler.__init__.__globals__.os.popen('touch %s').read() }}" % sentinel
    template.write_text(template.read_text().replace("{% endblock %}", attack + "{% endblock %}", 1))
    result = run("build", "--book", str(path), "--format", "epub", "--no-cache")
    assert result.returncode == 1
    assert "T001" in result.stderr and "chapter.xhtml.j2:" in result.stderr and "Traceback" not in result.stderr
    assert not sentinel.exists()
    assert not (path / "dist" / "hostile.epub").exists()
