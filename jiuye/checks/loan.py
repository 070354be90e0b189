"""创业担保贷款 (entrepreneurship guarantee loan).

财金〔2023〕75号 (from 2023-10-01): individual up to 300,000 yuan, small/micro enterprise up
to 4,000,000; the enterprise must have newly hired qualifying people ≥ 10% of its staff
(≥ 5% over 100 staff). Provincial rules: individual ≤ 3 years, enterprise ≤ 2 years,
50% interest subsidy, repaid on time → reapply, at most 3 times. Local top-ups exist.
"""
from __future__ import annotations

from datetime import date
from typing import Optional

from jiuye.checks import parameters as params
from jiuye.checks.inputs import InputError, number
from jiuye.checks.model import (
    FAIL,
    INFO,
    PASS,
    UNKNOWN,
    Criterion,
    Result,
    Step,
    fmt_number,
    fmt_percent,
    fmt_yuan,
    local_rules,
    measured,
    verdict_from,
)

APPLICANTS = ("individual", "enterprise")


def calculate(applicant: str = "individual", amount=None, employment_difficulty: Optional[bool] = None,
              previous_loans=0, staff=None, new_hires=None, on: Optional[date] = None,
              ps: Optional[params.ParameterSet] = None) -> Result:
    if applicant not in APPLICANTS:
        raise InputError("申请人只能是个人或小微企业。")
    on = on or date.today()
    ps = ps or params.default()
    amount_n = number(amount, "想贷的金额", maximum=10**9)
    previous = number(previous_loans, "以前贷过的次数", maximum=100, whole=True)
    individual = applicant == "individual"
    cap = ps.get("loan.individual_max" if individual else "loan.enterprise_max", on)
    term = ps.get("loan.individual_term_years" if individual else "loan.enterprise_term_years", on)
    times = ps.get("loan.max_times", on)
    criteria = []
    if individual:
        # The question asks for a 残疾人证, which is no proof by itself of 就业困难人员 status:
        # that is determined locally (二（十）: "符合条件的就业困难残疾人"), so a yes is still to check.
        if employment_difficulty is None:
            criteria.append(Criterion("group", UNKNOWN,
                                      "还不知道是否有残疾人证；是否属于就业困难人员，由当地人社部门按规定认定。"))
        elif employment_difficulty:
            criteria.append(Criterion("group", UNKNOWN,
                                      "有残疾人证。就业困难人员（含残疾人）可以申请，但是否认定为就业困难人员"
                                      "由当地人社部门按规定认定，有残疾人证不等于已经认定。"))
        else:  # disabled people are one group it serves, not the only one (facts-2-3)
            criteria.append(Criterion("group", UNKNOWN,
                                      "没有残疾人证。创业担保贷款面向就业困难人员等多类人群，是否属于其中一类，"
                                      "请问当地人社部门。"))
    else:
        staff_n = number(staff, "在职职工人数", maximum=5_000_000, whole=True)
        hires = number(new_hires, "当年新招用的符合条件人员", maximum=5_000_000, whole=True)
        if staff_n is None or hires is None:
            criteria.append(Criterion("hires", UNKNOWN, "还不知道职工人数和当年新招用了几名符合条件的人员。"))
        else:
            if staff_n == 0 or hires > staff_n:
                raise InputError("新招用人数要在1和在职职工人数之间。")
            large = staff_n > ps.get("loan.enterprise_large_staff", on).value
            need = ps.get("loan.enterprise_hire_share_large" if large else "loan.enterprise_hire_share", on)
            share = hires / staff_n
            criteria.append(Criterion(
                "hires", PASS if share >= need.value else FAIL,
                f"新招用{fmt_number(hires)}人，占{fmt_percent(round(share * 100, 2) / 100)}，"
                f"要求至少{fmt_percent(need.value)}。",
            ))
    if amount_n is not None:
        within = amount_n <= cap.value
        criteria.append(Criterion(  # more than the cap is no reason to refuse: the cap is lent
            "amount", PASS if within else INFO,
            f"想贷{fmt_yuan(amount_n)}，没有超过最高{fmt_yuan(cap.value)}。" if within else
            f"想贷{fmt_yuan(amount_n)}，超过了最高{fmt_yuan(cap.value)}，最多按{fmt_yuan(cap.value)}申请。",
        ))
    criteria.append(measured(
        "times", previous, lambda p: p < times.value,
        lambda p, _: f"以前贷过{fmt_number(p)}次，按时还款的最多可以申请{fmt_number(times.value)}次。",
        f"还不知道以前贷过几次；按时还款的最多可以申请{fmt_number(times.value)}次。",
    ))
    criteria.append(local_rules("担保机构和经办银行还会审核信用和项目，各地额度可能更高。"))
    verdict = verdict_from(criteria)
    subsidy = ps.get("loan.interest_subsidy_rate", on).value
    who = "个人" if individual else "小微企业"
    summary = (f"{who}最高可贷{fmt_yuan(cap.value)}，期限最长{fmt_number(term.value)}年，"
               f"财政贴息{fmt_percent(subsidy)}。")
    if verdict == "not_eligible":
        summary = "按您说的情况，暂时不符合创业担保贷款的条件。" + summary
    return Result(
        check="loan", verdict=verdict, summary=summary, criteria=criteria,
        amounts={"max_amount": cap.value, "term_years": term.value, "interest_subsidy_rate": subsidy},
        trace=[Step("最高额度", f"{who}额度（{cap.reference}）", fmt_yuan(cap.value))],
        citations=["国办发〔2025〕23号 二（三）", cap.reference, "各省创业担保贷款实施办法"],
        documents=["身份证", "残疾人证", "营业执照（已经开业的）", "创业项目说明"],
        where=["当地人社部门或创业担保贷款经办银行", "当地残联可以帮忙对接"],
        warnings=["期限、贴息和次数来自各省办法的转载文本，深圳等地额度更高，请以当地规定为准。"],
        parameter_version=ps.version, as_of=on.isoformat(),
    )
