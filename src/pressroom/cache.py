"""Memo of the per-chapter and per-book work, so a rebuild redoes only what a change touched.

Every entry is keyed by everything its result depends on (the file's bytes,
the ids taken before it, the style and references, the sequence of
citations…), so a hit is always what a full rebuild would give. Each table
keeps only the entries the last build used, so memory stays bounded.
"""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path
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

    def __contains__(self, key: Hashable) -> bool:
        return key in self._current or key in self._previous

    def next_round(self) -> None:
        """Start a new build: entries the last build did not use are dropped."""
        self._previous, self._current = self._current, {}


class BuildCache:
    def __init__(self) -> None:
        self.chapters = Memo()  # (bytes digest, source, id, matter, part, ids taken before) → (Chapter, ids added)
        self.citations = Memo()  # digest of style, references and every citation → rendered citations
        self.typography = Memo()  # (Chapter, abbreviations) → typeset Chapter
        self.files = Memo()  # writers' pieces: (kind, every input) → bytes (the generated cover…)

    def memos(self) -> tuple[Memo, ...]:
        return (self.chapters, self.citations, self.typography, self.files)

    def next_round(self) -> None:
        for memo in self.memos():
            memo.next_round()


CACHE_DIR = ".cache/pressroom"
_FORMAT = 1  # bump when the model or the keys change shape


def load_cache(root: Path) -> BuildCache:
    """The build cache kept in the book folder by the last build (or a new one)."""
    path = Path(root) / CACHE_DIR / "build.pickle"
    try:
        with path.open("rb") as f:
            fmt, version, cache = pickle.load(f)
        if fmt == _FORMAT and version == _package_version() and isinstance(cache, BuildCache):
            return cache
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError, TypeError):
        pass
    return BuildCache()


def save_cache(root: Path, cache: BuildCache) -> None:
    """Keep the cache for the next build; a failure to write it never fails the build."""
    from .outputs import write_atomically

    for memo in cache.memos():
        memo._previous = {}  # keep only what this build used
    try:
        write_atomically(Path(root) / CACHE_DIR / "build.pickle",
                         pickle.dumps((_FORMAT, _package_version(), cache), protocol=pickle.HIGHEST_PROTOCOL))
    except Exception:  # noqa: BLE001 - a cache is an optimisation only
        pass


def _package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("pressroom")
    except PackageNotFoundError:
        return "0"


def digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8") if isinstance(part, str) else part)
        h.update(b"\x00")
    return h.hexdigest()
