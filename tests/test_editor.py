"""pressroom.editor: the author's editor command line, never given to a shell."""

from pathlib import Path

import pytest

from pressroom.editor import editor_argv, editor_setting

FILE = Path("/book/manuscript/a b; rm -rf ~.md")


@pytest.mark.parametrize("setting, expected", [
    ("vim", ["vim", "+12", str(FILE)]),
    ("emacsclient -n", ["emacsclient", "-n", "+12", str(FILE)]),
    ("code -g {file}:{line}", ["code", "-g", f"{FILE}:12"]),
    ("'/opt/My Editor/bin/ed' --line {line} {file}", ["/opt/My Editor/bin/ed", "--line", "12", str(FILE)]),
])
def test_editor_argv(setting, expected):
    assert editor_argv(setting, FILE, 12) == expected


def test_a_file_name_with_braces_is_not_filled_in_again():
    assert editor_argv("ed {file}", Path("/b/{line}.md"), 3) == ["ed", "/b/{line}.md"]


def test_editor_setting_prefers_pressroom_editor():
    assert editor_setting({"EDITOR": "vi", "PRESSROOM_EDITOR": " code -g {file}:{line} "}) == "code -g {file}:{line}"
    assert editor_setting({"EDITOR": "vi"}) == "vi"
    assert editor_setting({}) == ""
