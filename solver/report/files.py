"""Writing a result file: whole or not at all, and never over a file that is not roc's.

A file is written to a temporary file beside the target and renamed into place, so an error never
leaves half a file, and an existing file is replaced only by a complete one, and only when it is an
earlier output of the same kind.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
import zipfile
from pathlib import Path

from catalog.reading import check_file
from models import InputError


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


FINGERPRINT = b"# roc fingerprint: "  # the last line of a YAML file roc wrote: its content's sha256
MAX_PART = 64 << 20  # a workbook part past this is not one roc wrote (nor unpacked to find out)


def signed(path: Path, data: bytes) -> bytes:
    """`data` with a fingerprint line, for a YAML file a user may edit (so that an edited one is
    never replaced); other formats as they are (a workbook carries its own)."""
    if path.suffix.lower() not in (".yaml", ".yml"):
        return data
    return data + FINGERPRINT + hashlib.sha256(data).hexdigest().encode() + b"\n"


def workbook_fingerprint(data: bytes) -> str:
    """The sha256 of a workbook's content: every part but its properties, by name."""
    digest = hashlib.sha256()
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        for info in sorted(book.infolist(), key=lambda i: i.filename):
            if info.filename.startswith("docProps/") or info.file_size > MAX_PART:
                continue
            digest.update(info.filename.encode() + b"\0" + book.read(info))
    return digest.hexdigest()


def fingerprinted(data: bytes) -> bytes:
    """A workbook (as openpyxl saved it, signed `roc`) with its content's fingerprint put into its
    properties part, every other part byte for byte as it was."""
    fingerprint = workbook_fingerprint(data)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as book, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in book.infolist():
            part = book.read(info)
            if info.filename == "docProps/core.xml":
                part = part.replace(b"</cp:coreProperties>",
                                    b"<cp:keywords>roc " + fingerprint.encode() + b"</cp:keywords></cp:coreProperties>")
            copy.writestr(info, part)
    return out.getvalue()


def _earlier_output(path: Path, data: bytes, lines: int) -> bool:
    """Whether the file at `path` is what roc wrote there before, unchanged: an empty file; a
    workbook roc made whose content is as roc wrote it, with the same sheets; else a file whose
    first `lines` lines are those of `data` (the same command run again), and, for a YAML file
    roc fingerprinted, whose content still matches its fingerprint."""
    with path.open("rb") as handle:
        existing = handle.read(64 * 1024)
    if not existing:
        return True
    if data[:2] == b"PK":  # a workbook: roc signs its own
        return _unchanged_workbook(path, data)
    if path.suffix.lower() in (".yaml", ".yml"):
        whole = path.read_bytes() if path.stat().st_size <= MAX_PART else b""
        body, _, last = whole.rstrip(b"\n").rpartition(b"\n")
        if last.startswith(FINGERPRINT) and hashlib.sha256(body + b"\n").hexdigest().encode() != \
                last[len(FINGERPRINT):].strip():
            return False  # roc wrote it, and someone has changed it since
    return existing.split(b"\n")[:lines] == data.split(b"\n")[:lines]


def _unchanged_workbook(path: Path, data: bytes) -> bool:
    core = _core_properties(path)
    if core is None or re.search(r"<dc:creator>\s*roc\s*</dc:creator>", core) is None:
        return False
    found = re.search(r"<cp:keywords>\s*roc ([0-9a-f]{64})\s*</cp:keywords>", core)
    try:
        if found is None or workbook_fingerprint(path.read_bytes()) != found.group(1):
            return False  # changed since roc wrote it (or an older roc's, which cannot say)
        return _sheets(path.read_bytes()) == _sheets(data)  # the same command's output
    except (zipfile.BadZipFile, OSError, RuntimeError):
        return False


def _sheets(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        return sorted(n for n in book.namelist() if n.startswith("xl/worksheets/"))


def _core_properties(path: Path) -> str | None:
    """A workbook's small properties part, or None: a file that only looks like a workbook (a
    zip bomb, say) is never unpacked, and one with a part past MAX_PART is not roc's."""
    try:
        with zipfile.ZipFile(path) as book:
            if any(info.file_size > MAX_PART for info in book.infolist()):
                return None
            info = book.getinfo("docProps/core.xml")
            return book.read(info).decode("utf-8", "replace") if info.file_size <= 64 << 10 else None
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError):  # not a workbook: not roc's
        return None


def through_link(path: Path) -> Path:
    """The file a symbolic link at `path` points to (written there, the link kept); else `path`."""
    return path.resolve() if path.is_symlink() else path


def check_writable(path: Path, data: bytes, same_start: int = 3) -> None:
    """Raise InputError unless `write_file(path, data, same_start)` may write there: what it
    checks, for a command to ask before it starts work."""
    path = through_link(path)
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
    path = through_link(path)  # a link to an earlier output: the output it points to is replaced
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


