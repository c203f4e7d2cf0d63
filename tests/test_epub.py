"""The real EPUB of the shipped book: EPUBCheck, package metadata, navigation, notes, citations, fidelity."""

import re
from collections import Counter

import pytest
from lxml import etree

from epubtools import NS, Epub, build, copy_book, epubcheck
from seed import ROOT, seed_body_words, words

CHAPTER = "EPUB/text/from-five-year-plan-to-the-purges.xhtml"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    book = copy_book(tmp_path_factory.mktemp("book"))
    result = build(book, "--format", "epub")
    assert result.returncode == 0, result.stderr
    return book, result


@pytest.fixture(scope="module")
def epub(built):
    return Epub(built[0] / "dist" / "russia-part-three.epub")


def test_epubcheck_reports_nothing(epub):
    report = epubcheck(epub.path)
    severities = Counter(m["severity"] for m in report["messages"])
    assert report["checker"]["nFatal"] == 0
    assert report["checker"]["nError"] == 0
    assert report["checker"]["nWarning"] == 0
    assert severities.get("FATAL", 0) + severities.get("ERROR", 0) + severities.get("WARNING", 0) == 0, report["messages"]


def test_summary_line(built):
    _, result = built
    line = result.stdout.strip()
    assert re.fullmatch(r"dist/russia-part-three\.epub: \d+ KiB, 1 chapter\(s\), 2 note\(s\), 56 citation\(s\), [\d.]+ s", line)


def test_zip_layout(epub):
    infos = epub.zip.infolist()
    assert infos[0].filename == "mimetype" and infos[0].compress_type == 0
    assert epub.zip.read("mimetype") == b"application/epub+zip"
    assert {i.date_time for i in infos} == {(2023, 11, 14, 22, 13, 20)}


def test_package_metadata(epub):
    opf = epub.xml("EPUB/content.opf")
    meta = lambda prop: opf.xpath(f"//opf:meta[@property='{prop}']/text()", namespaces=NS)  # noqa: E731
    assert opf.xpath("//dc:identifier/text()", namespaces=NS) == ["urn:uuid:5452aa8d-33b1-5c7a-a04e-6caec6f65c7e"]
    assert opf.xpath("//dc:language/text()", namespaces=NS) == ["en-GB"]
    assert opf.xpath("//dc:creator/text()", namespaces=NS) == ["Ted Grant"]
    assert opf.xpath("//opf:meta[@refines='#author'][@property='file-as']/text()", namespaces=NS) == ["Grant, Ted"]
    assert opf.xpath("//dc:publisher/text()", namespaces=NS) == ["Wellred Publications"]
    assert meta("dcterms:modified") == ["2023-11-14T22:13:20Z"]
    assert meta("schema:accessMode") == ["textual", "visual"]
    assert meta("schema:accessModeSufficient") == ["textual"]
    assert {"tableOfContents", "readingOrder", "structuralNavigation", "alternativeText"} <= set(
        meta("schema:accessibilityFeature"))
    assert meta("schema:accessibilityHazard") == ["none"]
    assert meta("schema:accessibilitySummary")[0].startswith("This publication conforms")
    assert "The only image, the cover, has a text alternative." in meta("schema:accessibilitySummary")[0]
    assert meta("dcterms:conformsTo") == ["EPUB Accessibility 1.1 - WCAG 2.1 Level AA"]
    assert meta("a11y:certifiedBy") == []  # the book names nobody who evaluated it (issue 16)
    assert opf.get("{http://www.w3.org/XML/1998/namespace}lang") == "en-GB"
    cover = opf.xpath("//opf:item[@properties='cover-image']", namespaces=NS)
    assert len(cover) == 1 and cover[0].get("media-type") == "image/jpeg"
    spine = [(i.get("idref"), i.get("linear")) for i in opf.xpath("//opf:itemref", namespaces=NS)]
    assert spine == [("cover", "no"), ("titlepage", None), ("copyright", None), ("nav", None),
                     ("from-five-year-plan-to-the-purges", None), ("bibliography", None), ("index", None)]


