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

from .hyphenation import exception_problem
from .words import KEYS
from .characters import MAX_NESTING, bad_character, normalise, too_deep
from .errors import ConfigError, Finding, Location, finding
from .paths import name_problem, read_book_file, relative_problem
from .trim import ACCEPTED as TRIM_FORMS, trim_points
from .model import Contributor, Metadata, Settings

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
    bibliography: tuple[str, ...]  # the bibliography files, relative to manuscript/
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
        # [[book.contributor]] name = "…" role = "translator" file_as = "…" (pressroom.contributors)
        "contributor": (list, False, []),
        "series": (str, False, ""),
        "series_number": ((int, str), False, ""),
        "edition": (str, False, ""),
        "also_by": (list, False, []),
    },
    # figures/tables: a list of figures / of tables after the contents (their numbered captions)
    "contents": {"front": (list, False, []), "body": (list, True, None), "back": (list, False, []),
                 "figures": (bool, False, False), "tables": (bool, False, False)},
    "bibliography": {"file": ((str, list), False, ""), "style": (str, False, ""), "locale": (str, False, ""),
                     "nocite": (list, False, []),
                     # one list for the book, or one per part or per chapter (pressroom.bibliography_scopes)
                     "scope": (str, False, "book")},
    "cover": {"image": (str, False, ""), "blurb": (str, False, ""), "author_photo": (str, False, ""),
              "logo": (str, False, "")},
    "print": {"trim": (str, False, "138mm 216mm"), "profile": (str, False, "proof"), "isbn": (str, False, ""),
              "paper": (str, False, "white"), "price_code": (str, False, "")},
    "typography": {"abbreviations": (list, False, []), "hyphenation": (list, False, [])},
    # The book's own words, each overriding the catalogue's for its language (pressroom.words)
    "words": {key: (str, False, "") for key in KEYS},
    "index": {"file": (str, False, "")},
    # How notes are numbered (afresh in each chapter, or through the book) and where they are set
    # (at the foot of the page, at the end of each chapter, in the book's Notes): pressroom.notes
    "notes": {"numbering": (str, False, "chapter"), "place": (str, False, "foot")},
    "epub": {"print_page_numbers": (bool, False, True), "isbn": (str, False, "")},
    # Who evaluated the EPUB's accessibility (EPUB Accessibility 1.1: a11y:certifiedBy names "the
    # party responsible for the evaluation"); nothing is claimed for a book that names nobody.
    "accessibility": {"certified_by": (str, False, ""), "credential": (str, False, "")},
}
_TYPE_NAMES = {str: "a string in quotes", list: "a list in [ ]", dict: "a table", bool: "true or false",
               (str, list): "a file name in quotes or a list of them",
               (int, str): "a number or a string in quotes"}
