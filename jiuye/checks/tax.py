"""Employer tax incentives for hiring disabled people.

VAT 即征即退 (财税〔2016〕52号): disabled staff ≥ 25% and ≥ 10 people (盲人按摩机构 ≥ 5);
contracts ≥ 1 year, social insurance paid, wage ≥ minimum paid through a bank; refund
cap per disabled employee per month = 4 × the county's monthly minimum wage.
Enterprise income tax (财税〔2009〕70号): wages paid to disabled staff deducted at an extra 100%.
"""
from __future__ import annotations

from datetime import date
from typing import Optional

from jiuye.checks import parameters as params
from jiuye.checks.inputs import InputError, number
from jiuye.checks.model import (
    FAIL,
    PASS,
    Criterion,
    Result,
    Step,
    check,
    fmt_number,
    fmt_percent,
    fmt_yuan,
    verdict_from,
    yuan,
)


def calculate(staff, disabled, blind_massage: bool = False, monthly_min_wage=None,
              contracts_ok: Optional[bool] = None, insurance_ok: Optional[bool] = None,
              wage_ok: Optional[bool] = None, disabled_wages=None, on: Optional[date] = None,
              ps: Optional[params.ParameterSet] = None) -> Result:
    on = on or date.today()
    ps = ps or params.default()
    staff_n = number(staff, "在职职工人数", maximum=5_000_000, whole=True)
    disabled_n = number(disabled, "残疾职工人数", maximum=5_000_000, whole=True)
    if not staff_n:
        raise InputError("在职职工人数要大于0。")
    if disabled_n > staff_n:
        raise InputError("残疾职工人数不能多于在职职工人数。")
    min_wage = number(monthly_min_wage, "月最低工资标准", maximum=100_000)
    wages = number(disabled_wages, "支付给残疾职工的工资总额", maximum=10**10)

    share_min = ps.get("tax.vat.min_share", on)
    count_min = ps.get("tax.vat.massage_min_count" if blind_massage else "tax.vat.min_count", on)
    share = disabled_n / staff_n
    who = "盲人按摩机构" if blind_massage else "企业"
    criteria = [
        Criterion("share", PASS if share >= share_min.value else FAIL,
                  f"残疾职工占{fmt_percent(yuan(share * 100) / 100)}，"
                  + ("达到" if share >= share_min.value else "不到") + f"{fmt_percent(share_min.value)}。"),
        Criterion("count", PASS if disabled_n >= count_min.value else FAIL,
                  f"残疾职工{fmt_number(disabled_n)}人，{who}要求至少{fmt_number(count_min.value)}人。"),
        check("contracts", contracts_ok, "都签了一年以上的劳动合同或服务协议。",
              "有残疾职工没签一年以上的合同。", "还不知道是否都签了一年以上的合同。"),
        check("insurance", insurance_ok, "社会保险都按月足额缴纳了。",
              "有残疾职工的社会保险没有足额缴纳。", "还不知道社会保险是否足额缴纳。"),
        check("wage", wage_ok, "工资不低于当地最低工资，并通过银行发放。",
              "有残疾职工工资低于最低工资或没通过银行发放。", "还不知道工资是否达标、是否通过银行发放。"),
    ]
    trace, amounts = [], {}
    cap_multiple = ps.get("tax.vat.cap_multiple_of_min_wage", on).value
    if min_wage is not None and not any(c.status == FAIL for c in criteria):  # no cap to speak of when refused
        monthly = disabled_n * cap_multiple * min_wage
        amounts["vat_refund_cap_monthly"] = yuan(monthly)
        amounts["vat_refund_cap_yearly"] = yuan(monthly * 12)
        trace.append(Step("每月退税上限",
                          f"{fmt_number(disabled_n)}人 × {fmt_number(cap_multiple)} × 月最低工资{fmt_yuan(min_wage)}",
                          fmt_yuan(monthly)))
    if wages is not None:
        rate = ps.get("tax.eit.extra_deduction_rate", on).value
        amounts["eit_extra_deduction"] = yuan(wages * rate)
        trace.append(Step("企业所得税加计扣除", f"残疾职工工资{fmt_yuan(wages)} × {fmt_percent(rate)}",
                          fmt_yuan(wages * rate)))
    verdict = verdict_from(criteria)
    extra = fmt_percent(ps.get("tax.eit.extra_deduction_rate", on).value)
    summary = {
        "eligible": f"符合增值税即征即退的条件；残疾职工工资还可以在企业所得税前加计{extra}扣除。",
        "not_eligible": f"现在还不符合增值税即征即退的条件；但残疾职工工资仍可能在企业所得税前加计{extra}扣除。",
        "needs_local_check": "人数和比例看起来符合，还有几项要核实后才能确定能否即征即退。",
    }[verdict]
    if "vat_refund_cap_monthly" in amounts and verdict != "not_eligible":
        summary += f"每月最多退{fmt_yuan(amounts['vat_refund_cap_monthly'])}。"
    return Result(
        check="tax", verdict=verdict, summary=summary, criteria=criteria, amounts=amounts,
        trace=trace, citations=["财税〔2016〕52号", "财税〔2009〕70号", "国办发〔2025〕23号 二（二）"],
        documents=["残疾职工的残疾人证", "劳动合同或服务协议", "社保缴费记录", "银行发放工资的记录"],
        where=["主管税务机关"],
        warnings=["企业所得税加计扣除的文件原文来自转载，请以税务机关答复为准。"],
        parameter_version=ps.version, as_of=on.isoformat(),
    )
