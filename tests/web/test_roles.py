"""Every route, as every role and as nobody: no route answers a role that may not use it, and
none answers without a session or token except the login page, health and static files. The
table below is this test's own, written from the issue's words (a viewer reads; planners save
plans and cohorts; analysts run what-if studies and money; admins approve, confirm, manage users
and read the audit log), not read from the planner's table: the two must agree, route by route."""

from __future__ import annotations

import re

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from solver.store import Role, Store
from solver.store import accounts as accounts
from solver.store import work as work
from solver.web import create_app

PUBLIC = {("GET", "/login"), ("POST", "/login"), ("GET", "/health")}
PLANNER = {("POST", "/api/qualifications"), ("POST", "/upload"), ("POST", "/api/cohort"), ("POST", "/cohort"),
           ("POST", "/api/plans"), ("POST", "/q/{key:path}/save"), ("POST", "/api/saved/{item}/submit"),
           ("POST", "/saved/{item}/submit"), ("DELETE", "/api/saved/{item}"), ("POST", "/saved/{item}/delete"),
           ("POST", "/api/equivalences"), ("POST", "/import"), ("POST", "/import/save"),
           ("POST", "/equivalences")}
ANALYST = {("POST", "/api/whatif/jobs"), ("POST", "/api/whatif/grid"), ("POST", "/whatif/upload"),
           ("POST", "/whatif/grid"), ("DELETE", "/api/whatif/jobs/{job_id}")}
ADMIN = {("POST", p) for p in ("/api/saved/{item}/approve", "/api/saved/{item}/return", "/saved/{item}/approve",
                               "/saved/{item}/return", "/api/equivalences/{item}/confirm",
                               "/api/equivalences/{item}/reject", "/equivalences/{item}/confirm",
                               "/equivalences/{item}/reject", "/api/users", "/users", "/api/users/{name}",
                               "/users/{name}")} | \
        {("GET", p) for p in ("/api/audit", "/api/audit.csv", "/audit", "/api/users", "/users")}
ROLES = list(Role)


def least_role(method: str, path: str) -> Role | None:
    if (method, path) in PUBLIC:
        return None
    for role, routes in ((Role.admin, ADMIN), (Role.analyst, ANALYST), (Role.planner, PLANNER)):
        if (method, path) in routes:
            return role
    return Role.viewer  # everything else reads or asks


@pytest.fixture(scope="module")
def planner_app(tmp_path_factory):
    store = Store(tmp_path_factory.mktemp("roles"))
    store.upgrade()
    tokens = {}
    for role in ROLES:
        accounts.add_user(store, f"the-{role.value}", role, "correct horse")
        tokens[role] = accounts.create_token(store, f"the-{role.value}")
    item = work.save(store, "plan", "someone else's", "the-admin", "optimal", {}, {}).id
    with TestClient(create_app(store=store, single_user=True), raise_server_exceptions=False) as client:
        yield client, tokens, item


def own_item(client, role: Role) -> int:
    """A draft of the role's own, for the routes that act on one's own work."""
    return work.save(client.app.state.workspace.store, "plan", "mine", f"the-{role.value}", "optimal", {}, {}).id


def routes(app) -> list[tuple[str, str]]:
    """(method, path) of every route the app answers, through included routers (FastAPI 0.13x
    keeps them as wrappers holding the router, whose routes carry their full paths)."""
    def walk(items) -> list[APIRoute]:
        found = []
        for r in items:
            if isinstance(r, APIRoute):
                found.append(r)
            elif hasattr(r, "original_router"):
                found += walk(r.original_router.routes)
        return found

    listed = sorted({(method, r.path) for r in walk(app.routes) for method in r.methods})
    assert len(listed) > 70, listed  # every route, not a few: a test of nothing would pass
    return listed


def url_of(path: str, item: int) -> str:
    filled = {"{key:path}": "601-4404-X", "{key}": "0123456789abcdef", "{suffix}": "csv", "{item}": str(item),
              "{job_id}": "abcdef123456", "{name}": "nobody-such"}
    return re.sub(r"\{[^}]+\}", lambda m: filled[m.group(0)], path)


