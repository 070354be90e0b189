"""Eligibility checks in a conversation: one Rasa form per check of data/checks.yml,
the employer levy included.

A form asks only the questions that are still open (an answer in the first sentence
counts, and a check with a sentence reader takes everything an all-in-one sentence
says), reads the answers back once, then runs the check's rules function and says the
result with a reason for every condition:

- ``interrupts``: a command or another question in the middle of a form is answered
  by its own rule, then the form asks again;
- ``failed_answer``: after two answers it cannot use, the bot explains what it needs
  with an example, and offers 跳过 and 人工;
- corrections at the read-back ("不对，是300人") change that answer and read back again;
- ``finish``: the result, remembered for 为什么, kept in the case record only with
  consent (actions/privacy.py).
"""
from __future__ import annotations

import logging
from decimal import Decimal
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.dialogue import (
    REQUESTED,
    SLOT_LAST_TOPIC,
    SLOT_OPTIONS,
    SLOT_RESULT,
    Events,
    Option,
    choice,
    latest_intent,
    latest_text,
    names_option,
    numbered_list,
    offered,
    on_option,
    stale_press,
)
from actions.privacy import SLOT_PENDING, ask_consent
from actions.topics import ActionClarify
from jiuye import checks, messages, retrieval
from jiuye.checks import render
from jiuye.checks.inputs import InputError
from jiuye.checks.model import fmt_yuan, is_number
from jiuye.checks.registry import RULES
from jiuye.interpret import answers, commands, numbers

logger = logging.getLogger(__name__)

SLOT_CHECK = "check_id"
SLOT_FAILURES = "failed_answers"
SLOT_LAST_ANSWERS = "last_answers"  # {"check": id, "slots": {…}}: the answers of the result just said

# Intents that carry no question of their own: not an interruption.
_NOT_A_QUESTION = {"nlu_fallback", "out_of_scope", "choose_number", "empty_message", "affirm", "deny",
                   "calculate_levy", "check_eligibility", "correct"}
ASK_AGAIN = "__ask_again__"  # a correction's value for an answer named without a usable one


def _spec(check_id: Optional[str]) -> Optional[checks.Check]:
    return checks.default().get(check_id or "")


