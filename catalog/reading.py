"""Safe reading of every file roc is given: the one place bytes become text and text becomes data.

A user's file may be anything: a device or a pipe, gigabytes, Latin-1 or UTF-16 bytes, a YAML
alias bomb (789 bytes that expand past gigabytes), 100 KB of nested brackets (a C stack overflow
in a recursive parser), a key written twice. Each is refused here with an `InputError` naming
the file, and the line or byte offset where that helps, before any parser or model sees it.

Limits (documented in the README):
- a whole file (qualification, learner record, equivalences, unit list, YAML/JSON scenarios,
  results): at most `MAX_FILE_BYTES`;
- a line of a streamed file (JSONL or CSV scenarios, results): at most `MAX_LINE_BYTES`;
- nesting of mappings and lists: at most `MAX_DEPTH` levels;
- YAML anchors and aliases (`&a`, `*a`, `<<: *a`) are refused outright: roc's files never need
  them, and they are how expansion bombs work.
Text is UTF-8 (a byte-order mark is allowed), or UTF-16 with its byte-order mark, as spreadsheet
programs save "Unicode text".
"""

from __future__ import annotations

import codecs
import csv
import functools
import json
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, TypeVar

import yaml

from models import InputError

MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_LINE_BYTES = 1024 * 1024
MAX_DEPTH = 32

try:  # the C parser is several times faster where libyaml is present
    _YamlLoader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the platform's PyYAML build
    _YamlLoader = yaml.SafeLoader


def check_file(path: Path, limit: int | None = MAX_FILE_BYTES) -> os.stat_result:
    """A regular file roc may read whole (`limit` bytes at most; None for streamed files)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise InputError("no such file", file=str(path)) from None
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror or exc})", file=str(path)) from None
    if stat.S_ISDIR(info.st_mode):
        raise InputError("is a folder, not a file", file=str(path))
    if not stat.S_ISREG(info.st_mode):
        raise InputError("is not a regular file (a device, pipe or socket); give a file", file=str(path))
    if limit is not None and info.st_size > limit:
        raise InputError(f"is {info.st_size:,} bytes; roc reads files of up to {limit:,} bytes", file=str(path))
    return info


def read_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    check_file(path, limit)
    try:
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror or exc})", file=str(path)) from None
    if len(data) > limit:  # it grew since stat
        raise InputError(f"is over {limit:,} bytes; roc reads files of up to {limit:,} bytes", file=str(path))
    return data


def decode(data: bytes, where: str, offset: int = 0) -> str:
    """UTF-8 (with or without a byte-order mark) or UTF-16 with its mark; else an InputError
    giving the byte offset of the first byte that is not UTF-8."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and offset == 0:
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise InputError(f"not valid UTF-16 text at byte offset {exc.start}", file=where) from None
    try:
        return data.decode("utf-8-sig" if offset == 0 else "utf-8")
    except UnicodeDecodeError as exc:
        at = offset + exc.start + (3 if data.startswith(codecs.BOM_UTF8) and offset == 0 else 0)
        raise InputError(f"not UTF-8 text: byte 0x{data[exc.start]:02x} at byte offset {at}; "
                         "save the file as UTF-8", file=where) from None


T = TypeVar("T")


def csv_errors(read: Callable[..., T]) -> Callable[..., T]:
    """A CSV reader (its first argument the file) whose CSV faults (a cell past the csv module's
    131,072 characters, a broken quote) are one InputError naming the file, not a traceback."""
    @functools.wraps(read)
    def reading(path: Path, *args: Any, **kwargs: Any) -> T:
        try:
            return read(path, *args, **kwargs)
        except csv.Error as exc:
            raise csv_fault(exc, path) from None
    return reading


def csv_fault(exc: csv.Error, path: Path) -> InputError:
    """A CSV fault (a cell past the csv module's 131,072 characters, a broken quote) in words."""
    return InputError(f"not a CSV table roc can read ({exc}: a cell that long is not a figure)"
                      if "field limit" in str(exc) else f"not valid CSV ({exc})", file=str(path))


def read_text(path: Path, limit: int = MAX_FILE_BYTES) -> str:
    return decode(read_bytes(path, limit), str(path))


# -- JSON ------------------------------------------------------------------------------------------------
def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise _DuplicateKey(key)
        found[key] = value
    return found


class _DuplicateKey(ValueError):
    pass


