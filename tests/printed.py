"""A built book read back as its reader sees it: the PDF's folios, page labels, destinations and the
words on each page, the EPUB's documents; and the model's words, to find on which printed page each
place of the text (an index mark, a note's call) stands.

Every expected value a corpus test compares with is derived here from two sources only: the book
model (``model_of``) and the PDF itself (its text read back with pypdfium2, its destinations and
labels with pypdf), never from constants of one book.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

MM = 72 / 25.4
BAND = 14 * MM  # the running head's and the folio's band at the top and foot of a page's trim box
ROMAN = re.compile(r"[ivxlcdm]+")
WORD = re.compile(r"\w+")
# A word split by hyphenation at a line's end: the hyphen WeasyPrint draws (U+2010), then the line break.
LINE_HYPHEN = re.compile("\u2010\\s*[\\r\\n]+\\s*")


def model_of(folder: Path):
    """The finished book model (citations printed, index gathered, typography applied) of a book folder.

    The one place the corpus tests ask Pressroom for its model: when the driver's entry point is
    renamed, this is the line to change."""
    from pressroom.build import prepare_book

    return prepare_book(folder)


def roman_value(label: str) -> int:
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
    total = 0
    for char, after in zip(label, label[1:] + " "):
        value = values[char]
        total += -value if after != " " and values[after] > value else value
    return total


def roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                           (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        while n >= value:
            out += letters
            n -= value
    return out


def words(text: str) -> list[str]:
    """The words of a text for comparing a PDF's text with the model's: compatibility forms folded
    (ligatures), case folded (small capitals read back in either case), punctuation dropped."""
    return WORD.findall(unicodedata.normalize("NFKC", text).casefold())


def normalised(text: str) -> str:
    """Text read off a PDF with line-end hyphenation undone and every run of space made one space."""
    text = LINE_HYPHEN.sub("", text).replace("\u00a0", " ").replace("\u202f", " ")
    return re.sub(r"\s+", " ", text).strip()


class PrintedPdf:
    """A PDF as printed: each page's folio (the text in its foot band), its page labels, where each
    named destination is, and the words of each page's main text and of its footnotes."""

    def __init__(self, path: Path):
        import pypdf
        import pypdfium2

        self.path = path
        self.reader = pypdf.PdfReader(path)
        self.pdfium = pypdfium2.PdfDocument(path)
        self.count = len(self.reader.pages)

    def _box(self, index: int) -> tuple[float, float, float, float]:
        return tuple(float(v) for v in self.reader.pages[index].trimbox)

    @cached_property
    def folios(self) -> list[str]:
        """The folio printed at the foot of each page ("" where none is printed)."""
        out = []
        for index in range(self.count):
            left, bottom, right, _ = self._box(index)
            out.append(self.pdfium[index].get_textpage().get_text_bounded(left, bottom, right, bottom + BAND).strip())
        return out

    def body_text(self, index: int) -> str:
        """The text between the running head's band and the folio's, as pdfium reads it."""
        left, bottom, right, top = self._box(index)
        return self.pdfium[index].get_textpage().get_text_bounded(left, bottom + BAND, right, top - BAND)

    @cached_property
    def _chars(self) -> list[list[tuple[str, float]]]:
        """Each page's characters inside the body bands, with their font sizes (0 for the line breaks
        pdfium generates)."""
        import pypdfium2.raw as raw

        pages = []
        for index in range(self.count):
            left, bottom, right, top = self._box(index)
            textpage = self.pdfium[index].get_textpage()
            chars = []
            for k in range(textpage.count_chars()):
                char = textpage.get_text_range(k, 1)
                size = raw.FPDFText_GetFontSize(textpage.raw, k)
                if char in "\r\n" or size <= 1.0:
                    chars.append(("\n" if char in "\r\n" else " ", 0.0))
                    continue
                x0, y0, x1, y1 = textpage.get_charbox(k)
                if bottom + BAND <= (y0 + y1) / 2 <= top - BAND:
                    chars.append((char, size))
            pages.append(chars)
        return pages

    @cached_property
    def text_size(self) -> float:
        """The font size of the running text: the commonest size of the whole book."""
        sizes = Counter(round(size, 1) for page in self._chars for _, size in page if size)
        return sizes.most_common(1)[0][0]

    def _text(self, index: int, small: bool) -> str:
        """A page's main text (``small`` False: the running text, headings, quotations) or its
        footnotes and note calls (``small`` True: set smaller than a quotation)."""
        limit = 0.87 * self.text_size
        return "".join(char if not size or (size < limit) == small else " " for char, size in self._chars[index])

    def main_text(self, index: int) -> str:
        return self._text(index, small=False)

    def notes_text(self, index: int) -> str:
        return normalised(self._text(index, small=True))

    @cached_property
    def destinations(self) -> dict[str, int]:
        """Named destination (an id of the book) → the index of the page it is on."""
        return {str(name): self.reader.get_destination_page_number(dest)
                for name, dest in self.reader.named_destinations.items()}

    def page_of(self, target: str) -> int:
        if target not in self.destinations:
            raise AssertionError(f"the PDF has no destination {target!r}")
        return self.destinations[target]

    @cached_property
    def page_labels(self) -> list[str] | None:
        """The /PageLabels of the document, page by page; None when it has none."""
        if "/PageLabels" not in self.reader.trailer["/Root"]:
            return None
        return list(self.reader.page_labels)

    # ------------------------------------------------------------------ folios

    @cached_property
    def runs(self) -> dict[str, int]:
        """The numbering the printed folios follow: for "roman" and "arabic", the index of the page
        that is (or would be) numbered 1. Asserts that every printed folio is a number of one style,
        that roman ones come before arabic ones, and that each style counts one per page."""
        origins: dict[str, set[int]] = {"roman": set(), "arabic": set()}
        styles = []
        for index, folio in enumerate(self.folios):
            if not folio:
                continue
            if folio.isdigit():
                style, value = "arabic", int(folio)
            elif ROMAN.fullmatch(folio):
                style, value = "roman", roman_value(folio)
            else:
                raise AssertionError(f"page {index + 1}: the foot holds {folio!r}, not a page number")
            styles.append(style)
            origins[style].add(index - value + 1)
        assert styles == sorted(styles, key=lambda s: s == "arabic"), f"roman folios after arabic ones: {self.folios}"
        for style, found in origins.items():
            assert len(found) <= 1, f"the {style} folios do not count one per page: {self.folios}"
        return {style: found.pop() for style, found in origins.items() if found}

    def label(self, index: int) -> str:
        """The page number of a page, printed or not: where it stands in its run of folios."""
        arabic = self.runs.get("arabic")
        if arabic is not None and index >= arabic:
            return str(index - arabic + 1)
        if "roman" in self.runs:
            return roman(index - self.runs["roman"] + 1)
        return str(index + 1) if arabic is None else roman(index + 1)


