"""Eligibility checks in a conversation: one Rasa form per check of data/checks.yml.

A form asks only the questions that are still open (an answer in the first sentence
counts), reads the answers back once, then runs the check's rules function and says
the result with a reason for every condition. Shared with the levy form
(actions/levy.py), which registers itself with ``register_form``:

- ``interrupts``: a command or another question in the middle of a form is answered
  by its own rule, then the form asks again;
- ``failed_answer``: after two answers it cannot use, the bot explains what it needs
  with an example, and offers 跳过 and 人工;
- ``finish``: the result, remembered for 为什么, kept in the case record only with
  consent (actions/privacy.py).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Callable, Dict, List, Optional, Sequence, Text, Tuple

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.dialogue import (
    REQUESTED,
    SLOT_LAST_TOPIC,
    SLOT_OPTIONS,
    Events,
    Option,
    choice,
    latest_intent,
    latest_text,
    numbered_list,
    offered,
    on_option,
    stale_press,
)
from actions.privacy import SLOT_PENDING, ask_consent
from jiuye import checks, messages
from jiuye.checks import render
from jiuye.checks.inputs import InputError
from jiuye.checks.registry import RULES
from jiuye.interpret import answers, commands

logger = logging.getLogger(__name__)

SLOT_CHECK = "check_id"
SLOT_FAILURES = "failed_answers"
SLOT_RESULT = "last_result"

# Intents that carry no question of their own: not an interruption.
_NOT_A_QUESTION = {"nlu_fallback", "out_of_scope", "choose_number", "empty_message", "affirm", "deny",
                   "calculate_levy", "check_eligibility", "correct"}
Compute = Callable[[CollectingDispatcher, Tracker], Events]
Answered = Callable[[Tracker], List[Tuple[str, str]]]
Corrections = Callable[[CollectingDispatcher, Tracker, str], Optional[Dict[str, Any]]]
ASK_AGAIN = "__ask_again__"  # a correction's value for an answer named without a usable one


@dataclass(frozen=True)
class OwnForm:
    """A check whose form is not generated from data/checks.yml (the levy): its form,
    its slots, and how it computes, reads its answers back and reads a correction."""

    form: str
    slots: Tuple[str, ...]
    compute: Compute
    read_back: Compute  # says the answers and offers 1 go / 2 redo
    answered: Answered  # (how an answer is read back, its slot), in order
    corrections: Corrections  # slot → new value (ASK_AGAIN: named, to ask again); None: not understood
    dependents: Dict[str, Tuple[str, ...]]  # slots that go with an answer asked again


_OWN_FORMS: Dict[str, OwnForm] = {}


def register_form(check_id: str, form: str, slots: Sequence[str], compute: Compute, read_back: Compute,
                  answered: Answered, corrections: Corrections,
                  dependents: Optional[Dict[str, Tuple[str, ...]]] = None) -> None:
    """A check with a form of its own, started, confirmed, corrected, restarted and
    cancelled like the others."""
    _OWN_FORMS[check_id] = OwnForm(form, tuple(slots), compute, read_back, answered, corrections, dependents or {})


def _form_and_slots(check_id: Optional[str]) -> Tuple[Optional[str], Tuple[str, ...]]:
    if check_id in _OWN_FORMS:
        return _OWN_FORMS[check_id].form, _OWN_FORMS[check_id].slots
    spec = checks.default().get(check_id or "")
    return (spec.form, tuple(spec.slots)) if spec else (None, ())


def _check_of_form(form: Optional[str]) -> Optional[str]:
    """The check whose form this is (a form may start by its own rule, not by ``start``)."""
    for check_id, own in _OWN_FORMS.items():
        if own.form == form:
            return check_id
    return next((c.id for c in checks.default().values() if c.form == form), None)


def is_command(tracker: Tracker) -> bool:
    return commands.is_command(latest_text(tracker))


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


class CheckFormValidation(FormValidationAction):
    """Reads answers for one check's form; subclassed per check below."""

    check_id = ""

    def name(self) -> Text:
        return f"validate_{self.check_id}_form"

    @property
    def check(self) -> checks.Check:
        return checks.default()[self.check_id]

    async def run(self, dispatcher, tracker, domain) -> List[Dict[Text, Any]]:
        if is_command(tracker) or stale_press(tracker):
            return []  # the form is rejected; the command's own rule answers
        check = self.check
        text = latest_text(tracker)
        requested = tracker.get_slot(REQUESTED)
        asked = check.question(requested) if requested else None
        found: Dict[str, Any] = {}
        events: List[Dict[Text, Any]] = []
        unanswered = [q for q in check.questions if tracker.get_slot(q.slot) is None]
        if asked is not None and asked.kind == "yes_no" and answers.answers_another(asked, unanswered, text):
            asked = None  # it answers a later question (read below); this one is asked again
        elif asked is not None:
            said = answers.answer(asked, text)
            if said.understood:
                found[asked.slot] = said.value
            elif interrupts(tracker):
                return []  # the form is rejected; the command's own rule answers
            else:
                events.append(failed_answer(dispatcher, tracker, asked.slot, asked.explanation(), said.error))
        for question in check.questions:  # what the same sentence says about other questions
            if question.slot not in found and question is not asked and tracker.get_slot(question.slot) is None:
                value = answers.prefill(question, text)
                if value is not None:
                    found[question.slot] = value
        slots = {**tracker.slots, **found}
        given = check.answers(slots)
        missing = next((q for q in check.to_ask(given) if given[q.name] is None), None)
        events += [SlotSet(slot, value) for slot, value in found.items()]
        events.append(SlotSet(REQUESTED, missing.slot if missing else None))
        return events


