"""The levy from YAML cases, and its properties for any input."""
from __future__ import annotations

import math
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from jiuye.checks.inputs import InputError
from jiuye.checks.levy import LevyInput, calculate

CASES = yaml.safe_load((Path(__file__).parent / "levy_cases.yml").read_text("utf-8"))["cases"]


def run(case):
    return calculate(LevyInput.of(**case["input"]), on=case["date"])


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["name"])
def test_case(case):
    expect = case["expect"]
    if "error" in expect:
        with pytest.raises(InputError) as error:
            run(case)
        assert expect["error"] in str(error.value)
        return
    result = run(case)
    if "verdict" in expect:
        assert result.verdict == expect["verdict"]
    for key in ("levy", "before_reduction"):
        if key in expect:
            assert result.amounts[key] == Decimal(str(expect[key])), result.trace
    statuses = {c.id: c.status for c in result.criteria}
    for status in ("unknown", "fail", "pass", "info"):
        for criterion in expect.get(status, []):
            assert statuses[criterion] == status
    if "warning" in expect:
        assert any(expect["warning"] in w for w in result.warnings), result.warnings


def test_worked_example_shows_every_step():
    result = calculate(
        LevyInput.of(200, 80000, disabled=1, local_average_wage=60000, province="湖南"),
        on=date(2025, 6, 1),
    )
    labels = [s.label for s in result.trace]
    assert labels == ["应安排人数", "已安排人数", "差额", "计征工资", "应缴额", "减缴", "实缴"]
    assert result.trace[0].formula == "在职职工200人 × 比例1.5%" and result.trace[0].value == "3人"
    assert result.trace[-1].value == "144,000元"
    assert "财税〔2015〕72号 第八条" in result.citations
    assert "财政部公告2023年第8号" in result.citations
    assert result.parameter_version and result.as_of == "2025-06-01"
    assert all(c.reason.endswith("。") for c in result.criteria)


staff = st.integers(min_value=31, max_value=20000)
wage = st.integers(min_value=20000, max_value=500000)
when = st.dates(min_value=date(2019, 1, 1), max_value=date(2030, 12, 31))


@settings(max_examples=200, deadline=None)
@given(staff=staff, disabled=st.integers(0, 400), firm=wage, local=wage, on=when)
def test_never_negative(staff, disabled, firm, local, on):
    disabled = min(disabled, staff)
    result = calculate(LevyInput.of(staff, firm, disabled=disabled, local_average_wage=local, province="湖南"), on=on)
    assert result.amounts["levy"] >= 0


@settings(max_examples=200, deadline=None)
@given(staff=staff, disabled=st.integers(0, 300), firm=wage, local=wage, on=when)
def test_more_disabled_staff_never_costs_more(staff, disabled, firm, local, on):
    disabled = min(disabled, staff - 1)
    fewer = calculate(LevyInput.of(staff, firm, disabled=disabled, local_average_wage=local, province="湖南"), on=on)
    more = calculate(LevyInput.of(staff, firm, disabled=disabled + 1, local_average_wage=local, province="湖南"), on=on)
    assert more.amounts["levy"] <= fewer.amounts["levy"]


@settings(max_examples=200, deadline=None)
@given(staff=staff, extra=st.integers(0, 50), firm=wage, local=wage, on=when)
def test_zero_at_or_above_quota(staff, extra, firm, local, on):
    required = math.ceil(Decimal(staff) * Decimal("0.015"))
    disabled = min(staff, required + extra)
    result = calculate(LevyInput.of(staff, firm, disabled=disabled, local_average_wage=local, province="湖南"), on=on)
    assert result.amounts["levy"] == 0


@pytest.mark.parametrize("province", ["湖南", "北京", None, "广西"])
def test_each_document_is_cited_once_and_a_local_one_only_in_its_province(province):
    result = calculate(LevyInput.of(200, 80000, disabled=1, local_average_wage=60000, province=province),
                       on=date(2025, 6, 1))
    cited = "；".join(result.citations)
    assert cited.count("财税〔2015〕72号") == 1, result.citations
    assert cited.count("财政部公告2023年第8号") == 1, result.citations
    assert ("广西税务局" in cited) == (province == "广西"), result.citations


def test_labels_say_what_is_true():
    from jiuye.checks.render import as_text

    big = as_text(calculate(LevyInput.of(200, 80000, disabled=1, local_average_wage=60000, province="湖南"),
                            on=date(2025, 6, 1)))
    assert "不符合：免征条件是企业在职职工30人及以下。在职职工200人，超过了，不能免征。" in big
    assert "不符合：已安排1人，应安排3人，还差2人。" in big
    assert "说明：湖南规定的比例是1.5%。" in big and "符合：湖南" not in big
    small = as_text(calculate(LevyInput.of(25, 80000, local_average_wage=60000, province="湖南"), on=date(2025, 6, 1)))
    assert "符合：免征条件是企业在职职工30人及以下（执行到2027年12月31日；机关、事业单位不适用）。在职职工25人，暂免征收。" in small


def test_met_only_at_an_assumed_national_ratio_is_not_said_for_certain():
    """上海, whose ratio is not in the parameters: 3 of 200 meets the national 1.5% only;
    the first sentence says so, not a plain 不用缴纳 (a caller may hear only that)."""
    from jiuye.checks import levy

    assumed = levy.check(staff=200, disabled=3, wage=120000, province="上海")
    assert assumed.verdict == "needs_local_check" and assumed.summary.startswith("按全国最低比例1.5%算已达标")
    assert "当地比例可能更高" in assumed.summary
    known = levy.check(staff=200, disabled=4, wage=120000, province="北京")  # 1.7%: 3.4 required, 4 counted
    assert known.summary == "已达到按比例安排的要求，不用缴纳残保金。"
