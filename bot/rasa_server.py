"""Run Rasa's own command line with fixes for its hot path.

    python -m bot.rasa_server run --model models/jiuye.tar.gz ...

Measured with py-spy and cProfile on turns that call the action server (2 cores):
- ``RemoteAction._validate_action_result`` calls ``jsonschema.validate``, which
  re-checks the *schema* against the meta-schema on every call: 60% of the
  server's time. We build the validator once; every response is still validated,
  and an event is checked against the one ``oneOf`` branch its name allows instead
  of all ~25 (0.8 -> 0.1 ms a response; an invalid one gets the full validation and
  Rasa's own error).
- ``Event.resolve_by_type`` walks all Event subclasses for every event of every
  tracker it deserialises: about 10%. We look the class up in a table built once
  from the same subclasses (events cannot gain subclasses at run time).
- ``Slot`` objects are copied with ``copy.copy`` every time a tracker is made
  (reading a conversation, and the RulePolicy's walk over its earlier states):
  about 60 slots each time, through ``__reduce_ex__``. ``Slot.__copy__`` does the
  same shallow copy of the attributes directly.
- ``RulePolicy._get_possible_keys`` filters every rule against every state of the
  conversation, twice per prediction (text, then intent). Its answer depends only
  on the rule table, fixed once the model is loaded, and on as many of the latest
  states as the longest rule has; those repeat from one conversation to the next,
  so we remember the answers (bounded) and never walk older states.
- ``EndpointConfig.request`` opened a new HTTP session, and so a new TCP
  connection, for every call to the action server. One session per event loop
  now keeps the connection alive (closed when the server stops); a request that
  finds its kept connection closed by the server is sent once more on a new one.
- ``DaskGraphRunner.run`` prunes the graph schema and hands it to dask's scheduler
  three times a turn (the NLU, then two predictions): about 0.3 ms each. We prune
  once per set of targets and call the same nodes, with the same inputs, in
  dependency order.
- DIET's prediction goes through ``tf.function``, which canonicalises and casts its
  inputs against the signature on every call (half of the call). After the first
  call we call the traced graph itself with the same tensors, once they are
  checked against that signature; anything else takes TensorFlow's own path.
In-process, 8 × 150 turns of the unseen test phrasings in 10-turn conversations,
patches on and off in turn: Rasa's CPU per turn 14.2 -> 9.9 ms (median) for the
one-branch validation and the last five together. Each keeps Rasa's results
(tests/test_rasa_server.py).

One behaviour is added: when the action server cannot be reached or fails, Rasa
would log the error and answer nothing. A person then hears silence. Instead the
turn answers "系统暂时忙，请稍后再试，或拨打12385。" (form validation rejections,
which Rasa handles itself, are passed on unchanged).
"""
from __future__ import annotations

import asyncio
import sys
from typing import Any, Dict, FrozenSet, List, Optional, Text, Tuple, Type

# Rule-key answers remembered per policy; states repeat, so this is rarely reached.
RULE_MEMO_SIZE = 20_000
# Below Sanic's own keep-alive (5 s), so that the client rarely reuses a connection
# the action server is closing.
KEEPALIVE_SECONDS = 2.0
_kept_sessions: Dict[Any, List[Any]] = {}  # event loop -> the HTTP sessions kept on it


def _valid_by_event_type(schema: Dict[Text, Any], validator_class: Any) -> Any:
    """A check that a response is valid, equivalent to ``schema``'s but cheaper.

    Each event must match exactly one of the ``oneOf`` branches of the event schema,
    and every branch requires its own ``event`` name (a ``const``). jsonschema tries
    every branch, building an error for each one that fails (~25 per event). An
    event of a known name can only match its own branch, so checking that branch
    alone gives the same answer. Returns a function that says True only for a
    valid response; False means "run the full validation". Where the schema is not
    of that shape, it always says False.
    """
    events = (schema.get("properties") or {}).get("events") or {}
    item = events.get("items")
    branches = item.get("oneOf") if isinstance(item, dict) else None
    names = [((b.get("properties") or {}).get("event") or {}).get("const") for b in branches or []]
    if (not branches or set(events) - {"type", "items"} or set(schema) - {"type", "properties"}
            or not all(isinstance(n, str) for n in names) or len(set(names)) != len(names)):
        return lambda result: False
    outer = validator_class({**schema, "properties": {**schema["properties"],
                                                      "events": {"type": events.get("type", "array")}}})
    by_name = {name: validator_class({**item, "oneOf": [branch]}) for name, branch in zip(names, branches)}

    def surely_valid(result: Any) -> bool:
        if not outer.is_valid(result):
            return False
        for event in (result.get("events") or []):
            name = event.get("event") if isinstance(event, dict) else None
            if not isinstance(name, str) or name not in by_name or not by_name[name].is_valid(event):
                return False
        return True

    return surely_valid


