"""The shipped book, loaded into the model, checked structurally against the publisher's text."""

import re

from pressroom import model as m
from seed import seed_body_words, seed_citations, seed_note_words, words

SECTIONS = [
    "Forced collectivisation", "Economic zig-zags", "Increased social divisions", "Soviet foreign policy",
    "German Revolution 1923", "'Socialism in one country'", "The 'Third Period'", "The victory of Hitler",
    "Popular Frontism", "The Spanish Revolution", "The Purge trials", "Old Bolsheviks exterminated",
    "Families wiped out", "The slaughter of the general staff", "'The mark of Cain'", "The end of the Comintern",
]

# The work each title in the seed's source references names; "Ibid." and "op. cit." are resolved below.
WORKS = {
    "The Revolution Betrayed": "trotsky-revolution-betrayed",
    "The Third International After Lenin": "trotsky-third-international",
    "An Economic History of the USSR": "nove-economic-history",
    "I Chose Freedom": "kravchenko-i-chose-freedom",
    "State Capitalism in Russia": "cliff-state-capitalism",
    "Stalin interview": "howard-stalin-interview",
    "Perestroika": "gorbachov-perestroika",
    "The German Revolution and the Debate": "radek-german-revolution",
    "Stalin, Collected Works, Vol. 9": "stalin-collected-works-9",
    "History of Communism in Britain": "pearce-woodhouse-communism-britain",
    "Out of the Night": "valtin-out-of-the-night",
    "Blood of Spain": "fraser-blood-of-spain",
    "The Road to Communism": "road-to-communism",
    "This I cannot forget": "larina-this-i-cannot-forget",
    "Let History Judge": "medvedev-let-history-judge",
    "Volkogonov, Trotsky": "volkogonov-trotsky",
    "Grigorenko, Memoirs": "grigorenko-memoirs",
    "Samizdat": "saunders-samizdat",
    "A History of the USSR": "rothstein-history-of-the-ussr",
    "Trial of Anti-Soviet Trotskyite Centre": "campbell-trial-trotskyite-centre",
    "Soviet Policy and its Critics": "campbell-soviet-policy",
    "The Communist Party of the Soviet Union, p. 424": "schapiro-communist-party",
    "The Great Game": "trepper-great-game",
    "Trepper, op. cit.": "trepper-great-game",
}


def expected_keys(reference: str, previous: str | None) -> list[str]:
    """The bibliography keys a seed reference such as "(Trotsky, Writings 1929, p. 136.)" names."""
    if reference.startswith("(Ibid"):
        return [previous]
    if "Speeches at Pre-election Meetings" in reference:
        return ["stalin-pre-election-speeches", "cliff-state-capitalism"]
    if match := re.search(r"Writings (\d{4}(?:-\d\d)?)", reference):
        return [f"trotsky-writings-{match[1]}"]
    if match := re.search(r"LCW, Vol\. (\d+)", reference):
        return [f"lenin-collected-works-{match[1]}"]
    found = [key for title, key in WORKS.items() if title in reference]
    assert len(set(found)) == 1, reference
    return found[:1]


def chapter(book):
    assert len(book.chapters) == 1
    return book.chapters[0]


def test_metadata(book):
    meta = book.metadata
    assert meta.title == "Russia: From Revolution to Counter-revolution"
    assert meta.subtitle == "Part Three: From Five-Year Plan to the Purges"
    assert (meta.author, meta.author_file_as, meta.language) == ("Ted Grant", "Grant, Ted", "en-GB")
    assert meta.identifier.startswith("urn:uuid:") and meta.publisher and meta.rights


def test_sixteen_sections_in_order(book):
    ch = chapter(book)
    assert ch.title_text == "From Five-Year Plan to the Purges"
    assert [s.title for s in ch.sections] == SECTIONS
    headings = [b for b in ch.blocks if isinstance(b, m.Heading)]
    assert [h.level for h in headings] == [2] * 16
    assert len({h.id for h in headings}) == 16
    assert headings[6].id == "the-third-period"


def test_two_notes_at_their_calls(book):
    ch = chapter(book)
    assert [(n.label, n.number) for n in ch.notes] == [("gpu", 1), ("kuomintang", 2)]
    calls = []
    for block in ch.blocks:
        if isinstance(block, m.Paragraph):
            for i, node in enumerate(block.inlines):
                if isinstance(node, m.NoteRef):
                    calls.append((node.number, block.inlines[i - 1].text))
    assert len(calls) == 2
    assert calls[0][0] == 1 and calls[0][1].endswith("Viktor Kravchenko, then an officer in the GPU")
    assert calls[1][0] == 2 and calls[1][1].endswith("in the nationalist Kuomintang")
    notes = seed_note_words()
    assert words(m.plain_text(ch.notes[0].blocks[0].inlines)) == notes["1"]
    assert words(m.plain_text(ch.notes[1].blocks[0].inlines)) == notes["2"]
    assert "back to text" not in m.plain_text(ch.notes[0].blocks[0].inlines)


