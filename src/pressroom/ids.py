"""Stable identifiers derived from the source text, so links survive rebuilds.

Pure functions: text in, id out.
"""

from __future__ import annotations

import re
import unicodedata


def slugify(text: str, fallback: str = "section") -> str:
    """Turn a title into an XML-safe id: ``"The 'Third Period'"`` → ``"the-third-period"``.

    Accents are folded to ASCII, anything else that is not a letter or digit
    becomes a hyphen, and an id never starts with a digit (XML ``ID`` rules).
    """
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-")
    if not slug:
        slug = fallback
    if slug[0].isdigit():
        slug = f"{fallback[:1] or 's'}-{slug}"
    return slug


class IdAllocator:
    """Hands out unique ids: the second "notes" becomes "notes-2", and so on."""

    def __init__(self, taken: set[str] | None = None):
        self.taken: set[str] = set(taken or ())

    def allocate(self, wanted: str) -> str:
        candidate, n = wanted, 1
        while candidate in self.taken:
            n += 1
            candidate = f"{wanted}-{n}"
        self.taken.add(candidate)
        return candidate
