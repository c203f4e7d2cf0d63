"""[notes] place (issue 14, item 5): notes at the foot of the page (the default), at the end of each
chapter, or in the book's Notes section in the back matter, grouped under each chapter's title
(Chicago Manual of Style 14.42–14.45); in the EPUB, the PDF and the preview.

The corpus book ``endnotes`` (place = "book", numbering = "book") is built as it is and in two
variants of its ``[notes]`` table: place = "book" with numbering = "chapter" (the group headings
tell the repeated numbers apart) and place = "chapter". Every expected number, id and page comes
from the book model and the PDF (its named destinations and link annotations), never a constant.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from functools import lru_cache
from pathlib import Path

import pytest
from lxml import etree

from acetools import ace_violations
from bookmaker import config_findings
from corpus_books import CORPUS
from epubtools import NS, build, epubcheck
from pressroom import ids
from pressroom import model as m
from pressroom.pipeline import prepare_book
from pressroom.walk import query
from printed import PrintedPdf, chapter_pages, normalised, words

BOOK = CORPUS / "endnotes"
VARIANTS = [("book", "book"), ("book", "chapter"), ("chapter", "chapter")]  # (place, numbering)


def _notes_table(place: str, numbering: str) -> str:
    return f'[notes]\nplace = "{place}"\nnumbering = "{numbering}"\n'


def _variant(root: Path, place: str, numbering: str) -> Path:
    """A copy of the corpus book with its [notes] table set to ``place`` and ``numbering``."""
    shutil.copytree(BOOK, root, ignore=shutil.ignore_patterns("golden", "dist", ".cache"))
    config = root / "manuscript" / "book.toml"
    kept, inside = [], False
    for line in config.read_text(encoding="utf-8").splitlines():
        if line.startswith("["):
            inside = line.strip() == "[notes]"
        if not inside:
            kept.append(line)
    config.write_text("\n".join(kept).rstrip() + "\n\n" + _notes_table(place, numbering), encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """(place, numbering) → (book folder, model, PDF), each variant built (EPUB and PDF) once."""

    @lru_cache(maxsize=None)
    def get(place: str, numbering: str):
        root = _variant(tmp_path_factory.mktemp(f"{place}-{numbering}") / "book", place, numbering)
        result = build(root, "--format", "epub", "--format", "pdf")
        assert result.returncode == 0, result.stderr
        assert result.stderr == "", result.stderr
        return root, prepare_book(root), PrintedPdf(next((root / "dist").glob("*.pdf")))

    return get


def _epub(root: Path) -> zipfile.ZipFile:
    return zipfile.ZipFile(next((root / "dist").glob("*.epub")))


def _xml(epub: zipfile.ZipFile, name: str):
    return etree.fromstring(epub.read(f"EPUB/text/{name}"))


def _text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def _first_words(note: m.Note, count: int = 5) -> list[str]:
    return [w for node in query(note.blocks, m.Text) for w in words(node.text)][:count]


# ---------------------------------------------------------------------- the setting


def test_the_corpus_book_sets_its_notes_in_the_books_notes_numbered_through_the_book():
    book = prepare_book(BOOK)
    assert (book.settings.note_place, book.settings.note_numbering) == ("book", "book")
    numbers = [n.number for c in book.chapters for n in c.notes]
    assert numbers == list(range(1, len(numbers) + 1)) and len(book.parts) == 2
    assert any(len(n.blocks) > 2 for c in book.chapters for n in c.notes)  # a note of several paragraphs
    assert any(query(n.blocks, m.BlockQuote) for c in book.chapters for n in c.notes)  # a quotation
    assert any(query(n.blocks, m.Cite) for c in book.chapters for n in c.notes)  # a citation in a note


def test_a_bad_place_is_a_c001_listing_the_places(tmp_path):
    root = _variant(tmp_path / "book", "margin", "book")
    text, line = config_findings(root, "place")
    assert f"book.toml:{line}" in text and "C001" in text
    assert "'place' must be one of: foot, chapter, book, not 'margin'" in text


# ---------------------------------------------------------------------- the EPUB


@pytest.mark.parametrize("place,numbering", VARIANTS)
def test_epub_sets_each_note_where_asked_with_links_both_ways(built, place, numbering):
    root, book, _ = built(place, numbering)
    epub = _epub(root)
    notes_file = f"{ids.ENDNOTES}.xhtml"
    assert (f"EPUB/text/{notes_file}" in epub.namelist()) == (place == "book")
    for chapter in book.chapters:
        doc = _xml(epub, f"{chapter.id}.xhtml")
        assert doc.xpath("//x:aside", namespaces=NS) == []  # no footnotes
        where = "" if place == "chapter" else notes_file
        calls = doc.xpath("//x:a[@epub:type='noteref']", namespaces=NS)
        assert [(a.get("href"), a.text) for a in calls] == [(f"{where}#{n.id}", str(n.number)) for n in chapter.notes]
        sections = doc.xpath("//x:section[@epub:type='endnotes']", namespaces=NS)
        if place == "chapter":
            assert len(sections) == (1 if chapter.notes else 0)
        else:
            assert sections == []
    if place == "chapter":
        groups = [(c, _xml(epub, f"{c.id}.xhtml").xpath("//x:section[@epub:type='endnotes']", namespaces=NS)[0])
                  for c in book.chapters if c.notes]
        back = {c.id: "" for c in book.chapters}
    else:
        doc = _xml(epub, notes_file)
        whole = doc.xpath("//x:section[@epub:type='endnotes']", namespaces=NS)
        assert [s.get("id") for s in whole] == [ids.ENDNOTES] and whole[0].get("role") == "doc-endnotes"
        assert _text(whole[0].xpath("x:h1", namespaces=NS)[0]) == "Notes"
        found = whole[0].xpath("x:section", namespaces=NS)
        assert [s.get("id") for s in found] == [ids.endnotes_id(c.id) for c in book.chapters if c.notes]
        groups = list(zip([c for c in book.chapters if c.notes], found))
        back = {c.id: f"{c.id}.xhtml" for c in book.chapters}
    for chapter, section in groups:
        if place == "book":  # each group under its chapter's title
            assert _text(section.xpath("x:h2", namespaces=NS)[0]) == chapter.title_text
        else:
            assert section.get("role") == "doc-endnotes" and section.get("id") == ids.endnotes_id(chapter.id)
        items = section.xpath("x:ol/x:li", namespaces=NS)
        assert [li.get("id") for li in items] == [n.id for n in chapter.notes]
        for li, note in zip(items, chapter.notes):
            assert li.get("{http://www.idpf.org/2007/ops}type") == "endnote"
            link = li.xpath(".//x:a[@role='doc-backlink']", namespaces=NS)[0]
            assert (link.get("href"), link.text) == (f"{back[chapter.id]}#{note.ref_id}", f"{note.number}.")
            assert words(_text(li))[1:6] == _first_words(note)
            assert len(li.xpath("x:p | x:blockquote", namespaces=NS)) == len(note.blocks)  # every paragraph kept
    if place == "book":  # the Notes in the nav's contents, before the bibliography
        nav = _xml(epub, "nav.xhtml")
        hrefs = nav.xpath("//x:nav[@epub:type='toc']//x:a/@href", namespaces=NS)
        assert hrefs[-2:] == [notes_file, "bibliography.xhtml"]


@pytest.mark.parametrize("place,numbering", VARIANTS)
def test_epubcheck_and_ace_find_nothing(built, place, numbering):
    root, _, _ = built(place, numbering)
    epub = next((root / "dist").glob("*.epub"))
    report = epubcheck(epub)
    assert [(msg["severity"], msg["message"]) for msg in report["messages"]] == []
    assert ace_violations(epub) == []


# ---------------------------------------------------------------------- the PDF


def _links(pdf: PrintedPdf) -> dict[int, list[str]]:
    """Page index → the named destinations its link annotations go to."""
    out: dict[int, list[str]] = {}
    for index, page in enumerate(pdf.reader.pages):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") == "/Link" and annot.get("/Dest") is not None:
                out.setdefault(index, []).append(str(annot["/Dest"]))
    return out


def _page_words(pdf: PrintedPdf, index: int) -> list[str]:
    """Every word printed on a page, running text and small text together, line-end hyphens undone."""
    return words(normalised(pdf.main_text(index))) + words(pdf.notes_text(index))


@pytest.mark.parametrize("place,numbering", VARIANTS)
def test_pdf_sets_each_note_where_asked_with_links_both_ways(built, place, numbering):
    _, book, pdf = built(place, numbering)
    links = _links(pdf)
    spans = chapter_pages(pdf, book)
    if place == "book":
        start, end = pdf.page_of(ids.ENDNOTES), pdf.page_of(ids.BIBLIOGRAPHY)
        assert start > max(pdf.page_of(c.id) for c in book.chapters)  # after the last chapter
    previous = -1
    for chapter in book.chapters:
        for note in chapter.notes:
            call, page = pdf.page_of(note.ref_id), pdf.page_of(note.id)
            assert note.id in links[call] and note.ref_id in links[page], note.id  # linked both ways
            assert page >= previous  # the notes in reading order
            previous = page
            if place == "chapter":  # at its chapter's end, after its call
                assert call <= page and page in spans[chapter.id]
                assert pdf.page_of(ids.endnotes_id(chapter.id)) <= page
            else:  # in the book's Notes, under its chapter's heading
                assert start <= pdf.page_of(ids.endnotes_id(chapter.id)) <= page < end
            # the note's number, then its first words, on its page
            printed = " ".join(_page_words(pdf, page))
            assert " ".join([str(note.number), *_first_words(note)]) in printed, (note.id, printed)


def test_the_books_notes_are_in_the_contents_with_their_page(built):
    _, book, pdf = built("book", "book")
    contents = pdf.page_of(ids.CONTENTS)
    line = next(l for l in pdf.main_text(contents).splitlines() if l.strip().startswith("Notes"))
    assert line.split()[-1] == pdf.label(pdf.page_of(ids.ENDNOTES))
    assert f"{ids.ENDNOTES}" in _links(pdf)[contents]


def test_group_headings_tell_apart_the_numbers_of_each_chapter(built):
    """Numbered afresh in each chapter, the notes print 1, 2… under each chapter's title in turn."""
    _, book, pdf = built("book", "chapter")
    chapters = [c for c in book.chapters if c.notes]
    assert len({n.number for c in chapters for n in c.notes}) < sum(len(c.notes) for c in chapters)  # repeats
    pages = range(pdf.page_of(ids.ENDNOTES), pdf.page_of(ids.BIBLIOGRAPHY))
    printed = " ".join(w for index in pages for w in words(normalised(pdf.main_text(index))))
    position = 0
    for chapter in chapters:
        title = " ".join(words(chapter.title_text))
        position = printed.index(title, position) + len(title)
        following = [printed.find(" ".join(words(c.title_text)), position) for c in chapters if c is not chapter]
        limit = min([f for f in following if f > position], default=len(printed))
        for note in chapter.notes:
            found = printed.index(" ".join([str(note.number), *_first_words(note)]), position)
            assert found < limit, (chapter.id, note.number)  # under its own chapter's heading
            position = found


