"""人工: how to reach a person, and a pseudonymous record of the request."""
from __future__ import annotations

import logging
from typing import Text

from rasa_sdk import Action

from actions.dialogue import SLOT_LAST_TOPIC, Events
from jiuye import ledger, messages

logger = logging.getLogger(__name__)


class ActionHandoff(Action):
    def name(self) -> Text:
        return "action_handoff"

    def run(self, dispatcher, tracker, domain) -> Events:
        text = messages.HANDOFF
        try:
            ledger.record_handoff(tracker.sender_id, tracker.get_slot(SLOT_LAST_TOPIC))
            text += "\n" + messages.HANDOFF_RECORDED
        except Exception:  # the person still gets the phone number
            logger.exception("could not record a handoff request")
        dispatcher.utter_message(text=text)
        return []
