"""Whole conversations from tests/e2e/conversations.yml, run against a live assistant over
HTTP: by tests/test_conversations.py, and by scripts/bench.py for the pass rate."""
from __future__ import annotations

import uuid
from pathlib import Path
from typing import List, Optional

import yaml

from bot.doors import rest_client

FILE = Path(__file__).resolve().parent / "e2e" / "conversations.yml"


def load() -> List[dict]:
    return yaml.safe_load(FILE.read_text("utf-8"))["conversations"]


def run(url: str, conversation: dict) -> Optional[str]:
    """None when every turn got what it expects, else what went wrong (turn, said, heard).

    A turn says a message (``say``), presses button N of the last reply that had
    buttons (``press: N``: an old button when a later reply had none) or sends the
    previous turn's message again (``again: true``, a double press); ``silent: true``
    expects no reply at all; ``once`` lists texts said exactly once."""
    sender = f"conv-{uuid.uuid4().hex[:10]}"
    buttons: dict = {}
    said = ""
    for n, turn in enumerate(conversation["turns"], 1):
        if turn.get("again"):  # the same message or button once more
            pass
        elif "press" in turn:
            said = next((payload for title, payload in buttons.items() if title.startswith(f"{turn['press']} ")), None)
            if said is None:
                return f"turn {n}: no button {turn['press']} to press"
        else:
            said = str(turn["say"])
        replies = rest_client.send(url, sender, said)
        text = rest_client.as_text(replies)
        pressed = {b["title"]: b["payload"] for r in replies for b in r.get("buttons") or []}
        buttons = pressed or buttons
        if turn.get("silent"):
            if replies:
                return f"turn {n} {said!r}: should say nothing; said {text!r}"
            continue
        if not replies:
            return f"turn {n} {said!r}: no reply"
        missing = [str(t) for t in turn.get("expect") or [] if str(t) not in text]
        present = [str(t) for t in turn.get("absent") or [] if str(t) in text]
        repeated = [str(t) for t in turn.get("once") or [] if text.count(str(t)) != 1]
        if missing or present or repeated:
            return (f"turn {n} {said!r}: missing {missing}, should not say {present}, "
                    f"not said once {repeated}; said {text!r}")
    return None
