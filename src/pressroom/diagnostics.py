"""Warnings that do not stop a run, collected as findings as they arise.

A stage or writer that finds something worth a warning calls its ``report`` with a
:class:`~pressroom.errors.Finding` (progress messages are plain strings, on the same channel, so a
writer working in another process sends both back the same way). :class:`Diagnostics` is such a
``report``: it keeps each finding once, in the order they arose, and passes every message on.
``build`` prints the findings as they come; ``check`` reports them with its own.
"""

from __future__ import annotations

from typing import Callable

from .errors import Finding


class Diagnostics:
    """A ``report(message)`` callable that keeps the findings: ``.findings``, each once, in order."""

    def __init__(self, report: Callable[[str | Finding], None] = lambda message: None):
        self.report = report
        self.findings: list[Finding] = []
        self._seen: set[Finding] = set()

    def __call__(self, message: str | Finding) -> None:
        if isinstance(message, Finding):
            if message in self._seen:
                return  # the same problem met again (a stylesheet laid out twice…) is reported once
            self._seen.add(message)
            self.findings.append(message)
        self.report(message)

    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "warning"]
