"""The PDF written in a child process forked before the book is read (writers.worker).

Each case runs in a fresh interpreter (one thread, so the build may fork), which reports back.
"""

import json
import os
import subprocess
import sys

from bookmaker import make_book

SCRIPT = r"""
import json, os, sys
from pathlib import Path
from pressroom.build import build_book
from pressroom.writers import worker, pdf

calls = []
write = worker.Worker.write
def counted(self, *args, **kwargs):
    calls.append(self.fmt)
    return write(self, *args, **kwargs)
worker.Worker.write = counted
if sys.argv[3] == "crash":
    pdf._lay_out = lambda *args: 1 / 0
messages = []
outcome = {}
try:
    build_book(Path(sys.argv[1]), ["pdf"], echo=lambda line: None, report=messages.append,
               profile=sys.argv[2], use_cache=False)
    outcome["built"] = True
except Exception as error:
    outcome["error"] = [type(error).__name__, str(error)]
try:
    os.waitpid(-1, os.WNOHANG)
    outcome["children left"] = True
except ChildProcessError:
    outcome["children left"] = False
print(json.dumps({"worker": calls, "messages": messages, **outcome}))
"""

CHAPTER = "# A\n\nText with a note[^n] and [@nove-economic-history, p. 3].\n\n[^n]: N.\n"


def run(book, profile="print", case="", workers="1"):
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000", "PRESSROOM_WORKERS": workers}
    result = subprocess.run([sys.executable, "-c", SCRIPT, str(book), profile, case or "-"],
                            capture_output=True, text=True, env=env, check=True)
    return json.loads(result.stdout)


def test_the_pdf_from_a_worker_is_the_pdf_made_in_process(tmp_path):
    book = make_book(tmp_path / "book", {"a.md": CHAPTER})
    forked = run(book)
    assert forked["built"] and forked["worker"] == ["pdf"] and not forked["children left"]
    assert "creating layout, page 1" in forked["messages"]  # the child's progress, relayed
    assert any(m.startswith("writing ") for m in forked["messages"])
    pdf = (book / "dist" / "a-small-book.pdf").read_bytes()
    alone = run(book, workers="0")
    assert alone["built"] and alone["worker"] == []
    assert (book / "dist" / "a-small-book.pdf").read_bytes() == pdf


def test_a_user_error_in_the_worker_is_reported_as_in_process(tmp_path):
    book = make_book(tmp_path / "book", {"a.md": CHAPTER})
    forked = run(book, profile="bogus")
    assert forked["worker"] == ["pdf"] and not forked["children left"]
    assert forked["error"] == ["UsageError", "unknown PDF profile 'bogus'; expected one of: print, screen"]
    assert run(book, profile="bogus", workers="0")["error"] == forked["error"]


def test_a_crash_in_the_worker_is_not_hidden(tmp_path):
    book = make_book(tmp_path / "book", {"a.md": CHAPTER})
    forked = run(book, case="crash")
    assert forked["error"][0] == "RuntimeError" and "ZeroDivisionError" in forked["error"][1]
    assert not forked["children left"]


def test_no_worker_is_left_when_the_book_cannot_be_read(tmp_path):
    book = make_book(tmp_path / "book", {"a.md": "# A\n\nCited [@no-such-key, p. 1].\n"})
    forked = run(book)
    assert forked["error"][0] == "ManuscriptError" and "no-such-key" in forked["error"][1]
    assert forked["worker"] == [] and not forked["children left"]


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    fields = stat.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry))
    return found


def test_an_interrupted_build_leaves_no_writer_process(tmp_path):
    import signal
    import time

    from epubtools import copy_book

    book = copy_book(tmp_path / "book")
    build = subprocess.Popen([sys.executable, "-m", "pressroom", "build", "--book", str(book), "--format", "pdf"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 30
    while not _children(build.pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    writers = _children(build.pid)
    assert writers, "the PDF's writer process never started"
    time.sleep(0.5)  # the writer is at work
    build.send_signal(signal.SIGINT)
    _, err = build.communicate(timeout=30)
    assert build.returncode == 1 and "Aborted!" in err
    assert not any(os.path.exists(f"/proc/{pid}") for pid in writers)
    assert not (book / "dist" / "russia-part-three.pdf").exists()
