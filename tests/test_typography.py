"""Typography from a table: (text, character before it) → expected text."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pressroom import model as m
from corpus_books import SHIPPED, corpus_names, source_of
from pressroom.typography import locale_for, mark_abbreviations, typogrify

NB = "\u00a0"
CASES = [
    ('"Yes," he said.', "", "\u201cYes,\u201d he said."),
    # a quotation is primary whichever straight quote was typed (was ‘lefts’ before the locale)
    ("the 'lefts' and the workers' state", "", "the \u201clefts\u201d and the workers\u2019 state"),
    ("'Socialism in \"one\" country'", "", "\u201cSocialism in \u2018one\u2019 country\u201d"),
    ("Stalin's \"Third Period\"", "", "Stalin\u2019s \u201cThird Period\u201d"),
    ("\"'I will not tell you,' she said.\"", "", "\u201c\u2018I will not tell you,\u2019 she said.\u201d"),
    ('" ends a quote', "d", "\u201d ends a quote"),  # after a word in the previous node: closing
    ('"opens', " ", "\u201copens"),
    ("individuals - the head", "", "individuals \u2013 the head"),
    ("carrion -", "", "carrion \u2013"),
    ("in 1927-28 and 1931-33", "", "in 1927\u201328 and 1931\u201333"),
    ("pp. 82-3", "", f"pp.{NB}82\u20133"),
    ("p. 38", "", f"p.{NB}38"),
    ("Vol. 27", "", f"Vol.{NB}27"),
    ("J. V. Stalin", "", f"J.{NB}V.{NB}Stalin"),
    ("I.S. Ganetsky", "", f"I.S.{NB}Ganetsky"),
    ("tempo somewhat...", "", "tempo somewhat\u2026"),
    ("May-June offensive, Stalin-Bukharin", "", "May-June offensive, Stalin-Bukharin"),
    ("two  spaces", "", "two spaces"),
    ("\u2014It was", "", "\u2014It was"),
    ("rock 'n' roll", "", "rock \u2018n\u2019 roll"),
]


@pytest.mark.parametrize("text, before, expected", CASES)
def test_typogrify(text, before, expected):
    """The cases in American English's marks (“…” ‘…’), which were every book's before the locale."""
    assert typogrify(text, before, locale_for("en-US")) == expected


NN = "\u202f"
SAID = '"Il dit \'non\' et part."'
# (language tag, SAID as its publishers set it): a quotation with a quotation inside it
LOCALES = [
    ("en-GB", "‘Il dit “non” et part.’"),
    ("en-US", "“Il dit ‘non’ et part.”"),
    ("en", "“Il dit ‘non’ et part.”"),
    ("fr-FR", f"«{NN}Il dit “non” et part.{NN}»"),
    ("fr-CA", f"«{NN}Il dit “non” et part.{NN}»"),
    ("de-DE", "„Il dit ‚non‘ et part.“"),
    ("de-CH", "«Il dit ‹non› et part.»"),
    ("es", "«Il dit “non” et part.»"),
    ("it-IT", "«Il dit “non” et part.»"),
    ("pt-PT", "«Il dit “non” et part.»"),
    ("pt-BR", "“Il dit ‘non’ et part.”"),
    ("nl", "“Il dit ‘non’ et part.”"),
    ("pl-PL", "„Il dit «non» et part.”"),
    ("ru", "«Il dit „non“ et part.»"),
    ("uk", "«Il dit „non“ et part.»"),
    ("cs", "„Il dit ‚non‘ et part.“"),
    ("sv-SE", "”Il dit ’non’ et part.”"),
    ("da", "»Il dit ›non‹ et part.«"),
    ("zz-Unknown", "“Il dit ‘non’ et part.”"),  # a language without a row: English's marks
]


@pytest.mark.parametrize("tag, expected", LOCALES)
def test_quotation_marks_by_language(tag, expected):
    assert typogrify(SAID, "", locale_for(tag)) == expected


@pytest.mark.parametrize("tag", ["de", "ru", "pl", "fr"])
def test_an_apostrophe_is_never_a_closing_quote(tag):
    """Between letters, or closing when no nested quotation is open, ' is the apostrophe ’ in every language."""
    assert typogrify("C'est l'âme, les ouvriers' mains", "", locale_for(tag)) == "C’est l’âme, les ouvriers’ mains"


