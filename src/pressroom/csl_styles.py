"""Which CSL style and locale a book's citations are set with.

- :func:`style_source` → the style's bytes (and its name for messages): the built-in house style,
  an official style by name from the curated set shipped in ``resources/csl`` (``style = "apa"``;
  see ``resources/csl/README.md`` for the list and the licence), or a CSL file in the book folder.
  A dependent style is resolved to its parent in the curated set; every style is checked to be
  CSL (XML parsed without entities, DTDs or network) before pandoc meets it.
- :func:`book_locale` → the CSL locale: ``[bibliography] locale``, else the book's language.
- :func:`locator_terms` → the words a locale writes locator labels with ("S." for page in German).

Every mistake is R002 (the style or locale) or C001 (a path in the config), with its file and line.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from . import model as m
from .errors import Location, ManuscriptError
from .paths import inside_book

CURATED = Path(__file__).parent / "resources" / "csl"
HOUSE = Path(__file__).parent / "resources" / "house.csl"
CSL_NAMESPACE = "http://purl.org/net/xbiblio/csl"
CONFIG = "manuscript/book.toml"


def curated_names() -> tuple[str, ...]:
    """The official styles shipped with Pressroom, by the name a book's config uses."""
    return tuple(sorted(path.stem for path in CURATED.glob("*.csl")))


def style_source(book: m.Book) -> tuple[bytes, str]:
    """(bytes, name for messages) of the book's citation style, checked to be an independent CSL
    style (a dependent one is replaced by its parent)."""
    name = book.settings.citation_style
    if not name:
        return HOUSE.read_bytes(), "house.csl"
    if "/" not in name and not name.endswith(".csl"):
        if name not in curated_names():
            raise ManuscriptError(f"no official style named {name!r} ships with Pressroom; the names are: "
                                  f"{', '.join(curated_names())} (or give a CSL file, \"styles/NAME.csl\")",
                                  Location(CONFIG), code="R002")
        data, shown = (CURATED / f"{name}.csl").read_bytes(), f"{name}.csl"
    else:
        path = inside_book(Path(book.root), name, Location(CONFIG), code="C001")
        if not path.is_file():
            raise ManuscriptError(f"the citation style {name} does not exist", Location(CONFIG), code="C001")
        data, shown = path.read_bytes(), name
    return independent(data, shown), shown


def style_path(book: m.Book) -> str:
    """The book's style checked as a build checks it (for ``pressroom check``); its name."""
    return style_source(book)[1]


def independent(data: bytes, source: str) -> bytes:
    """The style itself, or, for a dependent style (one that only names its parent), the parent
    from the curated set. An R002 error for anything that is not a CSL style or whose parent is
    not shipped (pandoc would fetch it from the network, which Pressroom never lets it do)."""
    outline = style_outline(data, source)
    if outline.has_citation:
        return data
    if outline.parent is None:
        raise ManuscriptError("not a CSL style: it has no <citation> and names no independent parent",
                              Location(source, outline.line), code="R002")
    href, line = outline.parent
    name = href.rstrip("/").rsplit("/", 1)[-1]
    if name not in curated_names():
        raise ManuscriptError(f"a dependent style whose parent {href!r} does not ship with Pressroom: "
                              "give the parent style's file instead", Location(source, line), code="R002")
    return (CURATED / f"{name}.csl").read_bytes()


@dataclass(frozen=True)
class StyleOutline:
    """What Pressroom needs to know of a CSL style before pandoc sets citations with it."""

    line: int  # of the root <style>
    css_class: str  # the root's class: "note", "in-text"
    has_citation: bool  # a <citation> child: an independent style
    parent: tuple[str, int] | None  # a dependent style's <info><link rel="independent-parent">: (href, line)


