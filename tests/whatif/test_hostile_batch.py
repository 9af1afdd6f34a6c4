"""Batch runs given hostile input and faults: nothing of the user's is lost or damaged, one bad
scenario never stops a run, one writer per results file, interrupts keep only finished work."""

from __future__ import annotations

import codecs
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from solver.whatif import finished_ids, run_batch

QUAL = "600/7736/0"  # the smallest seed: every scenario solves in a millisecond


def good(n: int, qual: str = QUAL) -> list[dict]:
    return [{"id": f"s{i}", "qualification": qual} for i in range(n)]


def write_jsonl(path: Path, entries: list) -> Path:
    path.write_text("".join((e if isinstance(e, str) else json.dumps(e)) + "\n" for e in entries))
    return path


def records(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines()]


# -- 1. --out never damages a file --------------------------------------------------------------------
@pytest.mark.parametrize("content", [b"my notes\nsecond line without newline", b"\x89PNG\r\n\x1a\n\x00\x00binary",
                                     b'{"not": "a result"}\n'])
def test_out_refuses_a_file_that_is_not_a_results_file(roc, tmp_path, content):
    scenarios = write_jsonl(tmp_path / "s.jsonl", good(2))
    out = tmp_path / "precious.txt"
    out.write_bytes(content)
    result = roc("whatif", "run", str(scenarios), "--out", str(out), "--no-progress", "--workers", "1")
    assert result.code == 2 and "not a roc results file" in result.stderr
    assert out.read_bytes() == content  # not a byte changed


def test_out_refuses_the_scenario_file_itself(roc, tmp_path):
    scenarios = write_jsonl(tmp_path / "s.jsonl", good(3))
    before = scenarios.read_bytes()
    result = roc("whatif", "run", str(scenarios), "--out", str(scenarios), "--no-progress", "--workers", "1")
    assert result.code == 2 and "is the scenario file" in result.stderr
    assert scenarios.read_bytes() == before


def test_a_torn_last_line_is_moved_aside_never_deleted(roc, tmp_path):
    scenarios = write_jsonl(tmp_path / "s.jsonl", good(3))
    out = tmp_path / "out.jsonl"
    assert roc("whatif", "run", str(scenarios), "--out", str(out), "--no-progress", "--workers", "1").code == 0
    lines = out.read_text().splitlines()
    torn = lines[2][:25]
    out.write_text("\n".join(lines[:2]) + "\n" + torn)  # a kill in the middle of the last write
    result = roc("whatif", "run", str(scenarios), "--out", str(out), "--no-progress", "--workers", "1")
    assert result.code == 0 and "moved aside" in result.stderr
    kept = [p for p in tmp_path.iterdir() if p.name.startswith("out.jsonl.torn")]
    assert len(kept) == 1 and kept[0].read_text() == torn
    assert sorted(r["id"] for r in records(out)) == ["s0", "s1", "s2"]


def test_a_corrupt_line_in_the_middle_is_reported_and_its_scenario_solved_again(roc, tmp_path):
    scenarios = write_jsonl(tmp_path / "s.jsonl", good(3))
    out = tmp_path / "out.jsonl"
    roc("whatif", "run", str(scenarios), "--out", str(out), "--no-progress", "--workers", "1")
    lines = out.read_text().splitlines()
    out.write_text(lines[0] + "\n" + "{garbage\n" + lines[2] + "\n")
    result = roc("whatif", "run", str(scenarios), "--out", str(out), "--no-progress", "--workers", "1")
    assert result.code == 0 and f"{out}:2" in result.stderr and "not a result record" in result.stderr
    assert "{garbage" in out.read_text()  # reported, not removed
    kept = [json.loads(line) for line in out.read_text().splitlines() if line != "{garbage"]
    assert sorted(r["id"] for r in kept) == ["s0", "s1", "s2"]


