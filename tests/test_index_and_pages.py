"""The index of names (EPUB Indexes 1.0 and the PDF's back matter) and the print page numbers in the EPUB."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from epubtools import NS, Epub, build, copy_book

MM = 72 / 25.4


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    book = copy_book(tmp_path_factory.mktemp("book"))
    result = build(book)  # both formats: the PDF first, its layout gives the EPUB its page numbers
    assert result.returncode == 0, result.stderr
    return book


@pytest.fixture(scope="module")
def finished(built):
    from pressroom.build import prepare_book

    return prepare_book(built)


@pytest.fixture(scope="module")
def epub(built):
    return Epub(built / "dist" / "russia-part-three.epub")


@pytest.fixture(scope="module")
def pdf(built):
    import pypdf
    import pypdfium2

    path = built / "dist" / "russia-part-three.pdf"
    return pypdf.PdfReader(path), pypdfium2.PdfDocument(path)


def _folio(pdf, index: int) -> str:
    reader, pdfium = pdf
    left, bottom, right, _ = (float(v) for v in reader.pages[index].trimbox)
    return pdfium[index].get_textpage().get_text_bounded(left, bottom, right, bottom + 14 * MM).strip()


def _ids(epub):
    out = {}
    for name in epub.documents():
        out[name.rsplit("/", 1)[1]] = {e.get("id") for e in epub.xml(name).xpath("//*[@id]")}
    return out


def test_sample_index_has_people_and_organisations(finished):
    terms = {e.term: e for e in finished.index}
    for name in ("Stalin, Joseph", "Trotsky, Leon", "Bukharin, Nikolai", "Kirov, Sergei", "Khrushchev, Nikita",
                 "Communist International", "POUM", "CNT", "GPU"):
        assert terms[name].locators, name
    assert [s.term for s in terms["Communist International"].subentries] == ["Second Congress", "Seventh Congress"]
    assert terms["NKVD"].see == "GPU" and terms["Comintern"].see == "Communist International"
    assert terms["Communist International"].see_also == ("Popular Front",)
    # A plain name match needs no edit of the chapter: the manuscript has no inline marks.
    from seed import ROOT

    assert "{.index" not in (ROOT / "manuscript" / "from-five-year-plan-to-the-purges.md").read_text()
    assert [e.term for e in finished.index] == sorted((e.term for e in finished.index),
                                                      key=lambda t: re.sub(r"[^\w\s,]", "", t.casefold()))


def test_epub_index_follows_epub_indexes_and_every_locator_resolves(epub):
    doc = epub.xml("EPUB/text/index.xhtml")
    section = doc.xpath("//x:section[@epub:type='index']", namespaces=NS)
    assert len(section) == 1 and section[0].get("role") == "doc-index"
    entries = doc.xpath("//x:li[@epub:type='index-entry']", namespaces=NS)
    assert len(entries) > 40
    assert all(e.xpath("./x:span[@epub:type='index-term']", namespaces=NS) for e in entries)
    ids = _ids(epub)
    locators = doc.xpath("//x:a[@epub:type='index-locator']/@href", namespaces=NS)
    assert len(locators) > 200
    for href in locators:
        name, fragment = href.split("#")
        assert name == "from-five-year-plan-to-the-purges.xhtml" and fragment in ids[name], href
        assert fragment.startswith("ix-")
    for href in doc.xpath("//x:span[starts-with(@epub:type, 'index-xref')]/x:a/@href", namespaces=NS):
        assert href.lstrip("#") in ids["index.xhtml"], href
    nav = epub.xml("EPUB/text/nav.xhtml")
    assert "index" in nav.xpath("//x:nav[@epub:type='landmarks']//x:a/@epub:type", namespaces=NS)
    # With the print edition's page breaks, each locator shows the print page its place stands on.
    page_at = _epub_mark_pages(epub)
    for link in doc.xpath("//x:a[@epub:type='index-locator']", namespaces=NS):
        assert link.text == page_at[link.get("href").split("#")[1]]
    stalin = doc.xpath("//x:li[x:span='Stalin, Joseph']/x:a[@epub:type='index-locator']/text()", namespaces=NS)
    assert stalin == sorted(set(stalin), key=int) and len(stalin) > 30


def _printed_index(pdf) -> dict[str, str]:
    """Index entry term → the page list printed after it, from the PDF's index pages."""
    reader, _ = pdf
    start = next(i for i, p in enumerate(reader.pages) if (p.extract_text() or "").startswith("Index"))
    text = " ".join((p.extract_text() or "") for p in reader.pages[start:])
    text = re.sub(r"\s+", " ", text.replace("\u00a0", " "))
    return re.sub("\u2013 ", "\u2013", text)  # a range broken at its dash


