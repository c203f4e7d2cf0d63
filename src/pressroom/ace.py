"""Ace by DAISY, the EPUB accessibility checker, run on a built EPUB; its failed assertions as findings.

Ace is a Node program (npm ``@daisy/ace-cli``) driving a headless Chromium. :func:`ace_command`
finds it: ``$PRESSROOM_ACE``, else ``ace`` on the PATH, else the copy ``make test`` installs into
the repository's ``tests/tools/ace``; Chromium is Debian's ``/usr/bin/chromium`` when present
(``PUPPETEER_EXECUTABLE_PATH``). :func:`ace_violations` returns every failed assertion as
(file in the EPUB, rule, impact, description); :func:`ace_findings` the same as findings:

| code | what |
| ---- | ---- |
| A001 | an Ace violation (its rule and impact in the message) |
| X002 | Ace by DAISY could not run (not installed, or no report) |
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from .errors import Finding

CHROMIUM = "/usr/bin/chromium"
REPO_ACE = Path(__file__).resolve().parents[2] / "tests" / "tools" / "ace" / "node_modules" / ".bin" / "ace-cli"


def ace_command() -> str | None:
    """The Ace executable, or None when none is installed."""
    for candidate in (os.environ.get("PRESSROOM_ACE", ""), shutil.which("ace") or "", str(REPO_ACE)):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


class AceUnavailable(Exception):
    """Ace is not installed, or ran without writing its report."""


def ace_violations(epub: Path) -> list[tuple[str, str, str, str]]:
    """Every failed Ace assertion of ``epub`` as (file in the EPUB, rule, impact, description), in
    Ace's order. Raises :class:`AceUnavailable` when Ace cannot run."""
    command = ace_command()
    if command is None:
        raise AceUnavailable("Ace by DAISY is not installed (npm install -g @daisy/ace-cli, or `make test`)")
    env = dict(os.environ)
    if Path(CHROMIUM).exists():
        env["PUPPETEER_EXECUTABLE_PATH"] = CHROMIUM
    with tempfile.TemporaryDirectory() as out:
        report = Path(out) / "report.json"
        # Four times at most: on a loaded machine Ace sometimes exits 1 with no report (its Chromium did
        # not start in time: seen in full test runs, twice running in a row once with the tests on two
        # workers); a violation is in the report, never retried. Not --silent, so that a run that gives
        # no report says why.
        for attempt in range(4):
            result = subprocess.run([command, "--force", "--outdir", out, str(epub)],
                                    capture_output=True, text=True, env=env, timeout=300, check=False)
            if report.exists():
                break
            time.sleep(attempt + 1)
        else:
            said = (result.stderr or result.stdout)[-500:]
            raise AceUnavailable(f"Ace gave no report (exit {result.returncode}): {said}")
        data = json.loads(report.read_text(encoding="utf-8"))
    found = []
    for subject in data.get("assertions", []):
        url = subject.get("earl:testSubject", {}).get("url", "")
        for assertion in subject.get("assertions", []):
            if assertion.get("earl:result", {}).get("earl:outcome") == "fail":
                test = assertion.get("earl:test", {})
                found.append((url, test.get("dct:title", ""), test.get("earl:impact", ""),
                              assertion.get("earl:result", {}).get("dct:description", "")))
    return found


def ace_findings(epub: Path) -> list[Finding]:
    """Ace's violations of ``epub`` as A001 findings (X002 when Ace cannot run)."""
    try:
        violations = ace_violations(epub)
    except AceUnavailable as exc:
        return [Finding("X002", "warning", epub.name, 0, str(exc))]
    return [Finding("A001", "error", f"{epub.name}/{url}" if url else epub.name, 0,
                    f"Ace {rule} ({impact}): {description}") for url, rule, impact, description in violations]
