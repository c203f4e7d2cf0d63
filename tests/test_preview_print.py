"""The preview's print view (issue 18, item 5): the chapter's PDF pages as images, reloaded in place
after a save on the page the author was on, the overlay instead of the last good PDF while the book
is broken, and a memo that stays within its bound over 100 edit-and-view cycles."""

import subprocess
import sys
from pathlib import Path

import pytest

from epubtools import copy_book
from test_preview import CHAPTER_ID, CHROMIUM, Preview, _browser

LAYOUT = 180_000  # ms a print layout of the shipped chapter may take on a loaded machine


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is installed by `make test`")
def test_the_print_view_reloads_in_place_after_a_save_and_shows_errors(tmp_path):
    import pypdfium2 as pdfium
    from playwright.sync_api import expect, sync_playwright

    server = Preview(copy_book(tmp_path))
    chapter = server.book / "manuscript" / f"{CHAPTER_ID}.md"
    original = chapter.read_text(encoding="utf-8")
    try:
        with sync_playwright() as p:
            browser = _browser(p)
            page = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
            errors = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(server.url + f"print/{CHAPTER_ID}", timeout=LAYOUT)
            pages = page.locator("main.print-pages img")
            assert pages.count() > 10
            page.locator('img[data-page="5"]').scroll_into_view_if_needed()
            page.wait_for_function("document.querySelector('img[data-page=\"5\"]').naturalWidth > 0")
            page.evaluate("window.notReloaded = true")
            where = page.evaluate("window.scrollY")
            first = page.locator('img[data-page="1"]').get_attribute("src")
            page.wait_for_timeout(300)  # the event stream is connected

            chapter.write_text(original.replace("After years of pandering", "After years of grovelling"), "utf-8")
            page.wait_for_function(f"document.querySelector('img[data-page=\"1\"]').getAttribute('src') !== {first!r}",
                                   timeout=LAYOUT)
            assert page.evaluate("window.notReloaded") is True  # swapped in place, not reloaded
            # on the page the author was on (to the pixel, but for the rounding of the swapped images' heights)
            assert abs(page.evaluate("window.scrollY") - where) <= 2
            page.wait_for_function("document.querySelector('img[data-page=\"5\"]').naturalWidth > 0")
            status, kind, pdf = server.get(f"/print/{CHAPTER_ID}.pdf")
            assert status == 200 and kind == "application/pdf"
            document = pdfium.PdfDocument(pdf)
            assert "After years of grovelling" in document[0].get_textpage().get_text_range()
            document.close()

            chapter.write_text(original + "\nA claim [@no-such-work, p. 1].\n", "utf-8")
            overlay = page.locator("#pressroom-overlay")
            expect(overlay).to_contain_text("error M001: unknown citation key @no-such-work", timeout=15000)
            status, _, body = server.get(f"/print/{CHAPTER_ID}.pdf")
            assert status == 409 and b"error M001: unknown citation key @no-such-work" in body  # not the last good PDF
            chapter.write_text(original, "utf-8")
            expect(overlay).to_be_hidden(timeout=15000)
            assert errors == []
            browser.close()
    finally:
        if server.process.poll() is None:
            assert server.stop() == 0


def _rss_mib() -> float:
    return int(Path("/proc/self/statm").read_text().split()[1]) * 4096 / 2**20


def test_100_edit_and_view_cycles_grow_the_server_by_at_most_20_mib(tmp_path):
    """The print views are kept least recently used within a byte budget, and WeasyPrint runs in a
    worker process (replaced every few layouts), so what it keeps of each document is not the server's."""
    from pressroom.preview import PreviewSite
    from pressroom.print_preview import PRINT_MEMO_BYTES

    root = tmp_path / "book"
    subprocess.run([sys.executable, "-m", "pressroom", "new", str(root)], check=True, capture_output=True)
    chapter = next((root / "manuscript").glob("*.md"))
    original = chapter.read_text(encoding="utf-8")
    site = PreviewSite(root)
    try:
        assert site.rebuild()
        chapter_id = site.book.chapters[0].id
        start = None
        for n in range(100):
            chapter.write_text(original + f"\n\nEdit number {n}.\n", encoding="utf-8")
            assert site.rebuild({str(chapter.relative_to(root))}), site.state.error
            body, kind = site.resolve(f"/print/{chapter_id}")
            assert kind.startswith("text/html") and b'data-page="1"' in body
            image, kind = site.resolve(f"/print/{chapter_id}/1.png")
            assert kind == "image/png" and image.startswith(b"\x89PNG")
            if n == 0:
                start = _rss_mib()
        grown = _rss_mib() - start
        assert site.print_views.weight() <= PRINT_MEMO_BYTES
        assert grown <= 20, f"the server grew by {grown:.1f} MiB in 100 edit-and-view cycles"
    finally:
        site.layout.close()
