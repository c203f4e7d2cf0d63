"""Book templates: overrides of a file or of one block, the sandbox, and mistakes as T001/T002 findings."""

import hashlib
import json
import subprocess
import sys
import zipfile

import pytest

from bookmaker import CONFIG, make_book
from pressroom.words import words_for

CHAPTER = ("# A\n\nText with a note[^n] and [@nove-economic-history, p. 3; @trotsky-revolution-betrayed].\n\n"
           "[^n]: The note.\n")
NO_PAGE_NUMBERS = "\n[epub]\nprint_page_numbers = false\n"  # an EPUB build that never lays out the PDF


def run(*args):
    return subprocess.run([sys.executable, "-m", "pressroom", *args], capture_output=True, text=True)


def book_with(tmp_path, templates: dict[str, str]):
    root = make_book(tmp_path / "book", {"a.md": CHAPTER}, CONFIG.format(body='["a.md"]') + NO_PAGE_NUMBERS)
    for name, text in templates.items():
        (root / "templates" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "templates" / name).write_text(text, encoding="utf-8")
    return root


def chapter_xhtml(root) -> str:
    """The chapter's page in the built EPUB (found by its content, whatever its file name)."""
    with zipfile.ZipFile(root / "dist" / "a-small-book.epub") as epub:
        pages = [epub.read(name).decode() for name in epub.namelist() if name.endswith(".xhtml")]
    (page,) = [page for page in pages if "Text with a note" in page]
    return page


def test_the_sandbox_runs_no_code(tmp_path):
    """Issue 19: {{ cycler.__init__.__globals__.os.popen(…) }} in a book template ran. Now: T001, nothing runs."""
    sentinel = tmp_path / "SENTINEL"
    attack = ("{% extends \"!epub/chapter.xhtml.j2\" %}\n{% block content %}"
              f"{{{{ cycler.__init__.__globals__.os.popen('touch {sentinel}').read() }}}}"
              "{% endblock %}\n")
    root = book_with(tmp_path, {"epub/chapter.xhtml.j2": attack})
    result = run("build", "--book", str(root), "--format", "epub")
    assert result.returncode == 1
    assert "templates/epub/chapter.xhtml.j2:2: error T001: not allowed in a template" in result.stderr
    assert "Traceback" not in result.stderr
    assert not sentinel.exists()
    assert not (root / "dist" / "a-small-book.epub").exists()
    # Other ways out of the sandbox are closed too (each tried alone).
    for expression in ("().__class__.__base__.__subclasses__()", "lipsum.__globals__", "meta.__class__",
                       "r.__dict__", "self._TemplateReference__context"):
        (root / "templates" / "epub" / "chapter.xhtml.j2").write_text(
            "{% extends \"!epub/chapter.xhtml.j2\" %}{% block content %}{{ " + expression + " }}{% endblock %}")
        result = run("build", "--book", str(root), "--format", "epub")
        assert result.returncode == 1 and "error T001" in result.stderr, (expression, result.stderr)


def test_one_block_is_overridden_by_extending_the_original(tmp_path):
    root = book_with(tmp_path, {
        "epub/chapter.xhtml.j2": '{% extends "!epub/chapter.xhtml.j2" %}\n'
                                 '{% block content %}<p class="draft">Draft of {{ meta.title }}</p>{{ super() }}'
                                 '{% endblock %}\n',
        "epub/page.xhtml.j2": '{% extends "!epub/page.xhtml.j2" %}\n'
                              '{% block head %}<meta name="edition" content="draft"/>{% endblock %}\n',
    })
    result = run("build", "--book", str(root), "--format", "epub")
    assert result.returncode == 0, result.stderr
    xhtml = chapter_xhtml(root)
    assert '<p class="draft">Draft of A Small Book</p>' in xhtml
    assert '<meta name="edition" content="draft"/>' in xhtml  # the chapter's frame is the book's override too
    assert 'epub:type="chapter"' in xhtml and "The note." in xhtml  # the rest is Pressroom's original
    assert xhtml.startswith("<?xml")


