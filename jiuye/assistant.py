"""The one interface every door talks to: send what a person said, get the replies.

A door (the CLI, Telegram, the kiosk, later the phone and the web chat) holds an
``Assistant`` and knows nothing else of Rasa. Each turn's ``Reply`` carries what the
door needs beside the text: the buttons, the person's speech rate (慢一点 / 快一点),
which numbers of a list are open, and whether the assistant was too busy to answer.
The Rasa server sends that state with every REST reply, as one message of the form
``{"custom": {"jiuye": {...}}}`` (bot/server/channel.py); ``Reply.from_rest`` reads it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Protocol

from jiuye.messages import BUSY

STATE_KEY = "jiuye"


@dataclass
class Reply:
    texts: List[str] = field(default_factory=list)
    buttons: List[Dict[str, str]] = field(default_factory=list)
    speech_rate: str = "normal"  # slow | normal | fast
    options: List[int] = field(default_factory=list)  # the numbers a person may say now
    intent: Optional[str] = None  # what the assistant took the message for
    busy: bool = False  # the assistant could not answer; try again later

    @property
    def text(self) -> str:
        """The replies as one block of text (buttons are numbered in the text)."""
        return "\n".join(self.texts)

    @property
    def choosing(self) -> bool:
        """A numbered list is open."""
        return bool(self.options)

    @classmethod
    def from_rest(cls, messages: Any) -> "Reply":
        """A Rasa REST reply (a list of messages, the turn's state among them)."""
        reply = cls()
        if not isinstance(messages, list):
            return cls(texts=[BUSY], busy=True)
        for message in messages:
            if not isinstance(message, dict):
                continue
            state = (message.get("custom") or {}).get(STATE_KEY) if isinstance(message.get("custom"), dict) else None
            if isinstance(state, dict):
                reply.speech_rate = state.get("speech_rate") or "normal"
                reply.options = [n for n in state.get("options") or [] if isinstance(n, int)]
                reply.busy = bool(state.get("busy"))
                reply.intent = state.get("intent") if isinstance(state.get("intent"), str) else None
                continue
            if message.get("text"):
                reply.texts.append(message["text"])
            reply.buttons += message.get("buttons") or []
        return reply

    @classmethod
    def down(cls) -> "Reply":
        """What a door says when the assistant does not answer at all."""
        return cls(texts=[BUSY], busy=True)


def without_state(messages: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The messages a person sees: the turn's state left out."""
    return [m for m in messages if not (isinstance(m.get("custom"), dict) and STATE_KEY in m["custom"])]


class Assistant(Protocol):
    """What a door needs of the assistant."""

    def send(self, sender: str, text: str) -> Reply:
        """One message from one person (``sender``: that person's conversation)."""

    def parse(self, text: str) -> Dict[str, Any]:
        """What the assistant's NLU makes of ``text`` (``intent``, ``intent_ranking``),
        touching no conversation: used to decide whether a hearing was understood."""
