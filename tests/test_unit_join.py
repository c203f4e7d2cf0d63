"""What the layout-by-unit design (issue 18) relies on in WeasyPrint: pages of separately laid-out
documents join into one PDF in-process, with a link from one document to an anchor in another
resolved and fonts embedded once; and laid-out pages do not pickle (so a worker process cannot
hand them back). If WeasyPrint changes either, this fails and the design should be looked at again.
"""

from __future__ import annotations

import io
import pickle

import pikepdf
import pytest
import weasyprint

PAGE = "<style>@page { size: A6 }</style>"


def _doc(body: str):
    return weasyprint.HTML(string=PAGE + body).render()


def test_pages_of_two_documents_join_with_a_link_across_them():
    first = _doc('<p><a href="#there">to the other unit</a></p>')
    second = _doc('<h1 id="there">Second unit</h1><p>text</p>')
    data = first.copy([*first.pages, *second.pages]).write_pdf()
    pdf = pikepdf.Pdf.open(io.BytesIO(data))
    assert len(pdf.pages) == 2
    names = pikepdf.NameTree(pdf.Root.Names.Dests)
    assert "there" in names
    target = names["there"][0]
    assert target.objgen == pdf.pages[1].obj.objgen
    links = [a for a in pdf.pages[0].obj.get("/Annots", []) if a.get("/Subtype") == "/Link"]
    assert links, "the link in the first unit was lost"
    embedded: dict[str, set] = {}
    for page in pdf.pages:
        for font in page.obj.Resources.Font.values():
            embedded.setdefault(str(font.BaseFont).split("+")[-1], set()).add(font.objgen)
    assert "Noto-Serif" in embedded  # the regular face is on both pages
    assert all(len(objects) == 1 for objects in embedded.values()), f"a face embedded twice: {embedded}"


def test_laid_out_pages_do_not_pickle():
    with pytest.raises(TypeError):
        pickle.dumps(_doc("<p>x</p>").pages)
