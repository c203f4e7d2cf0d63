"""`pressroom preview` as a user meets it: a real server, a real HTTP client, a real browser."""

import http.client
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from epubtools import copy_book
from seed import ROOT

CHAPTER_ID = "from-five-year-plan-to-the-purges"
CHROMIUM = "/usr/bin/chromium"


class Preview:
    def __init__(self, book: Path):
        self.book = book
        self.process = subprocess.Popen(
            [sys.executable, "-m", "pressroom", "preview", "--book", str(book), "--port", "0", "--no-open"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        line = self.process.stdout.readline()
        match = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
        assert match, (line, self.process.stderr.read() if self.process.poll() is not None else "")
        self.port = int(match.group(1))
        self.url = match.group(0)

    def get(self, path: str) -> tuple[int, str, bytes]:
        """A raw GET: the path goes out exactly as given (no client-side normalising of '..')."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return response.status, response.getheader("Content-Type", ""), body

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=20)
        finally:
            if self.process.poll() is None:
                self.process.kill()


@pytest.fixture
def preview(tmp_path):
    server = Preview(copy_book(tmp_path))
    yield server
    if server.process.poll() is None:
        server.stop()


def _browser(p):
    return p.chromium.launch(
        executable_path=CHROMIUM,
        args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
              "--disable-component-update", "--disable-sync", "--no-first-run"],
    )


def test_serves_index_chapters_assets_and_nothing_else(preview):
    status, kind, body = preview.get("/")
    assert status == 200 and kind.startswith("text/html")
    assert f'href="/chapter/{CHAPTER_ID}"'.encode() in body
    assert f'href="/chapter/{CHAPTER_ID}#the-third-period"'.encode() in body
    status, _, body = preview.get(f"/chapter/{CHAPTER_ID}")
    assert status == 200
    text = body.decode("utf-8")
    assert "Forced collectivisation" in text and 'epub:type="noteref"' in text and 'class="citation"' in text
    assert 'href="/bibliography#ref-trotsky-revolution-betrayed"' in text  # citations link to the bibliography
    assert 'rel="next" href="/bibliography"' in text
    from pressroom.config import load_config
    from pressroom.typography import locale_for

    opening = locale_for(load_config(ROOT).metadata.language).quotes[0]  # the book's marks (en-GB: ‘)
    assert f"{opening}Without the Opposition\u2019s bold criticism" in text  # the same typography as the EPUB
    for asset in ("/assets/base.css", "/assets/preview.css", "/assets/preview.js"):
        assert preview.get(asset)[0] == 200
    status, kind, body = preview.get(f"/print/{CHAPTER_ID}")  # the print view: the pages as images
    assert status == 200 and kind.startswith("text/html") and f"/print/{CHAPTER_ID}/1.png".encode() in body
    status, kind, body = preview.get(f"/print/{CHAPTER_ID}.pdf")  # and the chapter's PDF
    assert status == 200 and kind == "application/pdf" and body.startswith(b"%PDF")
    for path in ("/nope", "/chapter/nope", "/manuscript/", "/book/manuscript/book.toml",
                 "/book/manuscript/from-five-year-plan-to-the-purges.md", "/book/../../../../etc/passwd",
                 "/book/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/book/", "/assets/../preview.py", "//etc/passwd"):
        assert preview.get(path)[0] == 404, path


def test_stops_cleanly_on_ctrl_c(preview):
    pid = preview.process.pid
    assert preview.stop() == 0
    assert not Path(f"/proc/{pid}").exists()
    leftover = [p for p in os.listdir("/proc") if p.isdigit() and str(preview.book) in _cmdline(p)]
    assert leftover == []


def _cmdline(pid: str) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode("utf-8", "replace")
    except OSError:
        return ""


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is installed by `make test`")
def test_live_reload_and_error_overlay_in_a_real_browser(preview):
    from playwright.sync_api import expect, sync_playwright

    chapter = preview.book / "manuscript" / f"{CHAPTER_ID}.md"
    original = chapter.read_text(encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        try:
            page = browser.new_page()
            page.goto(preview.url + f"chapter/{CHAPTER_ID}")
            expect(page.locator("h1.chapter-title")).to_have_text("From Five-Year Plan to the Purges")
            first = page.locator("section.chapter > p").first
            expect(first).to_contain_text("After years of pandering to the kulaks")
            page.wait_for_timeout(300)  # the event stream is connected

            chapter.write_text(original.replace("After years of pandering", "After years of grovelling"), "utf-8")
            expect(first).to_contain_text("After years of grovelling to the kulaks", timeout=15000)

            chapter.write_text(original + "\nA claim [@no-such-work, p. 1].\n", "utf-8")
            overlay = page.locator("#pressroom-overlay")
            expect(overlay).to_be_visible(timeout=15000)
            line = original.count("\n") + 2
            expect(overlay).to_contain_text(
                f"manuscript/{CHAPTER_ID}.md:{line}: error M001: unknown citation key @no-such-work")
            # The last good render is still shown under the overlay, and served to new visitors.
            assert b"grovelling" in preview.get(f"/chapter/{CHAPTER_ID}")[2]

            chapter.write_text(original, "utf-8")
            expect(overlay).to_be_hidden(timeout=15000)
            expect(page.locator("section.chapter > p").first).to_contain_text("After years of pandering")
        finally:
            browser.close()
    assert preview.stop() == 0


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is installed by `make test`")
def test_a_broken_template_shows_in_the_overlay_and_the_preview_recovers(tmp_path):
    """Issue 12: a template syntax error saved while previewing stopped the server. Now it is shown
    over the page (T001, file and line), the server keeps serving, and the fix brings the page back."""
    from playwright.sync_api import expect, sync_playwright

    book = copy_book(tmp_path)
    template = book / "templates" / "preview" / "chapter.html.j2"
    template.parent.mkdir(parents=True)
    good = ('{% extends "!preview/chapter.html.j2" %}\n'
            '{% block bar %}<span class="mark">{{ MARK }}</span>{{ super() }}{% endblock %}\n')
    template.write_text(good.replace("{{ MARK }}", "first"), "utf-8")
    server = Preview(book)
    try:
        with sync_playwright() as p:
            browser = _browser(p)
            try:
                page = browser.new_page()
                page.goto(server.url + f"chapter/{CHAPTER_ID}")
                expect(page.locator("span.mark")).to_have_text("first")
                page.wait_for_timeout(300)  # the event stream is connected

                template.write_text(good.replace("{{ MARK }}", "{{ oops("), "utf-8")
                overlay = page.locator("#pressroom-overlay")
                expect(overlay).to_be_visible(timeout=15000)
                expect(overlay).to_contain_text(
                    "templates/preview/chapter.html.j2:2: error T001: template syntax error")
                assert server.process.poll() is None
                assert server.get(f"/chapter/{CHAPTER_ID}")[0] == 200  # the last good page is still served

                template.write_text(good.replace("{{ MARK }}", "{{ chapter.nope }}"), "utf-8")
                expect(overlay).to_contain_text("templates/preview/chapter.html.j2:2: error T001: ", timeout=15000)
                expect(overlay).to_contain_text("has no attribute 'nope'", timeout=15000)

                template.write_text(good.replace("{{ MARK }}", "second"), "utf-8")
                expect(overlay).to_be_hidden(timeout=15000)
                expect(page.locator("span.mark")).to_have_text("second", timeout=15000)
            finally:
                browser.close()
        assert server.stop() == 0
    finally:
        if server.process.poll() is None:
            server.process.kill()


def test_a_rebuild_survives_any_exception_and_recovers(tmp_path, monkeypatch):
    """Any exception in a rebuild (here a bug: a RuntimeError from rendering) keeps the last good
    pages, is shown as an internal error, and the next good rebuild clears it."""
    from pressroom.preview import PreviewSite

    site = PreviewSite(copy_book(tmp_path))
    assert site.rebuild()
    pages, version = site.snapshot
    render = PreviewSite.render

    def broken(self, book, files=None):
        raise RuntimeError("a bug in a renderer")

    monkeypatch.setattr(PreviewSite, "render", broken)
    assert not site.rebuild({"manuscript/x.md"})
    assert site.state.error.startswith("internal error (a bug in Pressroom; please report it): "
                                       "RuntimeError: a bug in a renderer")
    assert site.snapshot == (pages, version) and site.state.version == version
    monkeypatch.setattr(PreviewSite, "render", render)
    assert site.rebuild({"manuscript/x.md"})
    assert site.state.error == "" and site.state.version == version + 1