def patch_action_validation() -> None:
    from jsonschema import ValidationError
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.constants import DOCS_BASE_URL

    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)
    surely_valid = _valid_by_event_type(schema, validator_class)

    def _validate_action_result(self, result: Dict[Text, Any]) -> bool:
        if surely_valid(result):
            return True
        try:  # invalid: the full validation, for Rasa's own error
            validator.validate(result)
            return True
        except ValidationError as error:
            error.message += (
                ". Failed to validate Action server response from API, make sure your "
                "response from the Action endpoint is valid. For more information about "
                f"the format visit {DOCS_BASE_URL}/custom-actions"
            )
            raise error

    RemoteAction._validate_action_result = _validate_action_result


def patch_event_lookup() -> None:
    import rasa.shared.utils.common
    from rasa.shared.core import events

    original = events.Event.resolve_by_type
    table: Dict[Text, Type[events.Event]] = {}
    for cls in rasa.shared.utils.common.all_subclasses(events.Event):
        table.setdefault(cls.type_name, cls)  # first match wins, as in the original loop

    def resolve_by_type(
        type_name: Text, default: Optional[Type[events.Event]] = None
    ) -> Optional[Type[events.Event]]:
        found = table.get(type_name)
        return found if found is not None else original(type_name, default)

    events.Event.resolve_by_type = staticmethod(resolve_by_type)


def patch_action_failure() -> None:
    import logging

    from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
    from rasa.shared.core.events import BotUttered
    from rasa.shared.exceptions import RasaException

    from actions.messages import BUSY

    original = RemoteAction.run
    logger = logging.getLogger(__name__)

    async def run(self, output_channel, nlg, tracker, domain):
        try:
            return await original(self, output_channel, nlg, tracker, domain)
        except ActionExecutionRejection:
            raise
        except RasaException as error:
            logger.error("action %s failed, answering busy: %s", self.name(), error)
            return [BotUttered(text=BUSY, data={}, metadata={})]

    RemoteAction.run = run


def patch_slot_copy() -> None:
    from rasa.shared.core.slots import Slot

    def __copy__(self: Slot) -> Slot:  # what copy.copy does for a plain object
        new = self.__class__.__new__(self.__class__)
        new.__dict__.update(self.__dict__)
        return new

    Slot.__copy__ = __copy__


def patch_rule_lookup_memo() -> None:
    import json

    from rasa.core.policies.rule_policy import RulePolicy

    original = RulePolicy._get_possible_keys

    def _get_possible_keys(self, lookup: Dict[Text, Text], states: List[Dict]) -> set:
        # A rule is only checked against as many of the latest states as it is long
        # (``_is_rule_applicable`` keeps it for any older state), so the answer
        # depends only on the latest ``longest`` states.
        longest_by_table = self.__dict__.setdefault("_jiuye_rule_lengths", {})
        longest = longest_by_table.get(id(lookup))
        if longest is None:
            longest = longest_by_table[id(lookup)] = max((len(json.loads(k)) for k in lookup), default=0)
        latest = states[-longest:] if longest else []
        memo: Dict[Tuple[int, Text], FrozenSet[Text]] = self.__dict__.setdefault("_jiuye_rule_memo", {})
        # States as Rasa keys its own rules: JSON with sorted keys.
        key = (id(lookup), json.dumps(latest, sort_keys=True))
        found = memo.get(key)
        if found is None:
            if len(memo) >= RULE_MEMO_SIZE:
                memo.clear()
            found = memo[key] = frozenset(original(self, lookup, latest))
        return set(found)

    RulePolicy._get_possible_keys = _get_possible_keys


def patch_endpoint_session() -> None:
    import aiohttp
    from rasa.utils.endpoints import DEFAULT_REQUEST_TIMEOUT, EndpointConfig

    class _Kept:
        """``async with`` on a shared session, which must not close it."""

        def __init__(self, session: aiohttp.ClientSession) -> None:
            self.session = session

        async def __aenter__(self) -> aiohttp.ClientSession:
            return self.session

        async def __aexit__(self, *exc: Any) -> None:
            return None

    def session(self: EndpointConfig) -> _Kept:
        loop = asyncio.get_running_loop()
        kept = self.__dict__.get("_jiuye_session")
        if kept is None or kept[0] is not loop or kept[1].closed:
            auth = None
            if self.basic_auth:
                auth = aiohttp.BasicAuth(self.basic_auth["username"], self.basic_auth["password"])
            kept = (loop, aiohttp.ClientSession(
                headers=self.headers,
                auth=auth,
                timeout=aiohttp.ClientTimeout(total=DEFAULT_REQUEST_TIMEOUT),
                connector=aiohttp.TCPConnector(keepalive_timeout=KEEPALIVE_SECONDS),
            ))
            self.__dict__["_jiuye_session"] = kept
            _kept_sessions.setdefault(loop, []).append(kept[1])
        return _Kept(kept[1])

    original_request = EndpointConfig.request

    async def request(self: EndpointConfig, *args: Any, **kwargs: Any) -> Optional[Any]:
        try:
            return await original_request(self, *args, **kwargs)
        except aiohttp.ClientConnectorError:  # nothing listens: no kept connection was used
            raise
        except (aiohttp.ServerDisconnectedError, aiohttp.ClientOSError):
            # The kept connection was closed by the server before it answered.
            return await original_request(self, *args, **kwargs)

    import rasa.core.run

    original_close = rasa.core.run.close_resources

    async def close_resources(app: Any, loop: asyncio.AbstractEventLoop) -> None:
        await original_close(app, loop)
        for kept in _kept_sessions.pop(loop, []):
            await kept.close()

    EndpointConfig.session = session
    EndpointConfig.request = request
    rasa.core.run.close_resources = close_resources  # Sanic's after_server_stop listener