def test_cover_image_is_generated(epub):
    from io import BytesIO

    from PIL import Image

    from pressroom.config import load_config
    from pressroom.trim import trim_points

    image = Image.open(BytesIO(epub.zip.read("EPUB/images/cover.jpg")))
    # 1600 px wide in the print trim's proportions: the paperback's front (tests/test_print_cover.py)
    width, height = trim_points(load_config(ROOT).settings.trim_size)
    assert image.size == (1600, round(1600 * height / width)) and image.format == "JPEG"
    cover = epub.xml("EPUB/text/cover.xhtml")
    assert cover.xpath("//x:img/@alt", namespaces=NS)[0].startswith("Cover: Russia")


def _ids(epub):
    ids = {}
    for name in epub.documents():
        ids.setdefault(name.rsplit("/", 1)[1], set())
        for element in epub.xml(name).xpath("//*[@id]"):
            ids.setdefault(name.rsplit("/", 1)[1], set()).add(element.get("id"))
    return ids


def _resolves(href: str, current: str, ids) -> bool:
    name, _, fragment = href.partition("#")
    name = name or current
    return name in ids and (not fragment or fragment in ids[name])


def test_nav_toc_and_landmarks(epub):
    nav = epub.xml("EPUB/text/nav.xhtml")
    toc = nav.xpath("//x:nav[@epub:type='toc']", namespaces=NS)[0]
    chapter = toc.xpath("./x:ol/x:li", namespaces=NS)
    assert [li.xpath("./x:a/text()", namespaces=NS)[0] for li in chapter] == [
        "From Five-Year Plan to the Purges", "Bibliography", "Index"]
    sections = chapter[0].xpath("./x:ol/x:li/x:a/text()", namespaces=NS)
    assert len(sections) == 16 and sections[6] == "The \u2018Third Period\u2019"
    landmarks = nav.xpath("//x:nav[@epub:type='landmarks']//x:a/@epub:type", namespaces=NS)
    assert landmarks == ["cover", "toc", "bodymatter", "bibliography", "index"]
    ids = _ids(epub)
    for href in nav.xpath("//x:a/@href", namespaces=NS):
        assert _resolves(href, "nav.xhtml", ids), href
    assert not nav.xpath("//x:ol[not(x:li)]", namespaces=NS), "empty list in the nav"
    ncx = epub.xml("EPUB/toc.ncx")
    assert len(ncx.xpath("//ncx:navPoint", namespaces=NS)) == 2 + 1 + 16 + 1 + 1


def test_every_document_has_its_language(epub):
    for name in epub.documents():
        root = epub.xml(name)
        assert root.get("lang") == "en-GB"
        assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en-GB"


def test_notes_link_both_ways(epub):
    doc = epub.xml(CHAPTER)
    refs = doc.xpath("//x:a[@epub:type='noteref']", namespaces=NS)
    assert [r.text for r in refs] == ["1", "2"]
    assert all(r.get("role") == "doc-noteref" for r in refs)
    for ref in refs:
        target = ref.get("href").lstrip("#")
        aside = doc.xpath(f"//x:aside[@id='{target}']", namespaces=NS)
        assert len(aside) == 1
        assert aside[0].get("{http://www.idpf.org/2007/ops}type") == "footnote"
        assert aside[0].get("role") == "doc-footnote"
        back = aside[0].xpath(".//x:a[@role='doc-backlink']/@href", namespaces=NS)
        assert back == ["#" + ref.get("id")]
    abbr = refs[0].getprevious()
    assert abbr.text == "GPU" and abbr.xpath("preceding::text()[1]")[0].endswith("then an officer in the ")


def test_citations_and_bibliography_link_both_ways(epub):
    doc = epub.xml(CHAPTER)
    bib = epub.xml("EPUB/text/bibliography.xhtml")
    entries = bib.xpath("//x:li[@class='reference']", namespaces=NS)
    assert len(entries) == 34
    entry_ids = {e.get("id") for e in entries}
    cites = doc.xpath("//x:span[@class='citation']", namespaces=NS)
    assert len(cites) == 56
    cite_ids = {c.get("id") for c in cites}
    cited_entries = set()
    for cite in cites:
        links = cite.xpath(".//x:a/@href", namespaces=NS)
        assert links, etree.tostring(cite)
        for href in links:
            name, fragment = href.split("#")
            assert name == "bibliography.xhtml" and fragment in entry_ids
            cited_entries.add(fragment)
    assert cited_entries == entry_ids
    for entry in entries:
        backs = entry.xpath(".//x:a[@role='doc-backlink']/@href", namespaces=NS)
        assert backs
        for href in backs:
            name, fragment = href.split("#")
            assert name == "from-five-year-plan-to-the-purges.xhtml" and fragment in cite_ids
    # Sorted by the style: by author, then title and volume.
    texts = ["".join(e.itertext()) for e in entries]
    assert texts[0].startswith("Campbell, J.\u00a0R. Soviet Policy")
    assert [t.split(".")[0] for t in texts].count("Trotsky, Leon") == 8
    trotsky = [t for t in texts if t.startswith("Trotsky")]
    assert trotsky[0].startswith("Trotsky, Leon. The Revolution Betrayed")


