"""roc's exceptions. Each message is written for the user: file, field, value, rule."""

from __future__ import annotations


class RocError(Exception):
    """Base of every error roc reports to a user (the CLI prints it and exits 2)."""


class InputError(RocError):
    """A file, argument or scenario that roc cannot use."""

    def __init__(self, message: str, *, file: str | None = None, field: str | None = None) -> None:
        self.file, self.field = file, field
        prefix = ": ".join(part for part in (file, field) if part)
        super().__init__(f"{prefix}: {message}" if prefix else message)


class UnknownQualification(InputError):
    pass


class UnknownUnit(InputError):
    pass
