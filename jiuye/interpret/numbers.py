"""Numbers and places from what people say, for filling a form in one go.

"我们公司200个员工，去年安排了1个三级残疾人，职工年平均工资8万，在湖南" gives
staff=200, disabled=1, wage=80000, province=湖南. Chinese numerals (两百, 八万五,
百分之一点五) are turned into digits with cn2an; "8万" and "14.4万" are multiplied out.
Pure functions: the Rasa form's slot extraction and the copilot use the same code.
"""
from __future__ import annotations

import functools
import re
import warnings
from datetime import date
from decimal import Decimal
from typing import Dict, Optional

import cn2an
import yaml

from jiuye.checks import parameters as params
from jiuye.paths import DATA
from jiuye.text import normalize

PROVINCES = (
    "北京", "天津", "上海", "重庆", "河北", "山西", "辽宁", "吉林", "黑龙江", "江苏", "浙江", "安徽",
    "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "海南", "四川", "贵州", "云南", "陕西",
    "甘肃", "青海", "内蒙古", "广西", "西藏", "宁夏", "新疆",
)  # the levy is a rule of the mainland: 香港, 澳门 and 台湾 are not among its provinces
_NUM = r"-?\d+(?:\.\d+)?"
_WAN = re.compile(rf"({_NUM})\s*万")
_LEVEL_WORDS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_STAFF = re.compile(rf"({_NUM})\s*(?:个|名|位)?\s*(?:在职)?(?:员工|职工|工人|人)(?!残)")
_DISABLED = re.compile(rf"({_NUM})\s*(?:个|名|位)?\s*(?:([一二三四1-4])级)?\s*(?:的)?残疾(?:人|职工|员工)?")
_WAGE = re.compile(rf"(?:工资|薪水|薪资|收入|年薪|月薪)[^0-9，。,；;]{{0,8}}?({_NUM})")
# The local average wage (社平工资), which caps the levy's wage base; not the firm's own.
_LOCAL_WAGE = re.compile(
    rf"(?:社平|社会平均|当地平均|当地职工平均|当地的平均|本地平均|城镇单位就业人员平均|全市平均|全省平均)"
    rf"(?:年)?(?:工资|薪资|收入)?[^0-9，。,；;]{{0,8}}?({_NUM})")
_MONTHLY = re.compile(r"月工资|月薪|每月|每个月|一个月|1个月|月收入|月平均|平均月|月均|一月")
_YEARLY = re.compile(r"年薪|年工资|年平均|每年|一年|1年|全年|年收入|年均")
# Below this a yearly average wage is implausible (under any province's minimum wage for
# a year): the person is asked whether it was a monthly figure.
LOW_YEARLY_WAGE = Decimal(20000)
_NONE_AFTER = re.compile(r"\s*(?:都|也)(?:没|不|未)")
# "1个一级和1个三级": counts by level, the word 残疾 said once or not at all.
_LEVEL_COUNT = re.compile(rf"({_NUM})\s*(?:个|名|位)\s*(?:是|为)?\s*([1-4])级")
# "一级的两个，三级的一个", "二级有1个": the level first.
_LEVEL_FIRST = re.compile(rf"(?<![\d.])([1-4])级(?:的|残疾(?:人|职工)?)?(?:有|是)?\s*({_NUM})\s*(?:个|名|位|人)")
# "一级二级各一个", "1级、2级各1人": each level named, the same count of each.
_EACH_LEVEL = re.compile(rf"((?:[1-4]级[、和与及,，\s]*){{2,4}})各\s*({_NUM})\s*(?:个|名|位|人)")
# 重度残疾 is what the levy's rules count twice: 一、二级 (残疾人证 1 至 2 级). Read as 一级.
_SEVERE_WORDS = re.compile(r"重度(?:残疾)?|[12]\s*[、到至-]\s*[12]级")
# "残疾职工3人", "残疾人3个", "残疾2": the count after the word.
_DISABLED_AFTER = re.compile(rf"残疾(?:人|职工|员工)?(?:有|是|为|共|一共)?\s*({_NUM})(?!\s*(?:级|%|\.\d))\s*(?:个|名|位|人)?")
# "员工400", "职工300人": the staff count after the word (not 残疾职工).
_STAFF_AFTER = re.compile(rf"(?<!残疾)(?:员工|职工|工人|人数)(?:有|是|共|一共|总数)?\s*({_NUM})(?!\s*(?:级|%|万|元|块|\.\d))")
# "都是一级": every one of the count just said is 一、二级.
_ALL_SEVERE = re.compile(r"(?:都|全|均|全部)(?:是|为)?\s*[12]级")
# Words that add people rather than break a count down ("3个残疾人和2个一级的").
_ADDS = re.compile(r"和|还有|另外|加上|以及|再加")
# A bare count at the start, when the question it answers is known ("2个，其中1个二级").
_LEADING_COUNT = re.compile(
    rf"^\s*(?:[^\d,，]{{0,8}}?(?:说错了|不对|错了|搞错了|记错了|如果|要是|假如)[,，\s]*)?(?:应该)?(?:有|是|一共|共)?"
    rf"\s*({_NUM})\s*(?:个|名|位|人)?(?!\s*(?:年|月|万|千|百|元|块|岁|%|\.\d|\d))")
