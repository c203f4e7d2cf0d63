"""Bibliography file (CSL-JSON, as Zotero and other reference managers export it) → references.

Every problem in the file is finding R001 at its line."""

from __future__ import annotations

import json
import re

from .characters import MAX_NESTING, bad_character, normalise, separators_to_spaces_in, too_deep
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
    text = normalise(text)
    deep = too_deep(text)
    if deep:
        raise ManuscriptError(f"values nested more than {MAX_NESTING} levels deep; a CSL-JSON item needs a few",
                              Location(source, deep), code=CODE)
    try:
        items = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ManuscriptError(f"JSON syntax error: {exc.msg}", Location(source, exc.lineno, exc.colno),
                              code=CODE) from None
    items = separators_to_spaces_in(items)  # a "\u2029" escape arrives here past the file's check
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
        problems.extend(finding(CODE, Location(source, line), f"item {key!r}: {problem}")
                        for problem in item_problems(item))
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


# CSL-JSON's name and date variables (CSL 1.0.2 specification, appendix IV): what citeproc reads as
# a list of names or as a date; anything else there made the processor crash.
NAME_VARIABLES = ("author", "chair", "collection-editor", "compiler", "composer", "container-author",
                  "contributor", "curator", "director", "editor", "editor-translator", "editorial-director",
                  "executive-producer", "guest", "host", "illustrator", "interviewer", "narrator", "organizer",
                  "original-author", "performer", "producer", "recipient", "reviewed-author", "script-writer",
                  "series-creator", "translator")
DATE_VARIABLES = ("accessed", "available-date", "event-date", "issued", "original-date", "submitted")


def item_problems(item: dict) -> list[str]:
    """What is wrong with one CSL-JSON item's names, dates and strings (an empty list when nothing is)."""
    problems = []
    for key in NAME_VARIABLES:
        if key in item and not (isinstance(item[key], list) and all(
                isinstance(name, dict) and name and all(isinstance(v, (str, int, bool)) for v in name.values())
                for name in item[key])):
            problems.append(f'"{key}" must be a list of names such as [{{"family": "Doe", "given": "Jane"}}] '
                            f'(or [{{"literal": "Jane Doe"}}]), not {json.dumps(item[key])[:60]}')
    for key in DATE_VARIABLES:
        if key in item and not _is_date(item[key]):
            problems.append(f'"{key}" must be a date such as {{"date-parts": [[1937, 6, 12]]}} (numbers: year, '
                            f'month, day) or {{"literal": "Spring 1937"}}, not {json.dumps(item[key])[:60]}')
    for value in _strings(item):
        bad = bad_character(value)
        if bad:
            problems.append(f"a value holds {bad[1]}")
            break
    return problems


def _is_date(value) -> bool:
    if not isinstance(value, dict) or not value:
        return False
    if set(value) <= {"literal", "raw", "season", "circa"} and isinstance(value.get("literal", value.get("raw")), str):
        return "literal" in value  # citeproc-py cannot read "raw" dates: only the literal form
    parts = value.get("date-parts")
    if not isinstance(parts, list) or not 1 <= len(parts) <= 2 or set(value) - {"date-parts", "season", "circa"}:
        return False
    return all(isinstance(part, list) and 1 <= len(part) <= 3 and all(
        isinstance(n, int) and not isinstance(n, bool) or isinstance(n, str) and n.strip().lstrip("-").isdigit()
        for n in part) for part in parts)


def _strings(value):
    """Every string in a JSON value (iterative: the value's depth is bounded, but a stack costs nothing)."""
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            yield node
        elif isinstance(node, dict):
            stack.extend(node.keys())
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
