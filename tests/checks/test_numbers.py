"""Numbers and places from one sentence (for filling a form in one go)."""
from decimal import Decimal

import pytest

from jiuye.interpret import numbers


def test_the_issue_sentence_fills_everything():
    slots = numbers.levy_slots("我们公司200个员工，去年安排了1个三级残疾人，职工年平均工资8万，在湖南，残保金要交多少？")
    assert slots == {"staff": Decimal(200), "disabled": Decimal(1), "wage": Decimal(80000), "province": "湖南"}


def test_three_slots_in_a_short_sentence():
    slots = numbers.levy_slots("我们公司200人，安排了1个残疾人，平均工资8万")
    assert slots == {"staff": Decimal(200), "disabled": Decimal(1), "wage": Decimal(80000)}


def test_chinese_numerals_and_severe_levels():
    slots = numbers.levy_slots("单位有两百名职工，两个一级残疾人和一个四级残疾职工，工资八万五")
    assert slots["staff"] == 200 and slots["severe"] == 2 and slots["disabled"] == 1
    assert slots["wage"] == 85000


@pytest.mark.parametrize(
    "text, number",
    [("两百", 200), ("二百人", 200), ("8万", 80000), ("八万块", 80000), ("14.4万", 144000),
     ("一千二百个", 1200), ("大概十二万三", 123000), ("不知道", None), ("", None)],
)
def test_first_number(text, number):
    value = numbers.first_number(text)
    assert (value if value is None else Decimal(value)) == (None if number is None else Decimal(number))


@pytest.mark.parametrize("text, ratio", [("1.5%", "0.015"), ("百分之一点五", "0.015"), ("１.７％", "0.017")])
def test_percent(text, ratio):
    assert numbers.percent(text) == Decimal(ratio)


def test_province_and_traditional_characters():
    assert numbers.levy_slots("我們公司在廣東，三百個員工")["province"] == "广东"
    assert numbers.levy_slots("我們公司在廣東，三百個員工")["staff"] == 300


@pytest.mark.parametrize("text, wage, month", [
    ("工资是一年9万", 90000, None),  # the 1 of "1年" is the period, not the wage
    ("年平均工资一年8万", 80000, None),
    ("工资一个月6000", 72000, 6000),
    ("平均工资每月6000", 72000, 6000),
    ("2021年平均工资8万", 80000, None),
    ("我们公司200人，1个残疾人，工资是一年9万，在湖南", 90000, None),
])
def test_a_period_said_before_the_wage_is_not_the_wage(text, wage, month):
    slots = numbers.levy_slots(text)
    assert slots["wage"] == wage and slots.get("wage_month") == (None if month is None else Decimal(month))


@pytest.mark.parametrize("text, ratio", [
    ("当地比例1.5%，公司200人", 1.5), ("我们省规定的比例是1.6%", 1.6), ("当地比例百分之一点七", 1.7),
    ("我们残疾职工比例是1%", None),  # the firm's own ratio, not the local rule's
])
def test_the_local_ratio_said(text, ratio):
    found = numbers.levy_slots(text).get("ratio")
    assert found == (None if ratio is None else Decimal(str(ratio)))


@pytest.mark.parametrize("text, severe, disabled", [("2个，都是一级", 2, 0), ("2个，其中1个二级", 1, 1), ("两名", 0, 2)])
def test_an_answer_to_the_disabled_count_with_its_levels(text, severe, disabled):
    slots = numbers.levy_slots(text, asked="disabled")
    assert (slots.get("severe", 0), slots.get("disabled", 0)) == (severe, disabled)


@pytest.mark.parametrize("text", ["150到200人", "150-200人", "两三个"])
def test_a_range_in_a_levy_sentence_fills_nothing(text):
    assert numbers.levy_slots(text, asked="staff") == {}


@pytest.mark.parametrize("text, calculate", [
    ("员工400，残疾人3个，平均工资12万，北京，残保金多少", True), ("残保金：职工300，残疾2，工资10万，湖北", True),
    ("我们公司200人，安排了1个残疾人，平均工资8万，在湖南，要交多少", True), ("残保金怎么算", False),
    ("我们公司200人，工资8万，要交多少社保", False),
])
def test_a_levy_question_with_its_own_figures(text, calculate):
    assert numbers.wants_levy_calculation(text) is calculate


def test_none_of_them():
    slots = numbers.levy_slots("帮我算算残保金，公司三百人一个残疾人都没招")
    assert slots["staff"] == 300 and slots["disabled"] == 0


