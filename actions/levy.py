"""The levy calculation, a check with a form of its own: fill what is missing, read
back, compute.

The first sentence may already carry everything ("我们公司200个员工，去年安排了1个
三级残疾人，职工年平均工资8万，在湖南"); the form then asks nothing and the person
hears the numbers back once before the result, with every step of the calculation.
"""
from __future__ import annotations

import logging
import re
from decimal import Decimal
from typing import Any, Dict, List, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.checks import (
    ASK_AGAIN,
    SLOT_CHECK,
    SLOT_FAILURES,
    confirm_list,
    failed_answer,
    finish,
    interrupts,
    is_command,
    register_form,
)
from actions.dialogue import REQUESTED, SLOT_OPTIONS, latest_text, stale_press
from jiuye import checks, messages
from jiuye.checks import levy
from jiuye.checks.inputs import InputError, number
from jiuye.checks.model import fmt_number, fmt_yuan
from jiuye.interpret import answers, numbers

logger = logging.getLogger(__name__)
SLOTS = ("levy_staff", "levy_disabled", "levy_severe", "levy_wage", "levy_province", "levy_wage_month",
         "levy_local_wage", "levy_wage_unsure")
NUMBER_SLOTS = ("levy_staff", "levy_disabled", "levy_wage", "levy_wage_unsure")
# Said in the same sentence, kept beside the form's questions (not asked for themselves).
ALSO_SAID = {"severe": "levy_severe", "wage_month": "levy_wage_month", "local_wage": "levy_local_wage"}
# A wage too low for a year's: said back, then the form asks utter_ask_levy_wage_unsure.
WAGE_SAID = "您说的是{amount}。"
WAGE_WHICH_EXPLAIN = "一年的平均工资很少这么低，所以我要问清楚。每个月的工资请说“每月”，一年的请说“一年”。"
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
        if is_command(tracker) or stale_press(tracker):
            return []  # the form is rejected; the command's own rule answers
        requested = tracker.get_slot(REQUESTED)
        text = latest_text(tracker)
        if requested in EXPLAIN and not _all_in_one(tracker) and (
            numbers.says_unknown(text) or answers.skips(text)
        ):
            return [SlotSet(requested, UNKNOWN)]  # 不知道 is an answer, not a loop
        if requested in NUMBER_SLOTS and interrupts(tracker) and not _all_in_one(tracker) \
                and not numbers.is_short_answer(text):
            return []  # a question that holds a number ("打12385没人接"): its rule answers it
        if requested in ("levy_wage", "levy_wage_unsure") and not _all_in_one(tracker):
            wage = self._wage_answer(dispatcher, tracker)
            if wage is not None:
                return wage
            if requested == "levy_wage_unsure":
                if interrupts(tracker):
                    return []  # the form is rejected; the command's own rule answers
                return [failed_answer(dispatcher, tracker, requested, WAGE_WHICH_EXPLAIN + HELP_AFTER),
                        SlotSet(REQUESTED, requested)]
        events = await super().run(dispatcher, tracker, domain) + self._also_said(tracker)
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

    @staticmethod
    def _also_said(tracker: Tracker) -> List[Dict[str, Any]]:
        """What the sentence says beside the questions: 一、二级 staff (rasa_sdk keeps only
        the form's own slots from extraction), the monthly wage, the local average wage."""
        said = _all_in_one(tracker)
        events = [SlotSet(slot, float(said[key])) for key, slot in ALSO_SAID.items() if key in said]
        if "severe" in said and "disabled" not in said and tracker.get_slot("levy_disabled") is None:
            events.append(SlotSet("levy_disabled", 0.0))
        return events

    def _wage_answer(self, dispatcher, tracker: Tracker):
        """The answer to the wage question, its period read: "每月6000" (a year is 12
        months), the answer to "每月的还是一年的？", or a figure too low for a year's wage,
        which is asked about rather than guessed. None: nothing usable (read as usual)."""
        text = latest_text(tracker)
        period = numbers.wage_period(text)
        unsure = tracker.get_slot("levy_wage_unsure")
        amount = numbers.wage_amount(text)
        if unsure is not None and numbers.says_unknown(text):
            return [SlotSet("levy_wage", UNKNOWN), SlotSet("levy_wage_unsure", None),
                    SlotSet(REQUESTED, self._next(tracker, "levy_wage"))]
        if unsure is not None and period and (amount is None or amount == Decimal(str(unsure))):
            amount = Decimal(str(unsure))
        elif amount is None or amount <= 0:
            return None
        yearly = amount * 12 if period == "month" else amount
        if period is None and yearly < numbers.LOW_YEARLY_WAGE:  # asked, not guessed
            dispatcher.utter_message(text=WAGE_SAID.format(amount=fmt_yuan(amount)))
            return [SlotSet("levy_wage_unsure", float(amount)), SlotSet(REQUESTED, "levy_wage_unsure")]
        try:
            number(yearly, "职工年平均工资", minimum=1000, maximum=10**8)
        except InputError as error:
            dispatcher.utter_message(text=f"{error}请再说一遍。")
            return [SlotSet("levy_wage_unsure", None), SlotSet(REQUESTED, "levy_wage")]
        return [SlotSet("levy_wage", float(yearly)), SlotSet("levy_wage_month", float(amount) if period == "month" else None),
                SlotSet("levy_wage_unsure", None), SlotSet(REQUESTED, self._next(tracker, "levy_wage"))]

    @staticmethod
    def _next(tracker: Tracker, answered: str):
        """The form's next open question once ``answered`` is filled."""
        for slot in ("levy_staff", "levy_disabled", "levy_wage", "levy_province"):
            if slot != answered and tracker.get_slot(slot) is None:
                return slot
        return None

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
        found = _all_in_one(tracker).get("wage")
        if found is None and self._asked(tracker, "levy_wage"):
            found = numbers.wage_amount(latest_text(tracker))  # "到2027年" is no wage
        return {"levy_wage": float(found)} if found is not None else {}

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


