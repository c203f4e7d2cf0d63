"""The ``pressroom`` command line: a thin Click layer over :mod:`pressroom.build`.

Heavy modules (EbookLib, WeasyPrint) are imported inside the commands,
so ``pressroom --help`` is instant. User mistakes (:class:`PressroomError`) are
turned into one message and an exit status here and nowhere else.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .errors import PressroomError, error_text
from .printers import NAMES as PROFILE_NAMES

BOOK_OPTION = click.option(
    "--book",
    "book",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("."),
    show_default="the current folder",
    help="The book folder: it holds manuscript/book.toml; outputs go to its dist/.",
)


INTERRUPTED = 130  # 128 + SIGINT, as shells report a command stopped by Ctrl-C


class _Group(click.Group):
    """Runs commands and reports user errors without a traceback (unless --debug)."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except PressroomError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.secho(error_text(exc), fg="red", err=True)
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            # Ctrl-C: every output is written to a temporary name and renamed when complete, and the
            # temporary file is removed on the way out; exit as a shell expects (128 + SIGINT).
            if ctx.obj and ctx.obj.get("debug"):
                raise
            click.secho("interrupted: the previous outputs are as they were", fg="red", err=True)
            ctx.exit(INTERRUPTED)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show the full traceback when something goes wrong.")
