"""The corpus of test books (``tests/corpus/<name>/``) and the shipped book, each built once per test
session into a scratch folder, with what the build printed.

A corpus book is a book folder like any other (``manuscript/``, ``styles/``, images) plus its
``golden/`` files, which are not part of the book and are not copied.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from epubtools import EPOCH
from seed import ROOT

CORPUS = Path(__file__).resolve().parent / "corpus"
SHIPPED = "shipped"
NOT_THE_BOOK = {"golden", "dist", ".cache"}

def corpus_names() -> list[str]:
    """The corpus books, by folder name, sorted."""
    return sorted(p.parent.parent.name for p in CORPUS.glob("*/manuscript/book.toml"))


def source_of(name: str) -> Path:
    return ROOT if name == SHIPPED else CORPUS / name


@dataclass(frozen=True)
class BuiltBook:
    name: str
    folder: Path  # the scratch copy that was built
    stdout: str
    stderr: str

    def output(self, suffix: str) -> Path:
        """The one file of dist/ with this suffix (".epub", ".pdf")."""
        found = sorted((self.folder / "dist").glob(f"*{suffix}"))
        assert len(found) == 1, found
        return found[0]


def copy_book(name: str, target: Path) -> Path:
    """A copy of a book folder without its golden files, outputs and cache."""
    source = source_of(name)
    names = ("manuscript", "styles") if name == SHIPPED else \
        sorted(p.name for p in source.iterdir() if p.name not in NOT_THE_BOOK)
    for entry in names:
        path = source / entry
        if path.is_dir():
            shutil.copytree(path, target / entry)
        else:
            shutil.copy2(path, target / entry)
    return target


def build_book(name: str, target: Path) -> BuiltBook:
    """Copy a book into ``target`` and build every format from nothing (``pressroom build``)."""
    folder = copy_book(name, target)
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    # The build prints every warning itself, WeasyPrint's included (S001/W001, "file:line: warning
    # CODE: message"), which test_the_build_prints_no_warning looks for; --no-strict (the tests set
    # PRESSROOM_STRICT) so that a warning fails that test, not the build every other test reads.
    result = subprocess.run([sys.executable, "-m", "pressroom", "build", "--no-strict", "--book", str(folder)],
                            capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 0, f"{name}: the build failed:\n{result.stderr}"
    return BuiltBook(name, folder, result.stdout, result.stderr)
