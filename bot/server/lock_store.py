"""A Redis lock store that several Rasa workers can share safely, in few round trips.

Rasa's ``RedisLockStore`` keeps each conversation's ticket lock as one JSON value and
changes it by read, modify, write. Two worker processes that receive messages of the
same conversation at once can both read an empty lock, both take ticket 0 and both
handle their message at the same time: one of them then overwrites the other's events
(seen once with two workers: 5 messages at once, 4 stored; tests/test_workers.py shows
the duplicate tickets). Rasa's fix (a concurrent Redis lock store) is only in its
commercial edition.

``AtomicRedisLockStore`` keeps Rasa's tickets (first come, first served, expired
tickets skipped) and Rasa's stored format, so Rasa's own ``get_lock`` reads it. Each
change of a lock is one Lua script, which Redis runs atomically:

- taking a ticket also says whether it is served at once (the usual case), so a
  message that waits for nobody costs one round trip to take its turn;
- giving it back removes the ticket and deletes the lock when nobody waits: one more.

The first version changed the lock under a Redis mutex (redis-py's ``Lock``): eleven
round trips a message, 2.4 ms of the Rasa server's CPU a turn. Waiting messages look
again every ``WAIT_SECONDS`` instead of Rasa's one second. Times are the client's
clock, as in Rasa's ``TicketLock``.
"""
from __future__ import annotations

import json
import time
from contextlib import asynccontextmanager
from typing import Any, AsyncGenerator, Optional, Text, Tuple

from rasa.core.lock import TicketLock
from rasa.core.lock_store import LOCK_LIFETIME, LockError, RedisLockStore
from rasa.utils.endpoints import EndpointConfig

WAIT_SECONDS = 0.02

# Rasa's format: {"conversation_id": id, "tickets": ["{\"number\": n, \"expires\": t}", ...]}.
# KEYS[1] the lock; ARGV: now, then what each script needs. An empty Lua table would be
# written as {} (cjson cannot tell), which Rasa reads as no tickets, as it should.
_KEEP_UNEXPIRED = """
local function unexpired(raw, now)
  local kept = {}
  if raw then
    for _, text in ipairs(cjson.decode(raw).tickets or {}) do
      local ticket = cjson.decode(text)
      if not (now > ticket.expires) then table.insert(kept, {text, ticket}) end
    end
  end
  return kept
end
local function texts(kept)
  local out = {}
  for i, item in ipairs(kept) do out[i] = item[1] end
  return out
end
"""

# ARGV: now, lifetime, conversation id -> {ticket, 1 if served at once, the lock as stored}
ISSUE = _KEEP_UNEXPIRED + """
local now = tonumber(ARGV[1])
local kept = unexpired(redis.call('GET', KEYS[1]), now)
local number = 0
if #kept > 0 then number = kept[#kept][2].number + 1 end
local text = cjson.encode({number = number, expires = now + tonumber(ARGV[2])})
table.insert(kept, {text, {number = number}})
local stored = cjson.encode({conversation_id = ARGV[3], tickets = texts(kept)})
redis.call('SET', KEYS[1], stored)
local served = 0
if kept[1][2].number == number then served = 1 end
return {number, served, stored}
"""

# ARGV: now, conversation id -> nothing (Rasa's update_lock: expired tickets out)
UPDATE = _KEEP_UNEXPIRED + """
local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
local kept = unexpired(raw, tonumber(ARGV[1]))
redis.call('SET', KEYS[1], cjson.encode({conversation_id = ARGV[2], tickets = texts(kept)}))
return 1
"""

# ARGV: now, conversation id, ticket -> 1 if the lock was deleted (nobody waits)
CLEANUP = _KEEP_UNEXPIRED + """
local raw = redis.call('GET', KEYS[1])
if not raw then return 0 end
local number = tonumber(ARGV[3])
local kept = {}
for _, item in ipairs(unexpired(raw, tonumber(ARGV[1]))) do
  if item[2].number ~= number then table.insert(kept, item) end
end
if #kept == 0 then
  redis.call('DEL', KEYS[1])
  return 1
end
redis.call('SET', KEYS[1], cjson.encode({conversation_id = ARGV[2], tickets = texts(kept)}))
return 0
"""


class AtomicRedisLockStore(RedisLockStore):
    def __init__(self, endpoint_config: Optional[EndpointConfig] = None, **kwargs: Any) -> None:
        if endpoint_config is not None:
            kwargs = {**endpoint_config.kwargs, **kwargs}
            kwargs.setdefault("host", endpoint_config.url or "localhost")
        super().__init__(**kwargs)
        self._issue, self._update, self._cleanup = (self.red.register_script(s) for s in (ISSUE, UPDATE, CLEANUP))
        try:  # loaded now, so that a turn sends only their digests (reloaded if Redis forgets them)
            for script in (ISSUE, UPDATE, CLEANUP):
                self.red.script_load(script)
        except Exception:  # noqa: BLE001 — Redis down at start: the first turn says so
            pass

    def _take(self, conversation_id: Text, lock_lifetime: float) -> Tuple[int, bool, TicketLock]:
        try:
            number, served, stored = self._issue(
                keys=[self.key_prefix + conversation_id], args=[time.time(), lock_lifetime, conversation_id])
        except Exception as e:
            raise LockError(f"Error while acquiring lock. Error:\n{e}")
        return int(number), bool(served), TicketLock.from_dict(json.loads(stored))

    def issue_ticket(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME) -> int:
        return self._take(conversation_id, lock_lifetime)[0]

    def update_lock(self, conversation_id: Text) -> None:
        self._update(keys=[self.key_prefix + conversation_id], args=[time.time(), conversation_id])

    def cleanup(self, conversation_id: Text, ticket_number: int) -> None:
        deleted = self._cleanup(keys=[self.key_prefix + conversation_id],
                                args=[time.time(), conversation_id, ticket_number])
        if deleted:
            self._log_deletion(conversation_id, True)

    @asynccontextmanager
    async def lock(self, conversation_id: Text, lock_lifetime: float = LOCK_LIFETIME,
                   wait_time_in_seconds: float = WAIT_SECONDS) -> AsyncGenerator[TicketLock, None]:
        ticket, served, lock = self._take(conversation_id, lock_lifetime)
        try:
            if not served:  # someone else's message of this conversation goes first
                lock = await self._acquire_lock(conversation_id, ticket, wait_time_in_seconds)
            yield lock
        finally:
            self.cleanup(conversation_id, ticket)
