"""The questions of each eligibility check (data/screenings.yml) and how answers are read.

Pure functions, no Rasa: the Rasa forms (actions/screening_forms.py), the sync script
that writes the forms into the domain, and the tests share them.

An answer is stored in its slot as the value the rules function takes (True / False,
a number, a choice's value) or ``UNKNOWN`` for 不知道 / 跳过. A question not asked
(its ``only_if`` did not hold) stays None.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Tuple

import yaml

from actions.rules import extract
from actions.rules.inputs import InputError, number
from actions.rules.model import fmt_number, fmt_yuan
from actions.text import normalize

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "data" / "screenings.yml"

UNKNOWN = "unknown"
YES_NO_CHOICES = (("是", True), ("不是", False), ("不知道", UNKNOWN))

_UNSURE = re.compile(r"不太清楚|不是很清楚|说不准|说不好|不太确定|拿不准|不一定|记不清")
_SKIP = re.compile(r"跳过|下一个|下一题|先不说|不想说|不方便说")
_YES_FIRST = re.compile(r"没错|没问题|不错|当然")
_NO = re.compile(r"不是|没有|没|不对|否|不在|不能|不会|不想|不用|不行|无|^不")
_YES = re.compile(r"是|有|对|在|能|会|想|可以|嗯|好|行|签了|交了|缴了|办了|已经|yes|^y$", re.I)


@dataclass(frozen=True)
class Question:
    program: str
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
    yes: Optional[str] = None
    no: Optional[str] = None
    pattern: Optional[str] = None
    prefill: bool = True  # a choice named in any sentence answers it

    @property
    def slot(self) -> str:
        return f"{self.program}_{self.name}"

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
class Program:
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


@dataclass
class Answer:
    """What one message says to one question: a value, or why it cannot be used."""

    value: Any = None  # None: no usable answer
    error: Optional[str] = None  # a number out of range, said politely
    skipped: bool = False

    @property
    def understood(self) -> bool:
        return self.value is not None


def skips(text: str) -> bool:
    """跳过 / 下一个: leave this question open (read as 不知道)."""
    return bool(_SKIP.search(normalize(text or "")))


def answer(question: Question, text: str) -> Answer:
    """Read the answer to the question just asked."""
    plain = normalize(text or "")
    if not plain:
        return Answer()
    if extract.says_unknown(plain) or _UNSURE.search(plain):
        return Answer(UNKNOWN)
    if _SKIP.search(plain):
        return Answer(UNKNOWN, skipped=True)
    choice = _by_number(question, plain)
    if choice is not None:
        return Answer(choice)
    if question.kind == "yes_no":
        return Answer(_yes_no(plain))
    if question.kind == "choice":
        return Answer(_choice(question, plain))
    found = extract.first_number(plain)
    if found is None:
        return Answer()
    try:
        value = number(found, question.label, minimum=question.min, maximum=question.max,
                       whole=question.whole)
    except InputError as error:
        return Answer(error=str(error))
    return Answer(float(value))


def _by_number(question: Question, text: str) -> Any:
    """"1", "第二个": the numbered answer, for yes/no and choices."""
    from actions.text import parse_choice

    if not question.options:
        return None
    picked = parse_choice(text)
    if picked is None or not 1 <= picked <= len(question.options):
        return None
    return question.options[picked - 1][1]


def _yes_no(text: str) -> Optional[bool]:
    if _YES_FIRST.search(text):
        return True
    if _NO.search(text):
        return False
    if _YES.search(text):
        return True
    return None


def _choice(question: Question, text: str, shortest: int = 1) -> Any:
    """The choice whose words appear in the text; the longest match wins."""
    best, length = None, 0
    for value, words in question.choices:
        for word in words:
            if word in text and len(word) > length and len(word) >= shortest:
                best, length = value, len(word)
    return best


def prefill(question: Question, text: str) -> Any:
    """An answer given before the question was asked ("我有残疾证，45岁"), or None."""
    plain = extract.digits(text or "")
    if question.kind == "yes_no":
        if question.no and re.search(question.no, plain):
            return False
        if question.yes and re.search(question.yes, plain):
            return True
        return None
    if question.kind == "choice":
        if not question.prefill:
            return None
        value = _choice(question, plain, shortest=2)
        return value
    if question.pattern:
        match = re.search(question.pattern, plain)
        if match:
            try:
                value = number(match.group(1), question.label, minimum=question.min,
                               maximum=question.max, whole=question.whole)
            except InputError:
                return None
            return float(value)
    return None


def _question(program: str, name: str, raw: Dict[str, Any]) -> Question:
    choices = tuple(
        (value, tuple(str(w) for w in words)) for value, words in (raw.get("choices") or {}).items()
    )
    return Question(
        program=program, name=name, kind=raw["kind"], ask=raw["ask"], label=raw["label"],
        unit=raw.get("unit", ""), example=str(raw.get("example", "")), why=raw.get("why", ""),
        choices=choices, only_if=tuple((raw.get("only_if") or {}).items()),
        required=bool(raw.get("required", False)),
        min=Decimal(str(raw.get("min", 0))), max=Decimal(str(raw.get("max", 10**9))),
        whole=bool(raw.get("whole", False)), yes=raw.get("says_yes"), no=raw.get("says_no"),
        pattern=raw.get("pattern"), prefill=bool(raw.get("prefill", True)),
    )


def load(path: Path = SPEC) -> Dict[str, Program]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    programs = {}
    for program_id, raw in data["programs"].items():
        questions = tuple(_question(program_id, q["name"], q) for q in raw["questions"])
        programs[program_id] = Program(
            id=program_id, title=raw["title"], questions=questions,
            keywords=tuple(raw.get("keywords") or ()), topics=tuple(raw.get("topics") or ()),
        )
    return programs


@functools.lru_cache(maxsize=1)
def default() -> Dict[str, Program]:
    return load()


def for_topic(topic_id: Optional[str]) -> Optional[str]:
    """The check that belongs to a knowledge topic ("tobacco_licence" → "tobacco")."""
    return next((p.id for p in default().values() if topic_id in p.topics), None)


def named_in(text: str) -> Optional[str]:
    """The check a sentence names by its keywords, or None."""
    plain = normalize(text or "")
    return next((p.id for p in default().values() if any(k in plain for k in p.keywords)), None)


__all__ = ["Answer", "Program", "Question", "UNKNOWN", "answer", "default", "for_topic", "load",
           "named_in", "prefill", "said", "skips"]
