"""Typography from a table: (text, character before it) → expected text."""

import pytest

from pressroom import model as m
from pressroom.typography import mark_abbreviations, typogrify

NB = "\u00a0"
CASES = [
    ('"Yes," he said.', "", "\u201cYes,\u201d he said."),
    ("the 'lefts' and the workers' state", "", "the \u2018lefts\u2019 and the workers\u2019 state"),
    ("Stalin's \"Third Period\"", "", "Stalin\u2019s \u201cThird Period\u201d"),
    ("\"'I will not tell you,' she said.\"", "", "\u201c\u2018I will not tell you,\u2019 she said.\u201d"),
    ('" ends a quote', "d", "\u201d ends a quote"),  # after a word in the previous node: closing
    ('"opens', " ", "\u201copens"),
    ("individuals - the head", "", "individuals \u2013 the head"),
    ("carrion -", "", "carrion \u2013"),
    ("in 1927-28 and 1931-33", "", "in 1927\u201328 and 1931\u201333"),
    ("pp. 82-3", "", f"pp.{NB}82\u20133"),
    ("p. 38", "", f"p.{NB}38"),
    ("Vol. 27", "", f"Vol.{NB}27"),
    ("J. V. Stalin", "", f"J.{NB}V.{NB}Stalin"),
    ("I.S. Ganetsky", "", f"I.S.{NB}Ganetsky"),
    ("tempo somewhat...", "", "tempo somewhat\u2026"),
    ("May-June offensive, Stalin-Bukharin", "", "May-June offensive, Stalin-Bukharin"),
    ("two  spaces", "", "two spaces"),
    ("\u2014It was", "", "\u2014It was"),
    ("rock 'n' roll", "", "rock \u2018n\u2019 roll"),
]


@pytest.mark.parametrize("text, before, expected", CASES)
def test_typogrify(text, before, expected):
    assert typogrify(text, before) == expected


ABBREVIATIONS = [
    ("the GPU and the NKVD", (m.Text("the "), m.Abbr("GPU"), m.Text(" and the "), m.Abbr("NKVD"))),
    ("the SRs were", (m.Text("the "), m.Abbr("SR"), m.Text("s were"))),
    ("POUM's leaders", (m.Abbr("POUM"), m.Text("'s leaders"))),
    ("World War II", (m.Text("World War II"),)),
    ("A tragic", (m.Text("A tragic"),)),
]


@pytest.mark.parametrize("text, expected", ABBREVIATIONS)
def test_mark_abbreviations(text, expected):
    assert mark_abbreviations(text) == expected
