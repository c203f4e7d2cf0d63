"""Broken and hostile books (issue 19), the cases a table cannot hold: hostile text that must build
with every word kept, WeasyPrint's fetcher, the preview's requests, leftovers in dist/, and a
build in a child process whose every open is audited."""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from lxml import etree

from bookmaker import CONFIG, make_book

FAST = "\n[epub]\nprint_page_numbers = false\n"


def build(root: Path, *args: str):
    from pressroom.cli import main

    return CliRunner().invoke(main, ["build", "--book", str(root), "--format", "epub", *args])


def epub_text(root: Path) -> str:
    """Every chapter page's text, in reading order."""
    (epub,) = (root / "dist").glob("*.epub")
    archive = zipfile.ZipFile(epub)
    texts = []
    for name in sorted(archive.namelist()):
        if name.endswith(".xhtml"):
            tree = etree.fromstring(archive.read(name))  # well-formed, or this raises
            texts.append(" ".join(tree.itertext()))
    return "\n".join(texts)


def small_book(tmp_path: Path, chapter: str, extra: str = "") -> Path:
    return make_book(tmp_path / "book", {"a.md": chapter}, config=CONFIG.format(body='["a.md"]') + FAST + extra)


# ------------------------------------------------------------------------- hostile text that builds

KEPT = [
    ("paragraph separator after a space", "# A\n\nBefore \u2029after the separator.\n", ["Before", "after the separator"]),
    ("line separator", "# A\n\nOne\u2028two three.\n", ["One", "two three"]),
    ("paragraph separator as an entity", "# A\n\nOne &#x2029;two &#8233; three.\n", ["One", "two", "three"]),
    ("next line character", "# A\n\nOne\u0085two.\n", ["One", "two"]),
    ("byte order mark", "\ufeff# The Title\n\nText.\n", ["The Title", "Text"]),
    ("inline note", "# A\n\nText^[An inline *note*.] and on.\n", ["Text", "An inline", "note", "and on"]),
    ("inline and labelled notes", "# A\n\nOne^[First.] two[^b].\n\n[^b]: Second.\n", ["First.", "Second."]),
    ("list nested ten deep", "# A\n\n" + "".join("  " * i + f"- item{i}\n" for i in range(10)) + "\nAfter the list.\n",
     [f"item{i}" for i in range(10)] + ["After the list."]),
    ("quotations nested twenty deep", "# A\n\n" + "> " * 20 + "deep words\n\nAfter.\n", ["deep words", "After."]),
    ("lists nested sixty deep", "# A\n\n" + "".join("  " * i + f"- n{i}\n" for i in range(60)) + "\nEnd.\n",
     ["n0", "n59", "End."]),
    ("a 5,000-character word", "# A\n\nBefore " + "x" * 5000 + " after.\n", ["x" * 5000, "after"]),
    ("bidirectional text", "# A\n\nEnglish \u05e9\u05dc\u05d5\u05dd \u202eevil\u202c end.\n", ["English", "end."]),
    ("https and mailto links", "# A\n\n[site](https://example.com) and [mail](mailto:a@example.com).\n",
     ["site", "mail"]),
]


@pytest.mark.parametrize("chapter, words", [pytest.param(c, w, id=n) for n, c, w in KEPT])
def test_hostile_text_builds_and_keeps_every_word(tmp_path, monkeypatch, chapter, words):
    monkeypatch.setenv("PRESSROOM_WORKERS", "0")
    root = small_book(tmp_path, chapter)
    result = build(root)
    assert result.exit_code == 0, result.output
    text = epub_text(root)
    for word in words:
        assert word in text, word
    assert "\u2029" not in text and "\u2028" not in text and "\ufeff" not in text


def test_an_inline_note_is_a_note(tmp_path, monkeypatch):
    monkeypatch.setenv("PRESSROOM_WORKERS", "0")
    from pressroom.reader import load_book

    root = small_book(tmp_path, "# A\n\nText^[An inline note.] and[^b].\n\n[^b]: Labelled.\n")
    chapter = load_book(root).chapters[0]
    assert [n.number for n in chapter.notes] == [1, 2]
    assert "An inline note." in repr(chapter.notes[0].blocks)


