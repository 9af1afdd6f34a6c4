"""The results file of a what-if run: read it back without changing it, take it for one writer,
and open it for appending without damaging a byte of anything that is not a roc results file.

- `finished_ids(out)` reads what a run already wrote: the finished ids, the line numbers of
  complete lines that are not result records, and an unfinished last line (a kill mid-write).
  A file whose first line is not a result record is refused: it is not a roc results file.
- `results_lock(out)` makes one run the only writer: a second run is refused and told which
  process holds the file.
- `check_out` refuses an --out that is a folder, a special file or the scenario file itself;
  `mend` moves an unfinished last line aside to a file of its own (never deleted).
"""

from __future__ import annotations

import fcntl
import json
import os
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from catalog.reading import check_file
from models import InputError, Status

MAX_RECORD_BYTES = 1024 * 1024  # a result line is far shorter; a longer line is not a record
_STATUSES = {status.value for status in Status}
NOT_RESULTS = ("is not a roc results file ({why}); give --out a new file, or the results file of an "
               "earlier run to resume it. Nothing was written")


@dataclass
class Finished:
    """What a results file already holds (read-only)."""

    ids: set[str] = field(default_factory=set)
    statuses: Counter = field(default_factory=Counter)
    corrupt: list[int] = field(default_factory=list)  # line numbers of lines that are not records
    end: int = 0  # bytes up to the end of the last complete line
    torn: bytes = b""  # an unfinished last line, from a run stopped mid-write


def _record(line: bytes) -> dict | None:
    try:
        value = json.loads(line)
    except ValueError:  # includes bytes that are not UTF-8
        return None
    if isinstance(value, dict) and isinstance(value.get("id"), str) and value.get("status") in _STATUSES:
        return value
    return None


def _lines(handle: IO[bytes]) -> Iterator[tuple[bytes, int, bool]]:
    """(line, bytes in the file, complete); an over-long line is given as its first bytes, marked
    so that it is never a record."""
    while True:
        line = handle.readline(MAX_RECORD_BYTES)
        if not line:
            return
        if len(line) == MAX_RECORD_BYTES and not line.endswith(b"\n"):
            size = len(line)
            while (rest := handle.readline(MAX_RECORD_BYTES)) and not rest.endswith(b"\n"):
                size += len(rest)
            yield line + b"\x00", size + len(rest), bool(rest)
            continue
        yield line, len(line), line.endswith(b"\n")


def scan(path: Path) -> Iterator[tuple[int, bytes, int, bool, dict | None]]:
    """Every line of a results file: (line number, bytes, size, complete, its record or None),
    read without changing the file. Raises InputError when the first complete line that is not
    blank is not a result record: then it is not a roc results file."""
    check_file(path, limit=None)
    seen = False
    with path.open("rb") as handle:
        for number, (line, size, complete) in enumerate(_lines(handle), 1):
            record = _record(line) if line.strip() else None
            if complete and line.strip() and not seen:
                if record is None:
                    raise InputError(NOT_RESULTS.format(why=f"line {number} is not a result record"), file=str(path))
                seen = True
            yield number, line, size, complete, record


def finished_ids(out: Path) -> Finished:
    """What `out` already holds, read without changing it. Raises InputError when `out` is not a
    roc results file (its first line is not a result record)."""
    found = Finished()
    if not out.exists():
        return found
    for number, line, size, complete, record in scan(out):
        if not complete:
            found.torn = line
            break
        found.end += size
        if record is not None:
            found.ids.add(record["id"])
            found.statuses[record["status"]] += 1
        elif line.strip():
            found.corrupt.append(number)
    if found.torn and not found.ids and not found.corrupt and not found.torn.startswith(b'{"id":'):
        raise InputError(NOT_RESULTS.format(why="it does not start with a result record"), file=str(out))
    return found


# -- one writer ---------------------------------------------------------------------------------------
def _lock_path(out: Path) -> Path:
    return out.with_name(out.name + ".lock")


def _holder(lock: Path) -> str:
    try:
        pid = lock.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        pid = ""
    return f"process {pid}" if pid.isdigit() else "another process"


@contextmanager
def results_lock(out: Path) -> Iterator[None]:
    """Hold `out` for this process: an advisory lock on `OUT.lock`, which names this process and
    is removed afterwards. A second writer gets an InputError naming the holder."""
    lock = _lock_path(out)
    while True:
        try:
            lock.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise InputError(f"cannot create the lock file {lock} ({exc.strerror or exc})", file=str(out)) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            raise InputError(f"another roc run ({_holder(lock)}) is already writing these results; wait for "
                             f"it to finish, or stop it (its lock is {lock})", file=str(out)) from None
        try:
            same = os.path.samestat(os.fstat(fd), os.stat(lock))
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)  # the holder removed the lock file as we opened it: take the new one
    try:
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        yield
    finally:
        lock.unlink(missing_ok=True)
        os.close(fd)


# -- opening for appending -----------------------------------------------------------------------------
def check_out(out: Path, source: Path) -> None:
    """Refuse an --out that cannot be a results file, before anything is written."""
    if out.is_dir():
        raise InputError("is a folder; --out takes the results file to write or resume", file=str(out))
    if out.exists():
        check_file(out, limit=None)
        if os.path.samefile(out, source):
            raise InputError("is the scenario file; give --out a results file of its own. Nothing was written",
                             file=str(out))


def _aside(out: Path) -> Path:
    for n in range(1, 10_000):
        path = out.with_name(f"{out.name}.torn" + (f"-{n}" if n > 1 else ""))
        if not path.exists():
            return path
    raise InputError("too many .torn files beside the results; remove old ones", file=str(out))


def mend(out: Path, found: Finished) -> str | None:
    """End `out` at its last complete line: an unfinished last line is first saved to a file of
    its own (a complete record lacking only its newline gets the newline). Says what it did."""
    if not found.torn:
        return None
    record = _record(found.torn)
    if record is not None:
        with out.open("ab") as handle:
            handle.write(b"\n")
        found.ids.add(record["id"])
        found.statuses[record["status"]] += 1
        return None
    aside = _aside(out)
    with aside.open("xb") as handle:
        handle.write(found.torn)
        handle.flush()
        os.fsync(handle.fileno())
    with out.open("r+b") as handle:
        handle.truncate(found.end)
    return (f"{out}: an unfinished last line ({len(found.torn)} bytes, from a run stopped while writing) "
            f"was moved aside to {aside}; its scenario will be solved again")


def open_results(out: Path) -> IO[str]:
    try:
        return out.open("a", encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write the results ({exc.strerror or exc})", file=str(out)) from None