def _parts(tracker: Tracker) -> Dict[str, str]:
    """Each answer as it is read back."""
    staff, disabled = tracker.get_slot("levy_staff"), tracker.get_slot("levy_disabled")
    parts = {"staff": "在职职工人数不知道" if staff == UNKNOWN else f"在职职工{fmt_number(_dec(staff))}人"}
    severe = _dec(tracker.get_slot("levy_severe"))
    parts["disabled"] = "残疾职工人数不知道" if disabled == UNKNOWN else f"残疾职工{fmt_number(_dec(disabled))}人"
    if severe:
        parts["disabled"] += f"，一、二级残疾职工{fmt_number(severe)}人"
    wage, month = tracker.get_slot("levy_wage"), tracker.get_slot("levy_wage_month")
    if wage == UNKNOWN:
        parts["wage"] = "平均工资不知道"
    elif month:
        parts["wage"] = f"平均工资每月{fmt_yuan(_dec(month))}，一年{fmt_yuan(_dec(wage))}"
    else:
        parts["wage"] = f"平均工资{fmt_yuan(_dec(wage))}"
    local = tracker.get_slot("levy_local_wage")
    if local:
        parts["wage"] += f"，当地社平工资{fmt_yuan(_dec(local))}"
    province = tracker.get_slot("levy_province")
    parts["province"] = "省份不知道" if province in (None, UNKNOWN) else f"在{province}"
    return parts


def _read_back(tracker: Tracker) -> str:
    return "我听到的是：" + "，".join(_parts(tracker).values()) + "。对吗？请说数字："


def _dec(value):
    return Decimal(str(value)) if value not in (None, UNKNOWN) else Decimal(0)


