"""Audits of a learner's set, re-exported apart from the other analyses: `roc check` needs no solver."""

from ..analysis.check import check

__all__ = ["check"]
