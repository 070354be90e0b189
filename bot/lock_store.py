"""A Redis lock store that several Rasa workers can share safely.

Rasa's ``RedisLockStore`` keeps each conversation's ticket lock as one JSON value and
changes it by read, modify, write. Two worker processes that receive messages of the
same conversation at once can both read an empty lock, both take ticket 0 and both
handle their message at the same time: one of them then overwrites the other's events
(seen once with two workers: 5 messages at once, 4 stored; tests/test_workers.py shows
the duplicate tickets). Rasa's fix (a concurrent Redis lock store) is only in its
commercial edition.

``AtomicRedisLockStore`` keeps Rasa's tickets (first come, first served, expired
tickets skipped) and makes every change of a lock atomic with a short Redis mutex per
conversation (redis-py's ``Lock``: SET NX with an expiry, released by a script that
checks its owner). Waiting messages look again every ``WAIT_SECONDS`` instead of
Rasa's one second.
"""
from __future__ import annotations

from contextlib import asynccontextmanager, contextmanager
from typing import Any, AsyncGenerator, Iterator, Optional, Text

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

WAIT_SECONDS = 0.02
MUTEX_SECONDS = 5  # a change of a lock takes milliseconds; a crashed worker's mutex expires


class AtomicRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, **kwargs: Any) -> None:
        if endpoint_config is not None:
            kwargs = {**endpoint_config.kwargs, **kwargs}
            kwargs.setdefault("host", endpoint_config.url or "localhost")
        super().__init__(**kwargs)

    @contextmanager
    def _changing(self, conversation_id: Text) -> Iterator[None]:
        mutex = self.red.lock(f"{self.key_prefix}{conversation_id}:mutex", timeout=MUTEX_SECONDS,
                              sleep=0.002, blocking_timeout=MUTEX_SECONDS)
        if not mutex.acquire():
            raise LockError(f"lock of conversation '{conversation_id}' busy for {MUTEX_SECONDS} s")
        try:
            yield
        finally:
            mutex.release()

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        with self._changing(conversation_id):
            return super().issue_ticket(conversation_id, lock_lifetime)

    def update_lock(self, conversation_id: Text) -> None:
        with self._changing(conversation_id):
            super().update_lock(conversation_id)

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        with self._changing(conversation_id):
            super().cleanup(conversation_id, ticket_number)

    @asynccontextmanager
    async def lock(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME,
                   wait_time_in_seconds: float = WAIT_SECONDS) -> AsyncGenerator[TicketLock, None]:
        async with super().lock(conversation_id, lock_lifetime, wait_time_in_seconds) as ticket_lock:
            yield ticket_lock
