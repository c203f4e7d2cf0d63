"""WeasyPrint, as Pressroom uses it, and its workarounds. Written for WeasyPrint 70.0 (``WRITTEN_FOR``).

- :func:`imported`: WeasyPrint imported without the 21 failing library lookups its import makes.
- :func:`render`: HTML → laid-out document (the one place WeasyPrint lays anything out), every
  fetch through :func:`book_fetcher`: only the book's files and Pressroom's resources.
- :func:`laid_pages`: each page's named page and blankness. WeasyPrint 70 keeps them only on a
  private attribute (``Page._page_box.page_type``); page numbering needs them.
- :func:`page_text_runs`: the text of a laid-out page by block, read from WeasyPrint's box tree
  (private), since nothing in WeasyPrint maps a page back to its source text.
- :func:`add_anchor`: a named destination at the top of a page, put into ``Page.anchors``
  (the index's links to a page; WeasyPrint has no way to ask for one).
- :func:`without_index_marks`: WeasyPrint lays out every inline box, even an empty anchor; the
  sample's 621 index anchors cost a sixth of the text's layout time, so the PDF's HTML has none
  (the pages of index marks come from the text's page breaks, see :mod:`pressroom.pagemap`).
- :func:`spaces_into_elements`: WeasyPrint's line breaker goes wrong when an inline box starts
  at a line-break opportunity near the end of a justified, hyphenated line (a word or two left
  alone on the next line; seen 47 times in the sample book): with the space moved inside the
  element, the opportunity is after its first character instead of at its start.
- :func:`notes_white_space_processed`: WeasyPrint 70 takes a note (``float: footnote``) out of the
  box tree before white space is processed, so a note's source line breaks were printed as breaks.
- :func:`notes_kept_on_their_page`: WeasyPrint 70 moves a note whose call is already laid on a page
  to the next page to make room for one more line of a later paragraph (see its docstring).
- :func:`progress`: WeasyPrint's progress log, passed on as Pressroom's progress messages.
- :func:`weasyprint_findings`: WeasyPrint's warnings → findings, with the book's stylesheet file
  and line where they are about it (see "Warnings" below).

Warnings. WeasyPrint reports what it ignores (a CSS declaration it does not know or whose value is
invalid, an ``@page`` size it cannot read, an image it cannot load…) on its ``weasyprint`` logger
and carries on; left alone those messages go nowhere. While :func:`weasyprint_findings` is active,
each warning or error logged there becomes a finding given to ``report``:

- S001: a problem in ``styles/book.css``, at its own line. WeasyPrint numbers a position within the
  stylesheet it parses, and Pressroom hands it one ``<style>`` made of several sheets, so a position
  cannot tell which file it is in. Instead the book's sheet is parsed alone (once, when the first
  positioned message arrives) and its messages, which carry the file's own lines, stand for the
  layout's: the same message without its position is the same problem.
- W001: any other WeasyPrint warning (an image it could not load, a problem in the stylesheet
  Pressroom made, which is a bug of Pressroom's: its own stylesheets and templates raise none).

Which arguments of a message are its position is read from WeasyPrint's message template (``at
%d:%d``), never guessed from the English text.
"""

from __future__ import annotations

import logging
import re
import threading
from contextlib import contextmanager
from functools import lru_cache
from dataclasses import replace
from pathlib import Path
from typing import Callable

from .. import model as m
from ..errors import Finding, Location, finding
from ..walk import inline_children

WRITTEN_FOR = "70.0"

# The sonames WeasyPrint 70's ``text/ffi.py`` loads on Linux (the fourth name it tries for each).
_SONAMES = ("libgobject-2.0.so.0", "libpango-1.0.so.0", "libharfbuzz.so.0", "libfontconfig.so.1",
            "libpangoft2-1.0.so.0")


