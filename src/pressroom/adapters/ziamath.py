"""ziamath, as Pressroom uses it (the PDF's formulas), and its quirks. Written for ziamath 0.13
(``WRITTEN_FOR``) on ziafont 0.11.

- ziafont logs through the root logger (``logging.debug(...)``), and the first such call makes
  ``logging`` install a handler on stderr for the whole process: every INFO message after it
  (WeasyPrint's progress) was printed by the build. A ``NullHandler`` stands on the root logger while
  it draws, so ``logging`` installs none (:func:`draw`).
- By default each glyph is an SVG ``<symbol>`` with an id of its own, the same in every formula:
  WeasyPrint then warns "Anchor defined twice" for each glyph of a second formula. Pressroom draws
  with ``ziafont.config.svg2`` off (plain paths, no ids), restored after.
- It loads its font with ``importlib.resources.path``, deprecated (a DeprecationWarning): silenced
  while it draws.
"""

from __future__ import annotations

import logging
import warnings
from contextlib import contextmanager

WRITTEN_FOR = "0.13"


@contextmanager
def _root_logger_quiet():
    root = logging.getLogger()
    null = logging.NullHandler()
    root.addHandler(null)
    try:
        yield
    finally:
        root.removeHandler(null)


def draw(mathml: str, size: float) -> tuple[str, float, float, float]:
    """A MathML formula drawn at ``size`` px: (the SVG, width, height, the bottom's offset from the
    baseline, negative below it), in px."""
    with _root_logger_quiet(), warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import ziafont
        import ziamath

        svg2, ziafont.config.svg2 = ziafont.config.svg2, False
        try:
            drawn = ziamath.Math(mathml, size=size)
            width, height = drawn.getsize()
            return drawn.svg(), width, height, drawn.getyofst()
        finally:
            ziafont.config.svg2 = svg2