# -- 3. one writer per results file -------------------------------------------------------------------
def test_a_second_writer_is_refused_and_told_who_holds_the_file(tmp_path):
    from solver.whatif.batch import results_lock

    out = tmp_path / "out.jsonl"
    with results_lock(out):
        code = subprocess.run(
            [sys.executable, "-m", "solver", "whatif", "run", str(write_jsonl(tmp_path / "s.jsonl", good(2))),
             "--out", str(out), "--no-progress", "--workers", "1"], capture_output=True, text=True, timeout=120)
    assert code.returncode == 2
    assert f"process {os.getpid()}" in code.stderr and "already writing" in code.stderr
    assert not out.exists() or out.read_text() == ""


# -- 4. one bad scenario never stops a batch ---------------------------------------------------------
HOSTILE_LINES = [
    {"id": "number", "qualification": 5},
    {"id": "list", "qualification": [QUAL]},
    {"id": "nested", "qualification": QUAL, "units": {"a": {"b": {"c": {"d": 1}}}}},
    '{"id": "deep", "qualification": "x", "units": ' + "[" * 5000 + "]" * 5000 + "}",
    {"id": "huge", "qualification": QUAL, "units": {"M/601/6064": {"glh": 2 ** 40}}},
    {"id": "float", "qualification": QUAL, "rules": [{"rule": "credits", "min": 1.5}]},
    {"id": "bool", "qualification": QUAL, "units": {"M/601/6064": {"credits": True}}},
    {"id": "text", "qualification": QUAL, "units": {"M/601/6064": {"glh": "3"}}},
    {"id": "nan", "qualification": QUAL, "units": {"M/601/6064": {"glh": float("nan")}}},
    {"id": "negative", "qualification": QUAL, "rules": [{"rule": "credits", "min": -1}]},
    {"id": "twice", "id2": 1, "qualification": QUAL},
]


@pytest.mark.parametrize("workers", [1, 2, pytest.param("ray", marks=pytest.mark.slow)])
def test_bad_scenarios_become_error_records_and_the_run_goes_on(roc, tmp_path, workers):
    backend = ["--backend", "ray", "--workers", "2"] if workers == "ray" else ["--workers", str(workers)]
    if workers == "ray" and not os.environ.get("CI"):
        pytest.importorskip("ray")
    path = tmp_path / "s.jsonl"
    body = "".join((e if isinstance(e, str) else json.dumps(e)) + "\n" for e in HOSTILE_LINES + good(3))
    path.write_bytes(body.encode() + b'{"id": "bytes\xff\xfe", "qualification": "600/7736/0"}\n'
                     + json.dumps({"id": "last", "qualification": QUAL}).encode() + b"\n")
    out = tmp_path / "out.jsonl"
    result = roc("whatif", "run", str(path), "--out", str(out), "--no-progress", *backend)
    assert result.code == 1 and "12 scenarios could not be run" in result.stderr, result.stderr
    got = {r["id"]: r for r in records(out)}
    assert {k for k, r in got.items() if r["status"] == "optimal"} == {"s0", "s1", "s2", "last"}
    assert len(got) == 4 + len(HOSTILE_LINES) + 1
    assert "byte offset" in got[f"{path}:{len(HOSTILE_LINES) + 4}"]["error"]
    assert "nested more than" in got[f"{path}:4"]["error"]
    assert "less than or equal to 99999" in got["huge"]["error"]
    # a resume has nothing to do, and does not crash on what it reads back
    again = roc("whatif", "run", str(path), "--out", str(out), "--no-progress", *backend)
    assert again.code == 1 and "0 results written" in again.stderr and "12 scenarios" in again.stderr


def test_a_utf16_csv_from_a_spreadsheet_is_read(roc, tmp_path):
    path = tmp_path / "s.csv"
    path.write_bytes(codecs.BOM_UTF16_LE + f"id,qualification\r\na,{QUAL}\r\nb,{QUAL}\r\n".encode("utf-16-le"))
    out = tmp_path / "out.jsonl"
    result = roc("whatif", "run", str(path), "--out", str(out), "--no-progress", "--workers", "1")
    assert result.code == 0, result.stderr
    assert sorted((r["id"], r["status"]) for r in records(out)) == [("a", "optimal"), ("b", "optimal")]