def imported():
    """The ``weasyprint`` module, imported once per process.

    Written by hand because no library setting does it: WeasyPrint 70 finds each of its seven C
    libraries by trying names in turn (``libgobject-2.0-0``, ``gobject-2.0-0``, ``gobject-2.0``, then
    the soname ``libgobject-2.0.so.0``), and cffi asks ``ctypes.util.find_library`` about each name
    that does not load, which runs ``ldconfig`` and ``gcc``: 54 processes, 0.2–0.3 s of every
    import, which every layout worker pays before its first unit. Where every soname loads (as on
    Debian), ``find_library`` answers "not found" during the import, as it does there anyway unless
    the ``-dev`` packages are installed (and then it finds these very files), so WeasyPrint reaches
    the soname at once; elsewhere WeasyPrint is imported as it is."""
    import sys

    module = sys.modules.get("weasyprint")
    if module is not None and not _importing.locked():
        return module
    with _importing:  # one thread imports; another waits for the whole module (and find_library back)
        module = sys.modules.get("weasyprint")
        if module is not None:
            return module
        import ctypes
        import ctypes.util

        try:
            for name in _SONAMES:
                ctypes.CDLL(name)
        except OSError:
            import weasyprint

            return weasyprint
        real = ctypes.util.find_library
        ctypes.util.find_library = lambda name: None
        try:
            import weasyprint
        finally:
            ctypes.util.find_library = real
        return weasyprint


_importing = threading.Lock()


def render(html: str, base_url: str, shared_style: bool = False):
    """The laid-out WeasyPrint document of an HTML string (relative URLs against ``base_url``, the
    book folder), fetching through :func:`book_fetcher`: a refused or failed fetch is a
    :class:`~pressroom.errors.ManuscriptError` (F001) naming the URL, never a silent gap.

    ``shared_style``: the document's first ``<style>`` is parsed once per process for every document
    that has the same one (:func:`_stylesheet`), as the units of a book do (pressroom.units): WeasyPrint
    parses a document's stylesheet again for each document, about 0.1 s for Pressroom's."""
    weasyprint = imported()
    from weasyprint.urls import FatalURLFetchingError

    from ..errors import ManuscriptError

    fetcher = book_fetcher(base_url)
    options: dict = {"font_config": font_configuration()}
    try:
        if shared_style and "<style>" in html:
            start = html.index("<style>") + len("<style>")
            end = html.index("</style>", start)
            sheet, counters, records = _stylesheet(html[start:end], str(base_url))
            html = html[:start] + html[end:]
            options.update(stylesheets=[sheet], counter_style=counters)
            logger = _quiet_logger()
            for record in records:  # what WeasyPrint said of the sheet, for each document that uses it
                logger.handle(record)
        with notes_white_space_processed(), notes_kept_on_their_page():
            return weasyprint.HTML(string=html, base_url=str(base_url), url_fetcher=fetcher).render(**options)
    except FatalURLFetchingError as exc:
        reason = fetcher.refused[-1] if fetcher.refused else str(exc.__cause__ or exc)
        raise ManuscriptError(f"a stylesheet, template or image of the book refers to {reason}",
                              code="F001") from None


@lru_cache(maxsize=4)
def _stylesheet(css: str, base_url: str):
    """(WeasyPrint CSS, its counter styles, the warnings WeasyPrint logged parsing it) of a stylesheet
    as a document's ``<style>`` holding ``css`` would give them: the same text, so the same positions in
    the warnings. A refused fetch raises, and is not kept."""
    from weasyprint import CSS
    from weasyprint.css.counters import CounterStyle

    counters = CounterStyle()
    with _records() as records:
        sheet = CSS(string=css, base_url=base_url, url_fetcher=book_fetcher(base_url),
                    font_config=font_configuration(), counter_style=counters)
    return sheet, counters, tuple(records)


RESOURCES = Path(__file__).resolve().parent.parent / "resources"


