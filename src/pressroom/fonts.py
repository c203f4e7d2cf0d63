"""The fonts a book is set in: the one declaration of the faces, their files and their order.

Every face is a file shipped in Pressroom's ``resources/fonts`` (made by ``scripts/make-fonts.py``)
and declared to WeasyPrint with ``@font-face`` under a family name no system font has, so a book
gives the same PDF on any machine and no glyph can come from a sibling file of an installed family
(WeasyPrint 70 mixed glyph numbers between Debian's EB Garamond files). The book family is
EB Garamond (Latin with Polish and Vietnamese, polytonic Greek, Cyrillic; roman, italic, bold and
bold italic; small capitals and old-style figures); then one declared fallback chain for the
scripts it lacks: Noto Serif Hebrew, Noto Naskh Arabic. What none of them draws (CJK, say) is a
G001 finding from :func:`missing_glyphs`, never a silent pick.

- :data:`FACES`: (family, file, weight, style) of every face, in the order of the chain;
- :func:`font_face_css`: the ``@font-face`` rules and the ``font-family`` of the print edition;
- :func:`drawable`: whether a character has a glyph in some face of a style;
- :func:`missing_glyphs`: the G001 findings of a book, each with file, line, character and style.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from . import model as m
from .errors import Finding, Location, finding
from .walk import iter_nodes, query

FONTS = Path(__file__).resolve().parent / "resources" / "fonts"


@dataclass(frozen=True)
class Face:
    """One font file: its declared ``family``, ``file`` (in ``resources/fonts``), CSS ``weight`` and ``style``."""

    family: str
    file: str
    weight: int = 400
    style: str = "normal"


BOOK_FAMILY = "Pressroom Garamond"
FALLBACK_FAMILIES = ("Pressroom Hebrew", "Pressroom Arabic")
FAMILIES = (BOOK_FAMILY, *FALLBACK_FAMILIES)  # the chain, in order

FACES: tuple[Face, ...] = (
    Face(BOOK_FAMILY, "EBGaramond-Regular.woff2"),
    Face(BOOK_FAMILY, "EBGaramond-Italic.woff2", style="italic"),
    Face(BOOK_FAMILY, "EBGaramond-Bold.woff2", 700),
    Face(BOOK_FAMILY, "EBGaramond-BoldItalic.woff2", 700, "italic"),
    Face("Pressroom Hebrew", "NotoSerifHebrew-Regular.woff2"),
    Face("Pressroom Hebrew", "NotoSerifHebrew-Bold.woff2", 700),
    Face("Pressroom Arabic", "NotoNaskhArabic-Regular.woff2"),
    Face("Pressroom Arabic", "NotoNaskhArabic-Bold.woff2", 700),
)

# Characters no face needs to draw: format controls are laid out, not drawn, and the spaces
# (U+2000-U+200A, the narrow no-break space U+202F of French, U+205F) HarfBuzz makes from the
# font's own space when the font lacks them (EB Garamond has no U+202F).
_NOT_DRAWN = frozenset("\n\t\r \u00a0\u200b\u200c\u200d\u200e\u200f\u2060\u00ad\ufeff\u202f\u205f"
                       + "".join(map(chr, range(0x2000, 0x200B))))


def font_stack() -> str:
    """The CSS ``font-family`` value of the print edition: the chain, no generic family after it."""
    return ", ".join(f'"{family}"' for family in FAMILIES)


def font_face_css() -> str:
    """The ``@font-face`` rules of every face (``file:`` URLs into Pressroom's resources, which the
    PDF's fetcher allows) and the chain as the root's and the margin boxes' ``font-family``."""
    rules = [
        f'@font-face {{ font-family: "{face.family}"; src: url("{(FONTS / face.file).as_uri()}"); '
        f"font-weight: {face.weight}; font-style: {face.style}; }}"
        for face in FACES
    ]
    stack = font_stack()
    boxes = " ".join(f"@{box} {{ font-family: {stack}; }}" for box in ("top-left", "top-right", "bottom-center"))
    rules.append(f"html {{ font-family: {stack}; }}\n@page {{ {boxes} }}")
    return "\n".join(rules)


@cache
def faces_for(style: str) -> tuple[Face, ...]:
    """The faces that draw text of ``style`` ("roman", "italic", "bold", "bold italic"), chain order.
    A family without italic draws italic text with its upright face (as WeasyPrint does)."""
    weight = 700 if "bold" in style else 400
    italic = "italic" if "italic" in style else "normal"
    out = []
    for family in FAMILIES:
        faces = [f for f in FACES if f.family == family]
        exact = [f for f in faces if f.weight == weight and f.style == italic]
        upright = [f for f in faces if f.weight == weight and f.style == "normal"]
        out.extend(exact or upright or faces[:1])
    return tuple(out)


@cache
def _codepoints(file: str) -> frozenset[int]:
    """The code points a font file maps to glyphs (its best cmap)."""
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(str(FONTS / file), lazy=True).getBestCmap())


