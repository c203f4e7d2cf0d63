"""The reader on small hand-written books: each Markdown construct, and each mistake's message."""

import pytest

from bookmaker import make_book
from pressroom import model as m
from pressroom.errors import ConfigError, ManuscriptError
from pressroom.reader import load_book

CHAPTER = """\
# The *First* Chapter

Opening paragraph with a note[^one] and a "quote".

## A Section

{.epigraph}
> Everything flows.
>
> [@trotsky-revolution-betrayed, p. 38]

{.poem}
> First line\\
> Second line

Text [see @nove-economic-history, pp. 82-3, my emphasis] and [-@trotsky-revolution-betrayed] and
[Party order] in brackets.

### A Subsection

- one
- two

1. first
2. second

---

## A Section

[^one]: The note, with *emphasis* and [@nove-economic-history, p. 1].
"""


@pytest.fixture
def small(tmp_path):
    return load_book(make_book(tmp_path, {"01-first.md": CHAPTER, "second.md": "# Second\n\nText.[^a]\n\n[^a]: A.\n"}))


def test_chapters_titles_and_ids(small):
    first, second = small.chapters
    assert (first.id, first.title_text, first.matter, first.source) == ("c-01-first", "The First Chapter", "body",
                                                                          "manuscript/01-first.md")
    assert isinstance(first.title[1], m.Emph)
    assert second.id == "second"
    assert [(s.id, s.title, s.level) for s in first.sections] == [("a-section", "A Section", 2), ("a-section-2", "A Section", 2)]
    assert [(s.id, s.level) for s in first.sections[0].children] == [("a-subsection", 3)]


def test_blocks(small):
    blocks = small.chapters[0].blocks
    kinds = [type(b).__name__ for b in blocks]
    assert kinds == ["Paragraph", "Heading", "BlockQuote", "BlockQuote", "Paragraph", "Heading", "ListBlock",
                     "ListBlock", "ThematicBreak", "Heading"]
    epigraph, poem = blocks[2], blocks[3]
    assert epigraph.classes == ("epigraph",) and len(epigraph.blocks) == 2
    assert poem.classes == ("poem",)
    assert [type(n) for n in poem.blocks[0].inlines] == [m.Text, m.LineBreak, m.Text]
    assert blocks[6].ordered is False and len(blocks[6].items) == 2
    assert blocks[7].ordered is True and blocks[7].start == 1
    assert blocks[0].line == 3 and blocks[1].line == 5


def test_notes_number_per_chapter(small):
    first, second = small.chapters
    assert [(n.id, n.number, n.ref_id) for n in first.notes] == [("note-c-01-first-1", 1, "note-c-01-first-1-ref")]
    assert [n.number for n in second.notes] == [1]
    ref = first.blocks[0].inlines[1]
    assert ref == m.NoteRef("note-c-01-first-1", 1)
    assert isinstance(first.notes[0].blocks[0].inlines[1], m.Emph)


def test_citations_and_their_lines(small):
    cites = [c for _, c in small.citations()]
    assert [c.id for c in cites] == [f"cite-c-01-first-{n}" for n in (1, 2, 3, 4)]
    assert [c.line for c in cites] == [10, 16, 16, 31]
    assert cites[1].items[0].prefix == "see" and cites[1].items[0].suffix == ", my emphasis"
    assert cites[2].items[0].suppress_author
    text = m.plain_text(small.chapters[0].blocks[4].inlines)
    assert "[Party order] in brackets" in text


def test_parts_and_matter(tmp_path):
    config = """\
[book]
title = "T"
author = "A B"
language = "en"
identifier = "id-1"

[contents]
front = ["preface.md"]
body = [{ part = "Part One: Beginnings", chapters = ["a.md", "b.md"] }, "c.md"]
back = ["afterword.md"]
"""
    files = {name: f"# {name}\n\nText.\n" for name in ("preface.md", "a.md", "b.md", "c.md", "afterword.md")}
    book = load_book(make_book(tmp_path, files, config=config))
    assert [(c.id, c.matter, c.part) for c in book.chapters] == [
        ("preface", "front", ""), ("a", "body", "part-one-beginnings"), ("b", "body", "part-one-beginnings"),
        ("c", "body", ""), ("afterword", "back", "")]
    assert book.parts == (m.Part("part-one-beginnings", "Part One: Beginnings", ("a", "b")),)
    assert book.references == ()


