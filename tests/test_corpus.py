"""Invariants every book must keep, checked on every book of the corpus (tests/corpus/) and on the
shipped book, each built once per session; and each corpus book's EPUB compared with its golden files.

Expected values come from the book model (``printed.model_of``) and the PDF itself, never from
constants of one book. Known failures that another task is fixing are listed in ``PENDING`` (strict
xfail: when the fix lands, the case passes, the xfail fails, and the entry is to be removed).
"""

from __future__ import annotations

import difflib
import posixpath
import re
import zipfile
from functools import lru_cache

from pathlib import Path

import pytest
from lxml import etree

from corpus_books import CORPUS, SHIPPED, corpus_names
from epubtools import NS, epubcheck
from pressroom import ids
from pressroom import model as m
from pressroom.walk import query
from pressroom.words import words_for
from printed import PrintedPdf, chapter_pages, model_of, normalised, places, words

BOOKS = [*corpus_names(), SHIPPED]
EPUB_TYPE = "{http://www.idpf.org/2007/ops}type"

# (test, book) → why it fails today. Each is a strict xfail: remove the entry when the fix lands.
PENDING: dict[tuple[str, str], str] = {
}


def cases(test: str, books=BOOKS) -> list:
    """The books a test runs on, each marked xfail (strict) if ``PENDING`` lists it for that test."""
    return [pytest.param(name, marks=pytest.mark.xfail(strict=True, reason=PENDING[(test, name)]))
            if (test, name) in PENDING else name for name in books]


@pytest.fixture(scope="session")
def reading(corpus):
    """A function: book name → (built book, its model, its PDF, where its marks stand), made once."""

    @lru_cache(maxsize=None)
    def read(name: str):
        built = corpus(name)
        pdf = PrintedPdf(built.output(".pdf"))
        book = model_of(built.folder)
        return built, book, pdf

    return read


@lru_cache(maxsize=None)
def _places(name: str, reading):
    _, book, pdf = reading(name)
    return places(pdf, book)


def _epub(built) -> zipfile.ZipFile:
    return zipfile.ZipFile(built.output(".epub"))


# ---------------------------------------------------------------------- validity and a quiet build


@pytest.mark.parametrize("name", cases("epubcheck"))
def test_epubcheck_reports_nothing(name, corpus):
    report = epubcheck(corpus(name).output(".epub"))
    problems = [(m["severity"], m["ID"], m["message"], [l.get("path") for l in m.get("locations", [])][:3])
                for m in report["messages"] if m["severity"] in ("FATAL", "ERROR", "WARNING")]
    checker = report["checker"]
    assert (checker["nFatal"], checker["nError"], checker["nWarning"], problems) == (0, 0, 0, [])


@pytest.mark.parametrize("name", cases("quiet"))
def test_the_build_prints_no_warning(name, corpus):
    built = corpus(name)
    assert [line for line in built.stderr.splitlines() if line.strip()] == []
    assert all(re.fullmatch(r"dist/\S+\.(pdf|epub): .+ s", line) for line in built.stdout.splitlines()), built.stdout


# ---------------------------------------------------------------------- page numbers


@pytest.mark.parametrize("name", cases("folios"))
def test_folios_count_one_per_page_roman_then_arabic_from_the_body(name, reading):
    """Printed folios are numbers, roman before arabic, each style counting one per page; arabic 1 falls
    on the first page of the body (its part's title page if it opens a part) and the back matter
    continues it; the front matter, where there is any, is numbered in roman."""
    _, book, pdf = reading(name)
    runs = pdf.runs
    first_body = next(c for c in book.chapters if c.matter == "body")
    opens = first_body.part or first_body.id
    assert runs.get("arabic") == pdf.page_of(opens), (pdf.folios, opens)
    assert sum(bool(f) for f in pdf.folios) >= pdf.count // 2, pdf.folios
    front = range(pdf.page_of(opens))
    assert all(not pdf.folios[i] or not pdf.folios[i].isdigit() for i in front)
    for chapter in book.chapters:
        if chapter.matter == "front":
            assert not pdf.label(pdf.page_of(chapter.id)).isdigit(), chapter.id