def depth_of(data: Any) -> int:
    """How deeply lists and mappings nest (iteratively: any depth is measured safely)."""
    deepest, stack = 0, [(data, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            deepest = max(deepest, depth)
            if depth > MAX_DEPTH:
                return depth
            stack.extend((child, depth + 1) for child in (item.values() if isinstance(item, dict) else item))
    return deepest


def parse_json(text: str, where: str) -> Any:
    """JSON with no key twice in one object and at most MAX_DEPTH levels of nesting."""
    try:
        data = json.loads(text, object_pairs_hook=_unique_keys)
    except _DuplicateKey as exc:
        raise InputError(f"the key {exc.args[0]!r} is given twice in one object", file=where) from None
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}", file=where) from None
    except RecursionError:
        raise InputError(f"nested more than {MAX_DEPTH} levels deep", file=where) from None
    # a text with fewer brackets than the limit cannot nest deeper (and counting is cheap)
    if text.count("{") + text.count("[") > MAX_DEPTH and depth_of(data) > MAX_DEPTH:
        raise InputError(f"nested more than {MAX_DEPTH} levels deep", file=where)
    return data


# -- YAML ------------------------------------------------------------------------------------------------
def _line(event: yaml.Event) -> str:
    mark = event.start_mark
    return f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""


def _scan_yaml(text: str, where: str) -> None:
    """Walk the YAML event stream (libyaml's parser is iterative: no recursion, nothing built)
    and refuse aliases, deep nesting and a key given twice before anything is constructed."""
    frames: list[list] = []  # per open collection: [is_mapping, keys seen, expecting a key]
    for event in yaml.parse(text, Loader=_YamlLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise InputError(f"YAML anchors and aliases (&, *, <<) are not supported{_line(event)}", file=where)
        if isinstance(event, (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)) and frames:
            frame = frames[-1]
            if frame[0] and frame[2]:
                if not isinstance(event, yaml.ScalarEvent):
                    raise InputError(f"a mapping key must be plain text{_line(event)}", file=where)
                if event.value in frame[1]:
                    raise InputError(f"the key {event.value!r} is given twice in one mapping{_line(event)}",
                                     file=where)
                frame[1].add(event.value)
            if frame[0]:
                frame[2] = not frame[2]
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            frames.append([isinstance(event, yaml.MappingStartEvent), set(), True])
            if len(frames) > MAX_DEPTH:
                raise InputError(f"nested more than {MAX_DEPTH} levels deep{_line(event)}", file=where)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            frames.pop()


def parse_yaml(text: str, where: str) -> Any:
    try:
        _scan_yaml(text, where)
        return yaml.load(text, Loader=_YamlLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "cannot be parsed"
        if "nesting depth" in problem:  # PyYAML >= 6.0.4 stops deep nesting itself, before our scan sees it
            raise InputError(f"nested more than {MAX_DEPTH} levels deep{at}", file=where) from None
        raise InputError(f"not valid YAML: {problem}{at}", file=where) from None
    except RecursionError:
        raise InputError(f"nested more than {MAX_DEPTH} levels deep", file=where) from None


def read_data(path: Path) -> Any:
    """A YAML or JSON file (by its suffix; anything else is read as YAML, a superset of JSON)
    as plain data, safely."""
    text = read_text(path)
    if path.suffix.lower() == ".json":
        return parse_json(text, str(path))
    return parse_yaml(text, str(path))


# -- streamed files --------------------------------------------------------------------------------------
def read_lines(path: Path, limit: int = MAX_LINE_BYTES) -> Iterator[tuple[int, str | InputError]]:
    """(line number, text) for each line of a streamed file, or (line number, error) for a line
    that is too long or not UTF-8; one bad line never stops the others."""
    check_file(path, None)
    number, offset = 0, 0
    with path.open("rb") as handle:
        head = handle.read(2)
        handle.seek(0)
        if head in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            yield from _utf16_lines(path, handle.read())
            return
        while True:
            raw = handle.readline(limit + 1)
            if not raw:
                return
            number += 1
            where = f"{path}:{number}"
            if len(raw) > limit and not raw.endswith(b"\n"):
                skipped = len(raw) + _skip_line(handle)
                yield number, InputError(f"the line is over {limit:,} bytes", file=where)
                offset += skipped
                continue
            try:
                yield number, decode(raw, where, offset)
            except InputError as exc:
                yield number, exc
            offset += len(raw)


def _skip_line(handle) -> int:
    skipped = 0
    while True:
        block = handle.readline(MAX_LINE_BYTES)
        skipped += len(block)
        if not block or block.endswith(b"\n"):
            return skipped


def _utf16_lines(path: Path, data: bytes) -> Iterator[tuple[int, str | InputError]]:
    if len(data) > MAX_FILE_BYTES:
        raise InputError(f"UTF-16 files are read whole and may be at most {MAX_FILE_BYTES:,} bytes; "
                         "save it as UTF-8", file=str(path))
    text = decode(data, str(path))
    for number, line in enumerate(text.splitlines(keepends=True), 1):
        yield number, line