FRENCH = [
    ('Il dit : "non" ; puis : vraiment ?', f"Il dit{NN}: «{NN}non{NN}»{NN}; puis{NN}: vraiment{NN}?"),
    ("Vraiment?! Non; jamais: non!", f"Vraiment{NN}?! Non{NN}; jamais{NN}: non{NN}!"),
    ("« déjà espacé »", f"«{NN}déjà espacé{NN}»"),
    ("à 10:30, voir https://example.org", "à 10:30, voir https://example.org"),  # no clause-ending colon
]


@pytest.mark.parametrize("text, expected", FRENCH)
def test_french_spaces_inside_guillemets_and_before_double_punctuation(text, expected):
    assert typogrify(text, "", locale_for("fr-FR")) == expected


def test_french_space_after_a_word_in_the_previous_node():
    """" :" after an index term or an italic word: the word is in the node before."""
    assert typogrify(" : la suite", "e", locale_for("fr")) == f"{NN}: la suite"
    assert typogrify(" : la suite", " ", locale_for("fr")) == " : la suite"


ABBREVIATIONS = [
    ("the GPU and the NKVD", (m.Text("the "), m.Abbr("GPU"), m.Text(" and the "), m.Abbr("NKVD"))),
    ("the SRs were", (m.Text("the "), m.Abbr("SR"), m.Text("s were"))),
    ("POUM's leaders", (m.Abbr("POUM"), m.Text("'s leaders"))),
    ("World War II", (m.Text("World War II"),)),
    ("A tragic", (m.Text("A tragic"),)),
]


@pytest.mark.parametrize("text, expected", ABBREVIATIONS)
def test_mark_abbreviations(text, expected):
    assert mark_abbreviations(text) == expected


def _typeset(markdown: str, language: str) -> m.Chapter:
    from pressroom.ids import IdAllocator
    from pressroom.markdown_reader import read_chapter
    from pressroom.typography import typeset_chapter

    chapter = read_chapter(f"# Title\n\n{markdown}".encode(), "a.md", "a", "body", "", IdAllocator())
    return typeset_chapter(chapter, language=language)


def _texts(root) -> list[str]:
    from pressroom.walk import query

    return [node.text for node in query(root, m.Text)]


def test_a_span_in_another_language_takes_its_marks_and_the_flow_resumes():
    """[…]{lang=fr} inside an English paragraph: French guillemets and spaces inside, English after."""
    chapter = _typeset('He said "so" and [elle dit "non" ; puis]{lang=fr} then "yes".', "en-GB")
    span = next(b for b in chapter.blocks[0].inlines if isinstance(b, m.Span))
    assert "".join(_texts(span)) == f"elle dit «{NN}non{NN}»{NN}; puis"
    assert "".join(_texts(chapter.blocks[0])) == (f"He said ‘so’ and elle dit «{NN}non{NN}»{NN}; puis then ‘yes’.")


def test_a_div_in_another_language_sets_its_blocks_in_its_marks():
    """::: {lang=de} in an English book: its paragraphs (and a span inside in Russian) in their
    languages' marks; the paragraphs around in English."""
    chapter = _typeset('"Before."\n\n::: {lang=de}\n"Guten Tag," sagte er. [Он сказал "да"]{lang=ru}.\n:::\n\n"After."\n',
                       "en-GB")
    texts = "|".join(_texts(chapter))
    assert texts.startswith("Title|‘Before.’|")
    assert "„Guten Tag,“ sagte er. " in texts
    assert "Он сказал «да»" in texts
    assert texts.endswith("|‘After.’")