@pytest.mark.parametrize("name", cases("page-labels"))
def test_page_labels_equal_the_folios(name, reading):
    _, _, pdf = reading(name)
    assert pdf.page_labels is not None, "no /PageLabels in the PDF"
    expected = [pdf.label(i) for i in range(pdf.count)]
    assert pdf.page_labels == expected
    assert all(not folio or folio == label for folio, label in zip(pdf.folios, pdf.page_labels))


def _contents_entries(book) -> list[tuple[str, str]]:
    """(title, target id) of every entry the printed contents should have, in order: parts, chapters,
    each chapter's top sections, the book's Notes, the bibliography and the index; not a dedication or an epigraph,
    which stand before the contents (Chicago Manual of Style 1.4)."""
    from pressroom.frontmatter import is_display

    entries, parts_seen = [], set()
    parts = {p.id: p for p in book.parts}
    for chapter in book.chapters:
        if is_display(chapter):
            continue
        if chapter.part and chapter.part not in parts_seen:
            parts_seen.add(chapter.part)
            entries.append((parts[chapter.part].title, chapter.part))
        entries.append((chapter.title_text, chapter.id))
        entries.extend((section.title, section.id) for section in chapter.sections)
        for bib in book.scoped_bibliographies:  # a part's bibliography, after its last chapter
            if bib.after == chapter.id and bib.owner == chapter.part:
                entries.append((words_for(book.metadata.language, book.settings.words)["bibliography"],
                                ids.scoped_bibliography_id(bib.owner)))
    words = words_for(book.metadata.language, book.settings.words)  # the book's own words
    if book.settings.note_place == "book" and any(c.notes for c in book.chapters):
        entries.append((words["notes"], "endnotes"))  # the book's Notes, before the bibliography
    if book.bibliography:
        entries.append((words["bibliography"], "bibliography"))
    if book.index:
        entries.append((words["index"], "index"))
    return entries


def _pattern(title: str) -> str:
    return r"\s+".join(re.escape(w) for w in title.split())


@pytest.mark.parametrize("name", cases("contents"))
def test_contents_numbers_are_the_folios_of_the_headings(name, reading):
    _, book, pdf = reading(name)
    start = pdf.page_of("contents")
    end = min(p for p in (*(pdf.page_of(c.id) for c in book.chapters), *(pdf.page_of(p.id) for p in book.parts))
              if p > start)
    text = normalised(" ".join(pdf.body_text(i) for i in range(start, end)))
    position, wrong = 0, []
    for title, target in _contents_entries(book):
        found = re.compile(_pattern(title) + r"[\s.]*?\s*(\d+|[ivxlcdm]+)\b").search(text, position)
        assert found, f"{title!r} is not in the contents after {text[max(position - 60, 0):position]!r}"
        position = found.end()
        page = pdf.page_of(target)
        if found.group(1) != pdf.label(page):
            wrong.append((title, found.group(1), pdf.label(page)))
        heading = normalised(pdf.body_text(page))
        assert re.search(_pattern(title), heading), f"{title!r} ({target}) is not on page {pdf.label(page)}"
    assert wrong == [], "(entry, printed in the contents, folio of its page)"


def _division_starts(pdf: PrintedPdf, book) -> list[int]:
    """The first pages of the book's chapters, parts, Notes, bibliographies and index, sorted."""
    targets = [*(c.id for c in book.chapters), *(p.id for p in book.parts), "endnotes", "bibliography", "index",
               *(ids.scoped_bibliography_id(b.owner) for b in book.scoped_bibliographies)]
    return sorted({pdf.page_of(t) for t in targets if t in pdf.destinations})


