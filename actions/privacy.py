"""Consent to keep a case record, and 删除我的数据.

A check's result is kept in the case ledger only after the person agreed, asked once
in one sentence (``ask_consent``); 删除我的数据 deletes every record and, through the
slot ``forget_me``, the conversation itself (bot/server/tracker_store.py).
"""
from __future__ import annotations

import logging
from typing import Any, Dict, Text

from rasa_sdk import Action
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.dialogue import (
    SLOT_FORGET,
    SLOT_LAST_TOPIC,
    SLOT_OPTIONS,
    Events,
    Option,
    choice,
    leave_form,
    numbered_list,
    on_option,
)
from jiuye import ledger, messages

logger = logging.getLogger(__name__)
SLOT_PENDING = "pending_record"


def ask_consent(dispatcher: CollectingDispatcher, sender: str, result: Dict[str, Any],
                inputs: Dict[str, Any]) -> Events:
    """Keep a result if the person agreed before; ask once if they were never asked."""
    agreed = ledger.consent(sender)
    if agreed:
        ledger.record_check(sender, result, inputs)
        dispatcher.utter_message(text=messages.RECORDED)
        return []
    if agreed is None:
        options = numbered_list(
            dispatcher, messages.CONSENT_ASK,
            [choice(1, messages.CONSENT_YES, Option("consent", "yes", means=True)),
             choice(2, messages.CONSENT_NO, Option("consent", "no", means=False))],
        )
        return options + [SlotSet(SLOT_PENDING, {"result": result, "inputs": inputs})]
    return []


@on_option("consent")
def answer_consent(dispatcher, tracker, option: Option) -> Events:
    """The answer to the consent question: keep the pending result, or nothing."""
    given = option.value == "yes"
    pending = tracker.get_slot(SLOT_PENDING) or {}
    done = [SlotSet(SLOT_OPTIONS, None), SlotSet(SLOT_PENDING, None)]
    try:
        ledger.set_consent(tracker.sender_id, given)
        if given and pending.get("result"):
            ledger.record_check(tracker.sender_id, pending["result"], pending.get("inputs") or {})
    except Exception:
        logger.exception("could not record consent")
        dispatcher.utter_message(text=messages.LEDGER_DOWN)
        return done
    dispatcher.utter_message(text=messages.CONSENT_GIVEN if given else messages.CONSENT_REFUSED)
    return done


@on_option("delete")
def delete_my_data(dispatcher, tracker, option: Option) -> Events:
    if option.value != "yes":
        dispatcher.utter_message(text=messages.DELETE_CANCELLED)
        return [SlotSet(SLOT_OPTIONS, None)]
    try:
        rows = ledger.delete_person(tracker.sender_id)
    except Exception:
        logger.exception("could not delete a person's records")
        dispatcher.utter_message(text=messages.DELETE_FAILED)
        return []
    text = messages.DELETED.format(rows=rows) if rows else messages.NOTHING_TO_DELETE
    dispatcher.utter_message(text=text)
    # The Rasa server's tracker store deletes the conversation when it sees this slot.
    return [SlotSet(SLOT_OPTIONS, None), SlotSet(SLOT_LAST_TOPIC, None), SlotSet(SLOT_FORGET, True)]


class ActionDeleteMyData(Action):
    """删除我的数据: ask to confirm by number, then delete (``delete_my_data``)."""

    def name(self) -> Text:
        return "action_delete_my_data"

    def run(self, dispatcher, tracker, domain) -> Events:
        options = numbered_list(
            dispatcher,
            messages.DELETE_CONFIRM,
            [choice(1, messages.DELETE_YES, Option("delete", "yes", means=True))],
            zero=choice(0, messages.DELETE_NO, Option("delete", "no", means=False)),
        )
        return options + leave_form(tracker)
