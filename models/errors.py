"""roc's exceptions: one small hierarchy, every message written for the user (file, field, value,
rule). The CLI prints any `RocError` as one line and exits 2. An InputError names its field neutrally (`include`,
`learners.3.qualification`); each face puts the name in its own words (`InputError.worded`)."""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable


class RocError(Exception):
    """Base of every error roc reports to a user (the CLI prints it and exits 2)."""


class InputError(RocError):
    """A file, argument or scenario that roc cannot use."""

    def __init__(self, message: str, *, file: str | None = None, field: str | None = None) -> None:
        self.file, self.field, self.detail = file, field, message
        super().__init__(self.worded())

    def worded(self, name: Callable[[str], str] = str) -> str:
        """The message, its field said by `name`: each face says the neutral field name
        (`include`, `glh_percent`) in its own words (`--include` on the command line)."""
        prefix = ": ".join(part for part in (self.file, name(self.field) if self.field else None) if part)
        return f"{prefix}: {self.detail}" if prefix else self.detail


class UnknownQualification(InputError):
    """A qualification number that is not in the catalogue, or not a number at all."""


class UnknownUnit(InputError):
    """A unit reference that is not a unit of the qualification asked about."""


class UnknownRule(InputError):
    """A rule key (`group B credits`, `level quota 1`) that the qualification does not have."""


class ObjectiveError(InputError):
    """An objective the request cannot use (e.g. transfer can only minimise)."""


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """'; did you mean 'mandatory'?' for a near miss among `choices`, else ''."""
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def check_unique_ids(ids: Iterable[str], where: str) -> None:
    """Raise ValueError naming `where[i]` for the first id given a second time."""
    seen: set[str] = set()
    for i, item in enumerate(ids):
        if item in seen:
            raise ValueError(f"{where}[{i}]: id {item!r} is used twice")
        seen.add(item)