# ---------------------------------------------------------------------- the preview


@pytest.mark.parametrize("place", ["chapter", "book"])
def test_the_preview_sets_the_notes_where_the_epub_does(tmp_path, place):
    """place = "chapter": at each chapter's end; "book": on a Notes page, each chapter's under its
    title, listed in the preview's contents; the calls and the numbers linked both ways."""
    from pressroom.preview import PreviewSite, page_url

    root = _variant(tmp_path / "book", place, "book")
    book = prepare_book(root)
    pages = PreviewSite(root).render(book)
    notes_url = page_url(ids.ENDNOTES)
    assert (notes_url in pages) == (place == "book")
    if place == "book":
        assert f'href="{notes_url}"' in pages["/"].decode("utf-8")  # in the contents
    for chapter in book.chapters:
        html = pages[page_url(chapter.id)].decode("utf-8")
        assert 'class="footnote"' not in html
        holder = page_url(chapter.id) if place == "chapter" else notes_url
        notes_html = pages[holder].decode("utf-8")
        for note in chapter.notes:
            assert f'href="{holder}#{note.id}"' in html  # the call
            assert f'<li class="endnote" id="{note.id}"' in notes_html
            assert f'href="{page_url(chapter.id)}#{note.ref_id}"' in notes_html  # the way back
        if place == "book" and chapter.notes:
            assert f'id="{ids.endnotes_id(chapter.id)}"' in notes_html


