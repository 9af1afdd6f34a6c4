"""A plan query answered before is answered again from the cache before routing (CachedPlans):
the same bytes, still behind the Host check, and only for answers that were kept."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient

from solver.web.api import RAW_PLAN
from tests.fresh import fresh_app

QUERY = "/api/plan?qualification=601/3972/9&objective=minimise+glh&glh_at_least=150"


def test_a_repeated_query_gets_the_same_bytes_from_the_cache():
    app = fresh_app(allowed_hosts=["testserver"])
    workspace = app.state.workspace
    with TestClient(app) as client:
        assert workspace.peek((RAW_PLAN, QUERY.split("?", 1)[1])) is None
        first = client.get(QUERY)
        assert first.status_code == 200 and json.loads(first.content)["status"] == "optimal"
        assert workspace.peek((RAW_PLAN, QUERY.split("?", 1)[1])) == first.content
        # what the cache gives is what it keeps: the route is not asked again
        workspace._cache[(RAW_PLAN, QUERY.split("?", 1)[1])] = first.content.replace(b"optimal", b"OPTIMAL")
        again = client.get(QUERY)
        assert again.content == first.content.replace(b"optimal", b"OPTIMAL")
        assert again.headers["content-type"] == "application/json"
        refused = client.get(QUERY, headers={"host": "evil.example"})
        assert refused.status_code == 400 and refused.json()["field"] == "host"
