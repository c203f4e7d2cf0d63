"""Issue 14's must-show: the shipped book set with eight official styles, compared with pandoc's own
HTML of the same chapter (``pandoc --citeproc`` on the Markdown, the reference engine as authors
run it). At least 98 % of the citations and of the bibliography entries identical as text.

What differs, and why:
- Pressroom's typography, which the book applies to every text, citations and bibliography
  included (``typography.typogrify``: a spaced hyphen becomes an en dash, "1935-36" in a title
  "1935–36", straight quotes curly): pandoc's text is passed through the same function before the
  comparison, so that only the citation engine's work is compared.
- Nothing else is known with pandoc 3.9: Pressroom hands pandoc the same citations (prefix,
  locator with the locale's label, suffix, suppress-author) and the same CSL-JSON, and reads back
  its output; the capital of a citation that opens a note is Pressroom's own, and pandoc makes it
  too. Each difference is printed when the test fails.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from lxml import html as lxml_html

from pressroom import model as m
from pressroom.adapters.pandoc_citeproc import pandoc_path
from pressroom.csl_styles import CURATED
from pressroom.pipeline import prepare_book
from pressroom.typography import typogrify
from seed import ROOT

STYLES = ["apa", "chicago-author-date", "chicago-note-bibliography", "modern-language-association",
          "harvard-cite-them-right", "modern-humanities-research-association", "ieee",
          "national-library-of-medicine"]
CHAPTER = "from-five-year-plan-to-the-purges.md"
NLM_PARENT = "vancouver"  # pandoc is given the parent too: it would fetch it from the network otherwise


def _text(value: str) -> str:
    return re.sub(r"\s+", " ", value.replace("\u00a0", " ")).strip()


def pandoc_reference(style: str, chapter: Path = ROOT / "manuscript" / CHAPTER,
                     bibliography: Path = ROOT / "manuscript" / "bibliography.json",
                     lang: str = "en-GB") -> tuple[list[str], dict[str, str]]:
    """pandoc's own HTML of a chapter (the shipped one by default): its citations in reading order
    (as text) and its bibliography entries (key → text)."""
    csl = CURATED / f"{NLM_PARENT if style == 'national-library-of-medicine' else style}.csl"
    out = subprocess.run(
        [pandoc_path(), str(chapter), "--citeproc", f"--csl={csl}",
         f"--bibliography={bibliography}", "-M", f"lang={lang}",
         "-M", "link-citations=true", "-M", "link-bibliography=false", "-t", "html"],
        capture_output=True, check=True).stdout.decode("utf-8")
    tree = lxml_html.fragment_fromstring(out, create_parent="div")
    notes = {li.get("id"): li for li in tree.iter("li")}
    for back in tree.xpath("//a[contains(@class, 'footnote-back')]"):
        back.getparent().remove(back)
    cites = []
    for span in tree.iter("span"):
        if "citation" not in (span.get("class") or "").split():
            continue
        call = span.xpath(".//a[contains(@class, 'footnote-ref')]")
        # A note style: the citation is a footnote of its own, its text in the notes' list.
        shown = notes[call[0].get("href")[1:]] if call else span
        cites.append(_text(typogrify(shown.text_content())))
    entries = {div.get("id")[len("ref-"):]: _text(typogrify(div.text_content()))
               for div in tree.iter("div") if "csl-entry" in (div.get("class") or "")}
    return cites, entries


def pressroom_result(tmp_path: Path, style: str) -> tuple[list[str], dict[str, str]]:
    book_dir = tmp_path / style
    shutil.copytree(ROOT / "manuscript", book_dir / "manuscript")
    config = book_dir / "manuscript" / "book.toml"
    text = re.sub(r'(?m)^style = .*$', f'style = "{style}"', config.read_text(encoding="utf-8"))
    config.write_text(text.replace("print_page_numbers = true", "print_page_numbers = false"), encoding="utf-8")
    book = prepare_book(book_dir)
    cites = [_text(m.cite_text(cite)) for _, cite in book.citations()]
    entries = {entry.key: _text(m.plain_text(entry.inlines)) for entry in book.bibliography}
    return cites, entries


def _agreement(ours: list[str], theirs: list[str]) -> tuple[int, list[tuple[str, str]]]:
    same = sum(a == b for a, b in zip(ours, theirs))
    return same, [(a, b) for a, b in zip(ours, theirs) if a != b]


@pytest.mark.parametrize("style", STYLES)
def test_the_shipped_book_agrees_with_pandoc(tmp_path, style):
    our_cites, our_entries = pressroom_result(tmp_path, style)
    their_cites, their_entries = pandoc_reference(style)
    assert len(our_cites) == len(their_cites) == 56
    same, differ = _agreement(our_cites, their_cites)
    assert same / len(our_cites) >= 0.98, f"{style}: {len(differ)} citations differ: {differ[:5]}"
    assert list(our_entries) == list(their_entries)  # the same works, in the style's order
    differ = [(our_entries[k], their_entries[k]) for k in our_entries if our_entries[k] != their_entries[k]]
    assert (len(our_entries) - len(differ)) / len(our_entries) >= 0.98, f"{style}: entries differ: {differ[:5]}"