def _check_of_form(form: Optional[str]) -> Optional[str]:
    """The check whose form this is (a form may start by its own rule, not by ``start``)."""
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
        check = self.check
        if _resumed(tracker, check.form):  # back after a command or a question was answered:
            return [SlotSet(REQUESTED, _next_to_ask(check, tracker))]  # this check's question, not Rasa's next slot
        if is_command(tracker) or stale_press(tracker):
            return []  # the form is rejected; the command's own rule answers
        text = latest_text(tracker)
        requested = tracker.get_slot(REQUESTED)
        asked = check.question(requested) if requested else None
        if asked is not None and asked.kind == "number":
            text = numbers.restated(text)  # "不是300，是350", "现在2个": the number the answer ends on
        asking_period = asked is not None and requested == asked.unsure_slot
        said = answers.sentence(check, text, asked.name if asked else None)  # every value it states
        given = check.answers(tracker.slots)
        found: Dict[str, Any] = {}
        events: List[Dict[Text, Any]] = [SlotSet(SLOT_CHECK, check.id)]
        unanswered = [q for q in check.questions if tracker.get_slot(q.slot) is None]
        if asked is not None and asked.kind == "number" and not said and interrupts(tracker) \
                and not numbers.is_short_answer(text):
            return []  # a question that holds a number ("打12385没人接"): its rule answers it
        fixed = _fixed_meanwhile(check, asked, text, given)
        if FIX_PROBLEM in fixed:  # "不对，是2人" to the staff count, with 3 disabled staff said
            dispatcher.utter_message(text=f"{fixed[FIX_PROBLEM]}{messages.FIX_KEPT}")
            return events + [SlotSet(REQUESTED, requested)]
        if FIX_PERIOD in fixed:  # "工资说错了，是6000": a month's or a year's? then this question again
            earlier, amount = fixed[FIX_PERIOD]
            dispatcher.utter_message(text=messages.PERIOD_SAID.format(amount=fmt_yuan(Decimal(str(amount)))))
            return events + [SlotSet(earlier.slot, None), SlotSet(earlier.as_said_slot, None),
                             SlotSet(earlier.unsure_slot, amount), SlotSet(REQUESTED, earlier.unsure_slot)]
        if fixed:  # "不对，是50岁" while a yes-or-no question is open: the age, not a "no"
            dispatcher.utter_message(text=messages.FIXED_MEANWHILE.format(
                what=check.said(asked_fixed(check, fixed), {**given, **_by_name(check, fixed)})))
            return events + [SlotSet(slot, value) for slot, value in fixed.items()] + [SlotSet(REQUESTED, requested)]
        if asked is not None and asked.kind == "yes_no" and answers.answers_another(asked, unanswered, text):
            asked = None  # it answers a later question (read below); this one is asked again
        elif asked is not None and not said:
            unsure = tracker.get_slot(asked.unsure_slot) if asked.per else None
            reply = answers.answer(asked, text, given, unsure)
            if reply.period_of is not None:  # too low for a year: which is it?
                dispatcher.utter_message(text=messages.PERIOD_SAID.format(amount=fmt_yuan(Decimal(str(reply.period_of)))))
                return events + [SlotSet(asked.unsure_slot, reply.period_of), SlotSet(REQUESTED, asked.unsure_slot)]
            if reply.understood:
                found.update(_answered_slots(asked, reply.value, reply.as_said))
                if asked.total_over and numbers.says_total(text) and reply.value != checks.UNKNOWN:
                    dispatcher.utter_message(text=messages.TOTAL_DIVIDED.format(
                        what=check.by_name(asked.total_over).label, value=fmt_yuan(Decimal(str(reply.value)))))
            elif reply.error is None and interrupts(tracker):
                return []  # the form is rejected; the command's own rule answers
            # an answer with something wrong in it ("150到200人") is told so, whatever the model guessed
            elif asking_period and reply.error:  # "一年" to 10元: no year's wage; the amount is asked again
                dispatcher.utter_message(text=f"{reply.error}{messages.ASK_AMOUNT_AGAIN}")
                return events + [SlotSet(asked.unsure_slot, None), SlotSet(REQUESTED, asked.slot)]
            elif asking_period:
                why = messages.PERIOD_EXPLAIN.format(label=asked.label) + messages.ANSWER_HELP
                return events + [failed_answer(dispatcher, tracker, requested, why), SlotSet(REQUESTED, requested)]
            else:
                events.append(failed_answer(dispatcher, tracker, asked.slot, asked.explanation(), reply.error))
        found.update(_from_sentence(dispatcher, check, said, given))
        for question in check.questions:  # what the same sentence says about other questions
            if question.slot not in found and question is not asked and tracker.get_slot(question.slot) is None:
                value = answers.prefill(question, text)
                if value is not None:
                    found[question.slot] = value
        slots = {**tracker.slots, **found}
        given = check.answers(slots)
        missing = next((q for q in check.to_ask(given) if given[q.name] is None), None)
        if any(q.required and given[q.name] == checks.UNKNOWN for q in check.to_ask(given)):
            missing = None  # 不知道 to what the check cannot do without: stop asking
        events += [SlotSet(slot, value) for slot, value in found.items()]
        noted = [q for q in check.to_ask(given) if q.slot in found and q is not asked
                 and tracker.get_slot(q.slot) is None and given[q.name] not in (None, checks.UNKNOWN)]
        if asked is not None and missing is asked and noted and not dispatcher.messages:  # "广东" to 几名残疾职工: kept, said so
            dispatcher.utter_message(text=messages.NOTED.format(what="；".join(check.said(q, given) for q in noted)))
        if missing is not None and missing.per and slots.get(missing.unsure_slot) is not None:
            events.append(SlotSet(REQUESTED, missing.unsure_slot))  # its amount was said: a month's or a year's?
        else:
            events.append(SlotSet(REQUESTED, missing.slot if missing else None))
        return events


def _resumed(tracker: Tracker, form: str) -> bool:
    """The form runs again after it was rejected for this message (a command, a question:
    their own rules answered): it only asks its question again."""
    for event in reversed(tracker.events):
        if event.get("event") == "user":
            return False
        if event.get("event") == "action_execution_rejected" and event.get("name") == form:
            return True
    return False


