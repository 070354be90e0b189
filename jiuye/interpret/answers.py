"""How a person's words answer one question of a check (data/checks.yml).

``answer`` reads the reply to the question just asked: a numbered answer, yes / no,
不知道 / 跳过, a choice named in words, or a number within the question's bounds.
``prefill`` reads what a sentence already says about a question not asked yet
("我有残疾证，45岁"). Both return the value the rules function takes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Optional

from jiuye.checks.inputs import InputError, number
from jiuye.checks.spec import UNKNOWN, Question
from jiuye.interpret import numbers
from jiuye.interpret.commands import parse_choice
from jiuye.text import normalize

_UNSURE = re.compile(r"不太清楚|不是很清楚|说不准|说不好|不太确定|拿不准|不一定|记不清")
_SKIP = re.compile(r"跳过|下一个|下一题|先不说|不想说|不方便说")
_YES_FIRST = re.compile(r"没错|没问题|不错|当然")
_NO = re.compile(r"不是|没有|没|不对|否|不在|不能|不会|不想|不用|不行|无|^不")
_YES = re.compile(r"是|有|对|在|能|会|想|可以|嗯|好|行|签了|交了|缴了|办了|已经|yes|^y$", re.I)


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
    if numbers.says_unknown(plain) or _UNSURE.search(plain):
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
    found = numbers.first_number(plain)
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
    plain = numbers.digits(text or "")
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
