"""The id scheme (pressroom.ids), from tables: every id function, the reserved forms, the allocator."""

import pytest

from pressroom import ids

# (function, arguments, expected id)
GENERATED = [
    (ids.title_id, ("intro",), "title-intro"),
    (ids.title_id, (ids.BIBLIOGRAPHY,), "title-bibliography"),
    (ids.note_id, ("intro", 3), "note-intro-3"),
    (ids.note_ref_id, ("note-intro-3",), "note-intro-3-ref"),
    (ids.cite_id, ("intro", 12), "cite-intro-12"),
    (ids.cite_note_id, ("cite-intro-12",), "note-cite-intro-12"),
    (ids.note_ref_id, ("note-cite-intro-12",), "note-cite-intro-12-ref"),
    (ids.index_mark_id, ("intro", 40), "ix-intro-40"),
    (ids.index_mark_id, ("intro", 2, True), "ix-intro-m2"),
    (ids.index_entry_id, ("Stalin, Joseph",), "ixe-stalin-joseph"),
    (ids.bib_entry_id, ("nove-economic-history",), "ref-nove-economic-history"),
    (ids.bib_entry_id, ("Smith_2001",), "ref-Smith_2001"),
    (ids.bib_entry_id, ("smith:2001",), "ref-smith.3a2001"),
    (ids.bib_entry_id, ("doe.2001#b",), "ref-doe.2e2001.23b"),
    (ids.bib_entry_id, ("müller",), "ref-m.c3.bcller"),
    (ids.page_break_id, ("12",), "page-12"),
    (ids.page_break_id, ("xii",), "page-xii"),
    (ids.paragraph_id, ("intro", 7), "b-intro-7"),
    (ids.page_anchor, ("12",), "page.12"),
    (ids.image_item_id, (1,), "image-1"),
    (ids.stylesheet_item_id, ("base.css",), "css-base"),
]


@pytest.mark.parametrize("function, args, expected", GENERATED, ids=[g[2] for g in GENERATED])
def test_each_generated_id(function, args, expected):
    assert function(*args) == expected


@pytest.mark.parametrize("function, args, expected", GENERATED, ids=[g[2] for g in GENERATED])
def test_no_generated_id_is_a_name(function, args, expected):
    """Every generated id has a reserved form (or a dot, which no slug has), so no name can take it."""
    made = function(*args)
    if "." in made:
        assert ids.slugify(made) != made
    else:
        assert ids.is_reserved(made)
        assert ids.IdAllocator().allocate(made) != made


# (text, fallback, slug)
SLUGS = [
    ("The 'Third Period'", "section", "the-third-period"),
    ("Économie et société", "section", "economie-et-societe"),
    ("1917", "section", "s-1917"),
    ("01-first", "chapter", "c-01-first"),
    ("***", "section", "section"),
    ("", "section", "section"),
    ("A -- B", "section", "a-b"),
]


@pytest.mark.parametrize("text, fallback, slug", SLUGS)
def test_slugify(text, fallback, slug):
    assert ids.slugify(text, fallback) == slug


# (heading text, the name it gets in an empty book)
HEADINGS = [
    ("Page 1", "h-page-1"),
    ("Ref Nove", "h-ref-nove"),
    ("Note 1", "h-note-1"),
    ("Note 3", "h-note-3"),
    ("Cite 2", "h-cite-2"),
    ("Title Page", "h-title-page"),
    ("B Movies", "h-b-movies"),
    ("IX Legion", "h-ix-legion"),
    ("H Bomb", "h-h-bomb"),
    ("Index", "h-index"),
    ("Bibliography", "h-bibliography"),
    ("Contents", "h-contents"),
    ("Cover", "h-cover"),
    ("Notes", "notes"),
    ("Pages", "pages"),
    ("Page", "page"),
    ("Referendum", "referendum"),
    ("A Note on the Text", "a-note-on-the-text"),
]


@pytest.mark.parametrize("text, name", HEADINGS)
def test_heading_names_avoid_generated_forms(text, name):
    got = ids.IdAllocator().allocate(ids.heading_slug(text))
    assert got == name
    assert ids.unescape(got) == ids.heading_slug(text)  # what an author writes in a link


def test_allocator_repeats_and_escapes_one_to_one():
    pool = ids.IdAllocator()
    got = [pool.allocate(ids.heading_slug(t)) for t in
           ("Notes", "Notes", "Page", "Page", "Page 2", "H Page 2", "Notes 2", "Notes")]
    # "page-2" (the second "Page") is a page break's form: escaped; "Page 2" then finds it taken.
    assert got == ["notes", "notes-2", "page", "h-page-2", "h-page-2-2", "h-h-page-2", "notes-2-2", "notes-3"]
    assert len(set(got)) == len(got)


def test_allocator_respects_names_taken_before():
    pool = ids.IdAllocator({"intro"})
    assert pool.allocate("intro") == "intro-2"
    assert "intro-2" in pool.taken


@pytest.mark.parametrize("block, chapter, mine", [
    ("b-a-3", "a", True), ("b-a-1-3", "a", False), ("b-a-1-3", "a-1", True), ("title-a", "a", False),
])
def test_paragraph_of_a_chapter(block, chapter, mine):
    assert ids.is_paragraph_of(block, chapter) is mine


@pytest.mark.parametrize("fixed", [ids.BIBLIOGRAPHY, ids.INDEX, ids.CONTENTS, ids.TOC, ids.TITLE_PAGE,
                                   ids.COPYRIGHT_PAGE, ids.LANDMARKS, ids.PAGE_LIST])
def test_every_fixed_id_is_reserved(fixed):
    assert ids.is_reserved(fixed)
    assert ids.is_reserved(ids.title_id(fixed))


def test_a_citation_key_as_written_is_not_its_id_when_escaped():
    assert ids.bib_entry_as_written("smith:2001") == "ref-smith:2001" != ids.bib_entry_id("smith:2001")
    assert ids.bib_entry_as_written("nove") == ids.bib_entry_id("nove")
