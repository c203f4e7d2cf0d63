"""The output formats, registered by name: each writer turns a finished book into a file's bytes.

A writer is imported only when its format is built, so a plain EPUB build never
imports WeasyPrint.
"""

from __future__ import annotations

import importlib
from typing import Callable

# format → (module, function, file extension)
WRITERS: dict[str, tuple[str, str, str]] = {
    "epub": ("pressroom.writers.epub", "write_epub", "epub"),
    "pdf": ("pressroom.writers.pdf", "write_pdf", "pdf"),
}


def writer(fmt: str) -> Callable:
    module, function, _ = WRITERS[fmt]
    return getattr(importlib.import_module(module), function)