@pytest.mark.parametrize("place,numbering", VARIANTS)
def test_the_epub_page_list_runs_through_the_pages_of_the_notes(built, place, numbering):
    """Every print page from the text's first through the last note's is in the EPUB's page-list, in
    order; a page that begins inside an endnote has its marker in that note."""
    root, book, pdf = built(place, numbering)
    epub = _epub(root)
    nav = _xml(epub, "nav.xhtml")
    listed = nav.xpath("//x:nav[@epub:type='page-list']//x:a", namespaces=NS)
    labels = [pdf.label(i) for i in range(pdf.count)]
    first = min(pdf.page_of(d) for d in (*(c.id for c in book.chapters), *(p.id for p in book.parts)))
    last_note = max(pdf.page_of(n.id) for c in book.chapters for n in c.notes)
    assert [a.text for a in listed] == labels[first:first + len(listed)]
    assert first + len(listed) > last_note
    checked = 0
    for a in listed:  # a page that begins inside an endnote: its marker there, before the page's words
        name, _, marker = a.get("href").partition("#")
        doc = _xml(epub, name)
        holder = doc.xpath(f"//*[@id='{marker}']/ancestor::x:li[@class='endnote']", namespaces=NS)
        if not holder:
            continue
        html = etree.tostring(holder[0], encoding="unicode")
        after = words(re.sub(r"<[^>]+>", " ", html[html.index(f'id="{marker}"'):].partition(">")[2]))
        index = labels.index(a.text)
        printed = pdf.main_text(index) if place == "book" else pdf.notes_text(index)  # endnotes of a chapter: small
        assert after[:3] == words(normalised(printed))[:3], (a.text, after[:6], printed[:80])
        checked += 1
    assert checked or place == "chapter"  # the corpus book's Notes have a page that begins inside a note