def _cited_on_lists(pdf: PrintedPdf, book, list_id: str = "bibliography") -> list[list[str]]:
    """The page lists printed after "Cited on" in a bibliography (the book's, or a part's or
    chapter's by its id), in order, ranges spelled out."""
    start = pdf.page_of(list_id)
    end = min([p for p in _division_starts(pdf, book) if p > start] + [pdf.count])
    text = normalised(" ".join(pdf.body_text(i) for i in range(start, max(end, start + 1))))
    if list_id != "bibliography":  # a chapter's list follows its text: read from its heading on
        text = text[text.rindex(words_for(book.metadata.language, book.settings.words)["bibliography"]):]
    lists = []
    words = words_for(book.metadata.language, book.settings.words)  # "Cited on p.", "Cité p."…
    label = "|".join(re.escape(words[key]) for key in ("cited_on_pages", "cited_on_page"))
    for found in re.finditer(rf"(?:{label})\s*([^.]*)\.", text):
        lists.append(_expand(found.group(1)))
    return lists


def _expand(listed: str) -> list[str]:
    """"3, 5–7" → ["3", "5", "6", "7"]."""
    out = []
    for item in (i.strip() for i in listed.split(",")):
        first, _, last = item.partition("\u2013")
        if last and first.isdigit() and last.isdigit():
            out.extend(str(n) for n in range(int(first), int(last) + 1))
        elif item:
            out.append(item)
    return out


@pytest.mark.parametrize("name", cases("cited-on"))
def test_cited_on_lists_are_the_folios_of_the_citations(name, reading):
    _, book, pdf = reading(name)
    lists = [("bibliography", book.bibliography)] if book.bibliography else []
    lists += [(ids.scoped_bibliography_id(b.owner), b.entries) for b in book.scoped_bibliographies]
    for list_id, entries in lists:  # the book's, and each part's or chapter's ([bibliography] scope)
        expected = [[pdf.label(page) for page in sorted({pdf.page_of(cite_id) for cite_id in entry.cited_by})]
                    for entry in entries if entry.cited_by]  # a work never cited (nocite) prints no pages
        assert _cited_on_lists(pdf, book, list_id) == expected, list_id
    for _, cite in book.citations():  # each citation is on the page of its anchor, in the text or a note
        page = pdf.page_of(cite.id)
        # the running text with its line-end hyphens undone, as the notes' is ("(Med‐" / "vedev")
        printed = words(normalised(pdf.main_text(page))) + words(pdf.notes_text(page))
        assert words(m.cite_text(cite))[0] in printed, (cite.id, m.cite_text(cite), page + 1)


@pytest.mark.parametrize("name", cases("notes"))
def test_each_note_stands_where_the_book_sets_it(name, reading):
    """A footnote on the page of its call ([notes] place = "foot"); an endnote after its call, in
    its chapter's pages ("chapter") or in the book's Notes ("book"); its first words there."""
    _, book, pdf = reading(name)
    where = _places(name, reading)
    place = book.settings.note_place
    spans = chapter_pages(pdf, book)
    checked = 0
    for chapter in book.chapters:
        for note in chapter.notes:
            call, page = pdf.page_of(note.ref_id), pdf.page_of(note.id)
            if place == "foot":
                assert page == call, f"{chapter.source}: note {note.number} on page {page + 1}, its call on {call + 1}"
            elif place == "chapter":
                assert call <= page and page in spans[chapter.id], (note.id, call + 1, page + 1)
            else:
                assert pdf.page_of("endnotes") <= page < pdf.page_of("bibliography"), (note.id, page + 1)
            start = " ".join(_inline_words(note.blocks)[:6])
            printed = words(pdf.notes_text(page)) + ([] if place == "foot" else words(normalised(pdf.main_text(page))))
            assert start in " ".join(printed), (note.id, start, printed)
            assert call in where[note.id].pages, (note.id, where[note.id], call)  # the call's word is there
            checked += 1
    assert checked == sum(len(c.notes) for c in book.chapters)


def _inline_words(blocks) -> list[str]:
    """The words of blocks as printed (citations as the style prints them)."""
    return [w for node in query(blocks, m.Text, m.Abbr, m.Code) for w in words(node.text)]


# ---------------------------------------------------------------------- the index


def _printed_index(pdf: PrintedPdf) -> str:
    start = pdf.page_of("index")
    return re.sub("\u2013 ", "\u2013", normalised(" ".join(pdf.body_text(i) for i in range(start, pdf.count))))


