"""The same question gets the same JSON from every face: each JSON API endpoint against the
matching `roc ... --json`, field names, values and types alike. Where the API must differ, the
difference is listed here, and only here."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.fresh import fresh_app

ROOT = Path(__file__).resolve().parents[2]

# What the API adds or leaves out, and why. Nothing else may differ.
TIMING = {"solve_seconds", "seconds", "solve_ms"}  # how long this run took: never the same twice
API_ADDS = {"/api/qualifications": {"key", "uploaded"}}  # its key in this server's URLs; a user's upload?


def same_but_timing(value):
    if isinstance(value, dict):
        return {k: same_but_timing(v) for k, v in value.items() if k not in TIMING}
    if isinstance(value, list):
        return [same_but_timing(v) for v in value]
    return value


@pytest.fixture(scope="module")
def client():
    with TestClient(fresh_app(), raise_server_exceptions=False) as c:
        yield c


QUESTIONS = [
    # (CLI arguments, HTTP method, path, query or JSON body, what of the CLI's document the API answers)
    (["plan", "601/4404/X", "--exclude", "F/503/0392", "--max-level", "L1", "--glh-at-least", "150"], "post",
     "/api/plan", {"qualification": "601/4404/X", "exclude": ["F/503/0392"], "max_level": "L1", "glh_at_least": 150},
     None),
    (["plan", "600/1684/X", "--top", "3", "--exclude-level", "E3", "--maximise", "glh"], "post", "/api/plan",
     {"qualification": "600/1684/X", "top": 3, "exclude_level": ["E3"], "objective": "maximise glh"}, None),
    (["plan", "600/1686/3", "--all-optimal", "--minimise", "tqt"], "post", "/api/plan",
     {"qualification": "600/1686/3", "all_optimal": True, "objective": "minimise tqt"}, None),
    (["plan", "601/3972/9"], "get", "/api/plan", {"qualification": "601/3972/9"}, None),
    (["check", "600/1686/3", "--units", "A/601/6047", "K/601/6075"], "post", "/api/check",
     {"qualification": "600/1686/3", "units": ["A/601/6047", "K/601/6075"]}, None),
    (["count", "600/1686/3", "--by", "glh"], "get", "/api/count", {"qualification": "600/1686/3", "by": "glh"}, None),
    (["transfer", "--to", "601/3972/9", "--achieved", "L/506/2083", "M/502/8587"], "post", "/api/transfer",
     {"to": "601/3972/9", "achieved": ["L/506/2083", "M/502/8587"]}, None),
    (["transfer", "--to", "601/3972/9", "--achieved", "T/601/6077", "--suggest"], "post", "/api/transfer/suggestions",
     {"to": "601/3972/9", "achieved": ["T/601/6077"]}, "suggestions"),
    (["equivalences", "suggest", "600/1686/3", "601/3972/9"], "get", "/api/equivalences/suggest",
     {"source": "600/1686/3", "target": "601/3972/9"}, None),
    (["compare", "601/3972/9", "601/4404/X", "--count-limit", "10000"], "get", "/api/compare",
     {"qualification": ["601/3972/9", "601/4404/X"]}, None),
    (["show", "601/4404/X"], "get", "/api/qualifications/601-4404-X", None, None),
    (["list"], "get", "/api/qualifications", None, None),
]


@pytest.mark.parametrize("args, method, path, given, part", QUESTIONS, ids=[" ".join(q[0][:2]) for q in QUESTIONS])
def test_every_endpoint_answers_what_the_cli_prints(roc, client, args, method, path, given, part):
    cli = roc(*args, "--json")
    assert cli.code in (0, 1), cli.stderr
    expected = json.loads(cli.stdout)
    if part is not None:
        expected = expected[part]
    answer = (client.post(path, json=given) if method == "post" else client.get(path, params=given))
    assert answer.status_code == 200, answer.text
    got = answer.json()
    if path in API_ADDS:
        extra = API_ADDS[path]
        assert all(extra <= set(row) for row in got)
        got = [{k: v for k, v in row.items() if k not in extra} for row in got]
    assert same_but_timing(got) == same_but_timing(expected)


def test_a_cohort_upload_answers_what_the_cli_prints(roc, client):
    path = ROOT / "tests" / "fixtures" / "cohort.yaml"
    cli = roc("cohort", "plan", str(path), "--json")
    assert cli.code == 0, cli.stderr
    answer = client.post("/api/cohort", files={"file": ("cohort.yaml", path.read_bytes())})
    assert answer.status_code == 200, answer.text
    assert same_but_timing(answer.json()) == same_but_timing(json.loads(cli.stdout))


def test_errors_name_the_same_field_in_each_face_s_words(roc, client):
    cli = roc("plan", "601/4404/X", "--include", "X/999/9999")
    api = client.post("/api/plan", json={"qualification": "601/4404/X", "include": ["X/999/9999"]})
    assert cli.code == 2 and cli.stderr.startswith("roc: error: --include: unit X/999/9999 is not part of")
    assert api.status_code == 422 and api.json()["field"] == "include"
    assert api.json()["error"] == cli.stderr.removeprefix("roc: error: --").strip()
    grid = client.post("/api/whatif/grid", data={"qualification": ["601/4404/X"], "objective": ["minimise nonsense"]})
    assert grid.status_code == 422 and grid.json()["field"] == "objective"
    expand = roc("whatif", "expand", "601/4404/X", "--objective", "minimise nonsense", "--out", "/dev/null")
    assert expand.code == 2 and "--objective: 'minimise nonsense': expected" in expand.stderr