@lru_cache(maxsize=1)
def font_configuration():
    """One WeasyPrint ``FontConfiguration`` for every document this process lays out.

    WeasyPrint 70 decompresses each ``@font-face`` font (the shipped fonts are WOFF2) into a file of
    its font configuration, once per configuration: with a new one for each document (WeasyPrint's
    default) that was about 0.1 s per face per document, a second per document with eight faces, and
    a book laid out by unit (pressroom.units) is dozens of documents. The configuration keeps each
    face under a digest of its ``@font-face`` descriptors (its URL among them), so the faces of
    different books never mix."""
    import atexit

    imported()
    from weasyprint.text.fonts import FontConfiguration

    configuration = FontConfiguration()
    atexit.register(_remove_font_folder, configuration)
    return configuration


def _remove_font_folder(configuration) -> None:
    """Remove the folder of unpacked faces of the process's font configuration at exit. WeasyPrint
    removes it in ``FontConfiguration.__del__``, which, for a configuration that lives as long as the
    process, runs while the interpreter is torn down, when ``shutil.rmtree`` may be gone ("Exception
    ignored in: FontConfiguration.__del__", and the folder left in the temporary directory)."""
    import shutil

    folder, configuration._folder = configuration._folder, None  # WeasyPrint 70's (private) folder
    if folder:
        shutil.rmtree(folder, ignore_errors=True)


def book_fetcher(book_root):
    """What WeasyPrint may fetch: a ``file:`` URL only when the file, links resolved, lies inside the
    book folder or Pressroom's ``resources``, and ``data:`` URLs (which name nothing outside the
    document); anything else (``file:`` elsewhere, ``http:``…) is refused. WeasyPrint fetches every
    URL a document, a stylesheet or an SVG names unless given a fetcher. ``fail_on_errors`` makes a
    refusal stop the rendering (WeasyPrint 70's ``FatalURLFetchingError``)."""
    from weasyprint.urls import URLFetcher

    allowed = (Path(book_root).resolve(), RESOURCES)

    class BookFetcher(URLFetcher):
        def __init__(self):
            super().__init__(fail_on_errors=True, allowed_protocols=("file", "data"))
            self.refused: list[str] = []

        def fetch(self, url, headers=None):
            problem = fetch_problem(url, allowed)
            if problem:
                self.refused.append(problem)
                raise ValueError(problem)
            shipped = shipped_face(url)
            if shipped is not None:  # unpacked once per machine (pressroom.fonts.unpacked)
                from weasyprint.urls import URLFetcherResponse

                from ..fonts import unpacked

                return URLFetcherResponse(url, body=unpacked(shipped), headers={"Content-Type": "font/ttf"})
            return super().fetch(url, headers)

    return BookFetcher()


def shipped_face(url: str) -> Path | None:
    """The file of a shipped WOFF2 face (``resources/fonts``) that ``url`` names, else None."""
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(url)
    if parts.scheme.lower() != "file" or not parts.path.endswith(".woff2"):
        return None
    path = Path(unquote(parts.path)).resolve()
    return path if path.parent == RESOURCES / "fonts" and path.is_file() else None


def fetch_problem(url: str, allowed: tuple[Path, ...]) -> str:
    """Why ``url`` may not be fetched ("" when it may): only data: URLs and files inside ``allowed``."""
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme == "data":
        return ""
    if scheme != "file" or parts.netloc not in ("", "localhost"):
        return f"{url[:80]}: Pressroom fetches only the book's own files, never {scheme or 'such'} URLs"
    try:
        path = Path(unquote(parts.path)).resolve()
    except (OSError, RuntimeError, ValueError):
        return f"{url[:80]}: not a file Pressroom can read"
    if not any(path.is_relative_to(folder) for folder in allowed):
        return f"{url[:80]}: outside the book folder; Pressroom reads only inside it"
    if not path.is_file():
        return f"{url[:80]}: no such file in the book"
    return ""


