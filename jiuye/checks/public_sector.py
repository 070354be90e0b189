"""机关、事业单位带头安排残疾人就业 (国办发〔2025〕23号 二（一）): provincial and city-level
agencies with ≥ 50 posts and public institutions with ≥ 67 posts (except primary and
secondary schools and kindergartens) that are below the ratio must hire at least one
disabled person by the end of 2027 (a deadline: the plan gives the duty no end date);
counties and townships meet the ratio overall."""
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
    check,
    fmt_number,
    measured,
    verdict_from,
)

LEVELS = {"省级": "province", "省": "province", "地市级": "city", "市": "city", "地市": "city",
          "县": "county", "县级": "county", "乡": "township", "乡镇": "township"}


def obligation(unit: str = "机关", level: Optional[str] = None, staffing=None,
               school: Optional[bool] = None, disabled_employed=None,
               on: Optional[date] = None, ps: Optional[params.ParameterSet] = None) -> Result:
    on = on or date.today()
    ps = ps or params.default()
    if unit not in ("机关", "事业单位"):
        raise InputError("单位类型是机关或事业单位。")
    posts = number(staffing, "编制人数", maximum=1_000_000, whole=True)
    employed = number(disabled_employed, "已安排的残疾人人数", maximum=1_000_000, whole=True)
    name = "public_sector.agency_min_staffing" if unit == "机关" else "public_sector.institution_min_staffing"
    minimum = ps.get(name, on)
    if not minimum.in_force:  # only before the plan's date of issue: the duty has no end date
        raise InputError("这个日期在国办发〔2025〕23号印发之前，那时还没有这项要求。")
    tier = LEVELS.get(level or "")
    criteria = [
        Criterion("level", UNKNOWN, "还不知道是哪一级单位。") if tier is None else
        Criterion("level", PASS if tier in ("province", "city") else FAIL,
                  "省级、地市级单位要带头安排。" if tier in ("province", "city")
                  else "县、乡两级按编制总数统筹安排，不单独要求每个单位。"),
        measured("staffing", posts, lambda p: p >= minimum.value,
                 lambda p, _: f"编制{fmt_number(p)}人，{unit}的门槛是{fmt_number(minimum.value)}人。",
                 "还不知道编制人数。"),
    ]
    if unit == "事业单位":
        criteria.append(check("not_school", None if school is None else not school,
                              "不是中小学、幼儿园。", "中小学、幼儿园不在这项要求里。", "还不知道是不是中小学、幼儿园。"))
    outside = any(c.status == FAIL for c in criteria)  # not a unit this duty names
    criteria.append(
        Criterion("none_yet", UNKNOWN, "还不知道已经安排了几名残疾人，是否达到规定比例。") if employed is None else
        Criterion("none_yet", INFO, f"已安排{fmt_number(employed)}名残疾人。") if outside else
        Criterion("none_yet", PASS if employed == 0 else UNKNOWN,
                  "还没有安排残疾人，要在2027年底前至少安排1名。" if employed == 0
                  else f"已安排{fmt_number(employed)}名，是否达到规定比例要按本省比例核对。"))
    verdict = verdict_from(criteria)
    summary = {
        "eligible": "这个单位要制定计划、设岗招录，2027年底前至少安排1名残疾人。",
        "not_eligible": "这个单位不在“编制门槛”这项要求里，但仍有按比例安排残疾人的义务。",
        "needs_local_check": "可能属于要带头安排的单位，还有几项要核实。",
    }[verdict]
    return Result(
        check="public_sector", verdict=verdict, summary=summary, criteria=criteria,
        citations=["国办发〔2025〕23号 二（一）"], documents=["编制数和在编人员名单", "残疾职工的残疾人证"],
        where=["同级公务员主管部门或事业单位人事综合管理部门", "当地残联"],
        parameter_version=ps.version, as_of=on.isoformat(),
    )
