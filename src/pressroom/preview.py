"""``pressroom preview``: the book's chapters on localhost, re-rendered on every save.

- :class:`PreviewSite` holds the last good render (a dict of URL path → page)
  and rebuilds through a :class:`~pressroom.cache.BuildCache`, so an edit to one
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
from typing import Callable
from urllib.parse import unquote, urlsplit

from . import model as m
from .build import prepare_book
from .cache import BuildCache, Memo
from .errors import PressroomError, error_text
from .html_render import HtmlRenderer
from .locations import page_of_ids
from .templates import RESOURCES, environment

WATCHED = ("manuscript", "styles", "templates")
ASSETS = {
    "/assets/base.css": RESOURCES / "css" / "base.css",
    "/assets/preview.css": RESOURCES / "css" / "preview.css",
    "/assets/preview.js": RESOURCES / "js" / "preview.js",
}
# The book's own files that pages may use (images, fonts, stylesheets); never anything else.
BOOK_ASSET_TYPES = {".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".css", ".woff", ".woff2", ".ttf", ".otf"}


VERSION_MARK = "__PRESSROOM_VERSION__"


def page_url(page: str) -> str:
    return "/bibliography" if page == "bibliography" else f"/chapter/{page}"


@dataclass(frozen=True)
class State:
    version: int  # of the last good render
    error: str  # of the last failed rebuild, "" when the last rebuild was good


class PreviewSite:
    def __init__(self, root: Path, log: Callable[[str], None] = lambda line: None):
        self.root = Path(root).resolve()
        self.log = log  # the terminal: warnings of the print view (WeasyPrint's, as findings)
        self.cache = BuildCache()
        self.pages_memo = Memo()
        self.print_memo = Memo()
        self.book: m.Book | None = None
        self.snapshot: tuple[dict[str, bytes], int] = ({}, 0)
        self.state = State(0, "")
        self.changed = threading.Condition()

    # ------------------------------------------------------------------ building

    def rebuild(self, touched: set[str] = frozenset()) -> bool:
        """Rebuild after a change to the files ``touched`` (paths relative to the book). True if good."""
        if any(t.startswith(("styles/", "templates/")) for t in touched):
            self.pages_memo = Memo()  # the page cache does not know templates and stylesheets
            self.print_memo = Memo()
        try:
            book = prepare_book(self.root, self.cache)
            pages = self.render(book)
        except PressroomError as exc:
            self._publish(State(self.state.version, error_text(exc)))
            return False
        except Exception as exc:  # noqa: BLE001 - the preview outlives any failed rebuild, even a bug
            import traceback

            self.cache = BuildCache()  # a bug may have left it half updated
            self._publish(State(self.state.version, f"internal error (a bug in Pressroom; please report it): "
                                f"{type(exc).__name__}: {exc}\n{traceback.format_exc(limit=-3)}"))
            return False
        self.book = book
        version = self.state.version + 1
        self.snapshot = (pages, version)  # one assignment: a request sees old or new, never a mix
        self._publish(State(version, ""))
        return True

    def _publish(self, state: State) -> None:
        with self.changed:
            self.state = state
            self.changed.notify_all()

    def render(self, book: m.Book) -> dict[str, bytes]:
        """Every page of the preview; a page whose content did not change comes from the memo."""
        self.pages_memo.next_round()
        env = environment(self.root)
        where = page_of_ids(book)

        def href(target: str) -> str:
            page = where[target]
            return page_url(page) if target == page else f"{page_url(page)}#{target}"

        common = {"meta": book.metadata, "version": VERSION_MARK}
        pages: dict[str, bytes] = {}
        sequence: list[tuple[str, str, object]] = []  # (url, title, chapter | part | None for bibliography)
        parts = {p.id: p for p in book.parts}
        for chapter in book.chapters:
            if chapter.part and not any(url == page_url(chapter.part) for url, _, _ in sequence):
                sequence.append((page_url(chapter.part), parts[chapter.part].title, parts[chapter.part]))
            sequence.append((page_url(chapter.id), chapter.title_text, chapter))
        if book.bibliography:
            sequence.append(("/bibliography", "Bibliography", book.bibliography))

        for n, (url, title, item) in enumerate(sequence):
            previous = {"href": sequence[n - 1][0], "title": sequence[n - 1][1]} if n else None
            following = {"href": sequence[n + 1][0], "title": sequence[n + 1][1]} if n + 1 < len(sequence) else None

            def compute(url=url, title=title, item=item, previous=previous, following=following) -> bytes:
                values = {"chapter": None, "part": None, "entries": (), "print_href": ""}
                renderer = HtmlRenderer(href, asset=lambda path: "/book/" + path)
                if isinstance(item, m.Chapter):
                    values.update(chapter=item, print_href=f"/print/{item.id}")
                    renderer.for_chapter(item)
                elif isinstance(item, m.Part):
                    values.update(part=item)
                else:
                    values.update(entries=item)
                html = env.get_template("preview/chapter.html.j2").render(
                    **common, **values, title=title, r=renderer, previous=previous, next=following)
                return html.encode("utf-8")

            # Keyed by everything the page shows, so an unchanged chapter is not rendered again.
            shown = item.key if isinstance(item, m.Chapter) and item.key else item  # a digest: cheap to hash
            key = (url, title, shown, previous and tuple(previous.items()), following and tuple(following.items()))
            pages[url] = self.pages_memo.get(key, compute)
        index = env.get_template("preview/index.html.j2").render(**common, title="Contents", book=book, href=href)
        pages["/"] = index.encode("utf-8")
        return pages

    def print_view(self, chapter_id: str) -> bytes | None:
        """The chapter's pages as laid out for the PDF, made on request (and kept until it changes)."""
        book = self.book
        chapter = next((c for c in book.chapters if c.id == chapter_id), None) if book else None
        if chapter is None:
            return None

        def compute() -> bytes:
            import weasyprint

            from .diagnostics import Diagnostics
            from .weasyprint_log import weasyprint_findings
            from .print_html import render_html

            html = render_html(book, "screen", only_chapter=chapter)
            with weasyprint_findings(Diagnostics(lambda found: self.log(str(found))), self.root):
                return weasyprint.HTML(string=html, base_url=str(self.root)).write_pdf()

        return self.print_memo.get((chapter, book.metadata, book.settings), compute)

    # ------------------------------------------------------------------ serving

    def resolve(self, path: str) -> tuple[bytes, str] | None:
        """The body and content type for a URL path, or None (404)."""
        pages, version = self.snapshot
        if path in pages:
            return pages[path].replace(VERSION_MARK.encode(), str(version).encode()), "text/html; charset=utf-8"
        if path == "/assets/book.css":
            from .templates import book_stylesheet

            return book_stylesheet(self.root).encode("utf-8"), "text/css"
        if path in ASSETS:
            file = ASSETS[path]
            return file.read_bytes(), mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if path.startswith("/print/"):
            data = self.print_view(path.removeprefix("/print/"))
            return (data, "application/pdf") if data else None
        if path.startswith("/book/"):
            relative = path.removeprefix("/book/")
            candidate = (self.root / relative).resolve()
            if (
                candidate.is_relative_to(self.root)
                and candidate.is_file()
                and candidate.suffix.lower() in BOOK_ASSET_TYPES
                and not any(part.startswith(".") for part in Path(relative).parts)
            ):
                return candidate.read_bytes(), mimetypes.guess_type(candidate.name)[0] or "application/octet-stream"
        return None


