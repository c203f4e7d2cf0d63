"""Memo of the per-chapter and per-book work, so a rebuild redoes only what a change touched.

Every entry is keyed by everything its result depends on (the file's bytes,
the ids taken before it, the style and references, the sequence of
citations…), so a hit is always what a full rebuild would give. Each table
keeps only the entries the last build used, so memory stays bounded.
"""

from __future__ import annotations

import gc
import hashlib
import pickle
from contextlib import contextmanager
from functools import lru_cache
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
_FORMAT = 2  # bump when the model or the keys change shape


def load_cache(root: Path) -> BuildCache:
    """The build cache kept in the book folder by the last build (or a new one)."""
    path = Path(root) / CACHE_DIR / "build.pickle"
    try:
        with path.open("rb") as f, _no_cycle_collection():
            fmt, version, cache = pickle.load(f)
        if fmt == _FORMAT and version == _code_version() and isinstance(cache, BuildCache):
            # Nothing loaded is in a cycle (the model is frozen dataclasses and tuples; reference
            # counting frees it): keep the cycle collector from walking it again at every full pass.
            gc.freeze()
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
        with _no_cycle_collection():
            data = pickle.dumps((_FORMAT, _code_version(), cache), protocol=pickle.HIGHEST_PROTOCOL)
        write_atomically(Path(root) / CACHE_DIR / "build.pickle", data)
    except Exception:  # noqa: BLE001 - a cache is an optimisation only
        pass


@contextmanager
def _no_cycle_collection():
    """Unpickling makes hundreds of thousands of objects, none of them in a cycle; the cycle
    collector would walk them all again and again on the way (a third of a long book's load)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@lru_cache(maxsize=1)
def _code_version() -> str:
    """A digest of Pressroom's own code: a cache made by other code (another release, or an edit
    of the source) is never used. Reading the package's modules costs a millisecond; asking
    importlib.metadata for the version cost fifty."""
    package = Path(__file__).parent
    return digest(*(f"{path.relative_to(package)}\0".encode() + path.read_bytes()
                    for path in sorted(package.rglob("*.py"))))


def digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8") if isinstance(part, str) else part)
        h.update(b"\x00")
    return h.hexdigest()
