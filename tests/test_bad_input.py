"""A table of bad books: each mistake gives one clear message (file and line), a non-zero exit,
no traceback, the previous outputs in dist/ byte for byte, and an untouched manuscript."""

import hashlib
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bookmaker import CONFIG, make_book

GOOD_CHAPTER = "# A\n\nText with a note[^n] and [@nove-economic-history, p. 3].\n\n[^n]: The note.\n"


def run(*args):
    return subprocess.run([sys.executable, "-m", "pressroom", *args], capture_output=True, text=True)


def _snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _config(body: str = '["a.md"]', extra: str = "") -> str:
    return CONFIG.format(body=body) + extra


def set_file(name: str, content):
    def apply(root: Path) -> None:
        path = root / name
        if content is None:
            path.unlink()
        elif isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return apply


def make_dist_a_file(root: Path) -> None:
    import shutil

    shutil.rmtree(root / "dist")
    (root / "dist").write_text("not a folder")


# (what, change to a good book, exit status, text the message must hold: where, the finding code, what)
BAD = [
    ("config syntax", set_file("manuscript/book.toml", '[book]\ntitle = "T\n'), 1,
     "manuscript/book.toml:2: error C001: TOML syntax error"),
    ("config wrong type", set_file("manuscript/book.toml", _config().replace('title = "A Small Book"', "title = 3")), 1,
     "manuscript/book.toml:2: error C001: 'title' must be a string in quotes, not int"),
    ("config unknown key", set_file("manuscript/book.toml", _config().replace("[book]\n", "[book]\ncolour = \"red\"\n")),
     1, "manuscript/book.toml:2: error C001: unknown key 'colour' in [book]"),
    ("no manuscript folder", lambda root: __import__("shutil").rmtree(root / "manuscript"), 1,
     "error C001: no book config here: expected manuscript/book.toml"),
    ("chapter missing", set_file("manuscript/a.md", None), 1,
     "manuscript/book.toml: error C001: the chapter file manuscript/a.md listed in [contents] does not exist"),
    ("not UTF-8", set_file("manuscript/a.md", b"# A\n\nCaf\xe9 au lait.\n"), 1,
     "manuscript/a.md:3: error M012: not UTF-8 text"),
    ("unknown citation key", set_file("manuscript/a.md", "# A\n\nSee [@nove-economic-histry, p. 3].\n"), 1,
     "manuscript/a.md:3: error M001: unknown citation key @nove-economic-histry; did you mean @nove-economic-history?"),
    ("missing image", set_file("manuscript/a.md", "# A\n\nText.\n\n![A map](maps/europe.png)\n"), 1,
     "manuscript/a.md:5: error M010: the image maps/europe.png does not exist"),
    ("image outside the book", set_file("manuscript/a.md", "# A\n\n![Secrets](../../etc/passwd)\n"), 1,
     "manuscript/a.md:3: error M010: 'manuscript/../../etc/passwd' points outside the book folder"),
    ("absolute image path", set_file("manuscript/a.md", "# A\n\n![Secrets](/etc/passwd)\n"), 1,
     "manuscript/a.md:3: error M010: '/etc/passwd' is an absolute path"),
    ("raw script", set_file("manuscript/a.md", "# A\n\nText.\n\n<script>alert('x')</script>\n"), 1,
     "manuscript/a.md:5: error M009: raw HTML <script> is not allowed"),
    ("event handler", set_file("manuscript/a.md", "# A\n\nText <b onclick=\"x()\">bold</b>.\n"), 1,
     "manuscript/a.md:3: error M009: raw HTML <b> may not carry onclick"),
    ("chapter outside the book", set_file("manuscript/book.toml", _config('["../../etc/passwd"]')), 1,
     "manuscript/book.toml: error C001: 'manuscript/../../etc/passwd' points outside the book folder"),
    ("style with entities", lambda root: (
        set_file("styles/evil.csl", '<?xml version="1.0"?>\n<!DOCTYPE s [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                 "\n<style/>")(root),
        set_file("manuscript/book.toml", _config(extra='style = "styles/evil.csl"\n'))(root)),
     1, "styles/evil.csl:2: error R002: a CSL style must not declare a DOCTYPE or entities"),
    ("dist not writable", make_dist_a_file, 1, "error B001: cannot write to"),
]


@pytest.mark.parametrize("what, change, status, message", BAD, ids=[b[0] for b in BAD])
def test_bad_book(tmp_path, what, change, status, message):
    root = make_book(tmp_path, {"a.md": GOOD_CHAPTER})
    (root / "styles").mkdir()
    good = run("build", "--book", str(root), "--format", "epub")
    assert good.returncode == 0, good.stderr
    dist_before = _snapshot(root / "dist")
    change(root)
    manuscript_before = _snapshot(root / "manuscript") if (root / "manuscript").exists() else {}
    result = run("build", "--book", str(root), "--format", "epub")
    assert result.returncode == status, result.stderr
    assert message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    # One format for every error, as `check` prints findings: "file:line: error CODE: message"
    # (after an "error: …" head line when several problems are reported at once).
    assert re.match(r"(error: .*\n  )?(\S+: )?error [A-Z]\d{3}: ", result.stderr), result.stderr
    if (root / "dist").is_dir():
        assert _snapshot(root / "dist") == dist_before
    if manuscript_before:
        assert _snapshot(root / "manuscript") == manuscript_before


def test_a_build_never_touches_the_manuscript(tmp_path):
    root = make_book(tmp_path, {"a.md": GOOD_CHAPTER})
    before = _snapshot(root / "manuscript")
    assert run("build", "--book", str(root)).returncode == 0
    assert _snapshot(root / "manuscript") == before
