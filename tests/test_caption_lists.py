"""The lists of figures and of tables (issue 13): ``[contents] figures = true`` / ``tables = true``
give the front matter a list of the numbered captions, each entry linked to its figure or table;
in the EPUB each list is its own page in the spine after the contents (a loi/lot landmark), in the
PDF each entry prints the number of the page its figure or table stands on, read from the layout's
page map as the contents' numbers are."""

from __future__ import annotations

import re
import shutil
import zipfile
from pathlib import Path

import pytest

from epubtools import build
from printed import PrintedPdf, model_of, normalised

BOOK = "kitchen-sink"


def _numbered(book, kind):
    from pressroom import model as m
    from pressroom.walk import query

    node_type = m.Figure if kind == "figure" else m.Table
    return [node for chapter in book.chapters for node in query(chapter.blocks, node_type, leaves=(m.Paragraph,))
            if node.number]


@pytest.mark.parametrize("kind, name, word", [("figure", "list-of-figures", "List of Figures"),
                                              ("table", "list-of-tables", "List of Tables")])
def test_the_epub_has_each_list_after_the_contents_linking_every_numbered_caption(built_books, kind, name, word):
    epub = built_books.output(BOOK, "epub")
    book = model_of(built_books.folder(BOOK))
    numbered = _numbered(book, kind)
    assert numbered, "kitchen-sink has numbered figures and tables"
    with zipfile.ZipFile(epub) as z:
        opf = z.read("EPUB/content.opf").decode()
        page = z.read(f"EPUB/text/{name}.xhtml").decode()
        nav = z.read("EPUB/text/nav.xhtml").decode()
        chapters = {n: z.read(n).decode() for n in z.namelist() if n.startswith("EPUB/text/")}
    spine = re.findall(r'<itemref idref="([^"]+)"', opf)
    assert spine.index(name) > spine.index("nav"), spine
    assert f'<a epub:type="{"loi" if kind == "figure" else "lot"}" href="{name}.xhtml">{word}</a>' in nav
    links = re.findall(r'<li><a href="([^"#]+)#([^"]+)">([^<]+)</a></li>', page)
    assert [target for _, target, _ in links] == [node.id for node in numbered]
    for (file, target, text), node in zip(links, numbered):
        assert f'id="{target}"' in chapters[f"EPUB/text/{file}"]
        assert text.startswith(f"{'Figure' if kind == 'figure' else 'Table'} {node.number}\u2002")


def test_the_pdf_lists_print_the_page_each_figure_and_table_stands_on(built_books):
    pdf = PrintedPdf(built_books.output(BOOK, "pdf"))
    book = model_of(built_books.folder(BOOK))
    for kind, word in (("figure", "List of Figures"), ("table", "List of Tables")):
        (list_page,) = [i for i in range(pdf.count) if normalised(pdf.main_text(i)).startswith(word)]
        text = normalised(pdf.main_text(list_page))
        for node in _numbered(book, kind):
            label = f"{'Figure' if kind == 'figure' else 'Table'} {node.number}"
            printed = re.search(rf"{label} [^.]*?[ .]*\.\s*(\w+)", text)
            assert printed, (label, text)
            assert printed[1] == pdf.folios[pdf.page_of(node.id)], (label, text)


def test_a_book_that_does_not_ask_has_no_list(built_books):
    with zipfile.ZipFile(built_books.output("odd-headings", "epub")) as z:
        assert not [n for n in z.namelist() if "list-of-" in n]


def test_a_list_setting_that_is_not_true_or_false_is_c001_with_its_line(built_books, tmp_path):
    folder = tmp_path / "book"
    shutil.copytree(built_books.folders[BOOK], folder, ignore=shutil.ignore_patterns("dist", ".cache"))
    config = folder / "manuscript" / "book.toml"
    text = config.read_text().replace("figures = true", 'figures = "yes"')
    config.write_text(text)
    line = text.splitlines().index('figures = "yes"') + 1
    result = build(folder, "--format", "epub")
    assert result.returncode != 0
    assert f"manuscript/book.toml:{line}: error C001: 'figures' must be true or false" in result.stderr, result.stderr


def test_the_preview_contents_list_the_figures_and_tables_linked_to_their_pages(built_books, tmp_path):
    from test_preview import Preview

    folder = tmp_path / "book"
    shutil.copytree(built_books.folders[BOOK], folder, ignore=shutil.ignore_patterns("dist", ".cache"))
    book = model_of(folder)
    server = Preview(folder)
    try:
        status, _, body = server.get("/")
        page = body.decode()
        for kind, word in (("figure", "List of Figures"), ("table", "List of Tables")):
            assert f">{word}</h1>" in page
            for node in _numbered(book, kind):
                (href,) = re.findall(rf'<a href="([^"]*#{node.id})">', page)
                status, _, chapter = server.get(href.split("#")[0])
                assert status == 200 and f'id="{node.id}"'.encode() in chapter
    finally:
        server.stop()
