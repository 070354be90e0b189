"""Two Rasa (Sanic) workers sharing a Redis lock store (JIUYE_WORKERS=2): the setting
that uses both cores under load. Each conversation must still be handled one message
at a time, whichever worker takes it."""
from __future__ import annotations

import asyncio
import threading
import time
import uuid

import psutil
import pytest
import requests
from rasa.core.lock_store import RedisLockStore

from bot.doors import rest_client
from bot.server.lock_store import AtomicRedisLockStore
from bot.stack import MODEL, Stack, StackError, free_port, redis_lock_store, redis_reachable
from jiuye import knowledge

pytestmark = pytest.mark.slow
REDIS = "redis://127.0.0.1:6379/0"
KB = knowledge.default()


def redis_up() -> bool:
    return redis_reachable(REDIS)


def test_several_workers_need_a_lock_store():
    with pytest.raises(StackError, match="JIUYE_LOCK_STORE"):
        Stack(MODEL, free_port(), free_port(), env={"JIUYE_WORKERS": "2", "JIUYE_LOCK_STORE": ""})
    per_core = Stack(MODEL, free_port(), free_port(), env={"JIUYE_WORKERS": "", "JIUYE_LOCK_STORE": REDIS})
    alone = Stack(MODEL, free_port(), free_port(), env={"JIUYE_WORKERS": "", "JIUYE_LOCK_STORE": ""})
    assert (per_core.workers, alone.workers) == (psutil.cpu_count(), 1)
    assert per_core.env["SANIC_WORKERS"] == str(psutil.cpu_count())
    assert redis_lock_store("redis://cache.local:6380/3") == {
        "type": "bot.server.lock_store.AtomicRedisLockStore", "url": "cache.local", "port": 6380, "db": 3, "key_prefix": "jiuye"}
    with pytest.raises(StackError):
        redis_lock_store("http://127.0.0.1:6379")


@pytest.mark.parametrize("store, all_distinct", [(AtomicRedisLockStore, True), (RedisLockStore, False)],
                         ids=["ours", "rasa"])
def test_tickets_issued_at_once_by_several_processes_are_distinct(store, all_distinct):
    """Four clients (as four workers) take 100 tickets each for one conversation at
    once. Rasa's store reads, changes and writes the lock, so clients get the same
    ticket (measured: 146 distinct of 400); ours changes it in one Lua script."""
    if not redis_up():
        pytest.skip("no Redis at 127.0.0.1:6379")
    conversation = f"t-{uuid.uuid4().hex[:8]}"
    stores = [store(host="127.0.0.1", port=6379, db=0, key_prefix="jiuyetest") for _ in range(4)]
    tickets = []

    def take(client):
        for _ in range(100):
            tickets.append(client.issue_ticket(conversation, 60))

    threads = [threading.Thread(target=take, args=(client,)) for client in stores]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    stores[0].delete_lock(conversation)
    assert len(tickets) == 400
    assert (len(set(tickets)) == 400) is all_distinct, len(set(tickets))


@pytest.fixture()
def lock_store():
    if not redis_up():
        pytest.skip("no Redis at 127.0.0.1:6379")
    store = AtomicRedisLockStore(host="127.0.0.1", port=6379, db=0, key_prefix="jiuyetest")
    calls = []
    execute = store.red.execute_command
    store.red.execute_command = lambda *args, **kw: calls.append(args[0]) or execute(*args, **kw)
    store.calls = calls
    return store


def test_a_lone_message_takes_and_gives_back_its_turn_in_two_round_trips(lock_store):
    conversation = f"t-{uuid.uuid4().hex[:8]}"

    async def handle():
        async with lock_store.lock(conversation) as lock:
            # Rasa's own reader sees our lock, with this message's ticket served now
            seen = RedisLockStore(host="127.0.0.1", port=6379, db=0, key_prefix="jiuyetest").get_lock(conversation)
            return lock, seen

    lock, seen = asyncio.run(handle())
    assert [t.number for t in lock.tickets] == [0] and not lock.is_locked(0)
    assert seen.conversation_id == conversation and [t.number for t in seen.tickets] == [0]
    assert len(lock_store.calls) == 2, lock_store.calls  # take the turn, give it back
    assert lock_store.get_lock(conversation) is None  # nobody waits: the lock is gone