@contextmanager
def notes_white_space_processed():
    """Within the block, the white space of WeasyPrint's notes is processed as the text's is.

    WeasyPrint 70 (``formatting_structure/build.py``): ``element_to_box`` takes each ``float:
    footnote`` box out of the tree (into the context's list of notes) and ``build_formatting_structure``
    then processes white space (``box.process_whitespace()``) on the tree only: a note keeps its
    newlines and runs of spaces as if it were ``white-space: pre-wrap`` (a note's source line breaks
    printed as line breaks). Here each note is processed after the tree, as the tree is.
    """
    from weasyprint import document

    original = document.build_formatting_structure

    def build(element_tree, style_for, get_image_from_uri, base_url, target_collector, counter_style,
              footnotes):
        root = original(element_tree, style_for, get_image_from_uri, base_url, target_collector,
                        counter_style, footnotes)
        for footnote in footnotes:
            footnote.process_whitespace()
        return root

    document.build_formatting_structure = build
    try:
        yield
    finally:
        document.build_formatting_structure = original


# The line of WeasyPrint 70's ``layout.block._linebox_layout`` that decides to move notes already
# laid on the page to the next one, so that an overflowing line may stay (and its replacement).
_REPORT_LINE = "report = not context.in_column and can_break_now and not could_break_before"
_NO_REPORT_LINE = "report = False  # Pressroom: a note laid on a page stays there (adapters/weasyprint.py)"


@contextmanager
def notes_kept_on_their_page():
    """Within the block, WeasyPrint never moves a note whose call stands on a page off that page.

    WeasyPrint 70 (``layout/block.py``, ``_linebox_layout``): when a paragraph's line overflows the
    page and the paragraph could not break before that line (one line on the page, ``orphans: 2``)
    but could after it, WeasyPrint "reports" the page's notes, last first, to the next page until the
    line fits. Those notes' calls are already on this page (the French corpus book: note 1 of
    ``le-papier.md`` went to the next page so that a second line of a later paragraph could stay).
    ``footnote-policy`` plays no part there. Without it, the paragraph breaks as the widows and
    orphans allow (here: it starts on the next page) and every note stays with its call.

    The patch is that one line of WeasyPrint's source, compiled again in its module; with any other
    WeasyPrint whose source lacks the line, nothing is patched (:func:`report_line_found` says so,
    and a test fails).
    """
    from weasyprint.layout import block

    original = block._linebox_layout
    patched = _patched_linebox_layout(block)
    if patched is None:
        yield
        return
    block._linebox_layout = patched
    try:
        yield
    finally:
        block._linebox_layout = original


def report_line_found() -> bool:
    """Whether this WeasyPrint's ``_linebox_layout`` has the line :func:`notes_kept_on_their_page` patches."""
    import inspect

    from weasyprint.layout import block

    return _REPORT_LINE in inspect.getsource(block._linebox_layout)


def _patched_linebox_layout(block):
    """WeasyPrint's ``_linebox_layout`` with its note-reporting line replaced (None if it has no such
    line). Compiled once per call, from WeasyPrint's own source, in its module's globals."""
    import inspect
    import textwrap

    source = textwrap.dedent(inspect.getsource(block._linebox_layout))
    if _REPORT_LINE not in source:
        return None
    namespace: dict = {}
    code = compile(source.replace(_REPORT_LINE, _NO_REPORT_LINE), block.__file__, "exec")
    exec(code, block.__dict__, namespace)  # noqa: S102 - WeasyPrint's own source, one line changed
    return namespace["_linebox_layout"]


def laid_pages(pages) -> tuple:
    """A :class:`~pressroom.pagination.LaidPage` for each WeasyPrint page: its named page, its blankness."""
    from ..pagination import LaidPage

    out = []
    for page in pages:
        page_type = page._page_box.page_type
        out.append(LaidPage(page_type.name or "", bool(page_type.blank)))
    return tuple(out)