def test_a_csv_row_of_bad_bytes_is_one_error_record(roc, tmp_path):
    path = tmp_path / "s.csv"
    path.write_bytes(f"id,qualification\na,{QUAL}\n".encode() + b"b\xff,600/7736/0\n" + f"c,{QUAL}\n".encode())
    out = tmp_path / "out.jsonl"
    result = roc("whatif", "run", str(path), "--out", str(out), "--no-progress", "--workers", "1")
    assert result.code == 1
    got = {r["id"]: r["status"] for r in records(out)}
    assert got == {"a": "optimal", f"{path}:3": "error", "c": "optimal"}


@pytest.mark.parametrize("how", ["exit", "segfault"])
def test_a_scenario_that_always_kills_its_worker_is_an_error_record(tmp_path, monkeypatch, how):
    scenarios = write_jsonl(tmp_path / "s.jsonl", good(40))
    monkeypatch.setenv("ROC_FAULT_EXIT_ON", "s17")
    monkeypatch.setenv("ROC_FAULT_HOW", how)
    monkeypatch.delenv("ROC_FAULT_MARKER", raising=False)  # every time, not once
    summary = run_batch(scenarios, tmp_path / "out.jsonl", workers=2, chunk=8)
    got = {r["id"]: r for r in records(tmp_path / "out.jsonl")}
    assert len(got) == 40 and summary.statuses == {"optimal": 39, "error": 1}
    assert "worker process died" in got["s17"]["error"]


@pytest.mark.slow
def test_ray_a_scenario_that_kills_its_worker_is_an_error_record_and_the_rest_are_solved(tmp_path, monkeypatch):
    if os.environ.get("CI"):
        import ray  # noqa: F401  -- CI installs the [ray] extra: this test must run there
    else:
        pytest.importorskip("ray")
    scenarios = write_jsonl(tmp_path / "s.jsonl", good(24))
    monkeypatch.setenv("ROC_FAULT_EXIT_ON", "s9")
    monkeypatch.setenv("ROC_FAULT_HOW", "segfault")
    monkeypatch.delenv("ROC_FAULT_MARKER", raising=False)
    summary = run_batch(scenarios, tmp_path / "out.jsonl", workers=2, chunk=6, backend="ray")
    got = {r["id"]: r for r in records(tmp_path / "out.jsonl")}
    assert len(got) == 24 and summary.statuses == {"optimal": 23, "error": 1}
    assert "worker process died" in got["s9"]["error"]


def test_ray_failures_end_the_run_with_one_line_and_keep_what_finished(tmp_path, monkeypatch):
    """A cluster that stops answering (here: every result lost after the first) ends the run."""
    ray = pytest.importorskip("ray")
    from solver.whatif.backends import ray as ray_backend

    class LostCluster(ray_backend.RayBackend):
        def __init__(self, workers, options, address=None, stop=None):
            self.ray, self.options, self.started, self.workers = ray, options, False, 1
            self.stop = stop
            self.chunk_task = self.single_task = self

        def remote(self, chunk, options):  # stands in for a Ray task
            return chunk

        def _map(self, chunks):
            for n, chunk in enumerate(chunks):
                if n == 2:
                    raise ray.exceptions.RaySystemError("the raylet died")
                yield [{"id": e["id"], "status": "optimal"} for e in chunk]

    monkeypatch.setattr("solver.whatif.backends.ray.RayBackend", LostCluster)
    scenarios = write_jsonl(tmp_path / "s.jsonl", good(300))  # chunks of 128: two answered, the third lost
    out = tmp_path / "out.jsonl"
    result = subprocess_free_cli(scenarios, out)
    assert result.code == 2 and result.stderr.count("\n") == 1, result.stderr
    assert "Ray cluster stopped answering" in result.stderr and "256 results finished in it are kept" in result.stderr
    assert sorted(r["id"] for r in records(out)) == sorted(f"s{i}" for i in range(256))


def subprocess_free_cli(scenarios: Path, out: Path):
    import contextlib
    import io

    from solver.cli import main
    from tests.conftest import CliResult

    stderr = io.StringIO()
    argv = ["roc", "whatif", "run", str(scenarios), "--out", str(out), "--no-progress", "--backend", "ray"]
    code = 0
    with contextlib.redirect_stderr(stderr), pytest.MonkeyPatch.context() as patch:
        patch.setattr(sys, "argv", argv)
        try:
            main()
        except SystemExit as exc:
            code = exc.code
    return CliResult(code, "", stderr.getvalue())