LOCATORS = r"((?:\d+|[ivxlcdm]+)(?:\u2013(?:\d+|[ivxlcdm]+))?(?:,\s*(?:\d+|[ivxlcdm]+)(?:\u2013(?:\d+|[ivxlcdm]+))?)*)"


def _index_lines(book):
    """(term as printed, its mark ids) of every entry and sub-entry with places, in printed order."""
    for entry in book.index:
        if entry.locators:
            yield entry.term, entry.locators
        for sub in entry.subentries:
            if sub.locators:
                yield sub.term, sub.locators


@pytest.mark.parametrize("name", cases("pdf-index", [n for n in BOOKS if (CORPUS / n / "manuscript" / "index.toml").exists()
                                                     or n == SHIPPED]))
def test_pdf_index_pages_are_the_folios_of_the_marks(name, reading):
    _, book, pdf = reading(name)
    where = _places(name, reading)
    text = _printed_index(pdf)
    position, wrong = 0, []
    for term, marks in _index_lines(book):
        found = re.compile(re.escape(term) + r",\s*" + LOCATORS).search(text, position)
        assert found, f"{term!r} with pages is not in the index after {text[max(position - 60, 0):position]!r}"
        position = found.start() + len(term)
        printed = set(_expand(found.group(1)))
        candidates = [{pdf.label(p) for p in where[mark].pages} for mark in marks]
        assert all(candidates), (term, [m for m, c in zip(marks, candidates) if not c])
        missing = [sorted(c) for c in candidates if not c & printed]
        extra = sorted(printed - set().union(*candidates))
        if missing or extra:
            wrong.append((term, sorted(printed), "missing", missing, "not a mark's page", extra))
    assert wrong == []


@pytest.mark.parametrize("name", cases("epub-index", [n for n in BOOKS if (CORPUS / n / "manuscript" / "index.toml").exists()
                                                      or n == SHIPPED]))
def test_epub_index_locators_are_the_folios_of_the_marks(name, reading, corpus):
    _, book, pdf = reading(name)
    where = _places(name, reading)
    doc = etree.fromstring(_epub(corpus(name)).read("EPUB/text/index.xhtml"))
    wrong = []
    for link in doc.xpath("//x:a[@epub:type='index-locator']", namespaces=NS):
        mark = link.get("href").split("#")[1]
        expected = {pdf.label(p) for p in where[mark].pages}
        if link.text not in expected:
            wrong.append((mark, link.text, sorted(expected)))
    assert wrong == []
    listed = {link.get("href").split("#")[1]: link.text
              for link in doc.xpath("//x:a[@epub:type='index-locator']", namespaces=NS)}
    for term, marks in _index_lines(book):  # every page holding one of the term's marks is listed
        labels = {listed[m] for m in marks if m in listed}
        for mark in marks:
            assert {pdf.label(p) for p in where[mark].pages} & labels, (term, mark)


# ---------------------------------------------------------------------- the EPUB's print page numbers


def _page_markers(epub: zipfile.ZipFile, book) -> list[tuple[str, list[str]]]:
    """(label, the first words after it) of every page-break marker of the EPUB, in reading order;
    notes and note calls left out, as the PDF sets them apart."""
    opf = etree.fromstring(epub.read("EPUB/content.opf"))
    manifest = {i.get("id"): i.get("href") for i in opf.xpath("//opf:item", namespaces=NS)}
    out = []
    for ref in opf.xpath("//opf:itemref/@idref", namespaces=NS):
        doc = etree.fromstring(epub.read("EPUB/" + manifest[ref]))
        pending: list[list] = []
        set_apart = 0  # depth inside a note (aside) or a note call
        for event, element in etree.iterwalk(doc, events=("start", "end")):
            apart = element.tag == f"{{{NS['x']}}}aside" or element.get(EPUB_TYPE) == "noteref"
            if event == "start":
                if element.get(EPUB_TYPE) == "pagebreak":
                    pending.append([element.get("aria-label"), []])
                    out.append(pending[-1])
                set_apart += apart
                text = element.text
            else:
                set_apart -= apart
                text = element.tail
            if not set_apart:
                for item in pending:
                    item[1].extend(words(text or ""))
                pending = [item for item in pending if len(item[1]) < 4]
    return [(label, found[:4]) for label, found in out]


