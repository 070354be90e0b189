"""The handoff ledger on SQLite and on the real PostgreSQL server."""
from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text

from actions import ledger

PG_ADMIN = os.environ.get("JIUYE_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path):
    if request.param == "sqlite":
        yield ledger.engine(f"sqlite:///{tmp_path / 'ledger.sqlite3'}")
        return
    name = f"jiuye_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT", future=True)
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # pragma: no cover - depends on the machine
        if os.environ.get("CI"):
            raise
        pytest.skip(f"PostgreSQL not reachable: {error}")
    eng = ledger.engine(PG_ADMIN.rsplit("/", 1)[0] + f"/{name}")
    yield eng
    eng.dispose()
    ledger.engine.cache_clear()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE "{name}"'))
    admin.dispose()


def test_record_count_delete(db):
    assert ledger.count_handoffs("alice", db) == 0
    ledger.record_handoff("alice", "levy", db)
    ledger.record_handoff("alice", None, db)
    ledger.record_handoff("bob", "tobacco_licence", db)
    assert ledger.count_handoffs("alice", db) == 2
    assert ledger.delete_person("alice", db) == 2
    assert ledger.count_handoffs("alice", db) == 0
    assert ledger.count_handoffs("bob", db) == 1


def test_pseudonym_is_stable_and_keyed(monkeypatch):
    first = ledger.pseudonym("telegram:1")
    assert first == ledger.pseudonym("telegram:1") != ledger.pseudonym("telegram:2")
    monkeypatch.setenv("JIUYE_PSEUDONYM_KEY", "another key")
    assert ledger.pseudonym("telegram:1") != first
