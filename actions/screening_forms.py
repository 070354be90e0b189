"""Eligibility checks in a conversation: one Rasa form per program of data/screenings.yml.

A form asks only the questions that are still open (an answer in the first sentence
counts), reads the answers back once, then runs the rules function and says the result
with a reason for every condition. Shared with the levy form (actions/levy_form.py):

- ``interrupts``: a command or another question in the middle of a form is answered
  by its own rule, then the form asks again;
- ``failed_answer``: after two answers it cannot use, the bot explains what it needs
  with an example, and offers 跳过 and 人工;
- ``finish``: the result, remembered for 为什么, kept in the case record only with
  consent (asked once, in one sentence).
"""
from __future__ import annotations

import logging
import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import ledger, messages, screening
from actions.actions import SLOT_LAST_TOPIC, SLOT_OPTIONS, latest_intent, latest_text, numbered_list
from actions.rules import render
from actions.rules.inputs import InputError
from actions.rules.registry import PROGRAMS

logger = logging.getLogger(__name__)

SLOT_PROGRAM = "screening_program"
SLOT_FAILURES = "failed_answers"
SLOT_RESULT = "last_result"
SLOT_PENDING = "pending_record"
REQUESTED = "requested_slot"
LEVY = "levy"

# Said in the middle of a form, these are commands, not answers.
_COMMAND = re.compile(
    r"人工|菜单|帮助|再说一遍|重复|出处|哪个文件|慢一点|快一点|慢点|快点|正常语速|再见|取消|不算了|"
    r"不查了|算了|退出|删除|为什么|为啥|重新|算错|详细|简单"
)
# Intents that carry no question of their own: not an interruption.
_NOT_A_QUESTION = {"nlu_fallback", "out_of_scope", "choose_number", "empty_message", "affirm", "deny",
                   "calculate_levy", "check_eligibility"}


def is_command(tracker: Tracker) -> bool:
    """再说一遍, 人工, 不算了 …: checked before reading an answer, since
    "再说一遍" holds a number ("一") and "不算了" a "no"."""
    return bool(_COMMAND.search(latest_text(tracker)))


def interrupts(tracker: Tracker) -> bool:
    """A command, or a question the NLU recognised, rather than an answer."""
    return is_command(tracker) or latest_intent(tracker) not in _NOT_A_QUESTION


def failed_answer(dispatcher: CollectingDispatcher, tracker: Tracker, slot: str, explanation: str,
                  error: Optional[str] = None, said_already: bool = False) -> SlotSet:
    """Count a failed answer to ``slot``; from the second one on, explain what is
    needed. ``error`` says what was wrong with it, unless that was ``said_already``."""
    counts = dict(tracker.get_slot(SLOT_FAILURES) or {})
    counts[slot] = counts.get(slot, 0) + 1
    if counts[slot] >= 2:
        dispatcher.utter_message(text=(error or "") + explanation)
    elif not said_already:
        dispatcher.utter_message(text=f"{error}请再说一遍。" if error else messages.NOT_UNDERSTOOD)
    return SlotSet(SLOT_FAILURES, counts)


class ScreeningFormValidation(FormValidationAction):
    """Reads answers for one program's form; subclassed per program below."""

    program_id = ""

    def name(self) -> Text:
        return f"validate_{self.program_id}_form"

    @property
    def program(self) -> screening.Program:
        return screening.default()[self.program_id]

    async def run(self, dispatcher, tracker, domain) -> List[Dict[Text, Any]]:
        if is_command(tracker):
            return []  # the form is rejected; the command's own rule answers
        program = self.program
        text = latest_text(tracker)
        requested = tracker.get_slot(REQUESTED)
        asked = program.question(requested) if requested else None
        found: Dict[str, Any] = {}
        events: List[Dict[Text, Any]] = []
        if asked is not None:
            said = screening.answer(asked, text)
            if said.understood:
                found[asked.slot] = said.value
            elif interrupts(tracker):
                return []  # the form is rejected; the command's own rule answers
            else:
                events.append(failed_answer(dispatcher, tracker, asked.slot, asked.explanation(), said.error))
        for question in program.questions:  # what the same sentence says about other questions
            if question.slot not in found and question is not asked and tracker.get_slot(question.slot) is None:
                value = screening.prefill(question, text)
                if value is not None:
                    found[question.slot] = value
        slots = {**tracker.slots, **found}
        answers = program.answers(slots)
        missing = next((q for q in program.to_ask(answers) if answers[q.name] is None), None)
        events += [SlotSet(slot, value) for slot, value in found.items()]
        events.append(SlotSet(REQUESTED, missing.slot if missing else None))
        return events


