"""walk.py: the declaration of the model's children covers the model, and the walks, from tables."""

import dataclasses
import re
from dataclasses import replace
from typing import get_args

import pytest

from pressroom import model as m
from pressroom.ids import title_id
from pressroom import walk as w

T = m.Text
MARK = m.IndexMark("ix-1", "Stalin, Joseph")
CITE = m.Cite("c-1", (m.CiteItem("nove"),), 3, (m.CiteSegment("", (T("("),)), m.CiteSegment("nove", (T("Nove"),)),
                                                 m.CiteSegment("", (T(")"),))))
LIST = m.ListBlock(((m.Paragraph((T("one"),)),), (m.Paragraph((T("two"),)), m.Heading(3, (T("h"),), "h"))))
QUOTE = m.BlockQuote((m.Paragraph((m.Emph((T("a"), m.Strong((T("b"),)))), T("c"))), LIST))
NOTE = m.Note("n-1", "1", 1, (m.Paragraph((T("note"), CITE)),), "n-1-ref")
CHAPTER = m.Chapter("ch", "ch.md", "body", (T("Title"),), "Title", (QUOTE, m.Paragraph((m.NoteRef("n-1", 1),))),
                    (NOTE,))


def model_dataclasses():
    return [obj for obj in vars(m).values() if isinstance(obj, type) and dataclasses.is_dataclass(obj)
            and obj.__module__ == m.__name__]


def test_the_table_covers_every_inline_and_block_of_the_model():
    for kind in (*get_args(m.Inline), *get_args(m.Block)):
        assert kind in w.CHILDREN, f"{kind.__name__} has no entry in walk.CHILDREN"
    assert set(w.INLINE_TYPES) == set(get_args(m.Inline)) and set(w.BLOCK_TYPES) == set(get_args(m.Block))


# Fields that hold nodes but are deliberately not children: derived from the content, not content
# (a chapter's contents entries mirror its headings; a survey lists the chapter's citations and links).
NOT_CHILDREN = {(m.Chapter, "sections"), (m.ChapterSurvey, "cites"), (m.ChapterSurvey, "links")}


def test_every_field_that_holds_nodes_is_declared():
    """A field whose annotation names a walked type (Inline, Block, Note, CiteSegment…) is declared as
    a child field, so a new field of nodes cannot be missed by the walks."""
    names = {kind.__name__ for kind in w.CHILDREN} | {"Inline", "Block"}
    for kind in model_dataclasses():
        declared = {child.name for child in w.CHILDREN.get(kind, ())}
        for field in dataclasses.fields(kind):
            annotation = str(field.type)
            holds_nodes = annotation.startswith("tuple[") and bool(set(re.findall(r"\w+", annotation)) & names)
            if holds_nodes and (kind, field.name) not in NOT_CHILDREN:
                assert kind in w.CHILDREN and field.name in declared, f"{kind.__name__}.{field.name} is not declared"
        for name in declared:
            assert name in {f.name for f in dataclasses.fields(kind)}, f"{kind.__name__} has no field {name}"


def test_an_unknown_type_is_an_error_not_a_leaf():
    class Stranger:
        pass

    with pytest.raises(TypeError, match="Stranger"):
        list(w.iter_nodes((T("a"), Stranger())))
    with pytest.raises(TypeError, match="Stranger"):
        w.walk((Stranger(),), lambda node: node)


ITER_NODES = [
    # (root, leaves, expected nodes in order)
    (T("a"), (), [T("a")]),
    ((T("a"), m.Emph((T("b"),)), T("c")), (), [T("a"), m.Emph((T("b"),)), T("b"), T("c")]),
    (LIST, (), [LIST, LIST.items[0][0], T("one"), LIST.items[1][0], T("two"), LIST.items[1][1], T("h")]),
    (QUOTE.blocks[0], (), [QUOTE.blocks[0], QUOTE.blocks[0].inlines[0], T("a"), m.Strong((T("b"),)), T("b"), T("c")]),
    (CITE, (), [CITE, *[x for s in CITE.rendered for x in (s, *s.inlines)]]),
    ((T("x"), CITE), (m.Cite,), [T("x"), CITE]),  # a leaf type: the node, not its children
    (NOTE, (), [NOTE, NOTE.blocks[0], T("note"), *w.iter_nodes(CITE)]),
    (m.ThematicBreak(), (), [m.ThematicBreak()]),
    ((), (), []),
]