# "没有残疾人", "没招残疾职工": none.
_NO_DISABLED = re.compile(r"(?:没有|没|无|未)(?:安排|招|招过|雇|雇过|聘|聘用)?(?:过)?(?:任何)?(?:的)?残疾")
_PERCENT = re.compile(rf"({_NUM})\s*%")
# The ratio the local rules set ("当地比例1.5%", "我们省规定的比例是1.6%"), not the firm's own
# ("我们残疾职工比例是1%"): said with whose ratio it is.
_LOCAL_RATIO = re.compile(
    rf"(?:当地|本地|本省|全省|省里|我们省|我省|本市|我们市|我们这|规定|要求|法定)(?:规定)?(?:的)?(?:安排)?(?:就业)?比例"
    rf"(?:是|为|按|要求)?\s*({_NUM})\s*%")


# Words with 一 (or 两) in them that are not numbers: cn2an would read "等一下" as "等1下"
# and "一共两百人" as "1共200人". Kept aside while numerals are turned into digits.
_NOT_NUMBERS = re.compile(
    r"一下|一直|一些|一起|一般|一定|一样|一边|一切|统一|一律|唯一|一旦|一向|一再|一时|一致|一会|"
    r"(?<![零〇一二两三四五六七八九十百千\d])万一(?![千百十])|"
    r"一共|一同|一道|一手|一口气|一心|一生|一辈子|一家人|第一时间|一点(?![零〇一二两三四五六七八九\d])"
)
# "半年" is 0.5 年 and "一年半" 1.5 年 (not 上半年 / 下半年).
_HALF_YEAR = re.compile(r"(?<![上下前后])(?:(\d+|[一二两三四五六七八九十])年半|半年)")


def _half_year(match: re.Match) -> str:
    whole = match.group(1)
    if whole is None:
        return "0.5年"
    years = int(whole) if whole.isdigit() else int(cn2an.cn2an(whole.replace("两", "二"), "smart"))
    return f"{years}.5年"


