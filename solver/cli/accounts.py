"""`roc users`, `roc tokens` and `roc db`: the web planner's accounts and database, from the
command line (the same --data and --database as `roc serve`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from models import InputError

from .common import err, out

DataOpt = Annotated[Optional[Path], typer.Option("--data", metavar="DIR", help="the planner's data folder "
                                                 "(default: $ROC_DATA, else your user data folder)")]
DatabaseOpt = Annotated[Optional[str], typer.Option("--database", metavar="URL", help="the database (default: "
                                                    "$ROC_DATABASE_URL, else SQLite in the data folder), e.g. "
                                                    "postgresql://roc:PASSWORD@db.example/roc")]
users = typer.Typer(no_args_is_help=True, help="The web planner's accounts.")
tokens = typer.Typer(no_args_is_help=True, help="API tokens for scripts that use the web planner's JSON API.")
db = typer.Typer(no_args_is_help=True, help="The web planner's database: migrations and backups.")


def opened(data: Path | None, database: str | None, upgrade: bool = True):  # noqa: ANN201 - a Store
    """The store at --data/--database, at the current schema (made or brought up to date
    unless `upgrade` is False, when an old one is refused)."""
    from ..store import Store

    store = Store(data, database)
    if upgrade:
        before, after = store.upgrade()
        if before != after:
            err.print(f"roc: database {store} at schema {after} (was {before or 'empty'})", markup=False)
    store.ready()
    return store


@users.command("add")
def users_add(
    name: Annotated[str, typer.Argument(metavar="NAME")],
    role: Annotated[str, typer.Option("--role", metavar="ROLE", help="viewer, planner, analyst or admin")],
    password: Annotated[Optional[str], typer.Option("--password", metavar="P", help="asked for when not given "
                                                    "(not echoed)")] = None,
    data: DataOpt = None, database: DatabaseOpt = None,
) -> None:
    """Add an account to the web planner. With no accounts, a planner on 127.0.0.1 needs no
    login; once there is one, everyone logs in."""
    from ..store import accounts as accounts

    chosen = _role(role)
    store = opened(data, database)
    if password is None:
        password = typer.prompt(f"password for {name}", hide_input=True, confirmation_prompt=True)
    who = accounts.add_user(store, name, chosen, password)
    err.print(f"roc: added {who.name} as {who.role.value} in {store}", markup=False)


@users.command("set")
def users_set(
    name: Annotated[str, typer.Argument(metavar="NAME")],
    role: Annotated[Optional[str], typer.Option("--role", metavar="ROLE", help="viewer, planner, analyst or "
                                                "admin")] = None,
    enable: Annotated[Optional[bool], typer.Option("--enable/--disable", help="let them in, or stop their "
                                                   "sessions and tokens within seconds (kept for the record)")] = None,
    password: Annotated[Optional[str], typer.Option("--password", metavar="P", help="a new password")] = None,
    data: DataOpt = None, database: DatabaseOpt = None,
) -> None:
    """Change an account's role, disable or enable it, or set its password."""
    from ..store import accounts as accounts

    if role is None and enable is None and password is None:
        raise InputError("give --role, --enable/--disable or --password", field="name")
    who = accounts.change_user(opened(data, database), name, "roc users set", _role(role) if role else None, enable,
                               password)
    err.print(f"roc: {who.name} is {who.role.value}" + ("" if enable is None else
                                                         ", enabled" if enable else ", disabled"), markup=False)


def _role(text: str):  # noqa: ANN202 - a Role
    from ..store import Role

    try:
        return Role(text.lower())
    except ValueError:
        raise InputError(f"{text!r} is not a role: viewer, planner, analyst or admin", field="--role") from None


@users.command("list")
def users_list(data: DataOpt = None, database: DatabaseOpt = None) -> None:
    """The accounts: name, role, active."""
    from ..store import accounts as accounts

    for name, role, active in accounts.users(opened(data, database)):
        out.print(f"{name}\t{role.value}\t{'active' if active else 'inactive'}", markup=False)


@tokens.command("create")
def tokens_create(
    name: Annotated[str, typer.Argument(metavar="NAME", help="the user the token acts as")],
    label: Annotated[str, typer.Option("--label", metavar="TEXT", help="what the token is for")] = "script",
    data: DataOpt = None, database: DatabaseOpt = None,
) -> None:
    """A new API token for NAME, printed once (only its hash is kept): send it as
    `Authorization: Bearer TOKEN`."""
    from ..store import accounts as accounts

    token = accounts.create_token(opened(data, database), name, label)
    out.print(token, markup=False)


@db.command("upgrade")
def db_upgrade(data: DataOpt = None, database: DatabaseOpt = None) -> None:
    """Bring the database to this roc's schema (Alembic migrations); an empty one is made."""
    from ..store import Store

    store = Store(data, database)
    before, after = store.upgrade()
    err.print(f"roc: database {store}: schema {after}" + (f" (was {before or 'empty'})" if before != after
                                                         else " (already current)"), markup=False)


@db.command("backup")
def db_backup(
    target: Annotated[Path, typer.Argument(metavar="FILE", help="the copy to write (never overwritten)")],
    data: DataOpt = None, database: DatabaseOpt = None,
) -> None:
    """An online copy of the embedded SQLite database: the planner may go on serving meanwhile."""
    from ..store import Store

    store = Store(data, database)
    size = store.backup(target)
    err.print(f"roc: backed up {store} to {target} ({size:,} bytes)", markup=False)
