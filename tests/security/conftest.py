"""A second server stack for what needs other settings than the shared one: the
PostgreSQL backend, a short retention with its sweep running, a low rate limit."""
from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, text

from bot.stack import free_port

PG_ADMIN = os.environ.get("JIUYE_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
RETENTION_SECONDS = 8
RATE_BURST = 15


@pytest.fixture(scope="session")
def pg_url():
    """A scratch PostgreSQL database, dropped afterwards (skipped with the reason where
    none is reachable; required in CI)."""
    name = f"jiuye_sec_{uuid.uuid4().hex[:10]}"
    admin = create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT", future=True)
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # pragma: no cover - depends on the machine
        if os.environ.get("CI"):
            raise
        pytest.skip(f"PostgreSQL not reachable at {PG_ADMIN}: {error}")
    yield PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    with admin.connect() as conn:
        conn.execute(text(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"))
        conn.execute(text(f'DROP DATABASE "{name}"'))
    admin.dispose()


@pytest.fixture(scope="session")
def pg_stack(pg_url, tmp_path_factory):
    from bot.stack import MODEL, Stack

    var = tmp_path_factory.mktemp("var-pg")
    log = open(var / "servers.log", "w")
    server = Stack(MODEL, free_port(), free_port(), log=log, env={
        "JIUYE_VAR_DIR": str(var), "DATABASE_URL": pg_url, "JIUYE_WORKERS": "1", "JIUYE_LOCK_STORE": "",
        "JIUYE_RETENTION_HOURS": str(RETENTION_SECONDS / 3600), "JIUYE_SWEEP_SECONDS": "1",
        "JIUYE_RATE_BURST": str(RATE_BURST), "JIUYE_RATE_PER_SECOND": "1",
    })
    try:
        server.start()
    except Exception:
        log.flush()
        print((var / "servers.log").read_text()[-5000:])
        raise
    server.var_dir = var
    server.database_url = pg_url
    yield server
    server.stop()
    log.close()