# "一次也没贷过", "一个都没有": none at all.
_NONE_AT_ALL = re.compile(r"一(?=(?:次|个|名|位|回|人|家|分钱|分|点)?(?:也|都)(?:没|不|未))")
# A range said as two numerals ("两三次", "三四个") or two numbers ("2到3次", "两到三个").
_CN = "零〇一二两三四五六七八九十百千万"
_RANGE = re.compile(
    rf"(?:一两|两三|二三|三四|三五|四五|五六|六七|七八|八九|十几|几十|几百|几千|几万|好几)(?=[个名位次人年岁天千万百十块元]|$)"
    rf"|(?:\d+(?:\.\d+)?|[{_CN}]+)\s*(?:到|至|~|～|或者?)\s*(?:\d+(?:\.\d+)?|[{_CN}]+)"
    rf"|\d+(?:\.\d+)?\s*-\s*\d+(?:\.\d+)?(?=\s*[个名位次人年岁天千万百块元])"
)
_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_LATIN_UNITS = re.compile(r"(\d+(?:\.\d+)?)\s*([wWkK])(?![a-zA-Z])")
# Digits with 万 / 千 / 百 and more digits after, as people write them: "8万5" is 85,000
# (the digit after 万 counts thousands), "8万5千" and "8万5000" too, "3千5" is 3,500.
_WAN_DIGIT = re.compile(r"(\d+(?:\.\d+)?)万(\d)(?![\d千百十.])")
_WAN_THOUSANDS = re.compile(r"(\d+(?:\.\d+)?)万(\d+(?:\.\d+)?)千")
_WAN_REST = re.compile(r"(\d+(?:\.\d+)?)万(\d{2,4})(?![\d.])")
_QIAN_DIGIT = re.compile(r"(\d+)千(\d)(?![\d百十.])")
_YI = re.compile(r"(\d+(?:\.\d+)?)\s*亿")
_QIAN = re.compile(r"(\d+(?:\.\d+)?)\s*千")
_TWO = re.compile(r"两(?=[名位次人年岁天家口只条])")
_CN_DECIMAL = re.compile(r"[零〇一二两三四五六七八九十]+点[零〇一二两三四五六七八九]+(?=[万千亿])")  # 一点五万
_MINUS = re.compile(r"负\s*(?=\d)")
_PLACEHOLDER = "\ue000{}\ue001"
_KEPT = re.compile("\ue000(\\d+)\ue001")


def _units(text: str) -> str:
    """Digits written with 亿 / 万 / 千 (and w, k) as plain digits."""
    text = _LATIN_UNITS.sub(lambda m: m.group(1) + ("万" if m.group(2) in "wW" else "千"), text)
    text = _YI.sub(lambda m: _plain(Decimal(m.group(1)) * 100_000_000), text)
    text = _WAN_THOUSANDS.sub(lambda m: _plain(Decimal(m.group(1)) * 10000 + Decimal(m.group(2)) * 1000), text)
    text = _WAN_DIGIT.sub(lambda m: _plain(Decimal(m.group(1)) * 10000 + Decimal(m.group(2)) * 1000), text)
    text = _WAN_REST.sub(lambda m: _plain(Decimal(m.group(1)) * 10000 + Decimal(m.group(2))), text)
    text = _WAN.sub(lambda m: _plain(Decimal(m.group(1)) * 10000), text)
    text = _QIAN_DIGIT.sub(lambda m: _plain(Decimal(m.group(1)) * 1000 + Decimal(m.group(2)) * 100), text)
    return _QIAN.sub(lambda m: _plain(Decimal(m.group(1)) * 1000), text)


def digits(text: str, limit: int = 1000) -> str:
    """Numbers as digits, however they were written or said: Chinese numerals (两百,
    八万五, 百分之一点五), 俩, thousands separators (1,200), w and k (8.5w), digits with
    万 / 千 / 亿 (8万5 = 85000, 8万5千, 3千5, 8亿); "一次也没" is 0 times. Words that
    merely contain 一 (一下, 一直, 一共) are left as they are. Other text unchanged
    (normalised, at most ``limit`` characters)."""
    text = normalize(text, limit=limit)
    text = _THOUSANDS.sub("", text)
    text = _HALF_YEAR.sub(_half_year, text)
    text = _NONE_AT_ALL.sub("0", text)
    text = text.replace("俩", "两个")
    text = _ABOUT.sub(r"\1\2", text)  # "十来万" is about 十万, "二十来个" about 二十个
    kept = []

    def keep(match: re.Match) -> str:
        kept.append(match.group(0))
        return _PLACEHOLDER.format(len(kept) - 1)

    text = _NOT_NUMBERS.sub(keep, text)
    text = _TWO.sub("2", text)
    text = _CN_DECIMAL.sub(lambda m: _plain(Decimal(str(cn2an.cn2an(m.group(0), "smart")))), text)
    text = _units(text)  # before cn2an, which misreads "8万5" as 800005
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # cn2an warns on pieces it leaves alone
        text = cn2an.transform(text, "cn2an")
    text = _units(text)
    text = _MINUS.sub("-", text)  # "负5": cn2an reads 负五 but not 负 before digits
    return _KEPT.sub(lambda m: kept[int(m.group(1))], text)