@pytest.mark.parametrize("root, leaves, expected", ITER_NODES)
def test_iter_nodes_in_reading_order(root, leaves, expected):
    assert list(w.iter_nodes(root, leaves)) == expected


def test_a_chapter_is_walked_title_text_notes():
    texts = [node.text for node in w.query(CHAPTER, m.Text)]
    assert texts == ["Title", "a", "b", "c", "one", "two", "h", "note", "(", "Nove", ")"]
    assert [n.id for n in w.query(CHAPTER, m.Heading, m.Note)] == ["h", "n-1"]
    assert w.children(LIST) == (*LIST.items[0], *LIST.items[1])
    assert w.children(T("leaf")) == ()


def upper(node):
    return T(node.text.upper()) if isinstance(node, T) else node


def split_words(node):
    return tuple(T(word) for word in node.text.split(" ")) if isinstance(node, T) else node


def drop_marks(node):
    return () if isinstance(node, m.IndexMark) else node


WALKS = [
    # (root, fn, leaves, expected)
    ((T("a"), m.Emph((T("b"),))), upper, (), (T("A"), m.Emph((T("B"),)))),
    (m.Paragraph((T("x y"), m.Link("u", (T("p q"),)))), split_words, (),
     m.Paragraph((T("x"), T("y"), m.Link("u", (T("p"), T("q")))))),
    ((T("a"), MARK, m.Strong((MARK, T("b")))), drop_marks, (), (T("a"), m.Strong((T("b"),)))),
    (LIST, upper, (), m.ListBlock(((m.Paragraph((T("ONE"),)),), (m.Paragraph((T("TWO"),)), m.Heading(3, (T("H"),), "h"))))),
    ((m.Heading(2, (T("h"),), "h"), m.Paragraph((T("p"),))), upper, (m.Heading,),
     (m.Heading(2, (T("h"),), "h"), m.Paragraph((T("P"),)))),
    ((T("x"), CITE), upper, (m.Cite,), (T("X"), CITE)),
]


@pytest.mark.parametrize("root, fn, leaves, expected", WALKS)
def test_walk_rebuilds_bottom_up(root, fn, leaves, expected):
    assert w.walk(root, fn, leaves) == expected


def test_walk_gives_the_leaves_in_reading_order_then_each_parent_after_its_children():
    seen = []
    w.walk(QUOTE, lambda node: seen.append(type(node).__name__ + getattr(node, "text", "")) or node)
    assert seen == ["Texta", "Textb", "Strong", "Emph", "Textc", "Paragraph", "Textone", "Paragraph",
                    "Texttwo", "Paragraph", "Texth", "Heading", "ListBlock", "BlockQuote"]


def test_walk_returns_the_same_objects_when_nothing_changes():
    assert w.walk(CHAPTER, lambda node: node) is CHAPTER
    changed = w.walk(CHAPTER, lambda node: T("NOTE") if node == T("note") else node)
    assert changed.notes[0].blocks[0].inlines[0] == T("NOTE")
    assert changed.blocks is CHAPTER.blocks and changed.title is CHAPTER.title  # untouched parts are shared
    assert changed.notes[0].blocks[0].inlines[1] is CITE


def test_walk_cannot_replace_the_root_by_several_nodes():
    with pytest.raises(TypeError, match="root"):
        w.walk(T("a b"), split_words)


def test_map_inlines_gives_each_outermost_sequence_whole_in_reading_order():
    seen = []

    def record(inlines):
        seen.append(m.plain_text(inlines))
        return inlines

    assert w.map_inlines(CHAPTER, record) is CHAPTER
    assert seen == ["Title", "abc", "one", "two", "h", "", "note"]
    book = m.BibEntry("ref-a", "a", (T("x"),), ())
    assert w.map_inlines((book,), lambda inlines: inlines + (T("!"),)) == (replace(book, inlines=(T("x"), T("!"))),)
    assert w.map_inlines((T("a"),), lambda inlines: inlines * 2) == (T("a"), T("a"))


def test_walk_inline_sequences_goes_innermost_first_and_into_citations():
    seen = []

    def record(inlines):
        seen.append(m.plain_text(inlines))
        return inlines

    w.walk_inline_sequences(m.Paragraph((T("a"), m.Emph((T("b"), m.Strong((T("c"),)))), CITE)), record)
    assert seen == ["c", "bc", "(", "Nove", ")", "abc"]
    joined = w.walk_inline_sequences((T("a"), m.Emph((T("b"), T("c")))), lambda s: (T(m.plain_text(s)),))
    assert joined == (T("abc"),)


