from __future__ import annotations

import json
import os
import sys
import tempfile
from dataclasses import dataclass

import pytest

# the web planner keeps its work in a data folder: the tests' own, never the user's
# (a test that needs one to itself passes --data or a Store of its own)
os.environ["ROC_DATA"] = tempfile.mkdtemp(prefix="roc-test-data-")
os.environ.pop("ROC_DATABASE_URL", None)


@dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str

    def json(self):
        return json.loads(self.stdout)

    def says(self, words: str) -> bool:
        """Whether stderr says `words`, however the terminal box wrapped it."""
        flat = " ".join(self.stderr.replace("│", " ").replace("╭", " ").replace("╰", " ").split())
        return " ".join(words.split()) in flat


@pytest.fixture
def roc(capsys, monkeypatch):
    """Run the `roc` console entry point in-process, as a user would from a shell."""
    from solver.cli import main

    def run(*args: str) -> CliResult:
        monkeypatch.setattr(sys, "argv", ["roc", *args])
        try:
            main()
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


ROOT = __import__("pathlib").Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True, scope="session")
def _quick_password_hashes():
    """Argon2 at its cheapest in this process, as Django's tests use a quick hasher: the hashes
    are still argon2id (test_store.py checks), and a server process started by a test hashes
    and verifies at the library's defaults."""
    from argon2 import PasswordHasher
    from argon2.profiles import CHEAPEST

    from solver.store import accounts

    default, accounts.HASHER = accounts.HASHER, PasswordHasher.from_parameters(CHEAPEST)
    yield
    accounts.HASHER = default


@pytest.fixture(scope="session")
def postgres_server():
    """A PostgreSQL server's URL: $ROC_TEST_POSTGRES (`.ci/run` starts one with .ci/postgres),
    else a throwaway one started here from Debian's package; without one the test is skipped,
    unless $ROC_REQUIRE_POSTGRES says it must run (as in CI)."""
    import subprocess

    if os.environ.get("ROC_TEST_POSTGRES"):
        yield os.environ["ROC_TEST_POSTGRES"]
        return
    started = subprocess.run(["bash", str(ROOT / ".ci" / "postgres"), "start"], capture_output=True, text=True,
                             timeout=180)
    if started.returncode != 0:
        if os.environ.get("ROC_REQUIRE_POSTGRES"):
            pytest.fail(f"no PostgreSQL server could be started: {started.stderr}")
        pytest.skip(f"no PostgreSQL here ({started.stderr.strip()[:200]})")
    found = dict(part.split("=", 1) for part in started.stdout.split()[1:])
    yield found["ROC_TEST_POSTGRES"]
    subprocess.run(["bash", str(ROOT / ".ci" / "postgres"), "stop", found["ROC_TEST_POSTGRES_DIR"]], timeout=60)


@pytest.fixture
def postgres_url(postgres_server):
    """A new, empty database of its own on the test server, dropped afterwards."""
    import uuid

    from sqlalchemy import create_engine, text

    name = "roc_" + uuid.uuid4().hex[:12]
    admin_url = postgres_server.replace("postgresql://", "postgresql+psycopg://")
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f"CREATE DATABASE {name}"))
    yield admin_url.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as c:
        c.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.slow)])
def database(request, tmp_path):
    """(data folder, database URL or None for the embedded SQLite): each test on both."""
    if request.param == "sqlite":
        return tmp_path / "data", None
    return tmp_path / "data", request.getfixturevalue("postgres_url")


def pytest_collection_finish(session):
    """Every module is imported now: what they hold lives as long as the run, so the garbage
    collector is told to stop walking it (gc.freeze), which keeps each later collection short."""
    import gc

    gc.collect()
    gc.freeze()
