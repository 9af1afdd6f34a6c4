"""What the web planner holds while it runs: the catalogue, the qualification files users have
uploaded (kept in the database, every version, and read by the same loaders as the CLI's), the
equivalences confirmed on this server, and cached plans.

Uploads are kept by the hash of their bytes, so the same file uploaded twice is one entry, and a
key always names the same qualification (which is what makes the plan cache safe). Another
server process's uploads are read from the database when they are asked for."""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import shutil
import tempfile
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from fastapi.concurrency import run_in_threadpool
from starlette.requests import Request

from catalog import Catalog, builtin, load_file
from catalog.scenarios import read_scenarios
from models import Equivalence, InputError, Qualification, QualNumber, UnknownQualification

from ..service import Cancel, SolveOptions, declared_equivalences
from ..store import Store
from ..store import work as work

TIME_LIMIT = 30.0  # seconds for each solve a web request asks for (`roc serve --time-limit`)
MAX_UPLOAD = 1 << 20  # a qualification file, learner record or cohort: 1 MiB
MAX_SCENARIOS = 16 << 20  # a what-if scenario file: 16 MiB, as the CLI's readers allow
REFRESH = 2.0  # seconds between looks for what other server processes uploaded or decided
UPLOAD_SUFFIXES = {".yaml", ".yml", ".json", ".csv", ".jsonl", ".ndjson"}


def final(answer: Any) -> bool:
    """Whether an answer is the whole answer (kept in the cache): a proven status, a complete
    list, a count not stopped by time; one a time limit or a client's going cut short is not (a
    count stopped at its set limit is the same every time, and is kept)."""
    status = getattr(answer, "status", None)
    if status is not None:
        return bool(getattr(answer, "settled", status.proven))  # a plan: every tie-break proven too
    return getattr(answer, "complete", True) and getattr(answer, "stopped", None) != "time limit"


class TooLarge(InputError):
    """An upload over its size limit (HTTP 413)."""


def key_of(qual: Qualification) -> str:
    """A catalogue qualification's key in URLs: its number with dashes (601-4404-X)."""
    return str(qual.number).replace("/", "-")