def patch_graph_runner() -> None:
    from rasa.engine.exceptions import GraphRunError
    from rasa.engine.runner.dask import DaskGraphRunner

    def _order(self: DaskGraphRunner, targets: Tuple[Text, ...]) -> List[Tuple[Text, Any, List[Text]]]:
        """The nodes the targets need, each after the nodes it needs: (name, node, needs)."""
        orders = self.__dict__.setdefault("_jiuye_orders", {})
        if targets not in orders:
            schema = self._graph_schema.minimal_graph_schema(list(targets))
            order: List[Tuple[Text, Any, List[Text]]] = []
            placed: set = set()

            def place(name: Text) -> None:
                if name in placed or name not in schema.nodes:
                    return
                placed.add(name)
                needs = list(schema.nodes[name].needs.values())
                for need in needs:
                    place(need)
                order.append((name, self._instantiated_nodes[name], needs))

            for target in targets:
                place(target)
            orders[targets] = order
        return orders[targets]

    def run(self: DaskGraphRunner, inputs: Optional[Dict[Text, Any]] = None,
            targets: Optional[List[Text]] = None) -> Dict[Text, Any]:
        run_targets = tuple(targets if targets else self._graph_schema.target_names)
        values: Dict[Text, Any] = {}
        for name, value in (inputs or {}).items():
            if isinstance(value, str) and value in self._graph_schema.nodes:
                raise GraphRunError(
                    f"Input value '{value}' clashes with a node name. Make sure that none of "
                    f"the input names passed to the `run` method are the same as node names "
                    f"in the graph schema."
                )
            values[name] = (name, value)  # what dask hands the nodes for an input
        try:
            for name, node, needs in _order(self, run_targets):
                if name not in values:  # an input of that name stands in for the node, as in dask
                    values[name] = node(*(values.get(need, need) for need in needs))
        except RuntimeError as e:
            raise GraphRunError("Error running runner.") from e
        return dict(values[target] for target in run_targets)  # nodes return (name, output)

    DaskGraphRunner.run = run


def patch_tf_predict_call() -> None:
    import tensorflow as tf
    from keras.utils import tf_utils
    from rasa.shared.constants import DIAGNOSTIC_DATA
    from rasa.utils.tensorflow.models import RasaModel

    original = RasaModel._rasa_predict

    def _rasa_predict(self: RasaModel, batch_in: Tuple[Any, ...]) -> Dict[Text, Any]:
        concrete = self.__dict__.get("_jiuye_concrete")
        if concrete is None:
            outputs = original(self, batch_in)  # traces the graph on the first call
            if not self._run_eagerly and self._tf_predict_step is not None:
                concrete = self.__dict__["_jiuye_concrete"] = self._tf_predict_step.get_concrete_function()
                self.__dict__["_jiuye_specs"] = tf.nest.flatten(concrete.structured_input_signature[0])
            return outputs
        tensors = [tf.convert_to_tensor(x) for x in tf.nest.flatten(batch_in)]
        specs = self.__dict__["_jiuye_specs"]
        if len(tensors) != len(specs) or not all(s.is_compatible_with(t) for s, t in zip(specs, tensors)):
            return original(self, batch_in)  # TF's own checks, casts and errors
        outputs = tf_utils.sync_to_numpy_or_python_type(concrete._call_flat(tensors, concrete.captured_inputs))
        if DIAGNOSTIC_DATA in outputs:
            outputs[DIAGNOSTIC_DATA] = self._empty_lists_to_none_in_dict(outputs[DIAGNOSTIC_DATA])
        return outputs

    RasaModel._rasa_predict = _rasa_predict


def main() -> None:
    patch_action_validation()
    patch_event_lookup()
    patch_action_failure()
    patch_slot_copy()
    patch_rule_lookup_memo()
    patch_endpoint_session()
    patch_graph_runner()
    patch_tf_predict_call()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
