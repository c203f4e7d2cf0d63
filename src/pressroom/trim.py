"""The trim size of the printed book: the forms ``[print] trim`` accepts, read into points.

One definition, used by the config (to refuse anything else before it reaches a stylesheet) and by
the PDF checks (to compare the PDF's trim box with the configured size).
"""

from __future__ import annotations

import re

UNITS = {"mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0, "pt": 1.0, "px": 0.75}
NAMED = {"a4": (210, 297), "a5": (148, 210), "b5": (176, 250), "letter": (215.9, 279.4)}
SMALLEST_MM, LARGEST_MM = 50, 1000  # a page smaller or larger than this is a typo
ACCEPTED = ('a width and a height such as "138mm 216mm" (units mm, cm, in, pt, px; each side '
            f"{SMALLEST_MM}–{LARGEST_MM} mm), or one of: {', '.join(NAMED)}")


def trim_points(trim: str) -> tuple[float, float] | None:
    """``"138mm 216mm"`` → (391.2, 612.3) points; None if ``trim`` is not one of the ACCEPTED forms."""
    words = trim.lower().split()
    if len(words) == 1 and words[0] in NAMED:
        w, h = NAMED[words[0]]
        return w * UNITS["mm"], h * UNITS["mm"]
    if len(words) != 2:
        return None
    sizes = []
    for word in words:
        match = re.fullmatch(r"(\d{1,4}(?:\.\d{1,3})?)(mm|cm|in|pt|px)", word)
        if not match:
            return None
        points = float(match[1]) * UNITS[match[2]]
        if not SMALLEST_MM * UNITS["mm"] <= points <= LARGEST_MM * UNITS["mm"]:
            return None
        sizes.append(points)
    return sizes[0], sizes[1]
