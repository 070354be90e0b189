"""The two hot-path patches in bot/rasa_server.py keep Rasa's behaviour."""
from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.shared.core import events

from bot import rasa_server


@pytest.fixture(scope="module", autouse=True)
def patched():
    original_validate = RemoteAction._validate_action_result
    original_resolve = events.Event.resolve_by_type
    rasa_server.patch_action_validation()
    rasa_server.patch_event_lookup()
    yield
    RemoteAction._validate_action_result = original_validate
    events.Event.resolve_by_type = original_resolve


def test_valid_action_response_passes():
    action = RemoteAction("action_x", None)
    good = {"events": [{"event": "slot", "name": "a", "value": 1}], "responses": [{"text": "hi"}]}
    assert action._validate_action_result(good) is True


def test_invalid_action_response_is_still_rejected():
    action = RemoteAction("action_x", None)
    with pytest.raises(jsonschema.ValidationError) as error:
        action._validate_action_result({"events": "not a list", "responses": []})
    assert "Failed to validate Action server response" in error.value.message


@pytest.mark.parametrize("name", ["user", "bot", "slot", "action", "session_started", "reset_slots"])
def test_event_lookup_finds_the_same_classes(name):
    import rasa.shared.utils.common

    expected = next(
        c for c in rasa.shared.utils.common.all_subclasses(events.Event) if c.type_name == name
    )
    assert events.Event.resolve_by_type(name) is expected


def test_event_lookup_keeps_defaults_and_errors():
    assert events.Event.resolve_by_type("topic") is None
    assert events.Event.resolve_by_type("nope", default=events.SlotSet) is events.SlotSet
    with pytest.raises(ValueError):
        events.Event.resolve_by_type("nope")


def test_unreachable_action_server_answers_busy():
    import asyncio

    from rasa.core.actions.action import RemoteAction
    from rasa.shared.core.domain import Domain
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.utils.endpoints import EndpointConfig

    from actions.messages import BUSY
    from bot.stack import free_port

    original = RemoteAction.run
    rasa_server.patch_action_failure()
    try:
        action = RemoteAction("action_answer_topic", EndpointConfig(f"http://127.0.0.1:{free_port()}/webhook"))
        tracker = DialogueStateTracker("someone", [])
        events = asyncio.run(action.run(None, None, tracker, Domain.empty()))
    finally:
        RemoteAction.run = original
    assert [e.text for e in events] == [BUSY]
