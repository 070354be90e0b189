"""Programs about one person: auxiliary employment, the 低保 taper, and whether an
employee counts toward the employer's quota."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Optional

from jiuye.checks import parameters as params
from jiuye.checks.inputs import InputError, number
from jiuye.checks.model import (
    FAIL,
    OPEN_ENDED_YEARS,
    PASS,
    UNKNOWN,
    UNSURE_SUMMARY,
    Criterion,
    Result,
    Step,
    check,
    fmt_number,
    fmt_yuan,
    local_rules,
    not_yet_known,
    verdict_from,
)

# Disability categories of the 残疾人证 (GB/T 26341-2010), in the words people use.
CATEGORIES = ("视力", "听力", "言语", "肢体", "智力", "精神", "多重")
_LEVEL_WORDS = {1: "一", 2: "二", 3: "三", 4: "四"}


def _category(category: Optional[str]) -> Optional[str]:
    if category is None:
        return None
    found = next((c for c in CATEGORIES if c in category), None)
    if found is None:
        raise InputError("残疾类别是视力、听力、言语、肢体、智力、精神或多重残疾中的一种。")
    return found


def _level(level, label="残疾等级", maximum=4) -> Optional[Decimal]:
    return number(level, label, minimum=1, maximum=maximum, whole=True)


def _working_age(age, low, high, everyone=None) -> Criterion:
    if age is None:
        return Criterion("age", UNKNOWN, "还不知道年龄。")
    if everyone is not None and everyone <= age < high:  # "我妈…五十八": a woman may be past her retirement age
        return Criterion("age", UNKNOWN, f"{age}岁：男性还在劳动年龄内；女性退休年龄更早（正逐步延迟），"
                                         "是否还在劳动年龄，请问当地残联。")
    if low <= age < high:
        return Criterion("age", PASS, f"{age}岁，在劳动年龄（一般{fmt_number(low)}岁到退休年龄）内。")
    if age < low:  # no one may be employed under 16 (劳动法): not yet, whatever the place
        return Criterion("age", FAIL, f"{age}岁，还不到{fmt_number(low)}岁的劳动年龄；康复、教育方面的帮助请问当地残联。")
    return Criterion("age", UNKNOWN, f"{age}岁，一般劳动年龄是{fmt_number(low)}岁到退休年龄，各地把握不同，请问当地残联。")


def auxiliary(category: Optional[str] = None, level=None, age=None, wants_work: Optional[bool] = None,
              open_market: Optional[bool] = None, on: Optional[date] = None,
              ps: Optional[params.ParameterSet] = None) -> Result:
    """辅助性就业 (残联发〔2015〕27号): working-age people with intellectual, mental or severe
    physical disabilities who want to work but cannot enter the open labour market."""
    on = on or date.today()
    ps = ps or params.default()
    cat, lvl = _category(category), _level(level)
    age_n = number(age, "年龄", maximum=130, whole=True)
    low, high = ps.get("auxiliary.min_age", on).value, ps.get("auxiliary.max_age", on).value
    severe_level = ps.get("auxiliary.severe_max_level", on).value
    severe_words = "、".join(_LEVEL_WORDS[n] for n in range(1, int(severe_level) + 1))
    if cat is None:
        group = Criterion("group", UNKNOWN, "还不知道是哪类残疾。")
    elif cat in ("智力", "精神"):
        group = Criterion("group", PASS, f"{cat}残疾属于辅助性就业的服务对象。")
    elif cat == "多重":  # 残联发〔2015〕27号 names intellectual, mental and severe physical disabilities only
        group = Criterion("group", UNKNOWN, "多重残疾里有智力、精神或重度肢体残疾的，属于服务对象；请问当地残联。")
    elif cat == "肢体" and lvl is None:
        group = Criterion("group", UNKNOWN, f"肢体残疾要是重度（{severe_words}级）才属于，还不知道等级。")
    elif cat == "肢体":  # which levels are 重度 is inferred (programs.yml): a lighter one is asked about, not refused
        severe = lvl <= severe_level
        group = Criterion("group", PASS if severe else UNKNOWN,
                          f"肢体{fmt_number(lvl)}级，" + ("属于重度，可以参加。" if severe
                                                         else "一般不算重度，能不能参加请问当地残联。"))
    else:
        group = Criterion("group", FAIL, f"{cat}残疾一般不属于辅助性就业的服务对象，可以问问其他就业帮扶。")
    criteria = [
        group,
        # the working age's bounds are inferred (programs.yml): outside them is asked about, not refused
        _working_age(age_n, low, high, ps.get("auxiliary.max_age_everyone", on).value),
        check("wants_work", wants_work, "本人有就业意愿。", "辅助性就业要本人愿意工作。", "还不知道本人是否想工作。"),
        check("open_market", None if open_market is None else not open_market,
              "暂时难以进入普通岗位，适合辅助性就业。", "能在普通岗位就业的，优先走普通就业。",
              "还不知道能不能在普通岗位上班。"),
    ]
    verdict = verdict_from(criteria)
    summary = {
        "eligible": "符合辅助性就业的条件，可以到当地辅助性就业机构报名。",
        "not_eligible": "按您说的情况，一般不属于辅助性就业，可以问问其他就业帮扶。",
        "needs_local_check": "可能符合辅助性就业，还有几项要确认。",
    }[verdict]
    return Result(
        check="auxiliary", verdict=verdict, summary=summary, criteria=criteria,
        citations=["国办发〔2025〕23号 二（四）", "残联发〔2015〕27号"],
        documents=["残疾人证", "身份证或户口本"], where=["当地残联", "辅助性就业机构（庇护工场、阳光家园等）"],
        warnings=["劳动年龄的具体年龄是推断，以当地残联答复为准。"],
        parameter_version=ps.version, as_of=on.isoformat(),
    )


def dibao_taper(employed: Optional[bool] = None, household_income=None, dibao_line=None,
                on: Optional[date] = None, ps: Optional[params.ParameterSet] = None) -> Result:
    """低保渐退 (国办发〔2025〕23号 二（十）): after a disabled family member finds work and
    per-capita income rises above the local 低保 line, a taper period may apply; its
    length is local (example: 重庆彭水, income below 1.5 × the line → 6 months)."""
    on = on or date.today()
    ps = ps or params.default()
    income = number(household_income, "家庭人均月收入", maximum=10**7)
    line = number(dibao_line, "当地低保标准", maximum=10**6)
    if line == 0:
        raise InputError("当地低保标准要大于0。")
    criteria = [check("employed", employed, "家里的残疾人已经就业。", "渐退期是给已经就业的情况。",
                      "还不知道是否已经就业。")]
    trace = []
    if employed is False:  # no taper to speak of: the income is not compared
        pass
    elif income is None and line is None:
        criteria.append(Criterion("income", UNKNOWN, "还不知道家庭人均收入和当地低保标准。"))
    elif income is None:
        criteria.append(Criterion("income", UNKNOWN, f"当地低保标准{fmt_yuan(line)}；还不知道家庭人均月收入，没法比较。"))
    elif line is None:
        criteria.append(Criterion("income", UNKNOWN, f"家庭人均月收入{fmt_yuan(income)}；还不知道当地低保标准，没法比较，"
                                                      "请问乡镇（街道）社会救助窗口。"))
    elif income <= line:
        criteria.append(Criterion("income", FAIL, f"人均收入{fmt_yuan(income)}没有超过低保标准{fmt_yuan(line)}，低保照常领，不用渐退。"))
    else:
        multiple = ps.get("dibao.taper_income_multiple_example", on).value
        months = ps.get("dibao.taper_months_example", on).value
        trace.append(Step("收入与低保标准的倍数", f"{fmt_yuan(income)} ÷ {fmt_yuan(line)}",
                          fmt_number(round(income / line, 2))))
        if income < line * multiple:
            criteria.append(Criterion("income", PASS,
                                      f"人均收入{fmt_yuan(income)}超过低保标准{fmt_yuan(line)}，可以按规定申请渐退期。"))
            if employed:
                trace.append(Step("示例（重庆彭水）", f"低于{fmt_number(multiple)}倍", f"渐退{fmt_number(months)}个月"))
        else:  # the plan says a taper "可" be given; the one official example stops at 1.5 times the line
            criteria.append(Criterion(
                "income", UNKNOWN,
                f"人均收入是低保标准的{fmt_number(round(income / line, 2))}倍，高出较多；有的地方只对低于"
                f"{fmt_number(multiple)}倍的给渐退期（如重庆彭水），能不能渐退请问当地民政部门。"))
    criteria.append(local_rules("渐退期多长，各地规定不同。"))
    verdict = verdict_from(criteria)
    summary = ("按您说的情况，现在不涉及低保渐退。" if verdict == "not_eligible"
               else UNSURE_SUMMARY if not_yet_known(criteria)
               else "找到工作后收入超过低保标准，可以按规定申请一段渐退期，多长由当地定；再次失业可以申请重新纳入。")
    return Result(
        check="dibao", verdict=verdict, summary=summary, criteria=criteria, trace=trace,
        citations=["国办发〔2025〕23号 二（十）"],
        documents=["劳动合同或收入证明", "低保证", "残疾人证"],
        where=["乡镇（街道）社会救助窗口", "当地民政部门"],
        # the example is explained only where it was given (a step, or the reason of a criterion)
        warnings=[f"全国没有统一的渐退期长度；重庆彭水的"
                  f"{fmt_number(ps.get('dibao.taper_months_example', on).value)}个月只是一个例子。"]
        if any("彭水" in s.label for s in trace) or any("彭水" in c.reason for c in criteria) else [],
        parameter_version=ps.version, as_of=on.isoformat(),
    )


MILITARY_LEVELS = 10  # 残疾军人证 has levels 1 to 10 (the quota counts 1 to 8: a parameter)


def quota_member(certificate: Optional[str] = None, level=None, on_staff: Optional[bool] = None,
                 contract_years=None, wage_at_least_minimum: Optional[bool] = None,
                 insurance_paid: Optional[bool] = None, on: Optional[date] = None,
                 ps: Optional[params.ParameterSet] = None) -> Result:
    """Does this employee count toward the employer's quota, and as how many people?
    certificate: "残疾人证" (levels 1–4) or "残疾军人证" (levels 1–8)."""
    on = on or date.today()
    ps = ps or params.default()
    military = certificate is not None and "军" in certificate
    lvl = _level(level, maximum=MILITARY_LEVELS if military else 4)
    years = number(contract_years, "合同年限", maximum=100)
    weight = ps.get("levy.severe_weight", on).value
    severe_level = ps.get("levy.severe_max_level_military" if military else "levy.severe_max_level", on).value
    counted_military = ps.get("quota.military_max_level", on).value
    criteria = [
        Criterion("certificate", UNKNOWN, "还不知道是否持有残疾人证或残疾军人证。") if certificate is None else
        Criterion("certificate", FAIL, f"残疾军人证{fmt_number(lvl)}级，只有1至{fmt_number(counted_military)}级的能算。")
        if military and lvl is not None and lvl > counted_military else
        Criterion("certificate", PASS, f"持有{'残疾军人证' if military else '残疾人证'}。"),
    ]
    if on_staff:
        criteria.append(Criterion("employment", PASS, "是在编人员。"))
    elif years is not None and years >= OPEN_ENDED_YEARS:
        criteria.append(Criterion("employment", PASS, "签的是无固定期限合同，满1年。"))
    elif years is not None:
        criteria.append(Criterion("employment", PASS if years >= 1 else FAIL,
                                  f"合同{fmt_number(years)}年，" + ("满" if years >= 1 else "不满") + "1年。"))
    else:
        criteria.append(Criterion("employment", UNKNOWN, "还不知道是在编还是签了几年合同。"))
    criteria += [
        check("wage", wage_at_least_minimum, "工资不低于当地最低工资。", "工资低于当地最低工资的不能算。",
              "还不知道工资是否不低于当地最低工资。"),
        check("insurance", insurance_paid, "社会保险足额缴纳。", "社会保险没有足额缴纳的不能算。",
              "还不知道社会保险是否足额缴纳。"),
    ]
    counts_as = Decimal(1)
    if lvl is not None and lvl <= severe_level:
        counts_as = weight
    verdict = verdict_from(criteria)
    summary = {
        "eligible": f"这名职工可以算进按比例安排的人数，算{fmt_number(counts_as)}人。",
        "not_eligible": "这名职工暂时不能算进按比例安排的人数。",
        "needs_local_check": f"条件都满足的话，可以算{fmt_number(counts_as)}人；还有几项要核实。",
    }[verdict]
    return Result(
        check="quota_member", verdict=verdict, summary=summary, criteria=criteria,
        amounts={"counts_as": counts_as if verdict != "not_eligible" else Decimal(0)},
        citations=["财税〔2015〕72号", "国办发〔2025〕23号 二（十）"],
        documents=["残疾人证或残疾军人证", "劳动合同", "社保缴费记录", "工资发放记录"],
        where=["当地残联（按比例安排就业年审）"],
        warnings=["认定条件来自重庆市残联的说明，各地执行可能略有不同；户籍不能作为额外条件。"],
        parameter_version=ps.version, as_of=on.isoformat(),
    )