@pytest.mark.parametrize("name", cases("page-list"))
def test_epub_page_list_is_the_pdf_folios(name, reading, corpus):
    _, book, pdf = reading(name)
    epub = _epub(corpus(name))
    nav = etree.fromstring(epub.read("EPUB/text/nav.xhtml"))
    listed = nav.xpath("//x:nav[@epub:type='page-list']//x:a/text()", namespaces=NS)
    from pressroom.frontmatter import is_display

    text = [c for c in book.chapters if not is_display(c)]  # a dedication, an epigraph: before the contents
    # the text begins with its first chapter's opener, or the title page of a part before it
    first = min(pdf.page_of(d) for d in (*(c.id for c in text), *(p.id for p in book.parts)))
    last = max(pdf.page_of(c.id) for c in text)
    labels = [pdf.label(i) for i in range(pdf.count)]
    # Every page from the text's first page on (after the contents), each once and in order, at
    # least through the last chapter.
    assert listed == labels[first:first + len(listed)] and first + len(listed) > last, (listed, labels)
    markers = _page_markers(epub, book)
    assert [label for label, _ in markers] == listed
    parts = {pdf.page_of(p.id) for p in book.parts}
    wrong, checked = [], 0
    for label, after in markers:
        index = labels.index(label)
        while index < pdf.count and not words(pdf.main_text(index)):
            index += 1  # a blank page breaks where the next page does
        if index in parts or index >= pdf.count:
            continue  # a part's title page: its title is not in a chapter's text
        first_words = words(re.sub("\u2010\\s*[\\r\\n]+\\s*", "", pdf.main_text(index)))[:3]
        # A page that starts inside a hyphenated word: the marker stands before the whole word.
        if not (after[:1] and after[0].endswith(first_words[0]) and after[1:3] == first_words[1:3]):
            wrong.append((label, after, first_words))
        checked += 1
    assert checked >= len(markers) - len(parts) - 1
    assert wrong == [], "(page, the words after its marker in the EPUB, the words the PDF page starts with)"


# ---------------------------------------------------------------------- golden files


GOLDEN_PARTS = re.compile(r"EPUB/(content\.opf|toc\.ncx|text/[^/]+\.xhtml)")


def _golden_files(epub: zipfile.ZipFile) -> dict[str, bytes]:
    """The EPUB's files kept as golden: the package (OPF), the NCX, and every XHTML page (nav included)."""
    return {name.removeprefix("EPUB/"): epub.read(name) for name in sorted(epub.namelist())
            if GOLDEN_PARTS.fullmatch(name)}


@pytest.mark.parametrize("name", corpus_names())
def test_epub_matches_its_golden_files(name, corpus, update_golden):
    """The EPUB's pages, OPF, nav and NCX are byte for byte the golden ones; ``pytest --update-golden``
    rewrites them (then read the diff before committing it)."""
    golden = CORPUS / name / "golden"
    got = _golden_files(_epub(corpus(name)))
    kept = {str(p.relative_to(golden)): p.read_bytes() for p in sorted(golden.rglob("*")) if p.is_file()} \
        if golden.is_dir() else {}
    if update_golden:
        for stale in set(kept) - set(got):
            (golden / stale).unlink()
        for file, data in got.items():
            (golden / file).parent.mkdir(parents=True, exist_ok=True)
            (golden / file).write_bytes(data)
        changed = sorted(f for f in set(kept) | set(got) if kept.get(f) != got.get(f))
        pytest.skip(f"rewrote the golden files of {name}: {', '.join(changed) or 'no change'}")
    assert sorted(got) == sorted(kept), "files added or gone: run pytest --update-golden and review the diff"
    for file in got:
        if got[file] != kept[file]:
            diff = difflib.unified_diff(kept[file].decode().splitlines(), got[file].decode().splitlines(),
                                        f"golden/{file}", f"built/{file}", lineterm="", n=1)
            pytest.fail(f"{name}: {file} differs from its golden file (pytest --update-golden rewrites it):\n"
                        + "\n".join(list(diff)[:60]))


