"""Pandoc, run as a program: its citeproc and its bibliography readers. Written for pandoc 3.9
(``WRITTEN_FOR``), the one the ``pypandoc-binary`` wheel ships.

Every call goes through :func:`run_pandoc`, which keeps pandoc inside what the driver gives it:

- the input comes on stdin, and the only files named on the command line (the CSL style, the
  references) are written by Pressroom into a fresh temporary folder, which is also pandoc's
  working folder, resource path and data folder: pandoc reads nothing of the user's (no
  ``~/.local/share/pandoc``, no ``defaults``), and nothing outside the book's content;
- ``--sandbox``: pandoc's readers and writers may read only the files named on the command line,
  and never the network (a style or locale URL, an image);
- a clean environment (no ``PANDOC_*``, ``HOME`` the temporary folder).

A style that names a parent by URL is resolved by Pressroom before pandoc sees it
(:mod:`pressroom.csl_styles`); pandoc is never given a URL.
"""

from __future__ import annotations

import os
import subprocess
import tempfile
from pathlib import Path

from ..errors import BuildError

WRITTEN_FOR = "3.9"
MISSING = "B005"  # pandoc cannot be found or run (a broken install)


def pandoc_path() -> str:
    """The pandoc program the ``pypandoc-binary`` wheel installed. A :class:`BuildError` (B005)
    that says how to mend the install when there is none.

    The wheel's program is found where the wheel puts it (``pypandoc/files/pandoc``) without
    importing pypandoc: its import brings urllib, http.client and email (for its downloader), about
    50 ms of a 0.4 s cold EPUB build (``python -X importtime``). pypandoc's own search is the
    fallback (a pypandoc without the binary, and a pandoc on the PATH)."""
    program = _wheel_program()
    if program:
        return program
    try:
        import pypandoc

        path = pypandoc.get_pandoc_path()
    except (ImportError, OSError) as exc:
        raise BuildError(f"pandoc cannot be found ({exc}); Pressroom sets citations with pandoc's citeproc: "
                         "reinstall it with `pip install --force-reinstall pypandoc-binary`", code=MISSING) from None
    return path


def _wheel_program() -> str | None:
    """The pandoc of the ``pypandoc-binary`` wheel, if it is installed and runnable."""
    import importlib.util

    spec = importlib.util.find_spec("pypandoc")  # finds the package; does not import it
    for folder in (spec.submodule_search_locations or []) if spec else []:
        for name in ("pandoc", "pandoc.exe"):
            program = Path(folder) / "files" / name
            if program.is_file() and os.access(program, os.X_OK):
                return str(program)
    return None


def pandoc_version() -> str:
    """The version of the pandoc that :func:`run_pandoc` runs ("3.9")."""
    out = run_pandoc(["--version"], b"")
    return out.decode("utf-8", "replace").split("\n", 1)[0].split()[-1]


def run_pandoc(args: list[str], stdin: bytes, files: dict[str, bytes] | None = None) -> bytes:
    """Run pandoc with ``args`` on ``stdin``; ``files`` (name → bytes) are written into the
    temporary folder it runs in, so that ``args`` can name them (``--csl=style.csl``).

    Returns pandoc's stdout. A :class:`PandocFailed` carries pandoc's message when it fails."""
    program = pandoc_path()
    with tempfile.TemporaryDirectory(prefix="pressroom-pandoc-") as folder:
        for name, data in (files or {}).items():
            if "/" in name or name.startswith("."):
                raise ValueError(f"not a plain file name: {name!r}")
            Path(folder, name).write_bytes(data)
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": folder, "LANG": "C.UTF-8"}
        command = [program, "--sandbox", f"--data-dir={folder}", f"--resource-path={folder}", *args]
        try:
            done = subprocess.run(command, input=stdin, capture_output=True, cwd=folder, env=env, timeout=300)
        except OSError as exc:
            raise BuildError(f"pandoc cannot run ({exc.strerror}): reinstall it with "
                             "`pip install --force-reinstall pypandoc-binary`", code=MISSING) from None
        except subprocess.TimeoutExpired:
            raise BuildError("pandoc did not finish in 300 s (the citations or a bibliography file are too large "
                             "for it)", code=MISSING) from None
    if done.returncode:
        raise PandocFailed(done.stderr.decode("utf-8", "replace").strip())
    return done.stdout


class PandocFailed(Exception):
    """Pandoc stopped with an error; the message is pandoc's own (the caller says which input)."""
