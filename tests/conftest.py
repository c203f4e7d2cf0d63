import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from seed import ROOT  # noqa: E402


@pytest.fixture(scope="session")
def book():
    from pressroom.reader import load_book

    return load_book(ROOT)
