"""Memo of the per-chapter and per-book work, so a rebuild redoes only what a change touched.

Every entry is keyed by everything its result depends on (the file's bytes,
the ids taken before it, the style and references, the sequence of
citations…), so a hit is always what a full rebuild would give. Each table
keeps only the entries the last build used, so memory stays bounded.

Between builds the entries live in ``BOOK/.cache/pressroom/memo/``, one file
each, named by a digest of its table and key: a build reads only the entries
it asks for and writes only the ones it made, so after an edit to one chapter
of a long book the rebuild does not read and write the whole book's model again.
"""

from __future__ import annotations

import gc
import hashlib
import pickle
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Hashable

_MISSING = object()


class Memo:
    """One table: ``get(key, compute)`` returns the cached value or computes and keeps it."""

    def __init__(self, store: "_Store | None" = None, table: str = "") -> None:
        self._previous: dict[Hashable, Any] = {}
        self._current: dict[Hashable, Any] = {}
        self._made: set[Hashable] = set()  # keys computed in this process, not yet on disk
        self._store = store
        self._table = table
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable, compute: Callable[[], Any]) -> Any:
        if key in self._current:
            value = self._current[key]
        elif key in self._previous:
            value = self._previous[key]
            self.hits += 1
        else:
            value = self._store.load(self._table, key) if self._store is not None else _MISSING
            if value is _MISSING:
                value = compute()
                self._made.add(key)
                self.misses += 1
            else:
                self.hits += 1
        self._current[key] = value
        return value

    def __contains__(self, key: Hashable) -> bool:
        return (key in self._current or key in self._previous
                or (self._store is not None and self._store.has(self._table, key)))

    def next_round(self) -> None:
        """Start a new build: entries the last build did not use are dropped."""
        self._previous, self._current = self._current, {}


class BuildCache:
    def __init__(self, store: "_Store | None" = None) -> None:
        self.store = store  # where entries live between builds (None: in this process only)
        self.chapters = Memo(store, "chapters")  # (bytes digest, source, id, matter, part, ids taken before) → (Chapter, ids added)
        self.citations = Memo(store, "citations")  # digest of style, references and every citation → rendered citations
        self.typography = Memo(store, "typography")  # (Chapter, abbreviations) → typeset Chapter
        self.files = Memo(store, "files")  # writers' pieces: (kind, every input) → bytes (the generated cover…)

    def memos(self) -> tuple[Memo, ...]:
        return (self.chapters, self.citations, self.typography, self.files)

    def next_round(self) -> None:
        for memo in self.memos():
            memo.next_round()

    def asked(self) -> dict[str, set]:
        """The keys asked for so far in this build, by table: a mark for ``entries_since``."""
        return {memo._table: set(memo._current) for memo in self.memos()}

    def entries_since(self, mark: dict[str, set]) -> list[tuple[str, Hashable, Any, bool]]:
        """(table, key, value, made in this process) of every entry asked for since ``mark``: what a
        writer process hands back (see ``writers.worker``), for ``merge`` in the build's own cache."""
        return [(memo._table, key, value, key in memo._made) for memo in self.memos()
                for key, value in memo._current.items() if key not in mark[memo._table]]

    def merge(self, entries: list[tuple[str, Hashable, Any, bool]]) -> None:
        """Take entries another process asked for or made, as if asked for (and made) here."""
        memos = {memo._table: memo for memo in self.memos()}
        for table, key, value, made in entries:
            memos[table]._current[key] = value
            if made:
                memos[table]._made.add(key)


CACHE_DIR = ".cache/pressroom"
_FORMAT = 3  # bump when the model or the keys change shape


class _Store:
    """The entries on disk: ``memo/<digest of table and key>``, each a pickled (key, value)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def name(self, table: str, key: Hashable) -> str:
        return digest(table, repr(key))[:40]

    def has(self, table: str, key: Hashable) -> bool:
        return (self.folder / self.name(table, key)).is_file()

    def load(self, table: str, key: Hashable) -> Any:
        try:
            with (self.folder / self.name(table, key)).open("rb") as f, _no_cycle_collection():
                stored_key, value = pickle.load(f)
        except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError, ValueError, TypeError):
            return _MISSING
        return value if stored_key == key else _MISSING


def load_cache(root: Path) -> BuildCache:
    """The build cache of the book folder: entries the last builds left, read when asked for."""
    folder = Path(root) / CACHE_DIR / "memo"
    stamp = f"{_FORMAT} {_code_version()}"
    try:
        if (folder / "VERSION").read_text(encoding="utf-8") != stamp:
            raise OSError("made by other code")
    except (OSError, UnicodeDecodeError):
        # Entries made by another release (or an edited source) are never used: start afresh.
        _empty(folder)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            (folder / "VERSION").write_text(stamp, encoding="utf-8")
        except OSError:
            return BuildCache()  # a folder that cannot be written only means no cache
    (Path(root) / CACHE_DIR / "build.pickle").unlink(missing_ok=True)  # the single-file cache of 0.1
    return BuildCache(_Store(folder))


def save_cache(root: Path, cache: BuildCache) -> None:
    """Write the entries this build made and remove those it did not use; a failure to write
    never fails the build."""
    from .outputs import write_atomically

    store = cache.store
    if store is None:
        return
    used = {"VERSION"}
    try:
        for memo in cache.memos():
            for key in memo._current:
                name = store.name(memo._table, key)
                used.add(name)
                if key in memo._made:
                    with _no_cycle_collection():
                        data = pickle.dumps((key, memo._current[key]), protocol=pickle.HIGHEST_PROTOCOL)
                    write_atomically(store.folder / name, data)
            memo._made.clear()
            memo._previous = {}
        for path in store.folder.iterdir():
            if path.name not in used and not path.name.startswith("."):
                path.unlink(missing_ok=True)
    except Exception:  # noqa: BLE001 - a cache is an optimisation only
        pass


def _empty(folder: Path) -> None:
    try:
        for path in folder.iterdir():
            path.unlink(missing_ok=True)
    except OSError:
        pass


@contextmanager
def _no_cycle_collection():
    """Unpickling and pickling a chapter's model make or visit tens of thousands of objects,
    none of them in a cycle; the cycle collector would walk them all again on the way."""
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
