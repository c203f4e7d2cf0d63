"""One Jinja2 environment for every output, sandboxed; a book overrides a template or one block of it.

``environment(book_root)`` → a Jinja2 :class:`ImmutableSandboxedEnvironment` whose loader looks in
the book's ``templates/`` folder first and then in Pressroom's own templates (which stay in the
package: ``pressroom new`` copies none). A book overrides a whole template by a file of the same
name (``templates/epub/chapter.xhtml.j2``), or one block of it by extending Pressroom's original,
named with a leading ``!`` (as Sphinx's ``!layout.html``)::

    {% extends "!epub/chapter.xhtml.j2" %}
    {% block content %}<p class="banner">Draft</p>{{ super() }}{% endblock %}

A book folder is untrusted input, so its templates run in Jinja2's sandbox: no attribute that
starts with an underscore, no method that changes a value, nothing that reaches Python's
internals (``cycler.__init__.__globals__``…). No compiled template is stored anywhere: Jinja2's
bytecode cache is marshal data, which is code, and nothing in a book folder may run code.

A mistake in a template (a syntax error, an undefined name, a filter that raises, an
``{% extends %}`` or ``{% include %}`` of a template that does not exist, something the sandbox
forbids) is a :class:`~pressroom.errors.TemplateProblem` (T001) naming the template file and line.
An error in Pressroom's own templates with no book template involved is a bug and stays one.

``template_overrides(book_root)`` → T002 warnings for a book's override whose original has changed
since it was copied (``pressroom template copy NAME`` writes the original's digest on the first line).
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace

from .words import CATALOGUE
from . import captions, contributors, frontmatter, ids
from . import model as m
from .notes import endnoted
from .errors import Finding, Location, PressroomError, TemplateProblem, finding

RESOURCES = Path(__file__).parent / "resources"
MADE_WITH = CATALOGUE["en"]["colophon"]  # the colophon in English (templates print words.colophon)
PACKAGE_TEMPLATES = RESOURCES / "templates"
BOOK_TEMPLATES = "templates"  # the book's own folder, relative to the book
ORIGINAL = "!"  # "!name" is always Pressroom's own template "name"
PACKAGE_PREFIX = "pressroom:"  # how findings name a template of the package ("pressroom:parts.j2")


def environment(book_root: str | Path):
    """The sandboxed Jinja2 environment for a book (its own templates first, then Pressroom's).

    One per book folder in a process, so each template is compiled once (the PDF's layout passes
    and the preview's rebuilds reuse it); Jinja2 checks before each use that the file a compiled
    template came from is unchanged, and the loader that a book's override has not appeared since.
    """
    return _environment(Path(book_root).resolve())


@lru_cache(maxsize=8)
def _environment(book_root: Path):
    from jinja2 import StrictUndefined

    env = _environment_class()(
        loader=_loader_class()(book_root),
        auto_reload=True,
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=False,
        bytecode_cache=_package_bytecode_cache(),
    )
    env.globals["book_contents"] = book_contents
    env.globals["caption_list"] = captions.listed
    env.globals["endnoted"] = endnoted
    # The ids the templates write, from the one module that defines them all.
    env.globals["index_entry_id"] = ids.index_entry_id
    env.globals["title_id"] = ids.title_id
    env.globals["ids"] = ids
    # Who made the book and what a chapter is (pressroom.contributors, pressroom.frontmatter).
    env.globals["authors"] = contributors.authors
    env.globals["credits"] = contributors.credits
    env.globals["join_names"] = contributors.join_names
    env.globals["chapter_role"] = frontmatter.role_of
    env.globals["is_display"] = frontmatter.is_display
    # The book's words (pressroom.words) are no global here: each render passes its book's as the
    # template's globals (a default here would let Jinja reuse parts.j2's module made with other words).
    env.filters["css_string"] = css_string
    return env


@lru_cache(maxsize=1)
def _package_bytecode_cache():
    """Jinja2's bytecode cache for Pressroom's OWN templates only, in the user's cache folder
    (:func:`pressroom.memo.user_cache_folder`), one folder per Jinja2 version: as Python
    keeps ``__pycache__`` for the package's modules. Compiling the templates was a fifth of a cold
    EPUB build (benchmarks/RESULTS.md). A book's templates are never cached anywhere (their compiled
    form would be code derived from the book), and nothing is kept inside a book folder. None when
    the folder cannot be made (then every template is compiled, as before)."""
    import jinja2
    from jinja2.bccache import Bucket, FileSystemBytecodeCache

    from .memo import user_cache_folder

    # Jinja2 checks each entry against its template's source and the Python version itself.
    folder = user_cache_folder() / f"templates-jinja2-{jinja2.__version__}"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None

    class _NotKept(Bucket):
        """The bucket of a template that is not Pressroom's: compiled each time, never stored."""

    class PackageTemplatesCache(FileSystemBytecodeCache):
        def get_bucket(self, environment, name, filename, source):
            if filename is None or not Path(filename).resolve().is_relative_to(PACKAGE_TEMPLATES.resolve()):
                return _NotKept(environment, self.get_cache_key(name, filename), self.get_source_checksum(source))
            return super().get_bucket(environment, name, filename, source)

        def set_bucket(self, bucket):
            if not isinstance(bucket, _NotKept):
                super().set_bucket(bucket)

    return PackageTemplatesCache(str(folder))


@lru_cache(maxsize=1)
def _loader_class():
    from jinja2 import BaseLoader, FileSystemLoader, TemplateNotFound
    from jinja2.loaders import split_template_path

    from .paths import inside_book

    class BookLoader(BaseLoader):
        """``name`` from the book's ``templates/`` if it has one, else Pressroom's; ``!name`` is Pressroom's."""

        def __init__(self, book_root: Path):
            self.root = book_root.resolve()
            self.own = FileSystemLoader(str(self.root / BOOK_TEMPLATES))
            self.package = FileSystemLoader(str(PACKAGE_TEMPLATES))

        def get_source(self, environment, template: str):
            if template.startswith(ORIGINAL):
                try:
                    return self.package.get_source(environment, template[len(ORIGINAL):])
                except TemplateNotFound:
                    raise TemplateNotFound(template) from None  # named as the template asked for it
            folder = self.root / BOOK_TEMPLATES
            if folder.exists() or folder.is_symlink():  # a templates/ that leads out is refused whole
                inside_book(self.root, BOOK_TEMPLATES, Location(BOOK_TEMPLATES), TemplateProblem, "T001")
            pieces = split_template_path(template)  # refuses ".." (TemplateNotFound)
            candidate = self.root.joinpath(BOOK_TEMPLATES, *pieces)
            if candidate.exists() or candidate.is_symlink():
                # Through the path gate before a byte is read: a template, or the templates/ folder,
                # that is a link out of the book is refused, never opened.
                inside_book(self.root, "/".join((BOOK_TEMPLATES, *pieces)), Location(f"{BOOK_TEMPLATES}/{template}"),
                            TemplateProblem, "T001")
            try:
                source, filename, uptodate = self.own.get_source(environment, template)
            except TemplateNotFound:
                source, filename, original_uptodate = self.package.get_source(environment, template)
                override = self.root / BOOK_TEMPLATES / template
                # Pressroom's template stands until the book gets an override of the same name.
                return source, filename, lambda: original_uptodate() and not override.exists()
            if not Path(filename).resolve().is_relative_to(self.root):
                # A template is code of a kind: never load one from outside the book (a link).
                raise TemplateProblem(f"the template {template} is a link to a file outside the book folder; "
                                      "Pressroom reads only inside it", Location(f"{BOOK_TEMPLATES}/{template}"))
            return source, filename, uptodate

        def list_templates(self) -> list[str]:
            folder = self.root / BOOK_TEMPLATES
            inside = folder.is_dir() and folder.resolve().is_relative_to(self.root)
            own = set(self.own.list_templates()) if inside else set()
            return sorted(own | set(self.package.list_templates()))

    return BookLoader


@lru_cache(maxsize=1)
def _environment_class():
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class BookEnvironment(ImmutableSandboxedEnvironment):
        """The sandbox, whose template mistakes become :class:`TemplateProblem` naming file and line."""

        def handle_exception(self, source=None):
            # Jinja2 calls this for every error while compiling or rendering; the base class
            # re-raises it with a traceback whose frames are the templates' own lines.
            try:
                super().handle_exception(source)
            except PressroomError:
                raise
            except Exception as exc:  # noqa: BLE001 - sorted below: a user's mistake or a bug
                problem = template_problem(exc, self.loader.root)
                if problem is None:
                    raise
                raise problem from exc

    return BookEnvironment


def template_name(filename: str, book_root: Path) -> str | None:
    """How a finding names a template file: ``templates/…`` in the book, ``pressroom:…`` in the
    package; None for a file that is no template."""
    path = Path(filename)
    for folder, prefix in ((book_root / BOOK_TEMPLATES, f"{BOOK_TEMPLATES}/"), (PACKAGE_TEMPLATES, PACKAGE_PREFIX)):
        if path.is_relative_to(folder):
            return prefix + path.relative_to(folder).as_posix()
    return None


def template_problem(exc: BaseException, book_root: Path) -> TemplateProblem | None:
    """The user error for an exception raised while compiling or rendering a template, or None when
    it is a bug of Pressroom's (not a Jinja2 error, and no book template on the stack)."""
    import traceback

    from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError, TemplatesNotFound, UndefinedError
    from jinja2.exceptions import SecurityError

    # Innermost last: every frame that runs template code, as (template, line).
    frames = [(name, line) for frame, line in traceback.walk_tb(exc.__traceback__)
              if (name := template_name(frame.f_code.co_filename, book_root)) is not None]
    if isinstance(exc, TemplateSyntaxError) and exc.filename:
        name = template_name(exc.filename, book_root)
        if name is not None:
            frames.append((name, exc.lineno or 0))
    in_book = [f for f in frames if f[0].startswith(f"{BOOK_TEMPLATES}/")]
    if not isinstance(exc, TemplateError) and not in_book:
        return None
    if isinstance(exc, (TemplateNotFound, TemplatesNotFound)):
        what = (f"no template {exc.name!r}: neither the book's {BOOK_TEMPLATES}/ nor Pressroom has it "
                f"(write {ORIGINAL}NAME for Pressroom's original of a template you override)")
    elif isinstance(exc, TemplateSyntaxError):
        what = f"template syntax error: {exc.message}"
    elif isinstance(exc, SecurityError):
        what = f"not allowed in a template (templates run in a sandbox): {exc}"
    elif isinstance(exc, TemplateError):
        what = str(exc.message if getattr(exc, "message", None) else exc)
    else:
        what = f"{type(exc).__name__}: {exc}"
    what = what.rstrip(".")
    name, line = frames[-1] if frames else ("", 0)
    if frames and not name.startswith(f"{BOOK_TEMPLATES}/") and in_book:
        what += f" (called from {in_book[-1][0]}:{in_book[-1][1]})"
    replaced = name.removeprefix(f"{BOOK_TEMPLATES}/")
    if isinstance(exc, UndefinedError) and name != replaced and (PACKAGE_TEMPLATES / replaced).is_file():
        # The usual cause: a copy of an older release's template, given names that no longer exist.
        what += (f"; this file replaces Pressroom's own {replaced}, which may have changed since it was "
                 f"copied: override only the blocks you change with {{% extends \"{ORIGINAL}{replaced}\" %}}")
    return TemplateProblem(what, Location(name, line) if name else None)


# The first line ``pressroom template copy NAME`` writes: which original a copy was made from.
COPY_MARK = "{{# pressroom: from {name} sha256:{digest} -#}}\n"
_COPY_MARK = re.compile(r"^\{#\s*pressroom: from (?P<name>\S+) sha256:(?P<digest>[0-9a-f]{64})\s*-?#\}")


def package_template(name: str) -> Path:
    """Pressroom's own template ``name`` (a path under the templates folder), or a usage error."""
    from .errors import UsageError

    names = package_template_names()
    if name not in names:
        raise UsageError(f"Pressroom has no template {name!r}; its templates are: {', '.join(names)}")
    return PACKAGE_TEMPLATES / name


def package_template_names() -> list[str]:
    return sorted(p.relative_to(PACKAGE_TEMPLATES).as_posix() for p in PACKAGE_TEMPLATES.rglob("*.j2"))


def copy_of_template(name: str) -> str:
    """The text ``pressroom template copy NAME`` writes: the original, marked with its digest."""
    data = package_template(name).read_bytes()
    return COPY_MARK.format(name=name, digest=hashlib.sha256(data).hexdigest()) + data.decode("utf-8")


def template_overrides(book_root: str | Path) -> list[Finding]:
    """T002 warnings: each book template copied from an original (its first line says which, and
    the original's digest then) whose original has changed since, or is gone."""
    own = Path(book_root) / BOOK_TEMPLATES
    found = []
    for path in sorted(own.rglob("*.j2")) if own.is_dir() else ():
        try:
            with path.open(encoding="utf-8") as file:
                first = file.readline()
        except (OSError, UnicodeDecodeError):
            continue  # reported when the template is used
        mark = _COPY_MARK.match(first)
        if mark is None:
            continue  # written by hand: nothing says which original it follows
        where = Location(f"{BOOK_TEMPLATES}/{path.relative_to(own).as_posix()}", 1)
        original = PACKAGE_TEMPLATES / mark["name"]
        if mark["name"] not in package_template_names():
            found.append(finding("T002", where, f"copied from Pressroom's {mark['name']}, which no longer exists; "
                                 f"its templates are: {', '.join(package_template_names())}", "warning"))
        elif hashlib.sha256(original.read_bytes()).hexdigest() != mark["digest"]:
            found.append(finding(
                "T002", where,
                f"copied from Pressroom's {mark['name']}, which has changed since: compare the two "
                f"(pressroom template show {mark['name']}), bring your copy up to date and copy the digest "
                f"of the new original onto this line (sha256:{hashlib.sha256(original.read_bytes()).hexdigest()}), "
                f"or override only the blocks you change with {{% extends \"{ORIGINAL}{mark['name']}\" %}}",
                "warning"))
    return found


def css_string(text: str):
    """A text as a CSS string literal, safe inside a <style> element."""
    from markupsafe import Markup

    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3C ").replace("\n", "\\A ")
    return Markup(f'"{escaped}"')


def book_contents(book: m.Book) -> list[SimpleNamespace]:
    """The entries of the table of contents, in reading order: chapters, parts with their chapters, the
    book's Notes, bibliography, index."""
    from .words import book_words

    words = book_words(book)
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
            # the part's own bibliography ([bibliography] scope = "part"), after its chapters
            listed = [ids.scoped_bibliography_id(b.owner) for b in book.scoped_bibliographies if b.owner == part.id]
            out.append(SimpleNamespace(kind="part", part=part, chapters=chapters, bibliography=listed[0] if listed else ""))
        else:
            out.append(SimpleNamespace(kind="chapter", chapter=chapter))
    if endnoted(book):  # the book's Notes ([notes] place = "book"), before the bibliography
        out.append(SimpleNamespace(kind="notes", id=ids.ENDNOTES, title=words["notes"]))
    if book.bibliography:
        out.append(SimpleNamespace(kind="page", id=ids.BIBLIOGRAPHY, title=words["bibliography"]))
    if book.index:
        out.append(SimpleNamespace(kind="index", id=ids.INDEX, title=words["index"]))
    return out


def index_locators(book: m.Book, label_of) -> dict[str, list[tuple[str, str]]]:
    """For each index entry and sub-entry ("term\x1fsub"), its locators as (label, target id).

    ``label_of(mark_id)`` gives a locator's label (a page number, or None to number the places
    1, 2, 3…); places with the same label are listed once, at the first of them.
    """
    out: dict[str, list[tuple[str, str]]] = {}
    for entry in book.index:
        for sub, marks in [("", entry.locators), *((s.term, s.locators) for s in entry.subentries)]:
            seen: dict[str, str] = {}
            for n, mark in enumerate(marks, 1):
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
