"""The levy calculation, a check with a form of its own: fill what is missing, read
back, compute.

The first sentence may already carry everything ("我们公司200个员工，去年安排了1个
三级残疾人，职工年平均工资8万，在湖南"); the form then asks nothing and the person
hears the numbers back once before the result, with every step of the calculation.
"""
from __future__ import annotations

import logging
from decimal import Decimal
from typing import Any, Dict, List, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.checks import (
    SLOT_CHECK,
    SLOT_FAILURES,
    confirm_list,
    failed_answer,
    finish,
    interrupts,
    is_command,
    register_form,
)
from actions.dialogue import REQUESTED, SLOT_OPTIONS, latest_text
from jiuye import checks, messages
from jiuye.checks import levy
from jiuye.checks.inputs import InputError, number
from jiuye.checks.model import fmt_number, fmt_yuan
from jiuye.interpret import answers, numbers

logger = logging.getLogger(__name__)
SLOTS = ("levy_staff", "levy_disabled", "levy_severe", "levy_wage", "levy_province")
UNKNOWN = checks.UNKNOWN
REQUIRED = {"levy_staff": "在职职工人数", "levy_disabled": "残疾职工人数"}
# After two answers the bot could not use: what it needs, with an example.
EXPLAIN = {
    "levy_staff": "我需要知道单位上一年的在职职工人数，用来算应该安排几名残疾人。可以这样回答：“200人”。",
    "levy_disabled": "我需要知道上一年安排了几名残疾职工，用来算还差几名。可以这样回答：“1个”，没有就说“0”。",
    "levy_wage": "我需要知道单位职工上一年的年平均工资，残保金按它来算。可以这样回答：“8万”。",
    "levy_province": "我需要知道单位在哪个省，各省的比例不一样。可以这样回答：“湖南”。",
}
HELP_AFTER = "不清楚就说“不知道”，说“跳过”先跳过，说“人工”找工作人员。"


def _all_in_one(tracker: Tracker) -> Dict[str, Any]:
    return numbers.levy_slots(latest_text(tracker))


class ValidateLevyForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_levy_form"

    async def run(self, dispatcher, tracker, domain):
        if is_command(tracker):
            return []  # the form is rejected; the command's own rule answers
        requested = tracker.get_slot(REQUESTED)
        text = latest_text(tracker)
        if requested in EXPLAIN and not _all_in_one(tracker) and (
            numbers.says_unknown(text) or answers.skips(text)
        ):
            return [SlotSet(requested, UNKNOWN)]  # 不知道 is an answer, not a loop
        events = await super().run(dispatcher, tracker, domain)
        if requested not in EXPLAIN:
            return events
        answered = [e for e in events if e.get("name") == requested]
        if any(e.get("value") is not None for e in answered):
            return events
        if any(e.get("name") not in (requested, REQUESTED) and e.get("value") is not None for e in events):
            return events  # the sentence answered another question; ask this one again
        if not answered and interrupts(tracker):
            return events  # nothing taken: the form is rejected and the command answered
        refused = bool(answered)  # a number out of range: its validation already said why
        return events + [failed_answer(dispatcher, tracker, requested, EXPLAIN[requested] + HELP_AFTER,
                                       said_already=refused)]

    def _asked(self, tracker: Tracker, slot: str) -> bool:
        return tracker.get_slot("requested_slot") == slot

    def _number(self, tracker: Tracker, slot: str, key: str) -> Dict[str, Any]:
        found = _all_in_one(tracker).get(key)
        if found is None and self._asked(tracker, slot):
            found = numbers.first_number(latest_text(tracker))
        return {slot: float(found)} if found is not None else {}

    async def extract_levy_staff(self, dispatcher, tracker, domain):
        return self._number(tracker, "levy_staff", "staff")

    async def extract_levy_disabled(self, dispatcher, tracker, domain):
        found = self._number(tracker, "levy_disabled", "disabled")
        severe = _all_in_one(tracker).get("severe")
        if severe is not None:
            found["levy_severe"] = float(severe)
            found.setdefault("levy_disabled", 0.0)
        return found

    async def extract_levy_wage(self, dispatcher, tracker, domain):
        if self._asked(tracker, "levy_wage") and numbers.says_unknown(latest_text(tracker)):
            return {"levy_wage": UNKNOWN}
        return self._number(tracker, "levy_wage", "wage")

    async def extract_levy_province(self, dispatcher, tracker, domain):
        where = numbers.province(numbers.digits(latest_text(tracker)))
        if where:
            return {"levy_province": where}
        if self._asked(tracker, "levy_province") and (
            numbers.says_unknown(latest_text(tracker)) or "全国" in latest_text(tracker)
        ):
            return {"levy_province": UNKNOWN}
        return {}

    def _check(self, dispatcher, slot, value, label, **limits):
        try:
            number(value, label, **limits)
        except InputError as error:
            dispatcher.utter_message(text=f"{error}请再说一遍。")
            return {slot: None}
        return {slot: value}

    def validate_levy_staff(self, value, dispatcher, tracker, domain):
        if value is not None and float(value) <= 0:
            dispatcher.utter_message(text="在职职工人数要大于0。请再说一遍。")
            return {"levy_staff": None}
        return self._check(dispatcher, "levy_staff", value, "在职职工人数", maximum=levy.MAX_STAFF)

    def validate_levy_disabled(self, value, dispatcher, tracker, domain):
        staff = tracker.get_slot("levy_staff")
        if value is not None and staff not in (None, UNKNOWN) and float(value) > float(staff):
            dispatcher.utter_message(text="残疾职工人数不能多于在职职工人数。请再说一遍。")
            return {"levy_disabled": None}
        return self._check(dispatcher, "levy_disabled", value, "残疾职工人数", maximum=levy.MAX_STAFF,
                           whole=True)

    def validate_levy_wage(self, value, dispatcher, tracker, domain):
        if value == UNKNOWN:
            return {"levy_wage": UNKNOWN}
        return self._check(dispatcher, "levy_wage", value, "职工年平均工资", minimum=1000, maximum=10**8)


