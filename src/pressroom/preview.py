"""``pressroom preview``: the book's chapters on localhost, re-rendered on every save.

- :class:`PreviewSite` holds the last good render (a dict of URL path → page)
  and rebuilds through the driver's stages with a :class:`~pressroom.memo.Memo`
  kept in memory, the pages included (:func:`preview_page`), so an edit to one
  chapter parses, typesets and renders that chapter only. A failed rebuild
  (ANY exception: a mistake in the manuscript, a template or a stylesheet, or a
  bug of Pressroom's) keeps the last good pages and records the error for the
  overlay; the next good rebuild clears it.
- :func:`serve` runs a threading HTTP server (standard library: the pages are
  in memory and the traffic is one author's browser, so no framework is
  needed) with a server-sent-events stream, and a watchfiles loop that
  debounces saves and tells the pages to reload only once a render is complete.
"""

from __future__ import annotations

import html
import json
import mimetypes
import threading
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace
from typing import Callable
from urllib.parse import unquote, urlsplit

from . import ids
from . import model as m
from .bookfiles import BookFiles, book_files, environment_for
from .codec import register
from .errors import Location, PressroomError, error_text
from .memo import Memo
from .pipeline import prepare_book
from .html_render import HtmlRenderer
from .locations import page_of_ids
from .bibliography_scopes import list_after
from .notes import endnoted
from .paths import inside_book
from .words import words_for
from .print_preview import LayoutFailed, LayoutWorker, PrintPages, PrintViews
from .templates import RESOURCES, index_locators

WATCHED = ("manuscript", "styles", "templates")
ASSETS = {
    "/assets/base.css": RESOURCES / "css" / "base.css",
    "/assets/preview.css": RESOURCES / "css" / "preview.css",
    "/assets/preview.js": RESOURCES / "js" / "preview.js",
}
# The book's own files that pages may use (images, fonts, stylesheets); never anything else.
BOOK_ASSET_TYPES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".css", ".woff", ".woff2", ".ttf", ".otf"}


VERSION_MARK = "__PRESSROOM_VERSION__"

# Every word the preview's own interface shows (templates and preview.js), in one place; the book's
# words (its contents, "Print view"…) come from the book's catalogue (pressroom.words) and are joined
# to these by preview_words. These are the author's tool's words, in English for now.
WORDS = {
    "menu": "Chapters and search",
    "search": "Search the book",
    "no_results": "Nothing found",
    "pdf_on_request": "PDF pages, made on request",
    "page": "Page",
    "stopped": "The preview server has stopped: start `pressroom preview` again to see your changes.",
    "could_not_build": "Pressroom could not build the book:",
    "showing_last": "Showing the last good version. Fix the file and save.",
    "open_in_editor": "Open in the editor",
}
SEARCH_URL = "/search.json"


def preview_words(language: str, overrides: tuple[tuple[str, str], ...] = ()) -> dict[str, str]:
    """Every word a preview page shows: the book's (:func:`pressroom.words.words_for`) and the
    preview's own (:data:`WORDS`)."""
    return {**words_for(language, overrides), **WORDS}

BOOK_CSS_URL = "/assets/book.css"
STYLES_MARK = "__PRESSROOM_STYLES__"  # in a page, the digest of the book's stylesheet it was served with


def page_url(page: str) -> str:
    """The URL of a page of :func:`~pressroom.locations.page_of_ids`: a chapter or part, the book's Notes, the
    bibliography, the index."""
    return {ids.BIBLIOGRAPHY: "/bibliography", ids.INDEX: "/index", ids.ENDNOTES: "/notes"}.get(page, f"/chapter/{page}")


def styles_token(pages: dict[str, bytes]) -> str:
    """What names the book's stylesheet of a render: a page shown with another must be reloaded whole."""
    from .memo import digest

    return digest(pages.get(BOOK_CSS_URL, b""))[:16]


@dataclass(frozen=True)
class State:
    version: int  # of the last good render
    error: str  # of the last failed rebuild, "" when the last rebuild was good


