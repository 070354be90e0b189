"""End to end: the conversations of tests/e2e/conversations.yml through the real servers."""
from __future__ import annotations

import pytest

from tests import conversations

pytestmark = pytest.mark.slow
CONVERSATIONS = conversations.load()


def test_the_conversations_cover_every_check_and_what_people_do():
    assert len(CONVERSATIONS) >= 30
    names = " ".join(c["name"] for c in CONVERSATIONS)
    for what in ("levy", "tobacco", "lottery", "loan", "dibao", "tax", "quota member", "auxiliary",
                 "correction", "cancel", "stale", "double press", "consent"):
        assert what in names, what


@pytest.mark.parametrize("conversation", CONVERSATIONS, ids=lambda c: c["name"])
def test_conversation(stack, conversation):
    failure = conversations.run(stack.url, conversation)
    assert failure is None, failure
