"""The PDF profiles, named for where the file goes, and each printer's rules: one table.

``PROFILES`` maps a profile name to its :class:`Printer`: ``kdp``, ``ingramspark`` and ``lulu``
(print-on-demand interiors), ``proof`` (an offset printer's proof: 3 mm bleed, crop and
registration marks; ``print`` is its old name and an alias) and ``screen`` (links, outline, colour).
Every figure carries the source it comes from in a comment next to it. Where a source is a
third party's summary rather than the printer's own guide, the comment says so.

From the table come: the page CSS of the profile (:func:`page_css`: margins, gutter by page count,
where the running heads and folios stand), the refusals before and after layout
(:func:`check_trim`, :func:`check_page_count`, :func:`check_words`), and what the PDF writer does
(marks, links and outline, full fonts, PDF/X and its output intent).

Bleed: a POD printer wants bleed only when something on a page runs to the trim edge (KDP:
"only if your book has bleed"; Lulu: "Your file must include bleed if any page contains content
intended to extend to the trim edge"). Nothing in a Pressroom book can (images stand in the
text block, there is no full-page art), so the POD profiles have no bleed: the media box is the
trim box. The shape each printer asks for is kept in the table (``bleed``) for the day a book can
bleed.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import BuildError, ConfigError, Location, UsageError

MM_PER_IN = 25.4
CONFIG = "manuscript/book.toml"


def inches(value: float) -> float:
    """Inches → millimetres."""
    return value * MM_PER_IN


@dataclass(frozen=True)
class OutputIntent:
    """A PDF/X output intent naming a registered print condition (ICC characterization registry)."""

    identifier: str  # OutputConditionIdentifier
    condition: str  # OutputCondition, in words
    registry: str = "http://www.color.org"


@dataclass(frozen=True)
class Printer:
    name: str  # the profile's name
    title: str  # who prints it
    guide: str  # the printer's file-preparation guide the rules come from
    marks: bool = False  # crop and registration marks in the bleed
    bleed_mm: float = 0.0  # bleed drawn on every page (proof only; see the module docstring)
    bleed: str = ""  # the shape the printer asks for when something bleeds, in its words
    links: bool = True  # link annotations and the outline are kept
    colour_links: bool = False  # links coloured (screen)
    full_fonts: bool = False  # fonts embedded whole, not subset
    pdf_variant: str | None = None  # WeasyPrint's pdf_variant
    output_intent: OutputIntent | None = None
    text_k: bool = False  # text and rules in 100 % K (DeviceCMYK 0 0 0 1)
    cmyk_profile: str = ""  # resources/icc file a cover's colours and images are separated with (pressroom.separation)
    safe_mm: float = 0.0  # every word at least this far inside the trim (0: no rule)
    safe_rule: str = ""  # the printer's words for it
    gutter: tuple[tuple[int, float], ...] = ()  # (up to this many pages, inside margin ≥ mm); last: beyond
    gutter_rule: str = ""
    trims: tuple[tuple[float, float], ...] = ()  # (width, height) in mm offered; () with no custom: any
    custom_trim: tuple[tuple[float, float], tuple[float, float]] | None = None  # ((min w, min h), (max w, max h)) mm
    trim_rule: str = ""
    pages: tuple[int, int] | None = None  # the page counts it prints
    pages_rule: str = ""

    @property
    def pod(self) -> bool:
        return self.safe_mm > 0

    @property
    def cmyk(self) -> bool:
        """Whether its files carry no RGB: every colour and image in DeviceCMYK (its cover separated
        with ``cmyk_profile``)."""
        return bool(self.cmyk_profile)


def _in(w: float, h: float) -> tuple[float, float]:
    return (round(inches(w), 1), round(inches(h), 1))


PROFILES: dict[str, Printer] = {
    "proof": Printer(
        "proof", "an offset printer (proof with marks)", "today's house practice for offset printers",
        marks=True, bleed_mm=3.0,  # 3 mm bleed: the usual offset bleed (ISO 12647 work; FOGRA guides)
    ),
    "screen": Printer("screen", "the screen", "", colour_links=True, pdf_variant="pdf/ua-1"),  # tagged, PDF/UA-1
    "kdp": Printer(
        "kdp", "Amazon KDP (paperback)", "KDP Help, \"Set Trim Size, Bleed, and Margins\" (paperback)",
        # KDP: bleed "0.125 in (3.2 mm) to the top, bottom, and outside edge", page = trim + 0.125 in
        # wide and + 0.25 in high; only when the book has bleed.
        bleed="0.125 in at top, bottom and outside only, and only when something bleeds",
        links=False,  # KDP: "remove ... bookmarks, comments, annotations" (KDP paperback submission guidelines)
        full_fonts=True,  # KDP: "we recommend embedding all fonts" (KDP Help, "Paperback Manuscript Guidelines")
        # KDP: outside margins at least 0.375 in (9.6 mm) with bleed, 0.25 in (6.4 mm) without: the
        # text is kept 9.5 mm in, so it meets both and a later bleed does not move it.
        safe_mm=9.5,
        safe_rule="KDP: outside, top and bottom margins of at least 0.375 in (9.6 mm) with bleed, "
                  "0.25 in (6.4 mm) without",
        # KDP's gutter table (inside margin by page count): 24-150 pages 0.375 in, 151-300 0.5 in,
        # 301-500 0.625 in, 501-700 0.75 in, 701-828 0.875 in.
        gutter=((150, inches(0.375)), (300, inches(0.5)), (500, inches(0.625)), (700, inches(0.75)),
                (10**9, inches(0.875))),
        gutter_rule="KDP: inside margin 0.375 in to 150 pages, 0.5 in to 300, 0.625 in to 500, 0.75 in to 700, "
                    "0.875 in beyond",
        # KDP: custom trim sizes "between 4 and 8.5 in wide and between 6 and 11.69 in tall"; the
        # standard sizes (5 x 8 in ... 8.27 x 11.69 in) all lie inside that range.
        custom_trim=(_in(4, 6), _in(8.5, 11.69)),
        trim_rule="KDP paperback: a trim from 4 x 6 in to 8.5 x 11.69 in",
        pages=(24, 828),  # KDP: paperback "24 to 828 pages" (black ink on white paper; less for some trims)
        pages_rule="KDP paperback: 24 to 828 pages",
    ),
    "ingramspark": Printer(
        "ingramspark", "IngramSpark", "IngramSpark, \"File Creation Guide\" (interior)",
        bleed="0.125 in all round, only when something bleeds",  # IngramSpark File Creation Guide: 0.125 in bleed
        links=False,  # PDF/X-1a allows no annotation inside the trim (ISO 15930-1 §6.6)
        full_fonts=True,  # IngramSpark: all fonts embedded; whole fonts leave the RIP nothing to miss
        pdf_variant="pdf/x-1a",  # IngramSpark: "export as PDF/X-1a:2001"
        # FOGRA39 (ISO 12647-2 coated, offset): a registered characterization in the ICC registry, so
        # PDF/X-1a:2001 allows naming it without embedding its profile (ISO 15930-1, OutputIntents);
        # no ICC profile of it ships under a free licence we could bundle. GRACoL (CGATS TR 006) is the
        # US equivalent; FOGRA39 is IngramSpark's own default for its UK/EU (Milton Keynes) plant.
        output_intent=OutputIntent("FOGRA39", "Offset commercial and specialty printing according to "
                                              "ISO 12647-2:2004 / Amd 1, coated paper (FOGRA39)"),
        text_k=True,  # IngramSpark: black text "100% K only", no rich black
        # IngramSpark's File Creation Guide (cover): PDF/X-1a, CMYK only, "total ink density should not
        # exceed 240%": the cover is separated for the output intent's condition (FOGRA39) with that limit
        # (the profile made by scripts/make-cmyk-profile.sh from FOGRA's own characterization data).
        cmyk_profile="FOGRA39L-240.icc",
        safe_mm=inches(0.5),  # IngramSpark: 0.5 in (12.7 mm) from the trim, "including page numbers"
        safe_rule="IngramSpark: text and page numbers at least 0.5 in (12.7 mm) inside the trim",
        # Inside margin by page count (a third party's summary of IngramSpark's guide, cambric.pages.dev
        # "5.25x8 IngramSpark specs"): 1-150 pages 0.5 in, 151-400 0.625 in, 401-600 0.75 in, 601+ 0.875 in.
        gutter=((150, inches(0.5)), (400, inches(0.625)), (600, inches(0.75)), (10**9, inches(0.875))),
        gutter_rule="IngramSpark: inside margin 0.5 in to 150 pages, 0.625 in to 400, 0.75 in to 600, 0.875 in beyond",
        # IngramSpark's trade paperback sizes (its trim size list; to be checked against the current list).
        trims=(_in(5, 8), _in(5.06, 7.81), _in(5.25, 8), _in(5.5, 8.5), (138.0, 216.0), (148.0, 210.0),
               _in(6, 9), _in(6.14, 9.21), _in(6.69, 9.61), _in(7, 10), _in(7.5, 9.25), _in(8, 10),
               _in(8.5, 11), (210.0, 297.0)),
        trim_rule="IngramSpark offers these paperback trims only",
        pages=(18, 1200),  # IngramSpark: black-and-white paperback 18 pages at least; at most 1,200 (less on some trims)
        pages_rule="IngramSpark paperback: 18 to 1,200 pages",
    ),
    "lulu": Printer(
        "lulu", "Lulu", "Lulu, \"Book Creation Guide\" and help.lulu.com \"What is bleed?\"",
        # help.lulu.com: "fill the bleed area, 0.125 in (3.18 mm) past the trim edge on every side"
        bleed="0.125 in all round, only when something bleeds",
        links=False,  # Lulu makes a print-ready file of the interior: links and outline are of no use there
        full_fonts=True,  # Lulu Book Creation Guide: "all fonts must be embedded"
        safe_mm=inches(0.5),  # help.lulu.com: "Safety Margin which is 0.5 in (12.7 mm) inside the Trim Edge"
        safe_rule="Lulu: text within the safety margin, 0.5 in (12.7 mm) inside the trim",
        # help.lulu.com "Tips for formatting documents": "Leave at least 0.5 in margins on all your
        # pages. Most books will require a gutter of 0.2 - 0.3 in": inside = 0.5 + 0.3 in.
        gutter=((10**9, inches(0.8)),),
        gutter_rule="Lulu: at least 0.5 in margins, plus a gutter of 0.2-0.3 in inside",
        # Lulu's paperback sizes (Book Creation Guide): Pocket, Novella, Digest, A5, US Trade, Royal,
        # Executive, Comic, Crown Quarto, Square, US Letter, A4.
        trims=(_in(4.25, 6.875), _in(5, 8), _in(5.5, 8.5), (148.0, 210.0), _in(6, 9), _in(6.14, 9.21),
               _in(7, 10), _in(6.625, 10.25), _in(7.44, 9.68), _in(8.5, 8.5), _in(8.5, 11), (210.0, 297.0)),
        trim_rule="Lulu offers these book sizes only",
        pages=(32, 800),  # Lulu: perfect-bound paperback 32 to 800 pages
        pages_rule="Lulu perfect-bound paperback: 32 to 800 pages",
    ),
}
ALIASES = {"print": "proof"}  # the old name of the proof profile
NAMES = (*PROFILES, *ALIASES)


def printer(name: str) -> Printer:
    """The printer of a profile name (an alias resolved); a usage error naming the choices if unknown."""
    name = ALIASES.get(name, name)
    if name not in PROFILES:
        raise UsageError(f"unknown PDF profile {name!r}; expected one of: {', '.join(NAMES)}")
    return PROFILES[name]


def file_suffix(name: str) -> str:
    """The PDF's file name suffix: "" for the proof (``<slug>.pdf``, as before), else ``-<profile>``."""
    p = printer(name)
    return "" if p.name == "proof" else f"-{p.name}"