def _validation_class(program_id: str) -> type:
    title = "".join(part.title() for part in program_id.split("_"))
    return type(f"Validate{title}Form", (ScreeningFormValidation,), {"program_id": program_id})


FORM_VALIDATIONS = [_validation_class(p) for p in screening.default()]


def start(dispatcher: CollectingDispatcher, tracker: Tracker, program_id: str) -> List[Dict[Text, Any]]:
    """Begin a program's form with its answers cleared."""
    dispatcher.utter_message(text=messages.SCREENING_START)
    if program_id == LEVY:
        from actions import levy_form

        slots = levy_form.SLOTS
        form = "levy_form"
    else:
        slots = screening.default()[program_id].slots
        form = screening.default()[program_id].form
    return ([SlotSet(s, None) for s in slots]
            + [SlotSet(SLOT_PROGRAM, program_id), SlotSet(SLOT_FAILURES, None), SlotSet(SLOT_OPTIONS, None),
               FollowupAction(form)])


def choose_program(dispatcher: CollectingDispatcher) -> List[Dict[Text, Any]]:
    """A numbered list of the checks, when it is not clear which one is meant."""
    items = [(messages.LEVY_CHECK_TITLE, '/choose_number{"number": 1}', "screen:levy")]
    items += [(p.title, f'/choose_number{{"number": {n}}}', f"screen:{p.id}")
              for n, p in enumerate(screening.default().values(), 2)]
    options = numbered_list(dispatcher, messages.WHICH_CHECK, items, zero=(messages.BACK_TO_MENU, "/help", "menu"))
    return [SlotSet(SLOT_OPTIONS, options)]


def program_meant(tracker: Tracker) -> Optional[str]:
    """The check a request names, else the one that belongs to the last topic."""
    text = latest_text(tracker)
    if "残保金" in text or "保障金" in text:
        return LEVY
    named = screening.named_in(text)
    if named:
        return named
    topic = tracker.get_slot(SLOT_LAST_TOPIC)
    if topic in ("levy", "levy_reduction", "quota_ratio"):
        return LEVY
    return screening.for_topic(topic)


class ActionStartScreening(Action):
    """帮我查 / 我符合条件吗: start the check the person means, or ask which one."""

    def name(self) -> Text:
        return "action_start_screening"

    def run(self, dispatcher, tracker, domain):
        program_id = program_meant(tracker)
        if program_id is None:
            return choose_program(dispatcher)
        return start(dispatcher, tracker, program_id)


class ActionScreeningConfirm(Action):
    """All questions answered: read the answers back once before checking."""

    def name(self) -> Text:
        return "action_screening_confirm"

    def run(self, dispatcher, tracker, domain):
        program = screening.default().get(tracker.get_slot(SLOT_PROGRAM) or "")
        if program is None:
            dispatcher.utter_message(text=messages.NO_OPTIONS)
            return []
        options = numbered_list(
            dispatcher,
            program.read_back(program.answers(tracker.slots)),
            [(messages.CONFIRM_GO, '/choose_number{"number": 1}', "screen:go"),
             (messages.CONFIRM_REDO, '/choose_number{"number": 2}', "screen:redo")],
        )
        return [SlotSet(SLOT_OPTIONS, options)]


def compute(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[Text, Any]]:
    """对，开始查: run the rules on the answers and say the result."""
    program = screening.default().get(tracker.get_slot(SLOT_PROGRAM) or "")
    if program is None:
        dispatcher.utter_message(text=messages.NO_OPTIONS)
        return [SlotSet(SLOT_OPTIONS, None)]
    answers = program.answers(tracker.slots)
    clear = [SlotSet(s, None) for s in program.slots] + [SlotSet(SLOT_OPTIONS, None), SlotSet(SLOT_FAILURES, None)]
    missing = program.missing_required(answers)
    if missing:
        labels = "、".join(q.label for q in missing)
        dispatcher.utter_message(text=messages.CANNOT_CHECK.format(what=labels))
        return clear
    arguments = program.arguments(answers)
    try:
        result = PROGRAMS[program.id](**arguments)
    except InputError as error:
        dispatcher.utter_message(text=f"{error}{messages.START_AGAIN}")
        return clear
    return clear + finish(dispatcher, tracker, result, arguments)