# ---------------------------------------------------------------------- what each book is for


def _nav_tree(nav) -> list:
    """The nav's table of contents as nested (title, [children]) lists."""
    def items(ol):
        return [(li.xpath("string(./x:a)", namespaces=NS).strip(),
                 items(li.xpath("./x:ol", namespaces=NS)[0]) if li.xpath("./x:ol", namespaces=NS) else [])
                for li in ol.xpath("./x:li", namespaces=NS)]

    return items(nav.xpath("//x:nav[@epub:type='toc']/x:ol", namespaces=NS)[0])


def test_parts_and_matter_reading_order_and_navigation(reading, corpus):
    """Front matter, two parts holding their chapters, then the back matter: in the EPUB's spine and
    nav, and in the PDF's order of pages."""
    built, book, pdf = reading("parts-and-matter")
    epub = _epub(built)
    opf = etree.fromstring(epub.read("EPUB/content.opf"))
    spine = opf.xpath("//opf:itemref/@idref", namespaces=NS)
    expected, seen = [], set()
    for chapter in book.chapters:
        if chapter.part and chapter.part not in seen:
            seen.add(chapter.part)
            expected.append(chapter.part)
        expected.append(chapter.id)
    assert [i for i in spine if i in expected] == expected
    assert [c.matter for c in book.chapters] == ["front"] * 4 + ["body"] * 4 + ["back"]
    tree = _nav_tree(etree.fromstring(epub.read("EPUB/text/nav.xhtml")))
    for part in book.parts:
        children = next(kids for title, kids in tree if title == part.title)
        chapters = [c for c in book.chapters if c.part == part.id]
        assert [title for title, _ in children] == [c.title_text for c in chapters]
    pages = [pdf.page_of(target) for target in expected]
    assert pages == sorted(pages)
    front = [c for c in book.chapters if c.matter == "front"]
    assert all(pdf.page_of(c.id) < pdf.page_of(book.parts[0].id) for c in front)
    # A note of several paragraphs keeps them all, in the EPUB as paragraphs of its aside.
    note = next(n for c in book.chapters for n in c.notes if len(n.blocks) > 2)
    chapter_file = next(c for c in book.chapters if note in c.notes).id
    aside = etree.fromstring(epub.read(f"EPUB/text/{chapter_file}.xhtml")).xpath(
        f"//x:aside[@id='{note.id}']/x:p", namespaces=NS)
    assert len(aside) == len(note.blocks)


def test_images_and_the_books_own_cover(reading, corpus):
    built, book, pdf = reading("images-and-cover")
    epub = _epub(built)
    opf = etree.fromstring(epub.read("EPUB/content.opf"))
    cover = opf.xpath("//opf:item[contains(@properties, 'cover-image')]", namespaces=NS)
    assert len(cover) == 1
    assert epub.read("EPUB/" + cover[0].get("href")) == (built.folder / book.settings.cover_image).read_bytes()
    images = [src for chapter in book.chapters for src in chapter.survey.images]
    assert len(images) == 2
    documents = {c.id: etree.fromstring(epub.read(f"EPUB/text/{c.id}.xhtml")) for c in book.chapters}
    for chapter in book.chapters:
        for src in chapter.survey.images:
            (img,) = [i for i in documents[chapter.id].xpath("//x:img", namespaces=NS)
                      if i.get("src").endswith(Path(src).name)]
            assert img.get("alt") and epub.read(posixpath.normpath("EPUB/text/" + img.get("src"))) == (built.folder / src).read_bytes()
            # The PDF draws the image on a page of its chapter.
            page = pdf.reader.pages[pdf.page_of(chapter.id)]
            drawn = [obj for obj in page["/Resources"].get("/XObject", {}).values()
                     if obj.get_object().get("/Subtype") == "/Image"]
            later = [obj for p in pdf.reader.pages[pdf.page_of(chapter.id):pdf.page_of(chapter.id) + 3]
                     for obj in p["/Resources"].get("/XObject", {}).values()
                     if obj.get_object().get("/Subtype") == "/Image"]
            assert drawn or later, (chapter.id, src)


