"""Ids and links in a book of odd headings: headings in quotations, list items and notes, repeated
titles, titles that look like generated ids ("Page 1", "Ref Nove", "Note 1", "Index",
"Bibliography"), links within a chapter, across chapters and to chapter files. The EPUB passes
EPUBCheck, every link lands on an id of its target file (EPUB, preview) or on a named destination
(PDF), and a link to nothing is reported with its file and line."""

import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pypdf
import pytest

from bookmaker import REFS, make_book
from epubtools import NS, Epub, build, epubcheck

CONFIG = """\
[book]
title = "Odd Headings"
author = "Ann Author"
language = "en-GB"
identifier = "urn:uuid:00000000-0000-4000-8000-000000000012"
publisher = "Test Press"

[contents]
body = [{ part = "Page 2", chapters = ["one.md", "two.md"] }, "index.md"]

[bibliography]
file = "refs.json"

[index]
file = "index.toml"
"""

ONE = """\
# One

Links: [the second chapter](two.md), [its section](two.md#a-section),
[a deep heading](#deep-heading), [Page 1](#page-1), [the bibliography](#bibliography),
[Nove's book](#ref-nove), [the index](#index), [Stalin](#ixe-stalin),
[the web](https://example.org/x) and [mail](mailto:ann@example.org).

## Page 1

Stalin cited [@nove, p. 3].[^n1]

## Ref Nove

Text.

## Note 1

## Index

## Bibliography

## Page 2

## Notes

> ## Quoted Heading
>
> A quotation.

- ## Listed Heading

  Item text.
- A plain item.

[^n1]: A note with a heading below.

    ## Heading In Note

    More note text.
"""

TWO = """\
# Two

## A Section

Back to [one](one.md), [its quoted heading](one.md#quoted-heading),
[Page 1 by its id](#h-page-1), [the heading in the note](#heading-in-note),
[the chapter in index.md](index.md) and [its title](#title-h-index),
[a listed heading](#listed-heading).
A key with a colon [@smith:2001] and [Smith's entry](#ref-smith:2001).

## Notes

### Deep Heading

> ## Notes
"""

INDEX_CHAPTER = """\
# The Index Chapter

Stalin again [@trotsky-revolution-betrayed]; back to [Note 1](one.md#note-1).

## Notes
"""

# link text → where it lands in the EPUB (from the file it stands in)
EXPECTED_EPUB = {
    "the second chapter": "two.xhtml",
    "its section": "two.xhtml#a-section",
    "a deep heading": "two.xhtml#deep-heading",
    "Page 1": "#h-page-1",
    "the bibliography": "bibliography.xhtml",
    "Nove\u2019s book": "bibliography.xhtml#ref-nove",
    "the index": "index.xhtml",
    "Stalin": "index.xhtml#ixe-stalin",
    "the web": "https://example.org/x",
    "mail": "mailto:ann@example.org",
    "one": "one.xhtml",
    "its quoted heading": "one.xhtml#quoted-heading",
    "Page 1 by its id": "one.xhtml#h-page-1",
    "the heading in the note": "one.xhtml#heading-in-note",
    "the chapter in index.md": "h-index.xhtml",
    "its title": "h-index.xhtml#title-h-index",
    "a listed heading": "one.xhtml#listed-heading",
    "Smith’s entry": "bibliography.xhtml#ref-smith.3a2001",  # a colon is no part of an XML id
    "Note 1": "one.xhtml#h-note-1",
}

# heading text → its id: never empty, never a generated form, unique in the book
EXPECTED_HEADINGS = {
    ("one", "Page 1"): "h-page-1",
    ("one", "Ref Nove"): "h-ref-nove",  # "ref-nove" is the bibliography entry of the key "nove"
    ("one", "Note 1"): "h-note-1",
    ("one", "Index"): "index-2",  # "index" is the index, "h-index" the chapter index.md
    ("one", "Bibliography"): "h-bibliography",
    ("one", "Page 2"): "h-page-2-2",  # "h-page-2" is the part "Page 2"
    ("one", "Notes"): "notes",
    ("one", "Quoted Heading"): "quoted-heading",
    ("one", "Listed Heading"): "listed-heading",
    ("one", "Heading In Note"): "heading-in-note",
    ("two", "A Section"): "a-section",
    ("two", "Deep Heading"): "deep-heading",
    ("h-index", "Notes"): "notes-4",
}

