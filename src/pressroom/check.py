"""``pressroom check``: lint the manuscript, then build into a scratch folder and validate the outputs:
EPUBCheck and Ace by DAISY (:mod:`pressroom.ace`) on the EPUB; the PDF read back
(:mod:`pressroom.validate`) and the preflight of its profile's printer (:mod:`pressroom.preflight`)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Callable

from .diagnostics import Diagnostics
from .errors import Finding, PressroomError
from .lint import lint_book
from .memo import CACHE_DIR
from .paths import output_folder
from .templates import template_overrides


def check_book(root: Path, lint_only: bool = False, report: Callable[[str], None] = lambda m: None) -> list[Finding]:
    """All findings: the manuscript's and the book templates' (T002), then (unless ``lint_only`` or
    those found errors) the build's (its errors, and its warnings: WeasyPrint's…) and the outputs'.

    The outputs are built inside the book folder (``.cache/pressroom/check-…``), never in ``dist/``,
    and removed afterwards.
    """
    root = Path(root).resolve()
    findings = lint_book(root) + template_overrides(root)
    if lint_only or any(f.severity == "error" for f in findings):
        return findings
    from .ace import ace_findings
    from .build import build_book, prepare_book
    from .preflight import preflight_pdf
    from .printers import printer
    from .validate import validate_epub, validate_pdf

    scratch_parent = output_folder(root, root / CACHE_DIR)  # a .cache that links out is refused
    scratch_parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix="check-", dir=scratch_parent))
    warnings = Diagnostics(report)
    try:
        try:
            built = build_book(root, echo=lambda line: None, report=warnings, use_cache=False, dist=scratch)
        except PressroomError as exc:
            # each with its own code (P005: a layout that does not settle)
            return _unique(findings + warnings.findings + list(exc.findings))
        findings += warnings.findings
        book = prepare_book(root)
        interior = next((output.path for output in built if output.format == "pdf"), None)
        for output in built:
            report(f"validating {output.path.name}")
            if output.format == "epub":
                findings += validate_epub(output.path)
                report(f"checking {output.path.name}'s accessibility (Ace by DAISY)")
                findings += ace_findings(output.path)
            elif output.format == "pdf":
                findings += validate_pdf(output.path, book)
                findings += preflight_pdf(output.path, printer(book.settings.pdf_profile))
            elif output.format == "cover" and interior and not output.path.name.endswith("-proof.pdf"):
                from .cover_check import check_cover

                findings += check_cover(output.path, interior, book, book.settings.pdf_profile)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return _unique(findings)


def _unique(findings: list[Finding]) -> list[Finding]:
    """Each finding once (the build reports the templates' T002 again), in the order found."""
    return list(dict.fromkeys(findings))