def _next_to_ask(check: checks.Check, tracker: Tracker) -> Optional[str]:
    """The slot the form asks for next: the one it asked, while still open (a wage's
    period too), else the first open question that applies (never one its only_if rules out)."""
    requested = tracker.get_slot(REQUESTED)
    asked = check.question(requested) if requested else None
    if asked is not None and tracker.get_slot(asked.slot) is None and asked in check.to_ask(check.answers(tracker.slots)):
        return requested
    given = check.answers(tracker.slots)
    missing = next((q for q in check.to_ask(given) if given[q.name] is None), None)
    return missing.slot if missing else None


def _answered_slots(question: checks.Question, value: Any, as_said: Optional[float] = None) -> Dict[str, Any]:
    """The slots one answer fills: an amount given per month for a yearly question (or
    back) goes with it; a figure asked about is settled."""
    if not question.per:
        return {question.slot: value}
    return {question.slot: value, question.as_said_slot: as_said,
            **({question.unsure_slot: None} if question.per == "year" else {})}


def _from_sentence(dispatcher: CollectingDispatcher, check: checks.Check, said: Dict[str, Any],
                   given: Dict[str, Any]) -> Dict[str, Any]:
    """The slots an all-in-one sentence fills; a number that cannot be right is said
    so and left open. A part of a count said alone ("1个一级的") makes the rest 0."""
    found: Dict[str, Any] = {}
    current = dict(given)
    for question in check.questions:
        if question.name not in said:
            continue
        value = said[question.name]
        error = answers.number_error(question, value, current) if question.kind == "number" else None
        if error:
            dispatcher.utter_message(text=f"{error}请再说一遍。")
            continue
        found.update(_answered_slots(question, value, said.get(f"{question.name}_{question.other_period}")))
        current[question.name] = value
    for fact in check.facts:
        if fact.name in said:
            found[fact.slot] = said[fact.name]
            whole = check.by_name(fact.with_question)
            if fact.part_of and whole and whole.name not in said and current.get(whole.name) is None:
                found[whole.slot] = 0.0
    return found


def _fixed_meanwhile(check: checks.Check, asked: Optional[checks.Question], text: str,
                     given: Dict[str, Any]) -> Dict[str, Any]:
    """The slots a correction of an earlier answer fixes, said while another question is
    open ("不对，是50岁" to a yes-or-no question, "职工人数说错了，是300" to the wage
    question, "说错了，营业执照已经办了"): that answer, not this one. A correction that
    names no answer ("不对，是8个", "不对，是15万") is of the answer given just before. {}
    when the message is no such correction; a number that cannot be right, or a wage said
    without its period, is asked back (``FIX_PROBLEM`` holds why, ``FIX_PERIOD`` the amount)."""
    if asked is None or not commands.is_correction(text):
        return {}
    named = answers.named_in_correction(check, text) or _answered_before(check, asked, given, text)
    if named is None or named is asked or named.kind not in ("number", "province", "yes_no") \
            or given.get(named.name) is None:
        return {}
    plain = commands.without_opening_no(text)  # "不对，是8个" → "是8个": the no is of the old answer
    if named.kind == "number" and check.sentence:
        said = answers.sentence(check, plain, named.name)
        fixed = counted_again(check, {k: v for k, v in said.items() if k == named.name or any(
            f.name == k for f in check.facts_with(named.name))}, given)
        if fixed:
            now = {**given, **_by_name(check, fixed)}
            error = answers.number_error(named, now[named.name], given) or answers.conflict(check, now)
            return {FIX_PROBLEM: error} if error else fixed
    reply = answers.answer(named, plain, given)
    if reply.period_of is not None:
        return {FIX_PERIOD: (named, reply.period_of)}
    if not reply.understood or reply.value == checks.UNKNOWN:
        return {}
    error = answers.number_error(named, reply.value, given) if named.kind == "number" else None
    error = error or answers.conflict(check, {**given, named.name: reply.value})
    if error:
        return {FIX_PROBLEM: error}
    return _answered_slots(named, reply.value, reply.as_said)


def _answered_before(check: checks.Check, asked: checks.Question, given: Dict[str, Any],
                     text: str) -> Optional[checks.Question]:
    """The answer given just before ``asked``, when a correction starts with 不对 / 说错了."""
    if not commands.opens_with_no(text):
        return None
    order = check.to_ask(given)
    if asked not in order:
        return None
    before = [q for q in order[:order.index(asked)] if given.get(q.name) is not None]
    return before[-1] if before else None