@pytest.mark.parametrize("name", cases("image-measure"))
def test_each_image_is_printed_whole_within_the_measure(name, reading):
    """Every image drawn in the PDF lies inside its page's trim and between the left and right edges
    of that page's text (the measure, as the justified lines show it), and is drawn once: an image is
    never split over pages nor run past the trim (issue 13)."""
    import pypdfium2.raw as raw

    built, book, pdf = reading(name)
    sources = [src for chapter in book.chapters for src in chapter.survey.images]
    drawn = 0
    for index in range(pdf.count):
        page = pdf.pdfium[index]
        images = [obj.get_bounds() for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=8)]
        if not images:
            continue
        textpage = page.get_textpage()
        boxes = [textpage.get_charbox(k) for k in range(textpage.count_chars())
                 if not textpage.get_text_range(k, 1).isspace()]
        text_left, text_right = min(b[0] for b in boxes), max(b[2] for b in boxes)
        left, bottom, right, top = (float(v) for v in pdf.reader.pages[index].trimbox)
        for x0, y0, x1, y1 in images:
            drawn += 1
            assert left <= x0 and x1 <= right and bottom <= y0 and y1 <= top, (name, index + 1, "past the trim")
            assert text_left - 1 <= x0 and x1 <= text_right + 1, (name, index + 1, (x0, x1), (text_left, text_right))
    assert drawn == len(sources), (name, drawn, sources)


def test_note_style_sets_every_citation_as_a_footnote(reading, corpus):
    built, book, pdf = reading("note-style")
    epub = _epub(built)
    for chapter in book.chapters:
        doc = etree.fromstring(epub.read(f"EPUB/text/{chapter.id}.xhtml"))
        in_text = doc.xpath("//x:span[@class='citation'][not(ancestor::x:aside)]", namespaces=NS)
        assert in_text == [], chapter.id
        in_notes = doc.xpath("//x:aside//x:span[@class='citation']", namespaces=NS)
        assert len(in_notes) == sum(1 for c in chapter.survey.cites)
        numbers = [int(a.text) for a in doc.xpath("//x:a[@epub:type='noteref']", namespaces=NS)]
        assert numbers == list(range(1, len(chapter.notes) + 1))  # the author's notes and citations together
        # A citation's call as a publisher sets it: after the punctuation, with no space before it.
        for call in doc.xpath("//x:a[@epub:type='noteref'][starts-with(@id, 'note-cite-')]", namespaces=NS):
            before = call.getprevious().tail if call.getprevious() is not None else call.getparent().text
            assert before and not before[-1].isspace(), (chapter.id, call.get("id"), before)
            assert not (call.tail or " ")[0] in ".,;:!?", (chapter.id, call.get("id"), call.tail)
    for _, cite in book.citations():  # in the PDF, in the footnotes of the page of its call
        page = pdf.page_of(cite.id)
        assert words(m.cite_text(cite))[0] in words(pdf.notes_text(page)), (cite.id, page + 1)


def test_a_book_in_french_with_greek_and_russian(reading, corpus):
    built, book, pdf = reading("french")
    epub = _epub(built)
    opf = etree.fromstring(epub.read("EPUB/content.opf"))
    assert opf.xpath("//dc:language/text()", namespaces=NS) == [book.metadata.language] == ["fr-FR"]
    for name in epub.namelist():
        if name.endswith(".xhtml"):
            root = etree.fromstring(epub.read(name))
            assert root.get("lang") == root.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr-FR", name
    assert pdf.reader.trailer["/Root"]["/Lang"] == "fr-FR"
    text = " ".join(words(" ".join(pdf.body_text(i) for i in range(pdf.count))))
    for quoted in ("πάντα χωρεῖ καὶ οὐδὲν μένει", "Я помню чудное мгновенье", "Передо мной явилась ты",
                   "Élise Garnier"):
        assert " ".join(words(quoted)) in text, quoted
