"""Units of the print edition laid out through the driver's memo, by worker processes when several
must be laid out (``--jobs``; see :mod:`pressroom.units`).

:class:`Layouts` is the driver's side: ``lay_out(htmls, first_folio)`` gives each unit's
:class:`~pressroom.units.UnitPages`, in order, the first unit's first folio ``first_folio`` and each
next one's after the pages before it. A unit the memo holds (the stage ``units.lay_out_unit`` on the
same HTML and first folio) is not laid out again. Where the units before a unit were laid out before
(the memo holds their page counts, ``units.unit_pages_count``), its first folio is known without
laying them out, so an edit that keeps a chapter's page count lays out that chapter only.

The workers. WeasyPrint's laid-out pages do not pickle (cffi objects), so a worker sends back the
unit's result as data and its PDF's bytes. A unit's first folio depends on the page counts of the
units before it, which other workers may still be laying out; a worker asks for it when its unit's
text is laid out (:func:`pressroom.adapters.weasyprint.folios_from`) and the driver answers once the
units before are counted. A worker only ever waits for units given out before its own, and the
first unit not yet counted never waits, so the pool cannot deadlock. Results are the same whatever
the order the workers finish in: a unit's pages depend on its HTML alone.

Hand-written rather than ``concurrent.futures``: a worker must ask the driver a question in the
middle of its task (the first folio) and wait for the answer, which an executor's tasks cannot do.
The workers are started once per build: with ``spawn`` (no state copied from the driver), except
those started before the book is read (:meth:`Layouts.start`), which are forked where the platform
can and the driver runs no other thread yet: a forked worker has the driver's modules already, and
is ready 0.12 s sooner (the interpreter's start and Pressroom's imports), which a rebuild waits for.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable

from .errors import BuildError


def default_jobs() -> int:
    """The number of worker processes by default: the cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


