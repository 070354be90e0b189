"""Checking the numbers people give, with messages they can understand."""
from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Optional, Union

Number = Union[int, float, str, Decimal]


class InputError(ValueError):
    """A number that cannot be right; the message is for the person, in Chinese."""


def number(value: Optional[Number], label: str, minimum: Number = 0, maximum: Number = 10**9,
           whole: bool = False) -> Optional[Decimal]:
    if value is None:
        return None
    try:
        result = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise InputError(f"{label}应该是一个数字。") from None
    if not result.is_finite():
        raise InputError(f"{label}应该是一个数字。")
    if result < Decimal(str(minimum)):
        raise InputError(f"{label}不能小于{minimum}。")
    if result > Decimal(str(maximum)):
        raise InputError(f"{label}太大了，请再核对一下。")
    if whole and result != result.to_integral_value():
        raise InputError(f"{label}应该是整数。")
    return result
