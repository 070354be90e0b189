"""Readers of a check's all-in-one sentence, by the name a check gives in data/checks.yml
(``sentence: levy``).

A reader takes what a person said and returns the values it states, keyed by the
check's question and fact names (a yearly amount given per month also as
``<name>_month``); numbers as Decimal, words as str. The forms, the corrections at the
read-back and the CLI use the same readers.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Callable, Dict, Optional, Union

from jiuye.interpret import numbers

Said = Dict[str, Union[Decimal, str]]
READERS: Dict[str, Callable[..., Said]] = {
    # "我们公司200人，安排了1个二级残疾人，月工资6000，在湖南": staff, disabled, severe,
    # wage (a year's) and wage_month, local_wage, province.
    "levy": numbers.levy_slots,
}


def read(reader: str, text: str, asked: Optional[str] = None) -> Said:
    """What the sentence says, by the reader's name; {} for an unknown reader. ``asked``
    names the question it answers, when one is asked."""
    found = READERS.get(reader)
    return found(text or "", asked=asked) if found else {}
