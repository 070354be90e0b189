"""The questions of each eligibility check (data/checks.yml).

Pure, no Rasa: the Rasa forms (actions/checks.py), the sync script that writes the
forms into the domain, the CLI and the tests share them. How a person's words answer
a question is read by ``jiuye.interpret.answers``.

An answer is stored in its slot as the value the rules function takes (True / False,
a number, a choice's value) or ``UNKNOWN`` for 不知道 / 跳过. A question not asked
(its ``only_if`` did not hold) stays None.

Beside the questions a check may hold *facts*: values a sentence can say but the
form never asks for (the levy's 一、二级 staff, the local average wage), kept in
their own slots, read back after the question they go with and handed to the rules.
A question answered per year (``per: year``) also keeps the monthly figure a person
gave (``<slot>_month``) and a figure too low for a year, asked about before it is
used (``<slot>_unsure``).
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Tuple

import yaml

from jiuye.checks.model import OPEN_ENDED_YEARS, fmt_number, fmt_yuan
from jiuye.messages import ANSWER_HELP, CONFIRM_GO
from jiuye.paths import DATA
from jiuye.text import normalize

SPEC = DATA / "checks.yml"

UNKNOWN = "unknown"
YES_NO_CHOICES = (("是", True), ("不是", False), ("不知道", UNKNOWN))



@dataclass(frozen=True)
class Question:
    check: str
    name: str
    kind: str  # yes_no | number | choice
    ask: str
    label: str
    unit: str = ""
    example: str = ""
    why: str = ""
    choices: Tuple[Tuple[Any, Tuple[str, ...]], ...] = ()
    only_if: Tuple[Tuple[str, Any], ...] = ()
    unless: Tuple[str, ...] = ()  # not asked once one of these facts is known
    required: bool = False
    min: Decimal = Decimal(0)
    max: Decimal = Decimal(10**9)
    whole: bool = False
    yes: Optional[str] = None  # says_yes: a yes to it from any sentence
    no: Optional[str] = None  # says_no
    echo_yes: Optional[str] = None  # a yes to it when it was just asked
    echo_no: Optional[str] = None
    negated: bool = False  # it states a negative: "没有" agrees
    pattern: Optional[str] = None
    prefill: bool = True  # a choice named in any sentence answers it
    per: Optional[str] = None  # "year" / "month": an amount per period; the other period is converted
    ask_period: str = ""  # per year: "每个月的还是一年的？"
    per_person: bool = False  # an amount per person of a household: one person's with a family size is asked again
    at_most: Optional[Tuple[str, str]] = None  # (another question's name, why it cannot be more)
    above: Optional[Decimal] = None  # a number that must be more than this (在职职工 > 0)
    named_by: Optional[str] = None  # words that name it in a correction ("人数说错了")
    read_as: str = ""  # how it is read back, "{value}" in it ("在{value}")
    total_over: Optional[str] = None  # a 总额 said for it is divided by this answer (工资总额 ÷ 在职职工)
    max_by: Tuple[Tuple[str, Any, Decimal, str], ...] = ()  # (other question, its answer, most, why)

    @property
    def slot(self) -> str:
        return f"{self.check}_{self.name}"

    @property
    def other_period(self) -> str:
        """The period a person may give instead: a month for a yearly amount, and back."""
        return "month" if self.per == "year" else "year"

    @property
    def as_said_slot(self) -> str:
        """The figure as the person gave it, in the other period (levy_wage_month)."""
        return f"{self.slot}_{self.other_period}"

    @property
    def unsure_slot(self) -> str:
        return f"{self.slot}_unsure"

    @property
    def own_slots(self) -> Tuple[str, ...]:
        """Its slot, and for a yearly amount the month and the figure asked about."""
        if self.per == "year":
            return (self.slot, self.as_said_slot, self.unsure_slot)
        return (self.slot, self.as_said_slot) if self.per else (self.slot,)

    @property
    def options(self) -> List[Tuple[str, Any]]:
        """The numbered answers read out with the question: (words, value)."""
        if self.kind == "yes_no":
            return list(YES_NO_CHOICES)
        if self.kind == "choice":
            return [(words[0], value) for value, words in self.choices] + [("不知道", UNKNOWN)]
        return []

    def prompt(self) -> str:
        """The question as said, with the numbered answers for yes/no and choices."""
        if not self.options:
            return self.ask
        lines = [f"{self.ask}请说数字："]
        lines += [f"{n}. {words}" for n, (words, _) in enumerate(self.options, 1)]
        return "\n".join(lines)

    def buttons(self) -> List[Dict[str, str]]:
        return [{"title": f"{n} {words}", "payload": words} for n, (words, _) in enumerate(self.options, 1)]

    def explanation(self) -> str:
        """After two answers the bot could not use: what it needs, with an example."""
        if self.kind == "yes_no":
            need = f"{self.why}请回答“是”或“不是”。"
        else:
            example = self.example or self.options[0][0]
            need = f"我需要知道{self.label}。{self.why}可以这样回答：“{example}”。"
        return need + ANSWER_HELP

    def applies(self, answers: Mapping[str, Any]) -> bool:
        return (all(answers.get(name) == value for name, value in self.only_if)
                and all(answers.get(name) in (None, UNKNOWN) for name in self.unless))


@dataclass(frozen=True)
class Fact:
    """A value a sentence may say beside the questions, never asked for itself."""

    check: str
    name: str
    label: str
    unit: str = ""
    with_question: str = ""  # read back after this question; asked again with it
    part_of: bool = False  # a part of that question's count: said alone, the rest is 0

    @property
    def slot(self) -> str:
        return f"{self.check}_{self.name}"


@dataclass(frozen=True)
class Check:
    id: str
    title: str
    questions: Tuple[Question, ...]
    keywords: Tuple[str, ...] = ()
    topics: Tuple[str, ...] = ()
    facts: Tuple[Fact, ...] = ()
    rules: str = ""  # the rules function's id (jiuye/checks/registry.py); the check's id by default
    sentence: Optional[str] = None  # a reader of its all-in-one sentence (jiuye/interpret/sentences.py)
    intent: Optional[str] = None  # an NLU intent that starts it at once ("calculate_levy")
    go: str = CONFIRM_GO  # the read-back's first option

    @property
    def form(self) -> str:
        return f"{self.id}_form"

    @property
    def slots(self) -> List[str]:
        """The questions' slots, in the order asked (the form's required slots)."""
        return [q.slot for q in self.questions]

    @property
    def all_slots(self) -> List[str]:
        """Every slot the check keeps: cleared when it starts, is cancelled or done."""
        return [s for q in self.questions for s in q.own_slots] + [f.slot for f in self.facts]

    def question(self, slot: str) -> Optional[Question]:
        return next((q for q in self.questions if slot in (q.slot, q.unsure_slot)), None)

    def by_name(self, name: str) -> Optional[Question]:
        return next((q for q in self.questions if q.name == name), None)

    def facts_with(self, name: str) -> List[Fact]:
        return [f for f in self.facts if f.with_question == name]

    def dependents(self, slot: str) -> Tuple[str, ...]:
        """What goes when an answer is asked again: its month and unsure figures, its facts."""
        question = self.question(slot)
        if question is None:
            return ()
        return tuple(s for s in question.own_slots if s != slot) + tuple(f.slot for f in self.facts_with(question.name))

    def answers(self, slots: Mapping[str, Any]) -> Dict[str, Any]:
        """Slot values by question (and fact) name; an amount given in the other period
        as ``<name>_month`` (or ``_year``)."""
        given = {q.name: slots.get(q.slot) for q in self.questions}
        given.update({f.name: slots.get(f.slot) for f in self.facts})
        given.update({f"{q.name}_{q.other_period}": slots.get(q.as_said_slot) for q in self.questions if q.per})
        return given

    def to_ask(self, answers: Mapping[str, Any]) -> List[Question]:
        """The questions that apply given the answers so far, in order; when those answers
        already decide the result (25 staff: exempt from the levy), only those answered."""
        from jiuye.checks.registry import ASKED_ONLY_IF, SETTLED  # the rules modules never import this one

        known = {k: v for k, v in answers.items() if v != UNKNOWN}
        matters = ASKED_ONLY_IF.get(self.rules, {})
        applies = [q for q in self.questions if q.applies(answers)
                   and (q.name not in matters or matters[q.name](known))]
        settled = SETTLED.get(self.rules)
        if settled is not None and settled(known):
            return [q for q in applies if answers.get(q.name) is not None]
        return applies

    def answered(self, answers: Mapping[str, Any]) -> List[Question]:
        """The questions asked, and those not asked only because a fact made them needless
        but answered anyway ("北京，我们这比例是1.5%": the province too), in order."""
        asked = self.to_ask(answers)
        return [q for q in self.questions if q in asked or (
            q.unless and q.applies({**answers, **{name: None for name in q.unless}})
            and answers.get(q.name) not in (None, UNKNOWN))]

    def arguments(self, answers: Mapping[str, Any]) -> Dict[str, Any]:
        """Keyword arguments for the rules function: 不知道 and unasked → None."""
        result = {}
        for q in self.answered(answers):
            value = answers.get(q.name)
            if value in (None, UNKNOWN):
                value = None
            elif q.kind == "number":  # slots hold floats; 45.0 is said "45"
                value = Decimal(str(value))
                value = int(value) if value == value.to_integral_value() else value
            result[q.name] = value
        for fact in self.facts:
            value = answers.get(fact.name)
            if value not in (None, UNKNOWN):
                result[fact.name] = _plain_number(value)
        return result

    def missing_required(self, answers: Mapping[str, Any]) -> List[Question]:
        return [q for q in self.to_ask(answers) if q.required and answers.get(q.name) in (None, UNKNOWN)]

    def said(self, question: Question, answers: Mapping[str, Any]) -> str:
        """One answer as read back, with the month it was given in and its facts:
        "平均工资每月6,000元，一年72,000元，当地社平工资100,000元"."""
        value = answers.get(question.name)
        parts = [f for f in self.facts_with(question.name) if f.part_of]
        if parts and isinstance(value, (int, float)) and not isinstance(value, bool):
            return self._said_with_parts(question, value, parts, answers)
        text = said(question, value)
        as_said = answers.get(f"{question.name}_{question.other_period}")
        if question.per and as_said not in (None, UNKNOWN) and value not in (None, UNKNOWN):
            first, then = ("每月", "一年") if question.per == "year" else ("一年", "每月")
            text = f"{question.label}{first}{_amount(as_said, question.unit)}，{then}{_amount(value, question.unit)}"
        for fact in self.facts_with(question.name):
            extra = answers.get(fact.name)
            if extra not in (None, UNKNOWN) and (extra or not fact.part_of):
                text += f"，{fact.label}{_amount(extra, fact.unit)}"
        return text

    def _said_with_parts(self, question: Question, value: float, parts: List[Fact], answers: Mapping[str, Any]) -> str:
        """A count read back as the person counts: the whole, then its part said or said to be
        none, so a level left out can be heard and corrected ("残疾职工1人（没有一、二级残疾职工）",
        "残疾职工2人（其中一、二级残疾职工1人）")."""
        counted = {f.name: answers.get(f.name) for f in parts}
        counted = {k: (0 if v in (None, UNKNOWN) else v) for k, v in counted.items()}
        total = value + sum(counted.values())
        text = said(question, total)
        if total:
            named = [f"{f.label}{_amount(counted[f.name], f.unit)}" for f in parts if counted[f.name]]
            text += f"（其中{'、'.join(named)}）" if named else "（没有" + "、".join(f.label for f in parts) + "）"
        return text

    def read_back(self, answers: Mapping[str, Any]) -> str:
        asked = self.answered(answers)
        parts = [self.said(q, answers) for q in asked]
        # a fact whose question is not asked (the province, once the local ratio is said)
        parts += [f"{f.label}{_amount(answers[f.name], f.unit)}" for f in self.facts
                  if answers.get(f.name) not in (None, UNKNOWN) and all(q.name != f.with_question for q in asked)]
        return "我听到的是：" + "；".join(parts) + "。对吗？请说数字："


def _plain_number(value: Any) -> Any:
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        value = Decimal(str(value))
        return int(value) if value == value.to_integral_value() else value
    return value


def _amount(value: Any, unit: str) -> str:
    if unit == "元":
        return fmt_yuan(Decimal(str(value)))
    return f"{fmt_number(Decimal(str(value)))}{unit}"


def said(question: Question, value: Any) -> str:
    """One answer as read back: "年龄45岁", "残疾人证：是", "申请人：个人", "在湖南"."""
    if value in (None, UNKNOWN):
        return f"{question.label}：不知道"
    if question.read_as:
        shown = fmt_number(Decimal(str(value))) if question.kind == "number" else value
        return question.read_as.format(value=shown)
    if question.kind == "yes_no":
        return f"{question.label}：{'是' if value else '不是'}"
    if question.kind == "choice":
        words = next((w for v, w in question.choices if v == value), (str(value),))
        return f"{question.label}：{words[0]}"
    if question.unit == "元":
        return f"{question.label}{fmt_yuan(Decimal(str(value)))}"
    if question.unit == "年" and Decimal(str(value)) >= OPEN_ENDED_YEARS:
        return f"{question.label}：无固定期限"
    return f"{question.label}{fmt_number(Decimal(str(value)))}{question.unit}"


def _question(check: str, name: str, raw: Dict[str, Any]) -> Question:
    choices = tuple(
        (value, tuple(str(w) for w in words)) for value, words in (raw.get("choices") or {}).items()
    )
    return Question(
        check=check, name=name, kind=raw["kind"], ask=raw["ask"], label=raw["label"],
        unit=raw.get("unit", ""), example=str(raw.get("example", "")), why=raw.get("why", ""),
        choices=choices, only_if=tuple((raw.get("only_if") or {}).items()), unless=tuple(raw.get("unless") or ()),
        required=bool(raw.get("required", False)),
        min=Decimal(str(raw.get("min", 0))), max=Decimal(str(raw.get("max", 10**9))),
        whole=bool(raw.get("whole", False)), yes=raw.get("says_yes"), no=raw.get("says_no"),
        echo_yes=raw.get("echo_yes"), echo_no=raw.get("echo_no"), negated=bool(raw.get("negated", False)),
        pattern=raw.get("pattern"), prefill=bool(raw.get("prefill", True)),
        per=raw.get("per"), ask_period=raw.get("ask_period", ""),
        at_most=tuple(raw["at_most"].items())[0] if raw.get("at_most") else None,
        above=None if raw.get("above") is None else Decimal(str(raw["above"])),
        named_by=raw.get("named_by"), read_as=raw.get("read_as", ""),
        per_person=bool(raw.get("per_person", False)),
        total_over=raw.get("total_over"),
        max_by=tuple((other, answer, Decimal(str(most)), why) for other, limits in (raw.get("max_by") or {}).items()
                     for answer, (most, why) in limits.items()),
    )


def load(path: Path = SPEC) -> Dict[str, Check]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    checks = {}
    for check_id, raw in data["checks"].items():
        questions = tuple(_question(check_id, q["name"], q) for q in raw["questions"])
        facts = tuple(
            Fact(check=check_id, name=f["name"], label=f["label"], unit=f.get("unit", ""),
                 with_question=f.get("with", ""), part_of=bool(f.get("part_of", False)))
            for f in raw.get("facts") or ()
        )
        checks[check_id] = Check(
            id=check_id, title=raw["title"], questions=questions,
            keywords=tuple(raw.get("keywords") or ()), topics=tuple(raw.get("topics") or ()),
            facts=facts, rules=raw.get("rules", check_id), sentence=raw.get("sentence"),
            intent=raw.get("intent"), go=raw.get("go", CONFIRM_GO),
        )
    return checks


@functools.lru_cache(maxsize=1)
def default() -> Dict[str, Check]:
    return load()


def for_topic(topic_id: Optional[str]) -> Optional[str]:
    """The check that belongs to a knowledge topic ("tobacco_licence" → "tobacco")."""
    return next((p.id for p in default().values() if topic_id in p.topics), None)


def named_in(text: str) -> Optional[str]:
    """The check a sentence names by its keywords, or None."""
    plain = normalize(text or "")
    return next((p.id for p in default().values() if any(k in plain for k in p.keywords)), None)


__all__ = ["Check", "Fact", "Question", "UNKNOWN", "YES_NO_CHOICES", "default", "for_topic", "load", "named_in", "said"]