# "十来万", "二十来个", "1万来块": 来 after a round number means about that much.
_ABOUT = re.compile(r"([十百千万0-9])来(万|千|百|个|人|块|元|岁|年)")


# A number said, then put right in the same answer: "两百多人，准确说是二百一十五", "八万左右吧，
# 具体是八万六", "不是300，是350", "原来有3个，走了1个，现在2个": the last one counts.
_RESTATED = re.compile(r"(?:准确|确切|精确|具体)(?:地|点|些|来)?(?:说|讲|是)?|其实是|应该是|实际(?:上)?是|"
                       r"现在(?:是|有|还有|只有)?|不是[^，,。；;]{1,12}[，,]\s*(?:而)?是")


def restated(text: str) -> str:
    """The part of an answer after its last restatement ("…，准确说是二百一十五" → "二百一十五"),
    when a number follows it; else the answer as it is."""
    found = list(_RESTATED.finditer(text or ""))
    if not found:
        return text
    before, rest = text[:found[-1].end()], text[found[-1].end():]  # "不是300，是": the first is in the marker
    said_twice = re.search(rf"{_NUM}", digits(before)) and re.search(rf"{_NUM}(?!\s*级)", digits(rest))
    return rest if said_twice else text  # "3个，现在都是二级" keeps its 3


# People added to those said before: "再招两个", "多一个二级的", "又招了3个", "增加2个".
_ADDS_PEOPLE = re.compile(rf"(?:再|又)(?:多)?(?:招|雇|聘|安排|加)?(?:了)?\s*{_NUM}|多(?:招|雇|聘|安排|加)(?:了)?\s*{_NUM}|"
                          rf"(?<![0-9百千万])多\s*{_NUM}\s*(?:个|名|位|人)|增加(?:了)?\s*{_NUM}|新招(?:了)?\s*{_NUM}")


_FEWER_PEOPLE = re.compile(rf"少(?:招|雇|聘|安排)?(?:了)?\s*{_NUM}|减少(?:了)?\s*{_NUM}|走了\s*{_NUM}|离职(?:了)?\s*{_NUM}")


def adds_people(text: str) -> int:
    """"那如果再招两个残疾人呢": people added to a count said before, not the count itself
    (1); "那少一个残疾人呢": taken away from it (-1); 0 when neither."""
    plain = digits(text or "")
    return 1 if _ADDS_PEOPLE.search(plain) else -1 if _FEWER_PEOPLE.search(plain) else 0


def says_level(text: str) -> bool:
    """"如果两个都是一级呢", "重度的": a level of disability is named."""
    return bool(re.search(r"[1-4]\s*级|重度", digits(text or "")))


def says_range(text: str) -> bool:
    """A range, not one number: "两三次", "2到3个", "三四千" (the person is asked again)."""
    return bool(_RANGE.search(_THOUSANDS.sub("", normalize(text or ""))))


def _plain(value: Decimal) -> str:
    text = f"{value.normalize():f}"
    return text


@functools.lru_cache(maxsize=1)
def _places() -> Dict[str, str]:
    """City or short name → province (data/places.yml)."""
    return dict(yaml.safe_load((DATA / "places.yml").read_text("utf-8"))["places"])


