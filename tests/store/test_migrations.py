"""The migrations, on SQLite and PostgreSQL: an empty database upgraded to the newest schema is
exactly what the table classes describe (Alembic's own comparison finds no difference), and a
database made by the previous schema, with work in it, upgrades keeping that work."""

from __future__ import annotations

import json
from datetime import datetime, timezone

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import text

from solver.store import HEAD, Role, Store
from solver.store import accounts as accounts
from solver.store import work as work
from solver.store.db import MIGRATIONS
from solver.store.tables import Base


def test_head_is_the_newest_migration():
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    assert ScriptDirectory.from_config(config).get_current_head() == HEAD


def test_an_empty_database_upgrades_to_what_the_tables_describe(database):
    data, url = database
    store = Store(data, url)
    assert store.revision() is None
    assert store.upgrade() == (None, HEAD)
    with store.engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert differences == []
    assert store.upgrade() == (HEAD, HEAD)  # a second upgrade changes nothing
    store.close()


def test_a_database_of_the_previous_schema_keeps_its_work(database):
    data, url = database
    store = Store(data, url)
    store.upgrade("0001")
    when = datetime(2026, 9, 1, tzinfo=timezone.utc)
    with store.engine.begin() as c:  # work saved by the roc of schema 0001, written as it wrote it
        c.execute(text("INSERT INTO users (name, role, password_hash, active, created_at) "
                       "VALUES ('ana', 'planner', :hash, :yes, :when)"),
                  {"hash": accounts.HASHER.hash("correct horse"), "yes": True, "when": when})
        c.execute(text("INSERT INTO saved (kind, name, qualification, owner, proof, question, answer, created_at, "
                       "updated_at) VALUES ('plan', 'Autumn', '601-4404-X', 'ana', 'optimal', :q, :a, :when, :when)"),
                  {"q": json.dumps({"qualification": "601-4404-X"}), "a": json.dumps({"glh": 143}), "when": when})
    assert store.upgrade() == ("0001", HEAD)
    [kept] = work.saved(store)
    assert (kept.name, kept.owner, kept.state, kept.note, kept.proof) == ("Autumn", "ana", "draft", None, "optimal")
    assert work.saved_one(store, kept.id).answer == {"glh": 143}
    assert accounts.log_in(store, "ana", "correct horse", "127.0.0.1") == accounts.Account("ana", Role.planner)
    assert work.step(store, kept.id, "submit", "ana").state == "submitted"  # review works on old work
    store.close()