FIX_PROBLEM, FIX_PERIOD = "__fix_problem__", "__fix_period__"


def asked_fixed(check: checks.Check, fixed: Dict[str, Any]) -> checks.Question:
    return next(q for q in check.questions if q.slot in fixed)


def _by_name(check: checks.Check, slots: Dict[str, Any]) -> Dict[str, Any]:
    return {q.name: slots[q.slot] for q in check.questions if q.slot in slots}


def _validation_class(check_id: str) -> type:
    title = "".join(part.title() for part in check_id.split("_"))
    return type(f"Validate{title}Form", (CheckFormValidation,), {"check_id": check_id})


FORM_VALIDATIONS = [_validation_class(c) for c in checks.default()]


def start(dispatcher: CollectingDispatcher, tracker: Tracker, check_id: str) -> Events:
    """Begin a check's form with its answers cleared."""
    dispatcher.utter_message(text=messages.CHECK_START)
    spec = checks.default()[check_id]
    return ([SlotSet(s, None) for s in spec.all_slots]
            + [SlotSet(SLOT_CHECK, check_id), SlotSet(SLOT_FAILURES, None), SlotSet(SLOT_OPTIONS, None),
               SlotSet(SLOT_LAST_ANSWERS, None), FollowupAction(spec.form)])


def choose_check(dispatcher: CollectingDispatcher) -> Events:
    """A numbered list of the checks, when it is not clear which one is meant."""
    items = [choice(n, c.title, Option("check", c.id)) for n, c in enumerate(checks.default().values(), 1)]
    return numbered_list(dispatcher, messages.WHICH_CHECK, items, zero=(messages.BACK_TO_MENU, "/help", Option("menu")))


@on_option("checks")
def _chosen_checks(dispatcher, tracker, option: Option) -> Events:
    return choose_check(dispatcher)


@names_option("check")
def _names_check(text: str, option: Option) -> bool:
    """"事业单位" said to the list of checks: the check whose keywords it holds."""
    if option.value in ("go", "redo") or commands.question_kind(text) or len(text) > 16:
        return False  # a question of its own ("烟草证要什么材料") is answered as asked
    return checks.named_in(text) == option.value


def check_meant(tracker: Tracker) -> Optional[str]:
    """The check a request names, else the one that belongs to the last topic."""
    return checks.named_in(latest_text(tracker)) or checks.for_topic(tracker.get_slot(SLOT_LAST_TOPIC))


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


def read_back(dispatcher: CollectingDispatcher, spec: checks.Check, slots: Dict[str, Any]) -> Events:
    return confirm_list(dispatcher, spec.read_back(spec.answers(slots)), go=spec.go)


class ActionCheckConfirm(Action):
    """All questions answered: read the answers back once before checking."""

    def name(self) -> Text:
        return "action_check_confirm"

    def run(self, dispatcher, tracker, domain):
        spec = _spec(tracker.get_slot(SLOT_CHECK))
        if spec is None:
            dispatcher.utter_message(text=messages.NO_OPTIONS)
            return []
        given = spec.answers(tracker.slots)
        missing = spec.missing_required(given)
        missing = [q for q in missing if given[q.name] == checks.UNKNOWN] or missing  # what was said 不知道 to
        if missing:  # nothing to read back: the check ends politely, now
            dispatcher.utter_message(text=messages.CANNOT_CHECK.format(what="、".join(q.label for q in missing)))
            return ([SlotSet(s, None) for s in spec.all_slots]
                    + [SlotSet(SLOT_OPTIONS, None), SlotSet(SLOT_FAILURES, None)])
        return read_back(dispatcher, spec, tracker.slots)


