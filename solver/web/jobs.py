"""What-if studies as background jobs: the same batch runner as `roc whatif run`, on a thread,
writing a results file in the job's own folder; the page and the API poll its progress."""

from __future__ import annotations

import json
import shutil
import threading
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from catalog.scenarios import count_scenarios
from models import InputError, JobState, RocError

from ..service import WhatIfSummary, finished_ids, whatif_run, whatif_summarise

MAX_GRID = 1_000_000  # scenarios in one web grid
MAX_JOBS = 50  # finished jobs beyond this are forgotten, oldest first (their files too)


@dataclass
class Job:
    id: str
    folder: Path
    scenarios: Path
    total: int | None
    started: float = field(default_factory=time.time)
    state: JobState = JobState.running
    error: str | None = None
    seconds: float | None = None
    summary: WhatIfSummary | None = None

    @property
    def results(self) -> Path:
        """In a folder of its own: an uploaded scenario file may be called results.jsonl too."""
        return self.folder / "out" / "results.jsonl"

    def done_count(self) -> int:
        """Scenarios with a record in the results file so far (while the job runs)."""
        try:
            return len(finished_ids(self.results).ids)
        except (OSError, RocError):
            return 0

    def plain(self, text: str) -> str:
        """`text` without the server's job folder (scenario ids of bad lines name the file)."""
        return text.replace(str(self.folder) + "/", "")

    def status(self) -> dict:
        """State and progress; when done, the summary of `roc whatif summarise`. One snapshot: the
        state is read once, first (the run sets the summary before it says done), and a page
        renders from this dict, never from the job as it changes meanwhile."""
        state = self.state
        status = {"id": self.id, "state": state.value, "total": self.total,
                  "done": (self.total or 0) if state is JobState.done else self.done_count(),
                  "error": self.error, "seconds": self.seconds}
        if state is JobState.done and self.summary is not None:
            status["summary"] = json.loads(self.plain(self.summary.model_dump_json()))
        return status


class Jobs:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def new_folder(self) -> Path:
        """A new job's folder, for its scenario file and results; its name is the job's id."""
        job_folder = self.folder / "jobs" / uuid.uuid4().hex[:12]
        job_folder.mkdir(parents=True)
        return job_folder

    def write_grid(self, entries: Iterable[dict[str, Any]]) -> Path:
        """The grid's scenario file, in a new job folder; a grid past MAX_GRID is refused whole
        (nothing is kept), never cut short."""
        path = self.new_folder() / "scenarios.jsonl"
        with open(path, "w", encoding="utf-8") as f:
            for count, entry in enumerate(entries, 1):
                if count > MAX_GRID:
                    f.close()
                    shutil.rmtree(path.parent, ignore_errors=True)
                    raise InputError(f"the grid has more than {MAX_GRID:,} scenarios; choose fewer qualifications, "
                                     "goals or GLH steps (or run it with `roc whatif expand` and `roc whatif run`)",
                                     field="glh_percent")
                f.write(json.dumps(entry) + "\n")
        return path

    def start(self, scenarios: Path) -> Job:
        """Run every scenario of `scenarios` (in its own job folder) on a background thread."""
        job = Job(id=scenarios.parent.name, folder=scenarios.parent, scenarios=scenarios,
                  total=count_scenarios(scenarios))
        job.results.parent.mkdir(exist_ok=True)
        with self._lock:
            self.jobs[job.id] = job
            self._forget_old()
        threading.Thread(target=self._run, args=(job,), daemon=True, name=f"roc-job-{job.id}").start()
        return job

    def _run(self, job: Job) -> None:
        try:
            run = whatif_run(job.scenarios, job.results)
            job.summary = whatif_summarise(job.results)
            job.seconds = round(run.seconds, 3)
            job.state = JobState.done
        except RocError as exc:  # a bad scenario file: said on the page, never a 500
            job.error, job.state = job.plain(str(exc)), JobState.failed
        except Exception as exc:  # noqa: BLE001 - a job must end in a state the page can show
            job.error, job.state = f"the run failed: {type(exc).__name__}: {exc}", JobState.failed

    def _forget_old(self) -> None:
        finished = [j for j in self.jobs.values() if j.state is not JobState.running]
        for job in sorted(finished, key=lambda j: j.started)[:max(0, len(self.jobs) - MAX_JOBS)]:
            del self.jobs[job.id]
            shutil.rmtree(job.folder, ignore_errors=True)

    @staticmethod
    def kept() -> int:
        """How many finished jobs are kept (the rest are forgotten, oldest first, with their files)."""
        return MAX_JOBS

    def get(self, job_id: str) -> Job | None:
        return self.jobs.get(job_id)
