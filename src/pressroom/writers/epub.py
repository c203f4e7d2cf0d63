"""Book model → EPUB 3 (``dist/<slug>.epub``), assembled with EbookLib.

The recipe, in order: render every page from the shared templates, add them
to an EbookLib book with the metadata (accessibility included), let EbookLib
write the package (OPF, NCX), then re-pack the zip so that the same sources
give the same bytes.

With print page numbers (``[epub] print_page_numbers``), the print layout stage's page breaks
(:class:`pressroom.layout.Layout`) are put into the text, and the nav gets a page-list. EbookLib's
quirks are worked around in :mod:`pressroom.adapters.ebooklib`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .. import ids
from .. import model as m
from ..accessibility import accessibility_metadata
from ..isbn import compact
from ..bookfiles import BookFiles, book_files, environment_for
from ..captions import listed
from ..codec import register
from ..contributors import ROLES, authors, everyone, join_names
from ..cover import CoverText, draw_started, make_cover
from ..errors import Location, ManuscriptError
from ..frontmatter import role_of
from ..html_render import HtmlRenderer
from ..locations import page_of_ids
from ..bibliography_scopes import list_after
from ..notes import endnoted
from ..walk import query
from ..pagemap import insert_page_breaks, mark_pages
from ..paths import inside_book
from ..templates import MADE_WITH, book_stylesheet, index_locators, stylesheet
from ..words import book_words, words_for
from . import WriteOptions, Written, run_plainly

register(CoverText)  # the memo keys the cover stage by it (cover.begin registers it too, before this module is imported)


TEXT_DIR = "text"

@dataclass(frozen=True)
class Page:
    id: str
    file: str  # relative to the EPUB folder, e.g. "text/titlepage.xhtml"
    title: str
    xhtml: str
    linear: bool = True
    properties: tuple[str, ...] = ()


def epub_files(book: m.Book) -> dict[str, str]:
    """Where each id of the book lands: id → page file (relative to the text folder)."""
    notes_page = book.settings.note_place == "book"
    return {node_id: f"{page}.xhtml" for node_id, page in page_of_ids(book, notes_page).items()}


def epub_image(path: str) -> str:
    """Where a book image (path relative to the book folder) goes in the EPUB folder."""
    relative = str(Path(path).relative_to("manuscript")) if path.startswith("manuscript/") else path
    return "images/" + relative.removeprefix("images/")


def book_images(book: m.Book) -> list[str]:
    """Every image the chapters use (book-relative paths), each once, in reading order."""
    return list(dict.fromkeys(src for chapter in book.chapters for src in chapter.survey.images))


def render_pages(book: m.Book, cover_file: str, files: dict[str, str] | None = None,
                 page_list: tuple[str, ...] = (), part_pages: dict[str, tuple[str, ...]] | None = None,
                 run=run_plainly, book_folder: BookFiles | None = None) -> list[Page]:
    """Every page of the EPUB. ``page_list``: the print page labels, in order, whose markers are in
    ``files``; ``part_pages``: part id → the labels of the print pages its title page stands for.
    Each chapter's page is made as ``run(chapter_page, chapter, setting, links)`` (the driver memoises it)."""
    book_folder = book_folder or book_files(book)
    env = environment_for(book_folder)
    files = files if files is not None else epub_files(book)
    part_pages = part_pages or {}

    def href_from(current: str):
        return _href_from(files, current)

    meta = book.metadata
    words = book_words(book)
    also_by = words["also_by"].replace("{author}", join_names(authors(meta)))
    sheets = _stylesheets(book.root)
    common = {
        "lang": meta.language,
        "stylesheets": sheets,
        "meta": meta,
        "made_with": MADE_WITH,
    }

    def page(template: str, file: str, title: str, **values) -> str:
        return env.get_template(template, globals={"words": words}).render(**common, title=title, **values)

    pages = [
        Page(
            "cover", f"{TEXT_DIR}/cover.xhtml", words["cover"],
            page("epub/cover.xhtml.j2", "cover.xhtml", words["cover"], image=f"../{cover_file}",
                 alt=f"Cover: {meta.title}" + (f", {meta.subtitle}" if meta.subtitle else "")
                 + f", by {join_names(authors(meta))}"),
            linear=False,
        ),
        *([Page(ids.ALSO_BY, f"{TEXT_DIR}/{ids.ALSO_BY}.xhtml", also_by,
                page("epub/also-by.xhtml.j2", f"{ids.ALSO_BY}.xhtml", also_by))] if meta.also_by else []),
        Page("titlepage", f"{TEXT_DIR}/titlepage.xhtml", words["title_page"],
             page("epub/titlepage.xhtml.j2", "titlepage.xhtml", meta.title)),
        Page("copyright", f"{TEXT_DIR}/copyright.xhtml", words["copyright"],
             page("epub/copyright.xhtml.j2", "copyright.xhtml", words["copyright"])),
    ]
    landmarks = [
        {"type": "cover", "href": "cover.xhtml", "title": words["cover"]},
        {"type": "toc", "href": "nav.xhtml", "title": words["contents"]},
    ]
    for chapter in book.chapters:  # a dedication, an epigraph… (pressroom.frontmatter): where each is
        if role_of(chapter.role):
            landmarks.append({"type": role_of(chapter.role).epub_type, "href": files[chapter.id],
                              "title": chapter.title_text})
    # The lists of figures and of tables book.toml asks for, each its own page after the contents.
    lists = [(kind, list_id, words[word]) for kind, list_id, word in
             (("figure", ids.LIST_OF_FIGURES, "list_of_figures"), ("table", ids.LIST_OF_TABLES, "list_of_tables"))
             if listed(book, kind)]
    landmarks += [{"type": "loi" if kind == "figure" else "lot", "href": f"{list_id}.xhtml", "title": title}
                  for kind, list_id, title in lists]
    first_body = next((c for c in book.chapters if c.matter == "body"), None)
    if first_body is not None:
        landmarks.append({"type": "bodymatter", "href": files[first_body.id], "title": words["start_of_text"]})
    if book.bibliography:
        landmarks.append({"type": "bibliography", "href": "bibliography.xhtml", "title": words["bibliography"]})
    if book.index:
        landmarks.append({"type": "index", "href": "index.xhtml", "title": words["index"]})
    pages.append(
        Page("nav", f"{TEXT_DIR}/nav.xhtml", words["contents"],
             page("epub/nav.xhtml.j2", "nav.xhtml", words["contents"], book=book, href=href_from("nav.xhtml"),
                  landmarks=landmarks, page_list=[(label, href_from("nav.xhtml")(ids.page_break_id(label)))
                                                  for label in page_list]),
             properties=("nav",)),
    )
    for kind, list_id, title in lists:
        name = f"{list_id}.xhtml"
        pages.append(Page(list_id, f"{TEXT_DIR}/{name}", title,
                          page("epub/caption-list.xhtml.j2", name, title, book=book, kind=kind,
                               href=href_from(name))))
    links = tuple(sorted(files.items()))
    scoped = list_after(book)
    parts_done: set[str] = set()
    parts = {p.id: p for p in book.parts}
    for chapter in book.chapters:
        if chapter.part and chapter.part not in parts_done:
            parts_done.add(chapter.part)
            part = parts[chapter.part]
            name = files[part.id]
            pages.append(Page(part.id, f"{TEXT_DIR}/{name}", part.title,
                              page("epub/part.xhtml.j2", name, part.title, part=part,
                                   page_labels=part_pages.get(part.id, ()))))
        name = files[chapter.id]
        at_headings = tuple((h, labels) for h, labels in sorted(part_pages.items()) if files.get(h) == name)
        xhtml = run(chapter_page, chapter,
                    ChapterSetting(name, meta, tuple(sheets), book_folder, book.settings.words,
                                   book.settings.note_place, book.settings.bibliography_scope,
                                   scoped.get(chapter.id), at_headings), links)
        # its notes' formulas are on the Notes page when the book's Notes hold them
        formulas = chapter.survey.formulas if not endnoted(book) else \
            any(query((*chapter.title_blocks(), *chapter.blocks), m.Math))
        pages.append(Page(chapter.id, f"{TEXT_DIR}/{name}", chapter.title_text, xhtml,
                          properties=("mathml",) if formulas else ()))
    if endnoted(book):  # [notes] place = "book": the Notes, each chapter's under its title
        name = f"{ids.ENDNOTES}.xhtml"
        renderer = HtmlRenderer(href_from(name), asset=lambda path: "../" + epub_image(path), words=words,
                                note_place="book")
        renderer.bib_scope = book.settings.bibliography_scope
        renderer.heading_pages = dict(part_pages)
        pages.append(Page(ids.ENDNOTES, f"{TEXT_DIR}/{name}", words["notes"],
                          page("epub/notes.xhtml.j2", name, words["notes"], chapters=endnoted(book), r=renderer),
                          properties=("mathml",) if any(query(tuple(n for c in endnoted(book) for n in c.notes), m.Math))
                          else ()))
    if book.bibliography:
        renderer = HtmlRenderer(href_from("bibliography.xhtml"))
        pages.append(Page("bibliography", f"{TEXT_DIR}/bibliography.xhtml", words["bibliography"],
                          page("epub/bibliography.xhtml.j2", "bibliography.xhtml", words["bibliography"],
                               entries=book.bibliography, r=renderer)))
    if book.index:
        href = href_from("index.xhtml")
        labels = mark_pages(book)
        pages.append(Page("index", f"{TEXT_DIR}/index.xhtml", words["index"],
                          page("epub/index.xhtml.j2", "index.xhtml", words["index"], entries=book.index, href=href,
                               locators=index_locators(book, labels.get))))
    return pages


