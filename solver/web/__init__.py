"""The web planner (`roc serve`): pages for planners and analysts, and a JSON API that mirrors the
CLI's JSON, over the same analyses. FastAPI, Jinja and htmx, served from the package."""

from .app import create_app

__all__ = ["create_app"]
