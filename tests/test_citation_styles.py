"""Citations through a note style become footnotes; build errors leave dist/ untouched."""

from bookmaker import make_book
from pressroom import model as m
from pressroom.build import prepare_book
from seed import ROOT

CHAPTER = """\
# Notes

First claim [@trotsky-revolution-betrayed, p. 38], a note[^a], then [@trotsky-revolution-betrayed, p. 39].

[^a]: The author's own note.
"""


def test_note_style_turns_citations_into_numbered_footnotes(tmp_path):
    root = make_book(tmp_path, {"a.md": CHAPTER})
    (root / "styles").mkdir()
    (root / "styles" / "notes.csl").write_bytes((ROOT / "styles" / "house-notes.csl").read_bytes())
    config = root / "manuscript" / "book.toml"
    config.write_text(config.read_text() + 'style = "styles/notes.csl"\n')
    chapter = prepare_book(root).chapters[0]
    refs = [n for n in chapter.blocks[0].inlines if isinstance(n, m.NoteRef)]
    assert [r.number for r in refs] == [1, 2, 3]
    assert [n.number for n in chapter.notes] == [1, 2, 3]
    texts = [m.block_text(n.blocks[0]) or m.cite_text(n.blocks[0].inlines[0]) for n in chapter.notes]
    assert texts[0] == "Trotsky, The Revolution Betrayed, p.\u00a038."
    assert texts[1] == "The author\u2019s own note."
    assert texts[2] == "Ibid., p.\u00a039."
    assert not any(isinstance(n, m.Cite) for n in chapter.blocks[0].inlines)


def test_in_text_style_keeps_citations_in_the_text(tmp_path):
    root = make_book(tmp_path, {"a.md": CHAPTER})
    chapter = prepare_book(root).chapters[0]
    cites = [n for n in chapter.blocks[0].inlines if isinstance(n, m.Cite)]
    assert [m.cite_text(c) for c in cites] == [
        "(Trotsky, The Revolution Betrayed, p.\u00a038)", "(Ibid., p.\u00a039)"]
    assert [n.number for n in chapter.notes] == [1]


def test_bibliography_lists_only_cited_works(tmp_path):
    root = make_book(tmp_path, {"a.md": "# A\n\nOnly Nove [@nove-economic-history, p. 1] is cited.\n"})
    book = prepare_book(root)
    assert [e.key for e in book.bibliography] == ["nove-economic-history"]
    assert book.bibliography[0].cited_by == ("cite-a-1",)