def style_outline(data: bytes, source: str) -> StyleOutline:
    """The outline of a style's bytes; R002 if they are not a CSL ``<style>`` (a DOCTYPE or an entity
    is refused before parsing, so no entity can make the parser read a file).

    Read with the standard library's expat, not lxml: the style is checked on the way to pandoc,
    before any other work of a build can begin, and lxml's import alone costs a cold EPUB build
    more than 10 ms there. A style expat finds wrong is parsed again by :func:`parse_style`, so a
    mistake is told in lxml's words, with its line, whichever parser met it first."""
    import pyexpat

    _refuse_entities(data, source)
    root: dict = {}
    found = {"citation": False, "parent": None}
    path: list[str] = []
    csl = CSL_NAMESPACE + " "

    def start(name: str, attributes: dict) -> None:
        if not path:
            root.update(name=name, attributes=attributes, line=parser.CurrentLineNumber)
        elif len(path) == 1 and name == csl + "citation":
            found["citation"] = True
        elif (path[1:] == [csl + "info"] and name == csl + "link" and attributes.get("rel") == "independent-parent"
              and found["parent"] is None):
            found["parent"] = (attributes.get("href", ""), parser.CurrentLineNumber)
        path.append(name)

    parser = pyexpat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    parser.EndElementHandler = lambda name: path.pop()
    try:
        parser.Parse(data, True)
    except pyexpat.ExpatError:
        root.clear()
    if root.get("name") != csl + "style":
        return _lxml_outline(parse_style(data, source))  # R002 in lxml's words, or a style expat cannot read
    return StyleOutline(root["line"], root["attributes"].get("class", ""), found["citation"], found["parent"])


def _lxml_outline(root) -> StyleOutline:
    """The outline of a style expat could not read but lxml can (an encoding expat does not know)."""
    parent = root.find(f"{{{CSL_NAMESPACE}}}info/{{{CSL_NAMESPACE}}}link[@rel='independent-parent']")
    return StyleOutline(root.sourceline or 1, root.get("class", ""),
                        root.find(f"{{{CSL_NAMESPACE}}}citation") is not None,
                        None if parent is None else (parent.get("href", ""), parent.sourceline or 1))


def _refuse_entities(data: bytes, source: str) -> None:
    upper = data.upper()
    if b"<!DOCTYPE" in upper or b"<!ENTITY" in upper:
        raise ManuscriptError("a CSL style must not declare a DOCTYPE or entities",
                              Location(source, data[: upper.find(b"<!")].count(b"\n") + 1), code="R002")


def parse_style(data: bytes, source: str):
    """The style's root element (lxml); R002 if the bytes are not a CSL ``<style>``."""
    from lxml import etree

    _refuse_entities(data, source)
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ManuscriptError(f"not a CSL style: the XML is not well-formed ({exc.msg})",
                              Location(source, exc.lineno or 0), code="R002") from None
    if root.tag != f"{{{CSL_NAMESPACE}}}style":
        raise ManuscriptError(f"not a CSL style: its root element is <{etree.QName(root).localname}>, expected "
                              f'<style xmlns="{CSL_NAMESPACE}" …>', Location(source, root.sourceline or 1),
                              code="R002")
    return root


def is_note_style(style: bytes) -> bool:
    """Whether the (checked) style sets citations as footnotes (CSL ``class="note"``)."""
    return style_outline(style, "style").css_class == "note"


@lru_cache(maxsize=1)
def _locales() -> dict[str, dict[str, str]]:
    """CSL locale → label → term, generated from the CSL locales by scripts/csl-locales.py."""
    return json.loads((CURATED / "locales.json").read_text(encoding="utf-8"))


def known_locale(tag: str) -> str:
    """The CSL locale for a BCP 47 tag ("en-GB" → "en-GB", "de" → "de-DE"), "" for none."""
    locales = _locales()
    if tag in locales:
        return tag
    language = tag.split("-")[0].lower()
    same = sorted(name for name in locales if name.split("-")[0].lower() == language)
    preferred = f"{language}-{language.upper()}"
    return preferred if preferred in same else (same[0] if same else "")


def book_locale(book: m.Book) -> str:
    """The CSL locale the citations are set in: ``[bibliography] locale`` (an R002 error if no CSL
    locale exists for it), else the book's language (the style's own default when no CSL locale
    exists for the language: a book may be written in a language CSL does not know)."""
    asked = book.settings.citation_locale
    if asked:
        if not known_locale(asked):
            raise ManuscriptError(f"no CSL locale exists for {asked!r}; the locales are: {', '.join(_locales())}",
                                  Location(CONFIG), code="R002")
        return asked
    return book.metadata.language if known_locale(book.metadata.language) else ""


def locator_terms(locale: str) -> dict[str, str]:
    """Locator label ("page") → the term pandoc's citeproc recognises it by in ``locale`` ("p.")."""
    locales = _locales()
    return {**locales["en-US"], **locales.get(known_locale(locale) if locale else "en-US", {})}