def province(text: str) -> Optional[str]:
    """The province a sentence names, or the province of a city it names (长沙 → 湖南)."""
    named = next((p for p in PROVINCES if p in text), None)
    return named or next((p for place, p in _places().items() if place in text), None)


def wage_period(text: str) -> Optional[str]:
    """"month" or "year" when a wage is said to be per month or per year, else None."""
    plain = normalize(text or "")
    if _MONTHLY.search(plain):
        return "month"
    if _YEARLY.search(plain):
        return "year"
    return None


_PERIOD_WORDS = re.compile(r"一年|一个月|一月|每年|每月|每个月|全年")
# The same words once numerals are digits ("一年" is "1年" then), not "2021年".
_PERIOD_DIGITS = re.compile(r"(?<![\d.])1\s*(?:个)?\s*(?:年|月)(?!份)|每年|每月|每个月|全年")


# Numbers that count something else than money: "到2027年", "45岁", "200人".
_NOT_MONEY = re.compile(rf"{_NUM}\s*(?:年(?!薪)|岁|人|个|名|位|月份|号|级|次|%)")


_ANSWER_WORDS = re.compile(
    r"[\d.,，。!！?？~～\s]|[零〇一二两三四五六七八九十百千万亿俩wWkK]|元|块|钱|人|个|名|位|年|月|每|大概|大约|差不多|左右|"
    r"吧|啊|呢|的|了|是|有|就|平均|工资|职工|员工|残疾|一共|总共|我们|公司|单位|在|省|市")


def is_short_answer(text: str) -> bool:
    """A number said as an answer ("8万", "大概两百人吧"), not a question that holds a
    number ("我们这打12385没人接，还能打哪个")."""
    return len(_ANSWER_WORDS.sub("", normalize(text or ""))) <= 2


def wage_amount(text: str) -> Optional[Decimal]:
    """The amount of a wage answer, its period words left out ("一年10万" is 100000, not 1)
    and numbers of other things too ("到2027年要完成" holds no wage)."""
    return first_number(_NOT_MONEY.sub(" ", digits(_PERIOD_WORDS.sub(" ", normalize(text or "")))))


def _clause(text: str, at: int) -> str:
    """The clause of ``text`` around position ``at`` (between commas or full stops)."""
    start = max(text.rfind(mark, 0, at) for mark in "，,。；;") + 1
    ends = [i for i in (text.find(mark, at) for mark in "，,。；;") if i != -1]
    return text[start:min(ends) if ends else len(text)]


# A level said of one person ("1个，是二级的", "1人（一级）", "他是二级残疾"): a digit before 级
# that is no count of people.
_LEVEL_OF = re.compile(r"(?<![\d.])([1-4])\s*级")
_ONE_COUNT = re.compile(r"(?<![\d.])1\s*(?:个|名|位|人)(?!\s*[1-4]\s*级)|^\s*就?1(?![\d.级])")
_HE = re.compile(r"[他她]")


def _one_person_level(plain: str, found: Dict, asked: Optional[str], leveled: list) -> None:
    """One disabled employee said with a level and no breakdown: that person is counted by
    the level (一、二级 count twice). Said to the count question, "他是二级残疾" is one person."""
    if leveled or found.get("severe"):
        return
    levels = {int(level) for level in _LEVEL_OF.findall(plain)}
    if len(levels) != 1:
        return
    clauses = re.split(r"[，,。；;！!？?]", plain)
    at = next(i for i, clause in enumerate(clauses) if _LEVEL_OF.search(clause))
    near = clauses[at]  # the level's clause, and the one before it when the count was said there ("1个，一级")
    if not (_ONE_COUNT.search(near) or _HE.search(near)) and at > 0:
        near = clauses[at - 1] + " " + near
    if [n for n in re.findall(rf"{_NUM}", _LEVEL_OF.sub(" ", near)) if Decimal(n) != 1]:
        return  # another count near the level: whose level it is, is not clear
    one = found.get("disabled") == 1 or (
        asked == "disabled" and "disabled" not in found and (_ONE_COUNT.search(near) or _HE.search(near)))
    if one and (_ONE_COUNT.search(near) or _HE.search(near) or "残疾" in near):
        severe = _level_key(levels.pop(), plain, len(plain)) == "severe"
        found["severe"], found["disabled"] = Decimal(1 if severe else 0), Decimal(0 if severe else 1)
        if not severe:
            found.pop("severe")


