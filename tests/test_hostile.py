"""Broken and hostile books (issue 19): a table of bad inputs across the config, the manuscript, the
bibliography, the citation style, the index file, templates, stylesheets, images and dist/.

Each case starts from a good book already built, makes one change, and runs ``check --lint-only``
and/or ``build --format epub`` in-process (Click's runner). It asserts: the exit status; a message
naming the file and line; no traceback; dist/ byte for byte as it was; nothing outside the book
read or written — a folder ``outside/`` beside the book holds the files the hostile cases point at,
and an audit hook (``sys.addaudithook``) records every ``open`` under it while a case runs.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import struct
import sys
import zlib
from pathlib import Path

import pytest
from click.testing import CliRunner

from bookmaker import CONFIG, REFS, make_book

GOOD_CHAPTER = ("# A\n\nText with a note[^n] and [@nove-economic-history, p. 3].\n\n"
                "Cited again [@trotsky-revolution-betrayed, p. 5].\n\n[^n]: The note.\n")
FAST = "\n[epub]\nprint_page_numbers = false\n"


# ---------------------------------------------------------------------------------------- the audit


_WATCHED: list[str] = []  # the outside folder while a case runs
_OPENED: list[str] = []


def _audit(event: str, args) -> None:
    if event == "open" and _WATCHED and isinstance(args[0], (str, bytes, os.PathLike)):
        path = os.path.abspath(os.fsdecode(args[0]))
        if path.startswith(_WATCHED[0]):
            _OPENED.append(path)


sys.addaudithook(_audit)  # cannot be removed; idle (one list test) when no case runs


# ---------------------------------------------------------------------------------------- helpers


def config(book: str = "", bib: str = "", rest: str = "", body: str = '["a.md"]') -> str:
    """The good config with ``book`` lines added to [book], ``bib`` to [bibliography], ``rest`` at the end."""
    return CONFIG.format(body=body).replace("[book]\n", "[book]\n" + book) + bib + FAST + rest


def line_of(text: str, needle: str) -> int:
    """The line where ``needle`` starts (a needle starting with a newline: the line after it)."""
    return text[: text.index(needle)].count("\n") + 1 + needle.startswith("\n")


def write(name: str, content):
    def change(root: Path, outside: Path) -> None:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return change


def both(*changes):
    def change(root: Path, outside: Path) -> None:
        for one in changes:
            one(root, outside)
    return change


def link_out(name: str, target: str):
    """``name`` in the book becomes a symbolic link to ``outside/target``."""
    def change(root: Path, outside: Path) -> None:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() or path.is_symlink():
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
        path.symlink_to(outside / target)
    return change


def with_outside_path(make):
    """A change whose content needs the absolute path of the outside folder."""
    def change(root: Path, outside: Path) -> None:
        make(outside)(root, outside)
    return change


def refs(**fields):
    """The bibliography with the second item's fields changed (``None`` deletes one)."""
    items = json.loads(json.dumps(REFS))
    for key, value in fields.items():
        key = key.replace("_", "-")
        if value is None:
            items[1].pop(key, None)
        else:
            items[1][key] = value
    return write("manuscript/refs.json", json.dumps(items, indent=2))


def png(width: int = 4, height: int = 3) -> bytes:
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims ``width`` × ``height`` pixels in a few bytes: a decompression bomb's header."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def chapter_with_image(src: str) -> str:
    return f"# A\n\nText.\n\n![A picture]({src})\n"


def image_case(name: str, data: bytes):
    return both(write(f"manuscript/img/{name}", data),
                write("manuscript/a.md", chapter_with_image(f"img/{name}")))


SVG_HEAD = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">'


def _snapshot(folder: Path) -> dict[str, str]:
    if not folder.exists():
        return {}
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
            for p in sorted(folder.rglob("*"))}


# ---------------------------------------------------------------------------------------- the table
# (id, change, commands, file:line the message must name, words it must hold)
# commands: "lint" = check --lint-only, "epub" = build --format epub, "both" = the two.

CASES: list[tuple] = []