class Layouts:
    """The driver's units laid out (see the module); a context manager that stops its workers."""

    def __init__(self, root, run: Callable, has: Callable, jobs: int, write=None,
                 report: Callable[[str], None] = lambda message: None):
        self.root, self.run, self.has, self.jobs, self.write, self.report = str(root), run, has, jobs, write, report
        self.workers: list[_Worker] = []

    def __enter__(self) -> "Layouts":
        return self

    def start(self) -> None:
        """Start the workers now (each warms up: WeasyPrint imported, the shipped fonts unpacked), so
        that they are ready when the book has been read."""
        import threading

        fork = "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
        while self.jobs > 1 and len(self.workers) < self.jobs:
            self.workers.append(_Worker(fork, [worker.conn.fileno() for worker in self.workers]))

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop the workers (once the layout is done): each is told first, then all are waited for,
        five seconds in all (then ended: one still writing a PDF nobody will read)."""
        import time

        for worker in self.workers:
            worker.tell_to_stop()
        deadline = time.monotonic() + 5
        for worker in self.workers:
            worker.stop(max(0.0, deadline - time.monotonic()))
        self.workers = []

    def lay_out(self, htmls: list[str], first_folio: int, names: list[str], write=None,
                later: "Later | None" = None) -> list:
        """Each unit of ``htmls`` laid out (``names``: how the progress names them), the first from
        ``first_folio``, each next one after the pages before it; their PDFs written for ``write``
        (default: ``self.write``). ``later``: one more unit, laid out by the same workers as soon as its
        HTML can be made (:class:`Later`); its result comes last."""
        from .units import lay_out_unit, unit_pages_count

        count = len(htmls)
        htmls = list(htmls)
        names = list(names)
        writes = [write or self.write] * count
        if later is not None:
            htmls.append(None)  # made when the counts it needs are known (self._make_later)
            names.append(later.name)
            writes.append(later.write or self.write)
        counts: list[int | None] = [None] * len(htmls)
        results: list = [None] * len(htmls)

        def folio(n: int) -> int | None:
            return later.first_folio if n == count else _folio(counts[:count], n, first_folio)

        for n, html in enumerate(htmls[:count]):
            if self.has(unit_pages_count, html, self.root):
                counts[n] = self.run(unit_pages_count, html, self.root)
        self._make_later(later, htmls, counts, results, folio, writes)
        for n, html in enumerate(htmls[:count]):  # what the memo holds at its folio, now that folios are known
            if folio(n) is not None and self.has(lay_out_unit, html, self.root, folio(n), writes[n]):
                results[n] = self.run(lay_out_unit, html, self.root, folio(n), writes[n])
        todo = [n for n in range(len(htmls)) if results[n] is None]
        # Workers are started for two units or more; the later unit only joins workers already started
        # (a short book's front matter and bibliography are laid out here sooner than a worker starts).
        if todo and self.jobs > 1 and (self.workers or len([n for n in todo if n != count]) > 1):
            self._in_workers(htmls, todo, counts, results, folio, names, writes, later)
        for n in range(len(htmls)):  # in order: each first folio is known when its unit is reached
            if n == count:
                self._make_later(later, htmls, counts, results, folio, writes)
            if results[n] is None:
                self.report(f"laying out {names[n]}" + (f" ({n + 1} of {len(htmls)})" if len(htmls) > 1 else ""))
            results[n] = self.run(lay_out_unit, htmls[n], self.root, folio(n), writes[n], laid=results[n])
            counts[n] = len(results[n].pages)
            self.run(unit_pages_count, htmls[n], self.root, laid=results[n])
        return results

    def _make_later(self, later: "Later | None", htmls, counts, results, folio, writes) -> bool:
        """Make the HTML of the ``later`` unit (the last of ``htmls``) once the counts it needs are
        known, and take its result from the memo if it holds it; whether its HTML is made."""
        from .units import lay_out_unit

        n = len(htmls) - 1
        if later is None or htmls[n] is not None:
            return later is not None
        needed = counts[:later.needs]
        if None in needed:
            return False
        htmls[n] = later.html(tuple(needed))
        if self.has(lay_out_unit, htmls[n], self.root, folio(n), writes[n]):
            results[n] = self.run(lay_out_unit, htmls[n], self.root, folio(n), writes[n])
        return True

    def _in_workers(self, htmls, todo, counts, results, folio, names, writes, later) -> None:
        """Lay out the units ``todo`` in the workers. A unit whose page count the memo holds but whose
        first folio waits on a unit being laid out may still be in the memo at that folio: it waits
        (``maybe``) until its folio is known, and only then is read from the memo or laid out. The
        ``later`` unit waits until its HTML can be made."""
        from multiprocessing.connection import wait

        from .units import lay_out_unit

        wanted = min(self.jobs, len(todo))
        while len(self.workers) < wanted:
            self.workers.append(_Worker())
        waiting = len(htmls) - 1 if later is not None and len(htmls) - 1 in todo and htmls[-1] is None else None
        queue = [n for n in todo if counts[n] is None and n != waiting]
        maybe = [n for n in todo if counts[n] is not None]
        busy: dict[_Worker, int] = {}
        asking: dict[_Worker, int] = {}
        done = 0
        while queue or busy or maybe or waiting is not None:
            if waiting is not None and self._make_later(later, htmls, counts, results, folio, writes):
                if results[waiting] is None:
                    queue = sorted([*queue, waiting])
                waiting = None
            for n in list(maybe):
                if folio(n) is None:
                    continue
                maybe.remove(n)
                if self.has(lay_out_unit, htmls[n], self.root, folio(n), writes[n]):
                    results[n] = self.run(lay_out_unit, htmls[n], self.root, folio(n), writes[n])
                else:
                    queue = sorted([*queue, n])
            for worker in self.workers:
                if worker not in busy and queue:
                    n = queue.pop(0)
                    worker.send(("unit", htmls[n], self.root, writes[n]))
                    busy[worker] = n
            if not busy:
                if maybe or waiting is not None:  # nothing is being laid out, so every page count before them is known
                    raise BuildError("the layout's units wait on no unit (a bug of Pressroom's)", code="B001")
                continue
            for conn in wait([worker.conn for worker in busy]):
                worker = next(w for w in busy if w.conn is conn)
                n = busy[worker]
                kind, value = worker.receive()
                if kind == "count":
                    counts[n] = value
                    asking[worker] = n
                elif kind == "done":
                    results[n] = value
                    counts[n] = len(value.pages)
                    del busy[worker]
                    done += 1
                    self.report(f"laid out {names[n]} ({done} of {len(todo)}, {len(self.workers)} workers)")
                else:
                    raise value
            for worker, n in list(asking.items()):
                if folio(n) is not None:
                    worker.send(("folio", folio(n)))
                    del asking[worker]


@dataclass(frozen=True)
class Later:
    """One more unit for :meth:`Layouts.lay_out`, whose HTML depends on the page counts of the units
    laid out with it: ``html(counts of the first needs units)``, made as soon as those are known (a
    worker's count comes when the unit's text is laid out, before its PDF is written), then laid out
    by the next free worker, beside the others. Its pages are numbered from ``first_folio``; its PDF
    written for ``write`` (default: the pool's). The front matter, whose contents number the back
    matter's first pages, is laid out this way beside the back matter."""

    needs: int
    html: Callable[[tuple[int, ...]], str]
    first_folio: int
    name: str
    write: object = None


def _folio(counts: list[int | None], n: int, first_folio: int) -> int | None:
    """Unit ``n``'s first folio, when the page counts of the units before it are known."""
    before = counts[:n]
    return None if None in before else first_folio + sum(before)


class _Worker:
    """One worker process and the driver's end of its pipe."""

    def __init__(self, fork: bool = False, others: list[int] = ()) -> None:
        """A worker, forked (``fork``) or spawned. A forked one has a copy of every file the driver
        has open, the driver's ends of the pipes among them (this one's and ``others``: the earlier
        workers'), which it closes first, so that it sees the end of its pipe if the driver dies."""
        context = multiprocessing.get_context("fork" if fork else "spawn")
        self.conn, theirs = context.Pipe()
        inherited = [self.conn.fileno(), *others] if fork else []
        self.process = context.Process(target=serve, args=(theirs, inherited), daemon=True, name="pressroom-layout")
        if fork:
            self.process.start()
        else:
            with _main_not_imported():
                self.process.start()
        theirs.close()

    def send(self, message) -> None:
        self.conn.send(message)

    def receive(self):
        try:
            return self.conn.recv()
        except EOFError:
            raise BuildError("a layout worker process ended unexpectedly (out of memory?)", code="B001") from None

    def tell_to_stop(self) -> None:
        try:
            self.conn.send(("stop", None))
        except (OSError, ValueError):
            pass

    def stop(self, timeout: float = 5) -> None:
        self.tell_to_stop()
        self.process.join(timeout=timeout)
        if self.process.is_alive():
            self.process.kill()
        self.conn.close()


@contextmanager
def _main_not_imported():
    """While a worker starts, the program's ``__main__`` is a module with no file, so that ``spawn``
    does not import it again in the worker (a script or ``python -m pressroom`` would run again
    there): a worker needs only Pressroom's modules, which it imports itself (:func:`serve`)."""
    import types

    main = sys.modules.get("__main__")
    sys.modules["__main__"] = types.ModuleType("__main__")
    try:
        yield
    finally:
        if main is not None:
            sys.modules["__main__"] = main


def serve(conn, inherited: list[int] = ()) -> None:
    """A worker's loop: lay out each unit it is given, asking for its first folio when counted.
    ``inherited``: a forked worker's copies of the driver's ends of the pipes, closed here; the
    driver's exit handlers, which a forked worker has too, are not the worker's."""
    import signal

    # Ctrl-C is the driver's to handle (it stops the workers, which then end as on any stop): a
    # worker interrupted in the middle would leave its unpacked fonts behind.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if inherited:
        import atexit

        atexit._clear()
        for fd in inherited:
            os.close(fd)
    try:
        _serve(conn)
    finally:
        _exit()


def _serve(conn) -> None:
    from .units import lay_out, warm_up

    warm_up()
    while True:
        kind, *task = conn.recv()
        if kind == "stop":
            _exit()
        html, root, write = task

        def folio_of(count: int) -> int:
            conn.send(("count", count))
            answer, folio = conn.recv()
            if answer == "stop":  # the driver stopped (a mistake found elsewhere): no folio will come
                _exit()
            return folio

        try:
            conn.send(("done", lay_out(html, root, folio_of, write)))
        except Exception as exc:  # noqa: BLE001 - the driver raises it (a PressroomError names the file)
            conn.send(("error", exc))


def _exit() -> None:
    """End the worker at once: its exit handlers run (the unpacked fonts' folder is removed:
    :func:`pressroom.adapters.weasyprint.font_configuration`), but not the interpreter's teardown of
    WeasyPrint's modules, which the driver waited 0.1 s for at the end of every build."""
    import atexit

    atexit._run_exitfuncs()
    os._exit(0)
