"""`roc import spec`: a draft qualification file read from an awarding organisation's
specification (text, Markdown, HTML or PDF), every value with where it was read."""

from .document import Line, read_document
from .draft import Draft, draft_spec, draft_text

__all__ = ["Draft", "Line", "draft_spec", "draft_text", "read_document"]