REFERENCES = [*REFS, {"id": "nove", "type": "book", "author": [{"family": "Nove", "given": "Alec"}],
                      "title": "Stalinism and After"},
              {"id": "smith:2001", "type": "book", "author": [{"family": "Smith", "given": "Adam"}],
               "title": "A Key with a Colon"}]


def write_book(root: Path, extra: str = "") -> Path:
    make_book(root, {"one.md": ONE, "two.md": TWO + extra, "index.md": INDEX_CHAPTER}, CONFIG, REFERENCES)
    (root / "manuscript" / "index.toml").write_text('[[entry]]\nterm = "Stalin"\n', encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = write_book(tmp_path_factory.mktemp("odd"))
    result = build(root)
    assert result.returncode == 0, result.stderr
    return root


@pytest.fixture(scope="module")
def epub(built):
    return Epub(built / "dist" / "odd-headings.epub")


def _ids(doc) -> list[str]:
    return doc.xpath("//@id")


def test_epubcheck_reports_nothing(epub):
    report = epubcheck(epub.path)
    assert (report["checker"]["nFatal"], report["checker"]["nError"], report["checker"]["nWarning"]) == (0, 0, 0), \
        report["messages"]


def test_every_id_is_non_empty_and_unique_in_the_whole_book(epub):
    every = [i for name in epub.documents() for i in _ids(epub.xml(name))]
    assert "" not in every
    assert [i for i, n in Counter(every).items() if n > 1] == []
    headings = [h for name in epub.documents() for h in epub.xml(name).xpath("//x:section[@id]//x:h2 | "
                                                                              "//x:section[@id]//x:h3", namespaces=NS)]
    assert headings and all(h.get("id") for h in headings if h.get("class") != "footnotes-title")


def test_headings_get_their_ids_wherever_they_stand(epub):
    found = {}
    for name in epub.documents():
        doc = epub.xml(name)
        for section in doc.xpath("//x:section[contains(@class, 'chapter')]", namespaces=NS):
            for heading in section.xpath(".//x:h2[@id] | .//x:h3[@id]", namespaces=NS):
                found[(section.get("id"), "".join(heading.itertext()))] = heading.get("id")
    assert {key: found.get(key) for key in EXPECTED_HEADINGS} == EXPECTED_HEADINGS
    # The generated ids the headings would have collided with are there, and are theirs.
    breaks = [t for name in epub.documents()
              for t in epub.xml(name).xpath("//x:span[@id='page-1']/@epub:type", namespaces=NS)]
    assert breaks == ["pagebreak"]  # on the part's title page: the body is numbered from 1 there
    bibliography = epub.xml("EPUB/text/bibliography.xhtml")
    assert bibliography.xpath("//x:li[@id='ref-nove']/@class", namespaces=NS) == ["reference"]


def test_links_land_where_the_author_meant(epub):
    hrefs = {}
    for name in ("one", "two", "h-index"):
        doc = epub.xml(f"EPUB/text/{name}.xhtml")
        for a in doc.xpath("//x:p//x:a[not(@class)]", namespaces=NS):
            hrefs["".join(a.itertext())] = a.get("href")
    assert {text: hrefs.get(text) for text in EXPECTED_EPUB} == EXPECTED_EPUB


def test_every_href_fragment_resolves_in_its_target_file(epub):
    ids = {name: set(_ids(epub.xml(name))) for name in epub.documents()}
    checked = 0
    for name in epub.documents():
        for href in epub.xml(name).xpath("//x:a/@href", namespaces=NS):
            parts = urlsplit(href)
            if parts.scheme:
                continue
            target = str(Path(name).parent / parts.path) if parts.path else name
            target = re.sub(r"[^/]+/\.\./", "", target)
            assert target in ids, (name, href)
            assert not parts.fragment or parts.fragment in ids[target], (name, href)
            checked += 1
    assert checked > 40


def test_pdf_internal_links_all_reach_a_destination(built):
    reader = pypdf.PdfReader(built / "dist" / "odd-headings.pdf")
    destinations = set(reader.named_destinations)
    linked, uris = set(), set()
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            action = annot.get("/A") or {}
            if action.get("/S") == "/URI":
                uris.add(str(action["/URI"]))
                continue
            dest = annot.get("/Dest") if "/Dest" in annot else action.get("/D")
            assert dest is not None, annot
            assert str(dest) in destinations, dest
            linked.add(str(dest))
    written = {href.split("#")[-1] or href.removesuffix(".xhtml") for href in EXPECTED_EPUB.values()
               if ":" not in href}
    pdf_targets = {t.removesuffix(".xhtml") for t in written}
    assert pdf_targets <= linked, pdf_targets - linked
    assert uris == {"https://example.org/x", "mailto:ann@example.org"}


def test_preview_links_reach_a_page_and_an_id_on_it(built):
    from pressroom.preview import PreviewSite

    site = PreviewSite(built)
    assert site.rebuild(), site.state.error
    pages = {url: body.decode("utf-8") for url, body in site.snapshot[0].items()}
    checked = 0
    for url in ("/chapter/one", "/chapter/two", "/chapter/h-index"):
        text = pages[url].split("<main>", 1)[1]  # the chapter, not the bar above it
        for href in re.findall(r'<a [^>]*href="([^"]*)"', text):
            parts = urlsplit(href.replace("&amp;", "&"))
            if parts.scheme:
                continue
            assert parts.path in pages, href
            if parts.fragment:
                assert f'id="{parts.fragment}"' in pages[parts.path], href
            checked += 1
    assert checked >= len(EXPECTED_EPUB) - 2


BROKEN = """
A [broken link](#no-such-heading) and [a file](three.md#x),
then a [near miss](#deep-headin), an [empty]() one
and [one to the wrong chapter](one.md#deep-heading).
"""


def test_links_to_nothing_are_reported_with_file_and_line(tmp_path):
    root = write_book(tmp_path, BROKEN)
    first = TWO.count("\n") + 2  # the line of BROKEN's first text
    result = build(root, "--format", "epub")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    lines = [line.strip() for line in result.stderr.splitlines()]
    assert f"manuscript/two.md:{first}: error M013: the link '#no-such-heading' names no heading or other id " \
           "of the book" in lines
    assert any(line.startswith(f"manuscript/two.md:{first}: error M013: the link 'three.md#x' points to three.md, "
                               "which is not a chapter") for line in lines)
    assert f"manuscript/two.md:{first + 1}: error M013: the link '#deep-headin' names no heading or other id " \
           "of the book; did you mean #deep-heading?" in lines
    assert any(line.startswith(f"manuscript/two.md:{first + 1}: error M013: the link '' points to nothing")
               for line in lines)
    assert any(line.startswith(f"manuscript/two.md:{first + 2}: error M013: the link 'one.md#deep-heading' names "
                               "no heading or other id of manuscript/one.md") for line in lines)
    assert not (root / "dist").exists()

    check = subprocess.run([sys.executable, "-m", "pressroom", "check", "--book", str(root), "--format", "json"],
                           capture_output=True, text=True)
    assert check.returncode == 1
    found = [(f["code"], f["file"], f["line"]) for f in json.loads(check.stdout)["findings"] if f["code"] == "M013"]
    assert found == [("M013", "manuscript/two.md", line) for line in (first, first, first + 1, first + 1, first + 2)]


# (chapter a.md, where the link to nothing is: line, words of the message); b.md is "# B\n\n## Known\n"
DANGLING = [
    ("# A [see](#nowhere)\n\nText.\n", 1, "'#nowhere' names no heading"),
    ("# A\n\nOne\ntwo [x](#nowhere)\n", 4, "'#nowhere' names no heading"),
    ("# A\n\n> quoted\n> [x](b.md#unknown)\n", 4, "no heading or other id of manuscript/b.md"),
    ("# A\n\n- item\n- [x](c.md)\n", 4, "c.md, which is not a chapter"),
    ("# A\n\nText.[^n]\n\n[^n]: A note\n    with [x](#nowhere).\n", 6, "'#nowhere' names no heading"),
    ("# A\n\n[x](www.example.org)\n", 3, "a web address needs its https://"),
    ("# A\n\n[x](#)\n", 3, "points to nothing"),
    ("# A\n\n[x](b.md?q=1#known)\n", 3, "has a query"),
    ("# A\n\n[x](#page-1)\n", 3, "'#page-1' names no heading"),  # page breaks are no link targets
    ("# A\n\n[x](#ix-a-1)\n", 3, "'#ix-a-1' names no heading"),  # nor index marks (the PDF has none)
]
# (chapter a.md, each internal link → the id it lands on)
RESOLVED = [
    ("# A\n\n[x](#known) [y](b.md) [z](b.md#known) [w](./b.md#title-b)\n",
     {"#known": "known", "b.md": "b", "b.md#known": "known", "./b.md#title-b": "title-b"}),
    ("# A\n\n[x](https://example.org) [y](mailto:a@example.org) [z](ftp://example.org/f)\n", {}),
    ("# A\n\n## Page 1\n\n[x](#page-1) [y](#h-page-1) [z](a.md#page-1)\n",
     {"#page-1": "h-page-1", "#h-page-1": "h-page-1", "a.md#page-1": "h-page-1"}),
    ("# A\n\n[x](#ref-nove-economic-history) [y](#bibliography) [@nove-economic-history]\n",
     {"#ref-nove-economic-history": "ref-nove-economic-history", "#bibliography": "bibliography"}),
    ("# A\n\n[x](#known%2Dnot) [y](#%6Bnown)\n\n## Known Not\n", {"#known%2Dnot": "known-not", "#%6Bnown": "known"}),
]


@pytest.mark.parametrize("text, line, words", DANGLING, ids=[f"dangling-{n}" for n in range(len(DANGLING))])
def test_each_link_to_nothing_is_found_where_it_stands(tmp_path, text, line, words):
    from pressroom.lint import lint_book

    root = make_book(tmp_path, {"a.md": text, "b.md": "# B\n\n## Known\n"})
    found = [f for f in lint_book(root) if f.code == "M013"]
    assert [(f.file, f.line, f.severity) for f in found] == [("manuscript/a.md", line, "error")], found
    assert words in found[0].message


@pytest.mark.parametrize("text, expected", RESOLVED, ids=[f"resolved-{n}" for n in range(len(RESOLVED))])
def test_links_to_something_are_no_finding(tmp_path, text, expected):
    from pressroom.build import prepare_book
    from pressroom.lint import lint_book

    root = make_book(tmp_path, {"a.md": text, "b.md": "# B\n\n## Known\n"})
    assert [f for f in lint_book(root) if f.code == "M013"] == []
    book = prepare_book(root)
    assert dict(book.chapters[0].links) == expected


INDEX_FILE = """\
[[entry]]
term = "C"
match = ["C"]

[[entry]]
term = "C++"
match = ["C++"]

[[entry]]
term = "Old C"
see = "B"
"""


def test_index_entries_get_distinct_ids_and_a_see_to_nothing_is_reported(tmp_path):
    config = CONFIG.replace('body = [{ part = "Page 2", chapters = ["one.md", "two.md"] }, "index.md"]',
                            'body = ["a.md"]')
    root = make_book(tmp_path, {"a.md": "# A\n\nWe write C and C++ [@nove].\n"}, config, REFERENCES)
    index = root / "manuscript" / "index.toml"
    index.write_text(INDEX_FILE, encoding="utf-8")
    result = build(root, "--format", "epub")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "manuscript/index.toml:9: error M013: the index entry 'Old C' refers to 'B', which is no entry of the " \
           "index" in result.stderr

    index.write_text(INDEX_FILE.replace('see = "B"', 'see = "C++"'), encoding="utf-8")
    result = build(root, "--format", "epub")
    assert result.returncode == 0, result.stderr
    epub = Epub(root / "dist" / "odd-headings.epub")
    doc = epub.xml("EPUB/text/index.xhtml")
    entries = {"".join(li.xpath("./x:span[@epub:type='index-term']/text()", namespaces=NS)): li.get("id")
               for li in doc.xpath("//x:li[@class='index-entry']", namespaces=NS)}
    assert entries == {"C": "ixe-c", "C++": "ixe-c-2", "Old C": "ixe-old-c"}
    assert doc.xpath("//x:li[@id='ixe-old-c']//x:a/@href", namespaces=NS) == ["#ixe-c-2"]
    report = epubcheck(epub.path)
    assert (report["checker"]["nError"], report["checker"]["nWarning"]) == (0, 0), report["messages"]
