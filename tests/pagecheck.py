"""Page-number invariants of a built book, read off the real PDF (and EPUB) and derived from the model.

Each ``check_*`` takes a :class:`Printed` (the PDF read back) and the finished book model, and
asserts; nothing here knows any one book.
"""

from __future__ import annotations

import re
from pathlib import Path

from pressroom import ids
from pressroom.frontmatter import is_display

MM = 72 / 25.4


class Printed:
    """A built PDF read back: each page's foot (folio band), text, /PageLabels and named destinations."""

    def __init__(self, path: Path, foot_mm: float = 14):
        import pypdf
        import pypdfium2

        self.reader = pypdf.PdfReader(path)
        pdfium = pypdfium2.PdfDocument(path)
        self.feet, self.texts, self.bodies = [], [], []
        for index, page in enumerate(self.reader.pages):
            left, bottom, right, top = (float(v) for v in page.trimbox)
            textpage = pdfium[index].get_textpage()
            self.feet.append(textpage.get_text_bounded(left, bottom, right, bottom + foot_mm * MM).strip())
            self.bodies.append(textpage.get_text_bounded(left, bottom + foot_mm * MM, right, top - foot_mm * MM))
            self.texts.append(textpage.get_text_range())
        self.labels = list(self.reader.page_labels)
        self.has_page_labels = "/PageLabels" in self.reader.trailer["/Root"]
        self.dests = {name: self.reader.get_destination_page_number(dest)
                      for name, dest in self.reader.named_destinations.items()}

    def page_of(self, anchor: str) -> int:
        return self.dests[anchor]


