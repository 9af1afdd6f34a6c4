"""The floor for the web planner's cached answers: a minimal FastAPI app that serves, for the same
`GET /api/plan` requests as bench/web_load.py sends, the same JSON roc answers (computed once at
start-up by roc's service layer), from a dict. Run by `python -m bench.web_load --minimal`."""

from __future__ import annotations

from urllib.parse import parse_qsl

from fastapi import FastAPI, Request, Response


def create_app() -> FastAPI:
    from catalog import builtin
    from solver.service import PlanQuestion, answer_plan

    from .web_load import paths

    answers: dict[str, bytes] = {}
    for path in paths():
        query = dict(parse_qsl(path.split("?", 1)[1]))
        qual = builtin().resolve(query.pop("qualification"))
        question = PlanQuestion(objective=query["objective"], exclude=[query["exclude"]] if "exclude" in query else [])
        answers[path.split("?", 1)[1]] = answer_plan(qual, question).model_dump_json().encode()
    app = FastAPI()

    @app.get("/api/plan")
    async def plan(request: Request) -> Response:
        return Response(answers[request.url.query], media_type="application/json")

    @app.get("/api/qualifications")
    async def ready() -> Response:
        return Response(b"[]", media_type="application/json")

    return app
