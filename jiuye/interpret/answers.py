"""How a person's words answer one question of a check (data/checks.yml).

``answer`` reads the reply to the question just asked: a numbered answer, yes / no,
不知道 / 跳过, a choice named in words, or a number within the question's bounds.
``prefill`` reads what a sentence already says about a question not asked yet
("我有残疾证，45岁"). Both return the value the rules function takes.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
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
_YES = re.compile(r"是|有|对|在|能|会|想|可以|嗯|好|行|签了|签过|交了|缴了|交齐|缴齐|齐了|办了|办好|已经|落实|同意|愿意|"
                  r"yes|^y$", re.I)
# A question back, not an answer: "嗯？什么意思".
_ASKS_BACK = re.compile(r"什么意思|啥意思|什么是|没听懂|听不懂|不明白|不懂你|说的啥|说什么")
# To "how many": none at all ("没有", "没贷过", "从来没有", "一个也没有").
_NONE_COUNT = re.compile(r"^(?:还|我|我们|家里)?(?:没有|没|无|从来没|从没|一个也没|一次也没|一分也没)")
RANGE = "我需要一个确定的数，不是一个范围。"
# To a question that states a negative ("近5年没有犯罪记录，对吗？"): "没有" agrees.
_NONE = re.compile(r"没有|没|无|从来|从未|未曾|一次也")
_DISAGREE = re.compile(r"不对|不是|错了|说错")


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
    if _ASKS_BACK.search(plain):
        return Answer()
    choice = _by_number(question, plain)
    if choice is not None:
        return Answer(choice)
    if question.kind == "yes_no":
        return Answer(_yes_no(question, plain))
    if question.kind == "choice":
        return Answer(_choice(question, plain))
    if numbers.says_range(plain):
        return Answer(error=RANGE)
    found = numbers.first_number(plain)
    if found is None and question.min <= 0 and _NONE_COUNT.search(plain):
        found = Decimal(0)
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


def _matches(pattern: Optional[str], text: str) -> bool:
    return bool(pattern) and bool(re.search(pattern, text))


def _yes_no(question: Question, text: str) -> Optional[bool]:
    """Yes or no to ``question``, as people answer: first the question's own words
    ("我自己经营", "离学校很远"), then its polarity (to "近5年没有犯罪记录，对吗？" the
    answer "没有" agrees), then the common words (有 / 没有, 是 / 不是, 能 / 不能 …)."""
    plain = numbers.digits(text)
    if _matches(question.no, plain) or _matches(question.echo_no, text):
        return False
    if _matches(question.yes, plain) or _matches(question.echo_yes, text):
        return True
    if _YES_FIRST.search(text):
        return True
    if question.negated:
        if _DISAGREE.search(text):
            return False
        if _NONE.search(text):
            return True
        if "有" in text:
            return False
        return True if _YES.search(text) else None
    if _NO.search(text):
        return False
    if _YES.search(text):
        return True
    return None


def answers_another(question: Question, others, text: str) -> bool:
    """The message is about another question of the check, not the one asked:
    "不在学校旁边" said to "已经办了营业执照吗？" answers 在学校附近 only."""
    plain = numbers.digits(text)
    if any(_matches(p, plain) for p in (question.yes, question.no)) or \
            any(_matches(p, text) for p in (question.echo_yes, question.echo_no)):
        return False
    return any(_matches(q.yes, plain) or _matches(q.no, plain) for q in others if q is not question)


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
