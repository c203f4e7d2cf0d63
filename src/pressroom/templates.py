"""One Jinja2 environment for every output; a book may override any template in its own ``templates/`` folder."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from . import ids
from . import model as m

RESOURCES = Path(__file__).parent / "resources"
MADE_WITH = "Typeset with Pressroom from the author's manuscript."  # the colophon, in every output


def environment(book_root: str | Path):
    """The Jinja2 environment for a book: its own templates first, then Pressroom's.

    Sandboxed, because a book's templates are untrusted input (a book folder must not be able to run
    code): Jinja's sandbox refuses the attribute walks (``cycler.__init__.__globals__…``) that reach
    Python. No compiled template is ever kept in the book folder (Jinja's bytecode cache is marshal
    data that Python would load and run)."""
    from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    loaders = []
    own = _own_templates(Path(book_root))
    if own is not None:
        loaders.append(_book_loader(Path(book_root)))
    loaders.append(FileSystemLoader(str(RESOURCES / "templates")))
    env = SandboxedEnvironment(
        loader=ChoiceLoader(loaders),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=False,
    )
    env.globals["book_contents"] = book_contents
    # The ids the templates write, from the one module that defines them all.
    env.globals["index_entry_id"] = ids.index_entry_id
    env.globals["title_id"] = ids.title_id
    env.globals["ids"] = ids
    env.filters["css_string"] = css_string
    return env


def _own_templates(book_root: Path) -> Path | None:
    """The book's ``templates/`` folder, if it has one (through the path gate: a link out is refused)."""
    from .errors import Location
    from .paths import inside_book

    candidate = book_root / "templates"
    if not candidate.exists() and not candidate.is_symlink():
        return None
    folder = inside_book(book_root, "templates", Location("templates"), code="T001")
    return folder if folder.is_dir() else None


def _book_loader(book_root: Path):
    """A loader of the book's own templates that opens each through the path gate (a template that is
    a link to a file outside the book is refused, never read)."""
    from jinja2 import FileSystemLoader
    from jinja2.loaders import split_template_path

    from .errors import Location
    from .paths import inside_book

    class BookLoader(FileSystemLoader):
        def get_source(self, environment, template):
            pieces = split_template_path(template)
            candidate = book_root.joinpath("templates", *pieces)
            if candidate.exists() or candidate.is_symlink():
                inside_book(book_root, "/".join(("templates", *pieces)), Location(f"templates/{template}"),
                            code="T001")
            return super().get_source(environment, template)

    return BookLoader(str(book_root / "templates"))


def css_string(text: str):
    """A text as a CSS string literal, safe inside a <style> element."""
    from markupsafe import Markup

    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3C ").replace("\n", "\\A ")
    return Markup(f'"{escaped}"')


def book_contents(book: m.Book) -> list[SimpleNamespace]:
    """The entries of the table of contents, in reading order: chapters, parts with their chapters, bibliography."""
    out: list[SimpleNamespace] = []
    parts = {p.id: p for p in book.parts}
    seen_parts: set[str] = set()
    for chapter in book.chapters:
        if chapter.part:
            if chapter.part in seen_parts:
                continue
            seen_parts.add(chapter.part)
            part = parts[chapter.part]
            chapters = [c for c in book.chapters if c.part == part.id]
            out.append(SimpleNamespace(kind="part", part=part, chapters=chapters))
        else:
            out.append(SimpleNamespace(kind="chapter", chapter=chapter))
    if book.bibliography:
        out.append(SimpleNamespace(kind="page", id=ids.BIBLIOGRAPHY, title="Bibliography"))
    if book.index:
        out.append(SimpleNamespace(kind="index", id=ids.INDEX, title="Index"))
    return out


def index_locators(book: m.Book, label_of) -> dict[str, list[tuple[str, str]]]:
    """For each index entry and sub-entry ("term\x1fsub"), its locators as (label, target id).

    ``label_of(mark_id)`` gives a locator's label (a page number, or None to number the places
    1, 2, 3…); places with the same label are listed once, at the first of them.
    """
    out: dict[str, list[tuple[str, str]]] = {}
    for entry in book.index:
        for sub, ids in [("", entry.locators), *((s.term, s.locators) for s in entry.subentries)]:
            seen: dict[str, str] = {}
            for n, mark in enumerate(ids, 1):
                label = label_of(mark) or str(n)
                seen.setdefault(label, mark)
            out[f"{entry.term}\x1f{sub}"] = list(seen.items())
    return out


def stylesheet(name: str) -> str:
    return (RESOURCES / "css" / name).read_text(encoding="utf-8")


def book_stylesheet(book_root: str | Path) -> str:
    """The book's own additions (``styles/book.css``), layered after Pressroom's in every output; "" if none.
    Read and checked by :func:`pressroom.book_css.read_book_css`."""
    from .book_css import read_book_css

    return read_book_css(book_root)