def _epub_mark_pages(epub) -> dict[str, str]:
    """Index mark id → the print page the EPUB's page markers put it on (a note's: its call's)."""
    chapter = epub.xml("EPUB/text/from-five-year-plan-to-the-purges.xhtml")
    page_at, call_page = {}, {}
    page = ""
    epub_type = "{http://www.idpf.org/2007/ops}type"
    for element in chapter.iter():
        if element.get(epub_type) == "pagebreak":
            page = element.get("aria-label")
        elif element.get(epub_type) == "noteref":
            call_page[element.get("href").lstrip("#")] = page
        elif element.get("class") == "ix":
            aside = element.xpath("ancestor::x:aside", namespaces=NS)
            page_at[element.get("id")] = call_page[aside[0].get("id")] if aside else page
    return page_at


def _indexed_words(book) -> dict[str, str]:
    """Index mark id → the word it stands before in the finished text."""
    from pressroom import model as m
    from pressroom.walk import iter_nodes

    words, waiting = {}, []
    for chapter in book.chapters:
        for node in iter_nodes(chapter.blocks + chapter.notes):
            if isinstance(node, m.IndexMark):
                waiting.append(node.id)
            elif isinstance(node, (m.Text, m.Abbr)) and waiting and re.search(r"\w", node.text):
                for mark in waiting:
                    words[mark] = re.search(r"\w+", node.text).group()
                waiting = []
    return words


def test_pdf_index_pages_hold_the_words_indexed(pdf, finished, epub):
    """The PDF's index lists the pages of the EPUB's page markers (both from the one layout), and
    every page it names holds, in its text, at least as many of each indexed word as it claims."""
    from collections import Counter

    from pressroom.layout import page_ranges

    page_at = _epub_mark_pages(epub)
    text = _printed_index(pdf)
    checked = 0
    for entry in finished.index:
        if not entry.locators:
            continue
        pages = []
        for mark in entry.locators:
            if page_at[mark] not in [p for p, _ in pages]:
                pages.append((page_at[mark], mark))
        printed = ", ".join(label for label, _ in page_ranges({"x": pages})["x"])
        assert f"{entry.term}, {printed}" in text, (entry.term, printed)
        checked += 1
    assert checked > 40
    assert re.search(r", \d+\u2013\d+", text)  # consecutive pages joined as ranges

    reader, pdfium = pdf
    body = {}  # folio → the page's text below the running head and above the folio, lines joined
    carried = {}  # folio → the start of a word hyphenated at the foot of the page before
    previous = ""
    for index in range(len(reader.pages)):
        folio = _folio(pdf, index)
        if folio.isdigit():
            left, bottom, right, top = (float(v) for v in reader.pages[index].trimbox)
            page_text = pdfium[index].get_textpage().get_text_bounded(left, bottom + 14 * MM, right, top - 14 * MM)
            body[folio] = re.sub(r"\s+", " ", re.sub("\u2010\r?\n", "", page_text))
            carried[folio] = previous
            split = re.search(r"(\w+)\u2010\s*$", body[folio])
            previous = split.group(1) if split else ""
    words = _indexed_words(finished)
    claimed = Counter((page_at[mark], words[mark]) for mark in page_at)
    assert sum(claimed.values()) > 500
    short = []
    for (folio, word), count in sorted(claimed.items()):
        found = len(re.findall(rf"\b{re.escape(word)}(?![^\W\d_])", body[folio]))  # a note call may follow
        # A word hyphenated across a page break counts on the page where it ends.
        end = re.match(r"\w+", body[folio])
        found += bool(carried[folio] and end and carried[folio] + end.group() == word)
        if found < count:
            short.append((folio, word, count, found))
    assert short == []


def test_pdf_index_links_go_to_their_pages(pdf):
    reader, _ = pdf
    dests = reader.named_destinations
    start = next(i for i, p in enumerate(reader.pages) if (p.extract_text() or "").startswith("Index"))
    targets = [annot.get_object()["/Dest"] for page in reader.pages[start:]
               for annot in page.get("/Annots") or [] if "/Dest" in annot.get_object()]
    pages = {str(t) for t in targets if str(t).startswith("page.")}
    assert len(pages) > 50
    assert all(str(t).startswith(("page.", "ixe-")) for t in targets)  # a page, or a "see" entry
    for target in pages:
        assert target in dests and _folio(pdf, reader.get_destination_page_number(dests[target])) == target.removeprefix("page.")


