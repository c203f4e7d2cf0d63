"""citeproc-py workarounds. Written for citeproc-py 0.11.1 (``WRITTEN_FOR``).

- :func:`style_lookups_kept`: within one run of the processor, each XPath lookup on a style
  element is answered once. citeproc-py asks the same questions of the same style elements over
  and over (3,500 lookups for the sample book's 56 citations, a third of its time: the macro of a
  name, the enclosing layout, a locale's term) and has no cache of its own.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

WRITTEN_FOR = "0.11.1"

_LOOKUPS = threading.Lock()


@contextmanager
def style_lookups_kept():
    """Within the ``with`` block, answer each ``xpath_search`` on a style element once.

    The answers cannot change during a run: the style is only ever added to where a ``<names>``
    has no ``<name>``, which no lookup looks at. Kept for the length of one run only; a lock keeps
    two runs (two preview threads) from patching the class at once.
    """
    from citeproc.model import CitationStylesElement

    original = CitationStylesElement.xpath_search
    answers: dict = {}

    def xpath_search(self, expression):
        # lxml hands back the same element object for a node while one is referenced, and the
        # keys here hold them, so an element is a stable key for the run.
        found = answers.get((self, expression))
        if found is None:
            found = answers[(self, expression)] = original(self, expression)
        return list(found)

    with _LOOKUPS:
        CitationStylesElement.xpath_search = xpath_search
        try:
            yield
        finally:
            CitationStylesElement.xpath_search = original
