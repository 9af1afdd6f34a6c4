"""Who may ask the planner what. Every route is in ACCESS with the least role that may use it
(None: anyone, logged in or not); a route missing from it is refused to everyone (deny by
default), and tests/web/test_roles.py tries every route as every role and as nobody.

Who is asking is settled before routing (`Gate`): an API token (`Authorization: Bearer roc_...`),
else the signed session cookie a login sets, else, on a planner with no accounts serving only
this machine, the local single user. A request that changes something and rides on the cookie
must carry the session's CSRF token (htmx sends it as X-CSRF-Token from every page); a browser's
request from another site (Origin or Sec-Fetch-Site) is refused whatever it carries."""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from html import escape
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from models import InputError

from ..store import LOCAL, Account, Role, Store
from ..store import accounts as accounts

V, P, A, ADMIN = Role.viewer, Role.planner, Role.analyst, Role.admin
ACCESS: dict[tuple[str, str], Role | None] = {
    # public: the login page, health (static files are a mount, public too)
    ("GET", "/login"): None, ("POST", "/login"): None, ("GET", "/health"): None,
    ("POST", "/logout"): V, ("GET", "/api/me"): V,
    ("GET", "/openapi.json"): V, ("GET", "/docs"): V, ("GET", "/docs/oauth2-redirect"): V, ("GET", "/redoc"): V,
    # reading and asking: every role
    ("GET", "/api/qualifications"): V, ("GET", "/api/qualifications/{key:path}"): V,
    ("GET", "/api/plan"): V, ("GET", "/api/plan.{suffix}"): V, ("POST", "/api/plan"): V,
    ("POST", "/api/check"): V, ("GET", "/api/count"): V, ("POST", "/api/transfer"): V,
    ("POST", "/api/transfer/suggestions"): V, ("GET", "/api/equivalences/suggest"): V,
    ("GET", "/api/compare"): V, ("GET", "/api/compare.{suffix}"): V, ("GET", "/api/cohort/{key}.{suffix}"): V,
    ("GET", "/api/whatif/jobs"): V, ("GET", "/api/whatif/jobs/{job_id}"): V,
    ("GET", "/api/whatif/jobs/{job_id}/results.{suffix}"): V,
    ("GET", "/api/saved"): V, ("GET", "/api/saved/{item}"): V, ("GET", "/api/saved/{item}.{suffix}"): V,
    ("GET", "/api/equivalences"): V, ("GET", "/api/equivalences.yaml"): V, ("GET", "/api/uploads"): V,
    ("GET", "/"): V, ("GET", "/q/{key:path}"): V, ("POST", "/q/{key:path}/audit"): V,
    ("POST", "/q/{key:path}/plan"): V, ("GET", "/compare"): V, ("GET", "/compare/results"): V,
    ("POST", "/compare/results"): V,  # with money in it: an analyst's (pages.compare_with_money)
    ("GET", "/transfer"): V, ("POST", "/transfer"): V, ("GET", "/whatif"): V, ("GET", "/whatif/jobs/{job_id}"): V,
    ("GET", "/cohort"): V, ("GET", "/import"): V, ("GET", "/saved"): V, ("GET", "/saved/{item}"): V, ("GET", "/equivalences"): V,
    # a planner's: uploads, cohorts, saved plans, suggestions, submitting for approval
    ("POST", "/api/qualifications"): P, ("POST", "/upload"): P, ("POST", "/api/cohort"): P, ("POST", "/cohort"): P,
    ("POST", "/api/plans"): P, ("POST", "/q/{key:path}/save"): P,
    ("POST", "/api/saved/{item}/submit"): P, ("POST", "/saved/{item}/submit"): P,
    ("DELETE", "/api/saved/{item}"): P, ("POST", "/saved/{item}/delete"): P,  # their own (an admin's: any)
    ("POST", "/api/equivalences"): P, ("POST", "/equivalences"): P,
    ("POST", "/import"): P, ("POST", "/import/save"): P,  # a specification drafted, then saved to the catalogue
    # an analyst's: what-if studies and money
    ("POST", "/api/whatif/jobs"): A, ("POST", "/api/whatif/grid"): A, ("POST", "/whatif/upload"): A,
    ("POST", "/whatif/grid"): A, ("DELETE", "/api/whatif/jobs/{job_id}"): A,  # their own (an admin's: any)
    # an admin's: approval, equivalences, users, the audit log
    ("POST", "/api/saved/{item}/approve"): ADMIN, ("POST", "/api/saved/{item}/return"): ADMIN,
    ("POST", "/saved/{item}/approve"): ADMIN, ("POST", "/saved/{item}/return"): ADMIN,
    ("POST", "/api/equivalences/{item}/confirm"): ADMIN, ("POST", "/api/equivalences/{item}/reject"): ADMIN,
    ("POST", "/equivalences/{item}/confirm"): ADMIN, ("POST", "/equivalences/{item}/reject"): ADMIN,
    ("GET", "/api/audit"): ADMIN, ("GET", "/api/audit.csv"): ADMIN, ("GET", "/audit"): ADMIN,
    ("GET", "/api/users"): ADMIN, ("POST", "/api/users"): ADMIN, ("GET", "/users"): ADMIN, ("POST", "/users"): ADMIN,
    ("POST", "/api/users/{name}"): ADMIN, ("POST", "/users/{name}"): ADMIN,
}
PUBLIC_PREFIXES = ("/static/",)
UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
CSRF_HEADER = "x-csrf-token"
TTL = 3.0  # seconds an account looked up (or "are there users?") is trusted before it is read again


