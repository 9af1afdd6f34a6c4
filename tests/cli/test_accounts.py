"""`roc users`, `roc tokens` and `roc db`, as a user runs them: what they write is read back
from the database itself (SQLite in --data, or PostgreSQL by --database), and every mistake is
one line and exit 2."""

from __future__ import annotations

import sqlite3
import subprocess
import sys

import pytest

from solver.store import Role, Store
from solver.store import accounts as accounts


def test_users_add_and_list_and_a_token_that_acts_as_its_user(roc, database):
    data, url = database
    where = ["--data", str(data)] + (["--database", url] if url else [])
    added = roc("users", "add", "hugo", "--role", "admin", "--password", "correct horse", *where)
    assert added.code == 0 and "added hugo as admin" in added.stderr
    assert roc("users", "add", "ana", "--role", "Planner", "--password", "battery staple", *where).code == 0
    assert roc("users", "list", *where).stdout.split() == ["ana", "planner", "active", "hugo", "admin", "active"]
    token = roc("tokens", "create", "ana", "--label", "nightly report", *where).stdout.strip()
    store = Store(data, url)
    assert accounts.token_account(store, token) == accounts.Account("ana", Role.planner)
    assert accounts.log_in(store, "hugo", "correct horse", "127.0.0.1") is not None
    audit = store.engine.connect().exec_driver_sql("SELECT action, detail FROM audit WHERE action = 'create token'")
    assert [tuple(row) for row in audit] == [("create token", "nightly report")]
    store.close()


@pytest.mark.parametrize("args, words", [
    (["users", "add", "x", "--role", "boss", "--password", "correct horse"], "--role: 'boss' is not a role"),
    (["users", "add", "x", "--role", "viewer", "--password", "short"], "at least 8"),
    (["users", "add", "x y", "--role", "viewer", "--password", "correct horse"], "not a user name"),
    (["tokens", "create", "nobody"], "no user 'nobody'"),
    (["db", "upgrade", "--database", "nosuch://x"], "--database: cannot use the database"),
    (["db", "upgrade", "--database", "postgresql://roc:secret@127.0.0.1:1/roc"], "cannot reach the database"),
    (["users", "list", "--database", "sqlite:////nonexistent/folder/roc.db"], "unable to open database file"),
    (["db", "backup", "/nonexistent/folder/copy.db"], "its folder does not exist"),
])
def test_mistakes_are_one_line_and_exit_2(roc, tmp_path, args, words):
    found = roc(*args, "--data", str(tmp_path))
    assert found.code == 2 and words in found.stderr and len(found.stderr.strip().splitlines()) <= 2
    assert "Traceback" not in found.stderr and "secret" not in found.stderr  # a password is never printed


@pytest.mark.slow
def test_a_data_folder_that_is_a_file_and_a_database_that_is_not_one_are_refused(roc, tmp_path):
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("hello")
    found = roc("users", "list", "--data", str(not_a_folder))
    assert found.code == 2 and "--data: cannot keep the planner's data in" in found.stderr
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database at all, but the user's file")
    found = roc("users", "list", "--database", f"sqlite:///{garbage}")
    assert found.code == 2 and "file is not a database" in found.stderr and "Traceback" not in found.stderr
    assert garbage.read_bytes() == b"not a database at all, but the user's file"  # never damaged


@pytest.mark.slow
def test_db_upgrade_makes_the_schema_and_backup_copies_it_online(roc, tmp_path):
    made = roc("db", "upgrade", "--data", str(tmp_path / "d"))
    assert made.code == 0 and "schema 0002 (was empty)" in made.stderr
    assert "already current" in roc("db", "upgrade", "--data", str(tmp_path / "d")).stderr
    roc("users", "add", "ana", "--role", "viewer", "--password", "correct horse", "--data", str(tmp_path / "d"))
    assert roc("db", "backup", str(tmp_path / "copy.db"), "--data", str(tmp_path / "d")).code == 0
    with sqlite3.connect(tmp_path / "copy.db") as copy:
        assert copy.execute("SELECT name FROM users").fetchall() == [("ana",)]
    again = roc("db", "backup", str(tmp_path / "copy.db"), "--data", str(tmp_path / "d"))
    assert again.code == 2 and "never overwrites" in again.stderr


@pytest.mark.slow  # a process of its own
def test_serving_other_machines_needs_an_admin(tmp_path):
    refused = subprocess.run([sys.executable, "-m", "solver", "serve", "--host", "0.0.0.0", "--port", "1",
                              "--data", str(tmp_path)], capture_output=True, text=True, timeout=60)
    assert refused.returncode == 2 and "add an admin first (roc users add NAME --role admin" in refused.stderr


@pytest.mark.slow
def test_users_set_changes_a_role_disables_at_once_and_keeps_the_last_admin(roc, tmp_path):
    where = ["--data", str(tmp_path)]
    roc("users", "add", "hugo", "--role", "admin", "--password", "correct horse", *where)
    roc("users", "add", "ana", "--role", "viewer", "--password", "correct horse", *where)
    token = roc("tokens", "create", "ana", *where).stdout.strip()
    store = Store(tmp_path)
    assert roc("users", "set", "ana", "--role", "analyst", *where).code == 0
    assert accounts.token_account(store, token) == accounts.Account("ana", Role.analyst)
    assert roc("users", "set", "ana", "--disable", *where).code == 0
    assert accounts.token_account(store, token) is None  # a disabled user's token is nobody's
    assert accounts.log_in(store, "ana", "correct horse", "127.0.0.1") is None
    assert roc("users", "set", "ana", "--enable", "--password", "battery staple", *where).code == 0
    assert accounts.log_in(store, "ana", "battery staple", "127.0.0.1") is not None
    last = roc("users", "set", "hugo", "--role", "viewer", *where)
    assert last.code == 2 and "only active admin" in last.stderr
    assert roc("users", "set", "hugo", *where).code == 2
    assert roc("users", "list", *where).stdout.split() == ["ana", "analyst", "active", "hugo", "admin", "active"]
    store.close()