def case(name, change, where, words="", commands="both"):
    CASES.append(pytest.param(change, commands, where, words, id=name))


def config_case(name, text, needle, words, commands="both"):
    case(f"config: {name}", write("manuscript/book.toml", text), f"manuscript/book.toml:{line_of(text, needle)}",
         words, commands)


# -- config
for name, book_line, words in [
    ("slug climbing out", 'slug = "../../escaped"\n', "cannot be a file name"),
    ("slug absolute", 'slug = "/tmp/escaped"\n', "cannot be a file name"),
    ("slug with a folder", 'slug = "sub/book"\n', "cannot be a file name"),
    ("slug dot dot", 'slug = ".."\n', "cannot be a file name"),
    ("slug hidden", 'slug = ".hidden"\n', "cannot be a file name"),
    ("slug with a space", 'slug = "my book"\n', "cannot be a file name"),
    ("slug with a backslash", 'slug = "a\\\\b"\n', "cannot be a file name"),
    ("slug too long", f'slug = "{"b" * 150}"\n', "cannot be a file name"),
    ("slug with NUL escape", 'slug = "a\\u0000b"\n', "U+0000"),
    ("slug unicode", 'slug = "kniga-\u043a\u043d\u0438\u0433\u0430"\n', "cannot be a file name"),
    ("title NUL escape", 'subtitle = "a\\u0000b"\n', "U+0000"),
    ("title escape character", 'subtitle = "a\\u001bb"\n', "U+001B"),
    ("unknown key", 'colour = "red"\n', "unknown key 'colour'"),
    ("slug not a string", "slug = 3\n", "'slug' must be a string"),
    ("subjects not a list", 'subjects = "history"\n', "'subjects' must be a list"),
]:
    text = config(book=book_line)
    config_case(name, text, book_line.split(" =")[0] + " =", words)

for name, old, new, needle, words in [
    ("empty identifier", 'identifier = "urn:uuid:00000000-0000-4000-8000-000000000001"', 'identifier = ""',
     "identifier =", "'identifier' must not be empty"),
    ("blank identifier", 'identifier = "urn:uuid:00000000-0000-4000-8000-000000000001"', 'identifier = "   "',
     "identifier =", "'identifier' must not be empty"),
    ("empty language", 'language = "en-GB"', 'language = ""', "language =", "'language' must not be empty"),
    ("bad language", 'language = "en-GB"', 'language = "english please"', "language =", "BCP 47"),
    ("empty title", 'title = "A Small Book"', 'title = ""', "title =", "'title' must not be empty"),
    ("empty author", 'author = "Ann Author"', 'author = ""', "author =", "'author' must not be empty"),
    ("title a number", 'title = "A Small Book"', "title = 3", "title =", "'title' must be a string"),
    ("absolute chapter", 'body = ["a.md"]', 'body = ["/etc/passwd"]', "body =", "is an absolute path"),
    ("windows absolute chapter", 'body = ["a.md"]', 'body = ["C:\\\\x.md"]', "body =", "is an absolute path"),
    ("chapter in a part absolute", 'body = ["a.md"]', 'body = [{ part = "P", chapters = ["/etc/passwd"] }]',
     "body =", "each entry of 'body'"),
    ("chapter listed twice", 'body = ["a.md"]', 'body = ["a.md", "a.md"]', "[contents]", "listed twice"),
    ("body empty", 'body = ["a.md"]', "body = []", "body =", "lists no chapter"),
    ("body a number", 'body = ["a.md"]', "body = [3]", "body =", "must be a file name"),
    ("bibliography absolute", 'file = "refs.json"', 'file = "/etc/passwd"', 'file = "/etc', "absolute path"),
    ("chapter name NUL", 'body = ["a.md"]', 'body = ["a\\u0000.md"]', "body =", "NUL"),
]:
    text = config().replace(old, new)
    config_case(name, text, needle, words)