def roman(n: int) -> str:
    out = ""
    for value, letters in ((10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out += letters
            n -= value
    return out


def body_start(pdf: Printed, book) -> int:
    """The page where the body begins: the first part's title page, or the first body chapter's opener."""
    first = next(c for c in book.chapters if c.matter == "body")
    return pdf.page_of(first.part or first.id)


def check_labels_and_folios(pdf: Printed, book) -> None:
    """/PageLabels: roman from i, arabic from 1 at the body's first page; every printed folio equals
    its page's label; no folio on display pages, part title pages and blank pages; folios on all others."""
    assert pdf.has_page_labels
    start = body_start(pdf, book)
    assert pdf.labels == [roman(i + 1) for i in range(start)] + [str(n) for n in range(1, len(pdf.labels) - start + 1)]
    silent = {0, pdf.page_of(ids.TITLE_PAGE), pdf.page_of(ids.COPYRIGHT_PAGE), *(pdf.page_of(p.id) for p in book.parts),
              # display pages too: "Also by", a dedication, an epigraph (pressroom.frontmatter)
              *([pdf.page_of(ids.ALSO_BY)] if book.metadata.also_by else []),
              *(pdf.page_of(c.id) for c in book.chapters if is_display(c))}
    for index, (foot, label) in enumerate(zip(pdf.feet, pdf.labels)):
        blank = not pdf.texts[index].strip()
        if index in silent or blank:
            assert foot == "", (index, label, foot)
        else:
            assert foot == label, (index, label, foot)
    printed = [int(f) for f in pdf.feet if f.isdigit()]
    assert printed == sorted(set(printed))


def contents_entries(book) -> list[tuple[str, str]]:
    """(title, target id) of every entry of the contents, in order: parts, chapters, their sections,
    the bibliography and the index (not a dedication or an epigraph: they stand before the contents)."""
    out = []
    seen_parts = set()
    parts = {p.id: p for p in book.parts}
    for chapter in book.chapters:
        if is_display(chapter):
            continue
        if chapter.part and chapter.part not in seen_parts:
            seen_parts.add(chapter.part)
            out.append((parts[chapter.part].title, chapter.part))
        out.append((chapter.title_text, chapter.id))
        out += [(section.title, section.id) for section in chapter.sections]
    if book.bibliography:
        out.append(("Bibliography", "bibliography"))
    if book.index:
        out.append(("Index", "index"))
    return out


def check_contents(pdf: Printed, book) -> None:
    """Each contents entry's number is the label of the page its heading stands on."""
    first = pdf.page_of("contents")
    after = min(pdf.page_of(a) for a in [c.id for c in book.chapters if not is_display(c)] + [p.id for p in book.parts])
    text = "\n".join(pdf.texts[first:after])
    lines = [re.sub(r"\s+", " ", line).strip() for line in text.replace("\r", "").split("\n")]
    numbered = [line for line in lines if re.search(r"[ .](\d+|[ivxl]+)$", line)]
    entries = contents_entries(book)
    assert len(numbered) == len(entries), numbered
    for line, (title, target) in zip(numbered, entries):
        number = re.search(r"(\d+|[ivxl]+)$", line).group(1)
        assert line.startswith(title.split()[0]), (line, title)
        assert number == pdf.labels[pdf.page_of(target)], (title, number, pdf.labels[pdf.page_of(target)])


def back_text(pdf: Printed, anchor: str) -> str:
    start = pdf.page_of(anchor)
    end = pdf.page_of("index") if anchor == "bibliography" and "index" in pdf.dests else len(pdf.texts)
    text = " ".join(pdf.texts[start:end]).replace("\u00a0", " ")
    return re.sub(r"\s+", " ", re.sub("\u2013\\s+", "\u2013", text))


def check_cited_on(pdf: Printed, book) -> None:
    """Each bibliography entry's "Cited on" list is the set of labels of the pages its citations stand on."""
    text = back_text(pdf, "bibliography")
    checked = 0
    for entry in book.bibliography:
        if not entry.cited_by:
            continue
        pages = sorted({pdf.page_of(cite) for cite in entry.cited_by})
        labels = [pdf.labels[i] for i in pages]
        printed = f"Cited on {'pp.' if len(labels) > 1 else 'p.'} {', '.join(labels)}."
        assert printed in text, (entry.key, printed)
        checked += 1
    assert checked


def expand(locator: str) -> list[str]:
    if "\u2013" in locator:
        first, last = locator.split("\u2013")
        return [str(n) for n in range(int(first), int(last) + 1)]
    return [locator]


def printed_index(pdf: Printed) -> dict[str, list[str]]:
    """Index term → the page labels printed after it (ranges expanded), from the PDF's index pages."""
    text = back_text(pdf, "index").split("Index", 1)[1]
    out = {}
    for match in re.finditer(r"([A-Z][\w’' ]*?), ((?:(?:\d+(?:\u2013\d+)?|[ivxl]+)(?:, )?)+)", text):
        out[match.group(1).strip()] = [n for loc in match.group(2).rstrip(", ").split(", ") for n in expand(loc)]
    return out


def check_index(pdf: Printed, book, spellings: dict[str, tuple[str, ...]]) -> None:
    """Each index entry's locators are the labels of the pages (of the text) where one of its
    spellings stands (``spellings``: term → the words that count; short words, never hyphenated)."""
    printed = printed_index(pdf)
    start = min(pdf.page_of(c.id) for c in book.chapters)
    end = pdf.page_of("bibliography") if book.bibliography else pdf.page_of("index")
    checked = 0
    for term, words in spellings.items():
        pattern = re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")\b")
        want = [pdf.labels[i] for i in range(start, end) if pattern.search(pdf.bodies[i])]
        assert printed.get(term) == want, (term, printed.get(term), want)
        checked += 1
    assert checked


def check_page_list(pdf: Printed, book, page_list: list[str]) -> None:
    """The EPUB's page-list is the labels of the PDF's text pages, from the first chapter or part to
    the back matter laid out on its own (the bibliography, else the index); a dedication or an
    epigraph stands before the contents, outside the text."""
    anchors = [c.id for c in book.chapters if not is_display(c)] + [p.id for p in book.parts]
    start = min(pdf.page_of(a) for a in anchors)
    end = pdf.page_of("bibliography") if book.bibliography else pdf.page_of("index") if book.index else len(pdf.labels)
    assert page_list == pdf.labels[start:end]