_CONTRIBUTOR_KEYS = ("name", "role", "file_as")


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
    data_bytes = read_book_file(root, CONFIG_PATH, Location(CONFIG_PATH), "book config", ConfigError, "C001")
    try:
        text = normalise(data_bytes.decode("utf-8"))
    except UnicodeDecodeError as exc:
        line = data_bytes[: exc.start].count(b"\n") + 1
        raise ConfigError(f"not UTF-8 text (byte {exc.start}); save the file as UTF-8", Location(CONFIG_PATH, line),
                          code="C001")
    deep = too_deep(text)
    if deep:
        raise ConfigError(f"values nested more than {MAX_NESTING} levels deep; a book's config needs a few",
                          Location(CONFIG_PATH, deep), code="C001")
    bad = bad_character(text)
    if bad:
        raise ConfigError(bad[1], Location(CONFIG_PATH, bad[0]), code="C001")
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
            if not isinstance(given[key], kind) or (isinstance(given[key], bool) and kind is not bool):
                problem(where(table, key), f"'{key}' must be {_TYPE_NAMES[kind]}, not {type(given[key]).__name__}")
                values[table][key] = default
                continue
            if kind is str and required and not given[key].strip():
                problem(where(table, key), f"'{key}' must not be empty")
            value = given[key]
            if isinstance(value, str):  # an escape such as "\u0000" reaches here past the file's check
                value = normalise(value)
                if bad_character(value):
                    problem(where(table, key), f"'{key}' holds {bad_character(value)[1]}")
            values[table][key] = value

    book, contents, bib = values["book"], values["contents"], values["bibliography"]
    if (book.get("language") or "").strip() and not re.fullmatch(r"[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*", book["language"]):
        problem(where('book', 'language'), "'language' must be a BCP 47 tag such as \"en-GB\"")
    if book.get("slug") and name_problem(book["slug"]):
        problem(where('book', 'slug'), f"'slug' names the output files: {name_problem(book['slug'])}")
    for entry in values["typography"]["hyphenation"]:
        problem_text = exception_problem(entry) if isinstance(entry, str) else f"{entry!r} is not a string"
        if problem_text:
            problem(where("typography", "hyphenation"), f"'hyphenation': {problem_text}")
    trim = values["print"]["trim"]
    if isinstance(trim, str) and trim_points(trim) is None:
        problem(where('print', 'trim'), f"'trim' must be {TRIM_FORMS}, not {trim!r}")
    bib_files = ([bib["file"]] if bib["file"] else []) if isinstance(bib["file"], str) else bib["file"]
    if any(not isinstance(f, str) or not f for f in bib_files):
        problem(where('bibliography', 'file'), "'file' must be a file name in quotes or a list of them")
        bib_files = []
    bib_files = [f for f in bib_files if f]
    for f in bib_files:
        if relative_problem(f):
            problem(where('bibliography', 'file'), f"'file': {relative_problem(f)}")
    if any(not isinstance(key, str) or not key.strip() for key in bib["nocite"]):
        problem(where('bibliography', 'nocite'), "'nocite' must be a list of citation keys, [\"key\", …], "
                "or [\"*\"] for every work of the bibliography")
    for table, key in (("bibliography", "style"), ("cover", "image"), ("cover", "author_photo"), ("cover", "logo"),
                       ("index", "file")):
        value = values[table][key]
        if value and relative_problem(value):
            problem(where(table, key), f"'{key}': {relative_problem(value)}")
    for key in ("subjects", "also_by"):
        if any(not isinstance(s, str) for s in book.get(key) or []):
            problem(where('book', key), f"'{key}' must be a list of strings")
    # The publication date is the OPF's dc:date and the XMP's: W3C date-time forms (EPUB 3.3, D.2.3; XMP Date).
    if book["date"] and not re.fullmatch(r"\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?", book["date"]):
        problem(where('book', 'date'), f"'date' must be YYYY, YYYY-MM or YYYY-MM-DD (the publication date), "
                                       f"not {book['date']!r}")
    if book["series_number"] != "" and not book["series"].strip():
        problem(where('book', 'series_number'), "a 'series_number' needs 'series', the series' name")
    contributors = _contributors(text, book["contributor"], problems)

    from .printers import NAMES

    if values["print"]["profile"] not in NAMES:
        problem(where('print', 'profile'), f"'profile' must be one of: {', '.join(NAMES)}")
    from .isbn import isbn_problem

    for table in ("epub", "print"):
        isbn = values[table]["isbn"]
        if isbn and isbn_problem(isbn):
            problem(where(table, 'isbn'), f"'[{table}] isbn' {isbn!r}: {isbn_problem(isbn)}")
    from .cover_rules import PAPERS

    if values["print"]["paper"] not in PAPERS:
        problem(where('print', 'paper'), f"'paper' must be one of: {', '.join(PAPERS)}")
    price = values["print"]["price_code"]
    if price and not re.fullmatch(r"\d{5}", price):
        problem(where('print', 'price_code'), f"'price_code' {price!r} must be 5 digits (the barcode's add-on, "
                "such as \"51995\" for US$19.95, or \"90000\" for no price)")
    if price and not values["print"]["isbn"]:
        problem(where('print', 'price_code'), "a 'price_code' needs '[print] isbn': it is printed beside its barcode")
    from .bibliography_scopes import SCOPES
    from .notes import NUMBERINGS, PLACES

    if values["bibliography"]["scope"] not in SCOPES:
        problem(where('bibliography', 'scope'), f"'scope' must be one of: {', '.join(SCOPES)}, "
                f"not {values['bibliography']['scope']!r}")

    for key, allowed in (("numbering", NUMBERINGS), ("place", PLACES)):
        if values["notes"][key] not in allowed:
            problem(where('notes', key), f"'{key}' must be one of: {', '.join(allowed)}, "
                    f"not {values['notes'][key]!r}")
    a11y = values["accessibility"]
    if a11y["credential"].strip() and not a11y["certified_by"].strip():
        problem(where('accessibility', 'credential'), "a 'credential' needs 'certified_by', "
                        "the person or body who evaluated the book")

    spine: list[SpineEntry] = []
    for matter in MATTERS:
        for entry in contents.get(matter) or []:
            if isinstance(entry, str) and relative_problem(entry):
                problem(where('contents', matter), f"chapter {relative_problem(entry)} "
                                "(chapter files are named relative to manuscript/)")
            elif isinstance(entry, str):
                spine.append(SpineEntry(entry, matter))
            elif (
                isinstance(entry, dict)
                and matter == "body"
                and set(entry) == {"part", "chapters"}
                and isinstance(entry["part"], str)
                and isinstance(entry["chapters"], list)
                and all(isinstance(c, str) and not relative_problem(c) for c in entry["chapters"])
            ):
                spine.extend(SpineEntry(c, matter, entry["part"]) for c in entry["chapters"])
            else:
                problem(where('contents', matter), f"each entry of '{matter}' must be a file name in quotes"
                        + (' or { part = "Title", chapters = ["a.md", …] }' if matter == "body" else ""))
    if not spine and not problems:
        problem(where('contents', 'body'), "'body' lists no chapter files")
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
        slug=book["slug"] or slugify(book["title"], "book")[:80].strip("-"),  # a long title: a file name still
        certified_by=values["accessibility"]["certified_by"].strip(),
        certifier_credential=values["accessibility"]["credential"].strip(),
        isbn_epub=values["epub"]["isbn"].strip(),
        isbn_print=values["print"]["isbn"].strip(),
        contributors=contributors,
        series=book["series"].strip(),
        series_number=str(book["series_number"]).strip(),
        edition=book["edition"].strip(),
        also_by=tuple(title.strip() for title in book["also_by"] if title.strip()),
    )
    settings = Settings(
        citation_style=bib["style"],
        citation_locale=bib["locale"].strip(),
        citation_nocite=tuple(str(key).strip().lstrip("@") for key in bib["nocite"]),
        bibliography_scope=bib["scope"],
        cover_image=values["cover"]["image"],
        trim_size=values["print"]["trim"],
        abbreviations=tuple(str(a) for a in values["typography"]["abbreviations"]),
        print_page_numbers=values["epub"]["print_page_numbers"],
        pdf_profile=values["print"]["profile"],
        paper=values["print"]["paper"],
        price_code=values["print"]["price_code"],
        cover_blurb=values["cover"]["blurb"],
        cover_author_photo=values["cover"]["author_photo"],
        cover_logo=values["cover"]["logo"],
        words=tuple(sorted((key, text) for key, text in values["words"].items() if text)),
        language=metadata.language or "",
        hyphenation=tuple(str(h) for h in values["typography"]["hyphenation"]),
        list_figures=values["contents"]["figures"],
        list_tables=values["contents"]["tables"],
        note_numbering=values["notes"]["numbering"],
        note_place=values["notes"]["place"],
    )
    return BookConfig(metadata, settings, tuple(spine), tuple(bib_files), values["index"]["file"])


