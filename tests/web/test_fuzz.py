"""Random and mutated requests to every JSON API route: each answer is a 2xx, or a 4xx in roc's
`{error, field}` shape; never a 500, never a hang (every solve has the server's time limit)."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.fresh import fresh_app

ROUTES = sorted((method.upper(), path) for path, methods in fresh_app().openapi()["paths"].items()
                for method in methods)
WORDS = ["601/4404/X", "601-4404-X", "600/1686/3", "K/601/6075", "L/506/2083", "minimise glh", "maximise tqt",
         "glh", "E3", "L1", "B", "", " ", "null", "-1", "1e9", "²", "../../etc/passwd", "=1+1", "$\\x{$",
         "\u202e", "a" * 300]
FIELDS = ["qualification", "objective", "include", "exclude", "max_level", "exclude_level", "exclude_group",
          "exclude_title", "glh_at_least", "top", "all_optimal", "time_limit", "units", "to", "achieved",
          "minimise", "threshold", "by", "source", "target", "class_size", "min_class_size", "glh_percent",
          "each_unit", "withdraw_each", "suffix", "nonsense"]
scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12), st.floats(allow_nan=True),
                    st.sampled_from(WORDS), st.text(max_size=20))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
    st.sampled_from(FIELDS), inner, max_size=4), max_leaves=12)


def _fill(path: str, draw) -> str:
    """A route's path parameters, each a word or a mutation of one."""
    parts = []
    for piece in path.split("/"):
        if piece.startswith("{"):
            piece = draw(st.sampled_from(["601-4404-X", "upload-000000000000", "0" * 12, "x.y", "%2e%2e"]))
            if "suffix" in path:
                piece = piece + "." + draw(st.sampled_from(["csv", "xlsx", "pdf", "jsonl", ""]))
        parts.append(piece)
    return "/".join(parts).replace("}.{suffix}", "")


@st.composite
def requests(draw):
    method, path = draw(st.sampled_from(ROUTES))
    url = _fill(path, draw)
    query = draw(st.dictionaries(st.sampled_from(FIELDS), st.sampled_from(WORDS) | st.lists(
        st.sampled_from(WORDS), max_size=3), max_size=4))
    kind = draw(st.sampled_from(["json", "form", "file", "raw", "none"]))
    return method, url, query, kind, draw(values), draw(st.binary(max_size=200))


VALID = {"/api/plan": {"qualification": "601/4404/X", "exclude": ["L/506/2083"]},
         "/api/check": {"qualification": "600/1686/3", "units": ["A/601/6047", "K/601/6075"]},
         "/api/transfer": {"to": "601/3972/9", "achieved": ["L/506/2083"]},
         "/api/transfer/suggestions": {"to": "601/3972/9", "achieved": ["T/601/6077"]}}


@st.composite
def mutated(draw):
    """A valid JSON body with one field changed to anything, or taken away."""
    path = draw(st.sampled_from(sorted(VALID)))
    body = dict(VALID[path])
    name = draw(st.sampled_from(FIELDS + list(body)))
    if name in body and draw(st.booleans()):
        del body[name]
    else:
        body[name] = draw(values)
    return "POST", path, {}, "json", body, b""


@pytest.fixture(scope="module")
def client():
    app = fresh_app()
    app.state.workspace.options = replace(app.state.workspace.options, time_limit=2.0)  # bounded: no hang
    with TestClient(app, raise_server_exceptions=False) as running:
        yield running


@pytest.mark.slow
@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(requests() | mutated())
def test_every_api_route_answers_random_requests_in_roc_s_shape(client, request):
    method, url, query, kind, body, raw = request
    arguments: dict = {"params": query}
    if method in ("POST", "PUT"):
        if kind == "json":
            arguments["content"] = json.dumps(body, default=str).encode()
            arguments["headers"] = {"content-type": "application/json"}
        elif kind == "form" and isinstance(body, dict):
            arguments["data"] = {k: json.dumps(v) if not isinstance(v, str) else v for k, v in body.items()}
        elif kind == "file":
            arguments["files"] = {"file": (str(query.get("suffix", "f.yaml")), raw)}
        elif kind == "raw":
            arguments["content"] = raw
    answer = client.request(method, url, **arguments)
    assert answer.status_code < 500, (method, url, kind, answer.text[:300])
    if answer.status_code >= 400:
        assert set(answer.json()) == {"error", "field"}, (method, url, answer.text[:300])
