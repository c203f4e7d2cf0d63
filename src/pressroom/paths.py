"""Paths the user gives, kept inside the book folder."""

from __future__ import annotations

from pathlib import Path

from .errors import Location, ManuscriptError


def inside_book(root: Path, relative: str, where: Location, code: str = "C001") -> Path:
    """Resolve ``relative`` against the book folder, refusing anything that leaves it.

    An absolute path, or one that climbs out with ``..`` or through a link, is a
    user error (finding ``code`` at ``where``: C001 for a path the config names, the default;
    M010 for an image): Pressroom reads nothing outside the book folder.
    """
    if Path(relative).is_absolute():
        raise ManuscriptError(f"{relative!r} is an absolute path; give a path inside the book folder", where,
                              code=code)
    path = (root / relative).resolve()
    if not path.is_relative_to(root):
        raise ManuscriptError(f"{relative!r} points outside the book folder; Pressroom reads only inside it", where,
                              code=code)
    return path
