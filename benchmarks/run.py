"""Pressroom's benchmarks: speed and scale, side by side with pandoc and bare WeasyPrint.

Run with ``make bench`` (or ``python benchmarks/run.py [--runs N] [--quick]``). Every
comparison alternates its contenders within one run and reports medians of
``--runs`` timings (default 5) after a warm-up, so the ratios hold on a shared,
noisy machine. Results go to benchmarks/RESULTS.md. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import compileall
import http.client
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHAPTER = "from-five-year-plan-to-the-purges"
PY = sys.executable


def pandoc() -> str:
    import pypandoc

    return pypandoc.get_pandoc_path()


# Runs a command from a small process and reports its time and peak resident set. Linux keeps a
# process's peak RSS across exec, so a command forked straight from this (large) benchmark process
# would report at least this process's size; forked from the small helper, it reports its own.
_MEASURE = """
import os, sys, time
started = time.perf_counter()
pid = os.fork()
if pid == 0:
    os.execv(sys.argv[1], sys.argv[1:])
_, status, usage = os.wait4(pid, 0)
seconds = time.perf_counter() - started
sys.stderr.write(f"\\n@measured {seconds} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)} "
                 f"{usage.ru_utime + usage.ru_stime}\\n")
"""


def run_measured(cmd: list[str], env: dict | None = None) -> tuple[float, int, str]:
    """(seconds, peak resident set in KiB, standard output) of a command in a fresh process. The
    peak is the largest of the process and the children it waited for (the cover's, the PDF's)."""
    process = subprocess.run([PY, "-c", _MEASURE, *cmd], env=env, capture_output=True, check=False)
    err = process.stderr.decode()
    head, _, measured = err.rstrip().rpartition("\n@measured ")
    seconds, rss, code, cpu = measured.split()
    if int(code) != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{head}")
    CPU_SECONDS.append(float(cpu))
    return float(seconds), int(rss), process.stdout.decode()


# The CPU time (user + system) of each command run_measured ran, in order: on a shared machine the
# wall time of a short command varies with the neighbours' load far more than its CPU time does.
CPU_SECONDS: list[float] = []


def cpu_of(cmd: list[str], env: dict | None = None) -> float:
    """The CPU seconds of one run of ``cmd`` (see :data:`CPU_SECONDS`)."""
    run_measured(cmd, env)
    return CPU_SECONDS[-1]


def alternate(contenders: dict[str, callable], runs: int) -> dict[str, list[float]]:
    """Run each contender once to warm up, then ``runs`` rounds taking turns; the timings of each."""
    for fn in contenders.values():
        fn()
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(runs):
        for name, fn in contenders.items():
            times[name].append(fn())
    return times


def median(values: list[float]) -> float:
    return statistics.median(values)


def make_book(target: Path, chapters: int, page_numbers: bool = False) -> Path:
    """The sample book with its chapter repeated ``chapters`` times, each copy with its own
    file (so its own ids) and its own citation keys (so a bibliography entry per copy)."""
    manuscript = target / "manuscript"
    manuscript.mkdir(parents=True)
    shutil.copytree(ROOT / "styles", target / "styles")
    text = (ROOT / "manuscript" / f"{CHAPTER}.md").read_text(encoding="utf-8")
    refs = json.loads((ROOT / "manuscript" / "bibliography.json").read_text(encoding="utf-8"))
    files, all_refs = [], []
    for n in range(1, chapters + 1):
        suffix = "" if n == 1 else f"-c{n}"
        body = re.sub(r"@([\w][\w:.#$%&+?<>~/-]*?)(?=[,\];\s])", lambda m: f"@{m.group(1)}{suffix}", text)
        name = f"chapter-{n:02d}.md"
        (manuscript / name).write_text(body, encoding="utf-8")
        files.append(name)
        all_refs += [{**ref, "id": ref["id"] + suffix} for ref in refs]
    (manuscript / "bibliography.json").write_text(json.dumps(all_refs, indent=1), encoding="utf-8")
    shutil.copyfile(ROOT / "manuscript" / "index.toml", manuscript / "index.toml")
    config = (ROOT / "manuscript" / "book.toml").read_text(encoding="utf-8")
    config = re.sub(r'body = \[[^\]]*\]', "body = " + json.dumps(files), config)
    config = re.sub(r"print_page_numbers = \w+", f"print_page_numbers = {str(page_numbers).lower()}", config)
    (manuscript / "book.toml").write_text(config, encoding="utf-8")
    return target


def make_long_book(target: Path, parts: int = 4, sections: int | None = None) -> Path:
    """A long book of parts and chapters: the sample chapter's sections (``## ``) each made a chapter
    (``sections``: the first so many; default all 16), the whole repeated as ``parts`` parts (the
    issue 18 book: 4 parts, 64 chapters, about 340 pages). Citations and index as the sample's."""
    manuscript = target / "manuscript"
    manuscript.mkdir(parents=True)
    shutil.copytree(ROOT / "styles", target / "styles")
    text = (ROOT / "manuscript" / f"{CHAPTER}.md").read_text(encoding="utf-8")
    pieces = re.split(r"^## ", text, flags=re.M)[1:]
    pieces = pieces[:sections] if sections else pieces
    body = []
    for n in range(1, parts + 1):
        files = []
        for k, piece in enumerate(pieces, 1):
            name = f"part-{n}-chapter-{k:02d}.md"
            # a note's label is its own within a chapter (pressroom.notes): each copy keeps its labels
            (manuscript / name).write_text("# " + piece, encoding="utf-8")
            files.append(name)
        body.append({"part": f"Part {n}", "chapters": files})
    shutil.copyfile(ROOT / "manuscript" / "bibliography.json", manuscript / "bibliography.json")
    shutil.copyfile(ROOT / "manuscript" / "index.toml", manuscript / "index.toml")
    config = (ROOT / "manuscript" / "book.toml").read_text(encoding="utf-8")
    parts_toml = ", ".join("{ part = %s, chapters = %s }" % (json.dumps(b["part"]), json.dumps(b["chapters"]))
                           for b in body)
    config = re.sub(r'body = \[[^\]]*\]', lambda m: f"body = [{parts_toml}]", config)
    (manuscript / "book.toml").write_text(config, encoding="utf-8")
    return target


