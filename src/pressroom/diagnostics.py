"""Warnings that do not stop a run, collected as findings as they arise.

A stage or writer that finds something worth a warning calls its ``report`` with a
:class:`~pressroom.errors.Finding` (progress messages are plain strings, on the same channel).
:class:`Diagnostics` is such a ``report``: it keeps each finding once, in the order they arose, and passes every message on.
``build`` prints the findings as they come; ``check`` reports them with its own.

A memoised stage whose work gives warnings returns them with its result (as the print layout
stage does, :func:`pressroom.build.print_layout`), so that a result read back from the memo
reports them again; :class:`~pressroom.errors.Finding` is registered with the memo's codec for that.
"""

from __future__ import annotations

from typing import Callable

from .codec import register
from .errors import Finding

register(Finding)  # kept with a memoised stage's result (pressroom.codec: data only)


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