for name, rest, words in [
    ("unknown table", '[colours]\ntext = "red"\n', "unknown table [colours]"),
    ("trim banana", '[print]\ntrim = "banana"\n', "'trim' must be"),
    ("trim one side", '[print]\ntrim = "138mm"\n', "'trim' must be"),
    ("trim injection", '[print]\ntrim = "138mm 216mm; } body { background: url(file:///etc/passwd) } @page {"\n',
     "'trim' must be"),
    ("trim too small", '[print]\ntrim = "1mm 1mm"\n', "'trim' must be"),
    ("trim too large", '[print]\ntrim = "9999mm 10mm"\n', "'trim' must be"),
    ("trim negative", '[print]\ntrim = "-138mm 216mm"\n', "'trim' must be"),
    ("trim empty", '[print]\ntrim = ""\n', "'trim' must be"),
    ("trim named with junk", '[print]\ntrim = "a4;"\n', "'trim' must be"),
    ("trim unknown unit", '[print]\ntrim = "138furlong 216mm"\n', "'trim' must be"),
    ("cover absolute", '[cover]\nimage = "/etc/passwd"\n', "absolute path"),
    ("index file absolute", '[index]\nfile = "/etc/passwd"\n', "absolute path"),
    ("bibliography file climbing out", '', ""),
]:
    if not rest:
        continue
    text = config(rest=rest)
    # the line of the key (of the table, when the table itself is wrong)
    line = line_of(text, rest) + (0 if name == "unknown table" else 1)
    case(f"config: {name}", write("manuscript/book.toml", text), f"manuscript/book.toml:{line}", words)

for name, text, line, words in [
    ("TOML syntax", '[book]\ntitle = "T\n', 2, "TOML syntax error"),
    ("deep arrays", "[book]\nx = " + "[" * 100_000 + "]" * 100_000 + "\n", 2, "nested more than"),
    ("deep inline tables", "[book]\nx = " + "{a = " * 5000 + "1" + "}" * 5000 + "\n", 2, "nested more than"),
    ("NUL byte", config().replace("Test Press", "Test\x00Press"), 6, "U+0000"),
]:
    case(f"config: {name}", write("manuscript/book.toml", text), f"manuscript/book.toml:{line}", words)
case("config: not UTF-8", write("manuscript/book.toml", config().encode().replace(b"Test Press", b"Test \xe9")),
     "manuscript/book.toml:6", "not UTF-8")
case("config: symlinked to a file outside", link_out("manuscript/book.toml", "book.toml"),
     "manuscript/book.toml", "points outside the book folder")
case("config: chapter symlinked outside", link_out("manuscript/a.md", "secret.md"),
     "manuscript/book.toml", "points outside the book folder")
case("config: chapter is a folder", both(lambda root, outside: (root / "manuscript" / "a.md").unlink(),
                                         lambda root, outside: (root / "manuscript" / "a.md").mkdir()),
     "manuscript/book.toml", "does not exist")
case("config: chapter climbing out", write("manuscript/book.toml", config(body='["../../outside/secret.md"]')),
     "manuscript/book.toml", "points outside the book folder")
case("config: bibliography symlinked outside", link_out("manuscript/refs.json", "refs.json"),
     "manuscript/book.toml", "points outside the book folder")
case("config: cover symlinked outside", both(write("manuscript/book.toml", config(rest='[cover]\nimage = "cover.png"\n')),
                                             link_out("cover.png", "secret.png")),
     "manuscript/book.toml", "points outside the book folder", "epub")
case("config: cover not an image", both(write("manuscript/book.toml", config(rest='[cover]\nimage = "cover.png"\n')),
                                        write("cover.png", b"this is text, not a picture\n")),
     "manuscript/book.toml", "not an image", "epub")
case("config: cover a decompression bomb", both(write("manuscript/book.toml", config(rest='[cover]\nimage = "cover.png"\n')),
                                                write("cover.png", png_header_only(30000, 30000))),
     "manuscript/book.toml", "a decompression bomb?", "epub")
case("config: index file symlinked outside", both(write("manuscript/book.toml", config(rest='[index]\nfile = "index.toml"\n')),
                                                  link_out("manuscript/index.toml", "index.toml")),
     "manuscript/book.toml", "points outside the book folder")

