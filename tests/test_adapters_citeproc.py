"""The citeproc-py workaround (adapters/citeproc.py): still working, still needed, same output."""

import citeproc
from citeproc.model import CitationStylesElement

from bookmaker import make_book
from pressroom.adapters import citeproc as adapter
from pressroom.citations import book_cites, print_citations, style_source
from pressroom.reader import load_book

CHAPTER = ("# A\n\nOne [@trotsky-revolution-betrayed, p. 38]. Two [@nove-economic-history, p. 3; "
           "@trotsky-revolution-betrayed, p. 40]. Three [-@nove-economic-history, p. 5].\n")


def _inputs(tmp_path):
    book = load_book(make_book(tmp_path, {"a.md": CHAPTER}))
    return (*style_source(book), book.references, book_cites(book))


def test_written_for_the_installed_version():
    # A new citeproc-py may cache its lookups itself, or look them up differently: look again.
    assert citeproc.__version__ == adapter.WRITTEN_FOR


def test_the_answers_kept_give_the_same_citations_and_are_still_needed(tmp_path, monkeypatch):
    inputs = _inputs(tmp_path)
    original = CitationStylesElement.xpath_search
    asked = []

    def counted(self, expression):
        asked.append(expression)
        return original(self, expression)

    monkeypatch.setattr(CitationStylesElement, "xpath_search", counted)
    with_adapter = print_citations(*inputs)  # the adapter wraps the counted lookup: only first askings reach it
    first_askings = len(asked)
    asked.clear()
    monkeypatch.setattr(adapter, "style_lookups_kept", _plain)
    monkeypatch.setattr("pressroom.citations.style_lookups_kept", _plain)
    without = print_citations(*inputs)
    assert with_adapter == without  # same printed citations and bibliography
    assert CitationStylesElement.xpath_search is counted  # the class is left as it was
    # Still needed: without it citeproc-py asks the same questions again and again.
    assert len(asked) > 2 * first_askings > 0


def _plain():
    from contextlib import nullcontext

    return nullcontext()
