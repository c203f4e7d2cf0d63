"""A wide image is never wider than the measure in the EPUB (as a reading system lays out its
XHTML) and in the preview (issue 13); the PDF's images are checked in tests/test_corpus.py."""

import shutil
import zipfile
from pathlib import Path

import pytest

from epubtools import build
from test_preview import CHROMIUM, Preview

BOOK = Path(__file__).parent / "corpus" / "images-and-cover"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]
# Narrower than the images (600 and 640 px): a reader on a phone.
VIEWPORT = {"width": 360, "height": 640}

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is installed by `make test`")


def _copy(tmp_path: Path) -> Path:
    book = tmp_path / "book"
    shutil.copytree(BOOK, book, ignore=shutil.ignore_patterns("golden", "dist"))
    return book


def _overflow(page) -> list:
    """Each image of the page with its right edge and that of the block holding it, where it is wider."""
    return page.evaluate("""() => [...document.images].map(img => {
        const box = img.getBoundingClientRect(), parent = img.parentElement.getBoundingClientRect();
        return [img.getAttribute('src'), box.width, box.left, box.right, parent.left, parent.right];
    })""")


def _assert_within(images) -> None:
    assert images, "no image laid out"
    for src, width, left, right, parent_left, parent_right in images:
        assert width > 0, src
        assert parent_left - 0.5 <= left and right <= parent_right + 0.5, (src, left, right, parent_left, parent_right)


def test_images_stay_within_the_measure_in_the_epub_and_the_preview(tmp_path):
    from playwright.sync_api import sync_playwright

    book = _copy(tmp_path)
    result = build(book, "--format", "epub")
    assert result.returncode == 0, result.stderr
    unpacked = tmp_path / "epub"
    with zipfile.ZipFile(next((book / "dist").glob("*.epub"))) as epub:
        epub.extractall(unpacked)
    chapters = sorted(path for path in (unpacked / "EPUB" / "text").glob("*.xhtml") if b"<img" in path.read_bytes())
    assert chapters
    preview = Preview(book)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            try:
                page = browser.new_page(viewport=VIEWPORT)
                for chapter in chapters:  # the cover page too
                    page.goto(chapter.as_uri())
                    _assert_within(_overflow(page))
                for chapter in (c for c in chapters if c.stem != "cover"):
                    page.goto(preview.url + f"chapter/{chapter.stem}")
                    page.wait_for_load_state("load")
                    _assert_within(_overflow(page))
            finally:
                browser.close()
    finally:
        preview.stop()
