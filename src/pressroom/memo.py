"""The memo layer, owned by the build's driver: a stage's result kept under a digest of what made it.

A *stage* is a plain function whose result depends only on its arguments (and on Pressroom's own
code). ``memo.run(stage, *args)`` returns ``stage(*args)``, computed once: the result is kept under
the *key* ``digest(code, stage name, identity of each argument)``. The stage receives exactly the
arguments its key covers, so a result can never be kept under a key that forgot one of its inputs
(the stale title of issue 12 came from a key assembled by hand that left out ``meta.title``).

Identities are content addresses, as in Nix or Bazel: a value that a stage of this memo produced
is identified by the key that produced it, without hashing it again; any other value (file bytes,
settings, metadata) by a digest of its encoding. ``memo.ref(stage, *args)`` is the lazy form: a
:class:`Ref` knows its key at once and loads or computes its value only when asked, so a chain of
stages over an unchanged chapter reads only the last result from disk.

Between builds the results live in ``BOOK/.cache/pressroom/memo/``, one file per key, written by
:mod:`pressroom.codec` (data only: reading an entry cannot run code) and authenticated with a
secret kept outside the book (``~/.cache/pressroom/secret``): an entry that was forged, corrupted,
made for another key or by other code is ignored and computed afresh, never trusted.

``Memo(None)`` keeps results for the life of the object only (the preview); ``NO_MEMO`` keeps
nothing and computes every stage (``build --no-cache``, and direct calls in tests).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import sys
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from . import codec

CACHE_DIR = ".cache/pressroom"
_MUTABLE_OR_SCALAR = (dict, list, set, bytearray, str, bytes, int, float, bool, type(None))
MEMO_DIR = f"{CACHE_DIR}/memo"
_MISSING = object()


def digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8") if isinstance(part, str) else part)
        h.update(b"\x00")
    return h.hexdigest()


@lru_cache(maxsize=1)
def code_digest() -> str:
    """A digest of the code every stage runs: Pressroom's own files (sources, templates,
    stylesheets, the house CSL), the Python version and the installed distributions with their
    versions (WeasyPrint, citeproc-py, Jinja…, as the ``*.dist-info`` folders on ``sys.path`` name
    them). Part of every key, so a result made by other code (another release, an edited source,
    an upgraded library) is never used. Reading these costs a few milliseconds; asking
    importlib.metadata for versions cost fifty."""
    package = Path(__file__).parent
    files = sorted(p for p in package.rglob("*") if p.is_file() and p.suffix not in (".pyc", ".pyo"))
    installed: set[str] = set()
    for entry in sys.path:
        try:
            installed.update(n for n in os.listdir(entry or ".") if n.endswith((".dist-info", ".egg-info")))
        except OSError:
            continue
    return digest(sys.version, *sorted(installed),
                  *(f"{path.relative_to(package)}\0".encode() + path.read_bytes() for path in files))


def stage_name(stage: Callable) -> str:
    return f"{stage.__module__}.{stage.__qualname__}"


class Ref:
    """A stage's result by its key; the value is loaded or computed on first ``get()``."""

    __slots__ = ("memo", "key", "stage", "args", "hints", "kept", "_value")

    def __init__(self, memo: "Memo", key: str, stage: Callable, args: tuple, hints: dict, kept: bool = True) -> None:
        self.memo, self.key, self.stage, self.args, self.hints = memo, key, stage, args, hints
        self.kept = kept  # written to disk (an item of another result is not: it is in that one)
        self._value = _MISSING

    def get(self) -> Any:
        if self._value is _MISSING:
            self._value = self.memo._materialise(self)
            self.args = self.hints = ()  # the inputs are no longer needed: let them go
        return self._value

    def ready(self) -> bool:
        """Whether the value is at hand without running the stage (in memory or on disk)."""
        return self._value is not _MISSING or self.memo._has(self.key)