def _validation_class(check_id: str) -> type:
    title = "".join(part.title() for part in check_id.split("_"))
    return type(f"Validate{title}Form", (CheckFormValidation,), {"check_id": check_id})


FORM_VALIDATIONS = [_validation_class(c) for c in checks.default()]


def start(dispatcher: CollectingDispatcher, tracker: Tracker, check_id: str) -> Events:
    """Begin a check's form with its answers cleared."""
    dispatcher.utter_message(text=messages.CHECK_START)
    form, slots = _form_and_slots(check_id)
    return ([SlotSet(s, None) for s in slots]
            + [SlotSet(SLOT_CHECK, check_id), SlotSet(SLOT_FAILURES, None), SlotSet(SLOT_OPTIONS, None),
               FollowupAction(form)])


def choose_check(dispatcher: CollectingDispatcher) -> Events:
    """A numbered list of the checks, when it is not clear which one is meant."""
    items = [choice(1, checks.LEVY_TITLE, Option("check", checks.LEVY))]
    items += [choice(n, c.title, Option("check", c.id)) for n, c in enumerate(checks.default().values(), 2)]
    return numbered_list(dispatcher, messages.WHICH_CHECK, items, zero=(messages.BACK_TO_MENU, "/help", Option("menu")))


@on_option("checks")
def _chosen_checks(dispatcher, tracker, option: Option) -> Events:
    return choose_check(dispatcher)


def check_meant(tracker: Tracker) -> Optional[str]:
    """The check a request names, else the one that belongs to the last topic."""
    text = latest_text(tracker)
    if commands.names_levy(text):
        return checks.LEVY
    return checks.named_in(text) or checks.for_topic(tracker.get_slot(SLOT_LAST_TOPIC))


class ActionStartCheck(Action):
    """帮我查 / 我符合条件吗: start the check the person means, or ask which one."""

    def name(self) -> Text:
        return "action_start_check"

    def run(self, dispatcher, tracker, domain):
        check_id = check_meant(tracker)
        if check_id is None:
            return choose_check(dispatcher)
        return start(dispatcher, tracker, check_id)


def confirm_list(dispatcher: CollectingDispatcher, read_back: str, go: str = messages.CONFIRM_GO) -> Events:
    """The answers read back once: 1 对，开始查 / 2 不对，重新说."""
    return numbered_list(
        dispatcher, read_back,
        [choice(1, go, Option("check", "go", means=True)),
         choice(2, messages.CONFIRM_REDO, Option("check", "redo", means=False))],
    )


