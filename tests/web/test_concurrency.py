"""Many questions at once: four what-if jobs and two plan requests on the same qualifications, all
running together in one web server, give record for record what a run one at a time gives."""

from __future__ import annotations

import json
import threading
import time

import pytest
from fastapi.testclient import TestClient

from catalog import builtin
from models import Scenario
from solver.whatif.template import Template
from tests.fresh import fresh_app

QUALS = ("601/4404/X", "600/1684/X")


def scenarios() -> list[dict]:
    """Scenarios that edit the compiled model (credits, a rule's bound, a target), so every one is
    a CP-SAT solve on the shared qualification, not a look-up in the valid-set table."""
    found = []
    for number in QUALS:
        qual = builtin().get(number)
        for k, unit in enumerate(sorted(qual.units, key=lambda u: u.ref.digits)):
            found.append({"id": f"{number} credits {unit.ref}", "qualification": number,
                          "units": {str(unit.ref): {"credits": unit.credits + 1 + k % 3}}})
            found.append({"id": f"{number} glh at least {k}", "qualification": number, "objective": "minimise tqt",
                          "targets": [{"measure": "glh", "min": 120 + 5 * k}]})
    return found


def without_timing(record: dict) -> dict:
    return {key: value for key, value in record.items() if key != "solve_ms"}


@pytest.mark.slow
def test_four_whatif_jobs_and_two_plans_at_once_match_the_sequential_run():
    entries = scenarios()
    body = "".join(json.dumps(entry) + "\n" for entry in entries).encode()
    templates = {number: Template(builtin().get(number)) for number in QUALS}
    sequential = {e["id"]: without_timing(templates[e["qualification"]].solve(Scenario.model_validate(e))
                                          .model_dump(mode="json")) for e in entries}
    with TestClient(fresh_app(), raise_server_exceptions=False) as client:
        started: list[str] = []
        plans: list[dict] = []

        def job() -> None:
            answer = client.post("/api/whatif/jobs", files={"file": ("grid.jsonl", body)})
            assert answer.status_code == 202, answer.text
            started.append(answer.json()["id"])

        def plan(number: str) -> None:
            answer = client.post("/api/plan", json={"qualification": number, "objective": "maximise glh",
                                                    "exclude": [], "glh_at_most": 170})
            assert answer.status_code == 200, answer.text
            plans.append(answer.json())

        threads = [threading.Thread(target=job) for _ in range(4)]
        threads += [threading.Thread(target=plan, args=(number,)) for number in QUALS]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(started) == 4 and len(plans) == 2
        deadline = time.monotonic() + 240
        for job_id in started:
            while (state := client.get(f"/api/whatif/jobs/{job_id}").json())["state"] == "running":
                assert time.monotonic() < deadline, "a what-if job did not finish in 240 s"
                time.sleep(0.2)
            assert state["state"] == "done" and state["done"] == len(entries), state
            lines = client.get(f"/api/whatif/jobs/{job_id}/results.jsonl").text.splitlines()
            got = {r["id"]: without_timing(r) for r in map(json.loads, lines)}
            assert got == sequential
    for answer in plans:  # each as the same request gives it alone
        alone = json.loads(TestClient(fresh_app()).post("/api/plan", json={
            "qualification": answer["qualification"], "objective": "maximise glh", "glh_at_most": 170}).text)
        assert answer["units"] == alone["units"] and answer["glh"] <= 170
