"""roc's application layer: one call per question a user asks, used by every face (the `roc`
command line, the web planner and its JSON API, the Python API in `solver`). A face translates its
inputs into these calls and renders what they return; none calls the engine or the analyses itself.

Questions are pydantic models whose field names are the neutral names errors carry (`include`,
`glh_percent`, `learners.3.qualification`); each face says them in its own words (`--include` on
the command line, the JSON field in the API, the form field on a page).
"""

import lazy_loader

# Every name loads its module on first use (see __init__.pyi): `roc --help`, `roc list` and the
# pages that never solve do not load OR-Tools.
__getattr__, __dir__, __all__ = lazy_loader.attach_stub(__name__, __file__)