class ActionCheckConfirm(Action):
    """All questions answered: read the answers back once before checking."""

    def name(self) -> Text:
        return "action_check_confirm"

    def run(self, dispatcher, tracker, domain):
        check = checks.default().get(tracker.get_slot(SLOT_CHECK) or "")
        if check is None:
            dispatcher.utter_message(text=messages.NO_OPTIONS)
            return []
        return confirm_list(dispatcher, check.read_back(check.answers(tracker.slots)))


def compute(dispatcher: CollectingDispatcher, tracker: Tracker) -> Events:
    """对，开始查: run the rules on the answers and say the result."""
    check_id = tracker.get_slot(SLOT_CHECK) or ""
    if check_id in _OWN_FORMS:
        return _OWN_FORMS[check_id].compute(dispatcher, tracker)
    check = checks.default().get(check_id)
    if check is None:
        dispatcher.utter_message(text=messages.NO_OPTIONS)
        return [SlotSet(SLOT_OPTIONS, None)]
    given = check.answers(tracker.slots)
    clear = [SlotSet(s, None) for s in check.slots] + [SlotSet(SLOT_OPTIONS, None), SlotSet(SLOT_FAILURES, None)]
    missing = check.missing_required(given)
    if missing:
        labels = "、".join(q.label for q in missing)
        dispatcher.utter_message(text=messages.CANNOT_CHECK.format(what=labels))
        return clear
    arguments = check.arguments(given)
    try:
        result = RULES[check.id](**arguments)
    except InputError as error:
        dispatcher.utter_message(text=f"{error}{messages.START_AGAIN}")
        return clear
    return clear + finish(dispatcher, tracker, result, arguments)


def finish(dispatcher: CollectingDispatcher, tracker: Tracker, result, inputs: Dict[str, Any]) -> Events:
    """Say the result; keep it for 为什么; store it only with consent (ask once)."""
    dispatcher.utter_message(text=render.as_text(result))
    data = result.to_dict()
    events: Events = [SlotSet(SLOT_RESULT, data)]
    try:
        events += ask_consent(dispatcher, tracker.sender_id, data,
                              {k: (None if v is None else str(v)) for k, v in inputs.items()})
    except Exception:  # the person still has the answer
        logger.exception("could not reach the case ledger")
    return events


# ---- corrections at the read-back: "不对" asks which; "不对，是300人" changes that one ----
def _answered(tracker: Tracker, check_id: str) -> List[Tuple[str, str]]:
    if check_id in _OWN_FORMS:
        return _OWN_FORMS[check_id].answered(tracker)
    spec = checks.default()[check_id]
    given = spec.answers(tracker.slots)
    return [(checks.said(q, given[q.name]), q.slot) for q in spec.to_ask(given)]


def _go_label(check_id: str) -> str:
    return messages.LEVY_GO if check_id == checks.LEVY else messages.CONFIRM_GO


def ask_which(dispatcher: CollectingDispatcher, tracker: Tracker) -> Events:
    """不对 at the read-back: which answer is wrong? (0: all right after all)."""
    check_id = tracker.get_slot(SLOT_CHECK) or ""
    if not _form_and_slots(check_id)[0]:
        dispatcher.utter_message(text=messages.NO_OPTIONS)
        return []
    items = [choice(n, said, Option("fix", slot)) for n, (said, slot) in enumerate(_answered(tracker, check_id), 1)]
    items.append(choice(len(items) + 1, messages.REDO_ALL, Option("check", "redo")))
    return numbered_list(dispatcher, messages.WHICH_WRONG, items,
                         zero=choice(0, _go_label(check_id), Option("check", "go", means=True)))


@on_option("fix")
def _fix(dispatcher, tracker, option: Option) -> Events:
    """Ask one answer again; the read-back follows once it is given."""
    check_id = tracker.get_slot(SLOT_CHECK)
    form, slots = _form_and_slots(check_id)
    if not form or option.value not in slots:
        dispatcher.utter_message(text=messages.NO_OPTIONS)
        return []
    own = _OWN_FORMS.get(check_id or "")
    cleared = (option.value,) + (own.dependents.get(option.value, ()) if own else ())
    return ([SlotSet(slot, None) for slot in cleared]
            + [SlotSet(SLOT_OPTIONS, None), SlotSet(REQUESTED, None), FollowupAction(form)])


