"""Small hand-written books for tests: make_book(tmp_path, chapters={...}) writes a book folder."""

from __future__ import annotations

import json
from pathlib import Path

CONFIG = """\
[book]
title = "A Small Book"
author = "Ann Author"
language = "en-GB"
identifier = "urn:uuid:00000000-0000-4000-8000-000000000001"
publisher = "Test Press"

[contents]
body = {body}

[bibliography]
file = "refs.json"
"""

REFS = [
    {"id": "trotsky-revolution-betrayed", "type": "book", "author": [{"family": "Trotsky", "given": "Leon"}],
     "title": "The Revolution Betrayed"},
    {"id": "nove-economic-history", "type": "book", "author": [{"family": "Nove", "given": "Alec"}],
     "title": "An Economic History of the USSR"},
]


def make_book(root: Path, chapters: dict[str, str], config: str | None = None, refs=None) -> Path:
    manuscript = root / "manuscript"
    manuscript.mkdir(parents=True, exist_ok=True)
    for name, text in chapters.items():
        (manuscript / name).write_text(text, encoding="utf-8")
    body = json.dumps(list(chapters))
    (manuscript / "book.toml").write_text(config if config is not None else CONFIG.format(body=body), encoding="utf-8")
    (manuscript / "refs.json").write_text(json.dumps(REFS if refs is None else refs, indent=2), encoding="utf-8")
    return root


def config_findings(root: Path, key: str) -> tuple[str, int]:
    """(the findings, one per line, of preparing the book at ``root``, which must fail; the line of
    ``manuscript/book.toml`` where ``key =`` stands): for tests of a bad setting's C001."""
    import pytest

    from pressroom.errors import PressroomError
    from pressroom.pipeline import prepare_book

    with pytest.raises(PressroomError) as caught:
        prepare_book(root)
    line = next(n for n, text in enumerate((root / "manuscript/book.toml").read_text().splitlines(), 1)
                if text.startswith(key))
    return "\n".join(str(f) for f in caught.value.findings), line
