"""Property tests: arbitrary Markdown and odd Unicode through the reader and the EPUB writer.

Whatever the text, the result is either a clear user error or an EPUB whose every
XHTML document is well-formed XML. Nothing crashes.
"""

import datetime as dt
import io
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from bookmaker import make_book
from pressroom.errors import PressroomError
from pressroom.memo import Memo
from pressroom.pipeline import prepare_book
from pressroom.writers import WriteOptions
from pressroom.writers.epub import write_epub

MARKDOWN_BITS = ["# ", "## ", "> ", "{.poem}\n", "- ", "1. ", "*", "**", "_", "`", "```\n", "[", "]", "(", ")",
                 "[^n]", "[^n]: ", "[@nove-economic-history, p. 3]", "[-@trotsky-revolution-betrayed]", "@", "\\",
                 "\n", "\n\n", "  \n", "<", ">", "&", "&amp;", "&#0;", "\"", "'", " - ", "...", "---\n", "![x](y.png)",
                 "<b>", "</b>", "<!-- c -->", "GPU", "p. 38", "1931-33"]
# Hostile characters (issue 19): separators (a space then U+2029 crashed WeasyPrint), C0 and C1 controls,
# noncharacters, a byte order mark, pandoc inline notes.
HOSTILE = ["\u2029", " \u2029", "\u2028", "\u0085", "\x80", "\x9f", "\x7f", "\ufffe", "\ufeff", "^[", "^[an inline note]",
           "\u200b", "\u2060", "\u061c", "\u2066", "\u2069"]
ODD = st.sampled_from(["\u0301", "\u05d0\u05d1", "\u200f", "\u202e", "\U0001f600", "\u00a0", "\u2028", "\ufeff",
                       "\x00", "\x1b", "\x0c", "\ud7ff", "\U0010fffd", "e\u0301", "\u0627\u0644", *HOSTILE])
# Deep nesting: block quotations and lists up to past the limit, brackets and emphasis piled up.
DEEP = st.one_of(st.integers(1, 80).map(lambda n: "\n" + "> " * n), st.integers(1, 80).map(lambda n: "\n" + "  " * n + "- "),
                 st.integers(1, 200).map(lambda n: "[" * n), st.integers(1, 200).map(lambda n: "*" * n))
PRINTABLE = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)
TEXT = st.lists(st.one_of(st.sampled_from(MARKDOWN_BITS), PRINTABLE, PRINTABLE, ODD, DEEP), max_size=40).map("".join)
MEMO = Memo()  # in memory, shared by the examples as the preview's is by its rebuilds
WHEN = dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(body=TEXT)
def test_any_markdown_gives_a_clear_error_or_wellformed_xhtml(tmp_path_factory, body):
    root = make_book(tmp_path_factory.mktemp("prop"), {"a.md": "# Title\n\n" + body + "\n"})
    try:
        book = prepare_book(root, MEMO)
        data = next(iter(write_epub(book, None, WriteOptions(modified=WHEN)).files.values()))
    except PressroomError as exc:
        assert str(exc).strip()
        return
    archive = zipfile.ZipFile(io.BytesIO(data))
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    for name in archive.namelist():
        if name.endswith((".xhtml", ".opf", ".ncx")):
            etree.fromstring(archive.read(name), parser)  # raises if not well-formed


# Every word kept: marker words among Markdown, hostile characters and deep nesting. The bits that
# legitimately drop text are left out (a footnote defined but never called, raw HTML is refused).
KEEPING_BITS = [b for b in MARKDOWN_BITS if b not in ("[^n]: ", "<!-- c -->", "<b>", "</b>", "<", "```\n")]
MARKERS = [f"zq{n}v" for n in range(12)]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(pieces=st.lists(st.one_of(st.sampled_from(KEEPING_BITS), ODD, DEEP, st.sampled_from(MARKERS)), max_size=40))
def test_hostile_markdown_keeps_every_word(tmp_path_factory, pieces):
    from bookmaker import CONFIG

    body = " ".join(pieces)
    root = make_book(tmp_path_factory.mktemp("keep"), {"a.md": "# Title\n\n" + body + "\n"},
                     config=CONFIG.format(body='["a.md"]') + "\n[epub]\nprint_page_numbers = false\n")
    try:
        book = prepare_book(root, MEMO)
        data = next(iter(write_epub(book, None, WriteOptions(modified=WHEN)).files.values()))
    except PressroomError as exc:
        assert str(exc).strip()
        return
    archive = zipfile.ZipFile(io.BytesIO(data))
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    words = ""
    for name in archive.namelist():
        if name.endswith(".xhtml"):
            tree = etree.fromstring(archive.read(name), parser)
            words += " ".join(tree.itertext()) + " " + " ".join(str(v) for v in tree.xpath("//@href | //@class"))
    for marker in set(pieces) & set(MARKERS):
        assert marker in words, (marker, body)