def test_epub_page_markers_follow_the_pdf(epub, pdf):
    reader, pdfium = pdf
    doc = epub.xml("EPUB/text/from-five-year-plan-to-the-purges.xhtml")
    markers = doc.xpath("//x:span[@epub:type='pagebreak']", namespaces=NS)
    labels = [m.get("aria-label") for m in markers]
    assert all(m.get("role") == "doc-pagebreak" and m.get("id") == f"page-{m.get('aria-label')}" for m in markers)
    # One marker per page of the text: from the chapter opener to the page before the bibliography.
    texts = [p.extract_text() or "" for p in reader.pages]
    opener = next(i for i, t in enumerate(texts) if t.startswith("From Five-Year Plan to the Purges"))
    bibliography = next(i for i, t in enumerate(texts) if t.startswith("Bibliography"))
    body_pages = [_folio(pdf, i) or str(i - opener + 1) for i in range(opener, bibliography)]
    assert labels == [str(n) for n in range(1, len(body_pages) + 1)]
    # A sample of markers sits where that PDF page's first words are.
    for n in (2, 5, 17, 33, len(labels) - 1):
        index = opener + n - 1
        left, bottom, right, top = (float(v) for v in reader.pages[index].trimbox)
        page_text = pdfium[index].get_textpage().get_text_bounded(left, bottom + 14 * MM, right, top - 14 * MM)
        first_words = re.findall(r"\w+", page_text)[:3]
        marker = doc.xpath(f"//x:span[@id='page-{n}']", namespaces=NS)[0]
        after = "".join(marker.xpath("following::text()")[:6])
        got = re.findall(r"\w+", after)
        # The page may start inside a word hyphenated on the page before: the marker is before that word.
        assert got[0].endswith(first_words[0]) and got[1:3] == first_words[1:3], (n, first_words, got[:6])
    nav = epub.xml("EPUB/text/nav.xhtml")
    page_list = nav.xpath("//x:nav[@epub:type='page-list']//x:a/text()", namespaces=NS)
    assert page_list == labels
    opf = epub.xml("EPUB/content.opf")
    features = opf.xpath("//opf:meta[@property='schema:accessibilityFeature']/text()", namespaces=NS)
    assert {"printPageNumbers", "pageBreakMarkers", "pageNavigation"} <= set(features)
    assert opf.xpath("//opf:meta[@property='pageBreakSource']/text()", namespaces=NS)


def test_page_numbers_agree_everywhere(built, finished, epub):
    """The shipped book: folios, /PageLabels, the contents, the "Cited on" lists and the EPUB's
    page-list all come from the one definition of page numbers (see tests/pagecheck.py)."""
    from pagecheck import Printed, check_cited_on, check_contents, check_labels_and_folios, check_page_list

    printed = Printed(built / "dist" / "russia-part-three.pdf")
    check_labels_and_folios(printed, finished)
    check_contents(printed, finished)
    check_cited_on(printed, finished)
    nav = epub.xml("EPUB/text/nav.xhtml")
    check_page_list(printed, finished, nav.xpath("//x:nav[@epub:type='page-list']//x:a/text()", namespaces=NS))


SPELLING_PIECES = ["a", "b", "ab", "é", " ", "-", "_", "1", "Ä"]


@given(st.lists(st.lists(st.sampled_from(SPELLING_PIECES), min_size=1, max_size=3).map("".join), min_size=1, max_size=5),
       st.lists(st.sampled_from(SPELLING_PIECES + [".", "\n"]), max_size=16).map("".join))
@settings(max_examples=1500, deadline=None)
def test_index_spellings_are_found_where_the_plain_pattern_finds_them(spellings, text):
    """indexing._matches checks the look-behind itself (for speed): it finds what the plain pattern finds."""
    from pressroom.indexing import _matches

    alternatives = "|".join(re.escape(s) for s in sorted(set(spellings), key=len, reverse=True))
    plain = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)")
    fast = re.compile(rf"(?:{alternatives})(?!\w)")
    assert [found.span() for found in _matches(fast, text)] == [found.span() for found in plain.finditer(text)]