def internal_link_targets(pages) -> set[str]:
    """The anchors the internal links of ``pages`` go to."""
    return {target for page in pages for kind, target, _, _ in page.links if kind == "internal"}


def bookmarks(pages) -> tuple[tuple[int, str, int, float, float, str], ...]:
    """Every bookmark of ``pages`` as (level, label, page index, x, y, state), in order: WeasyPrint's
    ``Page.bookmarks`` with the page's index (CSS px from the page's top left corner)."""
    return tuple((level, label, index, float(x), float(y), state)
                 for index, page in enumerate(pages) for level, label, (x, y), state in page.bookmarks)


@contextmanager
def folios_from(folio_of):
    """Within the block, the page numbers WeasyPrint draws in the page margins are moved so that the
    document's second page (the first of a unit, pressroom.units) is ``folio_of(page count)``; the
    counter itself (``target-counter()``, the layout) is untouched.

    WeasyPrint 70 (``layout/__init__.py``, ``layout_document``) lays out every page, then makes each
    page's margin boxes from the page's counters (``make_margin_boxes(context, page, state)``); the
    margin boxes are the only thing here that prints the page counter, and nothing in the text's
    layout depends on them. So the folio can be asked for once the text is laid out, when the
    document's page count is known: a unit laid out in a worker learns its first folio then.
    Assumes the page counter is 1 on the second page (the unit's HTML resets it there)."""
    from weasyprint import layout

    original = layout.make_margin_boxes
    shift: list[int] = []

    def make_margin_boxes(context, page, state):
        quote_depth, counters, scopes, groups = state
        if not shift:
            shift.append(folio_of(counters["pages"][-1]) - 1)
        if shift[0] and "page" in counters:
            counters = {**counters, "page": [*counters["page"][:-1], counters["page"][-1] + shift[0]]}
        return original(context, page, (quote_depth, counters, scopes, groups))

    layout.make_margin_boxes = make_margin_boxes
    try:
        yield
    finally:
        layout.make_margin_boxes = original


def first_pages(pages) -> dict[str, int]:
    """Anchor → index of the first page it stands on (an element split over pages is anchored on each)."""
    found: dict[str, int] = {}
    for index, page in enumerate(pages):
        for anchor in page.anchors:
            found.setdefault(anchor, index)
    return found


def add_anchor(page, name: str) -> None:
    """A named destination at the top left of ``page`` (kept if the page has one of that name)."""
    page.anchors.setdefault(name, (0, 0, 0, 0))


BLOCK_TAGS = ("p", "h1", "h2", "h3", "h4", "h5", "h6", "caption", "figcaption", "tr", "dt", "div")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def page_text_runs(page, is_block_id):
    """(block id, text) of every text box of a page in reading order, margin boxes and footnotes
    skipped. The block is the nearest paragraph (or caption, table row, term, line of verse) or
    heading whose id ``is_block_id`` accepts (any heading with an id counts); "" before the first."""
    from weasyprint.formatting_structure import boxes

    stack = [(page._page_box, "")]
    while stack:
        box, block = stack.pop()
        if isinstance(box, (boxes.MarginBox, boxes.FootnoteAreaBox)):
            continue
        element = getattr(box, "element", None)
        tag = getattr(box, "element_tag", "")
        if element is not None and tag in BLOCK_TAGS:
            ident = element.get("id") or ""
            if tag in _HEADINGS or is_block_id(ident):
                block = ident or block
        if isinstance(box, boxes.TextBox):
            yield block, box.text
            continue
        stack.extend((child, block) for child in reversed(getattr(box, "children", ())))


def text_boxes(page):
    """(text, x0, y0, x1, y1) of every text box of a laid-out page, margin boxes and footnotes
    included, in CSS px from the page box's top left corner (no bleed: the trim's corner)."""
    from weasyprint.formatting_structure import boxes

    stack = [page._page_box]
    while stack:
        box = stack.pop()
        if isinstance(box, boxes.TextBox):
            if box.text.strip():
                yield (box.text, box.position_x, box.position_y,
                       box.position_x + box.width, box.position_y + box.height)
            continue
        stack.extend(reversed(getattr(box, "children", ())))