def test_safe_images_and_data_urls_are_accepted(tmp_path, monkeypatch):
    monkeypatch.setenv("PRESSROOM_WORKERS", "0")
    from PIL import Image

    root = small_book(tmp_path, "# A\n\n![A square](img/a.png)\n\n![A circle](img/b.svg)\n")
    (root / "manuscript" / "img").mkdir()
    Image.new("RGB", (20, 20), (1, 2, 3)).save(root / "manuscript" / "img" / "a.png")
    (root / "manuscript" / "img" / "b.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><defs><linearGradient id="g"/></defs>'
        '<circle cx="5" cy="5" r="4" style="fill: url(#g)"/></svg>')
    (root / "styles").mkdir()
    (root / "styles" / "book.css").write_text("p { background: url(data:image/gif;base64,R0lGODlhAQABAAAAACw=); }\n")
    result = build(root)
    assert result.exit_code == 0, result.output


def test_check_reports_a_word_too_long_for_any_line(tmp_path):
    from pressroom.cli import main

    root = small_book(tmp_path, "# A\n\nFine words, and https://example.com/a/short/path too.\n\nBefore " + "x" * 5000 + ".\n")
    result = CliRunner().invoke(main, ["check", "--lint-only", "--format", "json", "--book", str(root)])
    found = [f for f in json.loads(result.output)["findings"] if f["code"] == "M017"]
    assert [(f["file"], f["line"], f["severity"]) for f in found] == [("manuscript/a.md", 5, "warning")]
    assert "5001 characters" in found[0]["message"]


def test_check_reports_a_broken_image(tmp_path):
    from pressroom.cli import main

    root = small_book(tmp_path, "# A\n\n![A picture](x.png)\n")
    (root / "manuscript" / "x.png").write_bytes(b"\x89PNG\r\n\x1a\nnot really")
    result = CliRunner().invoke(main, ["check", "--lint-only", "--format", "json", "--book", str(root)])
    assert result.exit_code == 1
    found = json.loads(result.output)["findings"]
    assert any(f["code"] == "M010" and f["file"] == "manuscript/a.md" and f["line"] == 3 for f in found), found


# ------------------------------------------------------------------------- the PDF: words and fetches


def test_a_long_word_reaches_the_pdf_whole(tmp_path, monkeypatch):
    """A 5,000-character word is broken across lines, never cut (62 characters reached the PDF)."""
    monkeypatch.setenv("PRESSROOM_WORKERS", "0")
    from pressroom.cli import main

    root = make_book(tmp_path / "book", {"a.md": "# A\n\nBefore " + "q" * 5000 + " after.\n"},
                     config=CONFIG.format(body='["a.md"]'))
    result = CliRunner().invoke(main, ["build", "--book", str(root), "--format", "pdf"])
    assert result.exit_code == 0, result.output
    (pdf,) = (root / "dist").glob("*.pdf")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert text.count("q") == 5000


def test_weasyprint_fetches_only_inside_the_book(tmp_path):
    from pressroom.errors import ManuscriptError
    from pressroom.adapters.weasyprint import fetch_problem, render as render_document

    book, outside = tmp_path / "book", tmp_path / "outside"
    book.mkdir()
    outside.mkdir()
    from PIL import Image

    Image.new("RGB", (4, 4)).save(book / "in.png")
    Image.new("RGB", (4, 4)).save(outside / "out.png")
    (book / "link.png").symlink_to(outside / "out.png")
    allowed = (book.resolve(),)
    assert fetch_problem((book / "in.png").as_uri(), allowed) == ""
    assert fetch_problem("data:image/png;base64,AAAA", allowed) == ""
    for url in [(outside / "out.png").as_uri(), (book / "link.png").as_uri(), "http://example.com/x.png",
                "https://example.com/x.css", "ftp://example.com/x", f"file://otherhost{book / 'in.png'}",
                (book / "missing.png").as_uri()]:
        assert fetch_problem(url, allowed), url
    assert render_document(f'<img src="{(book / "in.png").as_uri()}" alt="">', str(book)).pages
    for html in [f'<img src="{(outside / "out.png").as_uri()}" alt="">',
                 f'<style>body {{ background: url({(outside / "out.png").as_uri()}) }}</style><p>x</p>',
                 f'<link rel="stylesheet" href="{(outside / "out.png").as_uri()}"><p>x</p>',
                 '<img src="link.png" alt="">']:
        with pytest.raises(ManuscriptError) as caught:
            render_document(html, str(book))
        assert caught.value.code == "F001" and "outside the book folder" in str(caught.value)


