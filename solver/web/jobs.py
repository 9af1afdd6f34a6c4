"""What-if studies as background jobs: the same batch runner as `roc whatif run`, on a thread,
writing a results file in the job's folder in the data folder (jobs/ID/). The job's state is kept
in the database, so any server process answers for any job, and a job outlives the server that ran
it (one a stopped server left running is marked failed, saying so, when the next one starts)."""

from __future__ import annotations

import json
import shutil
import threading
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from catalog.scenarios import count_scenarios
from models import InputError, JobState, RocError

from ..service import finished_ids, whatif_run, whatif_summarise
from ..store import Store
from ..store import work as work

MAX_GRID = 1_000_000  # scenarios in one web grid


class Job:
    """A job as the database has it, with its files."""

    def __init__(self, view: work.JobView, folder: Path) -> None:
        self.view, self.id, self.folder = view, view.id, folder

    @property
    def state(self) -> JobState:
        return self.view.state

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

    def status(self) -> dict[str, Any]:
        """State and progress; when done, the summary of `roc whatif summarise`. One snapshot (the
        database row, read once): a page renders from this dict, never from the job as it changes."""
        v = self.view
        status: dict[str, Any] = {"id": v.id, "state": v.state.value, "total": v.total, "owner": v.owner,
                  "done": (v.total or 0) if v.state is JobState.done else self.done_count(),
                  "error": v.error, "seconds": v.seconds}
        if v.state is JobState.done and v.summary is not None:
            status["summary"] = v.summary
        return status


class Jobs:
    def __init__(self, store: Store, run: str) -> None:
        self.store, self.run = store, run
        self.folder = store.data / "jobs"
        self._threads: dict[str, threading.Thread] = {}

    def new_folder(self) -> Path:
        """A new job's folder, for its scenario file and results; its name is the job's id."""
        job_folder = self.folder / uuid.uuid4().hex[:12]
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

    def start(self, scenarios: Path, owner: str) -> Job:
        """Run every scenario of `scenarios` (in its own job folder) on a background thread."""
        job_id = scenarios.parent.name
        (scenarios.parent / "out").mkdir(exist_ok=True)
        work.add_job(self.store, job_id, owner, count_scenarios(scenarios), self.run)
        job = self.get(job_id)
        assert job is not None
        thread = threading.Thread(target=self._run, args=(job, scenarios), daemon=True, name=f"roc-job-{job_id}")
        self._threads[job_id] = thread
        thread.start()
        return job

    def _run(self, job: Job, scenarios: Path) -> None:
        try:
            run = whatif_run(scenarios, job.results)
            summary = json.loads(job.plain(whatif_summarise(job.results).model_dump_json()))
            work.end_job(self.store, job.id, JobState.done, seconds=round(run.seconds, 3), summary=summary)
        except RocError as exc:  # a bad scenario file: said on the page, never a 500
            work.end_job(self.store, job.id, JobState.failed, error=job.plain(str(exc)))
        except Exception as exc:  # noqa: BLE001 - a job must end in a state the page can show
            work.end_job(self.store, job.id, JobState.failed, error=f"the run failed: {type(exc).__name__}: {exc}")

    def get(self, job_id: str) -> Job | None:
        if not job_id.isalnum():
            return None
        view = work.job(self.store, job_id)
        return None if view is None else Job(view, self.folder / job_id)

    def delete(self, job: Job, actor: str) -> None:
        """A finished job, its files and its record (a running one is refused)."""
        if job.state is JobState.running:
            raise InputError(f"job {job.id} is still running; delete it when it has finished", field="job")
        work.delete_job(self.store, job.id, actor)
        shutil.rmtree(job.folder, ignore_errors=True)