# An amount said with its period and nothing else ("一年8万", "每月6000块"): a wage.
_PERIOD_AMOUNT = re.compile(r"^\s*(?:一年|每年|全年|年薪|每月|每个月|一个月|月薪)\s*"
                            r"[0-9零一二两三四五六七八九十百千万.]+\s*(?:万|千|元|块)?[。！!]?\s*$")
_TOTAL = re.compile(r"总额|总共|一共发|合计|全部工资|工资总数")


def says_total(text: str) -> bool:
    """"工资总额一年2400万": a total, not an average."""
    return bool(_TOTAL.search(text or ""))
_HALF_LEVEL = re.compile(r"(?:一|1)半(?:都)?(?:是|为)?\s*([1-4])级")
# 残疾军人证 levels 1 to 3 count twice, as 残疾人证 levels 1 and 2 do ("一个是三级残疾军人").
_VETERAN = re.compile(r"^\s*(?:的)?\s*(?:伤残|残疾)?军")


def _level_key(level: int, plain: str, end: int) -> str:
    """"severe" (counted twice by the levy's rules) or "disabled", for a level said just before
    ``end``; a 残疾军人 right after it is counted by the veterans' levels (the parameters
    levy.severe_max_level and levy.severe_max_level_military)."""
    veteran = bool(_VETERAN.match(plain[end:end + 8]))
    name = "levy.severe_max_level_military" if veteran else "levy.severe_max_level"
    return "severe" if level <= params.default().get(name, date.today()).value else "disabled"