# The design's margins (mm), kept where a printer asks for no more: top, outside, bottom, inside.
DESIGN = (17.0, 15.0, 20.0, 20.0)
HEAD_MM = 4.0  # the height of a running head or folio line (9 pt type, its line)
GAP_MM = 4.0  # between a running head (or folio) and the text block


def gutter_band(p: Printer, pages: int) -> int:
    """The index of the gutter step ``pages`` falls in (0 when the printer has no steps)."""
    return next((i for i, (up_to, _) in enumerate(p.gutter) if pages <= up_to), 0)


def margins(p: Printer, band: int = 0) -> tuple[float, float, float, float]:
    """(top, outside, bottom, inside) in mm: the design's, raised to the printer's minimums, so that the
    running heads and folios (set ``safe + 1`` mm from the trim) and the text stand inside them."""
    if not p.pod:
        return DESIGN
    edge = p.safe_mm + 1.0
    top, outside, bottom, inside = DESIGN
    inside_min = p.gutter[band][1] if p.gutter else 0.0
    return (max(top, edge + HEAD_MM + GAP_MM), max(outside, edge), max(bottom, edge + HEAD_MM + GAP_MM),
            max(inside, inside_min + 1.0, edge))


TEXT_K = "device-cmyk(0 0 0 1)"  # 100 % K, never a rich black


