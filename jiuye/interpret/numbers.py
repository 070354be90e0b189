"""Numbers and places from what people say, for filling a form in one go.

"我们公司200个员工，去年安排了1个三级残疾人，职工年平均工资8万，在湖南" gives
staff=200, disabled=1, wage=80000, province=湖南. Chinese numerals (两百, 八万五,
百分之一点五) are turned into digits with cn2an; "8万" and "14.4万" are multiplied out.
Pure functions: the Rasa form's slot extraction and the copilot use the same code.
"""
from __future__ import annotations

import re
import warnings
from decimal import Decimal
from typing import Dict, Optional

import cn2an

from jiuye.text import normalize

PROVINCES = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽",
    "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西",
    "甘肃", "青海", "内蒙古", "广西", "西藏", "宁夏", "新疆", "台湾", "香港", "澳门",
)
_NUM = r"-?\d+(?:\.\d+)?"
_WAN = re.compile(rf"({_NUM})\s*万")
_LEVEL_WORDS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_STAFF = re.compile(rf"({_NUM})\s*(?:个|名|位)?\s*(?:在职)?(?:员工|职工|工人|人)(?!残)")
_DISABLED = re.compile(rf"({_NUM})\s*(?:个|名|位)?\s*(?:([一二三四1-4])级)?\s*(?:的)?残疾(?:人|职工|员工)?")
_WAGE = re.compile(rf"(?:工资|薪水|薪资|收入)[^0-9，。,；;]{{0,8}}?({_NUM})")
_NONE_AFTER = re.compile(r"\s*(?:都|也)(?:没|不|未)")
_PERCENT = re.compile(rf"({_NUM})\s*%")


def digits(text: str, limit: int = 1000) -> str:
    """Chinese numerals → digits, "8万" → "80000"; other text unchanged (normalised,
    at most ``limit`` characters)."""
    text = normalize(text, limit=limit)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # cn2an warns on pieces it leaves alone
        text = cn2an.transform(text, "cn2an")
    return _WAN.sub(lambda m: _plain(Decimal(m.group(1)) * 10000), text)


def _plain(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text


def province(text: str) -> Optional[str]:
    return next((p for p in PROVINCES if p in text), None)


def levy_slots(text: str) -> Dict[str, Decimal | str]:
    """What a levy question already says: staff, disabled, severe, wage, province."""
    found: Dict[str, Decimal | str] = {}
    plain = digits(text)
    disabled_spans = []
    for match in _DISABLED.finditer(plain):
        disabled_spans.append(match.span())
        count = Decimal(match.group(1))
        if _NONE_AFTER.match(plain, match.end()):  # "一个残疾人都没招" means none
            count = Decimal(0)
        level = _LEVEL_WORDS.get(match.group(2) or "")
        key = "severe" if level in (1, 2) else "disabled"
        found[key] = found.get(key, Decimal(0)) + count
    for match in _STAFF.finditer(plain):
        if any(start <= match.start() < end for start, end in disabled_spans):
            continue
        found.setdefault("staff", Decimal(match.group(1)))
    wage = _WAGE.search(plain)
    if wage:
        found["wage"] = Decimal(wage.group(1))
    where = province(plain)
    if where:
        found["province"] = where
    return found


def percent(text: str) -> Optional[Decimal]:
    match = _PERCENT.search(digits(text))
    return Decimal(match.group(1)) / 100 if match else None


def first_number(text: str) -> Optional[Decimal]:
    """The first number in an answer like "两百人" or "8万块"; None when there is none."""
    match = re.search(_NUM, digits(text))
    return Decimal(match.group(0)) if match else None


_LEVY = re.compile(r"残保金|保障金")
_CALCULATE = re.compile(r"(?:帮我|给我|帮忙|替我)算|算一下|算算|算一算|交多少|缴多少|要交几|多少钱")
_UNKNOWN = re.compile(r"不知道|不清楚|不晓得|不记得|没数|不确定")


def wants_levy_calculation(text: str) -> bool:
    """A levy question with the person's own numbers, or an explicit "算一下"."""
    plain = digits(text)
    if not _LEVY.search(plain):
        return False
    numbers = sum(key in levy_slots(plain) for key in ("staff", "disabled", "severe", "wage"))
    asks = bool(_CALCULATE.search(plain)) and "怎么算" not in plain
    return numbers >= 2 or (asks and (numbers >= 1 or "算" in plain))


def says_unknown(text: str) -> bool:
    return bool(_UNKNOWN.search(normalize(text)))
