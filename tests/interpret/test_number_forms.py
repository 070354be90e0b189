"""A number written in any form people use parses to itself (hypothesis)."""
from __future__ import annotations

from decimal import Decimal

import cn2an
from hypothesis import given, settings
from hypothesis import strategies as st

from jiuye.interpret import numbers


def forms(n: int):
    yield str(n)
    yield f"{n:,}"
    yield cn2an.an2cn(n)
    yield f"{n}元"
    yield f"大概{n:,}块"
    if n % 10000 == 0 and n:
        yield f"{n // 10000}万"
        yield f"{n / 10000:g}w"
    elif n >= 10000 and n % 1000 == 0:
        wan, rest = divmod(n, 10000)
        yield f"{n / 10000:g}万"
        if rest and rest % 1000 == 0:
            yield f"{wan}万{rest // 1000}"  # 8万5 is 85,000
            yield f"{wan}万{rest // 1000}千"
            yield f"{wan}万{rest}"
    if 1000 <= n < 10000 and n % 100 == 0 and (n // 100) % 10:
        yield f"{n // 1000}千{(n // 100) % 10}"  # 3千5 is 3,500
    if n % 1000 == 0 and n:
        yield f"{n // 1000}k"


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=200_000_000))
def test_a_number_in_any_form_is_itself(n):
    for form in forms(n):
        assert numbers.first_number(form) == Decimal(n), form


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1, max_value=99_999).map(lambda n: n * 1000))
def test_round_thousands_in_every_form(n):
    for form in forms(n):
        assert numbers.first_number(form) == Decimal(n), form


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(["一两", "两三", "三四", "四五", "五六", "六七", "七八", "八九"]),
       st.sampled_from(["次", "个", "人", "年", "天"]))
def test_two_numerals_together_are_a_range_not_a_number(pair, unit):
    assert numbers.says_range(pair + unit) and numbers.first_number(pair + unit) is None
