"""The citation parser, from a table: bracket text → cited items (or None: not a citation)."""

import pytest

from pressroom.citation_syntax import parse_citation
from pressroom.model import CiteItem as C

CASES = [
    ("@nove", (C("nove"),)),
    ("@nove, p. 174", (C("nove", label="page", locator="174"),)),
    ("Quoted in @nove, p. 174", (C("nove", prefix="Quoted in", label="page", locator="174"),)),
    ("@rb, pp. 82-3", (C("rb", label="page", locator="82-3"),)),
    ("@rb, pp. 82 - 3", (C("rb", label="page", locator="82-3"),)),
    ("-@lcw-26, p. 252", (C("lcw-26", label="page", locator="252", suppress_author=True),)),
    ("@sch, p. 424, my emphasis", (C("sch", label="page", locator="424", suffix=", my emphasis"),)),
    ("@a, p. 5; quoted by @b, p. 121",
     (C("a", label="page", locator="5"), C("b", prefix="quoted by", label="page", locator="121"))),
    ("see @x, chap. 3", (C("x", prefix="see", label="chapter", locator="3"),)),
    ("@x, vol. iv", (C("x", label="volume", locator="iv"),)),
    ("@x 1976 edition", (C("x", suffix="1976 edition"),)),
    ("@doe:2020", (C("doe:2020"),)),
    ("Party order", None),
    ("write to a@b.org", None),
    ("@", None),
]


@pytest.mark.parametrize("text, expected", CASES)
def test_parse_citation(text, expected):
    assert parse_citation(text) == expected
