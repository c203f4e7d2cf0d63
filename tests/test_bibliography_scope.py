"""[bibliography] scope (issue 14, item 5): one bibliography for the book (the default), one per part
(after the part's last chapter) or one per chapter (at its end), each listing only the works cited
in it, with "Cited on pp." right in each; works listed though never cited (nocite) in the book-wide
list at the end.

The corpus book ``endnotes`` (scope = "part", a nocite work) is built as it is and with scope =
"chapter" (and its notes at each chapter's end). Expected entries, ids and pages come from the model
and the PDF, never constants.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from functools import lru_cache
from pathlib import Path

import pytest
from lxml import etree

from bookmaker import config_findings
from corpus_books import CORPUS
from epubtools import NS, build, epubcheck
from pressroom import ids
from pressroom import model as m
from pressroom.bibliography_scopes import scope_owner
from pressroom.pipeline import prepare_book
from printed import PrintedPdf, normalised

BOOK = CORPUS / "endnotes"


def _variant(root: Path, **tables: dict[str, str]) -> Path:
    """A copy of the corpus book with some keys of its tables set (``bibliography={"scope": "chapter"}``)."""
    shutil.copytree(BOOK, root, ignore=shutil.ignore_patterns("golden", "dist", ".cache"))
    config = root / "manuscript" / "book.toml"
    lines, table = [], ""
    for line in config.read_text(encoding="utf-8").splitlines():
        if line.startswith("["):
            table = line.strip("[] ")
        key = line.split("=")[0].strip()
        if table in tables and key in tables[table]:
            continue
        lines.append(line)
        if line.strip() == f"[{table}]" and table in tables:
            lines += [f'{k} = "{v}"' for k, v in tables[table].items()]
    config.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """scope → (book folder, model, PDF): the corpus book (scope "part") or its variant with scope
    "chapter" and place "chapter", each built (EPUB and PDF) once."""

    @lru_cache(maxsize=None)
    def get(scope: str):
        root = tmp_path_factory.mktemp(scope) / "book"
        if scope == "part":
            shutil.copytree(BOOK, root, ignore=shutil.ignore_patterns("golden", "dist", ".cache"))
        else:
            _variant(root, bibliography={"scope": scope}, notes={"place": "chapter"})
        result = build(root, "--format", "epub", "--format", "pdf")
        assert result.returncode == 0 and result.stderr == "", result.stderr
        return root, prepare_book(root), PrintedPdf(next((root / "dist").glob("*.pdf")))

    return get


def test_a_bad_scope_is_a_c001_listing_the_scopes(tmp_path):
    root = _variant(tmp_path / "book", bibliography={"scope": "section"})
    text, line = config_findings(root, "scope")
    assert f"book.toml:{line}" in text and "C001" in text
    assert "'scope' must be one of: book, part, chapter, not 'section'" in text


@pytest.mark.parametrize("scope", ["part", "chapter"])
def test_each_list_holds_the_works_its_scope_cites_and_the_rest_the_uncited(tmp_path, scope):
    whole = prepare_book(_variant(tmp_path / "whole", bibliography={"scope": "book"}))
    split = prepare_book(_variant(tmp_path / "split", bibliography={"scope": scope}))
    owners = list(dict.fromkeys(scope_owner(scope, c) for c in whole.chapters if scope_owner(scope, c)))
    assert [b.owner for b in split.scoped_bibliographies] == owners and len(owners) > 1
    for bib in split.scoped_bibliographies:
        chapters = [c for c in whole.chapters if scope_owner(scope, c) == bib.owner]
        assert bib.after == chapters[-1].id  # after the part's last chapter, or the chapter itself
        cites = {cite.id for c in chapters for cite in c.survey.cites}
        cited_here = [e for e in whole.bibliography if set(e.cited_by) & cites]
        assert [e.key for e in bib.entries] == [e.key for e in cited_here]  # the style's order kept
        for entry, original in zip(bib.entries, cited_here):
            assert entry.id == ids.scoped_bib_entry_id(bib.owner, entry.key)
            assert entry.cited_by == tuple(c for c in original.cited_by if c in cites)
            assert entry.inlines == original.inlines
    # the book-wide list keeps the works no scope lists: here, the work listed though never cited
    assert [e.key for e in split.bibliography] == [e.key for e in whole.bibliography if not e.cited_by]
    assert split.bibliography and all(not e.cited_by for e in split.bibliography)


def _cited_on(pdf: PrintedPdf, start: int, end: int) -> list[list[str]]:
    text = normalised(" ".join(pdf.body_text(i) for i in range(start, end)))
    text = text[text.rindex("Bibliography"):]
    return [[p.strip() for p in found.group(1).split(",")]
            for found in re.finditer(r"Cited on pp?\.\s*([^.]*)\.", text)]


@pytest.mark.parametrize("scope", ["part", "chapter"])
def test_pdf_sets_each_list_where_its_scope_ends_with_the_pages_citing_it(built, scope):
    _, book, pdf = built(scope)
    starts = sorted({pdf.page_of(t) for t in (*(c.id for c in book.chapters), *(p.id for p in book.parts),
                                               ids.ENDNOTES, ids.BIBLIOGRAPHY) if t in pdf.destinations})
    for bib in book.scoped_bibliographies:
        page = pdf.page_of(ids.scoped_bibliography_id(bib.owner))
        after = pdf.page_of(bib.after)
        following = min([s for s in starts if s > after] + [pdf.count])
        assert after <= page < following  # after its last chapter's opener, before what comes next
        if scope == "part":
            assert page > after and pdf.label(page).isdigit()  # a page of its own
        expected = [[pdf.label(i) for i in sorted({pdf.page_of(c) for c in e.cited_by})] for e in bib.entries]
        assert _cited_on(pdf, page, following) == expected, bib.owner
    # the citations link to their scope's entries
    links = {str(a.get_object().get("/Dest")) for p in pdf.reader.pages for a in (p.get("/Annots") or [])}
    for chapter in book.chapters:
        owner = scope_owner(scope, chapter)
        for cite in chapter.survey.cites:
            for item in cite.items:
                assert ids.scoped_bib_entry_id(owner, item.key) in links


@pytest.mark.parametrize("scope", ["part", "chapter"])
def test_epub_sets_each_list_in_its_last_chapters_file_linked_both_ways(built, scope):
    root, book, _ = built(scope)
    epub = zipfile.ZipFile(next((root / "dist").glob("*.epub")))
    report = epubcheck(next((root / "dist").glob("*.epub")))
    assert [(msg["severity"], msg["message"]) for msg in report["messages"]] == []
    files = {c.id: f"{c.id}.xhtml" for c in book.chapters}
    for bib in book.scoped_bibliographies:
        doc = etree.fromstring(epub.read(f"EPUB/text/{files[bib.after]}"))
        section = doc.xpath(f"//x:section[@id='{ids.scoped_bibliography_id(bib.owner)}']", namespaces=NS)[0]
        assert section.get("role") == "doc-bibliography"
        items = section.xpath(".//x:li[@class='reference']", namespaces=NS)
        assert [li.get("id") for li in items] == [e.id for e in bib.entries]
        for li, entry in zip(items, bib.entries):
            backs = [a.get("href").split("#")[1] for a in li.xpath(".//x:a[@class='citing']", namespaces=NS)]
            assert backs == list(entry.cited_by)
    for chapter in book.chapters:
        doc = etree.fromstring(epub.read(f"EPUB/text/{files[chapter.id]}"))
        owner = scope_owner(scope, chapter)
        bib = next(b for b in book.scoped_bibliographies if b.owner == owner)
        for link in doc.xpath("//x:a[@class='cite']", namespaces=NS):
            page, _, target = link.get("href").rpartition("#")
            assert target.startswith(f"ref-{owner}.-") and (page or files[chapter.id]) == files[bib.after]


def test_the_preview_sets_a_chapters_list_at_its_end(tmp_path):
    from pressroom.preview import PreviewSite, page_url

    root = _variant(tmp_path / "book", bibliography={"scope": "chapter"})
    book = prepare_book(root)
    pages = PreviewSite(root).render(book)
    for bib in book.scoped_bibliographies:
        html = pages[page_url(bib.after)].decode("utf-8")
        assert f'id="{ids.scoped_bibliography_id(bib.owner)}"' in html
        for entry in bib.entries:
            assert f'id="{entry.id}"' in html
            assert f'href="{page_url(bib.after)}#{entry.id}"' in html  # a citation links to it
