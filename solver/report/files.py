"""Writing a result file: whole or not at all, and never over a file that is not roc's.

A file is written to a temporary file beside the target and renamed into place, so an error never
leaves half a file, and an existing file is replaced only by a complete one, and only when it is an
earlier output of the same kind.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from catalog.reading import check_file
from models import InputError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _earlier_output(path: Path, data: bytes, lines: int) -> bool:
    """Whether the file at `path` is what roc wrote there before: an empty file, a workbook roc
    made, or a file whose first `lines` lines are those of `data` (the same command run again)."""
    with path.open("rb") as handle:
        existing = handle.read(64 * 1024)
    if not existing:
        return True
    if data[:2] == b"PK":  # a workbook: roc signs its own
        from openpyxl import load_workbook

        try:
            return load_workbook(path, read_only=True).properties.creator == "roc"
        except Exception:  # noqa: BLE001 -- not a workbook openpyxl can read: not roc's
            return False
    return existing.split(b"\n")[:lines] == data.split(b"\n")[:lines]


def check_writable(path: Path, data: bytes, same_start: int = 3) -> None:
    """Raise InputError unless `write_file(path, data, same_start)` may write there: what it
    checks, for a command to ask before it starts work."""
    if path.is_dir():
        raise InputError("is a folder: give a file name", file=str(path))
    folder = next((p for p in path.absolute().parents if p.exists()), None)
    if folder is not None and (not folder.is_dir() or not os.access(folder, os.W_OK | os.X_OK)):
        raise InputError(f"cannot be created: {folder} is not a folder roc may write in", file=str(path))
    if path.exists() or path.is_symlink():
        check_file(path, limit=None)
        if not _earlier_output(path, data, same_start):
            raise InputError("already exists and is not an earlier output of this command; roc does not write over "
                             "it: remove it, or give another name", file=str(path))


def write_file(path: Path, data: bytes, same_start: int = 3) -> None:
    """`data` to `path`, whole or not at all (a temporary file renamed into place). An existing
    file is replaced only when it is an earlier output of the same kind (its first `same_start`
    lines are those of `data`, or a workbook roc made): never someone's notes, a spreadsheet of
    their own, a device or an input of the command."""
    check_writable(path, data, same_start)
    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
        with os.fdopen(handle, "wb") as sink:
            sink.write(data)
        os.chmod(temporary, path.stat().st_mode & 0o7777 if path.exists() else 0o666 & ~_umask())
        os.replace(temporary, path)
    except OSError as exc:
        if temporary is not None:  # no half-written .part file is left behind
            Path(temporary).unlink(missing_ok=True)
        raise InputError(f"cannot write ({exc.strerror or exc})", file=str(path)) from None


