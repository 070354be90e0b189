"""On PostgreSQL (the deployments' database), with the retention sweep running and a
low rate limit: conversations as people have them, deletion, forgetting idle
conversations, and a sender writing faster than a person can."""
from __future__ import annotations

import time
import uuid

import pytest
import requests
from sqlalchemy import create_engine, text

from bot.doors import rest_client
from jiuye import messages
from tests import conversations
from tests.security.conftest import RATE_BURST, RETENTION_SECONDS

pytestmark = pytest.mark.slow
# A few whole conversations again, on PostgreSQL (the rest run on SQLite).
ON_POSTGRES = ("levy correction at the read-back changes one value", "tobacco with echo answers",
               "consent given in the option's words keeps the record", "a stale delete confirmation button deletes nothing")


def events_of(stack, sender):
    engine = create_engine(stack.database_url, future=True)
    with engine.connect() as conn:
        count = conn.execute(text("select count(*) from events where sender_id = :s"), {"s": sender}).scalar()
    engine.dispose()
    return count


@pytest.mark.parametrize("name", ON_POSTGRES)
def test_conversations_on_postgresql(pg_stack, name):
    conversation = next(c for c in conversations.load() if c["name"] == name)
    failure = conversations.run(pg_stack.url, conversation)
    assert failure is None, failure


def test_delete_my_data_on_postgresql(pg_stack):
    person = f"pg-{uuid.uuid4().hex[:8]}"
    rest_client.send(pg_stack.url, person, "我们公司200人，安排了1个残疾人，平均工资8万，在湖南，残保金交多少")
    rest_client.send(pg_stack.url, person, "1")
    assert messages.CONSENT_GIVEN in rest_client.as_text(rest_client.send(pg_stack.url, person, "同意"))
    assert events_of(pg_stack, person) > 0
    rest_client.send(pg_stack.url, person, "删除我的数据")
    said = rest_client.as_text(rest_client.send(pg_stack.url, person, "1"))
    assert "删除" in said
    assert events_of(pg_stack, person) == 0


def test_an_idle_conversation_is_forgotten_by_the_sweep(pg_stack):
    idle, active = f"idle-{uuid.uuid4().hex[:8]}", f"active-{uuid.uuid4().hex[:8]}"
    rest_client.send(pg_stack.url, idle, "我的残疾人证号是12345678")
    assert events_of(pg_stack, idle) > 0
    deadline = time.monotonic() + RETENTION_SECONDS + 20
    while events_of(pg_stack, idle) and time.monotonic() < deadline:
        rest_client.send(pg_stack.url, active, "你好")  # someone else keeps talking
        time.sleep(1)
    assert events_of(pg_stack, idle) == 0, "the idle conversation is still stored"
    assert events_of(pg_stack, active) > 0  # the active one is kept


def test_a_sender_faster_than_a_person_is_slowed_politely_and_others_are_not(pg_stack):
    flood, other = f"flood-{uuid.uuid4().hex[:8]}", f"calm-{uuid.uuid4().hex[:8]}"
    statuses, texts = [], []
    for _ in range(RATE_BURST + 10):
        response = requests.post(f"{pg_stack.url}/webhooks/rest/webhook", json={"sender": flood, "message": "你好"},
                                 headers=rest_client.auth(), timeout=30)
        statuses.append(response.status_code)
        texts.append(response.json().get("text") if response.status_code == 429 else None)
    assert 429 in statuses and statuses[0] == 200
    assert messages.TOO_FAST in texts
    assert rest_client.turn(pg_stack.url, other, "你好").text  # another person is answered
    assert rest_client.turn(pg_stack.url, flood, "你好").text == messages.TOO_FAST  # as a door shows it
