"""The store on SQLite and PostgreSQL alike: accounts (argon2 hashes, tokens kept as hashes, the
login rate limit), the review of saved work against a hand-written table of every state and
step, equivalences and the audit log."""

from __future__ import annotations

import sqlite3

import pytest

from models import InputError
from solver.store import Role, Store, TooManyAttempts
from solver.store import accounts as accounts
from solver.store import work as work
from solver.store.tables import User


@pytest.fixture
def store(database):
    data, url = database
    if url is None:  # SQLite: a copy of a database migrated once (migrations: test_migrations.py)
        import shutil

        from tests.fresh import _migrated

        data.mkdir(parents=True)
        shutil.copyfile(_migrated(), data / "roc.db")
    store = Store(data, url)
    store.upgrade()
    yield store
    store.close()


def test_passwords_are_argon2_hashes_and_only_the_right_one_logs_in(store):
    accounts.add_user(store, "ana", Role.planner, "correct horse")
    with store.session() as s:
        stored = s.query(User).one().password_hash
    assert stored.startswith("$argon2id$") and "correct horse" not in stored
    assert accounts.log_in(store, "ana", "correct horse", "10.0.0.1") == accounts.Account("ana", Role.planner)
    assert accounts.log_in(store, "ana", "wrong horse", "10.0.0.1") is None
    assert accounts.log_in(store, "nobody", "correct horse", "10.0.0.1") is None
    with pytest.raises(InputError, match="already a user"):
        accounts.add_user(store, "ana", Role.admin, "another one")
    with pytest.raises(InputError, match="at least 8"):
        accounts.add_user(store, "bo", Role.admin, "short")
    with pytest.raises(InputError, match="not a user name"):
        accounts.add_user(store, "bo bo", Role.admin, "long enough")


@pytest.mark.slow  # some twenty argon2 checks
def test_after_five_failures_a_name_waits_even_with_the_right_password(store):
    accounts.add_user(store, "ana", Role.viewer, "correct horse")
    accounts.add_user(store, "cy", Role.viewer, "correct horse")
    for _ in range(accounts.MAX_FAILURES):
        assert accounts.log_in(store, "ana", "guess", "10.0.0.2") is None
    with pytest.raises(TooManyAttempts):
        accounts.log_in(store, "ana", "correct horse", "10.0.0.3")
    assert accounts.log_in(store, "cy", "correct horse", "10.0.0.2") is not None  # another name is not held up
    for n in range(accounts.MAX_FAILURES_FROM - accounts.MAX_FAILURES):  # one address guessing many names
        accounts.log_in(store, f"name{n}", "guess", "10.0.0.2")
    with pytest.raises(TooManyAttempts):
        accounts.log_in(store, "cy", "correct horse", "10.0.0.2")


def test_tokens_act_as_their_user_and_are_kept_only_as_hashes(store):
    accounts.add_user(store, "ana", Role.analyst, "correct horse")
    token = accounts.create_token(store, "ana", "nightly")
    assert token.startswith("roc_") and len(token) > 40
    assert accounts.token_account(store, token) == accounts.Account("ana", Role.analyst)
    assert accounts.token_account(store, token + "x") is None
    with store.engine.connect() as c:
        kept = [row[0] for row in c.exec_driver_sql("SELECT token_hash FROM api_tokens")]
    assert kept and token not in kept[0]


# every state a saved item can be in, and what each step makes of it (None: refused)
REVIEW = {
    "draft": {"submit": "submitted", "approve": None, "return": None},
    "submitted": {"submit": None, "approve": "approved", "return": "returned"},
    "returned": {"submit": "submitted", "approve": None, "return": None},
    "approved": {"submit": None, "approve": None, "return": None},
}
ROUTE_TO = {"draft": [], "submitted": ["submit"], "returned": ["submit", "return"],
            "approved": ["submit", "approve"]}


