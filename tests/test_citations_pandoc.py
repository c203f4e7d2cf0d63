"""Citations set by pandoc's citeproc: harder bibliographic data in a note style and an author-date
style (compared with pandoc's own HTML of the same chapter), the bibliography formats, the styles
by name, the locale, Pressroom's own part (links, capitals, suppress-author), the memo, and the
mistakes a book can make."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from bookmaker import make_book
from pressroom import model as m
from pressroom.errors import PressroomError
from pressroom.memo import Memo
from pressroom.pipeline import prepare_book
from test_citations_vs_pandoc import pandoc_reference

HARDER = Path(__file__).resolve().parent / "data" / "harder"
CONFIG = """\
[book]
title = "Harder Data"
author = "Ann Author"
language = "{language}"
identifier = "urn:uuid:00000000-0000-4000-8000-000000000014"

[contents]
body = ["chapter.md"]

[bibliography]
file = {files}
{more}
"""


def harder_book(tmp_path: Path, style: str, language: str = "en-GB", more: str = "") -> Path:
    """A book of tests/data/harder: its chapter, its .bib file as it is (no conversion step)."""
    root = tmp_path / f"harder-{style}"
    (root / "manuscript").mkdir(parents=True)
    shutil.copy(HARDER / "chapter.md", root / "manuscript" / "chapter.md")
    shutil.copy(HARDER / "refs.bib", root / "manuscript" / "refs.bib")
    (root / "manuscript" / "book.toml").write_text(
        CONFIG.format(language=language, files='"refs.bib"', more=f'style = "{style}"\n{more}'), encoding="utf-8")
    return root


def _text(inlines) -> str:
    return re.sub(r"\s+", " ", m.plain_text(inlines).replace("\u00a0", " ")).strip()


def _cites(book: m.Book) -> list[m.Cite]:
    return [cite for _, cite in book.citations()]


@pytest.mark.parametrize("style", ["chicago-note-bibliography", "apa"])
def test_harder_data_is_set_as_pandoc_sets_it(tmp_path, style):
    root = harder_book(tmp_path, style)
    book = prepare_book(root)
    ours = [re.sub(r"\s+", " ", m.cite_text(c).replace("\u00a0", " ")).strip() for c in _cites(book)]
    theirs, entries = pandoc_reference(style, chapter=root / "manuscript" / "chapter.md",
                                       bibliography=root / "manuscript" / "refs.bib")
    assert ours == theirs
    assert {e.key: _text(e.inlines) for e in book.bibliography} == entries
    # every work cited is listed once, and no locator or suffix leaks into an entry
    assert len(book.bibliography) == 13
    for entry in book.bibliography:
        assert not re.search(r"512|my emphasis|, 50\b|chap\. 3", _text(entry.inlines)), _text(entry.inlines)
    shown = {e.key: _text(e.inlines) for e in book.bibliography}
    assert shown["mao-salt"].startswith("毛泽东.")  # not ". 泽东 . 毛"
    assert "https://doi.org/10.1234/jss.2011.0042" in shown["ng-brine"]
    assert "Reynolds" in shown["braudel-mediterranean"]
    assert shown["delafontaine-fables"].startswith("La Fontaine, J")


def test_author_date_disambiguates_and_suppresses_the_author(tmp_path):
    book = prepare_book(harder_book(tmp_path, "apa"))
    texts = [m.cite_text(c).replace("\u00a0", " ") for c in _cites(book)]
    assert "(Kurlansky, 2002a, p. 12; 2002b, p. 7)" in texts
    assert "(2002a, p. 13)" in texts  # [-@kurlansky-a, p. 13]: pandoc's suppress-author
    assert "(see Lane & Okafor, 1998, pp. 3–5)" in texts  # a prefix, a page range formatted
    assert "(Okafor, 1998, p. 50, my emphasis)" in texts  # a locator and a suffix
    assert "(Braudel, 1972, vol. 2, p. 512)" in texts  # several locators


def test_each_work_of_a_resorted_citation_links_to_its_own_entry(tmp_path):
    # [@vangogh-letters; @delafontaine-fables, p. 9]: APA sorts the works, La Fontaine first.
    book = prepare_book(harder_book(tmp_path, "apa"))
    cite = next(c for c in _cites(book) if [i.key for i in c.items] == ["vangogh-letters", "delafontaine-fables"])
    linked = [(s.key, _text(s.inlines)) for s in cite.rendered if s.key]
    assert linked == [("delafontaine-fables", "La Fontaine, 1668, p. 9"), ("vangogh-letters", "van Gogh, 2009")]
    # IEEE numbers the works: each number links to its entry
    book = prepare_book(harder_book(tmp_path / "ieee", "ieee"))
    cite = next(c for c in _cites(book) if len(c.items) == 2 and c.items[0].key == "kurlansky-a")
    assert [s.key for s in cite.rendered if s.key] == ["kurlansky-a", "kurlansky-b"]
    numbers = {e.key: _text(e.inlines).split("]")[0] + "]" for e in book.bibliography}
    assert [_text(s.inlines) for s in cite.rendered if s.key] == [
        numbers["kurlansky-a"][:-1] + ", p. 12]", numbers["kurlansky-b"][:-1] + ", p. 7]"]


def test_a_note_that_opens_with_a_citation_opens_with_a_capital(tmp_path, monkeypatch):
    chapter = ("# A\n\nOne [@trotsky-revolution-betrayed, p. 38]. Two.[^a]\n\n"
               "[^a]: [@trotsky-revolution-betrayed, p. 38] is where it is said.\n")
    root = make_book(tmp_path, {"a.md": chapter})
    config = root / "manuscript" / "book.toml"
    config.write_text(config.read_text() + 'style = "oscola"\n')
    notes = prepare_book(root).chapters[0].notes
    shown = lambda note: "".join(m.cite_text(i) if isinstance(i, m.Cite) else m.plain_text((i,))
                                 for i in note.blocks[0].inlines).replace("\u00a0", " ")
    # OSCOLA writes "ibid" in lower case; opening a note, it takes a capital
    assert [shown(n) for n in notes] == ["Leon Trotsky, The Revolution Betrayed, p 38.", "Ibid. is where it is said."]
    from pressroom import citations

    monkeypatch.setattr(citations, "_capitalised", lambda segments: segments)
    assert shown(prepare_book(root).chapters[0].notes[1]).startswith("ibid.")  # as the style prints it


def test_the_locale_comes_from_the_language_and_can_be_set_apart(tmp_path):
    texts = lambda root: [m.cite_text(c).replace("\u00a0", " ") for c in _cites(prepare_book(root))]
    german = texts(harder_book(tmp_path / "de", "apa", language="de"))
    assert "(Ng & Patel, 2011, S. 205)" in german  # "S." for a page in German, from "p. 205"
    english = texts(harder_book(tmp_path / "en", "apa", language="de", more='locale = "en-US"'))
    assert "(Ng & Patel, 2011, p. 205)" in english
    with pytest.raises(PressroomError) as caught:
        prepare_book(harder_book(tmp_path / "xx", "apa", more='locale = "qq-ZZ"'))
    assert caught.value.findings[0].code == "R002" and caught.value.findings[0].file == "manuscript/book.toml"


def test_british_punctuation_in_en_gb(tmp_path):
    gb = prepare_book(harder_book(tmp_path / "gb", "chicago-note-bibliography"))
    us = prepare_book(harder_book(tmp_path / "us", "chicago-note-bibliography", language="en-US"))
    pick = lambda book: next(_text(e.inlines) for e in book.bibliography if e.key == "times-salt-tax")
    assert "‘Salt Tax Repealed’." in pick(gb)
    assert "“Salt Tax Repealed.”" in pick(us)


# ---------------------------------------------------------------- bibliography formats

def _one_chapter(tmp_path, files: dict[str, str], listed: str, cites: str = "[@a, p. 3] [@b]") -> Path:
    root = make_book(tmp_path, {"a.md": f"# A\n\n{cites}\n"})
    for name, text in files.items():
        (root / "manuscript" / name).write_text(text, encoding="utf-8")
    config = root / "manuscript" / "book.toml"
    config.write_text(config.read_text().replace('file = "refs.json"', f"file = {listed}"))
    return root


BIB = "@book{a,\n  author = {M{\\\"u}ller, Hans},\n  title = {{\\'E}tudes},\n  date = {1999},\n}\n"
RIS = "TY  - BOOK\nID  - b\nAU  - Nove, Alec\nTI  - An Economic History\nPY  - 1969\nER  - \n"
YAML = "references:\n- id: b\n  type: book\n  author:\n  - family: Nove\n    given: Alec\n  title: Yaml Book\n"


def test_several_files_in_several_formats(tmp_path):
    root = _one_chapter(tmp_path, {"a.bib": BIB, "b.ris": RIS}, '["a.bib", "b.ris"]')
    book = prepare_book(root)
    shown = {e.key: _text(e.inlines) for e in book.bibliography}
    assert shown["a"].startswith("Müller, Hans. Études")  # accent macros and braces read right
    assert shown["b"].startswith("Nove, Alec. An Economic History")
    root = _one_chapter(tmp_path / "yaml", {"b.yaml": YAML, "a.bib": BIB}, '["a.bib", "b.yaml"]')
    assert "Yaml Book" in _text(prepare_book(root).bibliography[-1].inlines)


def test_a_key_defined_in_two_files_is_an_error(tmp_path):
    root = _one_chapter(tmp_path, {"a.bib": BIB, "again.bib": "\n\n" + BIB.replace("@book{a", "@book{a")},
                        '["a.bib", "again.bib"]', cites="[@a]")
    with pytest.raises(PressroomError) as caught:
        prepare_book(root)
    problem = caught.value.findings[0]
    assert (problem.code, problem.file, problem.line) == ("R001", "manuscript/again.bib", 3)
    assert "also in manuscript/a.bib, line 1" in problem.message


def test_a_broken_bib_entry_names_file_line_and_entry(tmp_path):
    broken = BIB + "\n@book{broken,\n  title = {Never closed,\n  date = 2001\n"
    root = _one_chapter(tmp_path, {"a.bib": broken}, '"a.bib"', cites="[@a]")
    with pytest.raises(PressroomError) as caught:
        prepare_book(root)
    problem = caught.value.findings[0]
    assert problem.code == "R001" and problem.file == "manuscript/a.bib" and problem.line >= 7
    assert "'broken'" in problem.message


def test_an_unknown_bibliography_format_is_an_error(tmp_path):
    root = _one_chapter(tmp_path, {"a.txt": "x"}, '"a.txt"', cites="[@a]")
    with pytest.raises(PressroomError) as caught:
        prepare_book(root)
    assert caught.value.findings[0].code == "R001" and "CSL-JSON (.json)" in caught.value.message


# ---------------------------------------------------------------- styles

def test_a_dependent_style_is_set_with_its_parent(tmp_path):
    nlm = prepare_book(harder_book(tmp_path / "nlm", "national-library-of-medicine"))
    vancouver = prepare_book(harder_book(tmp_path / "v", "vancouver"))
    assert [m.cite_text(c) for c in _cites(nlm)] == [m.cite_text(c) for c in _cites(vancouver)]


def test_a_style_that_is_not_csl_or_unknown_by_name_is_an_error(tmp_path):
    root = make_book(tmp_path, {"a.md": "# A\n\n[@nove-economic-history]\n"})
    config = root / "manuscript" / "book.toml"
    (root / "styles").mkdir()
    (root / "styles" / "x.csl").write_text("<html><body/></html>\n")
    config.write_text(config.read_text() + 'style = "styles/x.csl"\n')
    with pytest.raises(PressroomError) as caught:
        prepare_book(root)
    assert (caught.value.findings[0].code, caught.value.findings[0].file) == ("R002", "styles/x.csl")
    config.write_text(config.read_text().replace('"styles/x.csl"', '"chicago-notes"'))
    with pytest.raises(PressroomError) as caught:
        prepare_book(root)
    assert caught.value.findings[0].code == "R002" and "chicago-note-bibliography" in caught.value.message


def test_a_dependent_style_whose_parent_is_not_shipped_is_refused(tmp_path):
    root = make_book(tmp_path, {"a.md": "# A\n\n[@nove-economic-history]\n"})
    (root / "styles").mkdir()
    (root / "styles" / "dep.csl").write_text(
        '<?xml version="1.0"?>\n<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0">\n<info>\n'
        '<link href="http://www.zotero.org/styles/elsevier-harvard" rel="independent-parent"/>\n</info>\n</style>\n')
    config = root / "manuscript" / "book.toml"
    config.write_text(config.read_text() + 'style = "styles/dep.csl"\n')
    with pytest.raises(PressroomError) as caught:
        prepare_book(root)
    assert (caught.value.findings[0].code, caught.value.findings[0].line) == ("R002", 4)


def test_the_quick_outline_of_a_style_agrees_with_lxml():
    """A style is outlined with expat on the way to pandoc (lxml's import is too slow there); every
    shipped style, a dependent one and one in an encoding expat cannot read agree with lxml's tree."""
    from pressroom.csl_styles import CURATED, HOUSE, _lxml_outline, parse_style, style_outline

    dependent = ('<?xml version="1.0"?>\n<style xmlns="http://purl.org/net/xbiblio/csl" version="1.0">\n<info>\n'
                 '<link href="x" rel="self"/><link href="http://www.zotero.org/styles/apa" rel="independent-parent"/>'
                 '\n</info>\n</style>\n').encode()
    latin2 = ('<?xml version="1.0" encoding="ISO-8859-2"?>\n<style xmlns="http://purl.org/net/xbiblio/csl" '
              'class="note"><info><title>Styl Łódź</title></info><citation/></style>').encode("iso-8859-2")
    styles = [path.read_bytes() for path in [HOUSE, *sorted(CURATED.glob("*.csl"))]] + [dependent, latin2]
    outlines = [style_outline(data, "s.csl") for data in styles]
    assert outlines == [_lxml_outline(parse_style(data, "s.csl")) for data in styles]
    assert outlines[-2].parent == ("http://www.zotero.org/styles/apa", 4) and not outlines[-2].has_citation
    assert outlines[-1].css_class == "note" and outlines[-1].has_citation
    assert {"note", "in-text"} <= {o.css_class for o in outlines[:-2]}


def test_a_missing_pandoc_says_how_to_mend_the_install(tmp_path, monkeypatch):
    import pypandoc

    from pressroom.adapters import pandoc_citeproc

    def gone():
        raise OSError("No pandoc was found")

    monkeypatch.setattr(pypandoc, "get_pandoc_path", gone)  # no pandoc on the PATH either
    monkeypatch.setattr(pandoc_citeproc, "_wheel_program", lambda: None)  # the wheel's program is gone
    with pytest.raises(PressroomError) as caught:
        prepare_book(make_book(tmp_path, {"a.md": "# A\n\n[@nove-economic-history]\n"}))
    assert caught.value.findings[0].code == "B005" and "pip install" in caught.value.message


# ---------------------------------------------------------------- the memo

def test_an_edit_that_changes_no_citation_does_not_run_pandoc_again(tmp_path, monkeypatch):
    from pressroom import citations

    calls = []
    real = citations.run_pandoc
    monkeypatch.setattr(citations, "run_pandoc", lambda *a, **k: calls.append(1) or real(*a, **k))
    root = make_book(tmp_path, {"a.md": "# A\n\nOne [@nove-economic-history, p. 3].\n",
                                "b.md": "# B\n\nTwo [@trotsky-revolution-betrayed].\n"})
    memo = Memo()
    first = prepare_book(root, memo)
    assert len(calls) == 1
    # new text and lines above the citations: the citations are the same, pandoc is not asked
    (root / "manuscript" / "a.md").write_text("# A\n\nA new paragraph.\n\nOne [@nove-economic-history, p. 3].\n")
    memo.next_round()
    second = prepare_book(root, memo)
    assert len(calls) == 1
    assert [m.cite_text(c) for _, c in second.citations()] == [m.cite_text(c) for _, c in first.citations()]
    # a changed locator is a changed citation
    (root / "manuscript" / "b.md").write_text("# B\n\nTwo [@trotsky-revolution-betrayed, p. 9].\n")
    memo.next_round()
    third = prepare_book(root, memo)
    assert len(calls) == 2 and m.cite_text(third.chapters[1].blocks[0].inlines[1]).endswith("p.\u00a09)")


def test_nocite_lists_works_never_cited(tmp_path):
    root = make_book(tmp_path, {"a.md": "# A\n\nOnly Nove [@nove-economic-history, p. 1].\n"})
    config = root / "manuscript" / "book.toml"
    text = config.read_text()
    config.write_text(text + 'nocite = ["trotsky-revolution-betrayed"]\n')
    book = prepare_book(root)
    assert {e.key: e.cited_by for e in book.bibliography} == {
        "nove-economic-history": ("cite-a-1",), "trotsky-revolution-betrayed": ()}
    config.write_text(text + 'nocite = ["trotsky-revolution-betrayd"]\n')
    with pytest.raises(PressroomError) as caught:
        prepare_book(root)
    assert caught.value.findings[0].code == "C001" and "trotsky-revolution-betrayed" in caught.value.findings[0].message
    # a book that cites nothing may still list its works: "*" is every one
    root = make_book(tmp_path / "all", {"a.md": "# A\n\nNo citation.\n"})
    config = root / "manuscript" / "book.toml"
    config.write_text(config.read_text() + 'nocite = ["*"]\n')
    assert sorted(e.key for e in prepare_book(root).bibliography) == ["nove-economic-history",
                                                                      "trotsky-revolution-betrayed"]


# ---------------------------------------------------------------- pandoc, kept in its box

def test_written_for_the_installed_pandoc():
    # A new pandoc (a new pypandoc-binary): compare its citations with the tests above, then move it on.
    from pressroom.adapters.pandoc_citeproc import WRITTEN_FOR, pandoc_version

    assert pandoc_version() == WRITTEN_FOR


def test_pandoc_reads_nothing_outside_what_it_is_handed(tmp_path):
    from pressroom.adapters.pandoc_citeproc import run_pandoc

    secret = tmp_path / "secret.json"
    secret.write_text('[{"id": "stolen", "type": "book", "title": "Secret 7f3a"}]')
    (tmp_path / "secret.png").write_bytes(b"\x89PNG secret 7f3a")
    # the sandbox: a resource outside the temporary folder is not embedded (nor fetched from a URL)
    out = run_pandoc(["--from=markdown", "--to=html", "--embed-resources", "--standalone", "-M", "title=t"],
                     f"![x]({tmp_path / 'secret.png'})\n\n![y](https://example.org/x.png)\n".encode())
    assert b"7f3a" not in out and b"N0ZjNh" not in out
    # a CSL-YAML bibliography that names another bibliography does not bring it in
    root = _one_chapter(tmp_path / "book", {"b.yaml": YAML + f"bibliography: {secret}\n"}, '"b.yaml"', cites="[@b]")
    assert [e.key for e in prepare_book(root).bibliography] == ["b"]
