"""The memo layer: a rebuild after any kind of edit gives the very bytes of a build from nothing,
touches only what the edit changed, and nothing in a book's .cache can run code or be trusted."""

import json
import pickle
import shutil
from pathlib import Path

import pytest

from bookmaker import make_book
from epubtools import build, copy_book

CHAPTERS = {
    "one.md": "# One\n\nStalin said so [@trotsky-revolution-betrayed, p. 38].[^a]\n\n[^a]: A note.\n",
    "two.md": "# Two\n\nThe Five-Year Plan [@nove-economic-history, p. 174].\n\n## A section\n\nMore text.\n",
}
SLUG = "a-small-book"


def _memo(book):
    return {p.name: p.stat().st_mtime_ns for p in (book / ".cache" / "pressroom" / "memo").iterdir()}


def _fresh_copy(book: Path, target: Path) -> Path:
    """The book's sources (no .cache, no dist) in another folder."""
    shutil.copytree(book, target, ignore=shutil.ignore_patterns(".cache", "dist"))
    return target


def test_a_rebuild_after_an_edit_equals_a_build_from_nothing(tmp_path):
    book = make_book(tmp_path / "book", CHAPTERS)
    assert build(book, "--format", "epub").returncode == 0
    before = _memo(book)
    two = book / "manuscript" / "two.md"
    two.write_text(two.read_text().replace("More text.", "More text, edited."))
    result = build(book, "--format", "epub")
    assert result.returncode == 0, result.stderr
    after = _memo(book)
    # Chapter one's entries were read, not made again; chapter two's old ones are gone.
    kept = [name for name in before if after.get(name) == before[name]]
    assert len(kept) >= 4 and len(kept) < len(before) and set(after) != set(before)

    fresh = _fresh_copy(book, tmp_path / "fresh")
    assert build(fresh, "--format", "epub", "--no-cache").returncode == 0
    assert (book / "dist" / f"{SLUG}.epub").read_bytes() == (fresh / "dist" / f"{SLUG}.epub").read_bytes()
    assert not (fresh / ".cache" / "pressroom" / "memo").exists() or not _memo(fresh)


def test_the_shipped_book_rebuilt_from_its_cache_is_the_same(tmp_path):
    # Both formats: the EPUB's print page numbers come from the PDF's layout through the memo.
    book = copy_book(tmp_path / "book")
    assert build(book).returncode == 0
    first = {p.name: p.read_bytes() for p in (book / "dist").iterdir()}
    assert build(book).returncode == 0  # everything from the memo
    assert {p.name: p.read_bytes() for p in (book / "dist").iterdir()} == first
    fresh = copy_book(tmp_path / "fresh")
    assert build(fresh, "--format", "epub", "--no-cache").returncode == 0
    assert (fresh / "dist" / "russia-part-three.epub").read_bytes() == first["russia-part-three.epub"]


# ----------------------------------------------------------------------------- the cache matrix

# A book template that shows meta.title (issue 12: the cache kept the old title after a rename).
EPUB_CHAPTER = """{% extends "epub/page.xhtml.j2" %}
{% import "parts.j2" as parts %}
{% block content %}<p class="running-title">{{ meta.title }}</p>{{ parts.chapter_section(chapter, r) }}{% endblock %}
"""
PREVIEW_CHAPTER = """{% extends "preview/page.html.j2" %}
{% import "parts.j2" as parts %}
{% block content %}<p class="running-title">{{ meta.title }}</p>{% if chapter %}{{ parts.chapter_section(chapter, r) }}{% elif part %}{{ parts.part_title(part) }}{% else %}{{ parts.bibliography_section(entries, r) }}{% endif %}{% endblock %}
"""
INDEX = '[[entry]]\nterm = "Stalin, Joseph"\nmatch = ["Stalin"]\n'
CONFIG_EXTRA = '\n[index]\nfile = "index.toml"\n'


def _matrix_book(root: Path) -> Path:
    from bookmaker import CONFIG

    # The slug is set, so the outputs keep their names when the title changes.
    config = CONFIG.format(body=json.dumps(list(CHAPTERS))).replace(
        'file = "refs.json"', 'file = "refs.json"\nstyle = "styles/house.csl"').replace(
        'publisher = "Test Press"', 'publisher = "Test Press"\nslug = "book"') + CONFIG_EXTRA
    book = make_book(root, CHAPTERS, config=config)
    (book / "manuscript" / "index.toml").write_text(INDEX, encoding="utf-8")
    styles = book / "styles"
    styles.mkdir()
    shutil.copyfile(Path(__file__).parent.parent / "src" / "pressroom" / "resources" / "house.csl", styles / "house.csl")
    (styles / "book.css").write_text("p { color: #111111; }\n", encoding="utf-8")
    for name, text in (("epub/chapter.xhtml.j2", EPUB_CHAPTER), ("preview/chapter.html.j2", PREVIEW_CHAPTER)):
        (book / "templates" / name).parent.mkdir(parents=True, exist_ok=True)
        (book / "templates" / name).write_text(text, encoding="utf-8")
    return book


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


