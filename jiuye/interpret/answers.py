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
from typing import Any, Dict, Mapping, Optional

from jiuye.checks.inputs import InputError, number
from jiuye.checks.model import OPEN_ENDED_YEARS, fmt_number, fmt_yuan, is_number, yuan
from jiuye.checks.spec import UNKNOWN, Check, Question
from jiuye.interpret import numbers, sentences
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
OTHER_UNIT = "您说的是{said}，和这个问题对不上。"
MIXED = "您说的有“是”也有“不是”。都做到了才算“是”。"
TOO_LITTLE = "您说的是{amount}，按月按年都太少了，不像{label}。"
PER_PERSON = "您说的像是一个人的收入。请说全家每人每月平均多少：全家每月总收入，除以家里人数。"
_HOUSEHOLD = re.compile(r"[0-9一二两三四五六七八九十]+\s*口人|一家[0-9一二两三四五六七八九十]+口|家里[0-9一二两三四五六七八九十]+\s*个人")
_PER_PERSON = re.compile(r"人均|每人|平均每|一人一个月|每个人")
# To a question that states a negative ("近5年没有犯罪记录，对吗？"): "没有" agrees.
_NONE = re.compile(r"没有|没|无|从来|从未|未曾|一次也")
_A_QUESTION = re.compile(r"吗[？?。]*$|[？?]$")
# Said around an answer without changing it.
_FILLER = re.compile(r"^(?:我|我们|嗯|啊|哦|那个|这个|就是|其实)+|[，,。.!！~～\s]|的$|啊$|呀$|吧$|呢$")
SHORT_ANSWER = 6  # characters: an answer this short is all answer
_DISAGREE = re.compile(r"不对|不是|错了|说错")


@dataclass
class Answer:
    """What one message says to one question: a value, or why it cannot be used."""

    value: Any = None  # None: no usable answer
    error: Optional[str] = None  # a number out of range, said politely
    skipped: bool = False
    as_said: Optional[float] = None  # an amount given in the other period (a month's, for a yearly one)
    period_of: Optional[float] = None  # an amount too low for a year, said without 每月/一年: ask which

    @property
    def understood(self) -> bool:
        return self.value is not None


def skips(text: str) -> bool:
    """跳过 / 下一个: leave this question open (read as 不知道)."""
    return bool(_SKIP.search(normalize(text or "")))


def answer(question: Question, text: str, given: Optional[Mapping[str, Any]] = None,
           unsure: Optional[float] = None) -> Answer:
    """Read the answer to the question just asked. ``given``: the answers so far by
    name (for a bound on another answer); ``unsure``: a yearly amount's figure whose
    period was asked ("每个月的还是一年的？")."""
    if question.kind == "number":
        text = numbers.restated(text)  # "两百多人，准确说是二百一十五": the number put right
    over = (given or {}).get(question.total_over) if question.total_over else None
    if question.per == "year" and numbers.says_total(text) and is_number(over) and over > 0:
        total = numbers.wage_amount(text)  # "工资总额一年2400万", with 300 staff: an average of 80,000
        if total is not None:
            total *= 12 if numbers.wage_period(text) == "month" else 1
            text = f"一年{yuan(total / Decimal(str(over)))}"
    found = _answer(question, text, unsure)
    if found.understood and found.value != UNKNOWN and question.kind == "number":
        error = bounds_error(question, found.value, given or {})
        if error:
            return Answer(error=error)
    return found


def bounds_error(question: Question, value: Any, given: Mapping[str, Any]) -> Optional[str]:
    """Why a number cannot be right for ``question`` given the other answers, or None."""
    if question.above is not None and Decimal(str(value)) <= question.above:
        return f"{question.label}要大于{fmt_number(question.above)}。"
    for other, answer_, most, why in question.max_by:  # 残疾人证 has levels 1 to 4
        if given.get(other) == answer_ and Decimal(str(value)) > most:
            return why
    if question.at_most:
        other, why = question.at_most
        limit = given.get(other)
        if is_number(limit) and \
                Decimal(str(value)) > Decimal(str(limit)):
            return why
    return None


def conflict(check: Check, given: Mapping[str, Any]) -> Optional[str]:
    """Why the answers cannot all be right together ("残疾职工人数不能多于在职职工人数。"
    once the staff count is corrected to 2 with 3 disabled staff said), or None."""
    for question in check.questions:
        value = given.get(question.name)
        if question.kind == "number" and is_number(value):
            error = bounds_error(question, value, given)
            if error:
                return error
    return None


def number_error(question: Question, value: Any, given: Mapping[str, Any]) -> Optional[str]:
    """Why a number (from a sentence or a correction) cannot be right, or None."""
    try:
        number(value, question.label, minimum=question.min, maximum=question.max, whole=question.whole)
    except InputError as error:
        return str(error)
    return bounds_error(question, value, given)


