"""The book's hyphenation exceptions (``[typography] hyphenation = ["Sta-lin", "Bukh-arin"]``).

Words are hyphenated by the language of their element (WeasyPrint's ``lang`` with pyphen's
dictionaries; EPUB reading systems with their own), and a dictionary can be wrong: pyphen's en-GB
breaks "Stal-in". An exception gives a word's break points: :func:`soft_hyphens` puts a soft
hyphen (U+00AD) at each, and a word holding soft hyphens breaks only there (CSS Text 3,
``hyphens: auto``; WeasyPrint and reading systems follow it). The word is matched whole, in the
case given, so "Stalin’s" is hyphenated and "Stalinist" is not.
"""

from __future__ import annotations

import re
from functools import lru_cache

SHY = "\u00ad"
_EXCEPTION = re.compile(r"^\w+(-\w+)+$")


def exception_problem(entry: str) -> str:
    """Why ``entry`` is no hyphenation exception ("" when it is one: letters with hyphens between)."""
    if not _EXCEPTION.match(entry):
        return f"{entry!r} is not a word with its break points as hyphens, such as \"Sta-lin\""
    return ""


@lru_cache(maxsize=16)
def _pattern(exceptions: tuple[str, ...]) -> tuple[re.Pattern, dict[str, str]]:
    words = {e.replace("-", ""): e.replace("-", SHY) for e in exceptions}
    alternatives = "|".join(re.escape(w) for w in sorted(words, key=lambda w: (-len(w), w)))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)"), words


def soft_hyphens(text: str, exceptions: tuple[str, ...]) -> str:
    """``text`` with each word of ``exceptions`` ("Sta-lin") given soft hyphens at its break points.

    >>> soft_hyphens("Stalin’s Stalinist", ("Sta-lin",)) == "Sta\\u00adlin’s Stalinist"
    True
    """
    if not exceptions:
        return text
    pattern, words = _pattern(exceptions)
    return pattern.sub(lambda mt: words[mt.group()], text)