EDITS = {
    "chapter": lambda b: _edit(b / "manuscript" / "two.md", "More text.", "More text, and Stalin again."),
    "metadata": lambda b: _edit(b / "manuscript" / "book.toml", 'title = "A Small Book"', 'title = "A Renamed Book"'),
    "template": lambda b: _edit(b / "templates" / "epub" / "chapter.xhtml.j2", "running-title", "running-head"),
    "stylesheet": lambda b: _edit(b / "styles" / "book.css", "#111111", "#222222"),
    "index file": lambda b: _edit(b / "manuscript" / "index.toml", '["Stalin"]', '["Stalin", "Five-Year Plan"]'),
    "CSL": lambda b: _edit(b / "styles" / "house.csl", '<layout prefix="(" suffix=")"', '<layout prefix="[" suffix="]"'),
    "bibliography": lambda b: _edit(b / "manuscript" / "refs.json", "The Revolution Betrayed", "Revolution Betrayed"),
}
PDF_EDITS = {"chapter", "stylesheet"}


@pytest.mark.parametrize("kind", sorted(EDITS))
def test_a_cached_build_after_each_kind_of_edit_equals_a_build_from_nothing(tmp_path, kind):
    book = _matrix_book(tmp_path / "book")
    formats = ("--format", "epub", "--format", "pdf") if kind in PDF_EDITS else ("--format", "epub")
    first = build(book, *formats)
    assert first.returncode == 0, first.stderr
    before = {p.name: p.read_bytes() for p in (book / "dist").iterdir()}
    EDITS[kind](book)
    cached = build(book, *formats)
    assert cached.returncode == 0, cached.stderr
    outputs = {p.name: p.read_bytes() for p in (book / "dist").iterdir()}
    fresh = _fresh_copy(book, tmp_path / "fresh")
    result = build(fresh, *formats, "--no-cache")
    assert result.returncode == 0, result.stderr
    expected = {p.name: p.read_bytes() for p in (fresh / "dist").iterdir()}
    assert sorted(outputs) == sorted(expected) == sorted(["book.epub"] + (["book.pdf"] if kind in PDF_EDITS else []))
    for name in expected:
        assert outputs[name] == expected[name], f"{name} after an edit of the {kind} differs from a build from nothing"
        assert outputs[name] != before[name], f"the {kind} edit changed nothing in {name}: the test proves nothing"


@pytest.mark.parametrize("kind", sorted(set(EDITS) - {"template"}) + ["preview template"])
def test_the_preview_after_each_kind_of_edit_equals_a_preview_from_nothing(tmp_path, kind):
    from pressroom.preview import PreviewSite

    book = _matrix_book(tmp_path / "book")
    site = PreviewSite(book)
    assert site.rebuild(), site.state.error
    before = dict(site.snapshot[0])
    if kind == "preview template":
        _edit(book / "templates" / "preview" / "chapter.html.j2", "running-title", "running-head")
    else:
        EDITS[kind](book)
    assert site.rebuild(), site.state.error
    fresh = PreviewSite(_fresh_copy(book, tmp_path / "fresh"))
    assert fresh.rebuild(), fresh.state.error
    pages, expected = site.snapshot[0], fresh.snapshot[0]
    assert sorted(pages) == sorted(expected)
    for url in expected:
        assert pages[url] == expected[url], f"{url} after an edit of the {kind} differs from a preview from nothing"
    if kind != "stylesheet":  # book.css is served as it stands, not part of any page
        assert pages != before, f"the {kind} edit changed no page: the test proves nothing"


def test_a_renamed_book_shows_its_new_title_in_every_chapter_page(tmp_path):
    """Issue 12's case: a book template printing meta.title, a cached build after a rename."""
    import zipfile

    book = _matrix_book(tmp_path / "book")
    assert build(book, "--format", "epub").returncode == 0
    EDITS["metadata"](book)
    assert build(book, "--format", "epub").returncode == 0
    with zipfile.ZipFile(book / "dist" / "book.epub") as epub:
        pages = [epub.read(f"EPUB/text/{name}.xhtml").decode() for name in ("one", "two")]
    assert all('<p class="running-title">A Renamed Book</p>' in page for page in pages)