class Memo:
    def __init__(self, store: "Store | None" = None) -> None:
        self.store = store
        self._current: dict[str, Any] = {}  # key → value, used in this round
        self._previous: dict[str, Any] = {}  # key → value, used in the last round (the preview)
        self._made: set[str] = set()  # keys computed in this process, not yet on disk
        self._live: set[str] = set()  # keys this round asked about, used or not (a lazy result's inputs)
        self._known: dict[int, tuple[str, Any]] = {}  # id(value) → (identity, value), kept alive here
        self._hashed: dict[int, tuple[str, Any]] = {}  # id(a str or bytes) → (identity, it), kept alive here
        self.hits = 0
        self.misses = 0

    # ------------------------------------------------------------------ running stages

    def ref(self, stage: Callable, *args, keep: bool = True, **hints) -> Ref:
        """The lazy result of ``stage(*args, **hints)``. ``hints`` are not part of the key: only
        values already derived from ``args`` that save the stage work (a laid-out document), which
        must not change what it returns. ``keep=False``: a result cheaper to make again than to
        read back, kept in memory only (its key still names it to the stages after it)."""
        key = digest("stage", code_digest(), stage_name(stage), *(self.identity(arg) for arg in args))
        self._live.add(key)
        return Ref(self, key, stage, args, hints, kept=keep)

    def item(self, ref: Ref, n: int) -> Ref:
        """The lazy ``ref.get()[n]``, identified as :meth:`_remember` identifies a result's items, so a
        stage given it has the key it would have been given the item itself; kept in memory only."""
        return Ref(self, digest("item", ref.key, str(n)), _item, (ref, n), {}, kept=False)

    def run(self, stage: Callable, *args, **hints) -> Any:
        """``stage(*args, **hints)``, from the memo when the same stage ran on the same inputs."""
        return self.ref(stage, *args, **hints).get()

    __call__ = run

    def start(self, stage: Callable, *args, **hints) -> Ref:
        """:meth:`ref`, with the stage begun at once on a thread of its own when its value is not at
        hand, so that the driver can go on with work that does not need it; ``get()`` waits for it
        (and raises what the stage raised). For a stage that spends its time waiting on another
        program (citations: pandoc, about 0.1 s of a 0.4 s EPUB build), the thread waits with the
        interpreter's lock released while the driver's thread works. Only the stage runs on the
        thread: its arguments are made ready first, and the memo's books are kept on the driver's
        thread alone (the value is recorded when ``get()`` takes it)."""
        ref = self.ref(stage, *args, **hints)
        if not ref.ready():
            from concurrent.futures import ThreadPoolExecutor

            ready = tuple(arg.get() if isinstance(arg, Ref) else arg for arg in ref.args)
            pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pressroom-stage")
            pending = pool.submit(_briskly, stage, *ready, **ref.hints)
            pool.shutdown(wait=False)  # the thread ends with the stage
            ref.stage, ref.args, ref.hints = _result_of, (pending,), {}
        return ref

    def has(self, stage: Callable, *args) -> bool:
        return self.ref(stage, *args).ready()

    def _has(self, key: str) -> bool:
        return key in self._current or key in self._previous or (self.store is not None and self.store.has(key))

    def _materialise(self, ref: Ref) -> Any:
        key = ref.key
        value = self._current.get(key, _MISSING)
        if value is _MISSING:
            value = self._previous.get(key, _MISSING)
            if value is _MISSING and self.store is not None and ref.kept:
                value = self.store.load(key)
            if value is _MISSING:
                args = tuple(arg.get() if isinstance(arg, Ref) else arg for arg in ref.args)
                value = ref.stage(*args, **ref.hints)
                if ref.kept:
                    self._made.add(key)
                self.misses += 1
            else:
                self.hits += 1
            self._current[key] = value
        self._remember(value, key, items=True)
        return value

    # ------------------------------------------------------------------ identities

    def identity(self, value: Any) -> str:
        """The content address of a value: the key of the stage that made it, else a digest of its
        encoding (in which values this memo made or identified stand as their identities)."""
        if isinstance(value, Ref):
            return value.key
        known = self._known.get(id(value))
        if known is not None and known[1] is value:
            return known[0]
        if type(value) in (bytes, str):
            # Hashed as they are, once (an HTML document given to several stages is not encoded as
            # JSON each time): neither can change. Kept apart from ``_known``, whose values stand
            # for their identities inside other values' encodings.
            hashed = self._hashed.get(id(value))
            if hashed is None or hashed[1] is not value:
                hashed = self._hashed[id(value)] = (digest(type(value).__name__, value), value)
            return hashed[0]
        data = codec.to_data(value, self._identity_of_known)
        found = digest("value", json.dumps(data, ensure_ascii=False, separators=(",", ":")))
        self._remember(value, found)
        return found

    def _identity_of_known(self, value: Any) -> str | None:
        known = self._known.get(id(value))
        return known[0] if known is not None and known[1] is value else None

    def _remember(self, value: Any, identity: str, items: bool = False) -> None:
        """Identify ``value`` by ``identity`` from now on; with ``items``, each item of a tuple too,
        by the identity and the item's place (a stage's (chapter, places) identifies its chapter).
        Only values that cannot change are remembered: a dict or list could be changed after."""
        if type(value) in _MUTABLE_OR_SCALAR:
            return
        self._known.setdefault(id(value), (identity, value))
        if items and type(value) is tuple:
            for n, item in enumerate(value):
                if type(item) not in _MUTABLE_OR_SCALAR and id(item) not in self._known:
                    self._known[id(item)] = (digest("item", identity, str(n)), item)

    # ------------------------------------------------------------------ rounds and the disk

    def next_round(self) -> None:
        """Start another build with this memo (the preview): results the last build did not use
        are dropped, and so are the identities it remembered."""
        self._previous, self._current = self._current, {}
        self._known = {}
        self._hashed = {}
        self._live = set()

    def save(self) -> None:
        """Write the results made in this process and remove those this build neither used nor
        named (an unchanged chapter's intermediate results are named by the keys after them, not
        read); a failure to write never fails the build (a cache is an optimisation only)."""
        if self.store is None:
            return
        try:
            for key in sorted(self._made):
                if key in self._current:
                    self.store.save(key, self._current[key])
            self._made.clear()
            self.store.keep_only(self._live | set(self._current))
        except (OSError, TypeError, ValueError):
            pass