def finish(dispatcher: CollectingDispatcher, tracker: Tracker, result, inputs: Dict[str, Any]) -> List[Dict[Text, Any]]:
    """Say the result; keep it for 为什么; store it only with consent (ask once)."""
    dispatcher.utter_message(text=render.as_text(result))
    data = result.to_dict()
    pending = {"result": data, "inputs": {k: (None if v is None else str(v)) for k, v in inputs.items()}}
    events: List[Dict[Text, Any]] = [SlotSet(SLOT_RESULT, data)]
    try:
        agreed = ledger.consent(tracker.sender_id)
        if agreed:
            ledger.record_screening(tracker.sender_id, data, pending["inputs"])
            dispatcher.utter_message(text=messages.RECORDED)
        elif agreed is None:
            options = numbered_list(
                dispatcher, messages.CONSENT_ASK,
                [(messages.CONSENT_YES, '/choose_number{"number": 1}', "consent:yes"),
                 (messages.CONSENT_NO, '/choose_number{"number": 2}', "consent:no")],
            )
            events += [SlotSet(SLOT_OPTIONS, options), SlotSet(SLOT_PENDING, pending)]
    except Exception:  # the person still has the answer
        logger.exception("could not reach the case ledger")
    return events


def answer_consent(dispatcher: CollectingDispatcher, tracker: Tracker, given: bool) -> List[Dict[Text, Any]]:
    """The answer to the consent question: keep the pending result, or nothing."""
    pending = tracker.get_slot(SLOT_PENDING) or {}
    try:
        ledger.set_consent(tracker.sender_id, given)
        if given and pending.get("result"):
            ledger.record_screening(tracker.sender_id, pending["result"], pending.get("inputs") or {})
    except Exception:
        logger.exception("could not record consent")
        dispatcher.utter_message(text=messages.LEDGER_DOWN)
        return [SlotSet(SLOT_OPTIONS, None), SlotSet(SLOT_PENDING, None)]
    dispatcher.utter_message(text=messages.CONSENT_GIVEN if given else messages.CONSENT_REFUSED)
    return [SlotSet(SLOT_OPTIONS, None), SlotSet(SLOT_PENDING, None)]


def choose(dispatcher: CollectingDispatcher, tracker: Tracker, value: str) -> List[Dict[Text, Any]]:
    """A numbered choice of kind "screen": go, redo, or a program to start."""
    if value == "go":
        return compute(dispatcher, tracker)
    if value == "redo":
        program_id = tracker.get_slot(SLOT_PROGRAM)
        if program_id in screening.default():
            return start(dispatcher, tracker, program_id)
    if value == LEVY or value in screening.default():
        return start(dispatcher, tracker, value)
    dispatcher.utter_message(text=messages.NO_OPTIONS)
    return []


class ActionExplainResult(Action):
    """为什么: the last result's calculation and reasons, in plain words."""

    def name(self) -> Text:
        return "action_explain_result"

    def run(self, dispatcher, tracker, domain):
        result = tracker.get_slot(SLOT_RESULT)
        if not result:
            dispatcher.utter_message(text=messages.NOTHING_TO_EXPLAIN)
            return []
        dispatcher.utter_message(text=render.explanation(result))
        return []


class ActionRestartScreening(Action):
    """算错了 / 重新算: the current or last check again, from the first question."""

    def name(self) -> Text:
        return "action_restart_screening"

    def run(self, dispatcher, tracker, domain):
        program_id = tracker.get_slot(SLOT_PROGRAM) or (tracker.get_slot(SLOT_RESULT) or {}).get("program")
        if program_id == LEVY or program_id in screening.default():
            return [ActiveLoop(None), SlotSet(REQUESTED, None)] + start(dispatcher, tracker, program_id)
        return choose_program(dispatcher)


class ActionCancelScreening(Action):
    """不算了 / 取消: leave the form, keep nothing of it."""

    def name(self) -> Text:
        return "action_cancel_screening"

    def run(self, dispatcher, tracker, domain):
        program_id = tracker.get_slot(SLOT_PROGRAM)
        slots: List[str] = []
        if program_id == LEVY:
            from actions import levy_form

            slots = list(levy_form.SLOTS)
        elif program_id in screening.default():
            slots = screening.default()[program_id].slots
        if not tracker.active_loop.get("name"):
            dispatcher.utter_message(text=messages.NOTHING_TO_CANCEL)
            return [ActiveLoop(None)]
        dispatcher.utter_message(text=messages.CANCELLED)
        return ([ActiveLoop(None), SlotSet(REQUESTED, None), SlotSet(SLOT_FAILURES, None)]
                + [SlotSet(s, None) for s in slots])