def test_a_note_styles_citations_go_where_the_notes_go(tmp_path):
    """The corpus book note-style (every citation a note) with place = "book": the citations' notes
    and the author's stand together in the Notes, numbered as the model numbers them."""
    root = tmp_path / "note-style"
    shutil.copytree(CORPUS / "note-style", root, ignore=shutil.ignore_patterns("golden", "dist", ".cache"))
    config = root / "manuscript" / "book.toml"
    config.write_text(config.read_text(encoding="utf-8") + "\n" + _notes_table("book", "chapter"), encoding="utf-8")
    result = build(root, "--format", "epub", "--format", "pdf")
    assert result.returncode == 0 and result.stderr == "", result.stderr
    book = prepare_book(root)
    pdf = PrintedPdf(next((root / "dist").glob("*.pdf")))
    doc = _xml(_epub(root), f"{ids.ENDNOTES}.xhtml")
    cited = [n for c in book.chapters for n in c.notes if n.id.startswith("note-cite-")]
    assert cited and len(cited) < sum(len(c.notes) for c in book.chapters)  # citations and the author's notes
    for chapter in book.chapters:
        items = doc.xpath(f"//x:section[@id='{ids.endnotes_id(chapter.id)}']//x:li", namespaces=NS)
        assert [li.get("id") for li in items] == [n.id for n in chapter.notes]
        for note in chapter.notes:
            assert pdf.page_of(ids.ENDNOTES) <= pdf.page_of(note.id) < pdf.page_of(ids.BIBLIOGRAPHY)
            assert note.id in _links(pdf)[pdf.page_of(note.ref_id)]
    assert epubcheck(next((root / "dist").glob("*.epub")))["messages"] == []


def test_a_formula_in_a_note_goes_with_it_to_the_notes_page(tmp_path):
    """The EPUB declares MathML on the page that shows the formula: the Notes page, not the chapter."""
    from bookmaker import config_findings, CONFIG, make_book

    chapters = {"one.md": "# One\n\nText.[^a]\n\n[^a]: A formula, $x^2 + 1$, in a note.\n"}
    config = CONFIG.format(body='["one.md"]') + "\n[epub]\nprint_page_numbers = false\n\n" + _notes_table("book", "chapter")
    root = make_book(tmp_path / "book", chapters, config)
    result = build(root, "--format", "epub")
    assert result.returncode == 0, result.stderr
    epub = next((root / "dist").glob("*.epub"))
    opf = etree.fromstring(zipfile.ZipFile(epub).read("EPUB/content.opf"))
    mathml = {item.get("href") for item in opf.xpath("//opf:item[contains(@properties, 'mathml')]", namespaces=NS)}
    assert mathml == {f"text/{ids.ENDNOTES}.xhtml"}
    assert epubcheck(epub)["messages"] == []
