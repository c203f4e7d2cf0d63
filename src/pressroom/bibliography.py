"""Bibliography files → references (CSL-JSON items, what the citation step gives pandoc).

CSL-JSON (``.json``, as Zotero and other reference managers export it) is read here; CSL-YAML
(``.yaml``/``.yml``), BibLaTeX and BibTeX (``.bib``, ``.bibtex``) and RIS (``.ris``) are read by
pandoc's own readers (``pandoc -f biblatex -t csljson``), in its sandbox, from stdin. Every
problem in a file is finding R001 at its line, naming the entry.
"""

from __future__ import annotations

import json
import re
from pathlib import PurePosixPath

from .characters import MAX_NESTING, bad_character, normalise, separators_to_spaces_in, too_deep
from .errors import Finding, Location, ManuscriptError, finding
from .model import Reference

CODE = "R001"  # the bibliography file cannot be read or is wrong

# File name ending → pandoc's reader for it ("" for CSL-JSON, read here).
FORMATS = {".json": "", ".yaml": "markdown", ".yml": "markdown", ".bib": "biblatex", ".bibtex": "bibtex",
           ".ris": "ris"}
# Where each format writes an entry's key, to give an entry's line ({key} is the key, escaped).
_KEY_LINES = {".bib": r"@\w+\s*[{(]\s*{key}\s*,", ".bibtex": r"@\w+\s*[{(]\s*{key}\s*,",
              ".ris": r"(?m)^ID  - {key}\s*$", ".yaml": r"(?m)^\s*-?\s*id:\s*['\"]?{key}['\"]?\s*$",
              ".yml": r"(?m)^\s*-?\s*id:\s*['\"]?{key}['\"]?\s*$"}


def read_bibliographies(files: list[tuple[bytes, str]]) -> tuple[Reference, ...]:
    """Every file's references, in order; a key defined in two files is an error naming both."""
    refs: list[Reference] = []
    first: dict[str, Reference] = {}
    problems: list[Finding] = []
    for data, source in files:
        for ref in read_bibliography(data, source):
            if ref.id in first:
                was = first[ref.id]
                problems.append(finding(CODE, Location(source, ref.line), f"the key {ref.id!r} is defined twice: "
                                        f"also in {was.source}, line {was.line}"))
                continue
            first[ref.id] = ref
            refs.append(ref)
    if problems:
        raise ManuscriptError(f"{len(problems)} problem(s) in the bibliography:", None, tuple(problems), code=CODE)
    return tuple(refs)


def read_bibliography(data: bytes, source: str) -> tuple[Reference, ...]:
    """One bibliography file (its format from its name) → its references, each checked: a unique
    ``id`` and a ``type``, names and dates CSL can read."""
    suffix = PurePosixPath(source).suffix.lower()
    if suffix not in FORMATS:
        raise ManuscriptError(f"a bibliography file must be CSL-JSON (.json), CSL-YAML (.yaml), BibLaTeX or BibTeX "
                              f"(.bib, .bibtex) or RIS (.ris), not {suffix or 'a file without extension'}",
                              Location(source, 1), code=CODE)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ManuscriptError(f"not UTF-8 text (byte {exc.start})", Location(source, line), code=CODE)
    text = normalise(text)
    if FORMATS[suffix]:
        bad = bad_character(text)
        if bad:
            raise ManuscriptError(bad[1], Location(source, bad[0]), code=CODE)
        items = _converted(text, source, FORMATS[suffix])
        lines = _lines_of_keys(text, [item.get("id", "") for item in items if isinstance(item, dict)],
                               _KEY_LINES[suffix])
        return _references(items, source, lines)
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
    return _references(items, source, _lines_of_ids(text))


def _converted(text: str, source: str, reader: str) -> list:
    """Pandoc's CSL-JSON of a bibliography in another format; its error as R001 at its line, with
    the entry that line is in."""
    from .adapters.pandoc_citeproc import PandocFailed, run_pandoc

    if reader == "markdown" and not text.lstrip().startswith("---"):
        text = f"---\n{text}\n...\n"  # CSL-YAML: pandoc reads it as a document's metadata block
    try:
        out = run_pandoc([f"--from={reader}", "--to=csljson"], text.encode("utf-8"))
    except PandocFailed as exc:
        message = str(exc)
        match = re.search(r"line (\d+)", message)
        line = int(match[1]) if match else 0
        entry = _entry_before(text, line) if reader in ("biblatex", "bibtex") and line else ""
        message = re.sub(r"^Error at \(line \d+, column \d+\):\s*", "", message).replace("\n", " ")
        raise ManuscriptError(f"cannot read the {reader} file{' in the entry ' + repr(entry) if entry else ''}: "
                              f"{message}", Location(source, line), code=CODE) from None
    items = json.loads(out or b"[]")
    return items if isinstance(items, list) else []


def _entry_before(text: str, line: int) -> str:
    """The key of the last BibTeX entry that starts at or before ``line``."""
    head = "\n".join(text.split("\n")[:line])
    keys = re.findall(r"@\w+\s*[{(]\s*([^,\s]+)\s*,", head)
    return keys[-1] if keys else ""


def _lines_of_keys(text: str, keys: list[str], pattern: str) -> dict[str, list[int]]:
    """Each key → the line where the file defines it."""
    lines: dict[str, list[int]] = {}
    for key in keys:
        if isinstance(key, str) and key:
            match = re.search(pattern.replace("{key}", re.escape(key)), text)
            lines.setdefault(key, []).append(text.count("\n", 0, match.start()) + 1 if match else 0)
    return lines


def _references(items: list, source: str, lines: dict[str, list[int]]) -> tuple[Reference, ...]:
    """CSL-JSON items → references, every problem an R001 finding at the item's line."""
    problems: list[Finding] = []
    refs: list[Reference] = []
    seen: set[str] = set()
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
        refs.append(Reference(key, item, line, source))
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


# CSL-JSON's name and date variables (CSL 1.0.2 specification, appendix IV): what a CSL processor
# reads as a list of names or as a date; anything else there is a mistake in the file.
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
