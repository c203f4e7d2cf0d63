"""The errors Pressroom reports to its user, and their exit codes.

A user mistake is a :class:`PressroomError`; the command line turns it into one
message and an exit status in exactly one place (``cli.main``). Anything else is
a bug and shows a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """Where a problem is: a file relative to the book folder, and a line (1-based, 0 if unknown)."""

    file: str
    line: int = 0
    column: int = 0

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}"
            if self.column:
                where += f":{self.column}"
        return where


class PressroomError(Exception):
    """A mistake in the user's input or environment. ``exit_code`` is the process status."""

    exit_code = 1

    def __init__(self, message: str, location: Location | None = None, problems: tuple[str, ...] = ()):
        self.message = message
        self.location = location
        self.problems = problems  # further lines, when several mistakes are reported at once
        super().__init__(str(self))

    def __str__(self) -> str:
        head = f"{self.location}: {self.message}" if self.location else self.message
        return "\n".join((head, *(f"  {p}" for p in self.problems)))


class ConfigError(PressroomError):
    """The book's config is missing, unreadable or wrong."""


class ManuscriptError(PressroomError):
    """A chapter, note, citation or bibliography entry is wrong."""


class BuildError(PressroomError):
    """An output could not be made (missing tool, unwritable folder…)."""


class UsageError(PressroomError):
    exit_code = 2
