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
                 "styles/house.csl", "styles/book.css", "templates/README.md"):
        assert (path / name).is_file(), name
    # Pressroom's templates stay in the package: the book gets an empty templates/ with a README
    # that explains both ways to override and what each template gets.
    assert [p.name for p in (path / "templates").iterdir()] == ["README.md"]
    readme = (path / "templates" / "README.md").read_text()
    assert '{% extends "!epub/chapter.xhtml.j2" %}' in readme and "pressroom template copy" in readme
    from pressroom.templates import package_template_names

    assert all(f"`{name}`" in readme or name.startswith("epub/") for name in package_template_names())
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
    """An override (a copy, or one block by extending the original) is used at once, with or without
    --no-cache; no compiled template is kept anywhere in the book folder (it would be code)."""
    import zipfile

    path = tmp_path / "book"
    assert run("new", str(path), "--title", "Templates", "--author", "Jane Writer").returncode == 0
    assert run("build", "--book", str(path), "--format", "epub").returncode == 0
    result = run("template", "copy", "--book", str(path), "epub/chapter.xhtml.j2")
    assert result.returncode == 0, result.stderr
    template = path / "templates" / "epub" / "chapter.xhtml.j2"
    assert template.read_text().startswith("{# pressroom: from epub/chapter.xhtml.j2 sha256:")

    def chapter() -> str:
        with zipfile.ZipFile(path / "dist" / "templates.epub") as epub:
            return epub.read("EPUB/text/c-01-first-chapter.xhtml").decode()

    for n, flag in enumerate(((), ("--no-cache",))):
        template.write_text(template.read_text().replace("{% endblock %}", f"<p>edited {n}</p>{{% endblock %}}", 1))
        result = run("build", "--book", str(path), "--format", "epub", *flag)
        assert result.returncode == 0, result.stderr
        assert f"<p>edited {n}</p>" in chapter()
        assert chapter().startswith("<?xml")  # the copy's first line (a comment) leaves nothing behind
    template.write_text('{% extends "!epub/chapter.xhtml.j2" %}\n'
                        '{% block content %}<p>one block</p>{{ super() }}{% endblock %}\n')
    assert run("build", "--book", str(path), "--format", "epub").returncode == 0
    assert "<p>one block</p>" in chapter() and "The First Chapter" in chapter()
    assert not (path / ".cache" / "pressroom" / "templates").exists()
