"""The web planner's application: FastAPI, Jinja templates and htmx, all served from the package
(nothing is fetched from the internet at run time).

Every error a user can cause is answered in their terms, never with a traceback: the JSON API
returns `{"error": ..., "field": ...}` with a 4xx status (404 for an unknown qualification or
job, 413 for an upload over its limit, 422 for anything else), and the pages show the same
message where the answer would have gone."""

from __future__ import annotations

import os
import uuid
from collections.abc import Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware

from catalog import Catalog
from models import Level, RocError, UnknownQualification

from ..report.words import published_tqt, restriction_sentences, stage_sentence
from ..service import pounds
from ..store import NotFound, Store, StoreError, TooManyAttempts
from ..store import work as work
from . import api, pages, specs, team
from .access import Forbidden, Gate, authorise, host_name
from .jobs import Jobs
from .workspace import MAX_SCENARIOS, MAX_UPLOAD, TIME_LIMIT, TooLarge, Workspace

HERE = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=HERE / "templates")
templates.env.filters["pounds"] = pounds
templates.env.filters["published_tqt"] = published_tqt
templates.env.filters["restriction_sentences"] = restriction_sentences
templates.env.filters["stage_sentence"] = stage_sentence
templates.env.filters["level_label"] = lambda name: Level.parse(name).label


def status_of(exc: Exception) -> int:
    if isinstance(exc, (UnknownQualification, NotFound)) or (isinstance(exc, RocError)
                                                              and getattr(exc, "field", "") == "job"):
        return 404
    for kind, status in ((TooLarge, 413), (Forbidden, 403), (TooManyAttempts, 429), (StoreError, 503)):
        if isinstance(exc, kind):
            return status
    return 422


def _field(loc: tuple) -> str:
    parts = [str(p) for p in loc if p not in ("body", "query", "path", "form")]
    return ".".join(parts) or "request"


def _message(request: Request, exc: Exception) -> tuple[str, str | None]:
    if isinstance(exc, (RequestValidationError, ValidationError)):
        first = exc.errors()[0]
        field = _field(tuple(first.get("loc", ())))
        return f"{field}: {first.get('msg', 'not valid')}", field
    return str(exc), getattr(exc, "field", None)


def _answer(request: Request, exc: Exception, status: int) -> Response:
    message, field = _message(request, exc)
    if request.url.path.startswith("/api") or request.url.path in ("/openapi.json", "/docs"):
        return JSONResponse({"error": message, "field": field}, status_code=status)
    fragment = request.headers.get("HX-Request") == "true"
    return templates.TemplateResponse(request, "error_fragment.html" if fragment else "error.html",
                                      {"message": message, "field": field, "status": status}, status_code=status)


ALLOWED_HOSTS = "ROC_ALLOWED_HOSTS"  # `roc serve` sets these for its server processes
REQUEST_TIME_LIMIT = "ROC_TIME_LIMIT"
SERVE_RUN = "ROC_SERVE_RUN"  # one `roc serve`: its workers share it (jobs it did not start and left running failed)
SINGLE_USER = "ROC_SINGLE_USER"  # "0": accounts needed even with none yet (a planner other machines reach)
SECURE_COOKIES = "ROC_SECURE_COOKIES"  # "1": the session cookie only over HTTPS (behind a TLS proxy)
SESSION_HOURS = 12


SCENARIO_ROUTES = ("/api/whatif/jobs", "/whatif/upload", "/import")  # the larger limit: scenarios, specifications
FORM_ROOM = 64 << 10  # what a multipart form adds around a file


def body_limit(path: str) -> int:
    """The most bytes a request to `path` may send: a scenario file's limit on the routes that
    take one, a qualification file's elsewhere (every JSON body is far smaller)."""
    return (MAX_SCENARIOS if path in SCENARIO_ROUTES else MAX_UPLOAD) + FORM_ROOM