# ------------------------------------------------------------------------- dist/ and signals


def test_a_killed_builds_leftovers_are_removed_by_the_next_build(tmp_path, monkeypatch):
    monkeypatch.setenv("PRESSROOM_WORKERS", "0")
    root = small_book(tmp_path, "# A\n\nText.\n")
    assert build(root).exit_code == 0
    dist = root / "dist"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True).stdout.strip()  # a process that is gone
    leftovers = [dist / f".a-small-book.epub.{dead}.k3j4h5g6.tmp", dist / ".a-small-book.epub.x1y2z3.tmp"]
    for leftover in leftovers:
        leftover.write_bytes(b"half an EPUB")
    at_work = dist / f".a-small-book.pdf.{os.getpid()}.abcdefgh.tmp"  # a build still running: left alone
    at_work.write_bytes(b"being written")
    assert build(root).exit_code == 0
    assert not any(p.exists() for p in leftovers)
    assert at_work.exists()


def test_ctrl_c_exits_130_after_cleaning_up(tmp_path):
    """A real SIGINT during a build of a long book: exit 130, no traceback, no temporary file left."""
    import signal
    import time

    long_chapter = "# A\n\n" + "".join(f"Paragraph {n} with a note[^n{n}].\n\n[^n{n}]: Note {n}.\n\n"
                                       for n in range(20000))  # about 5 s to build
    root = small_book(tmp_path, long_chapter)
    env = {**os.environ, "PRESSROOM_WORKERS": "0"}
    process = subprocess.Popen([sys.executable, "-m", "pressroom", "build", "--book", str(root), "--format", "epub",
                                "--no-cache"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    time.sleep(2.0)  # importing, reading and writing the book
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert "Traceback" not in err and "interrupted" in err
    assert not list((root / "dist").glob(".*.tmp")) if (root / "dist").exists() else True
    assert not (root / "dist" / "a-small-book.epub").exists()


# ------------------------------------------------------------------------- the preview


class Server:
    """The preview in a thread of this process, on a free port."""

    def __init__(self, root: Path, host: str = "127.0.0.1"):
        from pressroom.preview import serve

        self.stop = threading.Event()
        self.started = threading.Event()
        self.log: list[str] = []
        self.address = ""

        def ready(address: str) -> None:
            self.address = address
            self.started.set()

        self.thread = threading.Thread(target=serve, args=(root, host, 0),
                                       kwargs={"ready": ready, "log": self.log.append, "stop": self.stop}, daemon=True)
        self.thread.start()
        assert self.started.wait(60), self.log
        self.port = int(self.address.rsplit(":", 1)[1].strip("/"))

    def raw(self, request: bytes) -> int:
        """Send ``request`` as it is; the status of the answer (0 if the connection was dropped)."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=30) as conn:
            conn.sendall(request)
            answer = b""
            while b"\r\n" not in answer:
                chunk = conn.recv(4096)
                if not chunk:
                    break
                answer += chunk
        match = re.match(rb"HTTP/1\.[01] (\d{3})", answer)
        return int(match.group(1)) if match else 0

    def close(self) -> None:
        self.stop.set()
        self.thread.join(30)


@pytest.fixture(scope="module")
def preview(tmp_path_factory):
    root = small_book(tmp_path_factory.mktemp("preview"), "# A\n\nText.\n")
    (root / "manuscript" / "pic.png").write_bytes(b"")
    server = Server(root)
    yield server
    server.close()


def get(path: bytes, host: bytes | None) -> bytes:
    return b"GET " + path + b" HTTP/1.1\r\n" + (b"Host: " + host + b"\r\n" if host is not None else b"") + \
        b"Connection: close\r\n\r\n"


PREVIEW_CASES = [
    ("own address", get(b"/", b"127.0.0.1:{port}"), 200),
    ("localhost", get(b"/", b"localhost:{port}"), 200),
    ("localhost in capitals", get(b"/", b"LOCALHOST:{port}"), 200),
    ("a foreign name (DNS rebinding)", get(b"/", b"evil.example:{port}"), 403),
    ("a foreign name without port", get(b"/", b"evil.example"), 403),
    ("a name ending like localhost", get(b"/", b"localhost.evil.example:{port}"), 403),
    ("another address", get(b"/", b"10.0.0.1:{port}"), 403),
    ("no Host header", get(b"/", None), 403),
    ("a Host with a bad port", get(b"/", b"127.0.0.1:port"), 403),
    ("a NUL in the path", get(b"/chapter/a\x00b", b"127.0.0.1:{port}"), 400),
    ("a NUL escaped", get(b"/book/manuscript/a%00.png", b"127.0.0.1:{port}"), 400),
    ("a 300-character name", get(b"/book/" + b"a" * 300 + b".png", b"127.0.0.1:{port}"), 400),
    ("a 300-character chapter id", get(b"/chapter/" + b"a" * 300, b"127.0.0.1:{port}"), 400),
    ("a very long path", get(b"/book/" + b"a/" * 3000, b"127.0.0.1:{port}"), 400),
    ("bad percent-encoding", get(b"/book/%ff%fe.png", b"127.0.0.1:{port}"), 400),
    ("an escape character", get(b"/book/a%1b.png", b"127.0.0.1:{port}"), 400),
    ("climbing out", get(b"/book/../../../etc/passwd", b"127.0.0.1:{port}"), 404),
    ("climbing out escaped", get(b"/book/%2e%2e/%2e%2e/etc/passwd", b"127.0.0.1:{port}"), 404),
    ("a hidden file", get(b"/book/.cache/pressroom/x.css", b"127.0.0.1:{port}"), 404),
]


@pytest.mark.parametrize("request_bytes, status", [pytest.param(r, s, id=n) for n, r, s in PREVIEW_CASES])
def test_preview_requests(preview, capfd, request_bytes, status):
    assert preview.raw(request_bytes.replace(b"{port}", str(preview.port).encode())) == status
    assert "Traceback" not in capfd.readouterr().err


def test_preview_beyond_loopback_warns_and_still_refuses_names(tmp_path):
    root = small_book(tmp_path, "# A\n\nText.\n")
    server = Server(root, host="0.0.0.0")
    try:
        assert any(line.startswith("warning: listening on 0.0.0.0") for line in server.log), server.log
        assert server.raw(get(b"/", b"evil.example:%d" % server.port)) == 403
        assert server.raw(get(b"/", b"192.168.1.20:%d" % server.port)) == 200  # an address: no rebinding
    finally:
        server.close()


def test_preview_host_rules():
    from pressroom.preview import host_allowed, is_loopback

    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost") and is_loopback("127.0.0.2")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.2")
    assert host_allowed("[::1]:8000", "::1") and host_allowed("localhost", "127.0.0.1")
    assert not host_allowed("", "127.0.0.1") and not host_allowed("a" * 400, "127.0.0.1")


# ------------------------------------------------------------------------- a child process, audited

AUDITED_BUILD = r"""
import os, sys
book, outside, log = sys.argv[1], sys.argv[2], sys.argv[3]
seen = []
def audit(event, args):
    if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        path = os.path.realpath(os.fsdecode(args[0]))
        if path.startswith(outside):
            seen.append(path)
sys.addaudithook(audit)
sys.argv = ["pressroom", "build", "--book", book]
from pressroom.cli import main
try:
    main()
except SystemExit as done:
    code = done.code
with open(log, "w") as out:
    out.write("\n".join(seen))
sys.exit(code)
"""


def test_a_hostile_book_built_in_a_child_opens_nothing_outside(tmp_path):
    """Both outputs (the PDF too, through WeasyPrint) of a book whose every file type points out."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.png").write_bytes(b"")
    root = make_book(tmp_path / "book", {"a.md": "# A\n\nText.\n"}, config=CONFIG.format(body='["a.md"]'))
    (root / "styles").mkdir()
    (root / "styles" / "book.css").write_text(f"p {{ background: url({(outside / 'secret.png').as_uri()}) }}\n")
    log = tmp_path / "opened.txt"
    result = subprocess.run([sys.executable, "-c", AUDITED_BUILD, str(root), str(outside.resolve()), str(log)],
                            capture_output=True, text=True, env={**os.environ, "PRESSROOM_WORKERS": "0"})
    assert result.returncode == 1, result.stderr
    assert "styles/book.css:1" in result.stderr and "Traceback" not in result.stderr
    assert log.read_text() == ""
    assert not (root / "dist").exists() or not list((root / "dist").iterdir())


def test_a_cache_linked_outside_is_neither_read_nor_written(tmp_path, monkeypatch):
    """A book handed over with ``.cache`` linking elsewhere (perhaps to a crafted cache): the build
    warns and runs without it; nothing appears in, or is taken from, the folder it links to."""
    monkeypatch.setenv("PRESSROOM_WORKERS", "0")
    outside = tmp_path / "outside"
    (outside / "pressroom" / "memo").mkdir(parents=True)
    (outside / "pressroom" / "memo" / "planted").write_bytes(b"not a cache entry")
    before = sorted(str(p) for p in outside.rglob("*"))
    root = small_book(tmp_path, "# A\n\nText [@nove-economic-history].\n")
    (root / ".cache").symlink_to(outside)
    result = build(root, "--no-strict")  # the warning is expected here (the suite builds strictly)
    assert result.exit_code == 0, result.output
    assert ".cache: warning B004: .cache/pressroom leads outside the book folder" in result.output
    assert sorted(str(p) for p in outside.rglob("*")) == before
    from pressroom.cli import main

    checked = CliRunner().invoke(main, ["check", "--book", str(root)])
    assert checked.exit_code == 1 and "leads outside the book folder" in checked.output
    assert "Traceback" not in checked.output
    assert sorted(str(p) for p in outside.rglob("*")) == before


def test_a_truncated_image_is_refused_even_after_weasyprint_is_imported(tmp_path):
    """WeasyPrint 70 makes Pillow accept truncated files process-wide on import; the check does not."""
    import weasyprint  # noqa: F401
    from PIL import Image, ImageFile

    from pressroom.images import image_problem

    Image.effect_noise((64, 64), 50).convert("RGB").save(tmp_path / "x.png")
    (tmp_path / "cut.png").write_bytes((tmp_path / "x.png").read_bytes()[:-200])
    assert ImageFile.LOAD_TRUNCATED_IMAGES
    assert image_problem(tmp_path / "x.png") == ""
    assert "cannot be decoded" in image_problem(tmp_path / "cut.png")
    assert ImageFile.LOAD_TRUNCATED_IMAGES  # left as WeasyPrint wants it


def test_separators_escaped_in_the_bibliography_and_index_are_made_spaces(tmp_path, monkeypatch):
    monkeypatch.setenv("PRESSROOM_WORKERS", "0")
    from bookmaker import REFS

    refs = json.loads(json.dumps(REFS))
    refs[1]["title"] = "An Economic \u2029History"
    root = make_book(tmp_path / "book", {"a.md": "# A\n\nText [@nove-economic-history].\n"}, refs=refs,
                     config=CONFIG.format(body='["a.md"]') + FAST + '\n[index]\nfile = "index.toml"\n')
    (root / "manuscript" / "index.toml").write_text('[[entry]]\nterm = "Te\\u2029xt"\nmatch = ["Text"]\n')
    result = build(root)
    assert result.exit_code == 0, result.output
    text = epub_text(root)
    assert "\u2029" not in text and "Economic" in text and "History" in text
