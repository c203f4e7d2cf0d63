"""Writing output files safely and reproducibly."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import tempfile
from pathlib import Path

from .errors import BuildError, Location


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``path``, then rename it over ``path``.

    A failure at any point leaves the previous file as it was.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise BuildError(f"cannot write to {path.parent}: {exc.strerror}", Location(str(path.parent)),
                         code="B001") from None
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise BuildError(f"cannot write {path.name}: {exc.strerror}", Location(str(path)), code="B001") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def remove_leftovers(folder: Path) -> list[Path]:
    """Remove the temporary files (``.NAME.PID.XXXX.tmp``) that a build killed between writing and
    renaming left in ``folder``; a file whose process still runs (a build at work) is left alone.
    Returns what was removed."""
    removed = []
    if not folder.is_dir():
        return removed
    for leftover in sorted(folder.glob(".*.tmp")):
        pid = leftover.name.rsplit(".", 3)[-3] if leftover.name.count(".") >= 4 else ""
        if pid.isdigit() and _running(int(pid)) or not leftover.is_file() or leftover.is_symlink():
            continue
        leftover.unlink(missing_ok=True)
        removed.append(leftover)
    return removed


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def source_date(root: Path) -> dt.datetime:
    """The time the outputs carry, in UTC: ``SOURCE_DATE_EPOCH`` if set, else the book's last
    commit, else the newest manuscript file. Never "now", so builds are reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        try:
            result = subprocess.run(
                ["git", "-C", str(root), "log", "-1", "--format=%ct", "--", "."],
                capture_output=True, text=True, timeout=10, check=False,
            )
            epoch = result.stdout.strip()
        except (OSError, subprocess.SubprocessError):
            epoch = ""
    if not epoch:
        files = [p for p in (root / "manuscript").rglob("*") if p.is_file()]
        epoch = str(int(max((p.stat().st_mtime for p in files), default=0)))
    try:
        seconds = int(epoch)
    except ValueError:
        raise BuildError(f"SOURCE_DATE_EPOCH must be a whole number of seconds, not {epoch!r}", code="B001") from None
    return dt.datetime.fromtimestamp(seconds, tz=dt.timezone.utc)