def _read_back(tracker: Tracker) -> str:
    staff, disabled = tracker.get_slot("levy_staff"), tracker.get_slot("levy_disabled")
    parts = ["在职职工人数不知道" if staff == UNKNOWN else f"在职职工{fmt_number(_dec(staff))}人"]
    severe = _dec(tracker.get_slot("levy_severe"))
    parts.append("残疾职工人数不知道" if disabled == UNKNOWN else f"残疾职工{fmt_number(_dec(disabled))}人")
    if severe:
        parts.append(f"一、二级残疾职工{fmt_number(severe)}人")
    wage = tracker.get_slot("levy_wage")
    parts.append("平均工资不知道" if wage == UNKNOWN else f"平均工资{fmt_yuan(_dec(wage))}")
    province = tracker.get_slot("levy_province")
    parts.append("省份不知道" if province in (None, UNKNOWN) else f"在{province}")
    return "我听到的是：" + "，".join(parts) + "。对吗？请说数字："


def _dec(value):
    return Decimal(str(value)) if value not in (None, UNKNOWN) else Decimal(0)


class ActionLevyConfirm(Action):
    def name(self) -> Text:
        return "action_levy_confirm"

    def run(self, dispatcher, tracker, domain):
        # The form may have started from the all-in-one sentence's own rule, not by start().
        return [SlotSet(SLOT_CHECK, checks.LEVY), confirm_list(dispatcher, _read_back(tracker), go=messages.LEVY_GO)]


def compute(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[str, Any]]:
    clear = [SlotSet(s, None) for s in SLOTS] + [SlotSet(SLOT_OPTIONS, None), SlotSet(SLOT_FAILURES, None)]
    missing = [label for slot, label in REQUIRED.items() if tracker.get_slot(slot) in (None, UNKNOWN)]
    if missing:
        dispatcher.utter_message(text=messages.CANNOT_CHECK.format(what="、".join(missing)))
        return clear
    wage = tracker.get_slot("levy_wage")
    province = tracker.get_slot("levy_province")
    inputs = {
        "staff": tracker.get_slot("levy_staff"),
        "disabled": tracker.get_slot("levy_disabled") or 0,
        "severe": tracker.get_slot("levy_severe") or 0,
        "wage": None if wage == UNKNOWN else wage,
        "province": None if province == UNKNOWN else province,
    }
    try:
        data = levy.LevyInput.of(
            _dec(inputs["staff"]), None if inputs["wage"] is None else _dec(inputs["wage"]),
            disabled=_dec(inputs["disabled"]), severe=_dec(inputs["severe"]), province=inputs["province"],
        )
        result = levy.calculate(data)
    except InputError as error:
        dispatcher.utter_message(text=f"{error}{messages.START_AGAIN}")
        return clear
    return clear + finish(dispatcher, tracker, result, inputs)


register_form(checks.LEVY, "levy_form", SLOTS, compute)
