"""The patches in bot/server/patches/ keep Rasa's behaviour, and run only on the versions
they were written for."""
from __future__ import annotations

import importlib

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction
from rasa.shared.core import events

from bot.server import patches
from bot.server.patches import (
    action_failure,
    action_validation,
    endpoint_session,
    event_lookup,
    graph_runner,
    rule_memo,
    slot_copy,
    tf_predict,
)


@pytest.fixture(scope="module", autouse=True)
def patched():
    original_validate = RemoteAction._validate_action_result
    original_resolve = events.Event.resolve_by_type
    action_validation.apply()
    event_lookup.apply()
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

    from bot.stack import free_port
    from jiuye.messages import BUSY

    original = RemoteAction.run
    action_failure.apply()
    try:
        action = RemoteAction("action_answer_topic", EndpointConfig(f"http://127.0.0.1:{free_port()}/webhook"))
        tracker = DialogueStateTracker("someone", [])
        events = asyncio.run(action.run(None, None, tracker, Domain.empty()))
    finally:
        RemoteAction.run = original
    assert [e.text for e in events] == [BUSY]


# ---- the hot-path patches keep Rasa's results ------------------------------------------

def test_validation_by_event_type_agrees_with_the_full_schema():
    """Every response the fast check passes is valid by the full schema, every valid
    one here passes it, and invalid ones still get Rasa's error."""
    from jsonschema.validators import validator_for

    schema = RemoteAction.action_response_format_spec()
    full = validator_for(schema)(schema)
    surely_valid = action_validation._valid_by_event_type(schema, validator_for(schema))
    valid = [
        {"events": [], "responses": []},
        {"responses": [{"text": "好", "buttons": [{"title": "一 烟草证", "payload": "/ask_tobacco_licence"}]}]},
        {"events": [{"event": "slot", "timestamp": None, "name": "detail", "value": True},
                    {"event": "slot", "name": "last_topic", "value": None},
                    {"event": "followup", "name": "action_listen"},
                    {"event": "active_loop", "name": None},
                    {"event": "action", "name": "action_listen", "policy": None, "confidence": 1.0},
                    {"event": "user", "text": "二", "parse_data": {"intent": {"name": "choose_number", "confidence": 1.0},
                                                                  "entities": [{"entity": "number", "value": 2}]}},
                    {"event": "bot", "text": "您好", "data": {}, "metadata": {}},
                    {"event": "reset_slots"}, {"event": "restart"}, {"event": "session_started"}],
         "responses": []},
    ]
    invalid = [
        {"events": "not a list", "responses": []},
        {"events": [{"event": "slot", "name": "detail"}], "responses": []},  # no value
        {"events": [{"event": "no_such_event"}], "responses": []},
        {"events": [{"event": ["slot"], "name": "x", "value": 1}], "responses": []},
        {"events": [{"name": "x", "value": 1}], "responses": []},  # no event name
        {"events": [{"event": "slot", "name": 3, "value": 1}], "responses": []},
        {"events": [{"event": "user", "parse_data": {"entities": [{"value": 1}]}}], "responses": []},
        {"events": [{"event": "slot", "name": "x", "value": 1, "timestamp": "noon"}], "responses": []},
        {"events": [], "responses": "nope"},
        ["not", "an", "object"],
    ]
    for response in valid:
        assert full.is_valid(response) and surely_valid(response), response
    action = RemoteAction("action_x", None)
    for response in invalid:
        assert not full.is_valid(response) and not surely_valid(response), response
        with pytest.raises(jsonschema.ValidationError):
            action._validate_action_result(response)


def test_slot_copy_is_the_shallow_copy_python_makes():
    import copy

    from rasa.shared.core.slots import AnySlot, BooleanSlot, CategoricalSlot, FloatSlot, ListSlot, TextSlot

    original_copy = [cls for cls in (AnySlot,) if "__copy__" in cls.__dict__]
    assert not original_copy
    slots = [TextSlot("a", [], initial_value="x"), BooleanSlot("b", []), FloatSlot("c", [], max_value=5),
             ListSlot("d", [], initial_value=[1]), CategoricalSlot("e", [], values=["一", "二"]), AnySlot("f", [])]
    for slot in slots:
        slot.value = slot.value  # has_been_set, as after a SlotSet
    plain = [copy.copy(slot) for slot in slots]
    slot_copy.apply()
    from rasa.shared.core.slots import Slot
    try:
        fast = [copy.copy(slot) for slot in slots]
    finally:
        del Slot.__copy__
    for slot, a, b in zip(slots, plain, fast):
        assert type(b) is type(slot) and b is not slot and vars(b) == vars(a) == vars(slot)
        b.value = "changed"
        assert slot.value != "changed"


@pytest.fixture(scope="module")
def agent():
    """The trained model, in this process (NLU and policies; no action server)."""
    import asyncio

    from rasa.core.agent import load_agent

    from bot.stack import MODEL

    if not MODEL.exists():
        pytest.fail("no trained model: run `make test`, which trains it first")
    return asyncio.run(load_agent(str(MODEL)))