# -- manuscript
for name, text, needle, words in [
    ("note calls itself", "# A\n\nText[^a].\n\n[^a]: Again[^a].\n", "[^a]: Again", "calls the note [^a]"),
    ("two notes call each other", "# A\n\nText[^a].\n\n[^a]: B[^b].\n\n[^b]: A[^a].\n", "[^a]: B", "a note cannot call"),
    ("note calls another", "# A\n\nText[^a].\n\n[^a]: See[^b].\n\n[^b]: Other.\n", "[^a]: See", "a note cannot call"),
    ("inline note calls a note", "# A\n\nText^[see[^b]] and[^b].\n\n[^b]: Other.\n", "Text^", "a note cannot call"),
    ("undefined note", "# A\n\nText[^missing].\n", "Text[", "[^missing] is called but not defined"),
    ("undefined note in emphasis", "# A\n\n*Text[^gone]*.\n", "*Text", "[^gone] is called but not defined"),
    ("undefined note in a list", "# A\n\n- Text[^gone].\n", "- Text", "[^gone] is called but not defined"),
    ("javascript link", "# A\n\n[click](javascript:alert(1))\n", "[click]", "a link to 'javascript:alert(1)'"),
    ("javascript link in capitals", "# A\n\n[click](JAVASCRIPT:alert(1))\n", "[click]", "JAVASCRIPT:"),
    ("vbscript link", "# A\n\n[click](vbscript:msgbox)\n", "[click]", "vbscript:"),
    ("file link", "# A\n\n[secret](file:///etc/passwd)\n", "[secret]", "file:///etc/passwd"),
    ("data link", "# A\n\n[x](data:text/html;base64,PHNjcmlwdD4=)\n", "[x]", "data:text/html"),
    ("autolink with a bad scheme", "# A\n\nSee <file:///etc/passwd>.\n", "See", "file:///etc/passwd"),
    ("link in a note", "# A\n\nText[^n].\n\n[^n]: [x](javascript:void(0))\n", "[^n]:", "javascript:"),
    ("raw HTML block", "# A\n\n<div>hi</div>\n", "<div>", "raw HTML"),
    ("raw script", "# A\n\n<script>alert(1)</script>\n", "<script>", "raw HTML"),
    ("inline event handler", '# A\n\nText <b onclick="x()">b</b>.\n', "Text <b", "raw HTML"),
    ("HTML comment", "# A\n\n<!-- hidden -->\n", "<!--", "raw HTML"),
    ("no title", "Just text.\n", "Just", "must start with its title"),
    ("empty title", "#\n\nText.\n", "#", "title is empty"),
    ("title of spaces", "#    \n\nText.\n", "#", "title is empty"),
    ("two titles", "# A\n\nText.\n\n# B\n", "# B", "only one level-1 heading"),
    ("NUL character", "# A\n\nText\x00here.\n", "Text", "U+0000"),
    ("escape character", "# A\n\nText\x1b[31mred.\n", "Text", "U+001B"),
    ("C1 control character", "# A\n\nText\x80here.\n", "Text", "U+0080"),
    ("noncharacter U+FFFF", "# A\n\nText\uffffhere.\n", "Text", "U+FFFF"),
    ("form feed", "# A\n\nPage\x0cbreak.\n", "Page", "U+000C"),
    ("quotations 100,000 deep", "# A\n\n" + ">" * 100_000 + " deep\n", ">", "nested more than 64 levels"),
    ("quotations 70 deep", "# A\n\n" + "> " * 70 + "deep\n", ">", "nested more than 64 levels"),
    ("lists 70 deep", "# A\n\n" + "".join("  " * i + "- item\n" for i in range(70)), "\n" + "  " * 64 + "- item",
     "nested more than 64 levels"),
    ("unknown citation key", "# A\n\nSee [@nove-economic-histry, p. 3].\n", "See", "did you mean @nove-economic-history"),
    ("image missing", chapter_with_image("img/none.png"), "![", "does not exist"),
    ("image climbing out", chapter_with_image("../../outside/secret.png"), "![", "points outside the book folder"),
    ("image absolute", chapter_with_image("/etc/passwd"), "![", "absolute path"),
    ("image over http", chapter_with_image("http://example.com/x.png"), "![", "not a file in the book"),
    ("image file URL", chapter_with_image("file:///etc/passwd"), "![", "not a file in the book"),
    ("image not an image type", chapter_with_image("a.md"), "![", "not an image Pressroom can embed"),
]:
    case(f"manuscript: {name}", write("manuscript/a.md", text), f"manuscript/a.md:{line_of(text, needle)}", words)
