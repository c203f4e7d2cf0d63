"""The preview as an author reads it (issue 18, item 6), in Chromium at desktop size and on a 390-px phone:
the index page, link targets below the sticky bar, a one-line bar, popups, the sidebar, search, the
banner when the server stops, an undefined note call in the overlay, file:line opening the editor,
and a save shown in place."""

import http.client
import json
import sys
from pathlib import Path

import pytest

from epubtools import copy_book
from test_preview import CHAPTER_ID, CHROMIUM, Preview, _browser

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is installed by `make test`")

DESKTOP = {"viewport": {"width": 1280, "height": 800}}
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
CHAPTER = f"chapter/{CHAPTER_ID}"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """One preview of the shipped book for the tests that only read it."""
    running = Preview(copy_book(tmp_path_factory.mktemp("book")))
    yield running
    if running.process.poll() is None:
        running.stop()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = _browser(p)
        yield launched
        launched.close()


def _page(browser, kind):
    page = browser.new_context(**kind).new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors
    return page


def _below_bar(page, selector: str) -> tuple[float, float]:
    """(top of the element, bottom of the bar), in the viewport."""
    return page.evaluate("""s => [document.querySelector(s).getBoundingClientRect().top,
                                  document.querySelector('.preview-bar').getBoundingClientRect().bottom]""", selector)


def test_the_contents_index_link_and_next_link(server, browser):
    from playwright.sync_api import expect

    page = _page(browser, DESKTOP)
    page.goto(server.url)
    nav = page.locator("nav.contents")
    nav.get_by_role("link", name="Index", exact=True).click()
    expect(page.locator("h1.chapter-title")).to_have_text("Index")
    assert "Not found" not in page.content()
    expect(page.locator("li.index-entry").first).to_be_visible()
    page.goto(server.url)
    page.locator('.preview-bar a[rel="next"]').click()
    expect(page.locator("h1.chapter-title")).to_have_text("From Five-Year Plan to the Purges")
    assert page.url.endswith(CHAPTER)
    assert page.errors == []