@register
@dataclass(frozen=True)
class ChapterSetting:
    """Everything a chapter's page shows besides the chapter and the book's links."""

    file: str  # the page's file name in the text folder
    meta: m.Metadata  # templates may show any of it (a book's override printing meta.title)
    stylesheets: tuple[str, ...]
    files: BookFiles  # the templates (the book's overrides) and stylesheets it is rendered with
    words: tuple[tuple[str, str], ...] = ()  # the book's own words ([words], see pressroom.words)
    note_place: str = "foot"  # [notes] place (pressroom.notes.PLACES)
    bib_scope: str = "book"  # [bibliography] scope (pressroom.bibliography_scopes)
    bibliography: m.ScopedBibliography | None = None  # the part's or chapter's list set after this chapter
    heading_pages: tuple[tuple[str, tuple[str, ...]], ...] = ()  # made heading → print pages beginning there


def chapter_page(chapter: m.Chapter, setting: ChapterSetting, links: tuple[tuple[str, str], ...]) -> str:
    """A chapter's XHTML page; ``links``: (id, page file) of every id of the book, for its links."""
    meta = setting.meta
    words = words_for(meta.language, setting.words)
    renderer = HtmlRenderer(_href_from(dict(links), setting.file), asset=lambda path: "../" + epub_image(path),
                            words=words, note_place=setting.note_place)
    renderer.bib_scope = setting.bib_scope
    renderer.heading_pages = dict(setting.heading_pages)
    renderer.scoped_lists = {chapter.id: setting.bibliography} if setting.bibliography else {}
    renderer.for_chapter(chapter)
    return environment_for(setting.files).get_template("epub/chapter.xhtml.j2", globals={"words": words}).render(
        lang=meta.language, stylesheets=list(setting.stylesheets), meta=meta, made_with=MADE_WITH,
        title=chapter.title_text, chapter=chapter, r=renderer)


