"""Where the planner keeps its work: a data folder (uploads' files, what-if results) and a
database (SQLite in that folder by default, in WAL mode; PostgreSQL for a shared installation).

`roc serve`, `roc users`, `roc tokens` and `roc db` all find them the same way: `--data DIR`, else
$ROC_DATA, else the user's data folder (~/.local/share/roc on Linux); `--database URL`, else
$ROC_DATABASE_URL, else `sqlite:///DATA/roc.db`."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from models import InputError, RocError

T = TypeVar("T")
DATA_ENV = "ROC_DATA"
DATABASE_ENV = "ROC_DATABASE_URL"
MIGRATIONS = Path(__file__).resolve().parent / "migrations"
HEAD = "0002"  # the newest migration (tests check it is the last one)


class StoreError(RocError):
    """The database cannot be reached, or is not at the schema this roc needs."""


def data_folder(given: str | Path | None = None) -> Path:
    if given is None and os.environ.get(DATA_ENV):
        given = os.environ[DATA_ENV]
    if given is None:
        from platformdirs import user_data_path

        return user_data_path("roc", appauthor=False)
    return Path(given).expanduser()


def database_url(data: Path, given: str | None = None) -> str:
    """The database's URL: `given`, $ROC_DATABASE_URL, or SQLite in the data folder. A
    `postgresql://` URL gets the psycopg driver roc installs."""
    url = given or os.environ.get(DATABASE_ENV) or f"sqlite:///{data / 'roc.db'}"
    if url.startswith(("postgresql://", "postgres://")):
        url = "postgresql+psycopg://" + url.split("://", 1)[1]
    return url


def shown(url: str) -> str:
    """A URL as it may be printed: without its password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url.split("@")[-1]


class Store:
    """The data folder and the database, with a session per unit of work."""

    def __init__(self, data: str | Path | None = None, url: str | None = None) -> None:
        self.data = data_folder(data)
        self.url = database_url(self.data, url)
        try:
            parsed = make_url(self.url)
        except ArgumentError:
            raise InputError(f"{shown(self.url)!r} is not a database URL (sqlite:///FILE or "
                             "postgresql://USER:PASSWORD@HOST/NAME)", field="--database") from None
        self.sqlite = parsed.get_backend_name() == "sqlite"
        if self.sqlite:
            try:
                self.data.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise InputError(f"cannot keep the planner's data in {self.data}: {exc.strerror}",
                                 field="--data") from None
        self.engine = self._engine()
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)

    def _engine(self) -> Engine:
        try:
            if not self.sqlite:
                return create_engine(self.url, pool_pre_ping=True, pool_size=10, max_overflow=20)
            engine = create_engine(self.url, connect_args={"timeout": 30, "check_same_thread": False})
        except ImportError as exc:
            raise InputError(f"cannot use the database {shown(self.url)}: its driver is not installed ({exc}); "
                             "for PostgreSQL: pip install 'roc[postgres]'", field="--database") from None
        except ArgumentError as exc:
            raise InputError(f"cannot use the database {shown(self.url)}: {exc}", field="--database") from None

        @event.listens_for(engine, "connect")
        def _pragmas(connection: Any, _record: Any) -> None:  # WAL: readers never wait for the writer
            cursor = connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()

        return engine

    def __str__(self) -> str:
        return shown(self.url)

    def session(self) -> AbstractContextManager[Session]:
        """A session that commits when the block ends, and rolls back if it raises."""
        return self._worded(self.sessions.begin)

    def connection(self) -> AbstractContextManager[Any]:
        """A plain connection: for reads that need no ORM (a listing on the hot path), and migrations."""
        return self._worded(self.engine.connect)

    @contextmanager
    def _worded(self, opened: Callable[[], AbstractContextManager[T]]) -> Iterator[T]:
        """What `opened()` gives, with the database's trouble said in the user's terms."""
        try:
            with opened() as handle:
                yield handle
        except DBAPIError as exc:
            raise self._trouble(exc) from None

    def _trouble(self, exc: DBAPIError) -> StoreError:
        said = " ".join(str(exc.orig).split())
        if exc.connection_invalidated or "connect" in said or "unable to open" in said:
            return StoreError(f"cannot reach the database {self}: {said}")
        return StoreError(f"the database {self} could not be used: {said}")

    # -- schema --------------------------------------------------------------------------------
    def revision(self) -> str | None:
        from alembic.runtime.migration import MigrationContext

        with self.connection() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    def upgrade(self, to: str = "head") -> tuple[str | None, str | None]:
        """Bring the schema to `to` (the newest, by default): (revision before, revision after)."""
        from alembic import command
        from alembic.config import Config

        before = self.revision()
        config = Config()
        config.set_main_option("script_location", str(MIGRATIONS))
        with self.connection() as connection, connection.begin():
            config.attributes["connection"] = connection
            command.upgrade(config, to)
        return before, self.revision()

    def ready(self) -> None:
        """Refuse a database that is not at this roc's schema, saying how to mend it."""
        found = self.revision()
        if found != HEAD:
            raise StoreError(f"the database {self} is at schema {found or 'none (empty)'}, not {HEAD}: run "
                             "`roc db upgrade` with the same --data/--database first")

    def health(self) -> dict[str, Any]:
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            return {"database": "ok", "schema": self.revision()}
        except SQLAlchemyError as exc:
            return {"database": f"unreachable: {type(exc).__name__}", "schema": None}

    def backup(self, target: Path) -> int:
        """An online copy of the SQLite database at `target` (readers and writers go on meanwhile):
        its size in bytes. A target that exists is never overwritten."""
        if not self.sqlite:
            raise InputError(f"`roc db backup` copies the embedded SQLite database; {self} is not one (use the "
                             "server's own tools, such as pg_dump)", field="--database")
        if target.exists():
            raise InputError("the file exists; roc never overwrites one: choose a new name", file=str(target))
        if not target.parent.is_dir():
            raise InputError("its folder does not exist", file=str(target))
        source = sqlite3.connect(make_url(self.url).database or "")
        partial = target.with_name(target.name + ".partial")
        try:
            with sqlite3.connect(partial) as copy:
                source.backup(copy)
            copy.close()
            partial.rename(target)
        except (sqlite3.Error, OSError) as exc:
            raise InputError(f"the backup could not be written: {exc}", file=str(target)) from None
        finally:
            source.close()
            partial.unlink(missing_ok=True)
        return target.stat().st_size

    def close(self) -> None:
        self.engine.dispose()