def compute(dispatcher: CollectingDispatcher, tracker: Tracker) -> Events:
    """对，开始查: run the rules on the answers and say the result."""
    check = _spec(tracker.get_slot(SLOT_CHECK))
    if check is None:
        dispatcher.utter_message(text=messages.NO_OPTIONS)
        return [SlotSet(SLOT_OPTIONS, None)]
    given = check.answers(tracker.slots)
    clear = [SlotSet(s, None) for s in check.all_slots] + [SlotSet(SLOT_OPTIONS, None), SlotSet(SLOT_FAILURES, None)]
    missing = check.missing_required(given)
    if missing:
        labels = "、".join(q.label for q in missing)
        dispatcher.utter_message(text=messages.CANNOT_CHECK.format(what=labels))
        return clear
    arguments = check.arguments(given)
    try:
        result = RULES[check.rules](**arguments)
    except InputError as error:
        dispatcher.utter_message(text=f"{error}{messages.START_AGAIN}")
        return clear
    kept = {slot: tracker.get_slot(slot) for slot in check.all_slots if tracker.get_slot(slot) is not None}
    # "那如果是300人呢" after the result: these answers, one changed, are read back again
    return clear + [SlotSet(SLOT_LAST_ANSWERS, {"check": check.id, "slots": kept})] + \
        finish(dispatcher, tracker, result, arguments)


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
def ask_which(dispatcher: CollectingDispatcher, tracker: Tracker, slots: Optional[Dict[str, Any]] = None) -> Events:
    """不对 at the read-back: which answer is wrong? (0: all right after all)."""
    slots = tracker.slots if slots is None else slots
    spec = _spec(slots.get(SLOT_CHECK))
    if spec is None:
        dispatcher.utter_message(text=messages.NO_OPTIONS)
        return []
    given = spec.answers(slots)
    items = [choice(n, spec.said(q, given), Option("fix", q.slot)) for n, q in enumerate(spec.to_ask(given), 1)]
    items.append(choice(len(items) + 1, messages.REDO_ALL, Option("check", "redo")))
    return numbered_list(dispatcher, messages.WHICH_WRONG, items,
                         zero=choice(0, spec.go, Option("check", "go", means=True)))


@on_option("fix")
def _fix(dispatcher, tracker, option: Option) -> Events:
    """Ask one answer again (with what goes with it); the read-back follows once it is given."""
    spec = _spec(tracker.get_slot(SLOT_CHECK))
    if spec is None or option.value not in spec.slots:
        dispatcher.utter_message(text=messages.NO_OPTIONS)
        return []
    return _ask_again(spec, option.value)


def _ask_again(spec: checks.Check, slot: str) -> Events:
    cleared = (slot,) + spec.dependents(slot)
    return ([SlotSet(slot, None) for slot in cleared]
            + [SlotSet(SLOT_OPTIONS, None), SlotSet(REQUESTED, None), FollowupAction(spec.form)])


def corrections(dispatcher: CollectingDispatcher, slots: Dict[str, Any], spec: checks.Check,
                text: str) -> Optional[Dict[str, Any]]:
    """What a correction at the read-back changes: slot → value, a slot → ASK_AGAIN
    when it is named without a usable value, or None when nothing is understood. A
    number that cannot be right is said so once: here, unless the sentence reader holds
    it (the form, started again on the same message, reads it and says so itself)."""
    given = spec.answers(slots)
    named = answers.named_in_correction(spec, text)
    said = answers.sentence(spec, text, named.name if named else None)  # "残疾职工说错了，是两个，其中一个二级"
    if named is None and numbers.says_level(text):  # "如果两个都是一级呢": the count with its levels
        named = _count_with_levels(spec)
        said = answers.sentence(spec, text, named.name if named else None)
    adds = numbers.adds_people(text)  # "那如果再招两个残疾人呢": two more, not two; "少一个": one fewer
    found = _added(spec, said, given, adds) if adds else counted_again(spec, said, given)
    found.update({f.slot: said[f.name] for f in spec.facts if f.name in said and not f.part_of})
    for question in spec.questions:
        if question.slot not in found:
            value = answers.prefill(question, text)
            before = given.get(question.name)
            if value is not None and adds and question.unit == "人" and is_number(before):
                value = before + adds * value
            if value is not None:
                found[question.slot] = value
    if not found and adds:  # "那再招一个呢": of the count with levels (the levy's disabled staff), if one
        count = _count_with_levels(spec)
        more = numbers.first_number(numbers.digits(text))
        if count is not None and more is not None and is_number(given.get(count.name)):
            found = {count.slot: given[count.name] + adds * float(more)}
    if not found:
        if named is None:
            return None
        reply = answers.answer(named, text, given) if named.kind in ("number", "province") else answers.Answer()
        if reply.period_of is not None:  # "工资说错了，是6000": a month's or a year's?
            dispatcher.utter_message(text=messages.PERIOD_SAID.format(amount=fmt_yuan(Decimal(str(reply.period_of)))))
            return {named.slot: None, named.as_said_slot: None, named.unsure_slot: reply.period_of}
        if not reply.understood or reply.value == checks.UNKNOWN:
            return {named.slot: ASK_AGAIN}
        found = _answered_slots(named, reply.value, reply.as_said)
    current = {**given, **{q.name: found[q.slot] for q in spec.questions if q.slot in found}}
    for question in spec.questions:
        if question.kind == "number" and isinstance(found.get(question.slot), (int, float)):
            error = answers.number_error(question, found[question.slot], current)
            if error:
                if question.name not in said:
                    dispatcher.utter_message(text=error)
                return {question.slot: ASK_AGAIN}
    error = answers.conflict(spec, current)
    if error:  # "不对，是2人" with 3 disabled staff said: the corrected one is asked again
        dispatcher.utter_message(text=error)
        fixed = next((q.slot for q in spec.questions if q.slot in found), None)
        return {fixed: ASK_AGAIN} if fixed else None
    return found


