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
    """None when every turn got what it expects, else what went wrong (turn, said, heard)."""
    sender = f"conv-{uuid.uuid4().hex[:10]}"
    for n, turn in enumerate(conversation["turns"], 1):
        replies = rest_client.send(url, sender, str(turn["say"]))
        text = rest_client.as_text(replies)
        if not replies:
            return f"turn {n} {turn['say']!r}: no reply"
        missing = [str(t) for t in turn.get("expect") or [] if str(t) not in text]
        present = [str(t) for t in turn.get("absent") or [] if str(t) in text]
        if missing or present:
            return f"turn {n} {turn['say']!r}: missing {missing}, should not say {present}; said {text!r}"
    return None
