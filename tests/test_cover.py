"""The generated cover: drawn in a child process while the book is read, or here while pandoc sets the citations;
the same bytes as drawn at the end."""

from pressroom import cover
from pressroom.model import Metadata

META = cover.CoverText.of(Metadata(
    title="Don't Panic", subtitle="A 'Guide'", author="Ann Author", author_file_as="Author, Ann", language="en-GB",
    publisher="Small Press", rights="", identifier="urn:uuid:x", date="", description="It's a book.", subjects=(),
    slug="dont-panic"))


def test_the_child_process_draws_the_cover(monkeypatch):
    drawn_here = cover._draw_cover(META)
    cover.start_cover(META)

    def not_here(meta):
        raise AssertionError("the cover was drawn in this process, not the child")

    monkeypatch.setattr(cover, "_draw_cover", not_here)
    assert cover.make_cover(META) == drawn_here
    assert drawn_here[:3] == b"\xff\xd8\xff"  # a JPEG


def test_the_cover_begun_from_the_config_is_the_one_the_writer_asks_for(monkeypatch, tmp_path):
    # The EPUB writer begins the cover from the config, before the book is read, and asks for it
    # with the finished book's metadata, whose title has been through typography: the same cover.
    from epubtools import copy_book
    from pressroom.build import prepare_book
    from pressroom.config import load_config
    from pressroom.cover import begin
    from pressroom.writers.epub import warm

    book_dir = copy_book(tmp_path)
    config = book_dir / "manuscript" / "book.toml"
    config.write_text(config.read_text().replace('title = "Russia: ', 'title = "Russia\'s Revolution: '))
    monkeypatch.setattr(cover, "_started", {})  # what other tests' builds began is not this test's
    monkeypatch.setattr(cover, "_to_draw", [])
    begin(load_config(book_dir))
    assert not cover._started, "a book with a bibliography: the cover is drawn while pandoc works, not by a child"
    book = prepare_book(book_dir, meanwhile=warm)  # as build_book does
    assert "Russia\u2019s" in book.metadata.title
    monkeypatch.setattr(cover, "_draw_cover", lambda meta: b"drawn again")
    assert cover.make_cover(cover.CoverText.of(book.metadata, book.settings.trim_size))[:3] == b"\xff\xd8\xff"


def test_a_book_without_a_bibliography_has_its_cover_drawn_by_a_child(tmp_path, monkeypatch):
    from epubtools import copy_book
    from pressroom.config import load_config
    from pressroom.cover import begin

    book_dir = copy_book(tmp_path)
    config = book_dir / "manuscript" / "book.toml"
    config.write_text("\n".join(line for line in config.read_text().splitlines() if not line.startswith("file =")))
    settings = load_config(book_dir)
    assert not settings.bibliography
    monkeypatch.setattr(cover, "_started", {})
    monkeypatch.setattr(cover, "_to_draw", [])
    begin(settings)
    text, = cover._started
    assert cover.make_cover(text)[:3] == b"\xff\xd8\xff" and not cover._started
