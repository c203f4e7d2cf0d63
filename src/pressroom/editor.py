"""The author's editor, opened at a file and line from the preview's error overlay.

The editor is named by ``PRESSROOM_EDITOR``, else ``EDITOR`` (the author's own environment, never a
request): a command line split as a shell would (:func:`shlex.split`) but run without a shell. It
may say where the file and line go with ``{file}`` and ``{line}`` (``code -g {file}:{line}``,
``subl {file}:{line}``); without them the file follows ``+LINE``, which vi, Vim, Emacs, nano, micro
and Kakoune understand (``vim +12 chapter.md``).
"""

from __future__ import annotations

import os
import re
import shlex
from pathlib import Path
from typing import Mapping


def editor_setting(environ: Mapping[str, str] = os.environ) -> str:
    """The editor command line the author set, or "" when none is."""
    return (environ.get("PRESSROOM_EDITOR") or environ.get("EDITOR") or "").strip()


def editor_argv(setting: str, file: Path, line: int) -> list[str]:
    """The argument vector that opens ``file`` at ``line`` with the editor ``setting`` (non-empty).
    The file and line are single arguments (or parts of one), never parsed by a shell."""
    words = shlex.split(setting)
    if any("{file}" in word for word in words):
        values = {"file": str(file), "line": str(line)}
        return [re.sub(r"\{(file|line)\}", lambda found: values[found.group(1)], word) for word in words]
    return [*words, f"+{line}", str(file)]
