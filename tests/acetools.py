"""Ace by DAISY, the EPUB accessibility checker, run on a built EPUB (installed by `make test`)."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path

ACE = Path(__file__).parent / "tools" / "ace" / "node_modules" / ".bin" / "ace-cli"
CHROMIUM = "/usr/bin/chromium"


def ace_violations(epub: Path) -> list[tuple[str, str, str, str]]:
    """Every failed Ace assertion as (file in the EPUB, rule, impact, description).

    Fails (never skips) when Ace or Chromium is missing: `make test` installs both."""
    assert ACE.exists(), "Ace by DAISY is not installed: run `make test` (scripts/system-deps.sh --test)"
    assert Path(CHROMIUM).exists(), "Chromium is not installed: run `make test`"
    with tempfile.TemporaryDirectory() as out:
        env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": CHROMIUM}
        result = subprocess.run([str(ACE), "--silent", "--force", "--outdir", out, str(epub)],
                                capture_output=True, text=True, env=env, timeout=300, check=False)
        report = Path(out) / "report.json"
        assert report.exists(), f"Ace gave no report (exit {result.returncode}): {result.stderr[-2000:]}"
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