@click.version_option(package_name="pressroom")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Pressroom turns a Markdown manuscript into an EPUB 3 and a print-ready PDF.

    \b
    A book folder holds:
      manuscript/book.toml     metadata, reading order, settings
      manuscript/*.md          chapters (CommonMark, [^note] footnotes, [@key, p. 38] citations)
      manuscript/*.json        the bibliography (CSL-JSON, as Zotero exports it)
      styles/                  the citation style (CSL) and CSS added on top of the defaults
    \b
    Typical use:
      pressroom build                  # every format: dist/<book>.epub and dist/<book>.pdf
      pressroom build --format epub    # only the EPUB
      pressroom build --format pdf --profile screen   # dist/<book>-screen.pdf
      pressroom build --book ~/my-book # any book folder
    """
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


@main.command()
@BOOK_OPTION
@click.option(
    "--format",
    "formats",
    multiple=True,
    type=click.Choice(["epub", "pdf", "cover"]),
    help="Build only this format (repeatable). Default: the EPUB and the PDF, and the cover "
    "(dist/<book>-cover.pdf and -cover-proof.pdf) when the profile is a printer's (kdp, ingramspark, lulu).",
)
@click.option(
    "--profile",
    type=click.Choice(list(PROFILE_NAMES)),
    default=None,
    help="PDF profile, named for where the file goes (default: book.toml's [print] profile, else "
    "'proof'): 'proof' (dist/<book>.pdf; 'print' is its old name) has 3 mm bleed and crop marks for an "
    "offset printer; 'kdp', 'ingramspark', 'lulu' (dist/<book>-<profile>.pdf) meet that printer's rules; "
    "'screen' has links, an outline and coloured links.",
)
@click.option("--no-cache", is_flag=True,
              help="Ignore and do not update the build cache (BOOK/.cache/pressroom), which lets a rebuild "
              "redo only the chapters that changed.")
@click.option("--strict/--no-strict", default=False, envvar="PRESSROOM_STRICT", show_envvar=True,
              help="Fail (exit 1, the output not written) on a warning too, e.g. a stylesheet declaration "
              "WeasyPrint ignores.")
@click.option("--jobs", "-j", type=click.IntRange(1, 64), default=None,
              help="Worker processes laying out the print edition's chapters at once (default: one per core).")
@click.option("--by-unit/--one-document", "by_unit", default=True, show_default=True,
              help="Lay the print edition out one unit at a time (the front matter, each part title, each "
              "chapter, the back matter), which lets a rebuild lay out again only the chapters that changed "
              "and lets --jobs use every core; or as one WeasyPrint document, as before (the same pages).")
def build(book: Path, formats: tuple[str, ...], profile: str, no_cache: bool, strict: bool, jobs: int | None,
          by_unit: bool) -> None:
    """Build the book's outputs into BOOK/dist/.

    Each file is written to a temporary name and renamed when complete, so a
    failed build leaves the previous outputs as they were. Prints one summary
    line per file.
    """
    from .build import build_book

    report = _Reporter()
    try:
        build_book(book, formats or None, echo=report.echo, profile=profile, report=report, use_cache=not no_cache,
                   strict=strict, jobs=jobs, by_unit=by_unit)
    finally:
        report.clear()


@main.command()
@BOOK_OPTION
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback by default).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535),
              help="Port to listen on; 0 picks any free port.")
@click.option("--open/--no-open", "open_browser", default=True, show_default=True,
              help="Open the preview in the default browser.")
def preview(book: Path, host: str, port: int, open_browser: bool) -> None:
    """Serve the book's chapters on localhost and reload them on every save.

    \b
    Pages: the contents (/), each chapter (/chapter/<id>) with previous/next
    links, the bibliography, and a print view of each chapter (/print/<id>,
    its pages as the PDF lays them out, made when you open it).
    Editing a chapter re-renders that chapter only; a broken save shows the
    error over the page and the last good version stays. Ctrl-C stops.
    """
    import signal
    import threading

    from .config import load_config
    from .preview import serve

    load_config(book.resolve())  # a book folder with no config is a user error before anything starts
    stop = threading.Event()
    # Ctrl-C (and SIGTERM) end the watch loop, which then shuts the server down: a signal at any
    # moment, even during start-up, ends in a clean stop rather than an interrupted thread.
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    signal.signal(signal.SIGTERM, lambda *_: stop.set())

    def ready(address: str) -> None:
        click.echo(f"Previewing {book.resolve().name} at {address}  (Ctrl-C to stop)", err=False)
        sys.stdout.flush()
        if open_browser:
            import webbrowser

            webbrowser.open(address)

    try:
        serve(book, host, port, ready=ready, log=lambda line: click.echo(line, err=True), stop=stop)
    except OSError as exc:
        from .errors import UsageError

        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    click.echo("Preview stopped.", err=True)


@main.command()
@BOOK_OPTION
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too, not only on errors.")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="How to print the findings; json is for CI.")
@click.option("--lint-only", is_flag=True, help="Check the manuscript only; do not build and validate the outputs.")
def check(book: Path, strict: bool, output_format: str, lint_only: bool) -> None:
    """Check the manuscript, then build the outputs in a scratch folder and validate them.

    \b
    Each finding has a stable code (M001 unknown citation key, M002 entry never
    cited, M003/M004 footnotes, … T001 a template mistake, T002 a copied template
    whose original changed, S001 a stylesheet declaration WeasyPrint ignores,
    RSC-005 and the like from EPUBCheck, P001–P004 for the PDF), a severity, and
    the file and line. Exit status: 0 clean, 1 on errors (and on warnings with
    --strict).
    """
    import json

    from .check import check_book

    report = _Reporter(warnings=False)
    try:
        findings = check_book(book, lint_only=lint_only, report=report)
    finally:
        report.clear()
    errors = sum(f.severity == "error" for f in findings)
    warnings = sum(f.severity == "warning" for f in findings)
    if output_format == "json":
        click.echo(json.dumps({"findings": [f.as_dict() for f in findings], "errors": errors,
                               "warnings": warnings}, indent=2, ensure_ascii=False))
    else:
        for finding in findings:
            click.echo(str(finding))
        checked = "manuscript" if lint_only else "manuscript, EPUB and PDF"
        click.echo(f"{checked}: {errors} error(s), {warnings} warning(s)")
    if errors or (strict and warnings):
        sys.exit(1)


@main.command()
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--title", default="Untitled Book", show_default=True, help="The book's title.")
@click.option("--author", default="Anonymous", show_default=True, help="The author's name.")
def new(path: Path, title: str, author: str) -> None:
    """Start a new book in PATH: config, a first chapter, a bibliography, styles and templates.

    `pressroom build --book PATH` then makes a valid EPUB and a PDF straight away.
    """
    from .new import new_book

    made = new_book(path, title, author)
    click.echo(f"Created a book in {path} ({len(made)} files). Next: pressroom build --book {path}")


@main.group()
def template() -> None:
    """Pressroom's templates, which a book overrides in its templates/ folder.

    \b
    A file of the same name in BOOK/templates/ replaces a template; or extend the
    original, named with a leading "!", and override only some of its blocks:
      {% extends "!epub/chapter.xhtml.j2" %}
      {% block content %}…{{ super() }}{% endblock %}
    BOOK/templates/README.md (written by `pressroom new`) lists what each template gets.
    """


@template.command("list")
def template_list() -> None:
    """List Pressroom's templates."""
    from .templates import package_template_names

    for name in package_template_names():
        click.echo(name)


@template.command("show")
@click.argument("name")
def template_show(name: str) -> None:
    """Print Pressroom's template NAME (e.g. epub/chapter.xhtml.j2)."""
    from .templates import package_template

    click.echo(package_template(name).read_text(encoding="utf-8"), nl=False)


@template.command("copy")
@BOOK_OPTION
@click.argument("name")
@click.option("--force", is_flag=True, help="Replace the book's copy if it has one.")
def template_copy(book: Path, name: str, force: bool) -> None:
    """Copy Pressroom's template NAME into BOOK/templates/ to replace it whole.

    The copy's first line records the original's digest, so that `pressroom check`
    warns (T002) when a later Pressroom changes the original. To change one block,
    extending "!NAME" is usually better: it follows the original's other changes.
    """
    from .config import load_config
    from .errors import UsageError
    from .templates import BOOK_TEMPLATES, copy_of_template

    load_config(book.resolve())  # a book folder, not any folder
    text = copy_of_template(name)
    target = book / BOOK_TEMPLATES / name
    if target.exists() and not force:
        raise UsageError(f"{target} exists; pass --force to replace it")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    click.echo(f"Copied {name} to {target}")


class _Reporter:
    """Progress on one self-overwriting line when stderr is a terminal; warnings always; summaries on stdout."""

    def __init__(self, warnings: bool = True):
        self.live = sys.stderr.isatty()
        self.shown = False
        self.warnings = warnings  # False: the command reports them itself (check)

    def __call__(self, message) -> None:
        from .errors import Finding

        if isinstance(message, Finding):  # a warning: "file:line: warning CODE: message"
            if not self.warnings:
                return
            self.clear()
            click.secho(str(message), fg="yellow", err=True)
        elif self.live:
            click.echo(f"\r\033[K  {message}", err=True, nl=False)
            self.shown = True

    def clear(self) -> None:
        if self.shown:
            click.echo("\r\033[K", err=True, nl=False)
            self.shown = False

    def echo(self, message: str) -> None:
        self.clear()
        click.echo(message)


def run() -> None:
    """The program (``pressroom`` and ``python -m pressroom``): the command, then an immediate exit.

    Python's own shutdown frees every object one by one; after a build of a long book that is a
    tenth of a second spent on nothing. Every output is complete (written and renamed) before a
    command returns, so once the standard streams are flushed the process ends at once. A
    traceback (``--debug``) takes the usual way out.
    """
    import os

    try:
        main()
        code = 0
    except SystemExit as done:
        code = done.code
    if code is not None and not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    import atexit

    atexit._run_exitfuncs()  # what must be done at exit is (the unpacked fonts' folder removed); the rest is not
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code or 0)


if __name__ == "__main__":  # pragma: no cover
    run()
