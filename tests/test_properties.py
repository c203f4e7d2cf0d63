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
ODD = st.sampled_from(["\u0301", "\u05d0\u05d1", "\u200f", "\u202e", "\U0001f600", "\u00a0", "\u2028", "\ufeff",
                       "\x00", "\x1b", "\x0c", "\ud7ff", "\U0010fffd", "e\u0301", "\u0627\u0644"])
PRINTABLE = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=12)
TEXT = st.lists(st.one_of(st.sampled_from(MARKDOWN_BITS), PRINTABLE, PRINTABLE, ODD), max_size=40).map("".join)
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
