"""The one gate for every path Pressroom reads or writes: inside the book folder, or inside ``dist/``.

A book folder is untrusted input (a publisher builds books other people send). Every file the
program opens because a book names it — the config, chapters, the bibliography, the index file,
the citation style, stylesheets, templates, images and what they refer to — is resolved here,
symlinks included, and refused when it leaves the book folder; every output is written through
:func:`output_path`, which refuses anything that leaves ``dist/``. Every name from the book that
becomes part of a path (the ``slug``) is checked by :func:`check_name` first.
"""

from __future__ import annotations

import re
from pathlib import Path, PurePosixPath

from .errors import Location, ManuscriptError, PressroomError

# A name that becomes a file name: letters, digits, dot, hyphen and underscore, starting with a
# letter or digit, at most 100 characters: no separator, no "..", nothing a shell or a file system
# reads specially.
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
NAME_RULE = "letters, digits, '.', '-' and '_', starting with a letter or digit, at most 100 characters"


def name_problem(name: str) -> str:
    """Why ``name`` cannot be a file name Pressroom makes ("" when it can)."""
    if not _NAME.fullmatch(name) or ".." in name:
        return f"{name!r} cannot be a file name: use {NAME_RULE}"
    return ""


def relative_problem(relative: str) -> str:
    """Why ``relative`` (a path from the book's config or text) cannot name a file in the book ("" when it can).

    Only the form is judged here; :func:`inside_book` judges where it leads."""
    if not relative.strip():
        return "an empty path"
    if "\x00" in relative:
        return f"{relative!r} holds a NUL character"
    if relative.startswith(("/", "\\")) or PurePosixPath(relative).is_absolute() or re.match(r"[A-Za-z]:[\\/]", relative):
        return f"{relative!r} is an absolute path; give a path inside the book folder"
    if any(len(part.encode("utf-8")) > 255 for part in relative.split("/")):
        return f"{relative[:40]!r}… has a name longer than 255 bytes"
    return ""


def inside_book(root: Path, relative: str, where: Location, error: type[PressroomError] = ManuscriptError,
                code: str = "") -> Path:
    """Resolve ``relative`` against the book folder, refusing anything that leaves it.

    An absolute path, or one that climbs out with ``..`` or through a symbolic link, is a
    user error (``error``, with ``code``) at ``where``: Pressroom reads nothing outside the book folder.
    """
    problem = relative_problem(relative)
    if problem:
        raise error(problem, where, code=code)
    root = Path(root).resolve()
    try:
        path = (root / relative).resolve()
    except (OSError, RuntimeError) as exc:  # a loop of links, a name the system refuses
        raise error(f"{relative!r} cannot be resolved: {exc}", where, code=code) from None
    if not path.is_relative_to(root):
        raise error(f"{relative!r} points outside the book folder; Pressroom reads only inside it", where, code=code)
    return path


def book_file(root: Path, relative: str, where: Location, what: str = "file",
              error: type[PressroomError] = ManuscriptError, code: str = "") -> Path:
    """:func:`inside_book`, and the path must be an existing regular file (a ``what`` for the message)."""
    path = inside_book(root, relative, where, error, code)
    if not path.is_file():
        raise error(f"the {what} {relative} does not exist", where, code=code)
    return path


def read_book_file(root: Path, relative: str, where: Location, what: str = "file",
                   error: type[PressroomError] = ManuscriptError, code: str = "") -> bytes:
    """The bytes of a file in the book, through :func:`book_file`."""
    path = book_file(root, relative, where, what, error, code)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise error(f"the {what} {relative} cannot be read: {exc.strerror}", where, code=code) from None


def optional_book_file(root: Path, relative: str, code: str = "") -> Path | None:
    """A file the book may have at a fixed place (``styles/book.css``, ``templates/…``): its path when
    it exists, None when it does not; a link that leaves the book folder is refused all the same."""
    candidate = Path(root) / relative
    if not candidate.exists() and not candidate.is_symlink():
        return None
    path = inside_book(root, relative, Location(relative), code=code)
    return path if path.is_file() else None


def output_folder(root: Path, dist: Path) -> Path:
    """``dist`` when it lies inside the book folder ``root`` once links are resolved (where Pressroom
    writes and tidies); a :class:`BuildError` when it leads elsewhere."""
    from .errors import BuildError

    root, dist = Path(root).resolve(), Path(dist)
    if not dist.absolute().resolve().is_relative_to(root):
        raise BuildError(f"the output folder {dist} leads outside the book folder (a symbolic link?); "
                         "Pressroom writes only inside it", Location(str(dist)), code="B001")
    return dist


def output_path(root: Path, dist: Path, file_name: str) -> Path:
    """Where an output called ``file_name`` goes: directly inside ``dist`` (see :func:`output_folder`).
    (An output that is itself a link is replaced by the rename, never written through.)"""
    from .errors import BuildError

    problem = name_problem(file_name)
    if problem:
        raise BuildError(problem, Location(str(dist)), code="B001")
    return output_folder(root, dist) / file_name


def inside_book_folder(root: Path, relative: str) -> bool:
    """Whether ``relative`` (a folder Pressroom keeps in the book, such as ``.cache``), links resolved,
    stays inside the book folder: a book handed over with a ``.cache`` linking elsewhere must not
    make Pressroom read or write there."""
    root = Path(root).resolve()
    try:
        return (root / relative).resolve().is_relative_to(root)
    except (OSError, RuntimeError):
        return False
