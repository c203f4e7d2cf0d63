"""The publisher's plain text (tests/data/seed-part-three.txt) and word lists to compare outputs with.

The fidelity checks compare *words*: typography (quotes, dashes, ellipses,
spaces) may change, words may not, except for the corrections listed in
manuscript/corrections.md.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = Path(__file__).resolve().parent / "data" / "seed-part-three.txt"

# A parenthetical source reference in the seed: "(Trotsky, …, p. 38.)", "(Ibid., p. 39.)", "(Roy Howard, …, 1936.)".
CITATION = re.compile(r"\((?:[^()]|\([^()]*\))*?(?:\bpp?\. ?\d|Ibid|interview,)(?:[^()]|\([^()]*\))*\)\.?")
# The two note calls; "(1)" and "(2)" in Lenin's numbered list are text.
NOTE_CALL = re.compile(r"(?<=GPU) \(1\)|(?<=Kuomintang) \(2\)")
WORD = re.compile(r"\w+(?:['’]\w+)*")


def words(text: str) -> list[str]:
    """The words of a text, apostrophes normalised; punctuation and spacing ignored."""
    return [w.replace("’", "'") for w in WORD.findall(text)]


def seed_lines() -> list[str]:
    return SEED.read_text(encoding="utf-8").split("\n")


@lru_cache(maxsize=1)
def corrections() -> list[tuple[int, str, str]]:
    """(seed line, as supplied, corrected) from the table in manuscript/corrections.md."""
    rows = []
    text = (ROOT / "manuscript" / "corrections.md").read_text(encoding="utf-8")
    for line in text.splitlines():
        match = re.match(r"^\|\s*(\d+)\s*\|\s*(.+?)\s*\|\s*(.+?)\s*\|\s*$", line)
        if match:
            rows.append((int(match[1]), match[2], match[3]))
    return rows


def seed_citations() -> list[tuple[int, str]]:
    """Every parenthetical source reference of the seed, with its line, in order."""
    found = []
    for n, line in enumerate(seed_lines(), 1):
        found.extend((n, m.group(0)) for m in CITATION.finditer(line))
    return found


def seed_body_words() -> list[str]:
    """The words of the seed's text (headings and prose, not the book and part titles),
    without source references, note calls and the notes, corrections applied."""
    out: list[str] = []
    fixes = corrections()
    for n, line in enumerate(seed_lines(), 1):
        if n in (1, 3) or re.match(r"^\(\d\) ", line):
            continue
        for at, before, after in fixes:
            if at == n:
                assert before in line, f"corrections.md: {before!r} is not on seed line {n}"
                line = line.replace(before, after)
        line = CITATION.sub(" ", line)
        line = NOTE_CALL.sub(" ", line)
        out.extend(words(line))
    return out


def seed_note_words() -> dict[str, list[str]]:
    """The words of the two notes, by number."""
    notes = {}
    for line in seed_lines():
        match = re.match(r"^\((\d)\) (.*?)(?: \(back to text\))?$", line)
        if match:
            notes[match[1]] = words(match[2])
    return notes
