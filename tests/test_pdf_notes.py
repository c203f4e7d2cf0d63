"""A note of several blocks at the foot of a printed page (issue 13): the note's source line breaks
are spaces, its paragraphs stay paragraphs, its quotations, lists and code are printed."""

import subprocess

from bookmaker import make_book
from epubtools import build

CHAPTER = """\
# Notes

A sentence with a note.[^long] And the text goes on.

[^long]: Alpha
    beta
    gamma
    delta.

    Second paragraph.

    > A quoted line.

    3. Third item
    4. Fourth item

    ```
    code line one
    code line two
    ```
"""


def test_a_note_of_several_blocks_is_printed_block_by_block(tmp_path):
    root = make_book(tmp_path / "book", {"notes.md": CHAPTER})
    result = build(root, "--format", "pdf")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    pdf = next((root / "dist").glob("*.pdf"))
    pages = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    page = next(p for p in pages if "Alpha" in p)
    lines = [" ".join(line.split()) for line in page.splitlines() if line.strip()]
    # the source's line breaks are spaces: one printed line, the marker beside it
    assert "1. Alpha beta gamma delta." in lines
    # each block on a line of its own, in order: paragraphs not run together, nothing dropped
    expected = ["Second paragraph.", "A quoted line.", "3. Third item", "4. Fourth item",
                "code line one", "code line two"]
    found = [line for line in lines if line in expected]
    assert found == expected, lines