def ask(client, method: str, path: str, item: int, token: str | None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.request(method, url_of(path, item), headers=headers, follow_redirects=False,
                          **({"data": {}} if method in ("POST",) and not path.startswith("/api") else {}))


def test_this_table_and_the_planner_s_name_the_same_routes(planner_app):
    from solver.web.access import ACCESS

    client, _, _ = planner_app
    assert set(routes(client.app)) <= set(ACCESS)  # every route is in the planner's table (else refused)
    assert {k: v for k, v in ACCESS.items() if k in set(routes(client.app))} == \
        {k: least_role(*k) for k in routes(client.app)}


@pytest.mark.slow  # every route asked for real, four times (the table's agreement above is the fast guard)
@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value)
def test_no_route_answers_a_role_that_may_not_use_it(planner_app, role):
    client, tokens, _ = planner_app
    wrong = []
    for method, path in routes(client.app):
        needed = least_role(method, path)
        answer = ask(client, method, path, own_item(client, role), tokens[role])
        allowed = needed is None or role.rank >= needed.rank
        if allowed and answer.status_code in (401, 403):
            wrong.append(f"{method} {path}: {role.value} refused ({answer.status_code}: {answer.text[:120]})")
        if not allowed and answer.status_code != 403:
            wrong.append(f"{method} {path}: {role.value} answered {answer.status_code}")
    assert wrong == []


def test_nobody_gets_only_the_login_page_health_and_static_files(planner_app):
    client, _, item = planner_app
    wrong = []
    for method, path in routes(client.app):
        answer = ask(client, method, path, item, None)
        if (method, path) in PUBLIC:
            ok = answer.status_code not in (401, 403)
        elif method == "GET" and not path.startswith("/api"):
            ok = answer.status_code == 303 and answer.headers["location"].startswith("/login?next=")
        else:
            ok = answer.status_code == 401
        if not ok:
            wrong.append(f"{method} {path}: {answer.status_code}")
    assert wrong == []
    assert client.get("/static/roc.css").status_code == 200
    assert client.get("/api/nothing-here").status_code == 401  # an unknown path says nothing to nobody


@pytest.mark.slow
def test_money_needs_an_analyst_and_another_s_work_its_owner_or_an_admin(planner_app):
    client, tokens, item = planner_app

    def as_(role: Role) -> dict[str, str]:
        return {"Authorization": f"Bearer {tokens[role]}"}

    money = {"qualification": ["600-7736-0"], "cost_per_glh": "30", "class_size": "10"}
    assert client.post("/compare/results", data=money, headers=as_(Role.planner)).status_code == 403
    assert client.post("/compare/results", data={"qualification": ["600-7736-0"]},
                       headers=as_(Role.viewer)).status_code == 200  # the comparison without money: anyone's
    priced = client.post("/compare/results", data=money, headers=as_(Role.analyst))
    assert priced.status_code == 200 and "cost" in priced.text
    assert client.post(f"/api/saved/{item}/submit", headers=as_(Role.planner)).status_code == 403  # not theirs
    assert client.delete(f"/api/saved/{item}", headers=as_(Role.analyst)).status_code == 403
    assert client.get(f"/api/saved/{item}", headers=as_(Role.viewer)).json()["owner"] == "the-admin"  # still there
    assert [(s.kind, s.owner) for s in work.saved(client.app.state.workspace.store)].count(
        ("compare", "the-analyst")) == 1  # the priced run, kept


@pytest.mark.slow
def test_single_user_mode_is_only_for_a_planner_with_no_accounts(tmp_path):
    store = Store(tmp_path / "data")
    store.upgrade()
    with TestClient(create_app(store=store, single_user=True)) as local:
        assert local.get("/api/me").json() == {"name": "local", "role": "admin"}
        accounts.add_user(store, "ana", Role.viewer, "correct horse")
        local.app.state.gate.forget()
        assert local.get("/api/me").status_code == 401  # once there are accounts, everyone logs in
    empty = Store(tmp_path / "other")
    empty.upgrade()
    with TestClient(create_app(store=empty, single_user=False)) as shared:  # another address: no free pass
        assert shared.get("/api/me").status_code == 401