def read_back(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[Dict[str, Any]]:
    # The form may have started from the all-in-one sentence's own rule, not by start().
    return [SlotSet(SLOT_CHECK, checks.LEVY)] + confirm_list(dispatcher, _read_back(tracker), go=messages.LEVY_GO)


class ActionLevyConfirm(Action):
    def name(self) -> Text:
        return "action_levy_confirm"

    def run(self, dispatcher, tracker, domain):
        return read_back(dispatcher, tracker)


def answered(tracker: Tracker) -> List[tuple]:
    """The answers as read back, each with the question's slot (for "哪一项不对？")."""
    parts = _parts(tracker)
    return [(parts["staff"], "levy_staff"), (parts["disabled"], "levy_disabled"), (parts["wage"], "levy_wage"),
            (parts["province"], "levy_province")]


# "人数说错了": which answer a correction names, by its words (残疾 before 职工).
FIELD_WORDS = (("levy_disabled", r"残疾"), ("levy_wage", r"工资|薪|收入"), ("levy_province", r"省|地方|地区"),
               ("levy_staff", r"人数|员工|职工|在职|人"))
FROM_SENTENCE = {"staff": "levy_staff", "disabled": "levy_disabled", "severe": "levy_severe", "wage": "levy_wage",
                 "wage_month": "levy_wage_month", "local_wage": "levy_local_wage", "province": "levy_province"}


def corrections(dispatcher: CollectingDispatcher, tracker: Tracker, text: str):
    """What a correction at the read-back changes: slot → value, a slot → ASK_AGAIN
    when it is named without a usable value, or None when nothing is understood."""
    said = numbers.levy_slots(text)
    fixes: Dict[str, Any] = {FROM_SENTENCE[k]: (v if k == "province" else float(v)) for k, v in said.items()}
    if not fixes:
        named = next((slot for slot, words in FIELD_WORDS if re.search(words, text)), None)
        if named is None:
            return None
        value = numbers.wage_amount(text) if named == "levy_wage" else numbers.first_number(text)
        if named == "levy_province":
            value = numbers.province(numbers.digits(text))
        if value is None:
            return {named: ASK_AGAIN}
        fixes = {named: value if named == "levy_province" else float(value)}
        if named == "levy_wage":
            fixes["levy_wage_month"] = None
    if "levy_disabled" in fixes or "levy_severe" in fixes:  # the new count replaces both
        fixes.setdefault("levy_disabled", 0.0)
        fixes.setdefault("levy_severe", 0.0)
    if "levy_wage" in fixes:
        fixes.setdefault("levy_wage_month", None)
    staff = fixes.get("levy_staff", tracker.get_slot("levy_staff"))
    try:
        if "levy_staff" in fixes:
            if fixes["levy_staff"] <= 0:
                raise InputError("在职职工人数要大于0。")
            number(fixes["levy_staff"], "在职职工人数", minimum=0, maximum=levy.MAX_STAFF)
        if "levy_disabled" in fixes:
            number(fixes["levy_disabled"], "残疾职工人数", maximum=levy.MAX_STAFF, whole=True)
            if staff not in (None, UNKNOWN) and fixes["levy_disabled"] + fixes["levy_severe"] > float(staff):
                raise InputError("残疾职工人数不能多于在职职工人数。")
        if "levy_wage" in fixes:
            number(fixes["levy_wage"], "职工年平均工资", minimum=1000, maximum=10**8)
    except InputError as error:
        dispatcher.utter_message(text=str(error))
        return {next(iter(fixes)): ASK_AGAIN}
    return fixes


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
        "local_wage": tracker.get_slot("levy_local_wage"),
        "province": None if province == UNKNOWN else province,
    }
    try:
        data = levy.LevyInput.of(
            _dec(inputs["staff"]), None if inputs["wage"] is None else _dec(inputs["wage"]),
            disabled=_dec(inputs["disabled"]), severe=_dec(inputs["severe"]), province=inputs["province"],
            local_average_wage=None if inputs["local_wage"] is None else _dec(inputs["local_wage"]),
        )
        result = levy.calculate(data)
    except InputError as error:
        dispatcher.utter_message(text=f"{error}{messages.START_AGAIN}")
        return clear
    return clear + finish(dispatcher, tracker, result, inputs)


register_form(checks.LEVY, "levy_form", SLOTS, compute, read_back, answered, corrections,
              dependents={"levy_disabled": ("levy_severe",),
                          "levy_wage": ("levy_wage_month", "levy_wage_unsure", "levy_local_wage")})
