"""Two licences the plan asks to make easier for disabled people: tobacco retail
(国办发〔2025〕23号 二（二）; 国烟法〔2020〕205号 第十七条) and welfare / sports lottery
sales agencies (二（三）). Both are decided locally: the national rule only asks for
facilitation, so the verdict is at best "needs local check"."""
from __future__ import annotations

from datetime import date
from typing import Optional

from jiuye.checks import parameters as params
from jiuye.checks.inputs import number
from jiuye.checks.model import (
    INFO,
    STEPS_SUMMARY,
    UNSURE_SUMMARY,
    Result,
    check,
    fmt_number,
    local_rules,
    measured,
    not_yet_known,
    step,
    verdict_from,
)


def tobacco(has_certificate: Optional[bool] = None, runs_in_person: Optional[bool] = None,
            has_business_licence: Optional[bool] = None, near_school: Optional[bool] = None,
            on: Optional[date] = None, ps: Optional[params.ParameterSet] = None) -> Result:
    on = on or date.today()
    ps = ps or params.default()
    criteria = [
        # without a certificate the relaxation is lost, not the right to apply (二（二） asks only for 便利)
        step("certificate", has_certificate, "有残疾人证，可以享受办证便利。",
             "没有残疾人证或残联证明，享受不到放宽照顾，可以按一般条件申请。", "还不知道是否有残疾人证。"),
        # Running it in person and the business licence are common local practice, not a national
        # rule (the sources give them for some places, or as inferred): a "no" is a step to take
        # or to ask about, never a refusal.
        step("in_person", runs_in_person, "本人经营，符合一般要求。",
             "很多地方要求残疾人本人经营，别人代开能不能办，请问当地烟草专卖管理部门。", "还不知道是否本人经营。"),
        step("business_licence", has_business_licence, "已经有个体工商户营业执照。",
             "一般要先办个体工商户营业执照。各地做法不同，请问当地烟草专卖管理部门。", "还不知道是否办了营业执照。"),
        check("school", None if near_school is None else not near_school,
              "店铺不在学校附近，不受学校周边的限制。", "学校周边一般不能卖烟，放宽政策也不放开这一条。",
              "还不知道店铺是否靠近学校。"),
        local_rules("放宽多少间距、数量，各地规定不同，要问当地烟草专卖管理部门。"),
    ]
    verdict = verdict_from(criteria)
    summary = ("按您说的情况，暂时办不了，看看下面哪一条不符合。" if verdict == "not_eligible"
               else UNSURE_SUMMARY if not_yet_known(criteria)
               else STEPS_SUMMARY if any(c.status == INFO for c in criteria)
               else "可以申请，烟草部门要提供便利，可以适当放宽数量和间距，具体看当地规定。")
    return Result(
        check="tobacco", verdict=verdict, summary=summary, criteria=criteria,
        citations=["国办发〔2025〕23号 二（二）", "国烟法〔2020〕205号 第十七条"],
        documents=["残疾人证或残联证明", "身份证", "个体工商户营业执照", "经营场所证明"],
        where=["当地烟草专卖管理部门", "当地残联可以开证明"],
        warnings=["实施细则的条文来自转载文本，请以当地烟草专卖管理部门的答复为准。"],
        parameter_version=ps.version, as_of=on.isoformat(),
    )


def lottery(age=None, full_capacity: Optional[bool] = None, has_funds_and_premises: Optional[bool] = None,
            clean_record: Optional[bool] = None, runs_in_person: Optional[bool] = None,
            near_school: Optional[bool] = None, on: Optional[date] = None,
            ps: Optional[params.ParameterSet] = None) -> Result:
    on = on or date.today()
    ps = ps or params.default()
    age_n = number(age, "年龄", maximum=130, whole=True)
    min_age = ps.get("lottery.min_age", on).value
    years = fmt_number(ps.get("lottery.clean_record_years", on).value)
    criteria = [
        measured("age", age_n, lambda a: a >= min_age,
                 lambda a, ok: f"{a}岁，" + ("满" if ok else "不满") + f"{min_age}岁。", "还不知道年龄。"),
        check("capacity", full_capacity, "有完全民事行为能力。", "代销者要有完全民事行为能力。",
              "还不知道是否有完全民事行为能力。"),
        # the conditions of local recruitment notices (read on reprints): a "no" is to ask about there
        step("premises", has_funds_and_premises, "有资金和经营场地。",
             "招募公告一般要求有一定资金和固定场地，请看当地的公告。", "还不知道资金和场地是否落实。"),
        step("record", clean_record, f"近{years}年没有犯罪记录和不良信用。",
             f"近{years}年有犯罪记录或不良信用的，很多地方的招募公告不接受，请问当地福彩、体彩中心。",
             f"还不知道近{years}年有没有犯罪记录或不良信用。"),
        step("in_person", runs_in_person, "本人经营。", "招募公告一般要求本人经营，请问当地福彩、体彩中心。",
             "还不知道是否本人经营。"),
        check("school", None if near_school is None else not near_school, "网点不在学校、幼儿园附近。",
              "网点要远离学校和幼儿园。", "还不知道网点是否靠近学校、幼儿园。"),
        local_rules("押金能减免多少、名额多少，看当地福彩、体彩中心的招募公告。"),
    ]
    verdict = verdict_from(criteria)
    summary = ("按您说的情况，暂时不符合代销条件，看看下面哪一条。" if verdict == "not_eligible"
               else UNSURE_SUMMARY if not_yet_known(criteria)
               else STEPS_SUMMARY if any(c.status == INFO for c in criteria)
               else "可以申请福利彩票或体育彩票代销，残疾人有便利，押金可减免，具体看当地公告。")
    return Result(
        check="lottery", verdict=verdict, summary=summary, criteria=criteria,
        citations=["国办发〔2025〕23号 二（三）"],
        documents=["身份证", "残疾人证", "场地证明", "无犯罪记录证明"],
        where=["当地福利彩票发行中心或体育彩票管理中心", "当地残联"],
        warnings=["申请条件来自各地招募公告的转载，押金减免没有全国统一标准。"],
        parameter_version=ps.version, as_of=on.isoformat(),
    )