def test_a_session_is_a_signed_http_only_cookie_and_its_forms_need_the_csrf_token(tmp_path):
    store = Store(tmp_path / "data")
    store.upgrade()
    accounts.add_user(store, "ana", Role.planner, "correct horse")
    with TestClient(create_app(store=store), base_url="http://127.0.0.1:8000") as client:
        refused = client.post("/login", data={"name": "ana", "password": "wrong horse"})
        assert refused.status_code == 401 and "do not match" in refused.text
        logged = client.post("/login", data={"name": "ana", "password": "correct horse", "next": "//evil.example"},
                             follow_redirects=False)
        assert logged.status_code == 303 and logged.headers["location"] == "/"  # never to another site
        cookie = logged.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=lax" in cookie and "roc_session=" in cookie
        assert client.get("/api/me").json() == {"name": "ana", "role": "planner"}
        page = client.get("/equivalences").text
        csrf = re.search(r'"X-CSRF-Token": "([^"]+)"', page).group(1)
        form = {"target": "H/506/2154", "achieved": "T/601/6077"}
        assert client.post("/equivalences", data=form).status_code == 403  # no token: refused
        assert client.post("/equivalences", data=form, headers={"X-CSRF-Token": "forged"}).status_code == 403
        assert client.post("/equivalences", data=form, headers={"X-CSRF-Token": csrf}).status_code == 200
        elsewhere = client.post("/equivalences", data=form, headers={"X-CSRF-Token": csrf,
                                                                     "Origin": "http://evil.example"})
        assert elsewhere.status_code == 403  # another site's page, even with the token
        client.cookies.set("roc_session", "forged" + client.cookies.get("roc_session", "")[6:])
        assert client.get("/api/me").status_code == 401  # a cookie not signed by this planner is nobody's


@pytest.mark.slow  # six argon2 checks
def test_logins_are_rate_limited_on_the_web_too(tmp_path):
    store = Store(tmp_path / "data")
    store.upgrade()
    accounts.add_user(store, "ana", Role.viewer, "correct horse")
    with TestClient(create_app(store=store)) as client:
        codes = [client.post("/login", data={"name": "ana", "password": f"guess {n}"}).status_code for n in range(5)]
        assert codes == [401] * 5
        held = client.post("/login", data={"name": "ana", "password": "correct horse"})
        assert held.status_code == 429 and "too many failed logins" in held.text


@pytest.mark.slow
def test_an_admin_changes_a_role_and_disables_a_user_who_is_refused_at_once(tmp_path):
    store = Store(tmp_path / "data")
    store.upgrade()
    accounts.add_user(store, "hugo", Role.admin, "correct horse")
    accounts.add_user(store, "ana", Role.viewer, "correct horse")
    hugo = {"Authorization": f"Bearer {accounts.create_token(store, 'hugo')}"}
    ana = {"Authorization": f"Bearer {accounts.create_token(store, 'ana')}"}
    with TestClient(create_app(store=store)) as client:
        assert client.get("/api/me", headers=ana).json() == {"name": "ana", "role": "viewer"}
        assert client.post("/api/users/ana", json={"role": "planner"}, headers=hugo).status_code == 200
        assert client.get("/api/me", headers=ana).json() == {"name": "ana", "role": "planner"}
        assert client.post("/api/users/ana", json={"active": False}, headers=hugo).status_code == 200
        assert client.get("/api/me", headers=ana).status_code == 401  # at once, not after the cache's seconds
        last = client.post("/api/users/hugo", json={"role": "viewer"}, headers=hugo)
        assert last.status_code == 422 and "only active admin" in last.json()["error"]
        assert client.post("/api/users/nobody", json={"active": True}, headers=hugo).status_code == 422
