"""The build cache: a rebuild after an edit gives the very bytes of a build from nothing, and
touches only what the edit changed."""

import shutil

from bookmaker import make_book
from epubtools import build, copy_book

CHAPTERS = {
    "one.md": "# One\n\nStalin said so [@trotsky-revolution-betrayed, p. 38].[^a]\n\n[^a]: A note.\n",
    "two.md": "# Two\n\nThe Five-Year Plan [@nove-economic-history, p. 174].\n\n## A section\n\nMore text.\n",
}


def _memo(book):
    return {p.name: p.stat().st_mtime_ns for p in (book / ".cache" / "pressroom" / "memo").iterdir()}


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

    fresh = tmp_path / "fresh"
    shutil.copytree(book / "manuscript", fresh / "manuscript")
    assert build(fresh, "--format", "epub", "--no-cache").returncode == 0
    assert (book / "dist" / "a-small-book.epub").read_bytes() == (fresh / "dist" / "a-small-book.epub").read_bytes()
    assert not (fresh / ".cache" / "pressroom" / "memo").exists() or not _memo(fresh)


def test_the_shipped_book_rebuilt_from_its_cache_is_the_same(tmp_path):
    # Both formats: the EPUB's print page numbers come from the PDF's layout through the cache.
    book = copy_book(tmp_path / "book")
    assert build(book).returncode == 0
    first = {p.name: p.read_bytes() for p in (book / "dist").iterdir()}
    assert build(book).returncode == 0  # everything from the cache
    assert {p.name: p.read_bytes() for p in (book / "dist").iterdir()} == first
    fresh = copy_book(tmp_path / "fresh")
    assert build(fresh, "--format", "epub", "--no-cache").returncode == 0
    assert (fresh / "dist" / "russia-part-three.epub").read_bytes() == first["russia-part-three.epub"]


def test_a_cache_made_by_other_code_is_not_used(tmp_path):
    book = make_book(tmp_path / "book", CHAPTERS)
    assert build(book, "--format", "epub").returncode == 0
    memo = book / ".cache" / "pressroom" / "memo"
    (memo / "VERSION").write_text("2 some-older-code")
    stale = sorted(p.name for p in memo.iterdir() if p.name != "VERSION")
    for name in stale:
        (memo / name).write_bytes(b"not a pickle of this code")
    result = build(book, "--format", "epub")
    assert result.returncode == 0, result.stderr
    assert (memo / "VERSION").read_text() != "2 some-older-code"
    assert all((memo / name).read_bytes() != b"not a pickle of this code" for name in stale if (memo / name).exists())