def ours(book: Path, fmt: str, *extra: str) -> list[str]:
    return [PY, "-m", "pressroom", "build", "--book", str(book), "--format", fmt, *extra]


def pandoc_epub(book: Path, out: Path) -> list[str]:
    chapters = sorted((book / "manuscript").glob("*.md"))
    chapters = [c for c in chapters if c.name != "corrections.md"]
    return [pandoc(), *map(str, chapters), "-f", "markdown", "-o", str(out), "--citeproc",
            "--bibliography", str(book / "manuscript" / "bibliography.json"), "--csl", str(book / "styles" / "house.csl"),
            "--metadata", "title=Russia: From Revolution to Counter-revolution", "--metadata", "lang=en-GB"]


def bench_epub(work: Path, runs: int) -> dict:
    """pandoc's EPUB has no print page numbers: the like-for-like build turns them off; the build as
    shipped (which lays the print edition out for its page-list) is measured beside it."""
    book = make_book(work / "epub-book", 1)
    paged = make_book(work / "epub-paged", 1, page_numbers=True)
    out = work / "pandoc.epub"

    def first_build() -> float:
        # The first build on a machine: no book cache, and not even Pressroom's own templates compiled
        # yet (they are kept in the user's cache folder, as Python keeps __pycache__).
        shutil.rmtree(book / ".cache", ignore_errors=True)
        fresh = work / "fresh-user-cache"
        shutil.rmtree(fresh, ignore_errors=True)
        return run_measured(ours(book, "epub", "--no-cache"), env={**os.environ, "XDG_CACHE_HOME": str(fresh)})[0]

    times = alternate({
        "pressroom": lambda: run_measured(ours(book, "epub", "--no-cache"))[0],
        "pandoc": lambda: run_measured(pandoc_epub(book, out))[0],
        "first": first_build,
        "paged": lambda: run_measured(ours(paged, "epub", "--no-cache"))[0],
        "pressroom cpu": lambda: cpu_of(ours(book, "epub", "--no-cache")),
        "pandoc cpu": lambda: cpu_of(pandoc_epub(book, out)),
    }, runs)
    return {"ours": median(times["pressroom"]), "pandoc": median(times["pandoc"]), "paged": median(times["paged"]),
            "first": median(times["first"]), "ours cpu": median(times["pressroom cpu"]),
            "pandoc cpu": median(times["pandoc cpu"]), "runs": times}


