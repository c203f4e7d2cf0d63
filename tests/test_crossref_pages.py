""""see p. 42" in print (issue 13): a cross-reference in the PDF prints the page of its target when
the target is on another spread (not the same page nor the facing one: LaTeX's ``\\vref``), the number
read from the layout's page map; the EPUB and the preview keep the link alone."""

from __future__ import annotations

import zipfile

from printed import PrintedPdf, model_of, normalised

BOOK = "kitchen-sink"


def _refs(book):
    from pressroom import model as m
    from pressroom.walk import query

    return [ref for chapter in book.chapters for ref in query((*chapter.blocks, *chapter.notes), m.CrossRef)]


def test_a_cross_reference_prints_its_targets_page_only_when_the_target_is_on_another_spread(built_books):
    from pressroom import model as m

    pdf = PrintedPdf(built_books.output(BOOK, "pdf"))
    refs = _refs(model_of(built_books.folder(BOOK)))
    far = 0
    for ref in refs:
        site, target = pdf.page_of(ref.site), pdf.page_of(ref.target)
        words = normalised(m.plain_text(ref.text))
        text = normalised(pdf.main_text(site) + " " + pdf.main_text(min(site + 1, pdf.count - 1)))
        with_page = f"{words} on p. {pdf.folios[target]}"
        if (site + 1) // 2 != (target + 1) // 2:
            far += 1
            assert with_page in text, (ref.label, with_page, text)
        else:
            assert f"{words} on p." not in text, (ref.label, text)
    assert far >= 1 and far < len(refs), "kitchen-sink has references near and far from their targets"


def test_the_epub_prints_no_page_after_a_cross_reference(built_books):
    with zipfile.ZipFile(built_books.output(BOOK, "epub")) as z:
        pages = [z.read(n).decode() for n in z.namelist() if n.startswith("EPUB/text/")]
    assert any('class="crossref"' in page for page in pages)
    assert not any("on p.\u00a0" in page or "xref-" in page for page in pages)