@pytest.mark.parametrize("state, action", [(s, a) for s in REVIEW for a in REVIEW[s]])
def test_review_moves_only_as_the_table_says(store, state, action):
    item = work.save(store, "plan", "Autumn plan", "ana", "optimal", {"qualification": "601/4404/X"}, {"glh": 143})
    for step in ROUTE_TO[state]:
        work.step(store, item.id, step, "admin", "why" if step == "return" else None)
    assert work.saved_one(store, item.id).state == state
    expected = REVIEW[state][action]
    if expected is None:
        with pytest.raises(InputError, match=f"is {state}"):
            work.step(store, item.id, action, "admin", "a note")
        assert work.saved_one(store, item.id).state == state
    else:
        assert work.step(store, item.id, action, "admin", "a note").state == expected


def test_a_return_needs_a_note_and_the_audit_log_has_every_step_in_order(store):
    item = work.save(store, "cohort", "Year 12", "ana", "optimal", {}, {"learners": 3})
    work.step(store, item.id, "submit", "ana")
    with pytest.raises(InputError, match="note"):
        work.step(store, item.id, "return", "hugo", "  ")
    work.step(store, item.id, "return", "hugo", "mend class 2")
    assert work.saved_one(store, item.id).note == "mend class 2"
    log = [(e.actor, e.action, e.subject) for e in reversed(work.audit_log(store))]
    assert log == [("ana", "save", f"cohort {item.id}"), ("ana", "submit", f"cohort {item.id}"),
                   ("hugo", "return", f"cohort {item.id}")]


def test_confirmed_equivalences_become_an_equivalence_file_s_entries(store):
    from models import Equivalence

    suggestion = Equivalence.model_validate({"id": "s", "target": "H/506/2154", "achieved": ["T/601/6077"],
                                             "source": {"document": "planner"}})
    first = work.suggest_equivalence(store, suggestion, "ana", "same outcomes")
    second = work.suggest_equivalence(store, suggestion, "ana")
    assert work.confirmed(store) == [] and work.decisions(store) == 0
    work.decide_equivalence(store, first.id, True, "hugo", "checked against the spec")
    work.decide_equivalence(store, second.id, False, "hugo")
    with pytest.raises(InputError, match="already confirmed"):
        work.decide_equivalence(store, first.id, False, "hugo")
    [kept] = work.confirmed(store)
    assert (str(kept.target), [str(a) for a in kept.achieved]) == ("H/506/2154", ["T/601/6077"])
    assert kept.source.document.startswith("confirmed by hugo on ") and kept.source.note == "checked against the spec"
    assert work.decisions(store) == 2
    assert [e.state for e in work.equivalences(store)] == ["confirmed", "rejected"]


def test_an_online_backup_is_a_whole_database_and_never_overwrites(tmp_path):
    store = Store(tmp_path / "data")
    store.upgrade()
    accounts.add_user(store, "ana", Role.admin, "correct horse")
    size = store.backup(tmp_path / "copy.db")
    with sqlite3.connect(tmp_path / "copy.db") as copy:
        assert copy.execute("SELECT name, role FROM users").fetchall() == [("ana", "admin")]
    assert size == (tmp_path / "copy.db").stat().st_size
    with pytest.raises(InputError, match="never overwrites"):
        store.backup(tmp_path / "copy.db")
    with sqlite3.connect(tmp_path / "data" / "roc.db") as live:
        assert live.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_job_a_stopped_server_left_running_is_failed_saying_so(store):
    work.add_job(store, "aaaa11112222", "ola", 10, run="the old server")
    work.add_job(store, "bbbb11112222", "ola", 10, run="this server")
    assert work.interrupted(store, "this server") == 1
    assert work.job(store, "aaaa11112222").state == "failed" and "stopped" in work.job(store, "aaaa11112222").error
    assert work.job(store, "bbbb11112222").state == "running"  # another worker of this server runs it


def test_the_listing_s_json_is_the_listing(store):
    import json

    for n in range(3):
        work.save(store, "plan" if n != 1 else "cohort", f"item {n}", "ana", "optimal", {"n": n}, {"glh": n})
    for kind in (None, "plan", "cohort", "compare"):
        assert json.loads(work.saved_json(store, kind)) == [
            v.model_dump(mode="json", exclude={"question", "answer"}) for v in work.saved(store, kind)]
    assert [v.name for v in work.saved(store)] == ["item 2", "item 1", "item 0"]
