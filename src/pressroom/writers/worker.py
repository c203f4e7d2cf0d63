"""A writer run in a child process that was started before the book was read.

``Worker(fmt, cache)`` forks at once; the child imports what the writer needs
(WeasyPrint takes a third of a second to import, and ten times as long as the
book takes to read) while the parent reads and finishes the book on the
other core. ``worker.write(book, modified, options)`` then hands the finished
book to the child (a pickle of a few hundred kilobytes), relays the child's
progress messages to ``options.report`` and returns what the writer returned.
The build-cache entries the writer made or used in the child are added to the
parent's cache, so the next writer (the EPUB's print page numbers) and the
saved cache see them.

Hand-written: ``multiprocessing`` and ``concurrent.futures`` start their
workers from nothing (spawn) or fork only when the work arrives; what is wanted
here is a fork before the work is known, and one message stream back.
"""

from __future__ import annotations

import importlib
import os
import pickle
import signal
import struct
import sys
import threading
import traceback

from . import WRITERS, WriteOptions, Written, writer


def can_fork() -> bool:
    """Forking is safe on Linux in a process with one thread (a fork copies no other thread, so a
    lock another thread held would never be released in the child). ``PRESSROOM_WORKERS=0`` turns
    the workers off."""
    return (sys.platform.startswith("linux") and hasattr(os, "fork") and threading.active_count() == 1
            and os.environ.get("PRESSROOM_WORKERS", "1") != "0")


class Worker:
    def __init__(self, fmt: str, cache=None) -> None:
        self.fmt = fmt
        jobs_in, self._jobs = os.pipe()
        self._results, results_out = os.pipe()
        sys.stdout.flush()
        sys.stderr.flush()
        self.pid = os.fork()
        if self.pid == 0:  # the child: never returns
            os.close(self._jobs)
            os.close(self._results)
            _serve(fmt, cache, jobs_in, results_out)
        os.close(jobs_in)
        os.close(results_out)

    def write(self, book, modified, options: WriteOptions) -> Written:
        """What ``writer(fmt)(book, modified, options)`` returns, made in the child."""
        try:
            with os.fdopen(self._jobs, "wb") as jobs:
                self._jobs = -1
                pickle.dump((book, modified, options.profile), jobs, protocol=pickle.HIGHEST_PROTOCOL)
        except BrokenPipeError:
            pass  # the child is gone: its exit is reported below
        with os.fdopen(self._results, "rb") as results:
            self._results = -1
            while True:
                message = _receive(results)
                if message is None:
                    self._reap()
                    raise RuntimeError(f"the {self.fmt} writer's process ended unexpectedly")
                kind, value = message
                if kind == "report":
                    options.report(value)
                elif kind == "done":
                    written, entries = value
                    if options.cache is not None:
                        options.cache.merge(entries)
                    self._reap()
                    return written
                elif kind == "error":
                    self._reap()
                    raise value
                else:
                    self._reap()
                    raise RuntimeError(f"the {self.fmt} writer failed in its process:\n{value}")

    def close(self) -> None:
        """End the child when its work is not wanted (the build stopped before or while it wrote):
        it holds nothing that needs saving, so it is stopped at once."""
        for fd in (self._jobs, self._results):
            if fd >= 0:
                os.close(fd)
        self._jobs = self._results = -1
        if self.pid:
            try:
                os.kill(self.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        self._reap()

    def _reap(self) -> None:
        if self.pid:
            try:
                os.waitpid(self.pid, 0)
            except ChildProcessError:
                pass
            self.pid = 0


def _serve(fmt: str, cache, jobs_in: int, results_out: int) -> None:
    """The child: warm the writer up, wait for the book, write it, send the result; then exit."""
    results = os.fdopen(results_out, "wb")
    try:
        warm_up = getattr(importlib.import_module(WRITERS[fmt][0]), "warm_up", None)
        if warm_up is not None:
            warm_up()
        with os.fdopen(jobs_in, "rb") as jobs:
            try:
                book, modified, profile = pickle.load(jobs)
            except EOFError:
                os._exit(0)  # the build stopped before it had work for this writer
        mark = cache.asked() if cache is not None else None

        def report(message: str) -> None:
            _send(results, ("report", message))

        written = writer(fmt)(book, modified, WriteOptions(profile=profile, report=report, cache=cache))
        _send(results, ("done", (written, cache.entries_since(mark) if cache is not None else [])))
    except BaseException as error:  # noqa: BLE001 - everything goes back to the parent
        from ..errors import PressroomError

        try:
            if isinstance(error, PressroomError):
                _send(results, ("error", error))
            else:
                _send(results, ("crash", traceback.format_exc()))
        except BaseException:  # noqa: BLE001 - the parent is gone or the error cannot be pickled
            pass
    results.flush()
    os._exit(0)


def _send(stream, message) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(struct.pack("<Q", len(data)) + data)
    stream.flush()


def _receive(stream):
    head = stream.read(8)
    if len(head) < 8:
        return None
    (size,) = struct.unpack("<Q", head)
    return pickle.loads(stream.read(size))
