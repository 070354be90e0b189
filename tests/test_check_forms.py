"""The check forms' actions with the real rules, spec and ledger (no Rasa server)."""
from __future__ import annotations

import asyncio

import pytest
from rasa_sdk.executor import CollectingDispatcher

from actions import checks as check_forms
from actions import dialogue
from jiuye import checks, ledger, messages
from tests.test_actions import run, tracker

# The read-back's options as the slot keeps them: 1 go (what 对 chooses), 2 redo (不对).
GO_REDO = [None, {"kind": "check", "value": "go", "means": True}, {"kind": "check", "value": "redo", "means": False}]

SPEC = checks.default()
VALIDATE = {cls.check_id: cls for cls in check_forms.FORM_VALIDATIONS}


def followup(events):
    return [e["name"] for e in events if e["event"] == "followup"]


def validate(check_id, text, slots=None, intent="nlu_fallback"):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(VALIDATE[check_id]().run(dispatcher, tracker(intent, text, slots=slots), {}))
    return [m["text"] for m in dispatcher.messages], {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def test_every_check_has_its_validation_action():
    assert set(VALIDATE) == set(SPEC)
    assert VALIDATE["quota_member"]().name() == "validate_quota_member_form"


def test_first_sentence_fills_what_it_says_and_asks_the_rest():
    said, slots = validate("tobacco", "我有残疾证，想自己开个烟酒店", {"requested_slot": None})
    assert said == []
    assert slots["tobacco_has_certificate"] is True and slots["tobacco_runs_in_person"] is True
    assert slots["requested_slot"] == "tobacco_has_business_licence"


def test_answer_to_the_question_asked():
    _, slots = validate("tobacco", "没有", {"requested_slot": "tobacco_has_business_licence"})
    assert slots["tobacco_has_business_licence"] is False
    assert slots["requested_slot"] == "tobacco_has_certificate"  # the first still open


def test_last_answer_ends_the_form():
    filled = {q.slot: True for q in SPEC["tobacco"].questions}
    filled.update(tobacco_near_school=None, requested_slot="tobacco_near_school")
    _, slots = validate("tobacco", "不知道", filled)
    assert slots["tobacco_near_school"] == checks.UNKNOWN
    assert slots["requested_slot"] is None


def test_only_if_questions_are_skipped():
    _, slots = validate("loan", "个人", {"requested_slot": "loan_applicant"})
    assert slots["loan_applicant"] == "individual" and slots["requested_slot"] == "loan_amount"
    answered = {"loan_applicant": "individual", "loan_amount": 100000.0, "loan_employment_difficulty": True,
                "requested_slot": "loan_previous_loans"}
    _, slots = validate("loan", "0", answered)
    assert slots["requested_slot"] is None  # staff and new_hires are for enterprises


def test_two_failed_answers_get_an_explanation_with_an_example():
    said, slots = validate("lottery", "abc", {"requested_slot": "lottery_age"})
    assert said == [messages.NOT_UNDERSTOOD]
    assert slots["failed_answers"] == {"lottery_age": 1} and slots["requested_slot"] == "lottery_age"
    said, slots = validate("lottery", "嗯嗯嗯", {"requested_slot": "lottery_age", "failed_answers": {"lottery_age": 1}})
    assert "“45岁”" in said[0] and "跳过" in said[0] and "人工" in said[0]
    said, slots = validate("lottery", "跳过", {"requested_slot": "lottery_age", "failed_answers": {"lottery_age": 2}})
    assert slots["lottery_age"] == checks.UNKNOWN


def test_a_number_out_of_range_says_why():
    said, slots = validate("lottery", "负五岁", {"requested_slot": "lottery_age"})
    assert said == ["年龄不能小于1。请再说一遍。"]
    assert "lottery_age" not in slots


@pytest.mark.parametrize("text, intent", [("人工", "human_handoff"), ("不算了", "cancel"), ("菜单", "help"),
                                          ("残保金怎么算", "ask_levy")])
def test_commands_and_questions_leave_the_form_to_their_rules(text, intent):
    said, slots = validate("lottery", text, {"requested_slot": "lottery_age"}, intent=intent)
    assert (said, slots) == ([], {})  # nothing taken: Rasa rejects the form, the rule answers


def test_confirm_reads_back_then_compute_says_the_result_and_asks_consent():
    answers = {"tobacco_has_certificate": True, "tobacco_runs_in_person": True,
               "tobacco_has_business_licence": True, "tobacco_near_school": False, "check_id": "tobacco"}
    said, slots = run(check_forms.ActionCheckConfirm(), tracker(slots=answers))
    assert said[0]["text"].startswith("我听到的是：残疾人证：是；本人经营：是；营业执照：是；在学校附近：不是。")
    assert slots["offered_options"] == GO_REDO
    said, slots = run(dialogue.ActionChooseOption(), tracker("affirm", "对", slots={**answers, **slots}, sender="t1"))
    assert "国办发〔2025〕23号 二（二）" in said[0]["text"] and "去哪里办" in said[0]["text"]
    assert said[1]["text"].startswith(messages.CONSENT_ASK)
    assert slots["last_result"]["check"] == "tobacco" and slots["tobacco_has_certificate"] is None
    assert ledger.count(ledger.CheckResult, "t1") == 0  # nothing kept before consent
    said, _ = run(dialogue.ActionChooseOption(), tracker("choose_number", "1", slots=slots, sender="t1",
                                                        entities=[{"entity": "number", "value": 1}]))
    assert said[0]["text"] == messages.CONSENT_GIVEN
    assert ledger.count(ledger.CheckResult, "t1") == 1 and ledger.consent("t1") is True


def test_consent_refused_keeps_nothing_and_is_not_asked_again():
    result = {"check_id": "dibao", "dibao_employed": True, "dibao_household_income": 1200.0,
              "dibao_dibao_line": 800.0}
    said, slots = run(check_forms.ActionCheckConfirm(), tracker(slots=result))
    said, slots = run(dialogue.ActionChooseOption(), tracker("choose_number", "1", slots={**result, **slots},
                                                            entities=[{"entity": "number", "value": 1}], sender="t2"))
    assert "渐退" in said[0]["text"]
    said, _ = run(dialogue.ActionChooseOption(), tracker("deny", "不同意", slots=slots, sender="t2"))
    assert said[0]["text"] == messages.CONSENT_REFUSED
    assert ledger.consent("t2") is False and ledger.count(ledger.CheckResult, "t2") == 0
    said, slots = run(check_forms.ActionCheckConfirm(), tracker(slots=result))
    said, _ = run(dialogue.ActionChooseOption(), tracker("affirm", "对", slots={**result, **slots}, sender="t2"))
    assert len(said) == 1  # the result, no second consent question


def test_with_consent_given_before_the_result_is_kept_at_once():
    ledger.set_consent("t3", True)
    slots = {"check_id": "quota_member", "quota_member_certificate": "残疾人证",
             "quota_member_level": 2.0, "quota_member_on_staff": True, "quota_member_wage_at_least_minimum": True,
             "quota_member_insurance_paid": True}
    said, _ = run(dialogue.ActionChooseOption(), tracker("affirm", "对", slots={**slots, "offered_options": GO_REDO}, sender="t3"))
    assert "算2人" in said[0]["text"] and said[1]["text"] == messages.RECORDED
    assert ledger.count(ledger.CheckResult, "t3") == 1


def test_a_required_answer_left_open_ends_politely():
    slots = {"check_id": "tax", "tax_staff": "unknown", "tax_disabled": 3.0,
             "offered_options": GO_REDO}
    said, new = run(dialogue.ActionChooseOption(), tracker("choose_number", "1", slots=slots,
                                                          entities=[{"entity": "number", "value": 1}]))
    assert said[0]["text"] == messages.CANNOT_CHECK.format(what="在职职工")
    assert new["tax_disabled"] is None


def test_redo_starts_the_same_form_again():
    """2 不对，重新说 (the number; a bare 不对 asks which answer is wrong: below)."""
    slots = {"check_id": "lottery", "lottery_age": 40.0, "offered_options": GO_REDO}
    dispatcher = CollectingDispatcher()
    events = dialogue.ActionChooseOption().run(dispatcher, tracker(
        "choose_number", "2", slots=slots, entities=[{"entity": "number", "value": 2}]), {})
    assert followup(events) == ["lottery_form"]
    assert any(e.get("name") == "lottery_age" and e.get("value") is None for e in events)


def test_start_picks_the_check_from_the_sentence_or_the_last_topic():
    dispatcher = CollectingDispatcher()
    events = check_forms.ActionStartCheck().run(dispatcher, tracker("check_eligibility", "帮我查查彩票"), {})
    assert followup(events) == ["lottery_form"]
    events = check_forms.ActionStartCheck().run(
        dispatcher, tracker("check_eligibility", "帮我查查", slots={"last_topic": "dibao_taper"}), {})
    assert followup(events) == ["dibao_form"]
    events = check_forms.ActionStartCheck().run(
        dispatcher, tracker("check_eligibility", "帮我查查", slots={"last_topic": "levy"}), {})
    assert followup(events) == ["levy_form"]
    said, slots = run(check_forms.ActionStartCheck(), tracker("check_eligibility", "我符合条件吗"))
    assert said[0]["text"].startswith(messages.WHICH_CHECK) and "1. 单位要交多少残保金" in said[0]["text"]
    assert slots["offered_options"][1] == {"kind": "check", "value": "levy"} and len(slots["offered_options"]) == len(SPEC) + 1


def test_why_reads_the_last_result():
    said, _ = run(check_forms.ActionExplainResult(), tracker("why", "为什么"))
    assert said[0]["text"] == messages.NOTHING_TO_EXPLAIN
    ledger_slots = {"levy_staff": 200.0, "levy_disabled": 1.0, "levy_wage": 80000.0, "levy_province": "湖南"}
    dispatcher = CollectingDispatcher()
    events = check_forms.compute(dispatcher, tracker(slots={**ledger_slots, "check_id": "levy"}))
    result = next(e["value"] for e in events if e.get("name") == "last_result")
    said, _ = run(check_forms.ActionExplainResult(), tracker("why", "为什么", slots={"last_result": result}))
    assert "第七步，实缴：160,000元乘以90%，得出144,000元。" in said[0]["text"]


def test_cancel_leaves_the_form_and_clears_its_answers():
    dispatcher = CollectingDispatcher()
    t = tracker("cancel", "不算了", slots={"check_id": "lottery", "lottery_age": 40.0})
    t.active_loop = {"name": "lottery_form"}
    events = check_forms.ActionCancelCheck().run(dispatcher, t, {})
    assert dispatcher.messages[0]["text"] == messages.CANCELLED
    assert {"event": "active_loop", "name": None} in [{k: e.get(k) for k in ("event", "name")} for e in events]
    assert any(e.get("name") == "lottery_age" and e.get("value") is None for e in events)


def test_levy_dont_know_for_staff_ends_the_check_at_once_and_says_what_is_missing():
    dispatcher = CollectingDispatcher()
    events = asyncio.run(VALIDATE["levy"]().run(
        dispatcher, tracker("nlu_fallback", "不知道", slots={"requested_slot": "levy_staff"}), {}))
    assert {e["name"]: e["value"] for e in events} == {"check_id": "levy", "levy_staff": "unknown",
                                                        "requested_slot": None}  # nothing more is asked
    said, _ = run(check_forms.ActionCheckConfirm(), tracker("nlu_fallback", "不知道", slots={
        "levy_staff": "unknown", "check_id": "levy"}))
    assert said[0]["text"] == messages.CANNOT_CHECK.format(what="在职职工人数")
    said, _ = run(dialogue.ActionChooseOption(), tracker(
        "affirm", "对", slots={"levy_staff": "unknown", "levy_disabled": 1.0, "check_id": "levy",
                              "offered_options": GO_REDO}))
    assert said[0]["text"] == messages.CANNOT_CHECK.format(what="在职职工人数")


def test_levy_two_failed_answers_get_an_explanation():
    dispatcher = CollectingDispatcher()
    slots = {"requested_slot": "levy_wage"}
    events = asyncio.run(VALIDATE["levy"]().run(dispatcher, tracker("nlu_fallback", "abc", slots=slots), {}))
    assert dispatcher.messages[-1]["text"] == messages.NOT_UNDERSTOOD
    counts = next(e["value"] for e in events if e["name"] == "failed_answers")
    events = asyncio.run(VALIDATE["levy"]().run(
        dispatcher, tracker("nlu_fallback", "xyz", slots={**slots, "failed_answers": counts}), {}))
    assert "“8万”" in dispatcher.messages[-1]["text"] and "人工" in dispatcher.messages[-1]["text"]


# ---- the levy: what one sentence says, wages per month, figures asked about -------------


def levy_turn(text, slots=None, intent="nlu_fallback"):
    dispatcher = CollectingDispatcher()
    events = asyncio.run(VALIDATE["levy"]().run(dispatcher, tracker(intent, text, slots=slots), {}))
    return [m["text"] for m in dispatcher.messages], {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def levy_result(slots):
    dispatcher = CollectingDispatcher()
    events = check_forms.compute(dispatcher, tracker(slots={**slots, "check_id": "levy"}))
    return next(e["value"] for e in events if e.get("name") == "last_result")


def test_a_level_two_employee_is_kept_and_counted_twice():
    _, slots = levy_turn("我们公司200个员工，去年安排了1个二级残疾人，职工年平均工资8万，在湖南", intent="calculate_levy")
    assert slots["levy_severe"] == 1.0 and slots["levy_disabled"] == 0.0 and slots["levy_staff"] == 200.0
    result = levy_result(slots)
    assert result["amounts"]["levy"] == "40000.00"  # (3 − 2) × 80,000 × 50%
    said, _ = run(check_forms.ActionCheckConfirm(), tracker(slots={**slots, "check_id": "levy"}))
    assert "一、二级残疾职工1人" in said[0]["text"]


def test_counts_by_level_and_none_at_all():
    _, slots = levy_turn("我们有200人，安排了1个一级和1个三级残疾人", intent="calculate_levy")
    assert (slots["levy_severe"], slots["levy_disabled"]) == (1.0, 1.0)
    _, slots = levy_turn("我们公司25个人，没有残疾人", intent="calculate_levy")
    assert (slots["levy_staff"], slots["levy_disabled"]) == (25.0, 0.0)


def test_a_monthly_wage_is_a_year_of_twelve_months_and_read_back_both_ways():
    _, slots = levy_turn("每月6000", slots={"requested_slot": "levy_wage", "levy_staff": 200.0, "levy_disabled": 1.0})
    assert (slots["levy_wage"], slots["levy_wage_month"]) == (72000.0, 6000.0)
    assert slots["requested_slot"] == "levy_province"
    said, _ = run(check_forms.ActionCheckConfirm(), tracker(slots={"levy_staff": 200.0, "levy_disabled": 1.0, **slots}))
    assert "平均工资每月6,000元，一年72,000元" in said[0]["text"]
    _, slots = levy_turn("我们公司200人，1个残疾人，平均月工资8000元，在湖南", intent="calculate_levy")
    assert (slots["levy_wage"], slots["levy_wage_month"]) == (96000.0, 8000.0)


def test_a_wage_too_low_for_a_year_is_asked_about_not_guessed():
    asked = {"requested_slot": "levy_wage", "levy_staff": 200.0, "levy_disabled": 1.0}
    said, slots = levy_turn("8000", slots=asked)
    assert said == ["您说的是8,000元。"] and slots["levy_wage_unsure"] == 8000.0
    assert slots["requested_slot"] == "levy_wage_unsure" and slots.get("levy_wage") is None
    _, month = levy_turn("每月", slots={**asked, **slots})
    assert (month["levy_wage"], month["levy_wage_month"], month["levy_wage_unsure"]) == (96000.0, 8000.0, None)
    said, year = levy_turn("一年的", slots={**asked, **slots})  # 8,000 a year is no average wage: asked again
    assert said[0].endswith(messages.ASK_AMOUNT_AGAIN) and "10000" in said[0].replace(",", "")
    assert year.get("levy_wage") is None and year["levy_wage_unsure"] is None and year["requested_slot"] == "levy_wage"
    said, again = levy_turn("嗯嗯", slots={**asked, **slots})
    assert said == [messages.NOT_UNDERSTOOD] and again["requested_slot"] == "levy_wage_unsure"


def test_a_wage_too_little_for_a_month_or_a_year_is_asked_again_not_asked_which():
    said, slots = levy_turn("大概10块", slots={"requested_slot": "levy_wage", "levy_staff": 200.0, "levy_disabled": 1.0})
    assert said == ["您说的是10元，按月按年都太少了，不像平均工资。请再说一遍。"]
    assert slots.get("levy_wage") is None and slots.get("levy_wage_unsure") is None


@pytest.mark.parametrize("text, wage", [("8万5", 85000.0), ("8.5w", 85000.0), ("85,000元", 85000.0),
                                        ("八万五千", 85000.0), ("8万5000", 85000.0), ("一年10万", 100000.0),
                                        ("大概十来万", 100000.0)])
def test_wages_as_people_write_them(text, wage):
    _, slots = levy_turn(text, slots={"requested_slot": "levy_wage", "levy_staff": 200.0, "levy_disabled": 1.0})
    assert slots["levy_wage"] == wage


def test_a_wage_far_too_high_gets_a_reason():
    said, slots = levy_turn("平均工资8亿", slots={"requested_slot": "levy_wage", "levy_staff": 200.0})
    assert "太大了" in said[0] and slots.get("levy_wage") is None


def test_the_firms_wage_and_the_local_average_are_told_apart():
    _, slots = levy_turn("我们200人，1个残疾人，员工平均年薪30万，当地社平工资10万，在湖南", intent="calculate_levy")
    assert (slots["levy_wage"], slots["levy_local_wage"]) == (300000.0, 100000.0)
    result = levy_result(slots)
    assert result["amounts"]["levy"] == "360000.00"  # the wage base capped at 2 × 100,000: 2 × 200,000 × 90%


# ---- corrections at the read-back ----------------------------------------------------------
LEVY_READ_BACK = {"check_id": "levy", "levy_staff": 200.0, "levy_disabled": 1.0, "levy_wage": 80000.0,
                  "levy_province": "湖南", "offered_options": GO_REDO}


def test_a_bare_no_at_the_read_back_asks_which_answer_is_wrong():
    said, slots = run(dialogue.ActionChooseOption(), tracker("deny", "不对", slots=LEVY_READ_BACK))
    assert said[0]["text"] == (messages.WHICH_WRONG + "\n1. 在职职工200人\n2. 残疾职工1人（没有一、二级残疾职工）"
                               "\n3. 平均工资80,000元\n4. 在湖南\n5. 全部重新说\n0. 对，开始算")
    assert slots["offered_options"][1] == {"kind": "fix", "value": "levy_staff"}
    dispatcher = CollectingDispatcher()
    events = dialogue.ActionChooseOption().run(dispatcher, tracker(
        "choose_number", "1", slots={**LEVY_READ_BACK, **slots}, entities=[{"entity": "number", "value": 1}]), {})
    assert followup(events) == ["levy_form"]
    assert {"levy_staff": None, "requested_slot": None}.items() <= {e["name"]: e["value"] for e in events
                                                                    if e["event"] == "slot"}.items()


@pytest.mark.parametrize("text, changed, read_back", [
    ("不对，是300人", {"levy_staff": 300.0}, "在职职工300人"),
    ("工资是9万", {"levy_wage": 90000.0}, "平均工资90,000元"),
    ("不对，平均月工资6000", {"levy_wage": 72000.0, "levy_wage_month": 6000.0}, "平均工资每月6,000元，一年72,000元"),
    ("不对，是1个二级残疾人", {"levy_disabled": 0.0, "levy_severe": 1.0}, "一、二级残疾职工1人"),
    ("省份说错了，是北京", {"levy_province": "北京"}, "在北京"),
])
def test_a_correction_changes_that_answer_and_reads_back_again(text, changed, read_back):
    said, slots = run(check_forms.ActionCorrectCheck(), tracker("correct", text, slots=dict(LEVY_READ_BACK)))
    assert changed.items() <= slots.items(), slots
    assert said[-1]["text"].startswith("我听到的是：") and read_back in said[-1]["text"]
    assert slots["offered_options"] == GO_REDO


def test_a_wrong_answer_named_without_its_value_is_asked_again():
    dispatcher = CollectingDispatcher()
    events = check_forms.ActionCorrectCheck().run(dispatcher, tracker("correct", "人数说错了", slots=LEVY_READ_BACK), {})
    assert followup(events) == ["levy_form"] and any(e.get("name") == "levy_staff" and e["value"] is None
                                                     for e in events)
    dispatcher = CollectingDispatcher()
    events = check_forms.ActionCorrectCheck().run(dispatcher, tracker("correct", "不对，是0人", slots=dict(LEVY_READ_BACK)), {})
    assert followup(events) == ["levy_form"] and any(e.get("name") == "levy_staff" and e["value"] is None
                                                     for e in events)
    assert not dispatcher.messages  # the form reads "0人" again and says what is wrong, once


def test_a_correction_with_no_read_back_open_is_asked_again_politely():
    said, slots = run(check_forms.ActionCorrectCheck(), tracker("correct", "不对，是300人"))
    assert said[0]["text"] == messages.NOT_CORRECTABLE and not slots


def test_a_checks_read_back_takes_corrections_too():
    answers_given = {"check_id": "lottery", "lottery_age": 45.0, "lottery_full_capacity": True,
                     "lottery_has_funds_and_premises": True, "lottery_clean_record": True,
                     "lottery_runs_in_person": True, "lottery_near_school": False, "offered_options": GO_REDO}
    said, slots = run(check_forms.ActionCorrectCheck(), tracker("correct", "不对，我今年50岁", slots=answers_given))
    assert slots["lottery_age"] == 50.0 and "年龄50岁" in said[-1]["text"]
    dispatcher = CollectingDispatcher()
    events = check_forms.ActionCorrectCheck().run(dispatcher, tracker("correct", "年龄说错了", slots=answers_given), {})
    assert followup(events) == ["lottery_form"]


def test_a_year_or_a_count_said_to_the_wage_question_is_no_wage():
    said, slots = levy_turn("我们是地市级事业单位，到2027年要完成", slots={"requested_slot": "levy_wage",
                                                                "levy_staff": 200.0, "levy_disabled": 1.0})
    assert slots.get("levy_wage") is None and slots.get("levy_wage_unsure") is None
    assert said == [messages.NOT_UNDERSTOOD]


def test_a_question_holding_a_number_is_no_answer_to_the_levy():
    said, slots = levy_turn("我们这打12385没人接，还能打哪个", intent="ask_hotline",
                            slots={"requested_slot": "levy_wage", "levy_staff": 200.0, "levy_disabled": 1.0})
    assert said == [] and slots == {}  # the form lets the question's own rule answer it


# ---- the levy as one check among the others; amounts per month or per year -------------
def test_the_levy_is_declared_in_the_checks_data_with_its_sentence_reader():
    levy = SPEC["levy"]
    assert levy.sentence == "levy" and levy.intent == "calculate_levy" and levy.go == "对，开始算"
    assert levy.slots == ["levy_staff", "levy_enterprise", "levy_disabled", "levy_wage", "levy_province"]
    assert set(levy.all_slots) >= {"levy_severe", "levy_local_wage", "levy_wage_month", "levy_wage_unsure"}
    assert levy.dependents("levy_wage") == ("levy_wage_month", "levy_wage_unsure", "levy_local_wage")
    assert levy.dependents("levy_disabled") == ("levy_severe",)


def test_a_monthly_question_converts_a_yearly_figure_and_reads_both_back():
    asked = {"requested_slot": "dibao_household_income", "dibao_employed": True}
    _, slots = validate("dibao", "一年两万四", asked)
    assert (slots["dibao_household_income"], slots["dibao_household_income_year"]) == (2000.0, 24000.0)
    answers = SPEC["dibao"].answers({**asked, **slots})
    assert SPEC["dibao"].said(SPEC["dibao"].by_name("household_income"), answers) == \
        "家庭人均月收入一年24,000元，每月2,000元"
    _, slots = validate("dibao", "每月1200", asked)
    assert (slots["dibao_household_income"], slots["dibao_household_income_year"]) == (1200.0, None)


def test_a_number_question_is_not_answered_by_a_question_that_holds_a_number():
    said, slots = validate("lottery", "我们这打12385没人接，还能打哪个", {"requested_slot": "lottery_age"},
                           intent="ask_hotline")
    assert said == [] and slots == {}


def test_a_correction_names_one_answer_by_its_words_the_first_named_wins():
    from jiuye.interpret import answers

    levy = SPEC["levy"]
    assert answers.named_in_correction(levy, "残疾职工人数说错了").name == "disabled"
    assert answers.named_in_correction(levy, "职工人数不对").name == "staff"
    assert answers.named_in_correction(levy, "工资说错了").name == "wage"
    assert answers.named_in_correction(levy, "省份不对").name == "province"
    assert answers.named_in_correction(SPEC["lottery"], "不对") is None


def test_a_correction_of_the_wage_too_low_for_a_year_asks_it_again():
    slots = {"check_id": "levy", "levy_staff": 200.0, "levy_disabled": 1.0, "levy_wage": 80000.0,
             "levy_province": "湖南", "offered_options": GO_REDO}
    dispatcher = CollectingDispatcher()
    events = check_forms.ActionCorrectCheck().run(dispatcher, tracker("correct", "工资说错了，是6000", slots=slots), {})
    changed = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert changed["levy_wage"] is None and changed["levy_wage_unsure"] == 6000  # a month's or a year's?
    assert dispatcher.messages[0]["text"] == "您说的是6,000元。" and followup(events) == ["levy_form"]
    dispatcher = CollectingDispatcher()
    events = check_forms.ActionCorrectCheck().run(dispatcher, tracker("correct", "工资说错了，是每月6000", slots=slots), {})
    changed = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert (changed["levy_wage"], changed["levy_wage_month"]) == (72000.0, 6000.0)
    assert "平均工资每月6,000元，一年72,000元" in dispatcher.messages[-1]["text"]


# ---- a correction of an earlier answer while another question is open --------------------
LEVY_ASKING_WAGE = {"requested_slot": "levy_wage", "levy_staff": 200.0, "levy_disabled": 3.0}


@pytest.mark.parametrize("text", ["职工人数说错了，是300", "不对，是300人", "人数说错了，应该是三百"])
def test_a_correction_of_an_earlier_number_changes_that_one_and_asks_again(text):
    said, slots = validate("levy", text, LEVY_ASKING_WAGE, intent="correct")
    assert said == ["好的，改成在职职工300人。"]
    assert slots["levy_staff"] == 300.0 and slots["requested_slot"] == "levy_wage"
    assert slots.get("levy_wage") is None and slots.get("levy_wage_unsure") is None  # 300 is no wage


def test_a_corrected_number_that_cannot_be_right_with_the_others_is_not_taken():
    said, slots = validate("levy", "职工人数说错了，是2", LEVY_ASKING_WAGE, intent="correct")
    assert said == ["残疾职工人数不能多于在职职工人数。" + messages.FIX_KEPT]
    assert "levy_staff" not in slots and slots["requested_slot"] == "levy_wage"


def test_a_corrected_wage_said_without_its_period_is_asked_about_first():
    asking_province = {"requested_slot": "levy_province", "levy_staff": 200.0, "levy_disabled": 3.0,
                       "levy_wage": 80000.0}
    said, slots = validate("levy", "工资说错了，是6000", asking_province, intent="correct")
    assert said == ["您说的是6,000元。"]
    assert slots["levy_wage"] is None and slots["levy_wage_unsure"] == 6000
    assert slots["requested_slot"] == "levy_wage_unsure"


def test_a_correction_at_the_read_back_that_cannot_be_right_asks_that_answer_again():
    dispatcher = CollectingDispatcher()
    slots = {**LEVY_READ_BACK, "levy_disabled": 3.0}
    events = check_forms.ActionCorrectCheck().run(dispatcher, tracker("correct", "不对，是2人", slots=slots), {})
    assert dispatcher.messages[0]["text"] == "残疾职工人数不能多于在职职工人数。"
    assert followup(events) == ["levy_form"] and any(e.get("name") == "levy_staff" and e["value"] is None
                                                     for e in events)


@pytest.mark.parametrize("check_id, asked, text, changed, said", [
    # "不对，是X" names no answer: it is of the one given just before (a user trial's cases)
    ("loan", {"requested_slot": "loan_previous_loans", "loan_applicant": "enterprise", "loan_amount": 3000000.0,
              "loan_staff": 80.0, "loan_new_hires": 6.0}, "不对，是8个", {"loan_new_hires": 8.0}, "新招8人"),
    ("loan", {"requested_slot": "loan_employment_difficulty", "loan_applicant": "individual", "loan_amount": 200000.0},
     "不对，是15万", {"loan_amount": 150000.0}, "想贷150,000元"),
    ("tobacco", {"requested_slot": "tobacco_near_school", "tobacco_has_certificate": True, "tobacco_runs_in_person": True,
                 "tobacco_has_business_licence": False}, "说错了，营业执照已经办了",
     {"tobacco_has_business_licence": True}, "营业执照：是"),
    ("levy", {"requested_slot": "levy_wage", "levy_staff": 230.0, "levy_disabled": 1.0}, "不对，是2个",
     {"levy_disabled": 2.0}, "残疾职工2人"),
])
def test_a_correction_naming_no_answer_changes_the_one_just_given(check_id, asked, text, changed, said):
    messages_said, slots = validate(check_id, text, asked, intent="correct")
    assert changed.items() <= slots.items(), slots
    assert said in messages_said[0] and slots["requested_slot"] == asked["requested_slot"]  # then asked again
    question = SPEC[check_id].question(asked["requested_slot"])
    assert slots.get(question.slot) is None  # "不对" is no answer to the question open


def test_a_new_count_keeps_the_levels_said_before_when_they_fit():
    asked = {"requested_slot": "levy_wage", "levy_staff": 300.0, "levy_disabled": 2.0, "levy_severe": 1.0}
    said, slots = validate("levy", "残疾人说错了，是4个", asked, intent="correct")
    assert (slots["levy_disabled"], slots.get("levy_severe", 1.0)) == (3.0, 1.0)  # 4 in all, the 二级 one kept
    assert said == ["好的，改成残疾职工4人（其中一、二级残疾职工1人）。"]
    said, slots = validate("levy", "残疾人说错了，是1个", {**asked, "levy_severe": 2.0, "levy_disabled": 1.0},
                           intent="correct")
    assert (slots["levy_disabled"], slots["levy_severe"]) == (1.0, 0.0)  # 2 二级 cannot be among 1: gone


# ---- "那如果是300人呢" after a result: the same answers, one changed, read back -------------
LEVY_DONE = {"last_answers": {"check": "levy", "slots": {"levy_staff": 200.0, "levy_disabled": 1.0,
                                                         "levy_wage": 80000.0, "levy_province": "湖南"}},
             "last_result": {"check": "levy"}, "pending_record": {"check": "levy"}}


@pytest.mark.parametrize("text", ["那如果是300人呢", "不对，我们是300人", "要是300人要交多少"])
def test_a_figure_changed_after_the_result_reads_back_that_results_answers(text):
    said, slots = run(check_forms.ActionCorrectCheck(), tracker("correct", text, slots=LEVY_DONE))
    assert said[0]["text"] == "好的，按您说的再算一次。"
    assert "在职职工300人；残疾职工1人" in said[-1]["text"] and "在湖南" in said[-1]["text"]
    assert slots["levy_staff"] == 300.0 and slots["levy_wage"] == 80000.0 and slots["check_id"] == "levy"
    assert slots["offered_options"] == GO_REDO and slots["pending_record"] is None  # the first is not kept


def test_a_what_if_of_the_count_keeps_the_levels_said_before():
    done = {"last_answers": {"check": "levy", "slots": {"levy_staff": 300.0, "levy_disabled": 2.0, "levy_severe": 1.0,
                                                        "levy_wage": 90000.0, "levy_province": "北京"}}}
    said, slots = run(check_forms.ActionCorrectCheck(), tracker("correct", "要是有4个残疾人呢", slots=done))
    assert (slots["levy_disabled"], slots["levy_severe"]) == (3.0, 1.0)
    assert "残疾职工4人（其中一、二级残疾职工1人）" in said[-1]["text"]


def test_the_result_is_computed_again_with_the_changed_figure():
    _, first = run(dialogue.ActionChooseOption(), tracker(
        "choose_number", "1", slots=LEVY_READ_BACK, entities=[{"entity": "number", "value": 1}]))
    kept = first["last_answers"]
    assert kept == {"check": "levy", "slots": {"levy_staff": 200.0, "levy_disabled": 1.0, "levy_wage": 80000.0,
                                               "levy_province": "湖南"}}
    _, again = run(check_forms.ActionCorrectCheck(), tracker("correct", "那如果是300人呢", slots={**first}))
    said, second = run(dialogue.ActionChooseOption(), tracker(
        "choose_number", "1", slots={**first, **again}, entities=[{"entity": "number", "value": 1}]))
    assert second["last_answers"]["slots"]["levy_staff"] == 300.0
    assert first["last_result"]["amounts"]["levy"] != second["last_result"]["amounts"]["levy"]


def test_a_changed_figure_with_no_check_done_is_taken_as_a_question():
    dispatcher = CollectingDispatcher()
    events = check_forms.ActionCorrectCheck().run(dispatcher, tracker("correct", "那如果是300人呢"), {})
    assert followup(events) == ["action_clarify"] and not dispatcher.messages


def test_a_question_taken_for_why_with_nothing_to_explain_gets_the_plan_answer():
    said, _ = run(check_forms.ActionExplainResult(), tracker("why", "村里的就业帮扶车间是怎么回事"))
    assert "二（六）" in said[0]["text"] and "帮扶车间" in said[0]["text"]
    said, _ = run(check_forms.ActionExplainResult(), tracker("why", "为什么"))
    assert said[0]["text"] == messages.NOTHING_TO_EXPLAIN


def test_the_dibao_result_names_only_what_is_not_known():
    from jiuye.checks import people

    result = people.dibao_taper(employed=True, household_income=1200, dibao_line=None)
    income = next(c for c in result.criteria if c.id == "income")
    assert "家庭人均月收入1,200元" in income.reason and "还不知道当地低保标准" in income.reason
    assert "还不知道家庭人均收入" not in income.reason
    assert not any("彭水" in w for w in result.warnings)  # the example is explained only where it is given


def test_a_dibao_standard_of_one_yuan_is_no_standard():
    said, slots = validate("dibao", "1", {"requested_slot": "dibao_dibao_line", "dibao_employed": True,
                                          "dibao_household_income": 800.0})
    assert slots.get("dibao_dibao_line") is None and "100" in said[0]


def test_back_after_a_command_the_form_asks_its_own_question_not_the_next_empty_slot():
    """Rasa, coming back to a form after a command's rule answered, asks the first empty
    slot of the form's list (levy_enterprise, which 200 staff never need): the validation
    names the question instead."""
    from rasa_sdk import Tracker

    slots = {"requested_slot": "levy_disabled", "levy_staff": 200.0}
    latest = {"intent": {"name": "why", "confidence": 1.0}, "entities": [], "text": "为什么"}
    events = [{"event": "user", "text": "为什么", "parse_data": latest},
              {"event": "action_execution_rejected", "name": "levy_form"},
              {"event": "action", "name": "action_explain_result"}]
    resumed = Tracker("test-user", slots, latest, events, False, None, {"name": "levy_form"}, "action_explain_result")
    dispatcher = CollectingDispatcher()
    back = asyncio.run(VALIDATE["levy"]().run(dispatcher, resumed, {}))
    assert back == [{"event": "slot", "timestamp": None, "name": "requested_slot", "value": "levy_disabled"}]
    assert not dispatcher.messages


def test_why_during_a_check_says_why_that_question_is_asked():
    t = tracker("why", "为什么要问这个", slots={"requested_slot": "levy_staff"})
    t.active_loop = {"name": "levy_form"}
    said, _ = run(check_forms.ActionExplainResult(), t)
    assert [m["text"] for m in said] == [messages.WHY_ASKED.format(why=SPEC["levy"].question("levy_staff").why)]


def test_an_answer_to_another_question_is_kept_and_said_so_before_the_question_again():
    said, slots = levy_turn("广东", slots={"requested_slot": "levy_disabled", "levy_staff": 230.0})
    assert said == ["好的，记下了：在广东。"]
    assert slots["levy_province"] == "广东" and slots["requested_slot"] == "levy_disabled"


@pytest.mark.parametrize("text, slots, slot, value", [
    ("职工两百多人，准确说是二百一十五", {"requested_slot": "levy_staff"}, "levy_staff", 215.0),
    ("不是300，是350", {"requested_slot": "levy_staff"}, "levy_staff", 350.0),
    ("八万左右吧，具体是八万六", {"requested_slot": "levy_wage", "levy_staff": 300.0, "levy_disabled": 0.0}, "levy_wage", 86000.0),
    ("原来有3个，走了1个，现在2个", {"requested_slot": "levy_disabled", "levy_staff": 300.0}, "levy_disabled", 2.0),
])
def test_the_number_an_answer_ends_on_is_the_one_taken(text, slots, slot, value):
    _, filled = levy_turn(text, slots=slots)
    assert filled[slot] == value


def test_a_wage_said_to_the_count_question_is_no_count():
    said, slots = levy_turn("一年8万", slots={"requested_slot": "levy_disabled", "levy_staff": 300.0})
    assert "levy_disabled" not in slots and slots["requested_slot"] == "levy_disabled"
    assert slots["levy_wage"] == 80000.0 and said == ["好的，记下了：平均工资80,000元。"]  # the wage, said ahead


@pytest.mark.parametrize("text, disabled, severe", [
    ("那如果再招两个残疾人呢", 4.0, 0.0), ("要是再多招3个残疾人要交多少", 5.0, 0.0), ("那再招一个呢", 3.0, 0.0),
    ("要是多一个二级的呢", 2.0, 1.0), ("那少一个残疾人呢", 1.0, 0.0), ("如果两个都是一级呢", 0.0, 2.0),
])
def test_a_what_if_that_adds_people_adds_them_to_the_count_said_before(text, disabled, severe):
    done = {"last_answers": {"check": "levy", "slots": {"levy_staff": 300.0, "levy_disabled": 2.0, "levy_severe": 0.0,
                                                        "levy_wage": 80000.0, "levy_province": "北京"}}}
    said, slots = run(check_forms.ActionCorrectCheck(), tracker("correct", text, slots=done))
    assert (slots["levy_disabled"], slots["levy_severe"]) == (disabled, severe), said
    assert slots["levy_staff"] == 300.0 and said[-1]["text"].startswith("我听到的是：")


def test_a_wage_total_is_divided_by_the_staff_count_and_said_so():
    said, slots = levy_turn("工资总额一年两千四百万", slots={"requested_slot": "levy_wage", "levy_staff": 300.0,
                                                           "levy_disabled": 0.0})
    assert slots["levy_wage"] == 80000.0 and said == ["您说的是总额，按在职职工人数平均，每人一年80,000元。"]
    said, slots = levy_turn("平均工资两千四百万", slots={"requested_slot": "levy_wage", "levy_staff": 300.0,
                                                         "levy_disabled": 0.0})
    assert "levy_wage" not in slots and "太大了" in said[0]  # no average is that high


def test_an_open_ended_contract_counts_and_is_read_back_as_such():
    from jiuye.checks import people
    from jiuye.interpret import answers

    question = SPEC["quota_member"].by_name("contract_years")
    value = answers.answer(question, "无固定期限").value
    assert SPEC["quota_member"].said(question, {"contract_years": value}) == "合同：无固定期限"
    result = people.quota_member(certificate="残疾人证", level=3, on_staff=False, contract_years=value,
                                 wage_at_least_minimum=True, insurance_paid=True)
    assert result.summary == "这名职工可以算进按比例安排的人数，算1人。"


def test_an_age_past_a_womans_retirement_is_not_said_to_be_working_age():
    from jiuye.checks import people

    def age(n):
        result = people.auxiliary(category="精神", level=2, age=n, wants_work=True, open_market=False)
        return next(c for c in result.criteria if c.id == "age")

    assert age(58).status == "unknown" and "女性" in age(58).reason
    assert age(45).status == "pass"


@pytest.mark.parametrize("text, province", [("四川", "四川"), ("四川省", "四川"), ("三亚", "海南")])
def test_a_province_whose_name_starts_with_a_numeral_is_a_province(text, province):
    _, slots = levy_turn(text, slots={"requested_slot": "levy_province", "levy_staff": 300.0, "levy_disabled": 1.0,
                                      "levy_wage": 80000.0})
    assert slots["levy_province"] == province


def test_a_province_said_with_its_ratio_is_kept_and_a_different_ratio_is_flagged():
    from jiuye.checks.registry import RULES
    from jiuye.interpret import answers

    levy = SPEC["levy"]
    said = answers.sentence(levy, "我们公司300人，没有残疾人，平均工资8万，北京，我们这比例是1.5%")
    given = {**{q.name: said.get(q.name) for q in levy.questions}, **{f.name: said.get(f.name) for f in levy.facts}}
    assert "在北京，当地比例1.5%" in levy.read_back(given)
    result = RULES[levy.rules](**levy.arguments(given))
    assert any("我们记录的北京比例是1.7%" in w for w in result.warnings)


def test_a_what_if_of_another_province_reads_back_that_province():
    done = {"last_answers": {"check": "levy", "slots": {"levy_staff": 300.0, "levy_disabled": 2.0, "levy_severe": 0.0,
                                                        "levy_wage": 80000.0, "levy_province": "北京"}}}
    said, slots = run(check_forms.ActionCorrectCheck(), tracker("correct", "如果在上海呢", slots=done))
    assert slots["levy_province"] == "上海" and "在上海" in said[-1]["text"]


def test_the_source_asked_after_a_result_is_the_results():
    from actions import topics

    said, _ = run(topics.ActionCiteSource(), tracker("ask_source", "出处", slots={
        "last_result": {"check": "levy", "citations": ["财税〔2015〕72号 第八条", "财政部公告2023年第8号"]}}))
    assert said[0]["text"] == "刚才的结果依据：财税〔2015〕72号 第八条；财政部公告2023年第8号。"


def test_a_level_the_certificate_does_not_have_is_asked_again_and_a_ninth_grade_veteran_does_not_count():
    from jiuye.checks import people

    said, slots = validate("quota_member", "五级", {"requested_slot": "quota_member_level",
                                                   "quota_member_certificate": "残疾人证"})
    assert "quota_member_level" not in slots and said[0].startswith("残疾人证只有一至四级。")
    _, slots = validate("quota_member", "九级", {"requested_slot": "quota_member_level",
                                                "quota_member_certificate": "残疾军人证"})
    assert slots["quota_member_level"] == 9.0
    result = people.quota_member(certificate="残疾军人证", level=9, on_staff=True, wage_at_least_minimum=True,
                                 insurance_paid=True)
    assert result.verdict == "not_eligible" and "只有1至8级的能算" in result.criteria[0].reason
