"""The books every output check runs on: each book of the test corpus (``tests/corpus/<name>/``) and
the shipped book, each built once per test session per (format, profile) into a scratch copy."""

from __future__ import annotations

import shutil
from pathlib import Path

from epubtools import build, copy_book
from seed import ROOT

CORPUS = Path(__file__).resolve().parent / "corpus"


def book_folders() -> dict[str, Path]:
    """Name → book folder: every ``tests/corpus/*/manuscript/book.toml`` book, and "shipped"."""
    books = {config.parent.parent.name: config.parent.parent
             for config in sorted(CORPUS.glob("*/manuscript/book.toml"))}
    return {**books, "shipped": ROOT}


class BuiltBooks:
    """Builds on demand, once each: ``output(name, fmt, profile)`` is the path of the built file."""

    def __init__(self, scratch: Path):
        self.scratch = scratch
        self.folders = book_folders()
        self.built: dict[tuple[str, str, str], Path] = {}

    def folder(self, name: str) -> Path:
        """The scratch copy of the book (made once), which builds write into."""
        target = self.scratch / name
        if not target.exists():
            source = self.folders[name]
            if source == ROOT:
                copy_book(target)
            else:
                shutil.copytree(source, target, ignore=shutil.ignore_patterns("dist", ".cache"))
        return target

    def attempt(self, name: str, fmt: str, profile: str = "") -> tuple[Path | None, str]:
        """(the built file, "") or (None, the build's error message), once per book, format and profile."""
        key = (name, fmt, profile)
        if key not in self.built:
            folder = self.folder(name)
            args = ["--format", fmt] + (["--profile", profile] if profile else [])
            result = build(folder, *args)
            if result.returncode:
                self.built[key] = (None, result.stderr)
            else:
                written = [folder / line.split(":")[0] for line in result.stdout.splitlines() if line.startswith("dist/")]
                assert len(written) == 1, result.stdout
                self.built[key] = (written[0], "")
        return self.built[key]

    def output(self, name: str, fmt: str, profile: str = "") -> Path:
        """The built file; the build must succeed."""
        path, error = self.attempt(name, fmt, profile)
        assert path is not None, f"{name}: {error}"
        return path

    def any_length(self, name: str, profile: str) -> Path:
        """The PDF of a printer's profile with the printer's page-count range lifted (in this process),
        for the books of the corpus too short for any printer: every other rule still holds."""
        from dataclasses import replace

        from pressroom import printers
        from pressroom.build import build_book

        key = (name, "pdf-any-length", profile)
        if key not in self.built:
            saved = printers.PROFILES[profile]
            printers.PROFILES[profile] = replace(saved, pages=None)
            try:
                built = build_book(self.folder(name), ["pdf"], echo=lambda line: None, profile=profile,
                                   use_cache=False, dist=self.folder(name) / "dist-any-length")
            finally:
                printers.PROFILES[profile] = saved
            self.built[key] = (built[0].path, "")
        return self.built[key][0]

    def printer_pdf(self, name: str, profile: str) -> Path:
        """The PDF of a printer's profile: as built, or, when the printer refuses the book for its page
        count (the refusal checked to quote the printer's rule), built with the range lifted."""
        from pressroom import printers

        path, error = self.attempt(name, "pdf", profile)
        if path is None:
            assert printers.printer(profile).pages_rule in error and "Traceback" not in error, error
            path = self.any_length(name, profile)
        return path