def without_index_marks(inlines: tuple[m.Inline, ...]) -> tuple[m.Inline, ...]:
    """One inline sequence with its index marks taken out, the text on either side of one joined
    again (the same tuple if there is nothing to do). The PDF's renderer applies it to each sequence
    it renders (italics', links' and citations' children too); ``walk.walk_inline_sequences`` applies
    it to a whole tree.

    For the PDF: WeasyPrint lays out every inline box, even an empty anchor, and the sample's 621
    index anchors cost a sixth of the text's layout time. The PDF finds the page of each index mark
    from the laid-out pages' words instead (``pagemap.mark_pages``), as the EPUB does.
    """
    out: list[m.Inline] = []
    for node in inlines:
        if isinstance(node, m.IndexMark):
            continue
        if isinstance(node, m.Text) and out and isinstance(out[-1], m.Text):
            out[-1] = m.Text(out[-1].text + node.text)
            continue
        out.append(node)
    return inlines if len(out) == len(inlines) else tuple(out)


def spaces_into_elements(inlines: tuple[m.Inline, ...]) -> tuple[m.Inline, ...]:
    """The space before an italic, bold, abbreviation or link moved inside it, for the PDF.

    WeasyPrint's line breaker goes wrong when an inline box starts at a line-break opportunity
    near the end of a justified, hyphenated line (a word or two left alone on the next line;
    WeasyPrint 70, seen 47 times in the sample book): with the space inside the element, the
    opportunity is after its first character instead of at its start. One sequence: the renderer
    calls it on each sequence it renders. Any inline with child inlines (walk.CHILDREN) is an element."""
    out: list[m.Inline] = []
    for node in inlines:
        previous = out[-1] if out else None
        if isinstance(previous, m.Text) and previous.text.endswith(" ") and len(previous.text) > 1:
            if isinstance(node, m.Abbr):
                out[-1], node = m.Text(previous.text[:-1]), m.Abbr(" " + node.text)
            elif field := inline_children(node):
                out[-1] = m.Text(previous.text[:-1])
                node = replace(node, **{field: (m.Text(" "), *getattr(node, field))})
        out.append(node)
    return tuple(out)


class _Progress(logging.Handler):
    """Passes WeasyPrint's progress log ("Step 5 - Creating layout - Page 12") to a callback."""

    def __init__(self, report):
        super().__init__(logging.INFO)
        self.report = report

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if " - " in message:
            message = message.split(" - ", 1)[1]
        self.report(message.replace(" - ", ", ").lower())


@contextmanager
def progress(report):
    """Within the block, WeasyPrint's progress messages go to ``report`` ("creating layout, page 3")."""
    handler = _Progress(report)
    logger = logging.getLogger("weasyprint.progress")
    logger.addHandler(handler)
    level = logger.level
    logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)


# ---------------------------------------------------------------- warnings → findings

LOGGER = "weasyprint"
_SPECIFIER = re.compile(r"%[-#0 +]*\d*(?:\.\d+)?[sdrifx]")


def css_position(record: logging.LogRecord) -> tuple[int, int] | None:
    """(line, column) of a WeasyPrint message that has one (its template says ``at %d:%d``)."""
    args = record.args if isinstance(record.args, tuple) else ()
    template = str(record.msg)
    specifiers = list(_SPECIFIER.finditer(template))
    for n, (first, second) in enumerate(zip(specifiers, specifiers[1:])):
        if (template[:first.start()].endswith("at ") and template[first.end():second.start()] == ":"
                and first.group().endswith("d") and second.group().endswith("d") and n + 1 < len(args)):
            return int(args[n]), int(args[n + 1])
    return None