def page_css(p: Printer, band: int = 0) -> str:
    """The profile's page CSS: margins (mirrored, the gutter inside), where heads and folios stand,
    bleed, links' colour and, for 100 % K, every colour in DeviceCMYK black."""
    top, outside, bottom, inside = margins(p, band)
    rules = [f"@page {{ margin: {top:.2f}mm {outside:.2f}mm {bottom:.2f}mm {inside:.2f}mm; }}",
             f"@page :left {{ margin-left: {outside:.2f}mm; margin-right: {inside:.2f}mm; }}",
             f"@page :right {{ margin-left: {inside:.2f}mm; margin-right: {outside:.2f}mm; }}"]
    if p.pod:
        edge = p.safe_mm + 1.0
        rules.append(f"@page {{ @top-left {{ vertical-align: top; padding-top: {edge:.2f}mm; }} "
                     f"@top-right {{ vertical-align: top; padding-top: {edge:.2f}mm; }} "
                     f"@bottom-center {{ vertical-align: bottom; padding-bottom: {edge:.2f}mm; }} }}")
    if p.bleed_mm:
        rules.append(f"@page {{ bleed: {p.bleed_mm}mm; }}")
    if p.colour_links:
        rules.append("a, .citation a, .contents a, .bibliography a { color: #8a1c1c; }")
    if p.text_k:
        black = TEXT_K
        rules.append(f"mark {{ background: device-cmyk(0 0 0 0.1) !important; }}")  # print.css's grey, in K
        rules.append(f"*, *::before, *::after, *::marker {{ color: {black} !important; border-color: {black} !important; }}")
        rules.append(f"@page {{ color: {black}; @top-left {{ color: {black}; }} @top-right {{ color: {black}; }} "
                     f"@bottom-center {{ color: {black}; }} @footnote {{ border-top-color: {black}; }} }}")
    return "\n".join(rules) + "\n"