def bench_pdf(work: Path, runs: int) -> dict:
    book = make_book(work / "pdf-book", 1)
    sys.path.insert(0, str(ROOT / "src"))
    from pressroom.build import prepare_book
    from pressroom.layout import lay_out
    from pressroom.print_html import render_html

    finished = prepare_book(book)
    html = work / "ours.html"
    # The whole book as one HTML document, with its final numbers: what a single-pass renderer would be handed.
    layout = lay_out(finished)
    html.write_text(render_html(finished, mode="book", toc_pages=dict(layout.contents),
                                page_refs={k: list(v) for k, v in layout.cited},
                                index_refs={k: list(v) for k, v in layout.index}), encoding="utf-8")
    bare = [PY, "-c", "import sys, weasyprint; weasyprint.HTML(filename=sys.argv[1], base_url=sys.argv[2])"
            ".write_pdf(sys.argv[3])", str(html), str(book), str(work / "bare.pdf")]
    # The exact documents Pressroom hands WeasyPrint: it lays out the text, the back matter and the
    # front matter in three passes so that every page reference is exact. Bare WeasyPrint renders the
    # three and writes all their pages as one PDF.
    passes = [str(path) for path in _pdf_passes(finished, work)]
    bare_passes = [PY, "-c", "import sys, weasyprint\n"
                   "docs = [weasyprint.HTML(filename=f, base_url=sys.argv[1]).render() for f in sys.argv[3:]]\n"
                   "docs[0].copy([p for d in docs for p in d.pages]).write_pdf(sys.argv[2])",
                   str(book), str(work / "bare-passes.pdf"), *passes]
    pandoc_html = work / "pandoc.html"
    to_html = pandoc_epub(book, pandoc_html)
    to_html[to_html.index("-o") + 1] = str(pandoc_html)
    to_html += ["-s", "-t", "html5"]
    weasy = [PY, "-c", "import sys, weasyprint; weasyprint.HTML(filename=sys.argv[1]).write_pdf(sys.argv[2])",
             str(pandoc_html), str(work / "pandoc.pdf")]

    def pandoc_weasyprint() -> float:
        return run_measured(to_html)[0] + run_measured(weasy)[0]

    times = alternate({
        "pressroom": lambda: run_measured(ours(book, "pdf", "--no-cache"))[0],
        "bare WeasyPrint on our HTML": lambda: run_measured(bare_passes)[0],
        "bare WeasyPrint on our HTML, one document": lambda: run_measured(bare)[0],
        "pandoc HTML + WeasyPrint": pandoc_weasyprint,
    }, runs)
    return {name: median(values) for name, values in times.items()}


def _pdf_passes(book, work: Path) -> list[Path]:
    """The HTML of each WeasyPrint pass of a PDF build, as files, caught on their way in."""
    from pressroom.adapters import weasyprint as adapter
    from pressroom.layout import lay_out

    files: list[Path] = []
    render = adapter.render

    def caught(html: str, base_url: str):
        files.append(work / f"pass-{len(files) + 1}.html")
        files[-1].write_text(html, encoding="utf-8")
        return render(html, base_url)

    adapter.render = caught
    try:
        lay_out(book)
    finally:
        adapter.render = render
    return files


PHASES = r"""
import json, sys, time
started = time.perf_counter()
import weasyprint
imported = time.perf_counter()
from pathlib import Path
from pressroom.build import prepare_book
from pressroom.writers import WriteOptions
from pressroom.writers import pdf
from pressroom.layout import lay_out
book = prepare_book(Path(sys.argv[1]))
prepared = time.perf_counter()
renders, render = [], weasyprint.HTML.render
def timed_render(self, *args, **kwargs):
    t = time.perf_counter()
    document = render(self, *args, **kwargs)
    renders.append(time.perf_counter() - t)
    return document
weasyprint.HTML.render = timed_render
layout = lay_out(book)
laid_out = time.perf_counter()
pdf.write_pdf(book, layout, WriteOptions())
written = time.perf_counter()
print(json.dumps({"import WeasyPrint": imported - started, "read and finish the book": prepared - imported,
                  "lay out the text": renders[0], "lay out the back matter": renders[1],
                  "lay out the front matter": renders[2],
                  "ours between the passes": laid_out - prepared - sum(renders),
                  "draw and write the PDF": written - laid_out}))
"""


def bench_pdf_phases(work: Path, runs: int) -> dict:
    """Where a PDF build's time goes (a fresh process per run; medians)."""
    book = make_book(work / "phases-book", 1)
    samples = [json.loads(run_measured([PY, "-c", PHASES, str(book)])[2]) for _ in range(runs + 1)][1:]
    return {name: median([sample[name] for sample in samples]) for name in samples[0]}


