"""The questions of each eligibility check (data/checks.yml).

Pure, no Rasa: the Rasa forms (actions/checks.py), the sync script that writes the
forms into the domain, the CLI and the tests share them. How a person's words answer
a question is read by ``jiuye.interpret.answers``.

An answer is stored in its slot as the value the rules function takes (True / False,
a number, a choice's value) or ``UNKNOWN`` for 不知道 / 跳过. A question not asked
(its ``only_if`` did not hold) stays None.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Tuple

import yaml

from jiuye.checks.model import fmt_number, fmt_yuan
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

    @property
    def slot(self) -> str:
        return f"{self.check}_{self.name}"

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
        return need + "不清楚就说“不知道”，说“跳过”先跳过，说“人工”找工作人员。"

    def applies(self, answers: Mapping[str, Any]) -> bool:
        return all(answers.get(name) == value for name, value in self.only_if)


@dataclass(frozen=True)
class Check:
    id: str
    title: str
    questions: Tuple[Question, ...]
    keywords: Tuple[str, ...] = ()
    topics: Tuple[str, ...] = ()

    @property
    def form(self) -> str:
        return f"{self.id}_form"

    @property
    def slots(self) -> List[str]:
        return [q.slot for q in self.questions]

    def question(self, slot: str) -> Optional[Question]:
        return next((q for q in self.questions if q.slot == slot), None)

    def answers(self, slots: Mapping[str, Any]) -> Dict[str, Any]:
        """Slot values by question name."""
        return {q.name: slots.get(q.slot) for q in self.questions}

    def to_ask(self, answers: Mapping[str, Any]) -> List[Question]:
        """The questions that apply given the answers so far, in order."""
        return [q for q in self.questions if q.applies(answers)]

    def arguments(self, answers: Mapping[str, Any]) -> Dict[str, Any]:
        """Keyword arguments for the rules function: 不知道 and unasked → None."""
        result = {}
        for q in self.to_ask(answers):
            value = answers.get(q.name)
            if value in (None, UNKNOWN):
                value = None
            elif q.kind == "number":  # slots hold floats; 45.0 is said "45"
                value = Decimal(str(value))
                value = int(value) if value == value.to_integral_value() else value
            result[q.name] = value
        return result

    def missing_required(self, answers: Mapping[str, Any]) -> List[Question]:
        return [q for q in self.to_ask(answers) if q.required and answers.get(q.name) in (None, UNKNOWN)]

    def read_back(self, answers: Mapping[str, Any]) -> str:
        parts = [said(q, answers.get(q.name)) for q in self.to_ask(answers)]
        return "我听到的是：" + "；".join(parts) + "。对吗？请说数字："


def said(question: Question, value: Any) -> str:
    """One answer as read back: "年龄45岁", "残疾人证：是", "申请人：个人"."""
    if value in (None, UNKNOWN):
        return f"{question.label}：不知道"
    if question.kind == "yes_no":
        return f"{question.label}：{'是' if value else '不是'}"
    if question.kind == "choice":
        words = next((w for v, w in question.choices if v == value), (str(value),))
        return f"{question.label}：{words[0]}"
    if question.unit == "元":
        return f"{question.label}{fmt_yuan(Decimal(str(value)))}"
    return f"{question.label}{fmt_number(Decimal(str(value)))}{question.unit}"


def _question(check: str, name: str, raw: Dict[str, Any]) -> Question:
    choices = tuple(
        (value, tuple(str(w) for w in words)) for value, words in (raw.get("choices") or {}).items()
    )
    return Question(
        check=check, name=name, kind=raw["kind"], ask=raw["ask"], label=raw["label"],
        unit=raw.get("unit", ""), example=str(raw.get("example", "")), why=raw.get("why", ""),
        choices=choices, only_if=tuple((raw.get("only_if") or {}).items()),
        required=bool(raw.get("required", False)),
        min=Decimal(str(raw.get("min", 0))), max=Decimal(str(raw.get("max", 10**9))),
        whole=bool(raw.get("whole", False)), yes=raw.get("says_yes"), no=raw.get("says_no"),
        echo_yes=raw.get("echo_yes"), echo_no=raw.get("echo_no"), negated=bool(raw.get("negated", False)),
        pattern=raw.get("pattern"), prefill=bool(raw.get("prefill", True)),
    )


def load(path: Path = SPEC) -> Dict[str, Check]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    checks = {}
    for check_id, raw in data["checks"].items():
        questions = tuple(_question(check_id, q["name"], q) for q in raw["questions"])
        checks[check_id] = Check(
            id=check_id, title=raw["title"], questions=questions,
            keywords=tuple(raw.get("keywords") or ()), topics=tuple(raw.get("topics") or ()),
        )
    return checks


@functools.lru_cache(maxsize=1)
def default() -> Dict[str, Check]:
    return load()


# The levy calculation (actions/levy.py) is a check with a form of its own: its
# all-in-one sentence ("我们公司200人……在湖南") fills several questions at once.
LEVY = "levy"
LEVY_TITLE = "单位要交多少残保金"
LEVY_TOPICS = ("levy", "levy_reduction", "quota_ratio")


def for_topic(topic_id: Optional[str]) -> Optional[str]:
    """The check that belongs to a knowledge topic ("tobacco_licence" → "tobacco")."""
    if topic_id in LEVY_TOPICS:
        return LEVY
    return next((p.id for p in default().values() if topic_id in p.topics), None)


def named_in(text: str) -> Optional[str]:
    """The check a sentence names by its keywords, or None."""
    plain = normalize(text or "")
    return next((p.id for p in default().values() if any(k in plain for k in p.keywords)), None)


__all__ = ["LEVY", "LEVY_TITLE", "LEVY_TOPICS", "Check", "Question", "UNKNOWN", "YES_NO_CHOICES", "default", "for_topic", "load",
           "named_in", "said"]
