"""The case ledger on SQLite and on the real PostgreSQL server on this machine."""
from __future__ import annotations

import multiprocessing
import os
import uuid

import pytest
from sqlalchemy import create_engine, inspect, text

from jiuye import ledger
from jiuye.checks import levy

PG_ADMIN = os.environ.get("JIUYE_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
TABLES = {"persons", "check_results", "handoff_requests", "feedback", "channel_settings", "kept_messages"}


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ledger.sqlite3'}"
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
    yield PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    ledger.engine.cache_clear()
    with admin.connect() as conn:
        conn.execute(text(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'"))
        conn.execute(text(f'DROP DATABASE "{name}"'))
    admin.dispose()


@pytest.fixture
def db(url):
    eng = ledger.engine(url)
    yield eng
    eng.dispose()


def levy_result():
    return levy.calculate(levy.LevyInput.of(200, 80000, disabled=1, province="湖南"))


def test_results_kept_before_the_rename_survive_it_both_ways(url):
    """0004 renames "screenings" to "check_results" (program → check_id), keeping the rows."""
    ledger.migrate(url, "0003")
    eng = create_engine(url, future=True)
    with eng.begin() as conn:
        conn.execute(text("INSERT INTO persons (key, consent, created_at) VALUES ('k', true, CURRENT_TIMESTAMP)"))
        conn.execute(text(
            "INSERT INTO screenings (person_id, program, inputs, verdict, result, parameter_version, created_at) "
            "SELECT id, 'levy', '{}', 'eligible', '{}', 'v1', CURRENT_TIMESTAMP FROM persons"))
    ledger.migrate(url)
    with eng.connect() as conn:
        assert conn.execute(text("SELECT check_id, verdict FROM check_results")).all() == [("levy", "eligible")]
    assert "ix_check_results_person_id" in {i["name"] for i in inspect(eng).get_indexes("check_results")}
    ledger.migrate(url, "0003", downgrade=True)
    with eng.connect() as conn:
        assert conn.execute(text("SELECT program, verdict FROM screenings")).all() == [("levy", "eligible")]
    eng.dispose()


def test_migrations_up_and_down(url):
    ledger.migrate(url)
    eng = create_engine(url, future=True)
    assert TABLES <= set(inspect(eng).get_table_names())
    ledger.migrate(url, "base", downgrade=True)
    assert not TABLES & set(inspect(create_engine(url, future=True)).get_table_names())
    ledger.migrate(url)
    assert TABLES <= set(inspect(create_engine(url, future=True)).get_table_names())
    eng.dispose()


def test_nothing_is_kept_without_consent(db):
    assert ledger.consent("alice", db) is None
    assert ledger.record_check("alice", levy_result(), {"staff": 200}, db) is None
    assert ledger.record_feedback("alice", True, "levy", db) is None
    ledger.set_consent("alice", False, db)
    assert ledger.consent("alice", db) is False
    assert ledger.record_check("alice", levy_result(), {"staff": 200}, db) is None
    assert ledger.count(ledger.CheckResult, "alice", db) == 0


def test_with_consent_the_case_record_is_kept(db):
    ledger.set_consent("bob", True, db)
    row = ledger.record_check("bob", levy_result(), {"staff": 200, "wage": None}, db)
    assert row is not None
    ledger.record_feedback("bob", False, "levy", db)
    assert ledger.count(ledger.CheckResult, "bob", db) == 1
    assert ledger.count(ledger.Feedback, "bob", db) == 1
    with db.connect() as conn:
        program, verdict, version = conn.execute(
            text("select check_id, verdict, parameter_version from check_results")).one()
    assert (program, verdict) == ("levy", "needs_local_check") and version


def test_handoff_is_linked_only_with_consent(db):
    ledger.record_handoff("carol", "levy", db)
    assert ledger.count_handoffs("carol", db) == 0  # counted, not linked
    ledger.set_consent("carol", True, db)
    ledger.record_handoff("carol", "levy", db)
    assert ledger.count_handoffs("carol", db) == 1
    with db.connect() as conn:
        assert conn.execute(text("select count(*) from handoff_requests")).scalar_one() == 2


def test_delete_removes_the_person_and_everything_linked(db):
    ledger.set_consent("dave", True, db)
    ledger.set_consent("erin", True, db)
    for _ in range(3):
        ledger.record_check("dave", levy_result(), {}, db)
    ledger.record_handoff("dave", None, db)
    ledger.record_feedback("dave", True, None, db)
    ledger.record_check("erin", levy_result(), {}, db)
    assert ledger.delete_person("dave", db) == 6  # 3 + 1 + 1 rows and the person
    assert ledger.consent("dave", db) is None
    assert ledger.count(ledger.CheckResult, "dave", db) == 0
    assert ledger.count(ledger.CheckResult, "erin", db) == 1
    assert ledger.delete_person("dave", db) == 0


def test_kept_messages_wait_in_order_per_door_and_go_with_the_person(db):
    first = ledger.keep_message("telegram:1", 501, "frank", "残疾人能申请烟草证吗", db)
    ledger.keep_message("telegram:2", 502, "gina", "别的机器人", db)
    second = ledger.keep_message("telegram:1", 503, "gina", "盲人按摩", db)
    kept = ledger.kept_messages("telegram:1", db)
    assert [(m.id, m.chat, m.sender, m.text) for m in kept] == [
        (first, "501", "frank", "残疾人能申请烟草证吗"), (second, "503", "gina", "盲人按摩")]
    ledger.answered(first, db)
    assert [m.id for m in ledger.kept_messages("telegram:1", db)] == [second]
    assert ledger.delete_person("gina", db) == 2  # both doors' messages
    assert ledger.kept_messages("telegram:1", db) == [] and ledger.kept_messages("telegram:2", db) == []


def _writer(url, var_dir, who, n):
    ledger.VAR_DIR = __import__("pathlib").Path(var_dir)
    eng = ledger.engine(url)
    result = levy_result()
    for i in range(n):
        sender = f"{who}-{i % 5}"
        ledger.set_consent(sender, True, eng)
        ledger.record_check(sender, result, {"i": i}, eng)
    eng.dispose()


def test_two_processes_writing_at_once_lose_nothing(url, tmp_path):
    ledger.migrate(url)
    context = multiprocessing.get_context("spawn")
    workers = [context.Process(target=_writer, args=(url, str(tmp_path), who, 150)) for who in "ab"]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
        assert worker.exitcode == 0
    with create_engine(url, future=True).connect() as conn:
        assert conn.execute(text("select count(*) from check_results")).scalar_one() == 300
        assert conn.execute(text("select count(*) from persons")).scalar_one() == 10


def test_pseudonym_is_stable_and_keyed(monkeypatch):
    first = ledger.pseudonym("telegram:1")
    assert first == ledger.pseudonym("telegram:1") != ledger.pseudonym("telegram:2")
    monkeypatch.setenv("JIUYE_PSEUDONYM_KEY", "another key")
    assert ledger.pseudonym("telegram:1") != first


def test_threads_opening_a_new_database_at_once_migrate_it_once(tmp_path):
    """A door keeping two messages at once: both threads get the engine, none fails."""
    import threading

    url = f"sqlite:///{tmp_path / 'race.sqlite3'}"
    ledger.engine.cache_clear()
    errors, engines = [], []

    def open_it():
        try:
            engines.append(ledger.engine(url))
        except Exception as error:  # pragma: no cover - what the lock prevents
            errors.append(error)

    threads = [threading.Thread(target=open_it) for _ in range(6)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert not errors and len({id(e) for e in engines}) == 1
    ledger.engine.cache_clear()