def levy_slots(text: str, asked: Optional[str] = None) -> Dict[str, Decimal | str]:
    """What a levy question already says: staff, disabled, severe (一、二级, counted
    twice by the rules), wage (yearly; a monthly wage is multiplied by 12 and also kept
    as ``wage_month``), local_wage (社平工资), province, ratio (the local ratio, in %).
    ``asked``: the question the sentence answers, when one is asked ("2个，其中1个二级"
    answers the count of disabled staff)."""
    found: Dict[str, Decimal | str] = {}
    if says_range(text):  # "150到200人": which? the form asks, one number at a time
        return found
    plain = _SEVERE_WORDS.sub("1级", digits(text))
    local = _LOCAL_WAGE.search(plain)
    if local:
        found["local_wage"] = Decimal(local.group(1))
        plain_for_wage = plain[:local.start()] + " " * (local.end() - local.start()) + plain[local.end():]
    else:
        plain_for_wage = plain
    disabled_spans = []
    totals = []  # (start, end, how many): counts of disabled staff said without a level
    leveled = []  # (start, "severe" or "disabled", how many): counts said with their level
    for match in _DISABLED.finditer(plain):
        disabled_spans.append(match.span())
        count = Decimal(match.group(1))
        if _NONE_AFTER.match(plain, match.end()):  # "一个残疾人都没招" means none
            count = Decimal(0)
        level = _LEVEL_WORDS.get(match.group(2) or "")
        if level is None:
            totals.append((match.start(), match.end(), count))
        else:
            leveled.append((match.start(), _level_key(level, plain, match.end()), count))
    for match in _DISABLED_AFTER.finditer(plain):
        if not any(start <= match.start(1) < end for start, end in disabled_spans):
            disabled_spans.append(match.span())
            totals.append((match.start(), match.end(), Decimal(match.group(1))))
    for match in _EACH_LEVEL.finditer(plain):  # "一级二级各一个"
        if any(start <= match.start() < end for start, end in disabled_spans):
            continue
        disabled_spans.append(match.span())
        for level in re.findall(r"([1-4])级", match.group(1)):
            leveled.append((match.start(), _level_key(int(level), plain, match.end()), Decimal(match.group(2))))
    orders = ((_LEVEL_COUNT, 1, 2), (_LEVEL_FIRST, 2, 1))
    firsts = [(m.start() if m else len(plain)) for m in (_LEVEL_COUNT.search(plain), _LEVEL_FIRST.search(plain))]
    if firsts[1] < firsts[0]:  # "二级1个一级1个": the level first, all along
        orders = orders[::-1]
    for pattern, count_at, level_at in orders:
        for match in pattern.finditer(plain):
            if any(start <= match.start() < end or start < match.end() <= end for start, end in disabled_spans):
                continue
            disabled_spans.append(match.span())
            leveled.append((match.start(), _level_key(int(match.group(level_at)), plain, match.end()),
                            Decimal(match.group(count_at))))
    if asked == "disabled" and not totals:
        lead = _LEADING_COUNT.match(plain)
        # "2个，其中1个二级": the count the question asks; not "两个二级的" (a count with its level)
        if lead and not any(start <= lead.start(1) < end for start, end in disabled_spans):
            disabled_spans.append(lead.span())
            totals.append((lead.start(), lead.end(), Decimal(lead.group(1))))
    for match in _HALF_LEVEL.finditer(plain):  # "四个人，一半是二级": half of the count said before it
        before = [count for start, end, count in totals if end <= match.start()]
        if before and before[-1] % 2 == 0 and not any(start <= match.start() < end for start, end in disabled_spans):
            disabled_spans.append(match.span())
            leveled.append((match.start(), _level_key(int(match.group(1)), plain, match.end()), before[-1] / 2))
    totals.sort()
    leveled.sort()
    severe = disabled = Decimal(0)
    said_any = bool(totals or leveled)
    parts: Dict[int, list] = {}  # a total's index → its breakdown by level
    for at, key, count in leveled:
        before = [i for i, (start, end, _) in enumerate(totals) if end <= at]
        if before:  # "3个残疾人，其中1个一级": a part of the last count said, unless added to it
            i = before[-1]
            first_part = i not in parts
            taken = sum(n for _, n in parts.get(i, []))
            if not (first_part and _ADDS.search(plain[totals[i][1]:at])) and taken + count <= totals[i][2]:
                parts.setdefault(i, []).append((key, count))
                continue
        if key == "severe":
            severe += count
        else:
            disabled += count
    for i, (start, end, count) in enumerate(totals):
        nearby = plain[end:end + 12]
        if _ALL_SEVERE.match(nearby.lstrip("，, 的")) or _ALL_SEVERE.search(nearby.split("，")[0]):
            severe += count  # "2个残疾人都是一级"
            continue
        in_it = sum((n for key, n in parts.get(i, []) if key == "severe"), Decimal(0))
        severe += in_it
        disabled += max(count - in_it, Decimal(0)) if in_it else count  # a count below 0 is kept, to be refused
    if said_any:
        if severe or any(key == "severe" for _, key, _ in leveled):
            found["severe"] = severe
        if disabled or totals or asked == "disabled" or any(key == "disabled" for _, key, _ in leveled):
            found["disabled"] = disabled
    if not disabled_spans and _NO_DISABLED.search(plain):
        found["disabled"] = Decimal(0)
    _one_person_level(plain, found, asked, leveled)
    for match in sorted([*_STAFF.finditer(plain), *_STAFF_AFTER.finditer(plain)], key=lambda m: m.start()):
        if any(start <= match.start(1) < end for start, end in disabled_spans):
            continue
        found.setdefault("staff", Decimal(match.group(1)))
    # "工资是一年9万": the 1 of "1年" is a period, not the wage
    wage = _WAGE.search(_PERIOD_DIGITS.sub(lambda m: " " * len(m.group(0)), plain_for_wage))
    if wage and says_total(_clause(plain, wage.start(1))):
        pass  # "工资总额一年2400万": no average; the wage question divides it by the staff count
    elif wage:
        amount = Decimal(wage.group(1))
        if wage_period(_clause(plain, wage.start(1))) == "month":
            found["wage_month"] = amount
            amount *= 12
        found["wage"] = amount
    if "wage" not in found and asked not in (None, "wage") and _PERIOD_AMOUNT.match(normalize(text or "")):
        amount = wage_amount(text)  # "一年8万" to the count question: the wage, said ahead
        if amount is not None:
            if wage_period(text) == "month":
                found["wage_month"] = amount
                amount *= 12
            found["wage"] = amount
    where = province(normalize(text or "")) or province(plain)  # before digits(): 四川 is no "4川"
    if where:
        found["province"] = where
    ratio = _LOCAL_RATIO.search(plain)
    if ratio:
        found["ratio"] = Decimal(ratio.group(1))
    elif asked == "province" and _PERCENT.search(plain):  # "1.5%" to 哪个省: the ratio the province is asked for
        found["ratio"] = Decimal(_PERCENT.search(plain).group(1))
    return found