@pytest.mark.parametrize("text, severe, disabled", [
    ("2个残疾人都是一级", 2, 0),  # every one of them: counted twice each
    ("残疾职工3人（一个一级的）", 1, 2),
    ("我们有400名职工，其中残疾职工3名，有1名是一级", 1, 2),
    ("有2个残疾人，一个是一级的，还有一个三级", 1, 1),
    ("3个残疾人和2个一级残疾人", 2, 3),  # 和: two more people, not a part of the three
    ("残疾2", 0, 2),
    ("安排了3个残疾人，其中1个一级", 1, 2),  # a breakdown of the total, not more people
    ("安排了3名残疾职工，其中两个是二级的", 2, 1),
    ("安排了3个残疾人，其中1个三级", 0, 3),
    ("1个一级和1个三级", 1, 1),
    ("两个一级残疾人和一个四级残疾职工", 2, 1),
])
def test_counts_by_level_and_breakdowns(text, severe, disabled):
    slots = numbers.levy_slots(text)
    assert (slots.get("severe", 0), slots.get("disabled", 0)) == (severe, disabled)


def test_a_percentage_said_to_the_question_of_the_province_is_the_local_ratio():
    assert numbers.levy_slots("1.5%", asked="province") == {"ratio": Decimal("1.5")}
    assert numbers.levy_slots("百分之一点六", asked="province") == {"ratio": Decimal("1.6")}
    assert "ratio" not in numbers.levy_slots("1.5%")  # said out of the blue: whose ratio?


@pytest.mark.parametrize("text, asked", [
    ("1个，是二级的", "disabled"), ("一个，一级", "disabled"), ("1个二级的", "disabled"), ("1人（一级）", "disabled"),
    ("他是二级残疾", "disabled"), ("就一个，他是一级肢体残疾", "disabled"),
    ("有1个残疾人是一级的", None), ("1名残疾职工（二级）", None), ("有一个残疾人，一级", None),
    ("我们在深圳，职工80人，有1个残疾人是一级的，平均工资8万，残保金多少", None),
])
def test_one_disabled_employee_said_with_a_level_one_or_two_counts_twice(text, asked):
    slots = numbers.levy_slots(text, asked=asked)
    assert slots["severe"] == 1 and slots["disabled"] == 0, slots


@pytest.mark.parametrize("text", ["1个三级残疾人", "职工200人，残疾人1个，工资8万，我们是二级单位", "3个，二级"])
def test_a_level_that_is_not_one_persons_one_or_two_is_not_counted_twice(text):
    assert not numbers.levy_slots(text, asked="disabled").get("severe"), text


@pytest.mark.parametrize("text, severe, others", [
    # said to 上一年安排了几名残疾职工？ as employers say it (a user trial's phrasings)
    ("两个二级的", 2, 0), ("一个一级一个三级", 1, 1), ("五个残疾职工，一级二级各一个", 2, 3),
    ("4个，两个重度", 2, 2), ("有两个重度残疾", 2, 0), ("3个，其中2个重度", 2, 1), ("一级的两个，三级的一个", 2, 1),
    ("两个一级的残疾人", 2, 0), ("一个二级一个四级", 1, 1), ("2个，其中1个二级", 1, 1), ("3个，都是二级", 3, 0),
    ("残疾职工说错了，是两个，其中一个二级", 1, 1), ("3个", None, 3), ("1个，是二级的", 1, 0),
    ("四个人，一半是二级", 2, 2), ("3个，其中二级1个一级1个", 2, 1), ("3个，其中一个是三级残疾军人", 1, 2),
    ("2个三级残疾军人", 2, 0), ("1个三级残疾人", None, 1),
])
def test_the_disabled_staff_by_level_as_people_say_it(text, severe, others):
    slots = numbers.levy_slots(text, "disabled")
    assert slots.get("severe") == (None if severe is None else Decimal(severe)), slots
    assert slots.get("disabled") == (None if others is None else Decimal(others)), slots


@pytest.mark.parametrize("text, kept", [
    ("职工两百多人，准确说是二百一十五", "是二百一十五"), ("八万左右吧，具体是八万六", "八万六"), ("不是300，是350", "350"),
    ("原来有3个，走了1个，现在2个", "2个"), ("3个，现在都是二级", "3个，现在都是二级"), ("具体是8万", "具体是8万"),
    ("我们现在有200人", "我们现在有200人"),
])
def test_a_number_put_right_in_the_same_answer_is_the_one_read(text, kept):
    assert numbers.restated(text) == kept
