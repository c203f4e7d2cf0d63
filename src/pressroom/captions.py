"""The words of a numbered caption ("Table 3", "Figure 2"), defined once for every output.

Tables and figures are numbered through the book, from 1, in reading order (the reader counts them,
given the count of the chapters before: :func:`pressroom.markdown_reader.read_chapter`).
"""

from __future__ import annotations

LABELS = {"table": "Table", "figure": "Figure"}


def caption_label(kind: str, number: int) -> str:
    """``("table", 3)`` → ``"Table 3"``: what stands before the caption's words."""
    return f"{LABELS[kind]} {number}"