def test_inline_children_names_the_field_of_inlines_with_children():
    assert [w.inline_children(node) for node in (m.Emph(()), m.Link("u", ()), T("t"), CITE, m.Paragraph(()))] == [
        "children", "children", "", "", ""]


# --------------------------------------------------------------------------- the walks agree
# Before walk.py each walk listed the children itself, and they disagreed: the index skipped links
# and marked headings inside quotations; the survey (ids) skipped headings inside lists; lint skipped
# the notes. Now every walk sees every node, and what a step leaves out it names (leaves=…).

INDEX_CONFIG = """\
[book]
title = "A Small Book"
author = "Ann Author"
language = "en-GB"
identifier = "urn:uuid:00000000-0000-4000-8000-000000000001"
publisher = "Test Press"

[contents]
body = ["a.md"]

[bibliography]
file = "refs.json"

[index]
file = "index.toml"
"""


def test_the_index_marks_text_links_and_notes_never_headings_or_citations(tmp_path):
    from bookmaker import make_book
    from pressroom.build import prepare_book

    chapter = ("# A\n\n> ## Stalin in a quotation\n\n"
               "Stalin wrote to [Stalin](https://example.org) [@nove-economic-history, p. 1].[^n]\n\n"
               "- ## Stalin in a list\n\n[^n]: Stalin again.\n")
    root = make_book(tmp_path, {"a.md": chapter}, config=INDEX_CONFIG)
    (root / "manuscript" / "index.toml").write_text(
        '[[entry]]\nterm = "Stalin, Joseph"\nmatch = ["Stalin"]\n\n[[entry]]\nterm = "Nove, Alec"\nmatch = ["Nove"]\n')
    book = prepare_book(root)
    ch = book.chapters[0]
    assert "Nove" in m.cite_text(next(w.query(ch, m.Cite)))  # the citation's printed form holds the name…
    marks_per_block = [[mark.term for mark in w.query(block, m.IndexMark)] for block in ch.blocks]
    assert marks_per_block == [[], ["Stalin, Joseph", "Stalin, Joseph"], []]  # …but only the text is marked
    assert list(w.query(ch.blocks[1].inlines, m.Link))[0].children[0] == m.IndexMark("ix-a-2", "Stalin, Joseph")
    assert [mark.id for mark in w.query(ch.notes, m.IndexMark)] == ["ix-a-3"]
    assert [(e.term, e.locators) for e in book.index] == [("Stalin, Joseph", ("ix-a-1", "ix-a-2", "ix-a-3"))]


def test_the_survey_finds_the_ids_of_headings_in_lists_and_quotations():
    listed = m.Heading(3, (T("In a list"),), "in-a-list")
    quoted = m.Heading(3, (T("In a quotation"),), "in-a-quotation")
    chapter = replace(CHAPTER, blocks=(m.ListBlock(((listed,),)), m.BlockQuote((quoted,))), notes=())
    assert chapter.survey.ids == (title_id("ch"), "in-a-list", "in-a-quotation")


def test_the_model_compares_hashes_and_shows_its_nodes_as_generated_dataclasses_do():
    """model.frozen shares one equality, hash and repr among the model's classes: each behaves as the
    methods ``dataclass(frozen=True)`` would generate (a twin class of the same fields has them), on
    every node of a whole book."""
    from corpus_books import source_of
    from pressroom.build import prepare_book

    book = prepare_book(source_of("kitchen-sink"))
    twins = {cls: dataclasses.make_dataclass(cls.__name__, [(f.name, f.type, dataclasses.field(
        compare=f.compare, hash=f.hash, repr=f.repr)) for f in dataclasses.fields(cls)], frozen=True)
        for cls in model_dataclasses()}
    nodes = [node for node in w.iter_nodes(book.chapters) if type(node) in twins] + [book.metadata, *book.chapters]
    assert len({type(node) for node in nodes}) > 20
    for node in nodes:
        twin = twins[type(node)](**{f.name: getattr(node, f.name) for f in dataclasses.fields(node)})
        assert repr(node) == repr(twin)
        assert node == replace(node) and hash(node) == hash(replace(node)) == hash(twin)
        with pytest.raises(dataclasses.FrozenInstanceError):
            node.id = "x"
        assert node != twin  # another class, as between two dataclasses
    changed = replace(CHAPTER, title_text="Other")
    assert changed != CHAPTER and hash(changed) != hash(CHAPTER)
    assert m.Reference("k", {"a": 1}) == m.Reference("k", {"b": 2})  # csl is field(compare=False)