case("manuscript: not UTF-8", write("manuscript/a.md", b"# A\n\nCaf\xe9 au lait.\n"), "manuscript/a.md:3", "not UTF-8")
case("manuscript: UTF-16", write("manuscript/a.md", "# A\n\nText.\n".encode("utf-16")), "manuscript/a.md:1", "not UTF-8")
case("manuscript: image symlinked outside", both(link_out("manuscript/img/x.png", "secret.png"),
                                                 write("manuscript/a.md", chapter_with_image("img/x.png"))),
     "manuscript/a.md:5", "points outside the book folder")
case("manuscript: images folder symlinked outside", both(link_out("manuscript/img", "."),
                                                         write("manuscript/a.md", chapter_with_image("img/secret.png"))),
     "manuscript/a.md:5", "points outside the book folder")

# -- images
for name, file, data, words in [
    ("corrupt PNG", "x.png", b"\x89PNG\r\n\x1a\n" + b"\x00garbage" * 20, ""),
    ("text named .png", "x.png", b"This is not a picture.\n", "not an image Pressroom can read"),
    ("decompression bomb", "x.png", png_header_only(30000, 30000), "a decompression bomb?"),
    ("too wide", "x.png", png_header_only(100_000, 10), "100000 × 10"),
    ("truncated PNG", "x.png", png(64, 64)[:-40], ""),
    ("PNG named .jpg", "x.jpg", png(), "is a PNG image but is named .jpg"),
    ("empty file", "x.png", b"", "not an image"),
    ("SVG with a DOCTYPE", "x.svg", b'<?xml version="1.0"?>\n<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
     + SVG_HEAD.encode() + b"<text>&x;</text></svg>", "DOCTYPE"),
    ("SVG with an external image", "x.svg", (SVG_HEAD + '<image href="../../outside/secret.png" width="5" height="5"/>'
                                             "</svg>").encode(), "refers to"),
    ("SVG with an xlink to a file", "x.svg", (SVG_HEAD + '<image xlink:href="file:///etc/passwd"/></svg>').encode(),
     "refers to"),
    ("SVG with a remote image", "x.svg", (SVG_HEAD + '<image href="http://example.com/x.png"/></svg>').encode(),
     "refers to"),
    ("SVG with a style url", "x.svg", (SVG_HEAD + '<rect style="fill: url(file:///etc/passwd)"/></svg>').encode(),
     "style refers to a file"),
    ("SVG with a style element", "x.svg", (SVG_HEAD + "<style>rect { fill: url(http://example.com/a) }</style>"
                                           "</svg>").encode(), "style refers to a file"),
    ("SVG not well-formed", "x.svg", (SVG_HEAD + "<rect></svg>").encode(), "not well-formed"),
    ("HTML named .svg", "x.svg", b"<html><body>hi</body></html>", "not an SVG image"),
]:
    case(f"images: {name}", image_case(file, data), "manuscript/a.md:5", words)

