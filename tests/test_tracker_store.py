"""Rasa's conversations in the ledger's database (SQLite and the real PostgreSQL)."""
from __future__ import annotations

import asyncio

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import create_engine, inspect, text

from bot.server.tracker_store import FORGET_SLOT, LedgerTrackerStore, forgets
from tests.test_ledger import url  # noqa: F401  (the SQLite / PostgreSQL fixture)

DOMAIN = Domain.from_yaml(f"""
version: "3.1"
slots:
  {FORGET_SLOT}:
    type: bool
    influence_conversation: false
    mappings: [{{type: custom}}]
""")


def _turn(tracker, text_said):
    tracker.update(UserUttered(text_said, {"name": "greet", "confidence": 1.0}))
    tracker.update(ActionExecuted("utter_greet"))
    tracker.update(BotUttered("您好"))
    tracker.update(ActionExecuted("action_listen"))


def test_conversations_are_stored_beside_the_ledger_and_forgotten(url, monkeypatch):  # noqa: F811
    monkeypatch.setenv("DATABASE_URL", url)
    store = LedgerTrackerStore(DOMAIN)
    tracker = DialogueStateTracker("person-1", DOMAIN.slots)
    _turn(tracker, "你好")
    asyncio.run(store.save(tracker))
    other = DialogueStateTracker("person-2", DOMAIN.slots)
    _turn(other, "在吗")
    asyncio.run(store.save(other))
    assert "events" in inspect(create_engine(url)).get_table_names()
    again = asyncio.run(store.retrieve("person-1"))
    assert [e.text for e in again.events if isinstance(e, UserUttered)] == ["你好"]

    _turn(tracker, "删除我的数据")
    tracker.update(SlotSet(FORGET_SLOT, True))
    assert forgets(tracker)
    asyncio.run(store.save(tracker))
    with create_engine(url).connect() as conn:
        left = dict(conn.execute(text("select sender_id, count(*) from events group by sender_id")).all())
    assert "person-1" not in left and left["person-2"] > 0  # only that person's conversation
    assert asyncio.run(store.retrieve("person-1")) is None

    fresh = DialogueStateTracker("person-1", DOMAIN.slots)  # a later conversation is kept again
    _turn(fresh, "你好")
    assert not forgets(fresh)
    asyncio.run(store.save(fresh))
    assert len(asyncio.run(store.retrieve("person-1")).events) == 4
    store.engine.dispose()


def test_plain_sql_reads_and_writes_what_rasas_own_queries_do(url, monkeypatch):  # noqa: F811
    """Two sessions, saved turn by turn as the server does (read, add a turn, save): the
    rows stored and the trackers read back are those of Rasa's own ORM code."""
    from rasa.core.tracker_store import SQLTrackerStore
    from rasa.shared.core.events import ActionExecuted as Action
    from rasa.shared.core.events import SessionStarted

    monkeypatch.setenv("DATABASE_URL", url)
    store = LedgerTrackerStore(DOMAIN)
    ours = (store.save, store.retrieve)
    rasas = (lambda t: SQLTrackerStore.save(store, t), lambda s: SQLTrackerStore._retrieve(store, s, False))

    def converse(sender, save, retrieve):
        tracker = DialogueStateTracker(sender, DOMAIN.slots)
        tracker.update(Action("action_session_start"))
        tracker.update(SessionStarted())
        _turn(tracker, "第一次")
        asyncio.run(save(tracker))
        tracker = asyncio.run(retrieve(sender))
        asyncio.run(save(tracker))  # nothing new: nothing stored twice
        _turn(tracker, "第二句")
        asyncio.run(save(tracker))
        tracker = asyncio.run(retrieve(sender))
        tracker.update(Action("action_session_start"))
        tracker.update(SessionStarted())
        _turn(tracker, "新的一次")
        asyncio.run(save(tracker))
        with store.engine.connect() as conn:
            rows = conn.execute(text(
                "select type_name, intent_name, action_name, data from events "
                "where sender_id = :s order by id"), {"s": sender}).all()
        return rows, asyncio.run(retrieve(sender))

    rows, latest = converse("person-3", *ours)
    reference_rows, reference = converse("person-3-rasa", *rasas)
    assert len(rows) == 16 and rows[2][:3] == ("user", "greet", None)
    assert [r[:3] for r in rows] == [r[:3] for r in reference_rows]
    assert [e.text for e in latest.events if isinstance(e, UserUttered)] == ["新的一次"]
    assert len(latest.events) == len(reference.events) == 5  # from session_started on
    assert [type(e) for e in latest.events] == [type(e) for e in reference.events]
    assert len(asyncio.run(store.retrieve_full_tracker("person-3")).events) == 16
    assert asyncio.run(store.retrieve("nobody")) is None
    store.engine.dispose()


def test_idle_conversations_are_forgotten_and_active_ones_kept(url, monkeypatch):  # noqa: F811
    """Retention: a conversation idle for longer than the set time is deleted whole; one
    with a recent message is kept (SQLite and PostgreSQL)."""
    import time

    monkeypatch.setenv("DATABASE_URL", url)
    store = LedgerTrackerStore(DOMAIN)
    old = DialogueStateTracker("idle-person", DOMAIN.slots)
    _turn(old, "我的残疾人证号是1234")
    asyncio.run(store.save(old))
    recent = DialogueStateTracker("active-person", DOMAIN.slots)
    _turn(recent, "你好")
    asyncio.run(store.save(recent))
    now = time.time()
    assert store.forget_idle(3600, now=now) == 0  # both spoke within the hour
    later = now + 2 * 3600
    with store.engine.begin() as conn:  # the active person speaks again two hours later
        conn.execute(text("update events set timestamp = :t where sender_id = 'active-person'"), {"t": later - 60})
    assert store.forget_idle(3600, now=later) == 4
    assert asyncio.run(store.retrieve("idle-person")) is None
    assert asyncio.run(store.retrieve("active-person")) is not None
    store.engine.dispose()


def test_a_forgotten_conversation_leaves_no_text_in_the_sqlite_files(tmp_path, monkeypatch):
    """secure_delete and a checkpoint: the words are gone from the database and its log."""
    path = tmp_path / "jiuye.sqlite3"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    store = LedgerTrackerStore(DOMAIN)
    marker = "my-id-XYZZY-4711"
    tracker = DialogueStateTracker("person-x", DOMAIN.slots)
    _turn(tracker, marker)
    asyncio.run(store.save(tracker))
    files = [p for p in tmp_path.iterdir() if p.name.startswith("jiuye.sqlite3")]
    assert any(marker.encode() in p.read_bytes() for p in files)  # the check can fail
    store.forget("person-x")
    for file in tmp_path.iterdir():
        assert marker.encode() not in file.read_bytes(), file.name
    store.engine.dispose()