class Workspace:
    """The catalogue plus this server's uploads, and a bounded cache of computed answers."""

    def __init__(self, store: Store, catalogue: Catalog | None = None, cache_size: int = 4096,
                 time_limit: float = TIME_LIMIT) -> None:
        self.store = store
        self.catalogue = catalogue if catalogue is not None else builtin()
        # every solve a request asks for stops by this limit (answering what it proved), and
        # leaves Ctrl-C to the server: CP-SAT's own handler must not run on a request's thread
        self.declared = declared_equivalences()  # the catalogue's, read once, as the catalogue is
        self._confirmed: tuple[float, int, list[Equivalence]] = (0.0, -1, [])
        self.cancel = Cancel()
        # seed-sized plans come from each qualification's valid sets, listed once (analysis/quick.py)
        self.options = SolveOptions(time_limit=time_limit, interruptible=False, cancel=self.cancel, from_table=True)
        self.folder = Path(tempfile.mkdtemp(prefix="roc-web-"))  # a request's own files, while it runs
        self.kept = store.data / "uploads"  # uploaded qualifications' files (their bytes are in the database)
        self.uploads: dict[str, tuple[Qualification, Path]] = {}
        self._seen, self._read_at = 0, 0.0
        self._cache: OrderedDict[tuple, Any] = OrderedDict()
        self._cache_size = cache_size
        self._lock = threading.Lock()
        self.refresh(force=True)

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def _decided(self) -> tuple[int, list[Equivalence]]:
        """(how many equivalences have been decided, the confirmed ones), read again from the
        database at most every REFRESH seconds, and only when a decision has been made since."""
        read_at, decided, confirmed = self._confirmed
        if time.monotonic() - read_at > REFRESH:
            now_decided = work.decisions(self.store)
            if now_decided != decided:
                confirmed = work.confirmed(self.store)
            self._confirmed = (time.monotonic(), now_decided, confirmed)
        return self._confirmed[1], self._confirmed[2]

    @property
    def equivalences(self) -> list[Equivalence]:
        """The catalogue's declared equivalences and those confirmed on this server."""
        return self.declared + self._decided()[1]

    def equivalences_changed(self) -> None:
        """Read the confirmed equivalences again at the next use (one was decided here)."""
        self._confirmed = (0.0, -1, [])

    def equivalences_version(self) -> int:
        """A number that changes when an equivalence is decided: part of the cache key of every
        answer that uses them."""
        return self._decided()[0]

    def refresh(self, force: bool = False) -> None:
        """Load the uploads made since the last look (by this process or another)."""
        if not force and time.monotonic() - self._read_at < REFRESH:
            return
        for number, view, content in work.uploads(self.store, after=self._seen):
            self._seen = max(self._seen, number)
            if view.key in self.uploads:  # this process's own upload: loaded when it came
                continue
            path = self.kept / view.key / view.filename
            if not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(content)
            try:
                self.uploads[view.key] = (self.loaded(lambda: load_file(path)), path)
            except InputError:  # read by an older roc that took it: listed nowhere, said nowhere
                pass
        self._read_at = time.monotonic()

    # -- qualifications ----------------------------------------------------------------------
    def qualifications(self) -> Iterator[tuple[str, Qualification, bool]]:
        """(key, qualification, uploaded?) for the catalogue, then the uploads."""
        self.refresh()
        for qual in self.catalogue:
            yield key_of(qual), qual, False
        for key, (qual, _) in self.uploads.items():
            yield key, qual, True

    def sharing_number(self, key: str) -> list[str]:
        """What else in this planner carries the number of the qualification at `key`, in words
        ("the catalogue's 601/4404/X OCNLR ...", "upload upload-1a2b3c..."): two qualifications with
        one number are told apart by their keys."""
        mine = self.get(key)
        return [(f"upload {other}" if uploaded else f"the catalogue's {qual.number} {qual.title}")
                for other, qual, uploaded in self.qualifications() if qual is not mine and qual.number == mine.number]

    def get(self, key: str) -> Qualification:
        """A qualification by its key (601-4404-X, 601/4404/X, or an upload's key)."""
        if key.startswith("upload-") and key not in self.uploads:
            self.refresh(force=True)  # perhaps another server process's
        if key in self.uploads:
            return self.uploads[key][0]
        try:
            number = QualNumber.parse(key.replace("-", "/"))
        except ValueError:
            raise UnknownQualification(f"{key!r} is not a qualification number of the catalogue or an "
                                       "uploaded file's key", field="qualification") from None
        return self.catalogue.get(str(number))

    def spec(self, key: str) -> str:
        """What names the qualification to a batch worker: a catalogue number, or the upload's file."""
        if key in self.uploads:
            return str(self.uploads[key][1])
        return str(self.get(key).number)

    def save(self, name: str, data: bytes, limit: int = MAX_UPLOAD, folder: Path | None = None,
             suffixes: set[str] = UPLOAD_SUFFIXES) -> Path:
        """An uploaded file, saved under its own (cleaned) name so that errors name it."""
        if len(data) > limit:
            raise TooLarge(f"the file is {len(data):,} bytes; the limit is {limit:,}", file=name or "upload")
        clean = re.sub(r"[^A-Za-z0-9._-]", "_", Path(name or "upload").name)[:100] or "upload"
        if Path(clean).suffix.lower() not in suffixes:
            kinds = "a .yaml, .json or .csv file" if suffixes is UPLOAD_SUFFIXES else \
                f"a {', '.join(sorted(suffixes))} file"
            raise InputError(f"expected {kinds}, not {Path(clean).suffix or 'no suffix'}", file=name or "upload")
        target = (folder or self.folder / hashlib.sha256(data).hexdigest()[:16])
        target.mkdir(parents=True, exist_ok=True)
        path = target / clean
        path.write_bytes(data)
        return path

    def upload(self, name: str, data: bytes, by: str) -> tuple[str, Qualification]:
        """Load an uploaded qualification file and keep it (who sent it, when); its key is
        'upload-' and a hash of its bytes."""
        key = "upload-" + hashlib.sha256(data).hexdigest()[:12]
        if key in self.uploads:
            return key, self.uploads[key][0]
        path = self.save(name, data, folder=self.kept / key)
        try:
            qual = self.loaded(lambda: load_file(path))
        except InputError:
            shutil.rmtree(path.parent, ignore_errors=True)
            raise
        work.add_upload(self.store, work.UploadView(key=key, number=str(qual.number), title=qual.title[:300],
                                                    filename=path.name, uploaded_by=by, uploaded_at=work.now()), data)
        self.uploads[key] = (qual, path)
        return key, qual

    def confined(self, scenarios: Path) -> Path:
        """An uploaded scenario file that names only catalogue qualifications and this server's
        uploads (by key): never a file on the server's disk. Upload keys become the uploads' own
        files, in a JSONL file beside the upload; a file that needs no change is used as it is."""
        entries: list[dict[str, Any]] = []
        unreadable: list[InputError] = []
        changed = False
        for where, entry in read_scenarios(scenarios):
            if isinstance(entry, InputError):  # the run records it as an error, as the CLI's does
                unreadable.append(entry)
                continue
            spec = entry.get("qualification")
            if isinstance(spec, str) and spec in self.uploads:
                entry, changed = {**entry, "qualification": str(self.uploads[spec][1])}, True
            elif isinstance(spec, str) and not self._in_catalogue(spec):
                raise InputError(f"{spec!r} is neither a catalogue qualification number nor the key of a file "
                                 "you uploaded; the web planner never reads files on the server's disk",
                                 file=where.replace(f"{scenarios.parent}/", ""), field="qualification")
            entries.append(entry)
        if changed and unreadable:
            raise InputError(str(unreadable[0]).replace(f"{scenarios.parent}/", ""))
        if not changed:
            return scenarios
        confined = scenarios.with_name("scenarios-confined.jsonl")
        confined.write_text("".join(json.dumps(entry) + "\n" for entry in entries), encoding="utf-8")
        return confined

    def _in_catalogue(self, spec: str) -> bool:
        try:
            self.catalogue.get(str(QualNumber.parse(spec)))
        except (ValueError, InputError):
            return False
        return True

    def loaded(self, load: Callable[[], Any]) -> Any:
        """`load()`, with the server's folder taken out of any error (the user knows the file by name)."""
        try:
            return load()
        except InputError as exc:
            raise InputError(self.plain(str(exc))) from None

    def plain(self, text: str) -> str:
        text = re.sub(re.escape(str(self.kept)) + r"/upload-[0-9a-f]+/", "", text)
        return re.sub(re.escape(str(self.folder)) + r"/[0-9a-f]+/", "", text)

    # -- cache --------------------------------------------------------------------------------
    def peek(self, key: tuple) -> Any:
        """The cached answer for `key`, or None."""
        with self._lock:
            return self._cache.get(key)

    async def while_connected(self, request: Request, key: tuple[Any, ...],
                              compute: Callable[[SolveOptions], Any]) -> Any:
        """`compute(options)` on a worker thread, once per key: the server answers others
        meanwhile, and if the client goes its solves stop at once (the server's time limit holds
        either way). An answer cut short so is not kept."""
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        cancel = Cancel(parent=self.cancel)
        work = asyncio.ensure_future(run_in_threadpool(compute, replace(self.options, cancel=cancel)))
        while not work.done():
            if await request.is_disconnected():
                cancel.stop()
                break
            await asyncio.wait({work}, timeout=0.25)
        value = await work
        return value if cancel.is_set or not final(value) else self.cached(key, lambda: value)

    def cached(self, key: tuple, compute: Callable[[], Any]) -> Any:
        """`compute()` once per key (answers are deterministic and frozen); least recently used
        answers are dropped past the cache size."""
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        value = compute()
        with self._lock:
            self._cache[key] = value
            if len(self._cache) > self._cache_size:
                self._cache.popitem(last=False)
        return value