# -- bibliography
for name, change, words in [
    ("author as a string", refs(author="Jane Doe"), '"author" must be a list of names'),
    ("author a list of strings", refs(author=["Jane Doe"]), '"author" must be a list of names'),
    ("editor as a table", refs(editor={"family": "Doe"}), '"editor" must be a list of names'),
    ("name with a nested value", refs(author=[{"family": {"x": 1}}]), '"author" must be a list of names'),
    ("date as a string", refs(issued="1937"), '"issued" must be a date'),
    ("date in words", refs(issued={"date-parts": [["spring"]]}), '"issued" must be a date'),
    ("date of four parts", refs(issued={"date-parts": [[1937, 1, 2, 3]]}), '"issued" must be a date'),
    ("date parts not a list", refs(issued={"date-parts": 1937}), '"issued" must be a date'),
    ("raw date", refs(issued={"raw": "1937"}), '"issued" must be a date'),
    ("accessed a number", refs(accessed=2024), '"accessed" must be a date'),
    ("empty date", refs(issued={}), '"issued" must be a date'),
    ("NUL escaped in a title", refs(title="An Economic\u0000History"), "U+0000"),
    ("escape character in a title", refs(title="An \u001b History"), "U+001B"),
    ("no type", refs(type=None), 'needs a "type"'),
]:
    case(f"bibliography: {name}", change, "manuscript/refs.json:14", words)
for name, text, line, words in [
    ("not JSON", '[{"id": "x",\n "type": }]', 2, "JSON syntax error"),
    ("not a list", '{"id": "x"}', 1, "must be a list"),
    ("deep arrays", "[" * 100_000 + "]" * 100_000, 1, "nested more than"),
    ("deep objects", '{"a": ' * 3000 + "1" + "}" * 3000, 1, "nested more than"),
    ("duplicate id", json.dumps(REFS + [REFS[0]], indent=2),
     json.dumps(REFS + [REFS[0]], indent=2)[: json.dumps(REFS + [REFS[0]], indent=2).rindex('"id"')].count("\n") + 1,
     "used twice"),
]:
    case(f"bibliography: {name}", write("manuscript/refs.json", text), f"manuscript/refs.json:{line}", words)
case("bibliography: item not an object", write("manuscript/refs.json", json.dumps(REFS + ["x"])),
     "manuscript/refs.json", 'needs an "id"')
case("bibliography: not UTF-8", write("manuscript/refs.json", json.dumps(REFS, indent=2).encode().replace(
    b"Alec", b"Al\xe9c")), f"manuscript/refs.json:{line_of(json.dumps(REFS, indent=2), 'Alec')}", "not UTF-8")

# -- citation style (read when citations are printed: build, and check --lint-only)


def style_case(name, content, line, words):
    text = config(bib='style = "styles/evil.csl"\n')
    case(f"CSL: {name}", both(write("styles/evil.csl", content), write("manuscript/book.toml", text)),
         f"styles/evil.csl:{line}" if line else "manuscript/book.toml", words)


style_case("DOCTYPE with an external entity", '<?xml version="1.0"?>\n<!DOCTYPE s [<!ENTITY x SYSTEM '
           '"file:///etc/passwd">]>\n<style/>', 2, "must not declare a DOCTYPE")
style_case("entity without DOCTYPE", '<?xml version="1.0"?>\n<!ENTITY x "y">\n<style/>', 2, "DOCTYPE or entities")
style_case("not XML", "this is not a style\n", 1, "not a CSL style")
style_case("HTML instead", "<html>\n<body>hi</body>\n</html>\n", 1, "its root element is <html>")
style_case("style in no namespace", '<?xml version="1.0"?>\n<style version="1.0"/>\n', 2, "not a CSL style")
style_case("truncated", '<?xml version="1.0"?>\n<style xmlns="http://purl.org/net/xbiblio/csl">\n', 3, "not well-formed")
style_case("empty", "", 1, "not a CSL style")
case("CSL: missing", write("manuscript/book.toml", config(bib='style = "styles/none.csl"\n')),
     "manuscript/book.toml", "does not exist")
case("CSL: climbing out", write("manuscript/book.toml", config(bib='style = "../outside/house.csl"\n')),
     "manuscript/book.toml", "points outside the book folder")
case("CSL: symlinked outside", both(link_out("styles/house.csl", "house.csl"),
                                    write("manuscript/book.toml", config(bib='style = "styles/house.csl"\n'))),
     "manuscript/book.toml", "points outside the book folder")