BAD = [
    # (what, files, config or None, error class, the finding's code, "file:line: message" must hold)
    ("unknown citation key", {"a.md": "# A\n\nText\nmore [@trotsky-revolution-betraye, p. 3].\n"}, None,
     ManuscriptError, "M001",
     "manuscript/a.md:4: unknown citation key @trotsky-revolution-betraye; did you mean @trotsky-revolution-betrayed?"),
    ("no title", {"a.md": "Text first.\n\n# A\n"}, None, ManuscriptError, "M012",
     "manuscript/a.md:1: a chapter must start with its title"),
    ("two titles", {"a.md": "# A\n\n# B\n"}, None, ManuscriptError, "M012", "manuscript/a.md:3: only one level-1 heading"),
    ("raw html", {"a.md": "# A\n\n<div onclick='x()'>hi</div>\n"}, None, ManuscriptError, "M009",
     "manuscript/a.md:3: raw HTML"),
    ("not utf-8", {"a.md": b"# A\n\nCaf\xe9\n"}, None, ManuscriptError, "M012", "manuscript/a.md:3: not UTF-8"),
    ("missing chapter", {}, 'body = ["missing.md"]', ManuscriptError, "C001",
     "manuscript/book.toml: the chapter file manuscript/missing.md listed in [contents] does not exist"),
    ("outside the book", {}, 'body = ["../../etc/passwd"]', ManuscriptError, "C001",
     "manuscript/book.toml: 'manuscript/../../etc/passwd' points outside the book folder"),
    ("toml syntax", {"a.md": "# A\n"}, "[book\ntitle = 1", ConfigError, "C001", "manuscript/book.toml:1: TOML syntax error"),
    ("wrong type", {"a.md": "# A\n"}, 'body = "a.md"', ConfigError, "C001", "manuscript/book.toml:9: 'body' must be a list"),
]


@pytest.mark.parametrize("what, files, config, error, code, message", BAD, ids=[b[0] for b in BAD])
def test_mistakes_name_file_and_line(tmp_path, what, files, config, error, code, message):
    from bookmaker import CONFIG

    root = make_book(tmp_path, {"a.md": "# A\n"})
    for name, content in files.items():
        path = root / "manuscript" / name
        path.write_bytes(content) if isinstance(content, bytes) else path.write_text(content, encoding="utf-8")
    if config is not None:
        if config.startswith("body"):
            text = CONFIG.replace("body = {body}", config)
        else:
            text = config
        (root / "manuscript" / "book.toml").write_text(text, encoding="utf-8")
    with pytest.raises(error) as caught:
        load_book(root)
    # Each finding made with its code where the mistake was found (not read off the message).
    shown = [(f.code, f"{f.location}: {f.message}") for f in caught.value.findings]
    assert any(found == code and message in line for found, line in shown), shown


def test_config_reports_every_problem_at_once(tmp_path):
    config = """\
[book]
title = "T"
langauge = "en"
identifier = 5

[contents]
body = ["a.md"]

[colours]
x = 1
"""
    root = make_book(tmp_path, {"a.md": "# A\n"}, config=config)
    with pytest.raises(ConfigError) as caught:
        load_book(root)
    text = str(caught.value)
    assert {f.code for f in caught.value.findings} == {"C001"} and len(caught.value.findings) == 5
    assert "manuscript/book.toml:9: error C001: unknown table [colours]" in text
    assert "manuscript/book.toml:3: error C001: unknown key 'langauge' in [book]" in text
    assert "manuscript/book.toml:4: error C001: 'identifier' must be a string in quotes, not int" in text
    assert "[book] needs 'author'" in text and "[book] needs 'language'" in text
