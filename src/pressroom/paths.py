"""Paths the user gives, kept inside the book folder."""

from __future__ import annotations

from pathlib import Path

from .errors import Location, ManuscriptError


def inside_book(root: Path, relative: str, where: Location) -> Path:
    """Resolve ``relative`` against the book folder, refusing anything that leaves it.

    An absolute path, or one that climbs out with ``..`` or through a link, is a
    user error: Pressroom reads nothing outside the book folder.
    """
    if Path(relative).is_absolute():
        raise ManuscriptError(f"{relative!r} is an absolute path; give a path inside the book folder", where)
    path = (root / relative).resolve()
    if not path.is_relative_to(root):
        raise ManuscriptError(f"{relative!r} points outside the book folder; Pressroom reads only inside it", where)
    return path