def _stylesheets(root: str) -> list[str]:
    return ["../css/base.css", "../css/epub.css"] + (["../css/book.css"] if book_stylesheet(root) else [])


def _href_from(files: dict[str, str], current: str):
    """The link to an id from the page ``current``: "#id" on the same page, else "file#id"."""
    def href(target: str) -> str:
        name = files.get(target)
        if name is None:
            raise KeyError(f"no page holds the id {target!r}")
        if name == current and target != name.removesuffix(".xhtml"):
            return f"#{target}"
        return name if target == name.removesuffix(".xhtml") else f"{name}#{target}"

    return href


def made_headings(book: m.Book) -> set[str]:
    """The ids of the headings of the sections Pressroom makes in the text (the book's Notes and its
    groups, a chapter's endnotes, a part's or chapter's bibliography), where print pages may begin."""
    out = {ids.title_id(ids.ENDNOTES)} if endnoted(book) else set()
    if book.settings.note_place != "foot":
        out |= {ids.title_id(ids.endnotes_id(c.id)) for c in book.chapters if c.notes}
    out |= {ids.title_id(ids.scoped_bibliography_id(b.owner)) for b in book.scoped_bibliographies}
    return out


def print_pages(book: m.Book, breaks) -> tuple[m.Book, dict[str, tuple[str, ...]], tuple[str, ...]]:
    """The print edition's page breaks put into the book: (the book with its PageBreaks, part id or
    made heading id (:func:`made_headings`) → the labels of the pages that begin there, every label
    in page order)."""
    part_titles = {ids.title_id(part.id): part.id for part in book.parts}
    part_titles.update({heading: heading for heading in made_headings(book)})
    part_pages: dict[str, list[str]] = {}
    for block, _, label in breaks:
        if block in part_titles:
            part_pages.setdefault(part_titles[block], []).append(label)
    book = insert_page_breaks(book, [b for b in breaks if b[0] not in part_titles])
    return book, {k: tuple(v) for k, v in part_pages.items()}, tuple(dict.fromkeys(label for _, _, label in breaks))