@register
@dataclass(frozen=True)
class PageSetting:
    """Everything a preview page shows besides its content and the book's links."""

    url: str
    title: str
    previous: tuple[str, str] | None  # (href, title) of the page before, if any
    following: tuple[str, str] | None
    meta: m.Metadata
    files: BookFiles  # the templates (the book's overrides) it is rendered with
    words: tuple[tuple[str, str], ...] = ()  # the book's own words ([words], see pressroom.words)
    contents: tuple[tuple[str, str], ...] = ()  # (href, title) of every page, for the sidebar
    note_place: str = "foot"  # [notes] place (pressroom.notes.PLACES): where the pages set the notes
    bib_scope: str = "book"  # [bibliography] scope (pressroom.bibliography_scopes)
    bibliography: m.ScopedBibliography | None = None  # the part's or chapter's list set after this chapter


def preview_page(item: "m.Chapter | m.Part | tuple[m.Chapter, ...] | tuple[m.BibEntry, ...] | tuple[m.IndexEntry, ...]",
                 setting: PageSetting, links: tuple[tuple[str, str], ...]) -> bytes:
    """A preview page (a chapter, a part's title page, the book's Notes (the chapters whose notes it
    sets), the bibliography or the index); ``links``: (id, page)
    of every id of the book. The version shown is left as ``VERSION_MARK``, set when served."""
    where = dict(links)

    def href(target: str) -> str:
        page = where[target]
        return page_url(page) if target == page else f"{page_url(page)}#{target}"

    values = {"chapter": None, "part": None, "entries": (), "index": (), "locators": {}, "print_href": "",
              "notes": ()}
    renderer = HtmlRenderer(href, asset=lambda path: "/book/" + path,
                            words=words_for(setting.meta.language, setting.words),
                            note_place=setting.note_place)
    renderer.bib_scope = setting.bib_scope
    if isinstance(item, m.Chapter) and setting.bibliography:
        renderer.scoped_lists = {item.id: setting.bibliography}
    if isinstance(item, m.Chapter):
        values.update(chapter=item, print_href=f"/print/{item.id}")
        renderer.for_chapter(item)
    elif isinstance(item, m.Part):
        values.update(part=item)
    elif item and isinstance(item[0], m.Chapter):  # the book's Notes ([notes] place = "book")
        values.update(notes=item)
    elif item and isinstance(item[0], m.IndexEntry):
        # The index's locators number its places (the preview has no pages); they need only the entries.
        values.update(index=item, locators=index_locators(SimpleNamespace(index=item), lambda mark: None))
    else:
        values.update(entries=item)
    neighbour = [{"href": pair[0], "title": pair[1]} if pair else None for pair in (setting.previous, setting.following)]
    words = preview_words(setting.meta.language, setting.words)
    html = environment_for(setting.files).get_template("preview/chapter.html.j2", globals={"words": words}).render(
        meta=setting.meta, version=VERSION_MARK, **values, title=setting.title, r=renderer,
        previous=neighbour[0], next=neighbour[1], contents=setting.contents, current=setting.url,
        styles=STYLES_MARK)
    return html.encode("utf-8")


def search_entries(chapter: m.Chapter, url: str, notes_url: str = "") -> tuple[tuple[str, str, str], ...]:
    """A chapter's entries of the search index: (href, title, text) of its opening (before the
    first heading), of each section (from a heading to the next) and of each note (on the page
    ``notes_url`` when the book's Notes hold them, else on the chapter's)."""
    entries: list[tuple[str, str, list[str]]] = [(url, chapter.title_text, [])]
    for block in chapter.blocks:
        if isinstance(block, m.Heading) and block.id:
            entries.append((f"{url}#{block.id}", m.plain_text(block.inlines), []))
        else:
            entries[-1][2].append(m.block_text(block))
    for note in chapter.notes:
        entries.append((f"{notes_url or url}#{note.id}", f"{chapter.title_text}, note {note.number}",
                        ["\n".join(m.block_text(block) for block in note.blocks)]))
    return tuple((href, title, "\n".join(texts)) for href, title, texts in entries)


def print_html(book: m.Book, chapter_id: str) -> str:
    """The print HTML of one chapter alone (screen profile), which the print view lays out."""
    from .print_html import render_html

    chapter = next(c for c in book.chapters if c.id == chapter_id)
    return render_html(book, "screen", only_chapter=chapter)