# While a started stage runs, the interpreter hands its lock between threads every 0.5 ms instead of
# every 5 ms: each time the other program wakes the stage's thread (its output, its end) the thread
# waited up to a whole interval for the driver's thread to let go, and pandoc's answer reached the
# driver 15 ms later on the shipped book (EPUB build, two cores; benchmarks/RESULTS.md).
_STARTED_SWITCH_INTERVAL = 0.0005


def _briskly(stage: Callable, *args, **hints) -> Any:
    """``stage(*args, **hints)`` on a started stage's thread, with the short switch interval."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(min(before, _STARTED_SWITCH_INTERVAL))
    try:
        return stage(*args, **hints)
    finally:
        sys.setswitchinterval(before)


def _result_of(pending):
    return pending.result()


def _item(value, n: int):
    return value[n]


class _NoMemo(Memo):
    """Runs every stage, keeps nothing, computes no key."""

    def ref(self, stage: Callable, *args, keep: bool = True, **hints) -> Ref:
        return Ref(self, "", stage, args, hints)

    def item(self, ref: Ref, n: int) -> Ref:
        return Ref(self, "", _item, (ref, n), {})

    def _has(self, key: str) -> bool:
        return False

    def _materialise(self, ref: Ref) -> Any:
        return ref.stage(*(arg.get() if isinstance(arg, Ref) else arg for arg in ref.args), **ref.hints)

    def identity(self, value: Any) -> str:
        return ""


NO_MEMO = _NoMemo()


class Store:
    """Results on disk: ``<folder>/<key>``, each ``<mac>\\n<key>\\n<codec data>``, where the mac is an
    HMAC-SHA256 of the rest with the user's secret (kept outside every book folder)."""

    def __init__(self, folder: Path, secret: bytes) -> None:
        self.folder = folder
        self._secret = secret

    def _mac(self, body: bytes) -> bytes:
        return hmac.new(self._secret, body, hashlib.sha256).hexdigest().encode("ascii")

    def has(self, key: str) -> bool:
        return (self.folder / key).is_file()

    def load(self, key: str) -> Any:
        """The value stored under ``key``; ``_MISSING`` if absent, unauthentic, for another key or unreadable."""
        try:
            data = (self.folder / key).read_bytes()
        except OSError:
            return _MISSING
        mac, _, body = data.partition(b"\n")
        stored_key, _, payload = body.partition(b"\n")
        if not hmac.compare_digest(mac, self._mac(body)) or stored_key != key.encode("ascii"):
            return _MISSING
        try:
            return codec.decode(payload)
        except codec.CodecError:
            return _MISSING

    def save(self, key: str, value: Any) -> None:
        from .outputs import write_atomically

        body = key.encode("ascii") + b"\n" + codec.encode(value)
        write_atomically(self.folder / key, self._mac(body) + b"\n" + body)

    def keep_only(self, keys: set[str]) -> None:
        for path in self.folder.iterdir():
            if path.name not in keys:
                path.unlink(missing_ok=True)


def user_cache_folder() -> Path:
    """The user's own cache folder for Pressroom, outside every book: ``$XDG_CACHE_HOME/pressroom``,
    else ``~/.cache/pressroom``. It holds the memo's key and Pressroom's own compiled templates."""
    return Path(os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")) / "pressroom"


def user_secret() -> bytes | None:
    """The key that authenticates memo entries: 32 random bytes in the user's cache folder
    (``$XDG_CACHE_HOME/pressroom/secret``, else ``~/.cache/pressroom/secret``), made on first use,
    readable by the user only. None when it can be neither read nor made (then nothing is kept)."""
    path = user_cache_folder() / "secret"
    try:
        secret = path.read_bytes()
        if len(secret) >= 32:
            return secret
    except OSError:
        pass
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fresh = secrets.token_bytes(32)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(fresh)
        return fresh
    except OSError:
        return None


def book_memo(root: Path) -> Memo:
    """The memo of a book folder: results the last builds left in ``.cache/pressroom/memo``."""
    folder = Path(root) / MEMO_DIR
    secret = user_secret()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        (Path(root) / CACHE_DIR / "build.pickle").unlink(missing_ok=True)  # the single-file cache of 0.1
    except OSError:
        secret = None
    return Memo(Store(folder, secret) if secret is not None else None)