def _generic_corrections(check_id: str, text: str) -> Optional[Dict[str, Any]]:
    spec = checks.default()[check_id]
    found: Dict[str, Any] = {}
    for question in spec.questions:
        value = answers.prefill(question, text)
        if value is not None:
            found[question.slot] = value
        elif question.label in text:
            found[question.slot] = ASK_AGAIN  # named, no new value
    return found or None


class ActionCorrectCheck(Action):
    """"不对，是300人", "人数说错了", "工资是9万" at the read-back: change that answer and
    read back again; a wrong answer named without its value is asked again."""

    def name(self) -> Text:
        return "action_correct_check"

    def run(self, dispatcher, tracker, domain):
        check_id = tracker.get_slot(SLOT_CHECK) or ""
        reading_back = any(o is not None and o.kind == "check" and o.value == "go" for o in offered(tracker))
        if not reading_back or not _form_and_slots(check_id)[0]:
            dispatcher.utter_message(text=messages.NOT_CORRECTABLE)
            return []
        text = latest_text(tracker)
        own = _OWN_FORMS.get(check_id)
        fixes = own.corrections(dispatcher, tracker, text) if own else _generic_corrections(check_id, text)
        if not fixes:
            return ask_which(dispatcher, tracker)
        named = next((slot for slot, value in fixes.items() if value == ASK_AGAIN), None)
        if named is not None:
            return _fix(dispatcher, tracker, Option("fix", named))
        tracker.slots = {**tracker.slots, **fixes}  # the read-back says the answers as corrected
        events = [SlotSet(slot, value) for slot, value in fixes.items()]
        if own:
            return events + own.read_back(dispatcher, tracker)
        spec = checks.default()[check_id]
        return events + confirm_list(dispatcher, spec.read_back(spec.answers(tracker.slots)))


@on_option("check")
def _chosen_check(dispatcher, tracker, option: Option) -> Events:
    """go (compute), redo (the current check again; 不对 asks which answer is wrong),
    or a check to start."""
    if option.value == "go":
        return compute(dispatcher, tracker)
    if option.value == "redo" and latest_intent(tracker) == "deny":
        return ask_which(dispatcher, tracker)
    if option.value == "redo":
        check_id = tracker.get_slot(SLOT_CHECK)
        if _form_and_slots(check_id)[0]:
            return start(dispatcher, tracker, check_id)
    if _form_and_slots(option.value)[0]:
        return start(dispatcher, tracker, option.value)
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


class ActionRestartCheck(Action):
    """算错了 / 重新算: the current or last check again, from the first question."""

    def name(self) -> Text:
        return "action_restart_check"

    def run(self, dispatcher, tracker, domain):
        check_id = tracker.get_slot(SLOT_CHECK) or (tracker.get_slot(SLOT_RESULT) or {}).get("check")
        if _form_and_slots(check_id)[0]:
            return [ActiveLoop(None), SlotSet(REQUESTED, None)] + start(dispatcher, tracker, check_id)
        return choose_check(dispatcher)


class ActionCancelCheck(Action):
    """不算了 / 取消: leave the form, keep nothing of it."""

    def name(self) -> Text:
        return "action_cancel_check"

    def run(self, dispatcher, tracker, domain):
        active = tracker.active_loop.get("name")
        check_id = _check_of_form(active) or tracker.get_slot(SLOT_CHECK)
        _, slots = _form_and_slots(check_id)
        if not active:
            # 取消 closes an open list; at a check's read-back, its answers go too
            answered = any(tracker.get_slot(slot) is not None for slot in slots)
            dispatcher.utter_message(text=messages.CANCELLED if answered else messages.NOTHING_TO_CANCEL)
            return ([ActiveLoop(None), SlotSet(SLOT_OPTIONS, None), SlotSet(SLOT_PENDING, None)]
                    + [SlotSet(s, None) for s in slots])
        dispatcher.utter_message(text=messages.CANCELLED)
        return ([ActiveLoop(None), SlotSet(REQUESTED, None), SlotSet(SLOT_FAILURES, None)]
                + [SlotSet(s, None) for s in slots])
