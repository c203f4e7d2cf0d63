"""`pressroom check`: the shipped book is clean; each lint problem is reported with its code, file and line."""

import json
import subprocess
import sys

import pytest

from bookmaker import make_book
from epubtools import copy_book
from pressroom.lint import lint_book


def run(*args):
    return subprocess.run([sys.executable, "-m", "pressroom", *args], capture_output=True, text=True)


def test_shipped_book_is_clean_manuscript_and_outputs(tmp_path):
    book = copy_book(tmp_path)
    result = run("check", "--book", str(book), "--format", "json", "--strict")
    report = json.loads(result.stdout)
    assert report == {"findings": [], "errors": 0, "warnings": 0}
    assert result.returncode == 0
    assert not (book / "dist").exists()  # checking builds in a scratch folder, never in dist/
    assert not list((book / ".cache" / "pressroom").glob("check-*"))


GOOD = "# A\n\nText [@nove-economic-history, p. 1] and [@trotsky-revolution-betrayed, p. 2].\n"

# (code, chapter text, finding's line, a word the message must hold)
SEEDED = [
    ("M001", "# A\n\nText\n[@trotsky-revolution-betraed, p. 2] [@nove-economic-history].\n", 4,
     "did you mean @trotsky-revolution-betrayed"),
    ("M003", GOOD + "\nA call[^missing] with no note.\n", 5, "[^missing]"),
    ("M004", GOOD + "\n[^lonely]: Never called.\n", 5, "[^lonely]"),
    ("M005", GOOD + "\n## Same\n\nx\n\n## Same\n\ny\n", 9, "repeats the one at line 5"),
    ("M006", GOOD + "\n## Two\n\n#### Four\n", 7, "level is skipped"),
    ("M007", GOOD + '\nA 5"2\' man.\n', 5, "straight quote"),
    ("M008", GOOD + "\nTwo  spaces.\n", 5, "double space"),
    ("M008", GOOD + "\nA call.[^n]\n\n[^n]: A note with two  spaces.\n", 7, "double space"),  # notes are linted too
    ("M006", GOOD + "\n## Two\n\n- #### Four, in a list\n", 7, "level is skipped"),
    ("M009", GOOD + "\n<script>alert(1)</script>\n", 5, "raw HTML"),
    ("M010", GOOD + "\n![A map](missing.png)\n", 5, "does not exist"),
    ("M010", GOOD + "\n![A map](../../etc/passwd)\n", 5, "outside the book"),
    ("M011", GOOD + "\n![](map.png)\n", 5, "no alternative text"),
    ("M012", "No title here.\n", 1, "level-1 heading"),
    ("G001", GOOD + "\nThe word 漢字, drawn by no font of the book.\n", 5, ") in roman; add a font"),
    ("G001", GOOD + "\nIn italic: *Съешь ещё 漢*.\n", 5, "'漢' (U+6F22) in italic"),
]


@pytest.mark.parametrize("code, text, line, words", SEEDED, ids=[f"{s[0]}-{n}" for n, s in enumerate(SEEDED)])
def test_each_lint_problem_is_reported(tmp_path, code, text, line, words):
    from PIL import Image

    root = make_book(tmp_path, {"a.md": text})
    Image.new("RGB", (4, 4)).save(root / "manuscript" / "map.png")
    findings = lint_book(root)
    matching = [f for f in findings if f.code == code]
    assert matching, findings
    assert matching[0].file == "manuscript/a.md" and matching[0].line == line
    assert words in matching[0].message
    assert {f.code for f in findings} <= {code, "M002"}


def test_uncited_entry_and_config_errors(tmp_path):
    root = make_book(tmp_path, {"a.md": "# A\n\nOnly [@nove-economic-history].\n"})
    findings = lint_book(root)
    assert [(f.code, f.severity, f.file, f.line) for f in findings] == [
        ("M002", "warning", "manuscript/refs.json", 3)]
    assert "'trotsky-revolution-betrayed' is never cited" in findings[0].message
    (root / "manuscript" / "book.toml").write_text('[book]\ntitle = "T"\nauthor = 5\n', encoding="utf-8")
    findings = lint_book(root)
    assert {f.code for f in findings} == {"C001"}
    assert any(f.line == 3 and "'author' must be a string" in f.message for f in findings)


def test_check_lists_a_character_no_font_draws(tmp_path):
    """A CJK character in a book without CJK fonts: `check` names its file, line, character and style."""
    root = make_book(tmp_path, {"a.md": "# A\n\nOnly [@nove-economic-history].\n\nIt says **字** in bold.\n"})
    result = run("check", "--book", str(root), "--lint-only")
    assert result.returncode == 0
    assert "manuscript/a.md:5: warning G001: no font of the book draws '字' (U+5B57) in bold" in result.stdout


def test_exit_status_and_strict(tmp_path):
    root = make_book(tmp_path, {"a.md": "# A\n\nOnly [@nove-economic-history].\n"})
    result = run("check", "--book", str(root), "--lint-only")
    assert result.returncode == 0
    assert "manuscript/refs.json:3: warning M002:" in result.stdout
    assert run("check", "--book", str(root), "--lint-only", "--strict").returncode == 1
    (root / "manuscript" / "a.md").write_text("# A\n\n[@nope]\n", encoding="utf-8")
    result = run("check", "--book", str(root), "--lint-only")
    assert result.returncode == 1 and "manuscript/a.md:3: error M001: unknown citation key @nope" in result.stdout


def test_output_validation_findings(tmp_path, monkeypatch):
    from dataclasses import replace

    from epubtools import build
    from pressroom.build import prepare_book
    from pressroom import validate

    book = copy_book(tmp_path)
    assert build(book, "--format", "pdf", "--profile", "screen").returncode == 0
    model = prepare_book(book)
    pdf = book / "dist" / "russia-part-three-screen.pdf"
    assert validate.validate_pdf(pdf, model) == []
    wrong = replace(model, settings=replace(model.settings, trim_size="6in 9in"))
    assert [f.code for f in validate.validate_pdf(pdf, wrong)] == ["P002"]
    monkeypatch.setattr(validate.shutil, "which", lambda name: None)
    assert [f.code for f in validate.validate_epub(book / "dist" / "x.epub")] == ["X001"]


@pytest.mark.parametrize("trim, points", [("138mm 216mm", (391.2, 612.3)), ("6in 9in", (432.0, 648.0)),
                                          ("A5", (419.5, 595.3)), ("letter", (612.0, 792.0)), ("huge", None)])
def test_trim_sizes(trim, points):
    from pressroom.validate import trim_points

    got = trim_points(trim)
    assert (got is None and points is None) or tuple(round(v, 1) for v in got) == points
