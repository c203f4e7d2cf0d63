import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from seed import ROOT  # noqa: E402


@pytest.fixture(scope="session")
def book():
    from pressroom.reader import load_book

    return load_book(ROOT)


def pytest_addoption(parser):
    parser.addoption("--update-golden", action="store_true", default=False,
                     help="Rewrite the golden files of the test corpus (tests/corpus/*/golden/) from this build.")


@pytest.fixture(scope="session")
def update_golden(request) -> bool:
    return request.config.getoption("--update-golden")


@pytest.fixture(scope="session")
def corpus(tmp_path_factory):
    """A function: book name → the book built once in this session (see tests/corpus_books.py)."""
    from corpus_books import build_book

    built = {}

    def get(name: str):
        if name not in built:
            built[name] = build_book(name, tmp_path_factory.mktemp(f"corpus-{name}"))
        return built[name]

    return get


@pytest.fixture(scope="session")
def built_books(tmp_path_factory):
    """Every book of the corpus and the shipped book, built on demand, once per session (see builtbooks.py)."""
    from builtbooks import BuiltBooks

    return BuiltBooks(tmp_path_factory.mktemp("built-books"))