def test_lenins_numbered_list_is_not_a_note(book):
    text = " ".join(m.plain_text(b.inlines) for b in chapter(book).blocks if isinstance(b, m.Paragraph))
    assert "(1) Ten times more effort to secure grain" in text
    assert "(2) Ten times more enrolments for the army" in text


def test_every_citation_names_the_work_the_seed_means(book):
    """56 references in the seed; each citation resolves, and each "Ibid."/"op. cit." to the right work."""
    seed = seed_citations()
    cites = [c for _, c in book.citations()]
    assert len(seed) == len(cites) == 56
    keys = {ref.id for ref in book.references}
    previous = None
    for (line, reference), cite in zip(seed, cites):
        want = expected_keys(reference, previous)
        assert [item.key for item in cite.items] == want, (line, reference)
        assert all(item.key in keys for item in cite.items)
        previous = want[-1]
    assert len({c.id for c in cites}) == 56


def test_locators_prefixes_and_suffixes(book):
    cites = {c.id.rsplit("-", 1)[1]: c for _, c in book.citations()}
    first = cites["1"].items[0]
    assert (first.key, first.label, first.locator) == ("trotsky-writings-1935-36", "page", "179")
    nove = cites["4"].items[0]
    assert (nove.prefix, nove.locator) == ("Quoted in", "174")
    stalin, cliff = cites["13"].items
    assert (stalin.locator, cliff.prefix, cliff.locator) == ("5", "quoted by", "121")
    lcw = [c.items[0] for c in cites.values() if c.items[0].key == "lenin-collected-works-26"][0]
    assert lcw.suppress_author and lcw.locator == "252"
    schapiro = [c.items[0] for c in cites.values() if c.items[0].key == "schapiro-communist-party"][0]
    assert (schapiro.locator, schapiro.suffix) == ("424", ", my emphasis")
    medvedev = [c.items[0] for c in cites.values() if c.items[0].suffix == ", 1976 edition"]
    assert len(medvedev) == 1 and medvedev[0].locator == "213-4"


def test_bibliography_has_one_entry_per_cited_work(book):
    cited = {item.key for _, c in book.citations() for item in c.items}
    assert cited == {ref.id for ref in book.references}
    assert len(book.references) == 34


def test_block_quotations(book):
    quotes = [b for b in chapter(book).blocks if isinstance(b, m.BlockQuote)]
    classes = [q.classes for q in quotes if q.classes]
    assert classes == [("epigraph",), ("epigraph", "dialogue"), ("epigraph",), ("poem",), ("dialogue",)]
    soviet_policy = next(i for i, b in enumerate(chapter(book).blocks) if isinstance(b, m.Heading) and "foreign" in b.id)
    epigraphs = chapter(book).blocks[soviet_policy + 1 : soviet_policy + 4]
    assert all(isinstance(b, m.BlockQuote) and "epigraph" in b.classes for b in epigraphs)
    # Each epigraph ends with its source, as a citation on its own.
    for epigraph in epigraphs:
        last = epigraph.blocks[-1]
        assert [type(n) for n in last.inlines] == [m.Cite]
    howard = epigraphs[1]
    assert len(howard.blocks) == 7 and m.plain_text(howard.blocks[1].inlines).startswith("Stalin: We never had")
    poem = next(q for q in quotes if "poem" in q.classes)
    assert len(poem.blocks) == 1
    assert sum(isinstance(n, m.LineBreak) for n in poem.blocks[0].inlines) == 12
    dialogue = next(q for q in quotes if q.classes == ("dialogue",))
    assert [m.plain_text(p.inlines).split(":")[0].strip('"') for p in dialogue.blocks[:4]] == [
        "Vyshinsky", "Muralov", "Vyshinsky", "Muralov"]
    # Quoted passages the author introduces with a colon are block quotations: 24 in all.
    assert len(quotes) == 24


def test_prose_words_are_the_authors(book):
    """Every word of the supplied text is in the model, in order (corrections.md applied)."""
    got: list[str] = []
    for block in chapter(book).blocks:
        got.extend(words(m.block_text(block)))
    want = seed_body_words()
    assert got == want


def test_ids_are_stable_across_loads(book):
    from pressroom.reader import load_book

    again = load_book(book.root)
    assert again == book