class PreviewSite:
    def __init__(self, root: Path, log: Callable[[str], None] = lambda line: None, editor: str = ""):
        self.root = Path(root).resolve()
        self.log = log
        self.editor = editor  # the command line that opens the author's editor (pressroom.editor), or ""  # the terminal: warnings of the print view (WeasyPrint's, as findings)
        self.memo = Memo()  # the driver's stages and the pages, kept in memory between rebuilds
        self.print_views = PrintViews()  # made on request by the server's threads, least recently used dropped
        self.layout = LayoutWorker(log)  # WeasyPrint in a worker process
        self.book: m.Book | None = None
        self.files: BookFiles | None = None
        self.snapshot: tuple[dict[str, bytes], int] = ({}, 0)
        self._contents: tuple[tuple[str, str], ...] = ()  # (href, title) of the pages, for the sidebar
        self.state = State(0, "")
        self.changed = threading.Condition()

    # ------------------------------------------------------------------ building

    def rebuild(self, touched: set[str] = frozenset()) -> bool:
        """Rebuild after a change to the files ``touched`` (paths relative to the book). True if good.
        What the change did not touch comes from the memo, whatever the files were."""
        self.memo.next_round()
        try:
            book = prepare_book(self.root, self.memo)
            files = book_files(book)
            pages = self.render(book, files)
        except PressroomError as exc:
            self._publish(State(self.state.version, error_text(exc)))
            return False
        except Exception as exc:  # noqa: BLE001 - the preview outlives any failed rebuild, even a bug
            import traceback

            self.memo = Memo()  # a bug may have left it half updated: the next rebuild starts afresh
            self._publish(State(self.state.version, f"internal error (a bug in Pressroom; please report it): "
                                f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=-3)}"))
            return False
        self.book, self.files = book, files
        version = self.state.version + 1
        self.snapshot = (pages, version)  # one assignment: a request sees old or new, never a mix
        self._publish(State(version, ""))
        return True

    def _publish(self, state: State) -> None:
        with self.changed:
            self.state = state
            self.changed.notify_all()

    def render(self, book: m.Book, files: BookFiles | None = None) -> dict[str, bytes]:
        """Every page of the preview; a page whose inputs did not change comes from the memo."""
        files = files or book_files(book)
        where = page_of_ids(book, notes_page=True)
        links = tuple(sorted(where.items()))

        def href(target: str) -> str:
            page = where[target]
            return page_url(page) if target == page else f"{page_url(page)}#{target}"

        pages: dict[str, bytes] = {}
        words = preview_words(book.metadata.language, book.settings.words)
        sequence: list[tuple[str, str, object]] = []  # (url, title, chapter | part | bibliography | index)
        parts = {p.id: p for p in book.parts}
        for chapter in book.chapters:
            if chapter.part and not any(url == page_url(chapter.part) for url, _, _ in sequence):
                sequence.append((page_url(chapter.part), parts[chapter.part].title, parts[chapter.part]))
            sequence.append((page_url(chapter.id), chapter.title_text, chapter))
        if endnoted(book):  # [notes] place = "book": the Notes, as in the EPUB
            sequence.append((page_url(ids.ENDNOTES), words["notes"], endnoted(book)))
        if book.bibliography:
            sequence.append((page_url(ids.BIBLIOGRAPHY), words["bibliography"], book.bibliography))
        if book.index:
            sequence.append((page_url(ids.INDEX), words["index"], book.index))

        contents = tuple((url, title) for url, title, _ in sequence)
        scoped = list_after(book)
        self._contents = contents
        for n, (url, title, item) in enumerate(sequence):
            previous = sequence[n - 1][:2] if n else ("/", words["contents"])
            following = sequence[n + 1][:2] if n + 1 < len(sequence) else None
            setting = PageSetting(url, title, previous, following, book.metadata, files, book.settings.words, contents,
                                  book.settings.note_place, book.settings.bibliography_scope,
                                  scoped.get(item.id) if isinstance(item, m.Chapter) else None)
            pages[url] = self.memo.run(preview_page, item, setting, links)
        first = {"href": sequence[0][0], "title": sequence[0][1]} if sequence else None
        index = environment_for(files).get_template("preview/index.html.j2", globals={"words": words}).render(
            meta=book.metadata, version=VERSION_MARK, title=words["contents"], book=book, href=href,
            next=first, contents=contents, current="/", styles=STYLES_MARK)
        pages["/"] = index.encode("utf-8")
        notes_url = page_url(ids.ENDNOTES) if endnoted(book) else ""
        found = [entry for chapter in book.chapters
                 for entry in self.memo.run(search_entries, chapter, page_url(chapter.id), notes_url)]
        from .templates import book_stylesheet

        pages[BOOK_CSS_URL] = book_stylesheet(book.root).encode("utf-8")
        pages[SEARCH_URL] = json.dumps([{"href": h, "title": t, "text": x} for h, t, x in found],
                                       ensure_ascii=False).encode("utf-8")
        return pages

    def print_pages(self, chapter_id: str) -> tuple[str, PrintPages] | None:
        """(key, view) of the chapter's pages as laid out for the PDF, made on request and kept in
        the bounded memo under a digest of the book and templates it was made of; None for no chapter."""
        from .memo import digest

        book, files = self.book, self.files
        if book is None or not any(c.id == chapter_id for c in book.chapters):
            return None
        key = digest("print", self.memo.identity(book), self.memo.identity(files), chapter_id)[:20]
        return key, self.print_views.view(key, lambda: self.layout.pages(print_html(book, chapter_id), files.root))

    def print_page(self, chapter_id: str, version: int) -> bytes | None:
        """The print view's page: the chapter's PDF pages as images, in the preview's frame."""
        book, files = self.book, self.files
        try:
            found = self.print_pages(chapter_id)
            error = ""
        except LayoutFailed as exc:
            found, error = ("", PrintPages(b"", ())), str(exc)
        if found is None:
            return None
        key, view = found
        chapter = next(c for c in book.chapters if c.id == chapter_id)
        where = {url: title for url, title in self._contents}
        words = preview_words(book.metadata.language, book.settings.words)
        html = environment_for(files).get_template("preview/print.html.j2", globals={"words": words}).render(
            meta=book.metadata, version=version, styles=styles_token(self.snapshot[0]), title=chapter.title_text,
            contents=self._contents, current=page_url(chapter_id), chapter=chapter,
            chapter_href=page_url(chapter_id), chapter_title=where.get(page_url(chapter_id), chapter.title_text),
            pdf_href=f"/print/{chapter_id}.pdf", key=key, error=error,
            pages=[{"src": f"/print/{chapter_id}/{n}.png?v={key}", "width": w, "height": h, "number": n}
                   for n, (w, h) in enumerate(view.sizes, start=1)])
        return html.encode("utf-8")

    def open_in_editor(self, relative: str, line: int) -> bool:
        """Open the book's file ``relative`` at ``line`` in the author's editor; False (nothing run)
        without an editor, or for anything but an existing file inside the book."""
        import subprocess

        from .editor import editor_argv

        if not self.editor or not isinstance(relative, str) or type(line) is not int or line < 1:
            return False
        try:
            file = inside_book(self.root, relative, Location(relative))
        except PressroomError:
            return False
        if not file.is_file():
            return False
        subprocess.Popen(editor_argv(self.editor, file, line), cwd=self.root, stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        return True

    # ------------------------------------------------------------------ serving

    def resolve(self, path: str) -> tuple[bytes, str] | None:
        """The body and content type for a URL path, or None (404)."""
        pages, version = self.snapshot
        if path == SEARCH_URL and path in pages:
            return pages[path], "application/json"
        if path == BOOK_CSS_URL:
            return pages.get(path, b""), "text/css"
        if path in pages:
            served = pages[path].replace(VERSION_MARK.encode(), str(version).encode())
            served = served.replace(STYLES_MARK.encode(), styles_token(pages).encode())
            return served, "text/html; charset=utf-8"
        if path in ASSETS:
            file = ASSETS[path]
            return file.read_bytes(), mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if path.startswith("/print/"):
            return self._print_resource(path.removeprefix("/print/"), version)
        if path.startswith("/book/"):
            relative = path.removeprefix("/book/")
            try:
                candidate = inside_book(self.root, relative, Location(relative))
            except PressroomError:
                return None
            if (
                candidate.is_file()
                and candidate.suffix.lower() in BOOK_ASSET_TYPES
                and not any(part.startswith(".") for part in Path(relative).parts)
            ):
                return candidate.read_bytes(), mimetypes.guess_type(candidate.name)[0] or "application/octet-stream"
        return None


    def _print_resource(self, rest: str, version: int) -> tuple[bytes, str] | None:
        """``<chapter>``: the print view's page; ``<chapter>.pdf``: its PDF; ``<chapter>/<n>.png``: a page.
        While the book is broken, the PDF is not served (the last good one would mislead): the error is."""
        if rest.endswith(".pdf"):
            if self.state.error:
                raise PrintUnavailable(self.state.error)
            found = self.print_pages(rest.removesuffix(".pdf"))
            return (found[1].pdf, "application/pdf") if found else None
        chapter_id, _, image = rest.partition("/")
        if image:
            number = image.removesuffix(".png")
            found = self.print_pages(chapter_id) if image.endswith(".png") and number.isdigit() else None
            data = self.print_views.image(found[0], int(number), self.layout.image) if found else None
            return (data, "image/png") if data else None
        page = self.print_page(chapter_id, version)
        return (page, "text/html; charset=utf-8") if page else None


class PrintUnavailable(Exception):
    """The print view's PDF asked for while the book does not build: the error is the answer."""


LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
MAX_URL_PATH = 1024  # characters of a URL path; each name in it at most 255 bytes, as on a disk


def is_loopback(host: str) -> bool:
    """True when ``host`` (an address or name to listen on) is reachable from this machine only."""
    import ipaddress

    if host.strip("[]") in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def host_allowed(header: str, listening: str) -> bool:
    """Whether a request's ``Host`` header names this preview: the address it listens on, or
    ``localhost``; on a wildcard address (0.0.0.0, ::) any address written as digits, never a domain
    name (which is what a DNS-rebinding page would send)."""
    import ipaddress

    if not header or len(header) > 300 or not header.isprintable():
        return False
    try:
        parsed = urlsplit("//" + header.strip())
        name, _ = parsed.hostname or "", parsed.port  # .port raises ValueError on a port that is no number
    except ValueError:
        return False
    if name in LOOPBACK_NAMES or name == listening.strip("[]").lower():
        return True
    if listening.strip("[]") in ("0.0.0.0", "::", ""):
        try:
            ipaddress.ip_address(name)
            return True
        except ValueError:
            return False
    return False


def _printable(raw: str) -> bool:
    """A request target without control characters (a NUL in a URL is an attack or a broken client)."""
    return raw.isprintable() and len(raw) <= 4 * MAX_URL_PATH


def _reasonable(path: str) -> bool:
    """A decoded URL path the preview will look up: printable, not too long, no name over 255 bytes."""
    return (path.startswith("/") and path.isprintable() and len(path) <= MAX_URL_PATH
            and all(len(name.encode("utf-8")) <= 255 for name in path.split("/")))


class _Handler(BaseHTTPRequestHandler):
    site: PreviewSite
    stopping: threading.Event
    listening: str  # the address the server listens on, for the Host check
    server_version = "Pressroom"

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the stdlib's name
        pass  # the terminal shows rebuilds, not every request

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        if not host_allowed(self.headers.get("Host", ""), self.listening):
            # DNS rebinding: a web page on another name, resolved to this address, must not read the book.
            body = b"<!DOCTYPE html><title>Forbidden</title><p>This preview answers only to its own address.</p>"
            self._send(HTTPStatus.FORBIDDEN, body, "text/html; charset=utf-8")
            return
        try:
            path = unquote(urlsplit(self.path).path, errors="strict") if _printable(self.path) else None
        except (UnicodeDecodeError, ValueError):
            path = None
        if path is None or not _reasonable(path):
            body = b"<!DOCTYPE html><title>Bad request</title><p>Bad request.</p>"
            self._send(HTTPStatus.BAD_REQUEST, body, "text/html; charset=utf-8")
            return
        if path == "/__events":
            self._events()
            return
        try:
            found = self.site.resolve(path)
        except Exception as exc:  # noqa: BLE001 - a failed page (the print view…) is an answer, not a crash
            if isinstance(exc, (PrintUnavailable, LayoutFailed)):
                text = f"{WORDS['could_not_build']}\n\n{exc}"
                body = f"<!DOCTYPE html><title>Error</title><pre>{html.escape(text)}</pre>".encode("utf-8")
                self._send(HTTPStatus.CONFLICT, body, "text/html; charset=utf-8")
                return
            text = error_text(exc) if isinstance(exc, PressroomError) else f"{type(exc).__name__}: {exc}"
            body = f"<!DOCTYPE html><title>Error</title><pre>{html.escape(text)}</pre>".encode("utf-8")
            self._send(HTTPStatus.INTERNAL_SERVER_ERROR, body, "text/html; charset=utf-8")
            return
        if found is None:
            body = b"<!DOCTYPE html><title>Not found</title><p>Not found.</p>"
            self._send(HTTPStatus.NOT_FOUND, body, "text/html; charset=utf-8")
            return
        self._send(HTTPStatus.OK, *found)

    def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
        """``/__open`` with ``{"file": "manuscript/x.md", "line": 12}``: the overlay's file:line
        opens the editor. Only from a page of this preview: its Host, an Origin naming that same
        host, a JSON body (which a form on another site cannot send without asking first)."""
        host = self.headers.get("Host", "")
        same_origin = self.headers.get("Origin", "") == f"http://{host}"
        json_body = self.headers.get("Content-Type", "").split(";")[0].strip() == "application/json"
        try:
            length = int(self.headers.get("Content-Length", "0"))
        except ValueError:
            length = -1
        if not (host_allowed(host, self.listening) and same_origin and json_body and 0 < length <= 4096
                and self.path == "/__open"):
            self._send(HTTPStatus.FORBIDDEN, b"Forbidden.", "text/plain; charset=utf-8")
            return
        try:
            asked = json.loads(self.rfile.read(length))
            opened = isinstance(asked, dict) and self.site.open_in_editor(asked.get("file"), asked.get("line"))
        except (ValueError, UnicodeDecodeError):
            opened = False
        if opened:
            self._send(HTTPStatus.NO_CONTENT, b"", "text/plain; charset=utf-8")
        else:
            self._send(HTTPStatus.NOT_FOUND, b"Not opened.", "text/plain; charset=utf-8")

    def _send(self, status: HTTPStatus, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def _events(self) -> None:
        """Server-sent events: the current state at once, then every change."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        site = self.site
        last = None
        try:
            while not self.stopping.is_set():
                with site.changed:
                    if site.state == last:
                        site.changed.wait(timeout=10)
                    state = site.state
                if state == last:
                    self.wfile.write(b": keep-alive\n\n")
                else:
                    data = json.dumps({"version": str(state.version), "error": state.error,
                                       "editor": bool(site.editor)})
                    self.wfile.write(f"event: state\ndata: {data}\n\n".encode("utf-8"))
                    last = state
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return


def serve(
    root: Path,
    host: str = "127.0.0.1",
    port: int = 8000,
    ready: Callable[[str], None] = print,
    log: Callable[[str], None] = print,
    stop: threading.Event | None = None,
) -> None:
    """Serve the preview until ``stop`` is set or Ctrl-C; ``ready`` gets the address once listening."""
    import time

    from watchfiles import watch

    from .editor import editor_setting

    site = PreviewSite(root, log, editor_setting())
    if not site.rebuild():
        log(f"error: {site.state.error}")
    stop = stop or threading.Event()
    if not is_loopback(host):
        log(f"warning: listening on {host}, beyond this machine: anyone who can reach it on the network can "
            "read the book while the preview runs. Use --host 127.0.0.1 unless you mean to share it.")
    handler = type("Handler", (_Handler,), {"site": site, "stopping": stop, "listening": host})
    server = ThreadingHTTPServer((host, port), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
    thread.start()
    address = f"http://{host}:{server.server_address[1]}/"
    ready(address)
    paths = [str(site.root / name) for name in WATCHED if (site.root / name).is_dir()]
    try:
        for changes in watch(*paths, stop_event=stop, debounce=400, step=20, rust_timeout=500,
                             watch_filter=_relevant, raise_interrupt=False):
            touched = {str(Path(p).resolve().relative_to(site.root)) for _, p in changes}
            started = time.perf_counter()
            good = site.rebuild(touched)
            took = (time.perf_counter() - started) * 1000
            names = ", ".join(sorted(touched))
            log(f"rebuilt after {names} in {took:.0f} ms" if good else f"error: {site.state.error}")
    finally:
        stop.set()
        with site.changed:
            site.changed.notify_all()
        server.shutdown()
        server.server_close()
        site.layout.close()


def _relevant(change, path: str) -> bool:
    name = Path(path).name
    return not (name.startswith(".") or name.endswith(("~", ".swp", ".tmp")) or "__pycache__" in path)
