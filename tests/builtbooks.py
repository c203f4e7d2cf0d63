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

    def output(self, name: str, fmt: str, profile: str = "") -> Path:
        key = (name, fmt, profile)
        if key not in self.built:
            folder = self.folder(name)
            args = ["--format", fmt] + (["--profile", profile] if profile else [])
            result = build(folder, *args)
            assert result.returncode == 0, f"{name}: {result.stderr}"
            written = [folder / line.split(":")[0] for line in result.stdout.splitlines() if line.startswith("dist/")]
            assert len(written) == 1, result.stdout
            self.built[key] = written[0]
        return self.built[key]