def test_citations_print_as_the_book_does(epub):
    doc = epub.xml(CHAPTER)
    text = {c.get("id").rsplit("-", 1)[1]: "".join(c.itertext()) for c in doc.xpath(
        "//x:span[@class='citation']", namespaces=NS)}
    assert text["1"] == "(Trotsky, Writings 1935\u201336, p.\u00a0179)"
    assert text["2"] == "(Trotsky, The Revolution Betrayed, p.\u00a038)"
    assert text["3"] == "(Ibid., p.\u00a039)"
    assert text["4"] == "(Quoted in Nove, An Economic History of the USSR, p.\u00a0174)"
    assert text["12"] == "(Trotsky, The Revolution Betrayed, pp.\u00a082\u20133)"
    assert text["15"] == "(Ibid., p.\u00a0122)"
    assert text["18"] == "(Lenin, LCW, Vol.\u00a027, pp.\u00a0160\u20131)"
    assert text["21"] == "(LCW, Vol.\u00a026, p.\u00a0252)"
    assert text["32"] == "(Ibid., p.\u00a0328)"
    assert text["52"] == "(Schapiro, The Communist Party of the Soviet Union, p.\u00a0424, my emphasis)"
    assert text["55"] == "(Trepper, The Great Game \u2013 Memoirs of a Master Spy, pp.\u00a055\u20136, my emphasis)"
    # Titles are italic; "Ibid." is produced by the processor, never written in the manuscript.
    assert doc.xpath("//x:span[@id='cite-from-five-year-plan-to-the-purges-2']//x:em/text()", namespaces=NS) == [
        "The Revolution Betrayed"]


def test_typography_in_the_text(epub):
    doc = epub.xml(CHAPTER)
    body = "".join(doc.xpath("//x:section[@epub:type='chapter']//text()", namespaces=NS))
    assert '"' not in body and "'" not in body and " - " not in body and "..." not in body
    assert "crisis of 1927\u201328" in body
    assert "A.\u00a0V.\u00a0Shotman" in body and "\u2026" in body
    abbrs = Counter(doc.xpath("//x:abbr/text()", namespaces=NS))
    assert abbrs["GPU"] >= 10 and abbrs["POUM"] >= 5 and abbrs["NKVD"] >= 1 and abbrs["CNT"] >= 3


def _text_without(element, skip) -> list[str]:
    """The text of ``element`` in document order, leaving out the subtrees for which ``skip`` is true."""
    out = ["\n" if element.tag.endswith("}br") else "", element.text or ""]
    for child in element:
        if not skip(child):
            out.extend(_text_without(child, skip))
        out.append(child.tail or "")
    return out


def test_prose_words_all_present_in_order(epub):
    """Every word of the publisher's text is in the EPUB, in order (citations and note calls aside)."""
    doc = epub.xml(CHAPTER)
    section = doc.xpath("//x:section[@epub:type='chapter']", namespaces=NS)[0]
    epub_type = "{http://www.idpf.org/2007/ops}type"

    def skip(el):
        return (el.get("class") in ("citation", "footnotes", "chapter-title")
                or el.get(epub_type) == "noteref")

    assert words("".join(_text_without(section, skip))) == seed_body_words()


def test_two_builds_are_byte_identical(tmp_path):
    book = copy_book(tmp_path)
    assert build(book, "--format", "epub").returncode == 0
    first = (book / "dist" / "russia-part-three.epub").read_bytes()
    assert build(book, "--format", "epub").returncode == 0
    assert (book / "dist" / "russia-part-three.epub").read_bytes() == first