# The unit a number is said with, as the checks' questions name theirs.
_UNITS = {"岁": "岁", "人": "人", "名": "人", "位": "人", "元": "元", "块": "元", "级": "级", "次": "次",
          "年": "年", "月": "月"}
_UNIT_AFTER = re.compile(rf"{_NUM}\s*({'|'.join(_UNITS)})")


def unit_said(text: str) -> Optional[tuple]:
    """The first number said with a unit, and that unit ("我28岁" → ("28岁", 岁), "二级" →
    ("2级", 级)): an answer in another unit than the question's answers something else."""
    match = _UNIT_AFTER.search(digits(text))
    return (match.group(0), _UNITS[match.group(1)]) if match else None


def percent(text: str) -> Optional[Decimal]:
    match = _PERCENT.search(digits(text))
    return Decimal(match.group(1)) / 100 if match else None


_YEARS_MONTHS = re.compile(rf"(?:({_NUM})\s*年\s*零?\s*)?({_NUM})\s*个?\s*月(?!份)")


def years_with_months(text: str) -> Optional[Decimal]:
    """A length in years said with months ("十个月" → 0.83, "一年零三个月" → 1.25), for a
    question asked in years; None when no months are said."""
    found = _YEARS_MONTHS.search(digits(text))
    if not found:
        return None
    years = Decimal(found.group(1) or 0) + Decimal(found.group(2)) / 12
    return years.quantize(Decimal("0.01"))


def first_number(text: str) -> Optional[Decimal]:
    """The first number in an answer like "两百人" or "8万块"; None when there is none,
    or when the answer is a range ("两三次": ``says_range``)."""
    if says_range(text):
        return None
    match = re.search(_NUM, digits(text))
    return Decimal(match.group(0)) if match else None


_LEVY = re.compile(r"残保金|保障金")
_CALCULATE = re.compile(r"(?:帮我|给我|帮忙|替我)算|算一下|算算|算一算|交多少|缴多少|要交几|多少钱|多少[？?。！!]*$")
_UNKNOWN = re.compile(r"不知道|不清楚|不晓得|不记得|没数|不确定")


def wants_levy_calculation(text: str) -> bool:
    """A levy question with the person's own numbers, or an explicit "算一下"."""
    plain = digits(text)
    numbers = sum(key in levy_slots(plain) for key in ("staff", "disabled", "severe", "wage"))
    asks = bool(_CALCULATE.search(plain)) and "怎么算" not in plain
    if not _LEVY.search(plain):  # "200人，1个残疾人，工资8万，要交多少": the levy's own figures
        return asks and numbers >= 3
    return numbers >= 2 or (asks and (numbers >= 1 or "算" in plain))


def says_unknown(text: str) -> bool:
    return bool(_UNKNOWN.search(normalize(text)))