def bench_preview(work: Path, runs: int) -> dict:
    """Seconds from writing the chapter file to the reload event reaching a connected client, and to
    the new text being in the page shown in Chromium (its DOM changed, then the next frame painted)."""
    book = make_book(work / "preview-book", 1)
    chapter = book / "manuscript" / "chapter-01.md"
    original = chapter.read_text(encoding="utf-8")
    server = subprocess.Popen([PY, "-m", "pressroom", "preview", "--book", str(book), "--port", "0", "--no-open"],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        port = int(re.search(r":(\d+)/", server.stdout.readline()).group(1))
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", "/__events")
        stream = connection.getresponse()

        def next_state() -> dict:
            while True:
                line = stream.fp.readline().decode()
                if line.startswith("data: "):
                    return json.loads(line[6:])

        state = next_state()
        latencies = []
        words = ["grovelling", "pandering"]
        for n in range(runs + 1):
            time.sleep(0.6)  # let the watcher settle between saves
            started = time.perf_counter()
            chapter.write_text(original.replace("pandering", words[n % 2], 1), encoding="utf-8")
            new = next_state()
            while new["version"] == state["version"]:
                new = next_state()
            latencies.append(time.perf_counter() - started)
            state = new
        connection.close()
        chapter.write_text(original, encoding="utf-8")
        time.sleep(1)
        visible = _visible_in_browser(f"http://127.0.0.1:{port}/chapter/chapter-01", chapter, original, runs)
        return {"latency": median(latencies[1:]), "runs": latencies[1:],
                "visible": median(visible[1:]), "visible runs": visible[1:]}
    finally:
        server.terminate()
        server.wait(timeout=20)


# In the page: when the main text first contains the word, the time of the next painted frame (ms since the epoch).
_WATCH = """word => new Promise(resolve => {
  const seen = () => document.querySelector('main').textContent.includes(word);
  const observer = new MutationObserver(() => {
    if (seen()) { observer.disconnect(); requestAnimationFrame(() => resolve(performance.timeOrigin + performance.now())); }
  });
  observer.observe(document.body, {childList: true, subtree: true, characterData: true});
  window.__pressroomWatching = true;
})"""


def _visible_in_browser(url: str, chapter: Path, original: str, runs: int) -> list[float]:
    """Seconds from each save to its new words painted in Chromium (the page stays open, as an author's does)."""
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        page = browser.new_page()
        page.goto(url)
        page.wait_for_timeout(500)  # the event stream is connected
        for n in range(runs + 1):
            word = f"grovelling{n}x"
            seen = page.evaluate_handle(_WATCH, word)  # the watch is set before the save
            time.sleep(0.6)
            saved = time.time() * 1000
            chapter.write_text(original.replace("pandering", word, 1), encoding="utf-8")
            painted = page.evaluate("p => p", seen)
            times.append((painted - saved) / 1000)
        browser.close()
    return times


def run_tree_measured(cmd: list[str]) -> tuple[float, dict[str, int]]:
    """(seconds, peaks in KiB) of a command in a fresh process, its resident memory sampled every
    20 ms from /proc with every process it starts (the layout's workers): the largest of the
    command itself ("driver"), of any one other process but pandoc ("one worker": a layout worker), of
    pandoc (the citations' process) and of all together ("in all")."""
    import threading

    started = time.perf_counter()
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1000000000"}  # so that undoing an edit can give the same bytes
    process = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    peaks = {"driver": 0, "one worker": 0, "pandoc": 0, "in all": 0}

    def name(pid: int) -> str:
        try:
            return Path(f"/proc/{pid}/comm").read_text().strip()
        except OSError:
            return ""
    finished = threading.Event()

    def rss(pid: int) -> int:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
        except OSError:
            pass
        return 0

    def children(pid: int) -> list[int]:
        found = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                if int(fields[1]) == pid:
                    found.append(int(entry.name))
        return found

    def sample() -> None:
        while not finished.wait(0.02):
            tree, todo = [], [process.pid]
            while todo:
                pid = todo.pop()
                tree.append(pid)
                todo += children(pid)
            sizes = {pid: rss(pid) for pid in tree}
            peaks["driver"] = max(peaks["driver"], sizes.get(process.pid, 0))
            others = {pid: size for pid, size in sizes.items() if pid != process.pid}
            pandoc = {pid for pid in others if name(pid) == "pandoc"}
            peaks["one worker"] = max([peaks["one worker"], *(v for k, v in others.items() if k not in pandoc)])
            peaks["pandoc"] = max([peaks["pandoc"], *(others[k] for k in pandoc)])
            peaks["in all"] = max(peaks["in all"], sum(sizes.values()))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    seconds = time.perf_counter() - started
    finished.set()
    sampler.join()
    if process.returncode:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{err.decode()}")
    return seconds, peaks


def bench_units(work: Path, runs: int) -> dict:
    """Issue 18: the long book (make_long_book) laid out by unit. Cold PDF builds with 1, 2 and 4
    workers and as one document, alternating; a rebuild after a one-word edit in one chapter against
    a cold build; undoing the edit gives the first build's bytes; the file sizes."""
    from pypdf import PdfReader

    book = make_long_book(work / "long-book")
    pdf = None
    contenders = {f"--jobs {n}": ["--jobs", str(n)] for n in (1, 2, 4)}
    contenders["one document"] = ["--one-document"]
    times: dict[str, list[float]] = {name: [] for name in contenders}
    peaks: dict[str, dict[str, int]] = {}
    sizes: dict[str, int] = {}
    runs = max(1, min(runs, 3))
    for _ in range(runs):
        for name, extra in contenders.items():
            seconds, peak = run_tree_measured(ours(book, "pdf", "--no-cache", *extra))
            times[name].append(seconds)
            peaks[name] = {k: max(v, peaks.get(name, {}).get(k, 0)) for k, v in peak.items()}
            pdf = next((book / "dist").glob("*.pdf"))
            sizes[name] = pdf.stat().st_size
    pages = len(PdfReader(str(pdf)).pages)
    # Incremental: a cold build with the cache, one word changed in one chapter, the rebuild, the undo.
    chapter = book / "manuscript" / "part-3-chapter-05.md"
    original = chapter.read_text(encoding="utf-8")
    colds = []
    for _ in range(runs):  # a cold build with the cache: the cache emptied first (the last one fills it)
        shutil.rmtree(book / ".cache", ignore_errors=True)
        colds.append(run_tree_measured(ours(book, "pdf"))[0])
    cold = median(colds)
    first = pdf.read_bytes()
    edits, undone_same = [], []
    for n in range(runs):
        chapter.write_text(original.replace(" the ", f" teh{n} ", 1), encoding="utf-8")
        edits.append(run_tree_measured(ours(book, "pdf"))[0])
        chapter.write_text(original, encoding="utf-8")
        run_tree_measured(ours(book, "pdf"))
        undone_same.append(pdf.read_bytes() == first)
    medians = {name: median(values) for name, values in times.items()}
    return {"pages": pages, "chapters": 64, "cold": medians, "peaks KiB": peaks, "bytes": sizes,
            "cold with the cache": cold, "rebuild after a one-word edit": median(edits),
            "undo gives the first bytes": all(undone_same)}


def bench_scale(work: Path, runs: int, sizes: list[int]) -> list[dict]:
    rows = []
    for size in sizes:
        book = make_book(work / f"scale-{size}", size)
        results = {}
        for fmt in ("epub", "pdf"):
            samples = []
            for _ in range(runs + 1):
                seconds, rss, out = run_measured(ours(book, fmt, "--no-cache"))
                samples.append((seconds, rss, out))
            samples = samples[1:]
            pages = int(re.search(r"(\d+) pages", samples[0][2]).group(1)) if fmt == "pdf" else 0
            results[fmt] = {"seconds": median([s[0] for s in samples]), "rss_mib": max(s[1] for s in samples) / 1024,
                            "pages": pages}
        rows.append({"chapters": size, **results})
    return rows


def bench_incremental(work: Path, runs: int, size: int) -> dict:
    book = make_book(work / f"incremental-{size}", size)
    chapter = book / "manuscript" / "chapter-01.md"
    original = chapter.read_text(encoding="utf-8")
    cold, warm = [], []
    words = ["grovelling", "pandering"]
    run_measured(ours(book, "epub"))
    for n in range(runs):
        shutil.rmtree(book / ".cache", ignore_errors=True)
        cold.append(run_measured(ours(book, "epub"))[0])  # empty cache: a cold build (and fills the cache)
        chapter.write_text(original.replace("pandering", words[n % 2], 1), encoding="utf-8")
        warm.append(run_measured(ours(book, "epub"))[0])  # one chapter changed
    return {"cold": median(cold), "incremental": median(warm), "chapters": size}


def bench_citations(work: Path, runs: int, sizes: list[int]) -> list[dict]:
    """The citation step alone (pandoc's citeproc over every citation of the book, one call), in
    this process, on the shipped book and on the largest scale book: cold (no memo), after a
    one-chapter edit that changes no citation (the memo answers: pandoc is not run), and after an
    edit of one citation's locator (pandoc runs again, over the whole book)."""
    sys.path.insert(0, str(ROOT / "src"))
    from pressroom import citations
    from pressroom.memo import Memo
    from pressroom.pipeline import prepare_book

    rows = []
    for size in sorted({1, sizes[-1]}):
        book = make_book(work / f"citations-{size}", size)
        chapter = book / "manuscript" / "chapter-01.md"
        original = chapter.read_text(encoding="utf-8")
        spent: list[float] = []
        real = citations.print_citations

        def timed(*args, **kwargs):
            start = time.perf_counter()
            try:
                return real(*args, **kwargs)
            finally:
                spent.append(time.perf_counter() - start)

        citations.print_citations = timed
        import pressroom.pipeline as pipeline

        pipeline.print_citations = timed
        cold, text_edit, cite_edit, counts = [], [], [], []
        try:
            for n in range(runs + 1):
                memo = Memo()
                spent.clear()
                prepare_book(book, memo)
                cold.append(sum(spent))
                chapter.write_text(original.replace("pandering", ["grovelling", "pandering"][n % 2], 1), encoding="utf-8")
                memo.next_round()
                spent.clear()
                start = time.perf_counter()
                prepare_book(book, memo)
                text_edit.append(time.perf_counter() - start)
                counts.append(len(spent))
                chapter.write_text(re.sub(r"p\. 38\]", "p. 37]", original, count=1), encoding="utf-8")
                memo.next_round()
                spent.clear()
                prepare_book(book, memo)
                cite_edit.append(sum(spent))
                chapter.write_text(original, encoding="utf-8")
        finally:
            citations.print_citations = pipeline.print_citations = real
        cites = len(prepare_book(book).citations())
        rows.append({"chapters": size, "citations": cites, "cold": median(cold[1:]),
                     "text_edit_rebuild": median(text_edit[1:]), "pandoc_runs_after_text_edit": max(counts),
                     "citation_edit": median(cite_edit[1:])})
    return rows


HUGE_TEXT_MB = (1, 4, 16)
HUGE_NOTES = (5_000, 20_000, 80_000)


def make_huge_book(target: Path, kind: str, size: int) -> Path:
    """A one-chapter book of ``size`` MB of text (``kind`` "text") or of ``size`` notes ("notes"),
    EPUB only with print page numbers off: what issue 19 measured (a 20 MB chapter, 100,000 notes)."""
    manuscript = target / "manuscript"
    manuscript.mkdir(parents=True, exist_ok=True)
    (manuscript / "book.toml").write_text(
        '[book]\ntitle = "Huge"\nauthor = "Ann Author"\nlanguage = "en-GB"\n'
        'identifier = "urn:uuid:00000000-0000-4000-8000-000000000009"\n'
        '[contents]\nbody = ["huge.md"]\n[epub]\nprint_page_numbers = false\n', encoding="utf-8")
    sentence = ("The plan was announced in the spring, and by the autumn the factories were working three "
                "shifts; nobody in the ministry could say where the coal would come from. ")
    lines = ["# A huge chapter", ""]
    if kind == "text":
        total, n = 0, 0
        while total < size * 1_000_000:
            n += 1
            paragraph = f"Paragraph {n}. " + sentence * 4
            lines += [paragraph, ""]
            total += len(paragraph) + 2
    else:
        lines += [line for n in range(1, size + 1) for line in (f"Sentence {n} has a note.[^n{n}]", "")]
        lines += [line for n in range(1, size + 1) for line in (f"[^n{n}]: Note {n} says little.", "")]
    (manuscript / "huge.md").write_text("\n".join(lines), encoding="utf-8")
    return target


def bench_huge(work: Path) -> dict:
    """One cold EPUB build per size (they are long): seconds and peak memory, and the cost per unit,
    which stays flat when the cost is linear in the book."""
    rows = {}
    for kind, sizes in (("text", HUGE_TEXT_MB), ("notes", HUGE_NOTES)):
        for size in sizes:
            book = make_huge_book(work / f"huge-{kind}-{size}", kind, size)
            seconds, rss, _ = run_measured(ours(book, "epub", "--no-cache"))
            rows[f"{kind}-{size}"] = {"kind": kind, "size": size, "seconds": seconds, "rss_mib": rss / 1024}
    return rows


def machine() -> str:
    def version(cmd):
        try:
            return subprocess.run(cmd, capture_output=True, text=True).stdout.split("\n")[0].strip()
        except OSError:
            return "?"

    import weasyprint

    memory = next((l.split()[1] for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal")),
                  "?")
    return (f"{os.cpu_count()} cores, {int(memory) // 1024 // 1024} GiB memory, {platform.platform()}; "
            f"Python {platform.python_version()}, WeasyPrint {weasyprint.__version__}, "
            f"{version([pandoc(), '--version'])}")


SUBSETS = {
    "epub": lambda work, runs, sizes: bench_epub(work, runs),
    "pdf": lambda work, runs, sizes: bench_pdf(work, runs),
    "phases": lambda work, runs, sizes: bench_pdf_phases(work, runs),
    "preview": lambda work, runs, sizes: bench_preview(work, runs),
    "scale": lambda work, runs, sizes: bench_scale(work, runs, sizes),
    "incremental": lambda work, runs, sizes: bench_incremental(work, runs, sizes[-1]),
    "huge": lambda work, runs, sizes: bench_huge(work),
    "citations": bench_citations,
    "units": lambda work, runs, sizes: bench_units(work, runs),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="timed runs per contender (after one warm-up)")
    parser.add_argument("--quick", action="store_true", help="scale up to 4 chapters only (a trial run)")
    parser.add_argument("--output", type=Path, default=ROOT / "benchmarks" / "RESULTS.md")
    parser.add_argument("--only", nargs="+", choices=sorted(SUBSETS),
                        help="run only these benchmarks and print their numbers (RESULTS.md is left alone)")
    args = parser.parse_args()
    sizes = [1, 4] if args.quick else [1, 4, 16]
    # Bytecode for Pressroom's sources as they are now. Where PYTHONDONTWRITEBYTECODE is set (as on
    # these machines), a source changed since the install was compiled again by every timed run:
    # 46 modules, about 0.1 s of a 0.4 s EPUB build, which no user's second run pays.
    compileall.compile_dir(ROOT / "src", quiet=1)
    if args.only:
        with tempfile.TemporaryDirectory(prefix="pressroom-bench-") as tmp:
            for name in args.only:
                print(name, json.dumps(SUBSETS[name](Path(tmp), args.runs, sizes), default=str), flush=True)
        return
    with tempfile.TemporaryDirectory(prefix="pressroom-bench-") as tmp:
        work = Path(tmp)
        print("EPUB against pandoc…", flush=True)
        epub = bench_epub(work, args.runs)
        print("PDF against bare WeasyPrint and pandoc + WeasyPrint…", flush=True)
        pdf = bench_pdf(work, args.runs)
        pdf["phases"] = bench_pdf_phases(work, args.runs)
        print("preview save-to-reload…", flush=True)
        preview = bench_preview(work, args.runs)
        print("scale…", flush=True)
        scale = bench_scale(work, args.runs, sizes)
        print("incremental…", flush=True)
        incremental = bench_incremental(work, args.runs, sizes[-1])
        print("huge inputs…", flush=True)
        huge = bench_huge(work)
        print("the citation step…", flush=True)
        cites = bench_citations(work, args.runs, sizes)
        print("a long book by unit (issue 18)…", flush=True)
        units = bench_units(work, args.runs)
    report = render(args, epub, pdf, preview, scale, incremental, huge) + render_citations(cites) + render_units(units)
    args.output.write_text(report, encoding="utf-8")
    print(report)


def render_units(result: dict) -> str:
    """The RESULTS.md section of :func:`bench_units`."""
    cold = result["cold"]
    one = cold["--jobs 1"]
    lines = ["", f"## Issue 18: a long book laid out by unit ({result['pages']} pages, {result['chapters']} chapters)", "",
             "PDF, cold (`--no-cache`), medians of alternating runs; peaks of resident memory sampled every 20 ms "
             "over the build and its workers:", "",
             "| build | s | ÷ --jobs 1 | driver MiB | one worker MiB | pandoc MiB | in all MiB | bytes | ÷ one document |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for name, seconds in cold.items():
        peak = result["peaks KiB"][name]
        lines.append(f"| {name} | {seconds:.2f} | {seconds / one:.2f} | {peak['driver'] / 1024:.0f} | "
                     f"{peak['one worker'] / 1024:.0f} | {peak.get('pandoc', 0) / 1024:.0f} | "
                     f"{peak['in all'] / 1024:.0f} | {result['bytes'][name]} | "
                     f"{result['bytes'][name] / result['bytes']['one document']:.3f} |")
    rebuild, base = result["rebuild after a one-word edit"], result["cold with the cache"]
    lines += ["", f"Rebuild after a one-word edit in one chapter (default jobs, with the cache): {rebuild:.2f} s, "
              f"**{rebuild / base:.0%}** of a cold build with the cache (median, {base:.2f} s). Undoing the edit gives the "
              f"first build's bytes: {'yes' if result['undo gives the first bytes'] else 'NO'}.", ""]
    return "\n".join(lines)


def render_citations(rows: list[dict]) -> str:
    """The RESULTS.md section of :func:`bench_citations`."""
    lines = ["", "## The citation step (pandoc's citeproc, one call per book)", "",
             "In one process, medians; the step alone, from the driver's inputs to the printed citations.", "",
             "| book | citations | cold s | after a one-chapter edit that changes no citation (whole rebuild, s) "
             "| pandoc runs then | after one citation's edit s |",
             "| --- | --- | --- | --- | --- | --- |"]
    for row in rows:
        lines.append(f"| {row['chapters']} chapter(s) | {row['citations']} | {row['cold']:.2f} | "
                     f"{row['text_edit_rebuild']:.2f} | {row['pandoc_runs_after_text_edit']} | "
                     f"{row['citation_edit']:.2f} |")
    return "\n".join(lines) + "\n"


def render(args, epub, pdf, preview, scale, incremental, huge) -> str:
    ours_pdf = pdf["pressroom"]
    bare = pdf["bare WeasyPrint on our HTML"]
    pandoc_wp = pdf["pandoc HTML + WeasyPrint"]
    per_page = [row["pdf"]["seconds"] / row["pdf"]["pages"] for row in scale]
    spread = max(per_page) / min(per_page) - 1
    lines = [
        "# Benchmark results",
        "",
        f"Produced by `python benchmarks/run.py --runs {args.runs}{' --quick' if args.quick else ''}` "
        f"(`make bench`) on {time.strftime('%Y-%m-%d')}.",
        f"Machine: {machine()}.",
        f"Medians of {args.runs} runs after a warm-up, contenders alternating; every build a fresh process.",
        "",
        "## EPUB, cold process (sample book)",
        "",
        "| contender | median s | |",
        "| --- | --- | --- |",
        f"| `pressroom build --format epub --no-cache` (`print_page_numbers = false`, like pandoc) | "
        f"{epub['ours']:.2f} | |",
        f"| pandoc --citeproc → EPUB | {epub['pandoc']:.2f} | |",
        f"| ratio ours / pandoc | **{epub['ours'] / epub['pandoc']:.2f}** | target ≤ 0.50 |",
        f"| the same, the first build on a machine (Pressroom's own templates compiled as well) | {epub['first']:.2f} | "
        f"{epub['first'] / epub['pandoc']:.2f} × pandoc |",
        f"| as shipped: with the print edition's page-list, laid out cold | {epub['paged']:.2f} | "
        f"{epub['paged'] / epub['pandoc']:.2f} × pandoc |",
        f"| CPU time (user + system), ours / pandoc: {epub['ours cpu']:.2f} s / {epub['pandoc cpu']:.2f} s | "
        f"**{epub['ours cpu'] / epub['pandoc cpu']:.2f}** | less sensitive to a shared machine's load |",
        "",
        "## PDF (sample book)",
        "",
        "| contender | median s |",
        "| --- | --- |",
        f"| `pressroom build --format pdf --no-cache` | {ours_pdf:.2f} |",
        f"| bare WeasyPrint on the HTML Pressroom hands it (text, back matter, front matter; all pages written) "
        f"| {bare:.2f} |",
        f"| bare WeasyPrint on the whole book as one HTML document, one pass | "
        f"{pdf['bare WeasyPrint on our HTML, one document']:.2f} |",
        f"| pandoc HTML (with citeproc) + WeasyPrint | {pandoc_wp:.2f} |",
        f"| ratio ours / bare WeasyPrint on the HTML Pressroom hands it | **{ours_pdf / bare:.2f}** (target ≤ 1.10) |",
        f"| ratio ours / bare WeasyPrint on the one document | "
        f"{ours_pdf / pdf['bare WeasyPrint on our HTML, one document']:.2f} |",
        f"| ratio ours / pandoc + WeasyPrint | **{ours_pdf / pandoc_wp:.2f}** (target ≤ 1.00) |",
        "",
        "Where the time of a PDF build goes, the steps timed one after the other in one process (medians):",
        "",
        "| phase | s |",
        "| --- | --- |",
        *(f"| {name} | {seconds:.2f} |" for name, seconds in pdf["phases"].items()),
        "",
        "## Preview: save to reload event, and to the new text in the page",
        "",
        f"Median **{preview['latency'] * 1000:.0f} ms** from writing the chapter file to the reload event on a "
        f"connected event-stream client; runs: "
        + ", ".join(f"{v * 1000:.0f}" for v in preview["runs"]) + " ms.",
        f"Median **{preview['visible'] * 1000:.0f} ms** from writing the chapter file to the new words painted in "
        f"the page open in Chromium (target ≤ 300 ms; the page swaps the new render in place); runs: "
        + ", ".join(f"{v * 1000:.0f}" for v in preview["visible runs"]) + " ms.",
        "",
        "## Scale (the sample chapter repeated with fresh ids and citation keys)",
        "",
        "| chapters | EPUB s | EPUB peak MiB | PDF s | PDF pages | PDF s/page | PDF peak MiB |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in scale:
        lines.append(
            f"| {row['chapters']} | {row['epub']['seconds']:.2f} | {row['epub']['rss_mib']:.0f} | "
            f"{row['pdf']['seconds']:.2f} | {row['pdf']['pages']} | "
            f"{row['pdf']['seconds'] / row['pdf']['pages']:.3f} | {row['pdf']['rss_mib']:.0f} |")
    lines += [
        "",
        f"Time per page varies by {spread * 100:.0f}% from the fastest to the slowest size (target within ±25%).",
        "Peak memory is the largest resident set of the build process and of the processes it waits for (the cover's), "
        "from wait4 in a small helper process that starts the build.",
        "",
        f"## Incremental EPUB ({incremental['chapters']} chapters, one changed)",
        "",
        f"Cold build (empty cache) {incremental['cold']:.2f} s; after one chapter changed "
        f"{incremental['incremental']:.2f} s: **{incremental['incremental'] / incremental['cold'] * 100:.0f}%** "
        "of the cold build (target ≤ 30%).",
        "",
        "## Huge inputs (one chapter, EPUB, print page numbers off, one cold run each)",
        "",
        "| input | s | peak MiB | s per unit |",
        "| --- | --- | --- | --- |",
        *(f"| {row['size']} {'MB of text' if row['kind'] == 'text' else 'notes'} | {row['seconds']:.2f} | "
          f"{row['rss_mib']:.0f} | {row['seconds'] / (row['size'] if row['kind'] == 'text' else row['size'] / 1000):.3f}"
          f" {'s/MB' if row['kind'] == 'text' else 's per 1,000 notes'} |" for row in huge.values()),
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