def test_a_whole_template_copied_from_an_older_release(tmp_path):
    """Issue 12: a book with a copy made by an older release failed with a Jinja traceback
    (UndefinedError: 'bibliography_only'). Now: T001 naming the file and line, and the way out."""
    old = ('{% extends "epub/page.xhtml.j2" %}\n{% import "parts.j2" as parts %}\n'
           '{% block content %}{% if bibliography_only %}x{% endif %}{{ parts.chapter_section(chapter, r) }}'
           '{% endblock %}\n')
    root = book_with(tmp_path, {"epub/chapter.xhtml.j2": old})
    result = run("build", "--book", str(root), "--format", "epub")
    assert result.returncode == 1
    assert ("templates/epub/chapter.xhtml.j2:3: error T001: 'bibliography_only' is undefined; this file replaces "
            "Pressroom's own epub/chapter.xhtml.j2") in result.stderr
    assert '{% extends "!epub/chapter.xhtml.j2" %}' in result.stderr
    assert "Traceback" not in result.stderr


def _package_parts():
    from pressroom.templates import PACKAGE_TEMPLATES

    text = (PACKAGE_TEMPLATES / "parts.j2").read_text(encoding="utf-8")
    line = next(n for n, row in enumerate(text.splitlines(), 1) if '<p class="book-author">' in row)
    return text, line


PARTS, PARTS_LINE = _package_parts()

# (what, the book's templates, the template and line the error names, words of the message)
MISTAKES = [
    ("syntax error", {"epub/chapter.xhtml.j2": '{% extends "!epub/chapter.xhtml.j2" %}\n\n{% block content %}'
                                                "{{ chapter.title_text }\n{% endblock %}"},
     "templates/epub/chapter.xhtml.j2:3", "template syntax error"),
    ("unclosed block", {"epub/page.xhtml.j2": '{% extends "!epub/page.xhtml.j2" %}\n{% block head %}\n'},
     "templates/epub/page.xhtml.j2:", "template syntax error"),
    ("undefined variable", {"epub/chapter.xhtml.j2": '{% extends "!epub/chapter.xhtml.j2" %}\n'
                                                     "{% block content %}\n{{ chapter.subtitle }}{% endblock %}"},
     "templates/epub/chapter.xhtml.j2:3", "has no attribute 'subtitle'"),
    ("filter that raises", {"epub/chapter.xhtml.j2": '{% extends "!epub/chapter.xhtml.j2" %}\n'
                                                     '{% block content %}{{ "%d pages" | format("many") }}'
                                                     "{% endblock %}"},
     "templates/epub/chapter.xhtml.j2:2", "TypeError"),
    ("division by zero", {"epub/chapter.xhtml.j2": '{% extends "!epub/chapter.xhtml.j2" %}\n\n\n'
                                                   "{% block content %}{{ 1 / 0 }}{% endblock %}"},
     "templates/epub/chapter.xhtml.j2:4", "ZeroDivisionError"),
    ("missing extends target", {"epub/chapter.xhtml.j2": '{% extends "!epub/chaptr.xhtml.j2" %}\n'},
     "templates/epub/chapter.xhtml.j2:1", "no template '!epub/chaptr.xhtml.j2'"),
    ("missing include", {"epub/chapter.xhtml.j2": '{% extends "!epub/chapter.xhtml.j2" %}\n'
                                                  '{% block content %}{% include "banner.j2" %}{% endblock %}'},
     "templates/epub/chapter.xhtml.j2:2", "no template 'banner.j2'"),
    ("mistake in a macro of a whole copy", {"parts.j2": PARTS.replace('<p class="book-author">',
                                                                      '{{ meta.nope }}<p class="book-author">')},
     f"templates/parts.j2:{PARTS_LINE}", "has no attribute 'nope'"),
]


