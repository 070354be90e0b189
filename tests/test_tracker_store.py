"""Rasa's conversations in the ledger's database (SQLite and the real PostgreSQL)."""
from __future__ import annotations

import asyncio

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import create_engine, inspect, text

from bot.tracker_store import FORGET_SLOT, LedgerTrackerStore, forgets
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
