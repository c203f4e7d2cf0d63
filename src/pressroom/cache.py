"""Memo of the per-chapter and per-book work, so a rebuild redoes only what a change touched.

Every entry is keyed by everything its result depends on (the file's bytes,
the ids taken before it, the style and references, the sequence of
citations…), so a hit is always what a full rebuild would give. Each table
keeps only the entries the last build used, so memory stays bounded.
"""

from __future__ import annotations

import hashlib
from typing import Any, Callable, Hashable


class Memo:
    """One table: ``get(key, compute)`` returns the cached value or computes and keeps it."""

    def __init__(self) -> None:
        self._previous: dict[Hashable, Any] = {}
        self._current: dict[Hashable, Any] = {}
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        if key in self._current:
            value = self._current[key]
        elif key in self._previous:
            value = self._previous[key]
            self.hits += 1
        else:
            value = compute()
            self.misses += 1
        self._current[key] = value
        return value

    def next_round(self) -> None:
        """Start a new build: entries the last build did not use are dropped."""
        self._previous, self._current = self._current, {}


class BuildCache:
    def __init__(self) -> None:
        self.chapters = Memo()  # (bytes digest, source, id, matter, part, ids taken before) → (Chapter, ids added)
        self.citations = Memo()  # digest of style, references and every citation → rendered citations
        self.typography = Memo()  # (Chapter, abbreviations) → typeset Chapter

    def next_round(self) -> None:
        for memo in (self.chapters, self.citations, self.typography):
            memo.next_round()


def digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8") if isinstance(part, str) else part)
        h.update(b"\x00")
    return h.hexdigest()