def counted_again(spec: checks.Check, said: Dict[str, Any], given: Dict[str, Any]) -> Dict[str, Any]:
    """The slots a corrected count and its parts fill (the sentence reader's ``said``). A
    new count said without its parts keeps the parts said before when they fit in it
    ("3个，其中1个二级", then "要是有4个残疾人呢": 4, the 二级 one among them), else they go."""
    found: Dict[str, Any] = {}
    for question in spec.questions:
        parts = [f for f in spec.facts_with(question.name) if f.part_of]
        if question.name not in said and not any(f.name in said for f in parts):
            continue
        value = said.get(question.name, 0.0)
        kept = {f.slot: given.get(f.name) for f in parts if is_number(given.get(f.name))}
        if parts and not any(f.name in said for f in parts) and kept and sum(kept.values()) <= value:
            value -= sum(kept.values())  # the count is the whole; the slot holds the rest
        else:
            kept = {f.slot: said.get(f.name, 0.0) for f in parts}
        found.update(_answered_slots(question, value, said.get(f"{question.name}_{question.other_period}")))
        found.update(kept)
    return found


def _count_with_levels(spec: checks.Check) -> Optional[checks.Question]:
    """The one count of people said with its levels (the levy's disabled staff), if any."""
    counts = [q for q in spec.questions if q.unit == "人" and any(f.part_of for f in spec.facts_with(q.name))]
    return counts[0] if len(counts) == 1 else None


def _added(spec: checks.Check, said: Dict[str, Any], given: Dict[str, Any], sign: int = 1) -> Dict[str, Any]:
    """The counts of people a what-if adds to those said before ("再招两个残疾人",
    "多一个二级的"; ``sign`` -1: "少一个"): each count and its parts change by what is said
    of them. A part taken away is taken from the whole too; a rest below 0 is refused later."""
    found: Dict[str, Any] = {}
    for question in spec.questions:
        parts = [f for f in spec.facts_with(question.name) if f.part_of]
        if question.unit != "人" or (question.name not in said and not any(f.name in said for f in parts)):
            continue
        found[question.slot] = (given.get(question.name) if is_number(given.get(question.name)) else 0.0) \
            + sign * said.get(question.name, 0.0)
        for part in parts:
            before = given.get(part.name) if is_number(given.get(part.name)) else 0.0
            found[part.slot] = before + sign * said.get(part.name, 0.0)
    return found