def warm() -> None:
    """While the driver waits for pandoc (see :func:`pressroom.writers.warm`): import what
    :func:`write_epub` needs (EbookLib, lxml, Jinja2's sandbox and zipfile: about 30 ms) and draw the
    cover begun before the book was read (:func:`pressroom.cover.begin`)."""
    import zipfile  # noqa: F401

    import jinja2.sandbox  # noqa: F401
    from ebooklib import epub  # noqa: F401

    from ..adapters import ebooklib  # noqa: F401

    draw_started()


def _cover_image(book: m.Book, run=run_plainly) -> tuple[str, bytes, str]:
    """(file in the EPUB, bytes, media type) of the cover: the configured image, or a generated one."""
    if book.settings.cover_image:
        where = Location("manuscript/book.toml")
        path = inside_book(Path(book.root), book.settings.cover_image, where, code="C001")
        if not path.is_file():
            raise ManuscriptError(f"the cover image {book.settings.cover_image} does not exist", where, code="C001")
        suffix = path.suffix.lower()
        types = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}
        if suffix not in types:
            raise ManuscriptError("the cover image must be a .jpg or .png file", where)
        from ..images import image_problem

        problem = image_problem(path)
        if problem:
            raise ManuscriptError(f"the cover image {book.settings.cover_image}: {problem}", where, code="M010")
        return f"images/cover{suffix}", path.read_bytes(), types[suffix]
    return "images/cover.jpg", run(make_cover, CoverText.of(book.metadata, book.settings.trim_size)), "image/jpeg"