# ----------------------------------------------------------------------------- what .cache may hold

class _RunsCode:
    """Unpickling this calls os.system: what a crafted cache entry would do."""

    def __init__(self, sentinel: Path):
        self.sentinel = sentinel

    def __reduce__(self):
        import os

        return os.system, (f"touch {self.sentinel}",)


def test_a_crafted_pickle_in_the_cache_does_not_run(tmp_path):
    book = make_book(tmp_path / "book", CHAPTERS)
    assert build(book, "--format", "epub").returncode == 0
    sentinel = tmp_path / "ran"
    crafted = pickle.dumps(_RunsCode(sentinel))
    pickle.loads(crafted)  # the payload works when unpickled …
    assert sentinel.exists()
    sentinel.unlink()
    cache = book / ".cache" / "pressroom"
    names = list((cache / "memo").iterdir())
    for entry in names:  # … every entry replaced by it, and the old single-file cache too
        entry.write_bytes(crafted)
    (cache / "build.pickle").write_bytes(crafted)
    result = build(book, "--format", "epub")
    assert result.returncode == 0, result.stderr
    assert not sentinel.exists()
    fresh = _fresh_copy(book, tmp_path / "fresh")
    assert build(fresh, "--format", "epub", "--no-cache").returncode == 0
    assert (book / "dist" / f"{SLUG}.epub").read_bytes() == (fresh / "dist" / f"{SLUG}.epub").read_bytes()
    assert all(entry.read_bytes() != crafted for entry in names if entry.exists())


def test_a_forged_or_corrupt_entry_is_ignored(tmp_path):
    import zipfile

    book = make_book(tmp_path / "book", CHAPTERS)
    assert build(book, "--format", "epub").returncode == 0
    entries = sorted((book / ".cache" / "pressroom" / "memo").iterdir())
    pages = [e for e in entries if b"Five-Year Plan" in e.read_bytes()]
    assert pages
    for entry in pages:  # the text changed, the key and the rest left as they were: a forgery
        entry.write_bytes(entry.read_bytes().replace(b"Five-Year Plan", b"FORGED TEXT"))
    others = [e for e in entries if e not in pages]
    others[0].write_bytes(others[0].read_bytes()[:-20])  # a torn entry
    result = build(book, "--format", "epub")
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(book / "dist" / f"{SLUG}.epub") as epub:
        assert not any(b"FORGED" in epub.read(name) for name in epub.namelist())
    fresh = _fresh_copy(book, tmp_path / "fresh")
    assert build(fresh, "--format", "epub", "--no-cache").returncode == 0
    assert (book / "dist" / f"{SLUG}.epub").read_bytes() == (fresh / "dist" / f"{SLUG}.epub").read_bytes()


def test_the_codec_builds_only_the_types_it_knows():
    from pressroom import codec
    from pressroom import model as m

    chapter = m.Chapter("c", "manuscript/c.md", "body", (m.Text("T"),), "T",
                        (m.Paragraph((m.Text("a"), m.Emph((m.Abbr("GPU"),)), m.NoteRef("n", 1)), 3),),
                        (m.Note("n", "n", 1, (m.Paragraph((m.Text("note"),)),), "n-ref"),))
    value = (chapter, frozenset({"b", "a"}), {"k": [1, 2.5, None, True]}, b"\x00\xff")
    assert codec.decode(codec.encode(value)) == value
    for forged in (b'{"posix.system": ["touch /tmp/x"]}', b'{"__reduce__": []}', b'{"Text": ["a", "b"]}',
                   b'{"(": [1], "[": [2]}', b"\x80\x04\x95", b'{"b": ["%%%"]}', b"[" * 100000):
        with pytest.raises(codec.CodecError):
            codec.decode(forged)


def test_a_started_stage_runs_on_its_own_thread_is_kept_and_raises_where_it_is_taken():
    """``Memo.start`` (the citations stage, while the driver typesets): the stage runs on a thread of
    its own, its result is kept like any other (not run again), and what it raises reaches the driver
    when it takes the result."""
    import threading

    from pressroom.errors import BuildError
    from pressroom.memo import NO_MEMO, Memo

    threads = []

    def double(x):
        threads.append(threading.current_thread().name)
        return 2 * x

    memo = Memo(None)
    assert memo.start(double, 21).get() == 42
    assert threads and threads[0] != threading.current_thread().name
    assert memo.start(double, 21).get() == 42 and len(threads) == 1  # kept: not run again

    def failing(x):
        raise BuildError(f"pandoc failed on {x}", code="B005")

    pending = NO_MEMO.start(failing, "the citations")
    with pytest.raises(BuildError, match="the citations"):
        pending.get()
