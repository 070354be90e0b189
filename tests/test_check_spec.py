"""The eligibility checks' questions (data/checks.yml) and how answers are read."""
from __future__ import annotations

import inspect

import pytest

from jiuye import checks, knowledge
from jiuye.checks import render
from jiuye.checks.model import NEEDS_LOCAL_CHECK
from jiuye.checks.registry import RULES
from jiuye.interpret import answers

SPEC = checks.default()


def test_every_check_has_questions_and_every_question_an_argument():
    assert set(SPEC) == set(RULES)
    for check in SPEC.values():
        parameters = inspect.signature(RULES[check.id]).parameters
        names = [q.name for q in check.questions]
        assert len(names) == len(set(names)), check.id
        for q in check.questions:
            assert q.name in parameters, f"{check.id}.{q.name} is no argument of the rules function"
            assert q.kind in ("yes_no", "number", "choice", "province")
            assert q.ask.endswith("？") or "“" in q.ask, q.ask
            assert q.label and q.why, q.slot
            if q.kind == "number":
                assert q.example, f"{q.slot} needs an example for the explanation"
            if q.kind == "choice":
                assert len(q.choices) >= 2
        for fact in check.facts:
            assert fact.name in parameters, f"{check.id}.{fact.name} is no argument of the rules function"
            assert check.by_name(fact.with_question), f"{fact.slot} goes with no question"
            for name, _ in q.only_if:  # asked only after the question it depends on
                assert name in names[: names.index(q.name)], q.slot


def test_topics_named_by_checks_exist():
    topics = knowledge.default().topics
    for check in SPEC.values():
        assert check.topics and all(t in topics for t in check.topics), check.id
        assert checks.for_topic(check.topics[0]) == check.id


@pytest.mark.parametrize("check_id", sorted(SPEC))
def test_all_unknown_answers_give_a_result_not_an_error(check_id):
    check = SPEC[check_id]
    given = {q.name: checks.UNKNOWN for q in check.questions}
    for q in check.missing_required(given):  # required ones get their first choice, or their example
        given[q.name] = q.options[0][1] if q.options else answers.answer(q, q.example).value
    result = RULES[check_id](**check.arguments(given))
    assert result.verdict == NEEDS_LOCAL_CHECK
    assert any(c.status == "unknown" for c in result.criteria)


@pytest.mark.parametrize("text, value", [
    ("有", True), ("有的", True), ("是的", True), ("对", True), ("没错", True), ("嗯", True),
    ("没有", False), ("不是", False), ("没", False), ("不在", False),
    ("1", True), ("第二个", False), ("三", checks.UNKNOWN),
    ("不知道", checks.UNKNOWN), ("不是很清楚", checks.UNKNOWN), ("跳过", checks.UNKNOWN),
    ("abc", None), ("", None), ("🙂", None),
])
def test_yes_no_answers(text, value):
    q = SPEC["tobacco"].question("tobacco_has_certificate")
    assert answers.answer(q, text).value == value


@pytest.mark.parametrize("text, value, error", [
    ("45", 45.0, None), ("四十五岁", 45.0, None), ("我今年45了", 45.0, None), ("不知道", "unknown", None),
    ("负五", None, "年龄不能小于1。"), ("两百岁", None, "年龄太大了，请再核对一下。"),
    ("45.5", None, "年龄应该是整数。"), ("abc", None, None),
])
def test_number_answers_with_limits(text, value, error):
    q = SPEC["lottery"].question("lottery_age")
    said = answers.answer(q, text)
    assert (said.value, said.error) == (value, error)


@pytest.mark.parametrize("text, value", [
    ("个人", "individual"), ("我自己贷", "individual"), ("公司贷", "enterprise"), ("我们公司", "enterprise"),
    ("2", "enterprise"), ("3", checks.UNKNOWN), ("不知道", checks.UNKNOWN), ("随便", None),
])
def test_choice_answers_by_word_or_number(text, value):
    q = SPEC["loan"].question("loan_applicant")
    assert answers.answer(q, text).value == value


def test_first_sentence_answers_other_questions():
    tobacco = SPEC["tobacco"]
    text = "我有残疾证，想自己开个烟酒店，营业执照还没办"
    found = {q.name: answers.prefill(q, text) for q in tobacco.questions}
    assert found == {"has_certificate": True, "runs_in_person": True, "has_business_licence": False,
                     "near_school": None}
    lottery_age = SPEC["lottery"].question("lottery_age")
    assert answers.prefill(lottery_age, "我今年五十岁，想办彩票") == 50.0
    assert answers.prefill(lottery_age, "我想办彩票") is None