# -- 2. interrupts and kills ------------------------------------------------------------------------
def _start(tmp_path: Path, workers: int, n: int = 3000) -> tuple[subprocess.Popen, Path, Path]:
    scenarios = write_jsonl(tmp_path / "s.jsonl", [{"id": f"s{i}", "qualification": "601/3972/9",
                                                    "objective": "maximise glh"} for i in range(n)])
    out = tmp_path / "out.jsonl"
    process = subprocess.Popen([sys.executable, "-m", "solver", "whatif", "run", str(scenarios), "--out", str(out),
                                "--no-progress", "--workers", str(workers)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline and (not out.exists() or out.stat().st_size < 2000):
        time.sleep(0.05)
    return process, scenarios, out


@pytest.mark.slow
@pytest.mark.parametrize("workers", [1, 2])
def test_ctrl_c_keeps_only_finished_work_and_resume_completes_it(tmp_path, workers):
    process, scenarios, out = _start(tmp_path, workers)
    os.killpg(process.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the whole process group
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130 and "interrupted" in stderr and "Traceback" not in stderr, stderr
    partial = records(out)
    assert partial and all(r["status"] == "optimal" for r in partial)  # nothing unfinished saved
    assert len({r["id"] for r in partial}) == len(partial)
    summary = run_batch(scenarios, out, workers=1)
    assert summary.written == 3000 - len(partial)
    assert sorted(r["id"] for r in records(out)) == sorted(f"s{i}" for i in range(3000))


@pytest.mark.slow
def test_workers_exit_when_the_main_process_is_killed(tmp_path):
    process, _, _ = _start(tmp_path, 2)
    os.kill(process.pid, signal.SIGKILL)
    started = time.time()
    stdout = process.stdout.read()  # returns only when every holder of the pipe has gone
    assert time.time() - started < 10 and stdout == ""
    process.wait(timeout=10)


def test_finished_ids_reads_without_changing_the_file(tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text('{"id":"a","status":"optimal"}\n{"id":"b","sta')
    before = out.read_bytes()
    assert finished_ids(out).ids == {"a"}
    assert out.read_bytes() == before


@pytest.mark.slow
def test_a_run_with_two_workers_ends_cleanly_every_time(tmp_path):
    scenarios = write_jsonl(tmp_path / "s.jsonl", good(300))
    for attempt in range(5):
        out = tmp_path / f"out{attempt}.jsonl"
        done = subprocess.run([sys.executable, "-m", "solver", "whatif", "run", str(scenarios), "--out", str(out),
                               "--no-progress", "--workers", "2"], capture_output=True, text=True, timeout=120)
        assert done.returncode == 0 and done.stderr.count("\n") == 1, done.stderr  # the summary line alone
        assert len(records(out)) == 300 and not (tmp_path / f"out{attempt}.jsonl.lock").exists()


def test_a_torn_line_after_an_over_long_corrupt_line_is_cut_at_the_right_byte(roc, tmp_path):
    scenarios = write_jsonl(tmp_path / "s.jsonl", good(3))
    out = tmp_path / "out.jsonl"
    roc("whatif", "run", str(scenarios), "--out", str(out), "--no-progress", "--workers", "1")
    lines = out.read_bytes().splitlines(keepends=True)
    long = b"x" * (3 * 1024 * 1024) + b"\n"  # longer than any record: reported, never cut
    out.write_bytes(lines[0] + long + lines[1] + lines[2][:20])
    result = roc("whatif", "run", str(scenarios), "--out", str(out), "--no-progress", "--workers", "1")
    assert result.code == 0 and f"{out}:2" in result.stderr and "moved aside" in result.stderr
    kept = out.read_bytes()
    assert kept.startswith(lines[0] + long + lines[1])  # the long line is intact
    assert sorted(json.loads(line)["id"] for line in kept.splitlines() if line.startswith(b"{")) == ["s0", "s1", "s2"]