@pytest.mark.parametrize("what, templates, where, words", MISTAKES, ids=[m[0] for m in MISTAKES])
def test_a_template_mistake_is_a_user_error_in_build_and_check(tmp_path, what, templates, where, words):
    root = book_with(tmp_path, templates)
    result = run("build", "--book", str(root), "--format", "epub")
    assert result.returncode == 1, result.stderr
    assert f"{where}" in result.stderr and "error T001: " in result.stderr and words in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    result = run("check", "--book", str(root), "--format", "json")
    assert result.returncode == 1, result.stderr
    findings = [f for f in json.loads(result.stdout)["findings"] if f["code"] == "T001"]
    assert findings and all(f["file"] == where.split(":")[0] for f in findings), findings
    assert words in findings[0]["message"]
    debug = run("--debug", "build", "--book", str(root), "--format", "epub")
    assert debug.returncode != 0 and "Traceback" in debug.stderr  # --debug shows where it came from


def test_a_template_outside_the_book_is_not_loaded(tmp_path):
    outside = tmp_path / "elsewhere.j2"
    outside.write_text('{% extends "!epub/chapter.xhtml.j2" %}{% block content %}outside{% endblock %}')
    root = book_with(tmp_path, {})
    (root / "templates" / "epub").mkdir(parents=True)
    (root / "templates" / "epub" / "chapter.xhtml.j2").symlink_to(outside)
    result = run("build", "--book", str(root), "--format", "epub")
    assert result.returncode == 1
    assert "templates/epub/chapter.xhtml.j2: error T001: 'templates/epub/chapter.xhtml.j2' points outside the " \
           "book folder" in result.stderr


def test_check_warns_when_a_copied_template_s_original_changed(tmp_path):
    from pressroom.templates import PACKAGE_TEMPLATES, template_overrides

    root = book_with(tmp_path, {})
    result = run("template", "copy", "--book", str(root), "epub/nav.xhtml.j2")
    assert result.returncode == 0, result.stderr
    copy = root / "templates" / "epub" / "nav.xhtml.j2"
    digest = hashlib.sha256((PACKAGE_TEMPLATES / "epub" / "nav.xhtml.j2").read_bytes()).hexdigest()
    assert copy.read_text().splitlines()[0] == f"{{# pressroom: from epub/nav.xhtml.j2 sha256:{digest} -#}}"
    assert template_overrides(root) == []
    assert run("check", "--book", str(root), "--lint-only", "--strict").returncode == 0
    # As if Pressroom's original had changed since the copy was made: the copy records another digest.
    copy.write_text(copy.read_text().replace(digest, "0" * 64))
    result = run("check", "--book", str(root), "--lint-only", "--format", "json")
    findings = json.loads(result.stdout)["findings"]
    assert [(f["code"], f["severity"], f["file"], f["line"]) for f in findings] == [
        ("T002", "warning", "templates/epub/nav.xhtml.j2", 1)]
    assert "has changed since" in findings[0]["message"] and digest in findings[0]["message"]
    assert result.returncode == 0
    assert run("check", "--book", str(root), "--lint-only", "--strict").returncode == 1
    # build shows the warning too, and --strict (the tests' default) refuses to write the file.
    result = run("build", "--book", str(root), "--format", "epub", "--no-strict")
    assert result.returncode == 0 and "templates/epub/nav.xhtml.j2:1: warning T002:" in result.stderr
    result = run("build", "--book", str(root), "--format", "epub", "--strict")
    assert result.returncode == 1 and "error: 1 warning(s), and --strict makes them errors" in result.stderr
    # A hand-written override (no record of an original) is not compared with anything.
    copy.write_text(copy.read_text().split("\n", 1)[1])
    assert template_overrides(root) == []