def write_epub(book: m.Book, layout=None, options: WriteOptions = WriteOptions()) -> Written:
    """The EPUB file, with the print edition's page breaks when ``layout`` (a
    :class:`pressroom.layout.Layout`) is given and the book asks for them. ``options.modified`` (UTC)
    becomes ``dcterms:modified`` and every zip entry's time."""
    from ebooklib import epub

    from ..adapters.ebooklib import add_collection, add_person, package

    modified = options.modified
    part_pages: dict[str, tuple[str, ...]] = {}
    labels: tuple[str, ...] = ()
    if layout is not None and book.settings.print_page_numbers and book.chapters:
        book, part_pages, labels = print_pages(book, layout.breaks)
    meta = book.metadata
    cover_file, cover_bytes, cover_type = _cover_image(book, options.run)
    files = epub_files(book)  # walking the whole model for ids: once per build
    for part_id, part_labels in part_pages.items():
        files.update({ids.page_break_id(label): files[part_id] for label in part_labels})
    page_list = tuple(label for label in labels if ids.page_break_id(label) in files)
    pages = render_pages(book, cover_file, files, page_list, part_pages, options.run, options.files)

    out = epub.EpubBook()
    out.set_identifier(meta.identifier)  # EbookLib would make a random one
    out.set_title(meta.title if not meta.subtitle else f"{meta.title} \u2013 {meta.subtitle}")
    out.set_language(meta.language)
    for n, person in enumerate(everyone(meta)):
        role = ROLES[person.role]
        add_person(out, "creator" if role.creator else "contributor", person.name, role.code, person.file_as,
                   "author" if n == 0 else ids.contributor_id(n))
    if meta.series:
        add_collection(out, ids.SERIES, meta.series, "series", meta.series_number)
    if meta.edition:  # no element of the OPF says it: schema.org's, whose prefix EPUB 3.3 reserves (D.1)
        out.add_metadata(None, "meta", meta.edition, {"property": "schema:bookEdition"})
    if meta.isbn_epub:  # the EPUB's own ISBN, beside the unique identifier every edition shares
        out.add_metadata("DC", "identifier", f"urn:isbn:{compact(meta.isbn_epub)}", {"id": "isbn"})
    if meta.publisher:
        out.add_metadata("DC", "publisher", meta.publisher)
    if meta.rights:
        out.add_metadata("DC", "rights", meta.rights)
    out.add_metadata("DC", "date", meta.publication_date(modified))
    if meta.description:
        out.add_metadata("DC", "description", meta.description)
    for subject in meta.subjects:
        out.add_metadata("DC", "subject", subject)
    for prop, value in accessibility_metadata(book, page_list=bool(page_list)):
        out.add_metadata(None, "meta", value, {"property": prop})

    out.set_cover(cover_file, cover_bytes, create_page=False)
    out.get_item_with_id("cover-img").media_type = cover_type
    from ..reader import IMAGE_TYPES

    for n, path in enumerate(book_images(book), 1):
        out.add_item(epub.EpubItem(uid=ids.image_item_id(n), file_name=epub_image(path),
                                   media_type=IMAGE_TYPES[Path(path).suffix.lower()],
                                   content=(Path(book.root) / path).read_bytes()))
    sheets = {name: stylesheet(name) for name in ("base.css", "epub.css")}
    if book_stylesheet(book.root):
        sheets["book.css"] = book_stylesheet(book.root)
    for name, css in sheets.items():
        out.add_item(epub.EpubItem(uid=ids.stylesheet_item_id(name), file_name=f"css/{name}", media_type="text/css",
                                   content=css.encode("utf-8")))
    items = {}
    for page in pages:
        item = epub.EpubItem(uid=page.id, file_name=page.file, media_type="application/xhtml+xml",
                             content=page.xhtml.encode("utf-8"))
        item.properties = list(page.properties)
        out.add_item(item)
        items[page.id] = item
    out.add_item(epub.EpubNcx())
    out.toc = _ncx_toc(book, pages, files)
    out.spine = [(page.id, "yes" if page.linear else "no") for page in pages]

    notes = sum(len(c.notes) for c in book.chapters)
    detail = f"{len(book.chapters)} chapter(s), {notes} note(s), {len(book.citations())} citation(s)"
    return Written({f"{meta.slug}.epub": package(out, modified)}, detail)


def _ncx_toc(book: m.Book, pages: list[Page], files: dict[str, str]):
    """The NCX table of contents for older readers: chapters and their sections."""
    from ebooklib import epub

    by_id = {p.id: p for p in pages}
    words = book_words(book)

    def link(target: str, title: str):
        name = files[target]
        href = f"{TEXT_DIR}/{name}" + ("" if target == name.removesuffix(".xhtml") else f"#{target}")
        return epub.Link(href, title, target)

    def sections(items):
        return [
            (link(s.id, s.title), sections(s.children)) if s.children else link(s.id, s.title) for s in items
        ]

    toc = []
    for page_id in ("titlepage", "copyright"):
        toc.append(epub.Link(by_id[page_id].file, by_id[page_id].title, page_id))
    parts = {p.id: (p, []) for p in book.parts}
    for chapter in book.chapters:
        entry = (link(chapter.id, chapter.title_text), sections(chapter.sections)) if chapter.sections \
            else link(chapter.id, chapter.title_text)
        if chapter.part:
            part, children = parts[chapter.part]
            if not children:
                toc.append((link(part.id, part.title), children))
            children.append(entry)
        else:
            toc.append(entry)
    if book.bibliography:
        toc.append(epub.Link(f"{TEXT_DIR}/bibliography.xhtml", words["bibliography"], "bibliography"))
    if book.index:
        toc.append(epub.Link(f"{TEXT_DIR}/index.xhtml", words["index"], "index"))
    return toc