class _Handler(BaseHTTPRequestHandler):
    site: PreviewSite
    stopping: threading.Event
    server_version = "Pressroom"

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - the stdlib's name
        pass  # the terminal shows rebuilds, not every request

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        path = unquote(urlsplit(self.path).path)
        if path == "/__events":
            self._events()
            return
        try:
            found = self.site.resolve(path)
        except Exception as exc:  # noqa: BLE001 - a failed page (the print view…) is an answer, not a crash
            text = error_text(exc) if isinstance(exc, PressroomError) else f"{type(exc).__name__}: {exc}"
            body = f"<!DOCTYPE html><title>Error</title><pre>{html.escape(text)}</pre>".encode("utf-8")
            self._send(HTTPStatus.INTERNAL_SERVER_ERROR, body, "text/html; charset=utf-8")
            return
        if found is None:
            body = b"<!DOCTYPE html><title>Not found</title><p>Not found.</p>"
            self._send(HTTPStatus.NOT_FOUND, body, "text/html; charset=utf-8")
            return
        self._send(HTTPStatus.OK, *found)

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
                    data = json.dumps({"version": str(state.version), "error": state.error})
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

    site = PreviewSite(root, log)
    if not site.rebuild():
        log(f"error: {site.state.error}")
    stop = stop or threading.Event()
    handler = type("Handler", (_Handler,), {"site": site, "stopping": stop})
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


def _relevant(change, path: str) -> bool:
    name = Path(path).name
    return not (name.startswith(".") or name.endswith(("~", ".swp", ".tmp")) or "__pycache__" in path)
