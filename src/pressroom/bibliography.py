"""Bibliography file (CSL-JSON, as Zotero and other reference managers export it) → references.

Every problem in the file is finding R001 at its line."""

from __future__ import annotations

import json
import re

from .errors import Finding, Location, ManuscriptError, finding
from .model import Reference

CODE = "R001"  # the bibliography file cannot be read or is wrong


def read_bibliography(data: bytes, source: str) -> tuple[Reference, ...]:
    """Parse a CSL-JSON array of items. Every item needs a unique ``id`` and a ``type``."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ManuscriptError(f"not UTF-8 text (byte {exc.start})", Location(source, line), code=CODE)
    try:
        items = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ManuscriptError(f"JSON syntax error: {exc.msg}", Location(source, exc.lineno, exc.colno),
                              code=CODE) from None
    if not isinstance(items, list):
        raise ManuscriptError("a CSL-JSON bibliography must be a list [ … ] of items", Location(source, 1), code=CODE)
    problems: list[Finding] = []
    refs: list[Reference] = []
    seen: set[str] = set()
    lines = _lines_of_ids(text)
    for n, item in enumerate(items, 1):
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not item["id"]:
            problems.append(finding(CODE, Location(source), f"item {n} needs an \"id\" "
                                    "(a string such as \"trotsky-revolution-betrayed\")"))
            continue
        key = item["id"]
        line = lines[key].pop(0) if lines.get(key) else 0
        if key in seen:
            problems.append(finding(CODE, Location(source, line), f"the id {key!r} is used twice"))
        if not isinstance(item.get("type"), str):
            problems.append(finding(CODE, Location(source, line),
                                    f"item {key!r} needs a \"type\" (\"book\", \"article-journal\"…)"))
        seen.add(key)
        refs.append(Reference(key, item, line))
    if problems:
        raise ManuscriptError(f"{len(problems)} problem(s) in the bibliography:", None, tuple(problems), code=CODE)
    return tuple(refs)


def _lines_of_ids(text: str) -> dict[str, list[int]]:
    """Each item id → the lines of its ``"id": "…"`` in the file, in order (one pass over the text)."""
    lines: dict[str, list[int]] = {}
    line, counted = 1, 0
    for match in re.finditer(r'"id"\s*:\s*("(?:[^"\\]|\\.)*")', text):
        line += text.count("\n", counted, match.start())
        counted = match.start()
        try:
            lines.setdefault(json.loads(match.group(1)), []).append(line)
        except json.JSONDecodeError:
            continue
    return lines
