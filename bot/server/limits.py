"""What the REST channel accepts (bot/server/channel.py): who may call it, how big a
request may be, what a well-formed one holds, how often one sender may write, and
which messages may pass as a button's intent.

A message that starts with "/" is read by Rasa as an intent with entities
("/restart", '/ask_x{"a": 1}'), skipping the NLU. Buttons need that for their
payloads; a person typing it must not be able to restart or forge a conversation. So
only the payloads the assistant's own buttons carry pass as intents; anything else
starting with "/" is kept as the person's words, without the slash ("restart").
"""
from __future__ import annotations

import json
import os
import re
import threading
import time
from collections import OrderedDict
from typing import Iterable, Optional

from jiuye.text import normalize

MAX_BODY_BYTES = int(os.environ.get("JIUYE_MAX_BODY_BYTES", 64 * 1024))
SENDER = re.compile(r"^[A-Za-z0-9_.:@\-]{1,128}$")
RATE_PER_SECOND = float(os.environ.get("JIUYE_RATE_PER_SECOND", 5))
RATE_BURST = float(os.environ.get("JIUYE_RATE_BURST", 60))

_PAYLOAD = re.compile(r"^/([a-z_]{1,64})(\{.{0,200}\})?$", re.S)
_LIST_ID = re.compile(r"^[0-9a-f]{1,16}$")
_CATEGORY = re.compile(r"^[a-z_]{1,40}$")
# The intents the assistant's buttons carry besides the topics' (actions/dialogue.py,
# actions/topics.py, actions/checks.py), with the entities each may have.
BUTTON_INTENTS = {"choose_number": {"number", "list"}, "help": {"category"}, "check_eligibility": set(),
                  "out_of_scope": set()}


def button_payload(text: str, topic_intents: Iterable[str]) -> bool:
    """Whether ``text`` is a payload one of the assistant's buttons carries."""
    match = _PAYLOAD.match(text.strip())
    if not match:
        return False
    intent, raw = match.group(1), match.group(2)
    allowed = BUTTON_INTENTS.get(intent)
    if allowed is None:
        allowed = set() if intent in set(topic_intents) else None
    if allowed is None:
        return False
    if raw is None:
        return True
    try:
        entities = json.loads(raw)
    except ValueError:
        return False
    if not isinstance(entities, dict) or not set(entities) <= allowed or not entities:
        return False
    number, list_id, category = entities.get("number"), entities.get("list"), entities.get("category")
    return ((number is None or (type(number) is int and 0 <= number <= 999))
            and (list_id is None or (isinstance(list_id, str) and bool(_LIST_ID.match(list_id))))
            and (category is None or (isinstance(category, str) and bool(_CATEGORY.match(category)))))


def as_words(text: str, topic_intents: Iterable[str]) -> str:
    """The message as Rasa should see it: a button's payload as it is; anything else
    that reads as "/..." once normalised (a full-width ／, spaces or invisible
    characters before it: the NLU normalises the text, and Rasa reads "/..." after it
    too) without its leading slashes, so it is read as words."""
    if not normalize(text).startswith("/") or button_payload(normalize(text), topic_intents):
        return text
    start = 0
    while start < len(text) and (text[start] in "/／" or not normalize(text[start])):
        start += 1
    return text[start:]


def bad_request(body: object) -> Optional[str]:
    """Why a decoded JSON body is no message, or None: an object with a well-formed
    ``sender`` (letters, digits, _.:@-, at most 128) and a string ``message``."""
    if not isinstance(body, dict):
        return "the body must be a JSON object"
    sender = body.get("sender")
    if not isinstance(sender, str) or not SENDER.match(sender):
        return "sender: 1-128 characters of A-Z a-z 0-9 _ . : @ -"
    if not isinstance(body.get("message"), str):
        return "message: a string"
    return None


class RateLimit:
    """A token bucket per sender: ``burst`` messages at once, then ``per_second``.
    At most ``keep`` senders are remembered (the least recent are forgotten)."""

    def __init__(self, per_second: float = RATE_PER_SECOND, burst: float = RATE_BURST, keep: int = 100_000) -> None:
        self.per_second, self.burst, self.keep = per_second, burst, keep
        self._buckets: "OrderedDict[str, tuple]" = OrderedDict()
        self._lock = threading.Lock()

    def allow(self, sender: str, now: Optional[float] = None) -> bool:
        if self.per_second <= 0:
            return True
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, last = self._buckets.pop(sender, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.per_second)
            allowed = tokens >= 1
            self._buckets[sender] = (tokens - 1 if allowed else tokens, now)
            while len(self._buckets) > self.keep:
                self._buckets.popitem(last=False)
            return allowed