def _without_position(record: logging.LogRecord, position: tuple[int, int]) -> str:
    return record.getMessage().replace(f" at {position[0]}:{position[1]}", "", 1)


def stylesheet_findings(text: str, file: str) -> list[Finding]:
    """S001 for each declaration or rule WeasyPrint ignores in one stylesheet, at the file's line."""
    with _records() as records:
        import weasyprint

        # Only the text is checked: an @import is not followed (it is given an empty sheet).
        weasyprint.CSS(string=text, url_fetcher=lambda url: {"string": "", "mime_type": "text/css"})
    found = []
    for record in records:
        position = css_position(record)
        if position is None:
            found.append(finding("S001", Location(file), record.getMessage(), "warning"))
        else:
            found.append(finding("S001", Location(file, position[0]), _without_position(record, position),
                                 "warning"))
    return found


class _Handler(logging.Handler):
    def __init__(self, report: Callable[[Finding], None], book_root: Path):
        super().__init__(logging.WARNING)
        self.report = report
        self.book_root = book_root
        self.collect: list[logging.LogRecord] | None = None  # set while a sheet is parsed alone
        self._book_sheet: dict[str, list[Finding]] | None = None

    def emit(self, record: logging.LogRecord) -> None:
        if self.collect is not None:
            self.collect.append(record)
            return
        position = css_position(record)
        if position is None:
            self.report(finding("W001", None, record.getMessage(), "warning"))
            return
        mine = self.book_sheet().get(_without_position(record, position))
        if mine:
            for found in mine:
                self.report(found)
        else:
            self.report(finding("W001", None, f"in the stylesheet Pressroom gave WeasyPrint (line {position[0]}): "
                                f"{_without_position(record, position)}", "warning"))

    def book_sheet(self) -> dict[str, list[Finding]]:
        """The book's own stylesheet's problems, by message: parsed alone on first use."""
        if self._book_sheet is None:
            from ..book_css import BOOK_CSS
            from ..templates import book_stylesheet

            text = book_stylesheet(self.book_root)
            self._book_sheet = {}
            for found in stylesheet_findings(text, BOOK_CSS) if text.strip() else ():
                self._book_sheet.setdefault(found.message, []).append(found)
        return self._book_sheet


_ACTIVE: list[_Handler] = []  # the handlers installed, innermost last (parsing alone collects there)


@contextmanager
def weasyprint_findings(report: Callable[[Finding], None], book_root: str | Path):
    """While active, WeasyPrint's warnings become findings given to ``report`` (see the module)."""
    logger = _quiet_logger()
    handler = _Handler(report, Path(book_root))
    logger.addHandler(handler)
    _ACTIVE.append(handler)
    try:
        yield
    finally:
        _ACTIVE.remove(handler)
        logger.removeHandler(handler)


class _Collector(logging.Handler):
    def __init__(self, records: list[logging.LogRecord]):
        super().__init__(logging.WARNING)
        self.records = records

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@contextmanager
def _records():
    """The records WeasyPrint logs meanwhile, collected instead of reported (active handlers pause:
    a sheet parsed alone is a check, not the layout)."""
    records: list[logging.LogRecord] = []
    logger = _quiet_logger()
    collector = _Collector(records)
    paused = [(handler, handler.collect) for handler in _ACTIVE]
    for handler, _ in paused:
        handler.collect = []
    logger.addHandler(collector)
    try:
        yield records
    finally:
        logger.removeHandler(collector)
        for handler, collect in paused:
            handler.collect = collect


def _quiet_logger() -> logging.Logger:
    """WeasyPrint's logger, with a NullHandler so that a message no one is listening for is dropped
    (as WeasyPrint itself arranges when it is imported first) rather than printed by Python."""
    logger = logging.getLogger(LOGGER)
    if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
        logger.addHandler(logging.NullHandler())
    if logger.level == logging.NOTSET:
        logger.setLevel(logging.WARNING)
    return logger