@pytest.mark.parametrize("name", [*corpus_names(), SHIPPED])
def test_the_plain_text_then_the_citing_text_sets_what_the_whole_chapter_sets(name):
    """The driver typesets a chapter's text that holds no citation while pandoc prints the citations
    (index terms marked first), and the runs that hold one after they are filled in. On every corpus
    book and the shipped book, that gives what filling in, marking, then typesetting it whole gives."""
    from pressroom import pipeline
    from pressroom.citations import fill_citations, print_citations
    from pressroom.indexing import index_spellings, mark_index_terms
    from pressroom.memo import NO_MEMO
    from pressroom.typography import typeset_chapter

    read = pipeline._read(source_of(name), NO_MEMO, lenient=False)
    citing = pipeline.citation_inputs(read)
    printed = print_citations(*citing) if citing else None
    book = read.book
    spellings = index_spellings(book.index_terms)
    typeset_as = (book.settings.abbreviations, book.metadata.language, book.settings.hyphenation)
    compared = 0
    for ref, found in zip(read.chapters, read.facts):
        chapter = pipeline._value(ref)

        def filled(c: m.Chapter) -> m.Chapter:
            if printed is None:
                return c
            return fill_citations(c, {cite.id: printed.rendered[cite.id] for cite in found.cites}, printed.note_style)

        marked = mark_index_terms(chapter, spellings)[0]
        plain = typeset_chapter(marked, *typeset_as, "plain")
        got = typeset_chapter(filled(plain), *typeset_as, "citing")
        # The two passes set exactly what one pass sets on the same chapter ...
        assert got == typeset_chapter(filled(marked), *typeset_as), chapter.source
        # ... and marking before the filling marks what marking after it does. The texts may be cut
        # in other places: a note style's calls join the texts of their run (as the reader makes
        # them), which a mark made after the filling cuts again.
        whole = typeset_chapter(mark_index_terms(filled(chapter), spellings)[0], *typeset_as)
        assert joined(got) == joined(whole), chapter.source
        compared += bool(found.cites)
    assert compared or printed is None


def joined(root):
    """``root`` with the adjacent texts of every inline sequence joined into one."""
    from pressroom.citations import _joined_texts
    from pressroom.walk import walk_inline_sequences

    return walk_inline_sequences(root, lambda inlines: _joined_texts(list(inlines)))


# The typography's patterns in their plain form: what the fast forms in typography.py must match.
# name → (the plain pattern, its replacement, the fast form's replacement)
PLAIN_PATTERNS = {
    "_SPACED_HYPHEN": (r"(?<=\s)-(?=\s|$)|^-(?=\s)", "\u2013", "\u2013"),
    "_RANGE": (r"(?<=\d)-(?=\d)", "\u2013", "\u2013"),
    "_ABBREVIATED_NUMBER": (r"\b(p|pp|Vol|vol|Vols|vols|No|no|ch|Ch|chap)\. (?=[\divxlcIVXLC])", "\\1.\u00a0", ".\u00a0"),
    "_INITIAL": (r"\b([A-Z])\. (?=[A-Z])", "\\1.\u00a0", ".\u00a0"),
    "_DOUBLE_SPACE": (r"(?<=\S) {2,}(?=\S)", " ", " "),
}
PIECES = st.lists(st.sampled_from(["p", "pp", "Vol", "vols", "No", "ch", "chap", "x", "A", "B", ". ", ".", " ", "  ",
                                   "-", "3", "iv", "X", "é", "_", "\n", "\t", "\u00a0", "1931", "–"]), max_size=14).map("".join)


@given(PIECES)
@settings(max_examples=1500, deadline=None)
def test_the_fast_patterns_replace_what_their_plain_forms_replace(text):
    import re

    from pressroom import typography

    for name, (plain, replacement, fast_replacement) in PLAIN_PATTERNS.items():
        assert getattr(typography, name).sub(fast_replacement, text) == re.sub(plain, replacement, text), name


@given(st.lists(st.sampled_from(["A", "B", "GPU", "SRs", "s", "x", "1", "_", " ", "é", "É", "-", "IV", "3D"]),
                max_size=12).map("".join))
@settings(max_examples=1000, deadline=None)
def test_the_fast_acronym_pattern_finds_what_its_plain_form_finds(text):
    import re

    from pressroom.typography import _ACRONYM

    plain = re.compile(r"\b([A-Z][A-Z0-9]*[A-Z][A-Z0-9]*)(?=s?\b)")
    assert [(found.span(), found.group(1)) for found in _ACRONYM.finditer(text)] == \
        [(found.span(), found.group(1)) for found in plain.finditer(text)]