class Forbidden(InputError):
    """A role that may not (HTTP 403)."""


def account_of(request: Request) -> Account:
    return request.scope["state"]["account"]


def require(request: Request, needed: Role, what: str) -> Account:
    """The asker, if they may do `what` (which needs `needed`); else a 403 saying who may."""
    who = account_of(request)
    if not who.may(needed):
        raise Forbidden(f"{what} needs the {needed.value} role or above; {who.name} is a {who.role.value}",
                        field="role")
    return who


def own_or_admin(request: Request, owner: str, what: str) -> Account:
    who = account_of(request)
    if who.name != owner and not who.may(Role.admin):
        raise Forbidden(f"{what} is {owner}'s; only they or an admin may", field="role")
    return who


def authorise(request: Request) -> None:
    """FastAPI's dependency on every route: the route's least role, from ACCESS."""
    route = request.scope.get("route")
    method = "GET" if request.method == "HEAD" else request.method
    path = getattr(route, "path", request.url.path)
    if (method, path) not in ACCESS:
        raise Forbidden(f"{method} {path} is not open to any role", field="role")
    needed = ACCESS[(method, path)]
    if needed is not None:
        require(request, needed, f"{method} {path}")


class Gate:
    """Settles who is asking, before anything else answers (plain ASGI, inside the session)."""

    def __init__(self, app: ASGIApp, store: Store, single_user: bool, hosts: set[str]) -> None:
        self.app, self.store, self.single_user, self.hosts = app, store, single_user, hosts
        self._known: dict[str, tuple[float, Any]] = {}
        self._lock = threading.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope.get("headers") or []}
        refusal = self._refusal(scope, headers)
        if refusal is None:
            await self.app(scope, receive, send)
        else:
            await refusal(scope, receive, send)

    def _refusal(self, scope: Scope, headers: dict[str, str]) -> Any:
        path, method = scope["path"], scope["method"]
        if method in UNSAFE and self._cross_site(headers):
            return _refuse(path, 403, "a page of another site may not change anything here", "origin")
        session = scope.get("session", {})
        account = self._who(headers, session)
        scope.setdefault("state", {})["account"] = account
        if account is None:
            if path.startswith(PUBLIC_PREFIXES) or ACCESS.get((method, path), Role.viewer) is None:
                return None
            if not path.startswith("/api") and method == "GET":
                return RedirectResponse(f"/login?next={quote(path)}", status_code=303)
            return _refuse(path, 401, "log in first (or send an API token: Authorization: Bearer roc_...)", "session")
        riding_cookie = "authorization" not in headers and "user" in session
        if method in UNSAFE and riding_cookie and path != "/login":
            if not secrets.compare_digest(headers.get(CSRF_HEADER, ""), session.get("csrf", "-")):
                return _refuse(path, 403, "the form is out of date (no CSRF token): reload the page", "csrf")
        return None

    def _cross_site(self, headers: dict[str, str]) -> bool:
        if headers.get("sec-fetch-site") == "cross-site":
            return True
        origin = headers.get("origin")
        if not origin or origin == "null":
            return origin == "null"
        name = host_name(origin.split("://", 1)[-1]).lower()
        return name != host_name(headers.get("host", "")).lower() or (bool(self.hosts) and name not in self.hosts)

    def _who(self, headers: dict[str, str], session: dict[str, Any]) -> Account | None:
        auth = headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            token = auth[7:].strip()
            return self._cached("token " + token, lambda: accounts.token_account(self.store, token))
        if "user" in session:
            name = str(session["user"])
            return self._cached("user " + name, lambda: accounts.account(self.store, name))
        if self.single_user and not self._cached("any users", lambda: accounts.has_users(self.store)):
            return LOCAL
        return None

    def _cached(self, key: str, look: Callable[[], Any]) -> Any:
        """`look()`, trusted for TTL seconds: an account (or None), or whether there are users."""
        with self._lock:
            hit = self._known.get(key)
        if hit is not None and time.monotonic() - hit[0] < TTL:
            return hit[1]
        found = look()
        with self._lock:
            if len(self._known) > 10_000:
                self._known.clear()
            self._known[key] = (time.monotonic(), found)
        return found

    def forget(self) -> None:
        """Read accounts afresh on the next request (after one is added or changed here)."""
        with self._lock:
            self._known.clear()


def host_name(header: str) -> str:
    """The name in a Host header, without its port ('[::1]:8000' -> '::1')."""
    if header.startswith("["):
        return header[1:header.find("]")] if "]" in header else header
    return header.rsplit(":", 1)[0] if header.count(":") == 1 else header


def _refuse(path: str, status: int, message: str, field: str) -> Any:
    """The API's `{error, field}`; a page's form gets a fragment it can show where its answer goes."""
    if path.startswith("/api"):
        return JSONResponse({"error": message, "field": field}, status_code=status)
    return HTMLResponse(f'<p class="error" role="alert">{escape(message)}</p>', status_code=status)
