"""The cover's sheet: where the back, spine and front, the folds, the safe areas and the barcode stand.

``cover_sheet(profile, trim, paper, pages)`` → a :class:`CoverSheet` in millimetres, origin at the
top left of the sheet (bleed included): bleed + back + spine + front + bleed wide, trim height + 2 ×
bleed high, the spine from the printer's figures (:mod:`pressroom.cover_rules`). One definition,
used by the cover writer (to place things), by ``check`` (to measure the PDF against it) and by the
tests (to derive what they expect).
"""

from __future__ import annotations

from dataclasses import dataclass

from .cover_rules import CoverRules, cover_rules, spine_has_text, spine_width_in
from .printers import MM_PER_IN


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def holds(self, x0: float, y0: float, x1: float, y1: float, slack: float = 0.05) -> bool:
        """Whether the box (x0, y0)–(x1, y1) lies inside, within ``slack`` mm."""
        return (x0 >= self.x - slack and y0 >= self.y - slack and x1 <= self.right + slack
                and y1 <= self.bottom + slack)


@dataclass(frozen=True)
class CoverSheet:
    rules: CoverRules
    paper: str
    pages: int
    trim_w: float
    trim_h: float
    bleed: float
    spine: float

    @property
    def width(self) -> float:
        return 2 * self.trim_w + self.spine + 2 * self.bleed

    @property
    def height(self) -> float:
        return self.trim_h + 2 * self.bleed

    @property
    def folds(self) -> tuple[float, float]:
        """The x of the back's fold and of the front's fold."""
        return self.bleed + self.trim_w, self.bleed + self.trim_w + self.spine

    @property
    def back(self) -> Rect:
        return Rect(self.bleed, self.bleed, self.trim_w, self.trim_h)

    @property
    def front(self) -> Rect:
        return Rect(self.folds[1], self.bleed, self.trim_w, self.trim_h)

    @property
    def spine_panel(self) -> Rect:
        return Rect(self.folds[0], self.bleed, self.spine, self.trim_h)

    @property
    def safe(self) -> float:
        return self.rules.safe_in * MM_PER_IN

    def _inset(self, r: Rect, d: float) -> Rect:
        return Rect(r.x + d, r.y + d, r.w - 2 * d, r.h - 2 * d)

    @property
    def back_safe(self) -> Rect:
        return self._inset(self.back, self.safe)

    @property
    def front_safe(self) -> Rect:
        return self._inset(self.front, self.safe)

    @property
    def spine_clear(self) -> float:
        return self.rules.spine_clear_in * MM_PER_IN

    @property
    def spine_safe(self) -> Rect:
        """Where spine text may stand: clear of each fold by the printer's distance, the trim's safe
        distance from the top and bottom."""
        p = self.spine_panel
        return Rect(p.x + self.spine_clear, p.y + self.safe, max(p.w - 2 * self.spine_clear, 0.0),
                    p.h - 2 * self.safe)

    @property
    def spine_text(self) -> bool:
        return spine_has_text(self.rules, self.pages)

    @property
    def barcode(self) -> Rect:
        """The barcode's white box: lower right of the back, the printer's distance from the fold and
        the bottom trim."""
        w, h = (v * MM_PER_IN for v in self.rules.barcode_in)
        offset = self.rules.barcode_offset_in * MM_PER_IN
        return Rect(self.folds[0] - offset - w, self.bleed + self.trim_h - offset - h, w, h)

    def safe_areas(self) -> tuple[Rect, ...]:
        """Where live text may stand: the back's and front's safe areas, the spine's when it has text."""
        return (self.back_safe, self.front_safe) + ((self.spine_safe,) if self.spine_text else ())


def cover_sheet(profile: str, trim_mm: tuple[float, float], paper: str, pages: int) -> CoverSheet:
    """The sheet of a ``pages``-page book of trim ``trim_mm`` (width, height) on ``paper`` for the
    printer of ``profile``."""
    rules = cover_rules(profile)
    return CoverSheet(rules, paper, pages, trim_mm[0], trim_mm[1], rules.bleed_in * MM_PER_IN,
                      spine_width_in(rules, paper, pages) * MM_PER_IN)


def book_sheet(book, pages: int, profile: str) -> CoverSheet:
    """The cover sheet of ``book`` (its trim and ``[print] paper``) with ``pages`` pages for the printer
    of ``profile``: ConfigError K001 for a profile without cover rules, K003 for a page count the
    printer does not bind, each at its book.toml line."""
    from pathlib import Path

    from .config import setting_location
    from .errors import ConfigError
    from .printers import printer
    from .trim import trim_points

    where = setting_location(Path(book.root), "print", "profile")
    cover_rules(profile, where)
    p = printer(profile)
    if p.pages and not p.pages[0] <= pages <= p.pages[1]:
        raise ConfigError(f"the book has {pages} pages, and its cover cannot be made for {p.title}: {p.pages_rule}",
                          where, code="K003")
    points = trim_points(book.settings.trim_size)
    trim_mm = (points[0] * MM_PER_IN / 72, points[1] * MM_PER_IN / 72)
    return cover_sheet(profile, trim_mm, book.settings.paper, pages)