class ActionCorrectCheck(Action):
    """"不对，是300人", "人数说错了", "工资是9万" at the read-back: change that answer and
    read back again; a wrong answer named without its value is asked again. After a
    result ("那如果是300人呢", "不对，我们是300人"), the same, on that result's answers."""

    def name(self) -> Text:
        return "action_correct_check"

    def run(self, dispatcher, tracker, domain):
        spec = _spec(tracker.get_slot(SLOT_CHECK))
        reading_back = any(o is not None and o.kind == "check" and o.value == "go" for o in offered(tracker))
        restored: Events = []
        slots = dict(tracker.slots)
        last = tracker.get_slot(SLOT_LAST_ANSWERS)
        if not reading_back and last and _spec(last.get("check")) and not tracker.active_loop.get("name"):
            spec = _spec(last["check"])
            slots.update({slot: None for slot in spec.all_slots})
            slots.update(last.get("slots") or {})
            slots[SLOT_CHECK] = spec.id
            restored = ([SlotSet(SLOT_CHECK, spec.id), SlotSet(SLOT_PENDING, None), SlotSet(SLOT_OPTIONS, None)]
                        + [SlotSet(slot, slots.get(slot)) for slot in spec.all_slots])
        elif not reading_back or spec is None:
            if commands.is_what_if(latest_text(tracker)):  # "那如果是300人呢" with no check done: a question
                return [FollowupAction(ActionClarify().name())]
            dispatcher.utter_message(text=messages.NOT_CORRECTABLE)
            return []
        fixes = corrections(dispatcher, slots, spec, latest_text(tracker))
        if restored and fixes:
            dispatcher.utter_message(text=messages.CHECK_AGAIN.format(verb="算" if "算" in spec.go else "查"))
        if not fixes:
            return restored + ask_which(dispatcher, tracker, slots)
        named = next((slot for slot, value in fixes.items() if value == ASK_AGAIN), None)
        if named is not None:
            return restored + _ask_again(spec, named)
        if any(fixes.get(q.slot, 1) is None for q in spec.questions):  # its period is asked
            return (restored + [SlotSet(slot, value) for slot, value in fixes.items()]
                    + [SlotSet(SLOT_OPTIONS, None), SlotSet(REQUESTED, None), FollowupAction(spec.form)])
        slots.update(fixes)  # the read-back says the answers as corrected
        return restored + [SlotSet(slot, value) for slot, value in fixes.items()] + read_back(dispatcher, spec, slots)


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
        if _spec(check_id):
            return start(dispatcher, tracker, check_id)
    if _spec(option.value):
        return start(dispatcher, tracker, option.value)
    dispatcher.utter_message(text=messages.NO_OPTIONS)
    return []


class ActionExplainResult(Action):
    """为什么: the last result's calculation and reasons, in plain words."""

    def name(self) -> Text:
        return "action_explain_result"

    def run(self, dispatcher, tracker, domain):
        form = tracker.active_loop.get("name")
        spec = _spec(_check_of_form(form)) if form else None
        asked = spec.question(tracker.get_slot(REQUESTED)) if spec and tracker.get_slot(REQUESTED) else None
        if asked is not None and asked.why:  # "为什么要问这个" during a check: why this question (then it is asked again)
            dispatcher.utter_message(text=messages.WHY_ASKED.format(why=asked.why))
            return []
        result = tracker.get_slot(SLOT_RESULT)
        if not result and retrieval.confident(retrieval.search(latest_text(tracker), 3), latest_text(tracker)):
            # "没达到比例的机关具体要做什么？" taken for 为什么: a question the plan answers
            return ActionClarify().run(dispatcher, tracker, domain)
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
        if _spec(check_id):
            return [ActiveLoop(None), SlotSet(REQUESTED, None)] + start(dispatcher, tracker, check_id)
        return choose_check(dispatcher)


class ActionCancelCheck(Action):
    """不算了 / 取消: leave the form, keep nothing of it."""

    def name(self) -> Text:
        return "action_cancel_check"

    def run(self, dispatcher, tracker, domain):
        active = tracker.active_loop.get("name")
        spec = _spec(_check_of_form(active) or tracker.get_slot(SLOT_CHECK))
        slots = spec.all_slots if spec else []
        if not active:
            # 取消 closes an open list; at a check's read-back, its answers go too
            answered = any(tracker.get_slot(slot) is not None for slot in slots)
            dispatcher.utter_message(text=messages.CANCELLED if answered else messages.NOTHING_TO_CANCEL)
            return ([ActiveLoop(None), SlotSet(SLOT_OPTIONS, None), SlotSet(SLOT_PENDING, None)]
                    + [SlotSet(s, None) for s in slots])
        dispatcher.utter_message(text=messages.CANCELLED)
        return ([ActiveLoop(None), SlotSet(REQUESTED, None), SlotSet(SLOT_FAILURES, None)]
                + [SlotSet(s, None) for s in slots])
