"""The command line: help, user errors without tracebacks, and a failed build that keeps dist/ intact."""

import subprocess
import sys

from epubtools import build, copy_book


def run(*args):
    return subprocess.run([sys.executable, "-m", "pressroom", *args], capture_output=True, text=True)


def test_help_teaches():
    result = run("--help")
    assert result.returncode == 0
    assert "pressroom build --format epub" in result.stdout and "manuscript/book.toml" in result.stdout
    assert "--book" in run("build", "--help").stdout


def test_user_error_is_one_message_and_status_1(tmp_path):
    result = run("build", "--book", str(tmp_path))
    assert result.returncode == 1
    assert result.stderr.startswith("error C001: no book config here: expected manuscript/book.toml")
    assert "Traceback" not in result.stderr
    debug = run("--debug", "build", "--book", str(tmp_path))
    assert "Traceback" in debug.stderr


def test_usage_error_is_status_2():
    assert run("build", "--format", "docx").returncode == 2


def test_failed_build_leaves_previous_outputs(tmp_path):
    book = copy_book(tmp_path)
    assert build(book, "--format", "epub").returncode == 0
    epub = book / "dist" / "russia-part-three.epub"
    before = epub.read_bytes()
    chapter = book / "manuscript" / "from-five-year-plan-to-the-purges.md"
    chapter.write_text(chapter.read_text() + "\nA claim [@no-such-work, p. 1].\n")
    result = build(book, "--format", "epub")
    assert result.returncode == 1
    assert "unknown citation key @no-such-work" in result.stderr
    assert "manuscript/from-five-year-plan-to-the-purges.md:" in result.stderr
    assert epub.read_bytes() == before
    assert sorted(p.name for p in (book / "dist").iterdir()) == ["russia-part-three.epub"]
