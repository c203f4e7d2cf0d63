"""Each print-on-demand printer's rules for a paperback cover: one table, every figure with its source.

``COVER_RULES`` maps a printer profile's name (:mod:`pressroom.printers`: ``kdp``, ``ingramspark``,
``lulu``) to its :class:`CoverRules`: the bleed round the sheet, how far live text stays inside the
trim, the spine's thickness per page on each paper, the page count from which the spine may carry
text and how far that text keeps from each fold, and the barcode's box. :func:`spine_width_in` is
the one definition of a spine's width; :func:`cover_rules` refuses a profile that has no cover
rules (the offset ``proof`` and the ``screen`` profiles have no paper to measure).

Where a figure comes from a third party's summary rather than the printer's own guide, its comment
says so; such a figure is to be checked against the printer's current guide.
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import ConfigError, Location

PAPERS = ("white", "cream", "colour")  # [print] paper


@dataclass(frozen=True)
class CoverRules:
    printer: str  # the profile's name
    guide: str  # where the rules come from
    bleed_in: float  # bleed on every side of the sheet
    safe_in: float  # live text at least this far inside each trim edge (and each fold)
    safe_rule: str
    inch_per_page: tuple[tuple[str, float], ...]  # paper → spine thickness per page (in)
    spine_extra_in: float  # added to pages × thickness (the cover's own wrap, where the printer adds it)
    spine_rule: str
    spine_text_pages: int  # the spine carries text from this page count on
    spine_text_rule: str
    spine_clear_in: float  # spine text this far from each fold
    barcode_in: tuple[float, float]  # the barcode's white box (width, height)
    barcode_offset_in: float  # the box this far from the spine fold and from the bottom trim
    barcode_rule: str

    def per_page(self, paper: str) -> float:
        return dict(self.inch_per_page)[paper]


COVER_RULES: dict[str, CoverRules] = {
    "kdp": CoverRules(
        "kdp", "KDP Help, \"Create a Paperback Cover\" and \"Paperback cover calculator\"",
        bleed_in=0.125,  # KDP: "0.125 in (3.2 mm) bleed on all sides of your cover"
        safe_in=0.125,  # KDP: "keep text and important images at least 0.125 in (3.2 mm) from the edges"
        safe_rule="KDP: text at least 0.125 in (3.2 mm) inside the trim and the spine's folds",
        # KDP cover calculator: spine = page count × 0.002252 in (black ink, white paper), × 0.0025 in
        # (black ink, cream paper), × 0.002347 in (premium colour ink, white paper).
        inch_per_page=(("white", 0.002252), ("cream", 0.0025), ("colour", 0.002347)),
        spine_extra_in=0.0,
        spine_rule="KDP: spine = pages × 0.002252 in (white), 0.0025 in (cream), 0.002347 in (colour)",
        # KDP: "Spine text is only allowed for books with more than 79 pages" (the first count with text: 80)
        spine_text_pages=80,
        spine_text_rule="KDP: spine text only for books of more than 79 pages",
        spine_clear_in=0.0625,  # KDP: "0.0625 in (1.6 mm) of space on either side of the spine text"
        # KDP: "barcode area ... 2 in by 1.2 in (50.8 by 30.5 mm)", lower right of the back cover, at
        # least 0.25 in (6.4 mm) from the spine and the trim edges.
        barcode_in=(2.0, 1.2), barcode_offset_in=0.25,
        barcode_rule="KDP: a 2 × 1.2 in barcode box, at least 0.25 in from the spine and the trim",
    ),
    "ingramspark": CoverRules(
        "ingramspark", "IngramSpark, \"File Creation Guide\" (cover) and its cover template generator",
        bleed_in=0.125,  # IngramSpark File Creation Guide: 0.125 in bleed on the cover
        safe_in=0.125,  # IngramSpark cover templates: the live area 0.125 in inside the trim (to be checked)
        safe_rule="IngramSpark: text at least 0.125 in inside the trim and the spine's folds",
        # A third party's summary of IngramSpark's paper tables (erelisdesign.com, "Book Spine Width
        # Explained"): white 440 pages per inch, cream 430; its standard colour is printed on the white
        # stock. To be checked against the template generator's figure for the book.
        inch_per_page=(("white", 1 / 440), ("cream", 1 / 430), ("colour", 1 / 440)),
        spine_extra_in=0.0,
        spine_rule="IngramSpark: spine = pages ÷ 440 in (white, colour) or ÷ 430 in (cream)",
        # IngramSpark: spine text from 48 pages (a third party's summary; to be checked)
        spine_text_pages=48,
        spine_text_rule="IngramSpark: spine text only from 48 pages",
        spine_clear_in=0.0625,  # IngramSpark cover template: 0.0625 in clear of each fold
        # IngramSpark's template draws the barcode box 1.75 × 1 in at the lower right of the back; the
        # KDP box (2 × 1.2 in) holds the 5-digit add-on better, and fits inside theirs' margins.
        barcode_in=(2.0, 1.2), barcode_offset_in=0.25,
        barcode_rule="IngramSpark: the barcode box at the lower right of the back, clear of the spine",
    ),
    "lulu": CoverRules(
        "lulu", "Lulu, \"Book Creation Guide\" (cover) and help.lulu.com \"Cover Spine Width\"",
        bleed_in=0.125,  # Lulu: "0.125 in (3.175 mm) bleed" round the cover
        safe_in=0.25,  # Lulu cover template: a safety margin 0.25 in inside the trim (to be checked)
        safe_rule="Lulu: text at least 0.25 in inside the trim and the spine's folds",
        # Lulu: spine width = (pages ÷ 444) + 0.06 in, for its standard papers.
        inch_per_page=(("white", 1 / 444), ("cream", 1 / 444), ("colour", 1 / 444)),
        spine_extra_in=0.06,
        spine_rule="Lulu: spine = pages ÷ 444 + 0.06 in",
        # Lulu: spine text needs 80 pages or more (Book Creation Guide; to be checked)
        spine_text_pages=80,
        spine_text_rule="Lulu: spine text only from 80 pages",
        spine_clear_in=0.0625,  # designers' practice, as KDP's rule: 1/16 in clear of each fold
        barcode_in=(2.0, 1.2), barcode_offset_in=0.25,  # Lulu places its own at the lower right of the back
        barcode_rule="Lulu: the barcode box at the lower right of the back, clear of the spine",
    ),
}


def cover_rules(profile: str, where: Location | None = None) -> CoverRules:
    """The cover rules of the printer ``profile`` names; ConfigError K001 for a profile without them."""
    from .printers import printer

    name = printer(profile).name
    if name not in COVER_RULES:
        raise ConfigError(f"a cover is sized by a printer's paper, and the profile {name!r} names none: set "
                          f"[print] profile (or --profile) to one of {', '.join(COVER_RULES)}", where, code="K001")
    return COVER_RULES[name]


def spine_width_in(rules: CoverRules, paper: str, pages: int) -> float:
    """The spine's width (in) of a ``pages``-page book on ``paper`` by the printer's figures."""
    return pages * rules.per_page(paper) + rules.spine_extra_in


def spine_has_text(rules: CoverRules, pages: int) -> bool:
    """Whether the printer lets a ``pages``-page book carry text on its spine."""
    return pages >= rules.spine_text_pages
