"""The errors Pressroom reports to its user, and their exit codes.

A user mistake is a :class:`PressroomError`; the command line turns it into one
message and an exit status in exactly one place (``cli.main``). Anything else is
a bug and shows a traceback.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass


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


SEVERITIES = ("error", "warning")


@dataclass(frozen=True)
class Finding:
    """One diagnostic: a stable code users can grep and tests can name, a severity, where, and what.

    Every finding is made where the problem is found, with its code: nothing downstream guesses a
    code from a message."""

    code: str
    severity: str  # "error" or "warning"
    file: str  # relative to the book folder ("" when not about a file)
    line: int
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.severity} {self.code}: {self.message}" if where else \
            f"{self.severity} {self.code}: {self.message}"

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def location(self) -> Location:
        return Location(self.file, self.line)


def finding(code: str, where: Location | None, message: str, severity: str = "error") -> Finding:
    """A finding at ``where`` (a :class:`Location`, or None when it is about no file)."""
    return Finding(code, severity, where.file if where else "", where.line if where else 0, message)


class PressroomError(Exception):
    """A mistake in the user's input or environment. ``exit_code`` is the process status.

    ``code`` is the finding code of the mistake itself; ``problems`` are further findings when several
    mistakes are reported at once (each with its own code, file and line). Strings are still
    accepted in ``problems`` for messages that have no code yet; ``findings`` turns them into
    findings with this error's code."""

    exit_code = 1
    default_code = "E000"

    def __init__(self, message: str, location: Location | None = None,
                 problems: tuple["Finding | str", ...] = (), code: str = ""):
        self.message = message
        self.location = location
        self.problems = tuple(problems)  # further lines, when several mistakes are reported at once
        self.code = code or self.default_code
        super().__init__(str(self))

    @property
    def findings(self) -> tuple[Finding, ...]:
        """This error as findings: one per problem, or one for the error itself."""
        if not self.problems:
            return (finding(self.code, self.location, self.message),)
        out = []
        for problem in self.problems:
            if isinstance(problem, Finding):
                out.append(problem)
            else:
                out.append(finding(self.code, self.location, str(problem)))
        return tuple(out)

    def __str__(self) -> str:
        head = f"{self.location}: {self.message}" if self.location else self.message
        return "\n".join((head, *(f"  {p}" for p in self.problems)))

    def __reduce__(self):
        # Pickled whole (a writer process sends its error back to the build): the default would
        # keep only the message and lose the location, the code and the findings.
        return (self.__class__, (self.message, self.location, self.problems, self.code))


def error_text(exc: PressroomError) -> str:
    """A user error as Pressroom shows it (the command line, the preview's overlay): each of its
    findings on a line of its own, ``file:line: error CODE: message`` (the format of ``check``),
    after a head line when there are several."""
    findings = exc.findings
    if exc.problems:
        head = f"{exc.location}: {exc.message}" if exc.location else exc.message
        return "\n".join((f"error: {head}", *(f"  {f}" for f in findings)))
    return "\n".join(str(f) for f in findings)


class ConfigError(PressroomError):
    """The book's config is missing, unreadable or wrong."""

    default_code = "C001"


class ManuscriptError(PressroomError):
    """A chapter, note, citation or bibliography entry is wrong."""

    default_code = "M012"


class BuildError(PressroomError):
    """An output could not be made (missing tool, unwritable folder…)."""

    default_code = "B001"


class TemplateProblem(PressroomError):
    """A book's template (or Pressroom's, called by a book's) cannot be compiled or rendered."""

    default_code = "T001"


class UsageError(PressroomError):
    exit_code = 2