def test_template_commands(tmp_path):
    root = book_with(tmp_path, {})
    listed = run("template", "list").stdout.split()
    assert "epub/chapter.xhtml.j2" in listed and "parts.j2" in listed and "pdf/book.html.j2" in listed
    assert run("template", "show", "parts.j2").stdout.startswith("{#- The pieces of a book")
    result = run("template", "copy", "--book", str(root), "../../etc/passwd")
    assert result.returncode == 2 and "Pressroom has no template '../../etc/passwd'" in result.stderr
    assert run("template", "copy", "--book", str(root), "parts.j2").returncode == 0
    result = run("template", "copy", "--book", str(root), "parts.j2")
    assert result.returncode == 2 and "exists; pass --force" in result.stderr
    # An exact copy builds the very same EPUB as no copy at all.
    assert run("build", "--book", str(root), "--format", "epub").returncode == 0
    with_copy = (root / "dist" / "a-small-book.epub").read_bytes()
    (root / "templates" / "parts.j2").unlink()
    assert run("build", "--book", str(root), "--format", "epub").returncode == 0
    assert (root / "dist" / "a-small-book.epub").read_bytes() == with_copy


def test_one_environment_per_book_sees_every_change_of_its_templates(tmp_path):
    """The environment is kept for the process (each template compiled once: the PDF's passes, the
    preview's rebuilds), yet an override that appears, changes or goes is seen at the next use."""
    import os

    from pressroom.templates import environment

    root = tmp_path / "book"
    values = {"lang": "en", "stylesheets": [], "title": "T", "image": "i.jpg", "alt": "A",
              "words": words_for("en")}  # the book's words, which every render passes (pressroom.words)
    env = environment(root)
    assert 'epub:type="cover"' in env.get_template("epub/cover.xhtml.j2").render(**values)
    override = root / "templates" / "epub" / "page.xhtml.j2"  # the frame the cover page extends
    override.parent.mkdir(parents=True)
    override.write_text("framed: {% block content %}{% endblock %}")
    assert environment(root) is env
    assert env.get_template("epub/cover.xhtml.j2").render(**values).startswith("framed: <section")
    override.write_text("reframed: {% block content %}{% endblock %}")
    os.utime(override, ns=(1, 1))  # a different time, however fast the machine
    assert env.get_template("epub/cover.xhtml.j2").render(**values).startswith("reframed: ")
    override.unlink()
    assert env.get_template("epub/cover.xhtml.j2").render(**values).startswith("<?xml")


def test_only_pressroom_s_own_templates_are_kept_compiled_and_only_outside_the_book(tmp_path):
    """Pressroom's templates are compiled once per Jinja2 version into the user's cache folder (as
    Python keeps __pycache__); a book's own template is compiled each time and never stored, and
    nothing compiled lands in the book folder."""
    from jinja2.bccache import FileSystemBytecodeCache

    root = book_with(tmp_path, {"epub/chapter.xhtml.j2": '{% extends "!epub/chapter.xhtml.j2" %}'
                                "{% block content %}<p>mine</p>{{ super() }}{% endblock %}"})
    cache_home = tmp_path / "user-cache"
    result = subprocess.run([sys.executable, "-m", "pressroom", "build", "--book", str(root), "--format", "epub"],
                            capture_output=True, text=True, env={**__import__("os").environ,
                                                                 "XDG_CACHE_HOME": str(cache_home)})
    assert result.returncode == 0, result.stderr
    assert "<p>mine</p>" in chapter_xhtml(root)
    (folder,) = (cache_home / "pressroom").glob("templates-jinja2-*")
    stored = {p.name for p in folder.iterdir()}
    keys = FileSystemBytecodeCache()
    from pressroom.templates import PACKAGE_TEMPLATES

    package_key = keys.get_cache_key("!epub/chapter.xhtml.j2", str(PACKAGE_TEMPLATES / "epub" / "chapter.xhtml.j2"))
    book_key = keys.get_cache_key("epub/chapter.xhtml.j2", str(root / "templates" / "epub" / "chapter.xhtml.j2"))
    assert f"__jinja2_{package_key}.cache" in stored  # the original the override extends
    assert f"__jinja2_{book_key}.cache" not in stored
    assert not [p for p in root.rglob("*.cache") if p.is_file()]
    assert not list(root.rglob("__jinja2_*"))