# -- index file


def index_case(name, text, line, words):
    case(f"index: {name}", both(write("manuscript/index.toml", text),
                                write("manuscript/book.toml", config(rest='[index]\nfile = "index.toml"\n'))),
         f"manuscript/index.toml:{line}" if line else "manuscript/index.toml", words)


index_case("entry is a string", 'entry = "Stalin"\n', 1, "each entry is a table")
index_case("entry is a number", "entry = 3\n", 1, "each entry is a table")
index_case("entries are strings", 'entry = ["Stalin", "Trotsky"]\n', 1, "each entry is a table")
index_case("see names no term", '[[entry]]\nterm = "OGPU"\nsee = "GPUU"\n\n[[entry]]\nterm = "GPU"\n', 1,
           "'OGPU' refers to 'GPUU', which is no entry of the index")
index_case("see also names no term", '[[entry]]\nterm = "Text"\nsee_also = ["Nothing"]\n', 1, "which is no entry")
index_case("unknown key", '[[entry]]\nterm = "Text"\ncolour = "red"\n', 1, "unknown key")
index_case("no term", '[[entry]]\nmatch = ["Text"]\n', 1, "needs a term")
index_case("match not a list", '[[entry]]\nterm = "Text"\nmatch = "Text"\n', 1, "lists of strings")
index_case("TOML syntax", '[[entry]]\nterm = "Text\n', 2, "TOML syntax error")
index_case("deep arrays", "[[entry]]\nterm = \"T\"\nmatch = " + "[" * 100_000 + "]" * 100_000 + "\n", 3, "nested more than")
index_case("not UTF-8", b'[[entry]]\nterm = "Caf\xe9"\n', 2, "not UTF-8")
index_case("other tables", '[stuff]\nx = 1\n', 0, "only [[entry]] tables")

# -- styles/book.css (read when an output is made, and by check --lint-only)
for name, css, line, words in [
    ("url of a file outside", "body {\n  background: url(file:///etc/passwd);\n}\n", 2, "url(file:///etc/passwd)"),
    ("url climbing out", "p { background: url(../../outside/secret.png); }\n", 1, "points outside the book folder"),
    ("url absolute", "p {\n background: url('/etc/passwd');\n}\n", 2, "absolute path"),
    ("url over http", "p { background: url(\"http://example.com/x.png\"); }\n", 1, "url(http://example.com"),
    ("import over http", '@import "http://example.com/x.css";\n', 1, "url(http://example.com/x.css)"),
    ("import url of a file", "\n\n@import url(file:///etc/passwd);\n", 3, "file:///etc/passwd"),
    ("font from outside", "@font-face {\n font-family: X;\n src: url(/usr/share/fonts/x.ttf);\n}\n", 3, "absolute path"),
    ("url in capitals", "p { background: URL(file:///etc/passwd); }\n", 1, "file:///etc/passwd"),
]:
    case(f"styles: {name}", write("styles/book.css", css), f"styles/book.css:{line}", words)
case("styles: not UTF-8", write("styles/book.css", b"p {\n  content: \"caf\xe9\";\n}\n"), "styles/book.css:2", "not UTF-8")
case("styles: symlinked outside", link_out("styles/book.css", "secret.css"), "styles/book.css",
     "points outside the book folder")
case("styles: folder symlinked outside", both(lambda root, outside: shutil.rmtree(root / "styles"),
                                              write("../outside/book.css", "body { color: red }\n"),
                                              link_out("styles", ".")),
     "styles/book.css", "points outside the book folder")

# -- templates (the gate: a template that is a link out is refused, never read)
case("templates: a template symlinked outside", link_out("templates/epub/chapter.xhtml.j2", "chapter.xhtml.j2"),
     "templates/epub/chapter.xhtml.j2", "points outside the book folder", "epub")
case("templates: the folder symlinked outside", link_out("templates", "templates"),
     "templates", "points outside the book folder", "epub")
