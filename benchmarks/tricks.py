"""Does each speed trick still pay? Each measured on and off, same command, alternated runs, medians.

``python benchmarks/tricks.py [--runs N] [--only NAME…]`` prints one line per trick: the median
seconds with the trick and without it. A trick is switched off by a few lines run before the
program (a patch of the one function that does it), so both sides run the same code otherwise.
Not part of the test suite; the numbers go into the report and RESULTS.md by hand.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import PY, alternate, make_book, median, ours, run_measured  # noqa: E402

# The program started through a prelude: ``ARGS`` are the command line after "pressroom".
PROGRAM = """
import sys
{patch}
sys.argv = ["pressroom", *sys.argv[1:]]
from pressroom import cli
{start}
"""
WITH_EXIT = "cli.run()"
WITHOUT_EXIT = "cli.main()"  # Click exits through SystemExit and the interpreter's own shutdown

NO_COVER_PROCESS = """
import pressroom.cover as cover
if hasattr(cover, "start_cover"):
    cover.start_cover = lambda meta: None  # make_cover then draws in this process
"""
NO_GC_SWITCH = """
import contextlib
for name in ("pressroom.cache", "pressroom.memo", "pressroom.codec"):
    try:
        module = __import__(name, fromlist=["_"])
    except ImportError:
        continue
    if hasattr(module, "_no_cycle_collection"):
        module._no_cycle_collection = contextlib.nullcontext
"""


# The same switch around the memo's reads and writes of entries (pressroom.memo, JSON entries):
# measured to decide whether the switch still pays once the entries are no longer pickles.
GC_SWITCH_IN_MEMO = """
import functools, gc
from pressroom import memo

def quiet(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        enabled = gc.isenabled()
        gc.disable()
        try:
            return fn(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()
    return wrapper

memo.Store.load = quiet(memo.Store.load)
memo.Store.save = quiet(memo.Store.save)
"""


def program(args: list[str], patch: str = "", start: str = WITH_EXIT) -> list[str]:
    return [PY, "-c", PROGRAM.format(patch=patch, start=start), *args]


def pressroom_args(book: Path, fmt: str, *extra: str) -> list[str]:
    return ours(book, fmt, *extra)[3:]  # without "python -m pressroom"


def trick_worker(work: Path, runs: int) -> dict:
    """The PDF written by a child process forked before the book is read (PRESSROOM_WORKERS)."""
    import os

    book = make_book(work / "worker", 1)
    env_on = {**os.environ, "PRESSROOM_WORKERS": "1"}
    env_off = {**os.environ, "PRESSROOM_WORKERS": "0"}
    cmd = ours(book, "pdf", "--no-cache")
    return alternate({"on": lambda: run_measured(cmd, env_on)[0], "off": lambda: run_measured(cmd, env_off)[0]}, runs)


def trick_cover(work: Path, runs: int) -> dict:
    """The generated cover drawn by a child process while the book is read (cold EPUB)."""
    book = make_book(work / "cover", 1)
    args = pressroom_args(book, "epub", "--no-cache")
    return alternate({"on": lambda: run_measured(program(args))[0],
                      "off": lambda: run_measured(program(args, NO_COVER_PROCESS))[0]}, runs)


def trick_exit(work: Path, runs: int) -> dict:
    """``os._exit`` at the end of ``cli.run`` instead of the interpreter's shutdown (cold EPUB, 4 chapters)."""
    book = make_book(work / "exit", 4)
    args = pressroom_args(book, "epub", "--no-cache")
    return alternate({"on": lambda: run_measured(program(args))[0],
                      "off": lambda: run_measured(program(args, start=WITHOUT_EXIT))[0]}, runs)


def trick_gc(work: Path, runs: int) -> dict:
    """The cycle collector switched off while cache entries are read and written (EPUB rebuilt from
    the cache after one chapter of 16 changed)."""
    book = make_book(work / "gc", 16)
    chapter = book / "manuscript" / "chapter-01.md"
    original = chapter.read_text(encoding="utf-8")
    args = pressroom_args(book, "epub")
    turn = [0]

    def rebuild(patch: str) -> float:
        turn[0] += 1
        chapter.write_text(original.replace("pandering", f"pandering{turn[0]}", 1), encoding="utf-8")
        return run_measured(program(args, patch))[0]

    run_measured(program(args))  # fill the cache
    try:
        import pressroom.memo  # noqa: F401 - the memo of JSON entries: the switch is what a patch adds
    except ImportError:
        return alternate({"on": lambda: rebuild(""), "off": lambda: rebuild(NO_GC_SWITCH)}, runs)
    return alternate({"on": lambda: rebuild(GC_SWITCH_IN_MEMO), "off": lambda: rebuild("")}, runs)


TRICKS = {"worker": trick_worker, "cover": trick_cover, "exit": trick_exit, "gc": trick_gc}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", nargs="*", choices=sorted(TRICKS), default=sorted(TRICKS))
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pressroom-tricks-"))
    try:
        for name in args.only:
            times = TRICKS[name](work, args.runs)
            on, off = median(times["on"]), median(times["off"])
            print(f"{name}: with {on:.3f} s, without {off:.3f} s ({(off - on) / off * 100:+.1f}% saved by the trick); "
                  f"runs on {[round(t, 3) for t in times['on']]}, off {[round(t, 3) for t in times['off']]}",
                  flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
