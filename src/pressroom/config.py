"""The book's config, ``manuscript/book.toml``: one typed schema, checked in one pass.

``load_config(root)`` reads the file and returns a :class:`BookConfig`. Every
mistake found (unknown key, wrong type, missing value) is collected and
reported together, each with its file and line, in one :class:`ConfigError`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import ConfigError, Finding, Location, finding
from .model import Metadata, Settings

CONFIG_PATH = "manuscript/book.toml"
MATTERS = ("front", "body", "back")


@dataclass(frozen=True)
class SpineEntry:
    """One chapter file in reading order, relative to ``manuscript/``."""

    file: str
    matter: str
    part: str = ""  # the title of its part, if any


@dataclass(frozen=True)
class BookConfig:
    metadata: Metadata
    settings: Settings
    spine: tuple[SpineEntry, ...]
    bibliography: str  # relative to manuscript/, empty for none
    index: str = ""  # the index file (TOML), relative to manuscript/, empty for none


# key: (type, required, default) for each table
_SCHEMA: dict[str, dict[str, tuple[type | tuple[type, ...], bool, Any]]] = {
    "book": {
        "title": (str, True, None),
        "subtitle": (str, False, ""),
        "author": (str, True, None),
        "author_file_as": (str, False, ""),
        "language": (str, True, None),
        "publisher": (str, False, ""),
        "rights": (str, False, ""),
        "identifier": (str, True, None),
        "date": (str, False, ""),
        "description": (str, False, ""),
        "subjects": (list, False, []),
        "slug": (str, False, ""),
    },
    "contents": {"front": (list, False, []), "body": (list, True, None), "back": (list, False, [])},
    "bibliography": {"file": (str, False, ""), "style": (str, False, "")},
    "cover": {"image": (str, False, "")},
    "print": {"trim": (str, False, "138mm 216mm")},
    "typography": {"abbreviations": (list, False, [])},
    "index": {"file": (str, False, "")},
    "epub": {"print_page_numbers": (bool, False, True)},
}
_TYPE_NAMES = {str: "a string in quotes", list: "a list in [ ]", dict: "a table", bool: "true or false"}


def _line_of(text: str, table: str, key: str | None = None) -> int:
    """The line where ``[table]`` (or ``key =`` inside it) stands, 0 if not found."""
    lines = text.splitlines()
    start = None
    for i, line in enumerate(lines):
        if re.match(rf"^\s*\[\s*{re.escape(table)}\s*\]", line):
            start = i
            if key is None:
                return i + 1
            continue
        if start is not None and re.match(r"^\s*\[", line):
            break
        if start is not None and key is not None and re.match(rf"^\s*{re.escape(key)}\s*=", line):
            return i + 1
    return 0


def load_config(root: Path) -> BookConfig:
    path = root / CONFIG_PATH
    if not path.is_file():
        raise ConfigError(
            f"no book config here: expected {CONFIG_PATH} in {root} "
            "(run 'pressroom new PATH' to start a book, or pass --book PATH)", code="C001")
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"not UTF-8 text (byte {exc.start}); save the file as UTF-8", Location(CONFIG_PATH),
                          code="C001")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line, col = (int(match[1]), int(match[2])) if match else (0, 0)
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(exc))
        raise ConfigError(f"TOML syntax error: {message}", Location(CONFIG_PATH, line, col), code="C001") from None

    problems: list[Finding] = []

    def problem(at: Location, message: str) -> None:
        problems.append(finding("C001", at, message))

    def where(table: str, key: str | None = None) -> Location:
        return Location(CONFIG_PATH, _line_of(text, table, key) or _line_of(text, table))

    values: dict[str, dict[str, Any]] = {}
    for table in data:
        if table not in _SCHEMA:
            problem(where(table), f"unknown table [{table}]; expected one of: {', '.join(_SCHEMA)}")
    for table, keys in _SCHEMA.items():
        given = data.get(table, {})
        if not isinstance(given, dict):
            problem(where(table), f"'{table}' must be a table, [{table}]")
            given = {}
        values[table] = {}
        for key in given:
            if key not in keys:
                problem(where(table, key), f"unknown key '{key}' in [{table}]; expected one of: {', '.join(keys)}")
        for key, (kind, required, default) in keys.items():
            if key not in given:
                if required:
                    problem(where(table), f"[{table}] needs '{key}' ({_TYPE_NAMES[kind]})")
                values[table][key] = default
                continue
            if not isinstance(given[key], kind):
                problem(where(table, key), f"'{key}' must be {_TYPE_NAMES[kind]}, not {type(given[key]).__name__}")
                values[table][key] = default
                continue
            values[table][key] = given[key]

    book, contents, bib = values["book"], values["contents"], values["bibliography"]
    if book.get("language") and not re.fullmatch(r"[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*", book["language"]):
        problem(where('book', 'language'), f"'language' must be a BCP 47 tag such as \"en-GB\"")
    for key in ("subjects",):
        if any(not isinstance(s, str) for s in book.get(key) or []):
            problem(where('book', key), f"'{key}' must be a list of strings")

    spine: list[SpineEntry] = []
    for matter in MATTERS:
        for entry in contents.get(matter) or []:
            if isinstance(entry, str):
                spine.append(SpineEntry(entry, matter))
            elif (
                isinstance(entry, dict)
                and matter == "body"
                and set(entry) == {"part", "chapters"}
                and isinstance(entry["part"], str)
                and all(isinstance(c, str) for c in entry["chapters"])
            ):
                spine.extend(SpineEntry(c, matter, entry["part"]) for c in entry["chapters"])
            else:
                problem(where('contents', matter), f"each entry of '{matter}' must be a file name in quotes"
                        + (' or { part = "Title", chapters = ["a.md", …] }' if matter == "body" else ""))
    if not spine and not problems:
        problem(where('contents', 'body'), f"'body' lists no chapter files")
    seen: set[str] = set()
    for entry in spine:
        if entry.file in seen:
            problem(where('contents'), f"'{entry.file}' is listed twice")
        seen.add(entry.file)

    if problems:
        raise ConfigError(f"{len(problems)} problem(s) in the book config:", None, tuple(problems), code="C001")

    from .ids import slugify

    metadata = Metadata(
        title=book["title"],
        subtitle=book["subtitle"],
        author=book["author"],
        author_file_as=book["author_file_as"] or _file_as(book["author"]),
        language=book["language"],
        publisher=book["publisher"],
        rights=book["rights"],
        identifier=book["identifier"],
        date=book["date"],
        description=book["description"],
        subjects=tuple(book["subjects"]),
        slug=book["slug"] or slugify(book["title"], "book"),
    )
    settings = Settings(
        citation_style=bib["style"],
        cover_image=values["cover"]["image"],
        trim_size=values["print"]["trim"],
        abbreviations=tuple(str(a) for a in values["typography"]["abbreviations"]),
        print_page_numbers=values["epub"]["print_page_numbers"],
    )
    return BookConfig(metadata, settings, tuple(spine), bib["file"], values["index"]["file"])


def _file_as(name: str) -> str:
    """"Ted Grant" → "Grant, Ted" (the sort form of a personal name)."""
    parts = name.split()
    return f"{parts[-1]}, {' '.join(parts[:-1])}" if len(parts) > 1 else name