def named_in_correction(check: Check, text: str) -> Optional[Question]:
    """The question a correction names by its words ("人数说错了", "残疾职工人数不对"):
    the one named first in the sentence."""
    plain = normalize(text or "")
    best, where = None, len(plain) + 1
    for question in check.questions:
        found = re.search(question.named_by or re.escape(question.label), plain)
        if found and found.start() < where:
            best, where = question, found.start()
    return best


def _answer(question: Question, text: str, unsure: Optional[float]) -> Answer:
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
        said = _yes_no(question, plain)
        if said is None and not question.negated and (_PARTIAL.search(plain) or _mixed(question, plain)):
            return Answer(error=MIXED)  # "钱有，场地还没找": told why it is asked again
        return Answer(said)
    if question.kind == "choice":
        return Answer(_choice(question, plain))
    if question.kind == "province":
        where = numbers.province(plain) or numbers.province(numbers.digits(plain))  # 四川, 三亚: not "4川"
        return Answer(where if where else (UNKNOWN if "全国" in plain else None))
    if numbers.says_range(plain):
        return Answer(error=RANGE)
    said_in = numbers.unit_said(plain)
    if question.unit and said_in and said_in[1] != question.unit and not question.per:
        return Answer(error=OTHER_UNIT.format(said=said_in[0]))  # "我28岁" to 几级
    if question.per_person and _HOUSEHOLD.search(plain):
        if not _PER_PERSON.search(plain):
            return Answer(error=PER_PERSON)  # "他一个月挣三千，家里四口人": one person's wage, not each one's
        plain = _HOUSEHOLD.sub(" ", plain)  # "家里四口人，每人每月七百": the 4 is no amount
    if question.unit == "年" and _OPEN_ENDED.search(plain):
        return Answer(float(OPEN_ENDED_YEARS))  # "无固定期限": longer than any limit asks
    if question.per:
        return _per_period(question, plain, unsure)
    found = numbers.first_number(plain)
    if question.unit == "年" and numbers.years_with_months(plain) is not None:
        found = numbers.years_with_months(plain)  # "十个月" to 签了几年 is 0.83 years, not 10
    if found is None and question.min <= 0 and _NONE_COUNT.search(plain):
        found = Decimal(0)
    if found is None:
        return Answer()
    if question.above is not None and found <= question.above:
        return Answer(error=f"{question.label}要大于{fmt_number(question.above)}。")
    try:
        value = number(found, question.label, minimum=question.min, maximum=question.max,
                       whole=question.whole)
    except InputError as error:
        return Answer(error=str(error))
    return Answer(float(value))


def _per_period(question: Question, text: str, unsure: Optional[float]) -> Answer:
    """An amount per year (or per month), as people give it: "每月6000" is 72,000 a
    year (the month kept for the read-back), "一年8万" is 80,000; to a monthly question
    "一年2万4" is 2,000 a month. A figure too low for a year, said without 每月 or 一年,
    is asked about, not guessed; to that question "每月" or "一年" alone answers it. A
    year or a count ("到2027年", "45岁") is no amount."""
    period = numbers.wage_period(text)
    amount = numbers.wage_amount(text)
    if unsure is not None and period and (amount is None or amount == Decimal(str(unsure))):
        amount = Decimal(str(unsure))
    elif amount is None and question.min <= 0 and _NONE_COUNT.search(text):
        amount = Decimal(0)  # "没有收入"
    elif amount is None:
        return Answer()
    converted = period is not None and period != question.per
    if question.per == "year":
        value = amount * 12 if converted else amount
        if period is None and 0 < value < numbers.LOW_YEARLY_WAGE:
            if amount * 12 < question.min:  # "10元" (十来万 misheard): too little a month or a year
                return Answer(error=TOO_LITTLE.format(amount=fmt_yuan(amount), label=question.label))
            return Answer(period_of=float(amount))
    else:
        value = yuan(amount / 12) if converted else amount
    try:
        number(value, question.label, minimum=question.min, maximum=question.max)
    except InputError as error:
        return Answer(error=str(error))
    return Answer(float(value), as_said=float(amount) if converted else None)


