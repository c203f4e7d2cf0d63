"""Ace by DAISY, the EPUB accessibility checker, run on a built EPUB (installed by `make test`)."""

from __future__ import annotations

from pathlib import Path

from pressroom.ace import CHROMIUM, ace_command
from pressroom.ace import ace_violations as _ace_violations


def ace_violations(epub: Path) -> list[tuple[str, str, str, str]]:
    """Every failed Ace assertion as (file in the EPUB, rule, impact, description).

    Fails (never skips) when Ace or Chromium is missing: `make test` installs both."""
    assert ace_command(), "Ace by DAISY is not installed: run `make test` (scripts/system-deps.sh --test)"
    assert Path(CHROMIUM).exists(), "Chromium is not installed: run `make test`"
    return _ace_violations(epub)
