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
