"""TeX math (``$…$``, ``$$…$$``) → MathML for the EPUB and the preview, → SVG for the PDF.

Chosen by measurement (the sample formulas of the kitchen-sink book, one process): latex2mathml
converts a formula in 0.2–8 ms (import 0.36 s, only for a book with math); WeasyPrint draws no
MathML, so the PDF draws each formula's MathML with ziamath (pure Python, its own STIX Two Math
font: 5–16 ms a formula, import 0.5 s) as an SVG set on the text's baseline. Both libraries are
imported only when a chapter has math.
"""

from __future__ import annotations

import re
from functools import lru_cache

# latex2mathml leaves a command it does not know as an identifier "\foo": never shown to a reader.
_UNKNOWN = re.compile(r"<m[io][^>]*>(\\[A-Za-z]+)</m[io]>")
MATH_SIZE = 24.0  # ziamath's drawing size (px); the SVG is then scaled to the text (em) by CSS


def tex_to_mathml(tex: str, display: bool) -> str:
    """A TeX formula as a MathML ``<math>`` element (display or inline), ``alttext`` its TeX.
    ValueError naming what cannot be read (a TeX command latex2mathml does not know)."""
    from latex2mathml.converter import convert

    try:
        mathml = convert(tex, display="block" if display else "inline")
    except Exception as exc:  # latex2mathml raises its own errors and plain ones on bad input
        raise ValueError(f"the formula cannot be read ({type(exc).__name__}: {exc})") from None
    unknown = _UNKNOWN.search(mathml)
    if unknown:
        raise ValueError(f"the TeX command {unknown.group(1)} is not known")
    alt = tex.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return mathml.replace("<math ", f'<math alttext="{alt}" ', 1)


@lru_cache(maxsize=1024)
def mathml_to_svg(mathml: str) -> tuple[str, float, float, float]:
    """A formula's MathML drawn as SVG: (the SVG, its width and height in em of the text, how far
    its bottom stands below the baseline in em)."""
    from .adapters.ziamath import draw

    svg, width, height, below = draw(mathml, MATH_SIZE)
    return svg, width / MATH_SIZE, height / MATH_SIZE, below / MATH_SIZE