@pytest.mark.slow
def test_graph_runner_and_tf_call_give_the_same_parse(agent):
    import asyncio

    from rasa.engine.runner.dask import DaskGraphRunner
    from rasa.utils.tensorflow.models import RasaModel

    from tests import nlu_files
    from tests.conftest import ROOT

    texts = [e for _, items in sorted(nlu_files.read(ROOT / "tests" / "nlu").items()) for e in items]
    texts += ["", "🙂🙂", "？？？", "x" * 5000, "殘疾人能申請菸草證嗎", "ok 残保金 how much"]

    async def parse_all():
        return [await agent.parse_message(text) for text in texts]

    def summary(parsed):
        return [(p["intent"]["name"], p["intent"]["confidence"], [(r["name"], r["confidence"]) for r in p["intent_ranking"]],
                p["entities"]) for p in parsed]

    before = summary(asyncio.run(parse_all()))
    originals = DaskGraphRunner.run, RasaModel._rasa_predict
    graph_runner.apply()
    tf_predict.apply()
    try:
        after = summary(asyncio.run(parse_all()))
        again = summary(asyncio.run(parse_all()))  # the traced graph called directly from now on
    finally:
        DaskGraphRunner.run, RasaModel._rasa_predict = originals
    assert len(before) > 250
    assert after == before and again == before


@pytest.mark.slow
def test_rule_keys_remembered_are_the_rule_keys_found(agent):
    """The memo (keyed on the latest states, as long as the longest rule) answers as
    Rasa's own filter does, for every learnt rule's states, with and without older
    states before them, the first time and when remembered."""
    import json
    import random

    from rasa.core.policies.rule_policy import RULES, RULES_FOR_LOOP_UNHAPPY_PATH, RulePolicy

    nodes = agent.processor.graph_runner._instantiated_nodes.values()
    policy = next(node._component for node in nodes if isinstance(node._component, RulePolicy))
    original = RulePolicy._get_possible_keys
    rng = random.Random(7)
    cases = []
    for table in (RULES, RULES_FOR_LOOP_UNHAPPY_PATH):
        lookup = policy.lookup[table]
        keys = sorted(lookup)
        for key in keys[:150]:
            states = json.loads(key)
            older = json.loads(rng.choice(keys))
            unknown = {"prev_action": {"action_name": "action_listen"}, "user": {"intent": "no_such_intent"}}
            cases += [(lookup, states), (lookup, older + states), (lookup, states[1:]),
                      (lookup, states[:-1] + [unknown])]
    expected = [original(policy, lookup, states) for lookup, states in cases]
    assert any(expected) and not all(expected)  # some states match rules, some do not
    rule_memo.apply()
    try:
        first = [policy._get_possible_keys(lookup, states) for lookup, states in cases]
        remembered = [policy._get_possible_keys(lookup, states) for lookup, states in cases]
    finally:
        RulePolicy._get_possible_keys = original
        policy.__dict__.pop("_jiuye_rule_memo", None)
    assert first == expected and remembered == expected


def test_action_calls_keep_one_connection_and_survive_a_server_restart():
    import asyncio

    import rasa.core.run
    from aiohttp import web
    from rasa.utils.endpoints import EndpointConfig

    from bot.stack import free_port

    port = free_port()
    connections = []

    async def answer(request):
        return web.json_response({"events": [], "responses": [{"text": await request.text()}]})

    async def serve():
        app = web.Application()
        app.router.add_post("/webhook", answer)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", port)
        await site.start()
        return runner

    async def scenario():
        runner = await serve()
        endpoint = EndpointConfig(f"http://127.0.0.1:{port}/webhook")
        replies = [await endpoint.request(json={"n": n}) for n in range(5)]
        session = endpoint._jiuye_session[1]
        connections.append(len(session.connector._conns))  # kept, idle connections
        await runner.cleanup()  # the action server restarts: the kept connection is closed
        runner = await serve()
        replies.append(await endpoint.request(json={"n": 5}))
        await rasa.core.run.close_resources(type("App", (), {"ctx": object()})(), asyncio.get_running_loop())
        closed = session.closed
        await runner.cleanup()
        return replies, closed

    originals = EndpointConfig.session, EndpointConfig.request, rasa.core.run.close_resources
    endpoint_session.apply()
    try:
        replies, closed = asyncio.run(scenario())
    finally:
        EndpointConfig.session, EndpointConfig.request, rasa.core.run.close_resources = originals
    assert [r["responses"][0]["text"] for r in replies] == [f'{{"n": {n}}}' for n in range(6)]
    assert connections == [1]  # five calls, one connection
    assert closed  # closed when the server stops


# ---- each patch runs only on the versions it was written for -----------------------------
def test_versions_match_the_release_or_its_patch_releases():
    assert patches.matches({"tensorflow": "2.12"}, {"tensorflow": "2.12.1"})
    assert not patches.matches({"tensorflow": "2.12"}, {"tensorflow": "2.13.0"})
    assert patches.matches({"rasa": "3.6.21"}, {"rasa": "3.6.21"})
    assert not patches.matches({"rasa": "3.6.21"}, {"rasa": "3.6.2"})
    installed = patches.installed_versions()  # the pins are the versions every patch was written for
    assert all(patches.matches(importlib.import_module(f"bot.server.patches.{name}").WRITTEN_FOR, installed)
               for name in patches.PATCHES)


def test_a_patch_written_for_another_rasa_is_skipped_with_a_warning(monkeypatch, caplog):
    called = []
    for name in patches.PATCHES:
        monkeypatch.setattr(importlib.import_module(f"bot.server.patches.{name}"), "apply",
                            lambda name=name: called.append(name))
    monkeypatch.setattr(patches, "installed_versions", lambda: {"rasa": "3.7.0", "tensorflow": "2.12.0"})
    with caplog.at_level("WARNING"):
        assert patches.apply_all() == [] and not called
    assert caplog.text.count("skipped") == len(patches.PATCHES)
    monkeypatch.setattr(patches, "installed_versions", lambda: {"rasa": "3.6.21", "tensorflow": "2.12.0"})
    assert patches.apply_all() == list(patches.PATCHES) and called == list(patches.PATCHES)