def sentence(check: Check, text: str, asked: Optional[str] = None) -> Dict[str, Any]:
    """What an all-in-one sentence says for ``check`` (its ``sentence`` reader), by
    question and fact name: numbers as floats, words as they are; ``asked`` is the
    question's name, when the sentence answers one."""
    if not check.sentence:
        return {}
    said = sentences.read(check.sentence, text, asked=asked)
    return {name: (value if isinstance(value, str) else float(value)) for name, value in said.items()}


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
    if "已经" in question.ask and _NOT_YET.search(text):
        return False  # "正在办" to 已经办了营业执照吗: not yet
    if not question.negated and _PARTIAL.search(text):
        return None  # "交了一部分": not yes, not no; asked again
    if not question.negated and _NO_FIRST.match(_LEADING.sub("", text)):
        return False  # "我没有，我儿子有残疾证": the person's own no, said first, on its own
    if _matches(question.yes, plain) or _matches(question.echo_yes, text):
        return None if _mixed(question, text) else True
    if _YES_FIRST.search(text):
        return True
    if _A_QUESTION.search(text):
        return None  # "残疾人能申请烟草证吗": a question of its own, not an answer
    # the common words answer when they are the answer: said alone or first ("对，都签了"),
    # not somewhere in a sentence about something else ("学校在两公里外")
    head = text if len(_FILLER.sub("", text)) <= SHORT_ANSWER else _FILLER.sub("", text)[:2]
    if question.negated:
        if _DISAGREE.search(head):
            return False
        if _NONE.search(head):
            return True
        if "有" in head:
            return False
        return True if _YES.search(head) else None
    if _NO.search(head) and (head == text or not _NOT_A_NO.match(_FILLER.sub("", text))):
        return False
    # to 是中小学吗, "已经有一个了" is no 是 ("有" alone still agrees, as people say it)
    yes = _IS_YES if question.ask.startswith("是") and len(_FILLER.sub("", text)) > 2 else _YES
    if yes.search(head):
        return None if _mixed(question, text) else True
    return None


_OPEN_ENDED = re.compile(r"无固定期限|无期限|不定期|没有期限|长期合同|签到退休")
_NOT_YET = re.compile(r"正在|在办|办理中|还在|快(?:要)?办|快(?:要)?好了|还没下来|没下来|申请中")
_IS_YES = re.compile(r"是|对|嗯|好|行|可以|yes|^y$", re.I)


# A longer answer that starts with 不 as part of a word about something else ("我不识字，…").
_NOT_A_NO = re.compile(r"不(?:识字|认字|会写|会读|方便|太方便|清楚)")


# A no said first as an answer of its own ("没有，…", "不是。"), not a word's first character ("不识字").
_LEADING = re.compile(r"^(?:我|我们|嗯|啊|哦|那个|这个|就是|其实)+")
_NO_FIRST = re.compile(r"(?:不是|没有|不能|不会|不行|不对|没|不)(?:[，,。！!？?、\s]|$)")
# "交了一部分", "有的交了": part of what is asked, which is no yes ("有的" alone is a yes).
_PARTIAL = re.compile(r"一部分|部分|一半|有的交了|有的没|没交全|没交齐|不全|还差")
# A no somewhere in a longer answer that says yes ("我是盲人，钱我管不了"; "钱有，场地还没找"): which
# one is meant is asked, not guessed.
_SOME_NO = re.compile(r"不了|不会|不能|不行|没有|还没|没|未|不")


def _mixed(question: Question, text: str) -> bool:
    plain = _YES_FIRST.sub("", _FILLER.sub("", text))
    return not question.negated and len(plain) > SHORT_ANSWER and bool(_SOME_NO.search(plain))


def answers_another(question: Question, others, text: str) -> bool:
    """The message is about another question of the check, not the one asked:
    "不在学校旁边" said to "已经办了营业执照吗？" answers 在学校附近 only."""
    plain = numbers.digits(text)
    if any(_matches(p, plain) for p in (question.yes, question.no)) or \
            any(_matches(p, text) for p in (question.echo_yes, question.echo_no)):
        return False
    return any(_matches(q.yes, plain) or _matches(q.no, plain) for q in others if q is not question)


_NOT_BEFORE = re.compile(r"(?:不是|不|没|非|而不是)$")


def _choice(question: Question, text: str, shortest: int = 1) -> Any:
    """The choice whose words appear in the text: a word inside a longer one gives way
    ("事业单位" holds "事业"), a word said with 不是 before it is no choice ("不是机关，是
    事业单位"), and two choices named side by side ("机关事业单位") are none: asked."""
    spans = []  # (start, end, value)
    for value, words in question.choices:
        for word in words:
            if len(word) < shortest:
                continue
            for found in re.finditer(re.escape(word), text):
                if not _NOT_BEFORE.search(text[:found.start()]):
                    spans.append((found.start(), found.end(), value))
    kept = {value for start, end, value in spans
            if not any(s <= start and end <= e and (e - s) > (end - start) for s, e, _ in spans)}
    return kept.pop() if len(kept) == 1 else None


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
    if question.kind == "province":
        return numbers.province(plain)
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
