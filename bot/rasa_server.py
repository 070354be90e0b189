"""Run Rasa's own command line with two fixes for its hot path.

    python -m bot.rasa_server run --model models/jiuye.tar.gz ...

Measured with py-spy on a turn that calls the action server (2 cores):
- ``RemoteAction._validate_action_result`` calls ``jsonschema.validate``, which
  re-checks the *schema* against the meta-schema on every call: 60% of the
  server's time. We build the validator once; every response is still validated.
- ``Event.resolve_by_type`` walks all Event subclasses for every event of every
  tracker it deserialises: about 10%. We look the class up in a table built once
  from the same subclasses (events cannot gain subclasses at run time).
Behaviour is unchanged; tests/test_rasa_server.py checks both patches.

One behaviour is added: when the action server cannot be reached or fails, Rasa
would log the error and answer nothing. A person then hears silence. Instead the
turn answers "系统暂时忙，请稍后再试，或拨打12385。" (form validation rejections,
which Rasa handles itself, are passed on unchanged).
"""
from __future__ import annotations

import sys
from typing import Any, Dict, Optional, Text, Type


def patch_action_validation() -> None:
    from jsonschema import ValidationError
    from jsonschema.validators import validator_for
    from rasa.core.actions.action import RemoteAction
    from rasa.shared.constants import DOCS_BASE_URL

    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)
    validator = validator_class(schema)

    def _validate_action_result(self, result: Dict[Text, Any]) -> bool:
        try:
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


def main() -> None:
    patch_action_validation()
    patch_event_lookup()
    patch_action_failure()
    from rasa.__main__ import main as rasa_main

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
