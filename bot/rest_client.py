"""A small client for Rasa's REST channel, shared by the CLI, tests and bench."""
from __future__ import annotations

from typing import Dict, List

import requests

from actions.messages import BUSY

__all__ = ["BUSY", "as_text", "parse", "send", "slot"]


def send(url: str, sender: str, text: str, timeout: float = 30, session=None) -> List[Dict]:
    """POST one message; returns the bot's messages (text and buttons)."""
    http = session or requests
    response = http.post(
        f"{url.rstrip('/')}/webhooks/rest/webhook",
        json={"sender": sender, "message": text},
        timeout=timeout,
    )
    response.raise_for_status()
    return response.json()


def as_text(replies: List[Dict]) -> str:
    """The bot's messages as one block of text (buttons are numbered in the text)."""
    return "\n".join(r["text"] for r in replies if r.get("text"))


def slot(url: str, sender: str, name: str, timeout: float = 5, session=None):
    """One slot of a conversation, through Rasa's HTTP API (``--enable-api``)."""
    http = session or requests
    response = http.get(
        f"{url.rstrip('/')}/conversations/{sender}/tracker",
        params={"include_events": "NONE"},
        timeout=timeout,
    )
    response.raise_for_status()
    return (response.json().get("slots") or {}).get(name)


def parse(url: str, text: str, timeout: float = 10, session=None) -> Dict:
    """What the assistant's NLU makes of ``text`` (intent, ranking), through Rasa's
    HTTP API (``--enable-api``); no conversation is touched."""
    http = session or requests
    response = http.post(f"{url.rstrip('/')}/model/parse", json={"text": text}, timeout=timeout)
    response.raise_for_status()
    return response.json()
