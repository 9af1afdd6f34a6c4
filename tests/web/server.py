"""`roc serve` as a user starts it, for the tests that need a real server: a process of its own on
a free port, with its own data folder (and database, when given), stopped as Ctrl-C would."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, data: Path, database: str | None = None, *extra: str) -> None:
        self.data, self.database, self.extra = data, database, list(extra)
        self.process: subprocess.Popen[str] | None = None
        self.url = ""

    def start(self) -> "Server":
        port = free_port()
        args = [sys.executable, "-m", "solver", "serve", "--port", str(port), "--data", str(self.data), *self.extra]
        if self.database:
            args += ["--database", self.database]
        self.process = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        self.url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(self.url + "/health", timeout=2) as answer:
                    if json.load(answer)["status"] == "ok":
                        return self
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.process.kill()
                raise AssertionError(f"roc serve did not start: {self.process.stdout.read()}")  # type: ignore[union-attr]
            time.sleep(0.2)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)  # Ctrl-C
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def __enter__(self) -> "Server":
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()