case("templates: a page template symlinked outside", link_out("templates/epub/nav.xhtml.j2", "chapter.xhtml.j2"),
     "templates/epub/nav.xhtml.j2", "points outside the book folder", "epub")


# -- dist/
def _dist_link_out(root: Path, outside: Path) -> None:
    shutil.rmtree(root / "dist")
    (root / "dist").symlink_to(outside)


case("dist: a link to a folder outside", _dist_link_out, "dist", "leads outside the book folder", "epub")


# ---------------------------------------------------------------------------------------- the runner


@pytest.fixture(scope="module")
def built_book(tmp_path_factory) -> Path:
    """A good book, built once (EPUB, print page numbers off): each case starts from a copy."""
    root = make_book(tmp_path_factory.mktemp("hostile") / "book", {"a.md": GOOD_CHAPTER}, config=config())
    (root / "styles").mkdir()
    result = CliRunner().invoke(_main(), ["build", "--book", str(root), "--format", "epub"])
    assert result.exit_code == 0, result.output
    return root


def _main():
    from pressroom.cli import main

    return main


def _outside(folder: Path) -> Path:
    """The files hostile cases point at, beside the book."""
    folder.mkdir()
    (folder / "secret.txt").write_text("SECRET\n")
    (folder / "secret.md").write_text("# Secret\n\nSECRET\n")
    (folder / "secret.css").write_text("body { color: red }\n")
    (folder / "secret.png").write_bytes(png())
    (folder / "book.toml").write_text(config())
    (folder / "refs.json").write_text(json.dumps(REFS))
    (folder / "index.toml").write_text('[[entry]]\nterm = "Text"\n')
    (folder / "house.csl").write_text('<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0"/>\n')
    (folder / "chapter.xhtml.j2").write_text("SECRET {{ 1 + 1 }}\n")
    (folder / "templates").mkdir()
    return folder


COMMANDS = {"lint": ["check", "--lint-only"], "epub": ["build", "--format", "epub"]}


def run_case(root: Path, outside: Path, commands: str):
    """Run each command on the book; yield (name, result, opened-outside)."""
    for name in (("lint", "epub") if commands == "both" else (commands,)):
        _OPENED.clear()
        _WATCHED[:] = [str(outside)]
        try:
            result = CliRunner().invoke(_main(), [*COMMANDS[name], "--book", str(root)])
        finally:
            _WATCHED.clear()
        yield name, result, list(_OPENED)


@pytest.mark.parametrize("change, commands, where, words", CASES)
def test_bad_book(built_book, tmp_path, monkeypatch, change, commands, where, words):
    monkeypatch.setenv("PRESSROOM_WORKERS", "0")
    root = tmp_path / "book"
    shutil.copytree(built_book, root, symlinks=True)
    outside = _outside(tmp_path / "outside")
    change(root, outside)
    dist_before = _snapshot(root / "dist") if not (root / "dist").is_symlink() else {}
    outside_before = _snapshot(outside)
    around_before = sorted(p.name for p in tmp_path.iterdir())
    for name, result, opened in run_case(root, outside, commands):
        output = result.output
        assert result.exit_code == 1, f"{name}: exit {result.exit_code}\n{output}"
        assert result.exception is None or isinstance(result.exception, SystemExit), \
            f"{name}: {result.exception!r}\n{output}"
        assert "Traceback" not in output
        assert f"{where}:" in output or f"{where} " in output or output.rstrip().endswith(where), \
            f"{name}: {where!r} not named in\n{output}"
        assert words in output, f"{name}: {words!r} not in\n{output}"
        if name == "epub":  # one message in check's format: file:line: error CODE: message
            assert re.match(r"^(error: |\S*: error [A-Z]\d{3}: |error [A-Z]\d{3}: )", output), output
        assert not opened, f"{name}: opened outside the book: {opened}"
        if dist_before:
            assert _snapshot(root / "dist") == dist_before
        assert _snapshot(outside) == outside_before
        assert sorted(p.name for p in tmp_path.iterdir()) == around_before


def test_the_table_is_large():
    assert len(CASES) >= 150, len(CASES)