def _contributors(text: str, entries: list, problems: list[Finding]) -> tuple[Contributor, ...]:
    """The ``[[book.contributor]]`` tables → contributors; each mistake (a missing name, a role
    not in :data:`pressroom.contributors.ROLES`, an unknown key) a C001 finding at its line."""
    from .contributors import ROLES

    out = []
    for n, entry in enumerate(entries):
        def at(key: str | None = None) -> Location:
            return Location(CONFIG_PATH, _contributor_line(text, n, key))

        if not isinstance(entry, dict):
            problems.append(finding("C001", at(), "each contributor is a table: [[book.contributor]] "
                                    'name = "…" role = "translator"'))
            continue
        for key in sorted(set(entry) - set(_CONTRIBUTOR_KEYS)):
            problems.append(finding("C001", at(key), f"unknown key '{key}' in [[book.contributor]]; expected "
                                    f"one of: {', '.join(_CONTRIBUTOR_KEYS)}"))
        bad = [key for key in _CONTRIBUTOR_KEYS if key in entry and not isinstance(entry[key], str)]
        for key in bad:
            problems.append(finding("C001", at(key), f"'{key}' must be a string in quotes"))
        name = normalise(entry.get("name", "")).strip() if "name" not in bad else ""
        role = entry.get("role", "") if "role" not in bad else ""
        if not name and "name" not in bad:
            problems.append(finding("C001", at("name" if "name" in entry else None),
                                    "[[book.contributor]] needs a 'name'"))
        if role not in ROLES and "role" not in bad:
            said = f"'{role}' is not a role" if role else "[[book.contributor]] needs a 'role'"
            problems.append(finding("C001", at("role" if "role" in entry else None),
                                    f"{said}; expected one of (with its MARC relator code): "
                                    + ", ".join(f"{name} ({r.code})" for name, r in ROLES.items())))
        if name and role in ROLES and not bad:
            if bad_character(name + entry.get("file_as", "")):
                problems.append(finding("C001", at("name"), f"'name' holds {bad_character(name)[1]}"))
                continue
            out.append(Contributor(name, role, normalise(entry.get("file_as", "")).strip() or _file_as(name)))
    return tuple(out)


def _contributor_line(text: str, index: int, key: str | None) -> int:
    """The line of the ``index``-th ``[[book.contributor]]`` (or its ``key =``), else of ``contributor =``."""
    lines = text.splitlines()
    headers = [i for i, line in enumerate(lines) if re.match(r"^\s*\[\[\s*book\.contributor\s*\]\]", line)]
    if index >= len(headers):
        return _line_of(text, "book", "contributor") or _line_of(text, "book")
    start = headers[index]
    if key is not None:
        for i in range(start + 1, len(lines)):
            if re.match(r"^\s*\[", lines[i]):
                break
            if re.match(rf"^\s*{re.escape(key)}\s*=", lines[i]):
                return i + 1
    return start + 1


def _file_as(name: str) -> str:
    """"Ted Grant" → "Grant, Ted" (the sort form of a personal name)."""
    parts = name.split()
    return f"{parts[-1]}, {' '.join(parts[:-1])}" if len(parts) > 1 else name


def setting_location(root: Path, table: str, key: str) -> Location:
    """Where ``key`` of ``[table]`` stands in the book's config (else the table's line, else the file)."""
    path = Path(root) / CONFIG_PATH
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    return Location(CONFIG_PATH, _line_of(text, table, key) or _line_of(text, table))
