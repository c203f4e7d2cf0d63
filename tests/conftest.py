import logging
import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from seed import ROOT  # noqa: E402


@pytest.fixture(scope="session")
def book():
    from pressroom.reader import load_book

    return load_book(ROOT)


# Builds run by the tests fail on any warning (a stylesheet declaration WeasyPrint ignores, an image it
# cannot load…), as WeasyPrint's own tests do: `pressroom build` reads --strict from this variable.
# A test that expects a warning runs `build --no-strict` (or `check`) and asserts it.
os.environ["PRESSROOM_STRICT"] = "1"


def pytest_configure(config):
    config.addinivalue_line("markers", "weasyprint_warnings: the test expects WeasyPrint to log warnings")


class _Records(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture(autouse=True)
def no_weasyprint_warnings(request):
    """Fail a test in which WeasyPrint logs a warning in this process, unless the test is marked
    ``weasyprint_warnings`` (it then asserts the findings it expects)."""
    handler = _Records()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        yield handler.records
    finally:
        logger.removeHandler(handler)
    if handler.records and request.node.get_closest_marker("weasyprint_warnings") is None:
        pytest.fail("WeasyPrint warned: " + "; ".join(r.getMessage() for r in handler.records))


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