def test_a_second_message_of_a_conversation_waits_for_the_first(lock_store):
    conversation = f"t-{uuid.uuid4().hex[:8]}"
    order = []

    async def handle(name, hold):
        async with lock_store.lock(conversation, wait_time_in_seconds=0.01):
            order.append(f"{name} in")
            await asyncio.sleep(hold)
            order.append(f"{name} out")

    async def both():
        first = asyncio.create_task(handle("first", 0.2))
        await asyncio.sleep(0.05)
        await asyncio.gather(first, handle("second", 0))

    asyncio.run(both())
    assert order == ["first in", "first out", "second in", "second out"]
    assert lock_store.get_lock(conversation) is None


def test_expired_tickets_are_skipped(lock_store):
    conversation = f"t-{uuid.uuid4().hex[:8]}"
    stale = lock_store.issue_ticket(conversation, 0.01)  # a crashed worker's ticket
    time.sleep(0.05)

    async def handle():
        async with lock_store.lock(conversation, wait_time_in_seconds=0.01) as lock:
            return [t.number for t in lock.tickets]

    assert stale == 0
    assert asyncio.run(asyncio.wait_for(handle(), 5)) == [0]  # served at once, numbered afresh
    assert lock_store.get_lock(conversation) is None


@pytest.fixture(scope="module")
def two_workers(tmp_path_factory):
    if not redis_up():
        pytest.skip("no Redis at 127.0.0.1:6379 (the lock store two workers share)")
    var = tmp_path_factory.mktemp("var-workers")
    log = open(var / "servers.log", "w")
    stack = Stack(MODEL, free_port(), free_port(), log=log,
                  env={"JIUYE_VAR_DIR": str(var), "DATABASE_URL": "", "JIUYE_WORKERS": "2",
                       "JIUYE_LOCK_STORE": REDIS})
    try:
        stack.start()
    except Exception:
        log.flush()
        print((var / "servers.log").read_text()[-5000:])
        raise
    yield stack
    stack.stop()
    log.close()


def test_two_workers_serve_and_keep_each_conversation_in_order(two_workers):
    rasa = psutil.Process(two_workers.pids()[1])
    assert len(rasa.children(recursive=True)) >= 2  # the workers
    topic = KB.topics["tobacco_licence"]
    failures = []

    def converse(sender):
        try:
            rest_client.send(two_workers.url, sender, "详细")
            for _ in range(3):
                text = rest_client.as_text(rest_client.send(two_workers.url, sender, "残疾人能申请烟草证吗"))
                assert "负责部门" in text and topic.citation in text, text[:80]  # detail mode kept
        except Exception as error:  # noqa: BLE001 — reported below with the sender
            failures.append((sender, repr(error)))

    threads = [threading.Thread(target=converse, args=(f"w-{uuid.uuid4().hex[:8]}",)) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not failures, failures


def test_one_conversations_messages_at_once_are_each_answered(two_workers):
    sender = f"w-{uuid.uuid4().hex[:8]}"
    replies = {}
    texts = ["残疾人能申请烟草证吗", "残保金怎么算", "盲人按摩有什么扶持", "菜单", "人工"]

    def send(text):
        replies[text] = rest_client.as_text(rest_client.send(two_workers.url, sender, text))

    threads = [threading.Thread(target=send, args=(text,)) for text in texts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert all(replies.get(text) for text in texts), replies
    tracker = requests.get(f"{two_workers.url}/conversations/{sender}/tracker",
                           params={"include_events": "ALL", "token": two_workers.token}, timeout=30).json()
    said = [e["text"] for e in tracker["events"] if e["event"] == "user"]
    assert sorted(said) == sorted(texts)  # each stored once, none lost to a race