@pytest.mark.parametrize("kind", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_link_targets_land_below_the_sticky_bar(server, browser, kind):
    page = _page(browser, kind)
    page.goto(server.url + CHAPTER)
    call = page.locator("a.noteref").first
    note_id = call.get_attribute("href").split("#")[1]
    call.click()
    page.wait_for_function(f"location.hash === '#{note_id}'")
    page.wait_for_timeout(200)
    top, bar = _below_bar(page, f"#{note_id}")
    assert top >= bar, (top, bar)

    back = page.locator(f"#{note_id} a.backlink")
    back_id = back.get_attribute("href").split("#")[1]
    back.click()
    page.wait_for_function(f"location.hash === '#{back_id}'")
    page.wait_for_timeout(200)
    top, bar = _below_bar(page, f"#{back_id}")
    assert top >= bar, (top, bar)

    page.goto(server.url + "bibliography")
    cited = page.locator(".cited-by a").first
    cite_id = cited.get_attribute("href").split("#")[1]
    cited.click()
    page.wait_for_url(f"**/{CHAPTER}#{cite_id}")
    page.wait_for_timeout(300)
    top, bar = _below_bar(page, f"#{cite_id}")
    assert top >= bar, (top, bar)
    assert page.errors == []


def test_on_a_phone_the_bar_is_one_line_and_the_text_ragged(server, browser):
    page = _page(browser, PHONE)
    page.goto(server.url + CHAPTER)
    tops = page.evaluate("""[...document.querySelectorAll('.preview-bar > *')]
        .filter(e => e.getBoundingClientRect().width > 0).map(e => e.getBoundingClientRect().top)""")
    assert len(tops) >= 4 and max(tops) - min(tops) < 8, tops  # menu, title, previous, next, print view
    height = page.evaluate("document.querySelector('.preview-bar').getBoundingClientRect().height")
    assert height < 40, height
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    style = page.evaluate("""(() => { const s = getComputedStyle(document.querySelector('section.chapter > p'));
        return [s.textAlign, s.hyphens]; })()""")
    assert style[0] in ("start", "left") and style[1] == "auto", style
    assert page.evaluate("document.documentElement.lang") == "en-GB"  # hyphenation follows the book's language


def test_the_sidebar_lists_the_pages_and_collapses_on_a_phone(server, browser):
    from playwright.sync_api import expect

    page = _page(browser, DESKTOP)
    page.goto(server.url + CHAPTER)
    sidebar = page.locator("#preview-sidebar")
    expect(sidebar).to_be_visible()
    expect(sidebar.locator('a[aria-current="page"]')).to_have_text("From Five-Year Plan to the Purges")
    sidebar.get_by_role("link", name="Bibliography").click()
    expect(page.locator("h1.chapter-title")).to_have_text("Bibliography")

    phone = _page(browser, PHONE)
    phone.goto(server.url + CHAPTER)
    sidebar = phone.locator("#preview-sidebar")
    expect(sidebar).to_be_hidden()
    menu = phone.locator(".preview-menu")
    menu.tap()
    expect(sidebar).to_be_visible()
    assert menu.get_attribute("aria-expanded") == "true"
    sidebar.get_by_role("link", name="Index").tap()
    expect(phone.locator("h1.chapter-title")).to_have_text("Index")
    expect(phone.locator("#preview-sidebar")).to_be_hidden()
    assert page.errors == [] and phone.errors == []


def test_search_finds_words_across_the_book(server, browser):
    from playwright.sync_api import expect

    page = _page(browser, DESKTOP)
    page.goto(server.url)
    box = page.locator("#preview-search")
    box.fill("kravchenko")
    results = page.locator(".preview-results li")
    expect(results.first).to_be_visible()
    expect(results.first.locator("mark")).to_have_text("Kravchenko", ignore_case=True)
    results.first.locator("a").click()
    page.wait_for_url(f"**/{CHAPTER}#*")
    assert "Kravchenko" in page.locator("main").inner_text()

    box = page.locator("#preview-search")
    box.fill("zzqxjw nowhere")
    expect(page.locator(".preview-results li")).to_have_text(["Nothing found"])
    # Accents and case do not matter; every word must be found.
    status, kind, body = server.get("/search.json")
    assert status == 200 and kind == "application/json"
    entries = json.loads(body)
    assert any(e["href"] == f"/{CHAPTER}#forced-collectivisation" for e in entries)
    assert page.errors == []


def test_note_and_citation_popups(server, browser):
    from playwright.sync_api import expect

    page = _page(browser, DESKTOP)
    page.goto(server.url + CHAPTER)
    popup = page.locator("#preview-popup")
    call = page.locator("a.noteref").first
    call.hover()
    expect(popup).to_be_visible()
    expect(popup).to_contain_text("The name of Stalin")
    assert popup.locator(".backlink").count() == 0
    page.mouse.move(5, 700)
    expect(popup).to_be_hidden()
    cite = page.locator(".citation a").first
    cite.hover()
    expect(popup).to_contain_text("Trotsky")  # the bibliography entry, fetched from its page
    key = cite.get_attribute("href").split("#ref-")[1]
    assert key

    phone = _page(browser, PHONE)
    phone.goto(server.url + CHAPTER)
    url = phone.url
    phone.locator("a.noteref").first.tap()
    expect(phone.locator("#preview-popup")).to_contain_text("The name of Stalin")
    assert phone.url == url  # the first tap shows the note; the page stays
    phone.locator("a.noteref").first.tap()
    phone.wait_for_url("**#note-*")  # the second follows the call to the note
    assert page.errors == [] and phone.errors == []


def test_save_shown_in_place_keeping_the_place_and_a_banner_when_the_server_stops(tmp_path, browser):
    from playwright.sync_api import expect

    server = Preview(copy_book(tmp_path))
    chapter = server.book / "manuscript" / f"{CHAPTER_ID}.md"
    original = chapter.read_text(encoding="utf-8")
    try:
        page = _page(browser, DESKTOP)
        page.goto(server.url + CHAPTER)
        page.evaluate("window.scrollTo(0, 3000); window.notReloaded = true")
        page.wait_for_timeout(300)  # the event stream is connected
        chapter.write_text(original.replace("the ensuing famine", "the ensuing hunger"), "utf-8")
        expect(page.locator("main")).to_contain_text("the ensuing hunger", timeout=15000)
        assert page.evaluate("window.notReloaded") is True  # swapped in place, not reloaded
        assert abs(page.evaluate("window.scrollY") - 3000) < 2

        chapter.write_text(original + "\nA call to nothing[^zz].\n", "utf-8")
        overlay = page.locator("#pressroom-overlay")
        expect(overlay).to_contain_text(
            f"manuscript/{CHAPTER_ID}.md:{original.count(chr(10)) + 2}: error M003: the footnote [^zz] "
            "is called but not defined", timeout=15000)

        banner = page.locator("#pressroom-stopped")
        expect(banner).to_be_hidden()
        assert server.stop() == 0
        expect(banner).to_be_visible(timeout=10000)
        expect(banner).to_contain_text("stopped")
        assert page.errors == []
    finally:
        if server.process.poll() is None:
            server.process.kill()


def test_an_error_line_opens_the_authors_editor(tmp_path, monkeypatch, browser):
    from playwright.sync_api import expect

    record = tmp_path / "opened.json"
    editor = tmp_path / "editor.py"
    editor.write_text(f"import json, sys\nopen({str(record)!r}, 'w').write(json.dumps(sys.argv[1:]))\n", "utf-8")
    monkeypatch.setenv("PRESSROOM_EDITOR", f"'{sys.executable}' '{editor}' --goto {{file}}:{{line}}")
    server = Preview(copy_book(tmp_path / "book"))
    chapter = server.book / "manuscript" / f"{CHAPTER_ID}.md"
    original = chapter.read_text(encoding="utf-8")
    try:
        page = _page(browser, DESKTOP)
        page.goto(server.url + CHAPTER)
        page.wait_for_timeout(300)
        chapter.write_text(original + "\nA claim [@no-such-work, p. 1].\n", "utf-8")
        line = original.count("\n") + 2
        button = page.locator("#pressroom-overlay button.pressroom-open")
        expect(button).to_have_text(f"manuscript/{CHAPTER_ID}.md:{line}", timeout=15000)
        expect(page.locator("#pressroom-overlay")).to_contain_text(
            f"manuscript/{CHAPTER_ID}.md:{line}: error M001: unknown citation key @no-such-work")
        button.click()
        for _ in range(50):
            if record.exists():
                break
            page.wait_for_timeout(100)
        assert json.loads(record.read_text()) == ["--goto", f"{chapter.resolve()}:{line}"]

        # Only this preview's own pages, only files inside the book.
        record.unlink()
        origin = f"http://127.0.0.1:{server.port}"
        good = {"file": f"manuscript/{CHAPTER_ID}.md", "line": 3}
        assert _post(server, good, origin="http://evil.example") == 403
        assert _post(server, good, origin=None) == 403
        assert _post(server, good, origin=origin, kind="text/plain") == 403
        assert _post(server, good, origin=origin, host="evil.example") == 403
        for bad in ({"file": "../../etc/passwd", "line": 1}, {"file": "/etc/passwd", "line": 1},
                    {"file": "manuscript/nope.md", "line": 1}, {"file": good["file"], "line": "1; rm -rf /"},
                    {"file": good["file"], "line": 0}, ["manuscript"]):
            assert _post(server, bad, origin=origin) == 404, bad
        assert not record.exists()
        assert _post(server, good, origin=origin) == 204
    finally:
        if server.process.poll() is None:
            server.stop()


def _post(server, body, origin, kind="application/json", host=None) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    headers = {"Content-Type": kind, "Host": host or f"127.0.0.1:{server.port}"}
    if origin:
        headers["Origin"] = origin
    connection.request("POST", "/__open", body=json.dumps(body), headers=headers)
    status = connection.getresponse().status
    connection.close()
    return status
