"""Start and stop the Rasa server and the action server together.

Used by ``make run`` (foreground, Ctrl-C stops both), the end-to-end tests and
the benchmark, so all three run the servers the same way.
"""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO, List, Optional
from urllib.parse import urlsplit

import requests
import yaml

from jiuye import keys

ROOT = Path(__file__).resolve().parent.parent
MODEL = ROOT / "models" / "jiuye.tar.gz"


class StackError(RuntimeError):
    pass


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def redis_lock_store(url: str) -> dict:
    """The lock store settings for a redis://host:port/db address (bot/lock_store.py:
    Rasa's own Redis lock store is not safe across worker processes)."""
    parts = urlsplit(url)
    if parts.scheme != "redis" or not parts.hostname:
        raise StackError(f"not a redis:// address: {url}")
    return {"type": "bot.server.lock_store.AtomicRedisLockStore", "url": parts.hostname, "port": parts.port or 6379,
            "db": int(parts.path.strip("/") or 0), "key_prefix": "jiuye"}


def redis_reachable(url: str, timeout: float = 2) -> bool:
    """Whether something listens at a redis://host:port address."""
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), timeout=timeout):
            return True
    except OSError:
        return False


class Stack:
    """The two servers as child processes, on the given ports."""

    def __init__(
        self,
        model: Path = MODEL,
        rasa_port: int = 5005,
        action_port: int = 5055,
        log: Optional[IO] = None,
        env: Optional[dict] = None,
    ) -> None:
        self.model = Path(model)
        self.rasa_port = rasa_port
        self.action_port = action_port
        self.log = log
        self.env = {**os.environ, **(env or {})}
        self.env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
        # One TensorFlow thread per pool: DIET's matrices are tiny, and on 2 cores
        # TF's spinning thread pools cost more CPU per turn than they save
        # (measured: 19-24 ms vs 27 ms of Rasa CPU per turn under 10 senders).
        self.env.setdefault("TF_INTER_OP_PARALLELISM_THREADS", "1")
        self.env.setdefault("TF_INTRA_OP_PARALLELISM_THREADS", "1")
        self.processes: List[subprocess.Popen] = []
        self._tmp = tempfile.TemporaryDirectory(prefix="jiuye-stack-")
        # More than one Rasa (Sanic) worker needs a lock store that all of them share, so
        # that one conversation's messages are still handled one at a time: Redis
        # (JIUYE_LOCK_STORE=redis://host:port/db). With one, Rasa runs a worker per core
        # (JIUYE_WORKERS to say otherwise); without one, a single worker.
        self.lock_store = self.env.get("JIUYE_LOCK_STORE")
        per_core = (os.cpu_count() or 1) if self.lock_store else 1
        self.workers = int(self.env.get("JIUYE_WORKERS") or per_core)
        if self.workers > 1 and not self.lock_store:
            raise StackError("JIUYE_WORKERS > 1 needs JIUYE_LOCK_STORE=redis://host:port/db")
        self.env["SANIC_WORKERS"] = str(self.workers)
        # The keys both servers and the doors share (jiuye/keys.py): from the environment,
        # else var/keys/ of the var folder the servers use; handed to the children so
        # that they agree, never on a command line.
        key_dir = Path(self.env.get("JIUYE_VAR_DIR") or ROOT / "var") / "keys"
        for name in keys.NAMES:
            variable = f"JIUYE_{name.upper()}_TOKEN"
            self.env[variable] = self.env.get(variable) or keys.secret(name, key_dir)

    @property
    def token(self) -> str:
        """The key a door sends (``Authorization: Bearer``) and the HTTP API's ``token``."""
        return self.env["JIUYE_ASSISTANT_TOKEN"]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.rasa_port}"

    @property
    def action_url(self) -> str:
        return f"http://127.0.0.1:{self.action_port}"

    def _endpoints(self) -> Path:
        with (ROOT / "endpoints.yml").open(encoding="utf-8") as handle:
            endpoints = yaml.safe_load(handle) or {}
        endpoints["action_endpoint"] = {**endpoints.get("action_endpoint", {}), "url": f"{self.action_url}/webhook"}
        if self.lock_store:
            endpoints["lock_store"] = redis_lock_store(self.lock_store)
        path = Path(self._tmp.name) / "endpoints.yml"
        path.write_text(yaml.safe_dump(endpoints, allow_unicode=True), encoding="utf-8")
        return path

    def _spawn(self, args: List[str]) -> subprocess.Popen:
        process = subprocess.Popen(
            args,
            cwd=ROOT,
            env=self.env,
            stdout=self.log or subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes.append(process)
        return process

    def start(self, timeout: float = 240) -> "Stack":
        if not self.model.exists():
            raise StackError(f"no trained model at {self.model}: run `make train`")
        self.start_actions()
        self._spawn(
            [sys.executable, "-m", "bot.server", "run", "--model", str(self.model),
             "--endpoints", str(self._endpoints()), "--credentials", "credentials.yml",
             "--interface", "127.0.0.1", "--port", str(self.rasa_port), "--enable-api"]
        )
        self.wait_ready(timeout)
        return self

    def start_actions(self) -> subprocess.Popen:
        """The action server (first in ``processes``); also used to restart it."""
        process = self._spawn(
            [sys.executable, "-m", "actions", "--port", str(self.action_port)]
        )
        self.processes.insert(0, self.processes.pop())
        return process

    def stop_actions(self) -> None:
        """Stop only the action server (to test what people hear when it is down)."""
        process = self.processes.pop(0)
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)

    def ready(self) -> bool:
        try:
            actions = requests.get(f"{self.action_url}/health", timeout=2)
            status = requests.get(f"{self.url}/status", params={"token": self.token}, timeout=2)
            return actions.ok and status.ok and bool(status.json().get("model_file"))
        except (requests.RequestException, ValueError):
            return False

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for process in self.processes:
                if process.poll() is not None:
                    self.stop()
                    raise StackError(f"{process.args[:3]} exited with {process.returncode}")
            if self.ready():
                return
            time.sleep(0.5)
        self.stop()
        raise StackError(f"servers not ready after {timeout:.0f} s")

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes = []

    def pids(self) -> List[int]:
        return [p.pid for p in self.processes]

    def __enter__(self) -> "Stack":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
        self._tmp.cleanup()
