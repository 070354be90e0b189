"""The REST channel the doors use, with the turn's state in every reply.

``credentials.yml`` names this class instead of Rasa's ``rest``; the address stays
``POST /webhooks/rest/webhook``. After the assistant's messages, each reply carries
one more: ``{"custom": {"jiuye": {"speech_rate", "options", "intent", "busy"}}}`` (read by
``jiuye.assistant.Reply.from_rest``), so a door never reads slots through the admin
API, and never compares reply text to find out that the assistant was busy. The state
is taken from the conversation in memory at the end of the turn
(``patches.turn_state``), not read again from the tracker store.

Only a door may call it: ``Authorization: Bearer`` with the assistant's key
(``jiuye.keys.secret("assistant")``), else 401. A request must be JSON
(``application/json``: a web page elsewhere cannot post it without the browser's
consent), at most 64 KB (413), an object with a well-formed ``sender`` and a string
``message`` (400, with a JSON error); a sender writing faster than a person can gets
429 with a polite sentence; "/..." typed by a person is read as words
(``bot/server/limits.py``).
"""
from __future__ import annotations

import hmac
import inspect
import json
import logging
from asyncio import CancelledError
from typing import Any, Awaitable, Callable, Dict, List, Optional, Text

from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.server import limits
from jiuye import keys, knowledge, messages
from jiuye.assistant import STATE_KEY

logger = logging.getLogger(__name__)

SLOT_SPEED = "speech_rate"
SLOT_OPTIONS = "offered_options"


def turn_state(slots: Dict[Text, Any], intent: Optional[Text] = None) -> Dict[Text, Any]:
    """What a door needs to know after a turn, from the conversation's slots and the
    intent the turn was read as."""
    options = slots.get(SLOT_OPTIONS) or []
    open_numbers = [n for n, option in enumerate(options) if option] if isinstance(options, list) else []
    return {"speech_rate": slots.get(SLOT_SPEED) or "normal", "options": open_numbers, "intent": intent,
            "busy": False}


class StateCollectingOutputChannel(CollectingOutputChannel):
    """Collects the replies, and the state of the conversation when the turn ends."""

    def __init__(self) -> None:
        super().__init__()
        self.state: Dict[Text, Any] = turn_state({})

    def record_state(self, slots: Dict[Text, Any], intent: Optional[Text] = None) -> None:
        busy = self.state.get("busy", False)
        self.state = turn_state(slots, intent)
        self.state["busy"] = busy

    def with_state(self, recipient_id: Optional[Text]) -> List[Dict[Text, Any]]:
        return self.messages + [{"recipient_id": recipient_id, "custom": {STATE_KEY: self.state}}]


def mark_busy(output_channel: Any) -> None:
    """The action server failed this turn (``patches.action_failure``)."""
    if isinstance(output_channel, StateCollectingOutputChannel):
        output_channel.state["busy"] = True


class AssistantInput(RestInput):
    """Rasa's REST channel, answering with the turn's state."""

    @classmethod
    def name(cls) -> Text:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        module = inspect.getmodule(self)
        webhook = Blueprint(f"custom_webhook_{type(self).__name__}", module.__name__ if module else None)
        expected = f"Bearer {keys.secret('assistant')}".encode()
        topic_intents = {t.intent for t in knowledge.default().topics.values()}
        rate = limits.RateLimit()

        @webhook.route("/", methods=["GET"])
        async def health(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            if not hmac.compare_digest((request.headers.get("Authorization") or "").encode(), expected):
                return response.json({"error": "unauthorized"}, status=401)
            if len(request.body or b"") > limits.MAX_BODY_BYTES:
                return response.json({"error": "request too large", "text": messages.TOO_LONG}, status=413)
            if (request.headers.get("Content-Type") or "").split(";")[0].strip().lower() != "application/json":
                return response.json({"error": "Content-Type must be application/json"}, status=415)
            try:
                body = json.loads(request.body or b"")
            except ValueError:
                return response.json({"error": "the body is not JSON"}, status=400)
            problem = limits.bad_request(body)
            if problem:
                return response.json({"error": problem}, status=400)
            sender_id = body["sender"]
            if not rate.allow(sender_id):
                return response.json({"error": "too many messages", "text": messages.TOO_FAST}, status=429)
            text = limits.as_words(body["message"], topic_intents)
            collector = StateCollectingOutputChannel()
            try:
                await on_new_message(UserMessage(text, collector, sender_id, input_channel=self.name()))
            except CancelledError:
                logger.error("rest: the turn of %s timed out", sender_id)
                collector.state["busy"] = True
            except Exception:
                logger.exception("rest: the turn of %s failed", sender_id)
                collector.state["busy"] = True
            return response.json(collector.with_state(sender_id))

        return webhook