def test_only_if_skips_questions_that_do_not_apply():
    loan = SPEC["loan"]
    individual = [q.name for q in loan.to_ask({"applicant": "individual"})]
    enterprise = [q.name for q in loan.to_ask({"applicant": "enterprise"})]
    assert "employment_difficulty" in individual and "staff" not in individual
    assert "staff" in enterprise and "new_hires" in enterprise and "employment_difficulty" not in enterprise
    assert loan.arguments({"applicant": "enterprise", "staff": 20.0, "new_hires": 2.0, "amount": "unknown"}) == {
        "applicant": "enterprise", "amount": None, "staff": 20, "new_hires": 2, "previous_loans": None}


def test_read_back_and_prompts():
    tobacco = SPEC["tobacco"]
    text = tobacco.read_back({"has_certificate": True, "runs_in_person": False,
                              "has_business_licence": "unknown", "near_school": False})
    assert text == ("我听到的是：残疾人证：是；本人经营：不是；营业执照：不知道；在学校附近：不是。"
                    "对吗？请说数字：")
    lottery = SPEC["lottery"]
    assert checks.said(lottery.question("lottery_age"), 45.0) == "年龄45岁"
    q = tobacco.question("tobacco_has_certificate")
    assert q.prompt() == "您有残疾人证吗？请说数字：\n1. 是\n2. 不是\n3. 不知道"
    assert [b["payload"] for b in q.buttons()] == ["是", "不是", "不知道"]
    assert "跳过" in q.explanation() and "人工" in q.explanation()
    assert "“45岁”" in lottery.question("lottery_age").explanation()


def test_check_named_in_a_sentence():
    assert checks.named_in("帮我查查能不能办烟草证") == "tobacco"
    assert checks.named_in("我想代销体彩") == "lottery"
    assert checks.named_in("今天天气不错") is None


def test_explanation_reads_the_calculation_in_words():
    from decimal import Decimal

    from jiuye.checks import levy

    result = levy.calculate(levy.LevyInput.of(Decimal(200), Decimal(80000), disabled=Decimal(1), province="湖南"))
    text = render.explanation(result)
    assert "第一步，应安排人数：在职职工200人乘以比例1.5%，得出3人。" in text
    assert "第三步，差额：3减去1，得出2人。" in text
    assert "第七步，实缴：160,000元乘以90%，得出144,000元。" in text
    assert "×" not in text and "÷" not in text
    assert render.explanation(result.to_dict()) == text
    assert render.in_words("min(本单位300,000元, 当地100,000元 × 2)") == "本单位300,000元和当地100,000元乘以2，取小的那个"


def test_a_small_enterprise_is_told_at_once_it_is_exempt_from_the_levy():
    """25 staff: whether it is an enterprise is asked (the exemption is for enterprises,
    财政部公告2023年第8号); an enterprise is exempt, so neither the wage nor the province is
    asked; a 事业单位 of 25 is asked everything; at 200 staff the question does not come up."""
    from datetime import date

    from jiuye.checks import levy

    check = SPEC["levy"]
    assert [q.name for q in check.to_ask({"staff": 25.0})][:2] == ["staff", "enterprise"]
    assert [q.name for q in check.to_ask({"staff": 25.0, "enterprise": True})] == ["staff", "enterprise"]
    assert [q.name for q in check.to_ask({"staff": 25.0, "enterprise": True, "disabled": 0.0})] == \
        ["staff", "enterprise", "disabled"]
    assert check.missing_required({"staff": 25.0, "enterprise": True}) == []
    assert "wage" in [q.name for q in check.to_ask({"staff": 25.0, "enterprise": False})]
    assert "enterprise" not in [q.name for q in check.to_ask({"staff": 200.0, "enterprise": True})]
    assert "wage" in [q.name for q in check.to_ask({"staff": 200.0})]
    result = RULES[check.rules](**check.arguments({"staff": 25.0, "enterprise": True}))
    assert "暂免缴纳残保金" in result.summary
    public = RULES[check.rules](**check.arguments({"staff": 25.0, "enterprise": False, "disabled": 0.0,
                                                   "wage": 80000.0, "province": "北京"}))
    assert "暂免" not in public.summary and public.amounts["levy"] > 0
    assert not levy.settled({"staff": 25, "enterprise": True}, on=date(2028, 1, 1))  # the exemption has ended: ask on
