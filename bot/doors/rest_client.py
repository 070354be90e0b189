"""The assistant over Rasa's REST channel: the ``jiuye.assistant.Assistant`` the
doors, the tests and the bench use.

``RestAssistant(url).send(sender, text)`` → ``Reply`` (texts, buttons, the person's
speech rate, the open numbers, busy); when nothing answers, ``Reply.down()``.
``send`` gives the raw messages a person sees (the turn's state left out).

Every request carries the assistant's key (``jiuye.keys.secret("assistant")``: the
file the servers made in var/keys/, or ``JIUYE_ASSISTANT_TOKEN`` for a door on
another machine). A message the channel refuses politely (too long, too fast) comes
back as its sentence.
"""
from __future__ import annotations

from typing import Any, Dict, List

import requests

from jiuye import keys
from jiuye.assistant import Reply, without_state
from jiuye.messages import BUSY

POLITE_REFUSALS = (413, 429)  # the channel's own sentence comes with these


def auth() -> Dict[str, str]:
    """The header a door sends with every message."""
    return {"Authorization": f"Bearer {keys.secret('assistant')}"}

__all__ = ["BUSY", "RestAssistant", "as_text", "auth", "parse", "send", "turn"]


def _post(url: str, sender: str, text: str, timeout: float, session) -> List[Dict[str, Any]]:
    http = session or requests
    response = http.post(
        f"{url.rstrip('/')}/webhooks/rest/webhook",
        json={"sender": sender, "message": text},
        headers=auth(),
        timeout=timeout,
    )
    if response.status_code in POLITE_REFUSALS:
        said = response.json().get("text")
        if said:
            return [{"recipient_id": sender, "text": said}]
    response.raise_for_status()
    return response.json()


def send(url: str, sender: str, text: str, timeout: float = 30, session=None) -> List[Dict]:
    """POST one message; returns the bot's messages (text and buttons)."""
    return without_state(_post(url, sender, text, timeout, session))


def turn(url: str, sender: str, text: str, timeout: float = 30, session=None) -> Reply:
    """POST one message; the reply with the turn's state (``Reply.down()`` when the
    assistant does not answer)."""
    try:
        return Reply.from_rest(_post(url, sender, text, timeout, session))
    except (requests.RequestException, ValueError):
        return Reply.down()


def as_text(replies: List[Dict]) -> str:
    """The bot's messages as one block of text (buttons are numbered in the text)."""
    return "\n".join(r["text"] for r in replies if r.get("text"))


def parse(url: str, text: str, timeout: float = 10, session=None) -> Dict:
    """What the assistant's NLU makes of ``text`` (intent, ranking), through Rasa's
    HTTP API (``--enable-api``, with its ``--auth-token``); no conversation is touched."""
    http = session or requests
    response = http.post(f"{url.rstrip('/')}/model/parse", json={"text": text},
                         params={"token": keys.secret("assistant")}, timeout=timeout)
    response.raise_for_status()
    return response.json()


class RestAssistant:
    """The assistant at ``url`` (a running ``jiuye serve``), one HTTP session kept."""

    def __init__(self, url: str, timeout: float = 30) -> None:
        self.url = url.rstrip("/")
        self.timeout = timeout
        self.http = requests.Session()

    def send(self, sender: str, text: str) -> Reply:
        return turn(self.url, sender, text, self.timeout, self.http)

    def parse(self, text: str) -> Dict[str, Any]:
        return parse(self.url, text, session=self.http)