@cache
def drawable(char: str, style: str = "roman") -> bool:
    """Whether some face of the chain for ``style`` has a glyph for ``char``."""
    return char in _NOT_DRAWN or any(ord(char) in _codepoints(face.file) for face in faces_for(style))


def missing_glyphs(book: m.Book) -> list[Finding]:
    """A G001 warning for each character of the book's chapters that no face of its style can draw,
    once per (chapter, character, style), at the line of the block it is in, in reading order."""
    found: dict[tuple[str, str, str], Finding] = {}
    for chapter in book.chapters:
        styles = _styles(chapter)
        if _all_drawn(chapter, styles):  # the usual case: no need to find where each character stands
            continue
        line = 0
        for node in iter_nodes(chapter):
            line = getattr(node, "line", 0) or line
            if not isinstance(node, (m.Text, m.Abbr, m.Literal)):  # code is set in the reader's monospace
                continue
            style = styles.get(id(node), "roman")
            for char in dict.fromkeys(node.text):  # each character once, in the order it first stands
                key = (chapter.source, char, style)
                if key not in found and not drawable(char, style):
                    found[key] = finding(
                        "G001", Location(chapter.source, line),
                        f"no font of the book draws {char!r} (U+{ord(char):04X}) in {style}; "
                        "add a font that has it to the book's fonts", "warning")
    return list(found.values())


def _all_drawn(chapter: m.Chapter, styles: dict[int, str]) -> bool:
    """Whether a face of its style draws every character of the chapter's text."""
    chars: dict[str, set[str]] = {}
    for node in iter_nodes(chapter):
        if isinstance(node, (m.Text, m.Abbr, m.Literal)):
            chars.setdefault(styles.get(id(node), "roman"), set()).update(node.text)
    return all(drawable(char, style) for style, found in chars.items() for char in found)


def _styles(chapter: m.Chapter) -> dict[int, str]:
    """The style of every text leaf set in italic or bold (by the object's id): text inside
    emphasis is italic, inside strong emphasis bold, inside both bold italic."""
    styles: dict[int, str] = {}
    for kind, style in ((m.Emph, "italic"), (m.Strong, "bold")):
        for outer in query(chapter, kind):
            for leaf in query(outer.children, m.Text, m.Abbr, m.Literal):
                styles[id(leaf)] = style
    for emph in query(chapter, m.Emph):
        for strong in query(emph.children, m.Strong):
            for leaf in query(strong.children, m.Text, m.Abbr, m.Literal):
                styles[id(leaf)] = "bold italic"
    for strong in query(chapter, m.Strong):
        for emph in query(strong.children, m.Emph):
            for leaf in query(emph.children, m.Text, m.Abbr, m.Literal):
                styles[id(leaf)] = "bold italic"
    return styles


def unpacked(path: Path) -> bytes:
    """The TrueType bytes of a shipped WOFF2 face (``path`` in :data:`FONTS`), unpacked once per machine.

    WeasyPrint unpacks a WOFF2 ``@font-face`` in every process that lays out a document: 1.7 s for the
    eight shipped faces, paid by every build and by each of the layout's workers. The unpacked bytes
    are kept in the user's Pressroom cache (``fonts/``, beside the memo's key), named by a digest of
    the WOFF2 file and of fontTools' version, and authenticated with the memo's key as the memo's
    entries are: a file that was changed or damaged is unpacked again, never used. Without a cache
    folder the face is unpacked each time, as WeasyPrint would."""
    import hashlib
    import hmac
    import io

    from fontTools import version as fonttools_version
    from fontTools.ttLib import woff2

    from .memo import user_cache_folder, user_secret

    packed = path.read_bytes()
    name = hashlib.sha256(packed + fonttools_version.encode()).hexdigest()
    secret = user_secret()
    kept = user_cache_folder() / "fonts" / f"{name}.ttf"
    if secret is not None:
        try:
            data = kept.read_bytes()
            mac, body = data[:32], data[32:]
            if hmac.compare_digest(mac, hmac.new(secret, body, hashlib.sha256).digest()):
                return body
        except OSError:
            pass
    out = io.BytesIO()
    woff2.decompress(io.BytesIO(packed), out)
    body = out.getvalue()
    if secret is not None:
        try:
            kept.parent.mkdir(parents=True, exist_ok=True)
            partial = kept.with_suffix(f".{os.getpid()}.part")
            partial.write_bytes(hmac.new(secret, body, hashlib.sha256).digest() + body)
            partial.replace(kept)
        except OSError:
            pass
    return body
