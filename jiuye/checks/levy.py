"""残疾人就业保障金 (the employer levy), step by step.

财税〔2015〕72号 第八条: 年缴纳额 = (上年在职职工人数 × 省定比例 − 上年实际安排残疾人人数)
× 上年本单位在职职工年平均工资, the wage capped at a multiple of the local average wage;
财政部公告2023年第8号 (2023-01-01 to 2027-12-31): enterprises with ≤ 30 staff exempt;
actual ratio ≥ 1% → pay 50%, < 1% → pay 90%. After 2027 the tiers are reported as
expired, not applied.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import List, Optional

from jiuye.checks import parameters as params
from jiuye.checks.inputs import InputError, number
from jiuye.checks.model import (
    ELIGIBLE,
    FAIL,
    INFO,
    NEEDS_LOCAL_CHECK,
    NOT_ELIGIBLE,
    PASS,
    UNKNOWN,
    Criterion,
    Result,
    Step,
    fmt_number,
    fmt_percent,
    fmt_yuan,
    yuan,
)

CHECK = "levy"
MAX_STAFF = 5_000_000  # more than any employer in China; a bigger number is a typo


@dataclass(frozen=True)
class LevyInput:
    staff: Decimal  # 上年在职职工人数 (annual average; may be fractional)
    firm_average_wage: Optional[Decimal]  # 上年本单位在职职工年平均工资, yuan
    disabled: Decimal = Decimal(0)  # qualifying disabled employees who count once
    severe: Decimal = Decimal(0)  # qualifying holders of level 1–2 certificates (count double)
    local_average_wage: Optional[Decimal] = None  # 当地社会平均工资, yuan per year
    province: Optional[str] = None
    enterprise: bool = True  # the ≤ 30 staff exemption is for enterprises
    ratio: Optional[Decimal] = None  # the local ratio as the person said it (0.016), else the province's

    @classmethod
    def of(cls, staff, firm_average_wage=None, disabled=0, severe=0, local_average_wage=None,
           province=None, enterprise=True, ratio=None) -> "LevyInput":
        staff_n = number(staff, "在职职工人数", minimum=0, maximum=MAX_STAFF)
        if staff_n is None or staff_n == 0:
            raise InputError("在职职工人数要大于0。")
        disabled_n = number(disabled, "安排的残疾人人数", maximum=MAX_STAFF, whole=True)
        severe_n = number(severe, "一、二级残疾职工人数", maximum=MAX_STAFF, whole=True)
        if disabled_n + severe_n > staff_n:
            raise InputError("残疾职工人数不能多于在职职工人数。")
        return cls(
            staff=staff_n,
            firm_average_wage=number(firm_average_wage, "职工年平均工资", maximum=10**8),
            disabled=disabled_n,
            severe=severe_n,
            local_average_wage=number(local_average_wage, "当地社会平均工资", maximum=10**8),
            province=(province or None),
            enterprise=enterprise,
            ratio=_stated_ratio(ratio),
        )


def _stated_ratio(percent) -> Optional[Decimal]:
    """The local ratio a person said, in % ("当地比例1.6%"): each province sets one of at
    least the national 1.5% (《残疾人就业条例》第八条), and none is as high as 10%."""
    value = number(percent, "当地比例", maximum=10)
    if value is None:
        return None
    if value < Decimal("1.5"):
        raise InputError(f"当地比例不会低于全国的1.5%，您说的是{fmt_number(value)}%，请再核对一下。")
    return value / 100


def _ratio(ps: params.ParameterSet, province: Optional[str], on: date, stated: Optional[Decimal] = None):
    national = ps.get("levy.ratio.national", on)
    if stated is not None:  # the person's own figure: used, and said to be theirs
        known, _ = _ratio(ps, province, on) if province else (None, None)
        if known is not None and known.value != stated and province:
            return replace(national, value=stated), (
                f"您说的当地比例是{fmt_percent(stated)}，我们记录的{province}比例是{fmt_percent(known.value)}，"
                f"先按您说的算，请向当地残联核实。")
        return replace(national, value=stated), None
    if province:
        name = f"levy.ratio.province.{province.rstrip('省市')}"
        if name in ps.parameters and ps.get(name, on).in_force:
            return ps.get(name, on), None
    warning = (
        f"没有{province}的比例数据，先按全国最低比例{fmt_percent(national.value)}算，请向当地残联核实。"
        if province else f"没说在哪个省，先按全国最低比例{fmt_percent(national.value)}算。"
    )
    return national, warning


def calculate(data: LevyInput, on: Optional[date] = None,
              ps: Optional[params.ParameterSet] = None) -> Result:
    on = on or date.today()
    ps = ps or params.default()
    criteria: List[Criterion] = []
    trace: List[Step] = []
    warnings: List[str] = []
    citations = ["财税〔2015〕72号 第八条"]

    ratio, warning = _ratio(ps, data.province, on, data.ratio)
    if warning:
        warnings.append(warning)
    criteria.append(Criterion(
        "province_ratio", UNKNOWN if warning else INFO,
        warning or (f"按您说的当地比例{fmt_percent(ratio.value)}算，以当地规定为准。" if data.ratio is not None
                    else f"{data.province}规定的比例是{fmt_percent(ratio.value)}。"),
    ))
    citations += ratio.references(data.province)

    weight = ps.get("levy.severe_weight", on).value
    counted = data.disabled + data.severe * weight
    required = data.staff * ratio.value
    shortfall = max(Decimal(0), required - counted)
    actual_ratio = counted / data.staff
    trace.append(Step("应安排人数", f"在职职工{fmt_number(data.staff)}人 × 比例{fmt_percent(ratio.value)}",
                      f"{fmt_number(required)}人"))
    trace.append(Step("已安排人数",
                      f"{fmt_number(data.disabled)}人 + 一、二级{fmt_number(data.severe)}人 × {fmt_number(weight)}",
                      f"{fmt_number(counted)}人"))

    max_small = ps.get("levy.small_employer_max_staff", on)
    tier = ps.get("levy.tier_threshold", on)
    if not tier.in_force and tier.start is not None:
        last_day = tier.start - timedelta(days=1)  # the day before the parameter's `null`
        warnings.append(f"分档减缴和小微企业免征政策执行到{last_day.year}年{last_day.month}月{last_day.day}日，"
                        "之后是否延续请问当地税务部门，这里按全额计算。")
    elif not tier.in_force:
        warnings.append("这个日期没有查到分档减缴政策，这里按全额计算，请问当地税务部门。")
    if max_small.in_force and data.enterprise:
        small = data.staff <= max_small.value
        until = ps.ends("levy.small_employer_max_staff", on)
        exemption = Criterion(  # the condition named is the exemption's: 符合 = exempt
            "small_enterprise", PASS if small else FAIL,
            f"免征条件是企业在职职工{fmt_number(max_small.value)}人及以下"
            + (f"（执行到{until.year}年{until.month}月{until.day}日；机关、事业单位不适用）" if until and small else "")
            + f"。在职职工{fmt_number(data.staff)}人，" + ("暂免征收。" if small else "超过了，不能免征。"),
        )
        criteria.append(exemption)
        citations += max_small.references(data.province)
        if small:  # exempt whatever the ratio, the count or the wage: nothing else is said
            return _result(NOT_ELIGIBLE, f"单位在职职工{fmt_number(max_small.value)}人及以下，暂免缴纳残保金。",
                           [exemption], {"levy": Decimal(0)}, [], ["财税〔2015〕72号 第八条"]
                           + max_small.references(data.province), [], ps, on)

    met = shortfall == 0
    criteria.append(Criterion(  # 符合 only when the quota is met: "还差2人" is 不符合
        "quota_met", PASS if met else FAIL,
        f"已安排{fmt_number(counted)}人，应安排{fmt_number(required)}人，"
        + ("已达到比例。" if met else f"还差{fmt_number(shortfall)}人。"),
    ))
    trace.append(Step("差额", f"{fmt_number(required)} − {fmt_number(counted)}",
                      f"{fmt_number(shortfall)}人" if counted <= required else "0人（已够数）"))  # not "3.91 − 4 = 0人"
    if met and warning:  # met only at the national floor, assumed: the local ratio may be higher
        return _result(NEEDS_LOCAL_CHECK,
                       f"按全国最低比例{fmt_percent(ratio.value)}算已达标，不用缴纳；当地比例可能更高，"
                       "请先向当地残联核实，比例高了还要交。",
                       criteria, {"levy": Decimal(0)}, trace, citations, warnings, ps, on)
    if met:
        return _result(NOT_ELIGIBLE, "已达到按比例安排的要求，不用缴纳残保金。", criteria,
                       {"levy": Decimal(0)}, trace, citations, warnings, ps, on)

    if data.firm_average_wage is None:
        criteria.append(Criterion("wage", UNKNOWN, "还不知道本单位上年职工年平均工资，算不出金额。"))
        return _result(NEEDS_LOCAL_CHECK, f"少安排{fmt_number(shortfall)}人，需要缴纳残保金；告诉我职工年平均工资就能算出金额。",
                       criteria, {}, trace, citations, warnings, ps, on)

    cap_multiple = ps.get("levy.wage_cap_multiple", on)
    wage = data.firm_average_wage
    if data.local_average_wage is None:
        criteria.append(Criterion(
            "wage_cap", UNKNOWN,
            f"不知道当地社会平均工资，没法核对“最多按{fmt_number(cap_multiple.value)}倍计算”的封顶。",
        ))
        formula = f"本单位平均工资{fmt_yuan(wage)}（未核对封顶）"
    else:
        cap = data.local_average_wage * cap_multiple.value
        capped = wage > cap
        criteria.append(Criterion(
            "wage_cap", INFO,
            f"本单位平均工资{fmt_yuan(wage)}"
            + (f"超过当地平均工资的{fmt_number(cap_multiple.value)}倍，按{fmt_yuan(cap)}算。" if capped
               else f"没有超过当地平均工资的{fmt_number(cap_multiple.value)}倍（{fmt_yuan(cap)}），按实际算。"),
        ))
        formula = f"min(本单位{fmt_yuan(wage)}, 当地{fmt_yuan(data.local_average_wage)} × {fmt_number(cap_multiple.value)})"
        wage = min(wage, cap)
    citations += cap_multiple.references(data.province)
    trace.append(Step("计征工资", formula, fmt_yuan(wage)))
    full = shortfall * wage
    trace.append(Step("应缴额", f"{fmt_number(shortfall)}人 × {fmt_yuan(wage)}", fmt_yuan(full)))

    rate = Decimal(1)
    if tier.in_force:
        high = ps.get("levy.rate_at_or_above_threshold", on).value
        low = ps.get("levy.rate_below_threshold", on).value
        rate = high if actual_ratio >= tier.value else low
        trace.append(Step(
            "减缴",
            f"实际比例{fmt_number(counted)} ÷ {fmt_number(data.staff)} = {fmt_percent(yuan(actual_ratio * 100) / 100)}，"
            + (f"不低于{fmt_percent(tier.value)}" if actual_ratio >= tier.value else f"低于{fmt_percent(tier.value)}"),
            f"按{fmt_percent(rate)}缴纳",
        ))
        citations += tier.references(data.province)
    amount = yuan(full * rate)
    trace.append(Step("实缴", f"{fmt_yuan(full)} × {fmt_percent(rate)}", fmt_yuan(amount)))
    verdict = ELIGIBLE if all(c.status != UNKNOWN for c in criteria) else NEEDS_LOCAL_CHECK
    summary = f"需要缴纳残保金{fmt_yuan(amount)}。"
    if verdict == NEEDS_LOCAL_CHECK:
        summary = f"大约需要缴纳残保金{fmt_yuan(amount)}，有几项要向当地核实。"
    return _result(verdict, summary, criteria, {"levy": amount, "before_reduction": yuan(full)},
                   trace, citations, warnings, ps, on)


def check(staff=None, disabled=None, wage=None, province: Optional[str] = None, severe=0, local_wage=None,
          enterprise: bool = True, ratio=None, on: Optional[date] = None,
          ps: Optional[params.ParameterSet] = None) -> Result:
    """残保金: the levy an employer owes (the check's rules function; its arguments are
    the questions and facts of data/checks.yml).

    staff: 上年在职职工人数; disabled: 安排的残疾职工人数（一、二级除外）; wage: 上年本单位
    职工年平均工资（元）; province: 省份; severe: 持一、二级残疾人证的职工人数（按2人算）;
    local_wage: 当地社会平均工资（元/年，核对2倍封顶）; enterprise: 是企业（机关、事业单位填否）;
    ratio: 当地比例（%，说了就用它，不再问省份）.
    """
    data = LevyInput.of(staff, wage, disabled=disabled or 0, severe=severe or 0, local_average_wage=local_wage,
                        province=province, enterprise=True if enterprise is None else enterprise, ratio=ratio)
    if data.firm_average_wage is not None:  # the conversation's bounds: a year's average wage
        number(data.firm_average_wage, "职工年平均工资", minimum=1000, maximum=10**8)
    return calculate(data, on=on, ps=ps)


def settled(answers, on: Optional[date] = None, ps: Optional[params.ParameterSet] = None) -> bool:
    """Whether the answers so far decide the result: an enterprise this small is exempt while
    the exemption is in force, whatever its wage or province (a 事业单位 of 28 is not)."""
    return answers.get("enterprise") is True and exemption_matters(answers, on, ps)


def exemption_matters(answers, on: Optional[date] = None, ps: Optional[params.ParameterSet] = None) -> bool:
    """Whether the staff count is small enough for the enterprises' exemption (in force):
    then whether the employer is an enterprise decides it, and is asked."""
    staff = answers.get("staff")
    if staff is None:
        return False
    on = on or date.today()
    max_small = (ps or params.default()).get("levy.small_employer_max_staff", on)
    return bool(max_small.in_force) and Decimal(str(staff)) <= max_small.value


def _result(verdict, summary, criteria, amounts, trace, citations, warnings, ps, on) -> Result:
    return Result(
        check=CHECK, verdict=verdict, summary=summary, criteria=criteria, amounts=amounts,
        trace=trace, citations=list(dict.fromkeys(c for c in citations if c)),
        documents=["上年在职职工人数和工资总额", "残疾职工的残疾人证、劳动合同、社保缴费记录"],
        where=["当地税务部门（残保金由税务部门征收）", "当地残联（按比例安排就业的年审）"],
        warnings=warnings, parameter_version=ps.version, as_of=on.isoformat(),
    )