def _size_mm(trim: str) -> tuple[float, float] | None:
    from .trim import trim_points

    points = trim_points(trim)
    return (points[0] * MM_PER_IN / 72, points[1] * MM_PER_IN / 72) if points else None


def trim_location(root) -> Location:
    """Where ``[print] trim`` stands in the book's config (the ``[print]`` line, or the file)."""
    from pathlib import Path

    from .config import _line_of

    path = Path(root) / CONFIG
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    return Location(CONFIG, _line_of(text, "print", "trim") or _line_of(text, "print"))


def check_trim(p: Printer, trim: str, where: Location | None = None) -> None:
    """Refuse (ConfigError, code P010) a trim the printer does not offer, quoting its rule."""
    if not p.pod:
        return
    size = _size_mm(trim)
    where = where or Location(CONFIG)
    if size is None:
        raise ConfigError(f"the trim {trim!r} cannot be read as a size", where, code="P010")
    w, h = size
    offered = any(abs(w - tw) <= 1.0 and abs(h - th) <= 1.0 for tw, th in p.trims)
    if p.custom_trim:
        (lw, lh), (uw, uh) = p.custom_trim
        offered = offered or (lw - 0.5 <= w <= uw + 0.5 and lh - 0.5 <= h <= uh + 0.5)
    if not offered:
        sizes = ", ".join(f"{tw:g}×{th:g} mm" for tw, th in p.trims)
        raise ConfigError(f"{p.title} does not print a {w:.0f}×{h:.0f} mm trim ({trim!r}). "
                          f"{p.trim_rule}" + (f": {sizes}" if sizes else ""), where, code="P010")


def check_page_count(p: Printer, count: int) -> None:
    """Refuse (BuildError, code P011) a page count outside what the printer prints."""
    if p.pages and not p.pages[0] <= count <= p.pages[1]:
        raise BuildError(f"the book has {count} pages; {p.pages_rule}", code="P011")


def check_words(p: Printer, words: list[tuple[int, str, float]]) -> None:
    """Refuse (BuildError, code P012) a PDF with words nearer the trim than the printer allows.
    ``words``: (page index, word, distance from the trim in mm) of the words too near, from the PDF."""
    if words:
        page, word, distance = words[0]
        raise BuildError(f"{len(words)} word(s) stand nearer the trim than {p.safe_mm:.1f} mm, the first "
                         f"{word!r} on page {page + 1} at {distance:.1f} mm: {p.safe_rule} "
                         "(book.css margins below the printer's minimum?)", code="P012")