# ---------------------------------------------------------------------- where places of the text stand


@dataclass(frozen=True)
class Place:
    """Where a place of the model's text stands in the PDF: the page indexes it may be on (two for a
    word hyphenated across a page break), empty when its words could not be found."""

    pages: tuple[int, ...]


def chapter_pages(pdf: PrintedPdf, book) -> dict[str, range]:
    """Chapter id → the indexes of its pages: from its opener to the page before whatever comes next."""
    starts = []
    for chapter in book.chapters:
        starts.append((pdf.page_of(chapter.id), chapter.id))
    following = [pdf.page_of(p.id) for p in book.parts]
    following += [pdf.page_of(t) for t in ("endnotes", "bibliography", "index") if t in pdf.destinations]
    out = {}
    for start, chapter_id in starts:
        later = [s for s, _ in starts if s > start] + [s for s in following if s > start] + [pdf.count]
        out[chapter_id] = range(start, min(later))
    return out


def _flow_words(pdf: PrintedPdf, pages: range) -> list[tuple[str, tuple[int, ...]]]:
    """The words of the main text of some pages, in order, each with its page (or the two pages of a
    word hyphenated across a page break)."""
    out: list[tuple[str, tuple[int, ...]]] = []
    carried = ""
    for index in pages:
        text = LINE_HYPHEN.sub("", pdf.main_text(index))
        found = words(text)
        if carried and found:
            out.append((carried + found[0], (index - 1, index)))
            found = found[1:]
            carried = ""
        if found and re.search("\\w\u2010\\s*$", text):
            carried = found.pop()
        out.extend((word, (index,)) for word in found)
    if carried:
        out.append((carried, (pages[-1],)))
    return out


def _model_flow(chapter):
    """The words of a chapter's text as the PDF sets them in its running text (title, headings,
    paragraphs, quotations, lists, citations as printed; not the notes), and for each index mark
    and note call the number of words before it."""
    from pressroom import model as m
    from pressroom.walk import iter_nodes

    flow: list[str] = []
    marks: dict[str, int] = {}
    calls: dict[str, int] = {}
    for node in iter_nodes((*chapter.title_blocks(), *chapter.blocks)):
        if isinstance(node, (m.Text, m.Abbr, m.Code)):
            flow.extend(words(node.text))
        elif isinstance(node, m.IndexMark):
            marks[node.id] = len(flow)
        elif isinstance(node, m.NoteRef):
            calls.setdefault(node.note_id, max(len(flow) - 1, 0))  # a call follows its word
    return flow, marks, calls


def _follow(flow: list[str], printed: list[tuple[str, tuple[int, ...]]], window: int) -> list[tuple[int, ...]]:
    """The pages of each of the model's words, found by following them through the printed words.

    Hand-written (difflib's matcher is quadratic on a long chapter's repeated words): a word is taken
    where the printed words go on as expected, or a little further on (a word the PDF has and the
    model has not, such as a list's numbers) when it and the next two words are found there
    together; a word not found so (hyphenated oddly, accented differently) is left without a page."""
    matched: list[tuple[int, ...]] = []
    position = 0
    for n, word in enumerate(flow):
        if position < len(printed) and printed[position][0] == word:
            matched.append(printed[position][1])
            position += 1
            continue
        wanted = flow[n:n + 3]
        found = next((k for k in range(position, min(position + window, len(printed)))
                      if [w for w, _ in printed[k:k + len(wanted)]] == wanted), None)
        if found is None:
            matched.append(())
            continue
        matched.append(printed[found][1])
        position = found + 1
    return matched


def places(pdf: PrintedPdf, book, window: int = 40) -> dict[str, Place]:
    """Where the places of the text stand, found by following the model's words through the PDF's
    running text page by page: index mark id → the page of the word it stands before; note id → the
    page of its call (the word the call follows). A mark in a note stands where the note's call does,
    since the note is set at the foot of its call's page."""
    from pressroom import model as m
    from pressroom.walk import query

    out: dict[str, Place] = {}
    spans = chapter_pages(pdf, book)
    for chapter in book.chapters:
        flow, marks, calls = _model_flow(chapter)
        matched = _follow(flow, _flow_words(pdf, spans[chapter.id]), window)
        for place_id, n in (*marks.items(), *calls.items()):
            out[place_id] = Place(matched[n] if n < len(matched) else ())
        for note in chapter.notes:
            for mark in query(note, m.IndexMark):
                out[mark.id] = out.get(note.id, Place(()))
    return out