class BodyLimit:
    """Refuse a request body past its limit while it streams in (a Content-Length over it at
    once), never after holding it all: a 56 MB body costs the server no more than the limit."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Callable[[], Awaitable[dict[str, Any]]],
                       send: Callable[[dict[str, Any]], Awaitable[None]]) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = body_limit(scope["path"])
        length = dict(scope.get("headers") or []).get(b"content-length", b"0")
        if not length.isdigit() or int(length) > limit:
            await self._refuse(scope, receive, send, limit)
            return
        seen, refused = 0, False

        async def counted() -> dict[str, Any]:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b"")) if message["type"] == "http.request" else 0
            if seen > limit:
                raise TooLarge(f"the request is over {limit:,} bytes")
            return message

        async def answer(message: dict[str, Any]) -> None:  # past the limit, the app's answer becomes a 413
            nonlocal refused
            if seen <= limit:
                await send(message)
            elif not refused:
                refused = True
                await self._refuse(scope, receive, send, limit)

        await self.app(scope, counted, answer)

    @staticmethod
    async def _refuse(scope: dict[str, Any], receive: Any, send: Any, limit: int) -> None:
        answer = JSONResponse({"error": f"the request is over {limit:,} bytes; the limit is {limit - FORM_ROOM:,} "
                                        "for the file", "field": "file"}, status_code=413)
        await answer(scope, receive, send)


def create_app(catalogue: Catalog | None = None, allowed_hosts: Sequence[str] | None = None,
               store: Store | None = None, single_user: bool | None = None) -> FastAPI:
    """The planner. `allowed_hosts` (or $ROC_ALLOWED_HOSTS, comma-separated): the only Host
    names a request may carry, so that a page elsewhere cannot reach the API through DNS
    rebinding; none given, any. `store`: where work is kept (else the data folder and database
    of $ROC_DATA and $ROC_DATABASE_URL); under `roc serve` its schema must be current (serve
    upgrades it first), else it is brought up to date here. `single_user`: with no accounts,
    everyone is the local admin (else $ROC_SINGLE_USER, on by default)."""
    store, run = _opened(store)
    workspace = Workspace(store, catalogue, time_limit=float(os.environ.get(REQUEST_TIME_LIMIT, TIME_LIMIT)))
    hosts = set(allowed_hosts if allowed_hosts is not None
                else [h for h in os.environ.get(ALLOWED_HOSTS, "").split(",") if h])
    if single_user is None:
        single_user = os.environ.get(SINGLE_USER, "1") != "0"

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        workspace.cancel.stop()  # shutting down: running requests answer with what they proved, and end
        workspace.close()

    app = FastAPI(title="roc web planner", lifespan=lifespan, dependencies=[Depends(authorise)],
                  description="Rules-of-combination planning for UK regulated qualifications: the roc CLI's "
                              "answers as JSON. Every error is `{error, field}` with a 4xx status. With "
                              "accounts, send `Authorization: Bearer TOKEN` (`roc tokens create NAME`).")
    app.state.workspace = workspace
    app.state.jobs = Jobs(store, run)
    app.state.templates = templates
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    app.include_router(api.router)
    app.include_router(team.api)
    app.include_router(pages.router)
    app.include_router(team.pages)
    app.include_router(specs.router)
    _guarded(app, store, workspace, hosts, single_user)
    _errors_in_roc_s_shape(app)
    return app


def _opened(store: Store | None) -> tuple[Store, str]:
    """The store at the current schema, and this `roc serve` run's id; jobs that another run
    left running (it stopped) are marked failed, saying so."""
    run = os.environ.get(SERVE_RUN)
    if store is None:
        store = Store()
    if run is None:
        store.upgrade()
    store.ready()
    work.interrupted(store, run := run or uuid.uuid4().hex)
    return store, run


def _guarded(app: FastAPI, store: Store, workspace: Workspace, hosts: set[str], single_user: bool) -> None:
    """The middleware, outermost last: the Host check, the signed session, who is asking, the
    plan cache (for them alone), the body limit."""
    app.add_middleware(BodyLimit)
    app.add_middleware(CachedPlans, workspace=workspace)
    app.state.gate = None
    app.add_middleware(_GateOf, store=store, single_user=single_user, hosts=hosts, app_state=app.state)
    app.add_middleware(SessionMiddleware, secret_key=work.secret(store), session_cookie="roc_session",
                       max_age=SESSION_HOURS * 3600, same_site="lax",
                       https_only=os.environ.get(SECURE_COOKIES) == "1")
    app.add_middleware(KnownHostsOnly, hosts=hosts)


class _GateOf(Gate):
    """The Gate, where the routes that add users can tell it to read accounts afresh."""

    def __init__(self, app: Any, store: Store, single_user: bool, hosts: set[str], app_state: Any) -> None:
        super().__init__(app, store, single_user, hosts)
        app_state.gate = self


class KnownHostsOnly:
    """Answer only requests whose Host is one of `hosts` (any, when there are none). Plain ASGI,
    not Starlette's BaseHTTPMiddleware, which would hide a client's going from the routes."""

    def __init__(self, app: Any, hosts: set[str]) -> None:
        self.app, self.hosts = app, hosts

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and self.hosts:
            name = host_name(dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1"))
            if name.lower() not in self.hosts:
                answer = JSONResponse({"error": f"host {name!r} is not one this planner serves (start it with "
                                                "--allow-host NAME to add one)", "field": "host"}, status_code=400)
                await answer(scope, receive, send)
                return
        await self.app(scope, receive, send)


class CachedPlans:
    """`GET /api/plan` with a query answered before (and kept: a final answer), answered again at
    once from the workspace's cache, before routing and parsing: the same bytes as the first
    time. Plain ASGI, inside the Host check."""

    def __init__(self, app: Any, workspace: Workspace) -> None:
        self.app, self.workspace = app, workspace

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] == "http" and scope["method"] == "GET" and scope["path"] == "/api/plan":
            hit = self.workspace.peek((api.RAW_PLAN, scope["query_string"].decode("latin-1")))
            if hit is not None:
                await send({"type": "http.response.start", "status": 200,
                            "headers": [(b"content-type", b"application/json"),
                                        (b"content-length", str(len(hit)).encode())]})
                await send({"type": "http.response.body", "body": hit})
                return
        await self.app(scope, receive, send)


def _errors_in_roc_s_shape(app: FastAPI) -> None:
    """Every error a user can cause as `{error, field}` (or the page's fragment), never a traceback."""

    @app.exception_handler(RocError)
    async def roc_error(request: Request, exc: RocError) -> Response:
        return _answer(request, exc, status_of(exc))

    @app.exception_handler(RequestValidationError)
    @app.exception_handler(ValidationError)
    async def invalid_request(request: Request, exc: Exception) -> Response:
        return _answer(request, exc, 422)

    @app.exception_handler(Exception)
    async def bug(request: Request, exc: Exception) -> Response:  # a fault of roc's, said without a traceback
        return _answer(request, RocError(f"roc could not answer this ({type(exc).__name__}); please report it"),
                       500)

    @app.exception_handler(404)
    async def not_found(request: Request, exc: Exception) -> Response:
        return _answer(request, RocError(f"no page {request.url.path}"), 404)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        """FastAPI's own refusals (a GET on a POST route, a body that is not JSON) in roc's shape."""
        words = {405: f"{request.method} is not how {request.url.path} is asked (see /docs)",
                 400: "the request body could not be read: send JSON (or the form) the route takes"}
        return _answer(request, RocError(words.get(exc.status_code, str(exc.detail))), exc.status_code)
