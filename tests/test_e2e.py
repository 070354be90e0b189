"""End to end: the real Rasa server and action server, spoken to over HTTP."""
from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

import pytest
import requests
import yaml

from bot.doors import rest_client
from jiuye import knowledge, messages

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent
KB = knowledge.default()
QUESTIONS = yaml.safe_load((ROOT / "tests" / "e2e" / "questions.yml").read_text("utf-8"))["questions"]
HOMOPHONES = yaml.safe_load((ROOT / "tests" / "e2e" / "homophones.yml").read_text("utf-8"))["questions"]


def say(stack, text, sender):
    replies = rest_client.send(stack.url, sender, text)
    assert replies, f"no reply to {text!r}"
    return rest_client.as_text(replies)


def new_sender():
    return f"e2e-{uuid.uuid4().hex[:10]}"


def test_question_list_is_broad():
    assert len(QUESTIONS) >= 30
    assert {q["topic"] for q in QUESTIONS} <= set(KB.topics)
    assert len({q["topic"] for q in QUESTIONS}) == len(QUESTIONS)


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q["topic"])
def test_answer_carries_key_facts_and_citation(stack, question):
    topic = KB.topics[question["topic"]]
    text = say(stack, question["text"], new_sender())
    missing = [fact for fact in topic.key_facts if fact not in text]
    assert not missing, f"{question['text']!r} → {text!r}"
    assert topic.citation in text


def test_tobacco_question_from_the_issue(stack):
    text = say(stack, "残疾人能申请烟草证吗", new_sender())
    assert "烟草" in text and "国办发〔2025〕23号 二（二）" in text


def test_commands_work_through_a_conversation(stack):
    sender = new_sender()
    assert "菜单" in say(stack, "你好", sender)
    menu = say(stack, "菜单", sender)
    for number, category in enumerate(KB.categories, 1):
        assert f"{number}. {category.title}" in menu
    business = KB.category("business")
    listing = say(stack, "2", sender)
    assert KB.topics[business.topics[0]].title in listing and "0. 返回主菜单" in listing
    first = KB.topics[business.topics[0]]
    answer = say(stack, "第一个", sender)
    assert answer == knowledge.render(first) + "\n" + messages.CHECK_HINT  # a topic with a check
    assert say(stack, "再说一遍", sender) == answer
    full = say(stack, "详细", sender)
    assert full == knowledge.render(first, detailed=True)
    assert say(stack, "简单一点", sender) == knowledge.render(first)
    source = say(stack, "出处", sender)
    assert "依据是" in source and first.sources[0].doc in source
    handoff = say(stack, "转人工", sender)
    assert "12385" in handoff and messages.HANDOFF_RECORDED in handoff
    slower = say(stack, "说慢一点", sender)
    assert slower.startswith(messages.SPEED["slow"]) and "12385" in slower
    assert "再见" in say(stack, "再见", sender)


def test_handoff_is_recorded_in_the_ledger(stack):
    sender = new_sender()
    say(stack, "残保金怎么算", sender)
    say(stack, "人工", sender)
    db = stack.var_dir / "jiuye.sqlite3"
    with sqlite3.connect(db) as conn:
        topics = [row[0] for row in conn.execute("select topic from handoff_requests")]
    assert "levy" in topics


def test_buttons_send_payloads(stack):
    sender = new_sender()
    listing = say(stack, '/help{"category":"employer"}', sender)
    assert KB.topics["levy"].title in listing
    assert say(stack, "/ask_levy", sender) == knowledge.render(KB.topics["levy"]) + "\n" + messages.CHECK_HINT


def test_detail_mode_sticks_for_later_answers(stack):
    sender = new_sender()
    say(stack, "详细", sender)
    text = say(stack, "残疾人证分几类几级", sender)
    assert text == knowledge.render(KB.topics["certificate"], detailed=True, kind="how_much")  # 几级: the figure first
    assert text.startswith(KB.topics["certificate"].facet("how_much"))


def test_questions_written_with_homophones_reach_their_topic(stack):
    """贷 written 代, 务 written 物 ...: almost all answered at once (the NLU reads
    how the words sound), and any other one offered as a numbered choice."""
    answered, lost = 0, []
    for question in HOMOPHONES:
        topic = KB.topics[question["topic"]]
        text = say(stack, question["text"], new_sender())
        if topic.citation in text and all(fact in text for fact in topic.key_facts):
            answered += 1
        elif f". {topic.title}" not in text:
            lost.append((question["text"], text[:60]))
    assert answered >= len(HOMOPHONES) - 3, f"{answered} of {len(HOMOPHONES)} answered"
    assert not lost, lost


def test_out_of_scope_says_what_the_bot_can_do(stack):
    assert say(stack, "今天天气怎么样", new_sender()) == messages.OUT_OF_SCOPE


@pytest.mark.parametrize(
    "text",
    ["", "   ", "😀😀😀", "？？？！！！", "……", "残" * 5000, "asdfghjkl", "1234567890"],
    ids=["empty", "spaces", "emoji", "punctuation", "ellipsis", "5000-chars", "latin", "digits"],
)
def test_bad_input_gets_a_polite_answer(stack, text):
    response = requests.post(
        f"{stack.url}/webhooks/rest/webhook", json={"sender": new_sender(), "message": text},
        headers=rest_client.auth(), timeout=30,
    )
    assert response.status_code == 200
    reply = rest_client.as_text(response.json())
    assert reply.strip(), f"silence for {text[:20]!r}"
    assert "error" not in reply.lower()


@pytest.mark.parametrize(
    "text", ["殘疾人可以申請煙草證嗎", "Can disabled people get a 烟草证?", "残疾人 能 申请 烟草证 吗 🚬"]
)
def test_traditional_mixed_and_spaced_input_is_understood(stack, text):
    topic = KB.topics["tobacco_licence"]
    reply = say(stack, text, new_sender())
    assert all(fact in reply for fact in topic.key_facts), reply


def test_cli_asks_the_running_server(stack, capsys):
    from bot.doors import cli

    assert cli.main(["ask", "残保金怎么算", "--url", stack.url, "--sender", new_sender()]) == 0
    assert KB.topics["levy"].citation in capsys.readouterr().out


def test_cli_says_busy_when_the_server_is_down(capsys):
    from bot.doors import cli
    from bot.stack import free_port

    assert cli.main(["ask", "你好", "--url", f"http://127.0.0.1:{free_port()}"]) == 0
    assert capsys.readouterr().out.strip() == rest_client.BUSY


def test_terminal_chat(stack):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "bot.doors.cli", "chat", "--url", stack.url],
        input="菜单\n2\n/quit\n", capture_output=True, text=True, timeout=60, cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "菜单" in result.stdout  # the greeting
    assert "1. 找工作和培训" in result.stdout
    assert KB.topics[KB.category("business").topics[0]].title in result.stdout


def stored_events(stack, sender):
    with sqlite3.connect(stack.var_dir / "jiuye.sqlite3") as conn:
        return conn.execute("select count(*) from events where sender_id = ?", (sender,)).fetchone()[0]


def test_delete_my_data_over_http(stack):
    sender = new_sender()
    say(stack, "残疾人能申请烟草证吗", sender)
    assert stored_events(stack, sender) > 5  # the conversation is in the ledger's database
    assert messages.DELETE_CONFIRM in say(stack, "请把我的个人数据删掉", sender)
    assert say(stack, "1", sender) in (messages.NOTHING_TO_DELETE, messages.DELETED.format(rows=1))
    assert stored_events(stack, sender) == 0  # and gone with 删除我的数据
    assert say(stack, "再说一遍", sender) == messages.NOTHING_TO_REPEAT  # a new conversation


def test_action_server_down_gives_a_polite_answer_then_recovers(stack):
    sender = new_sender()
    stack.stop_actions()
    try:
        assert say(stack, "残疾人能申请烟草证吗", sender) == messages.BUSY
        assert "菜单" in say(stack, "你好", sender)  # answers that need no action still work
    finally:
        stack.start_actions()
        stack.wait_ready(120)
    text = say(stack, "残疾人能申请烟草证吗", sender)
    assert KB.topics["tobacco_licence"].citation in text


ISSUE_LEVY_QUESTION = "我们公司200个员工，去年安排了1个三级残疾人，职工年平均工资8万，在湖南，残保金要交多少？"


def test_levy_from_one_sentence_with_one_confirming_question(stack):
    sender = new_sender()
    read_back = say(stack, ISSUE_LEVY_QUESTION, sender)
    assert read_back.startswith("我听到的是：在职职工200人；残疾职工1人（没有一、二级残疾职工）；平均工资80,000元；在湖南。")
    assert "1. 对，开始算" in read_back
    result = say(stack, "1", sender)
    assert "144,000元" in result
    assert "1. 应安排人数：在职职工200人 × 比例1.5% = 3人" in result
    assert "7. 实缴：160,000元 × 90% = 144,000元" in result
    assert "财税〔2015〕72号 第八条" in result


def test_levy_asks_only_for_what_is_missing(stack):
    sender = new_sender()
    assert "在职职工" in say(stack, "帮我算算残保金", sender)
    assert "残疾职工" in say(stack, "两百人", sender)
    assert "平均工资" in say(stack, "一个", sender)
    assert "哪个省" in say(stack, "不知道", sender)
    read_back = say(stack, "湖南", sender)
    assert "平均工资：不知道" in read_back and "在湖南" in read_back
    result = say(stack, "1", sender)
    assert "需要缴纳残保金" in result and "告诉我职工年平均工资" in result


def test_levy_refuses_bad_numbers_politely_and_can_start_again(stack):
    sender = new_sender()
    say(stack, "帮我算一下残保金", sender)
    assert "要大于0" in say(stack, "负五", sender)
    assert "太大了" in say(stack, "一万亿人", sender)
    letters = say(stack, "abc", sender)
    assert "在职职工" in letters  # asked again, politely
    say(stack, "300", sender)
    say(stack, "0", sender)
    say(stack, "10万", sender)
    assert "在北京" in say(stack, "北京", sender)
    assert "在职职工" in say(stack, "2", sender)  # 不对，重新说: the form starts again


def test_levy_dont_know_twice_failed_why_and_restart(stack):
    sender = new_sender()
    say(stack, "帮我算算残保金", sender)
    assert "残疾职工" in say(stack, "两百人", sender)
    assert say(stack, "abc", sender).startswith(messages.NOT_UNDERSTOOD)
    explained = say(stack, "xyz", sender)
    assert "“1个”" in explained and "跳过" in explained and "人工" in explained
    assert "平均工资" in say(stack, "一个", sender)
    assert "平均工资" in say(stack, "不对，我们是300个员工", sender)  # a correction, then the question again
    assert "哪个省" in say(stack, "八万块", sender)
    read_back = say(stack, "湖南", sender)
    assert read_back.startswith("我听到的是：在职职工300人；残疾职工1人（没有一、二级残疾职工）；平均工资80,000元；在湖南。")
    result = say(stack, "对", sender)  # 对 works like 1
    assert "252,000元" in result and messages.CONSENT_ASK in result  # (4.5 − 1) × 80,000 × 90%
    why = say(stack, "为什么", sender)
    assert "第七步，实缴：280,000元乘以90%，得出252,000元。" in why
    assert "在职职工" in say(stack, "算错了，重新算", sender)
    assert messages.CANCELLED in say(stack, "不算了", sender)


def test_levy_result_kept_only_after_consent(stack):
    sender = new_sender()
    say(stack, ISSUE_LEVY_QUESTION, sender)
    result = say(stack, "1", sender)
    assert messages.CONSENT_ASK in result
    with sqlite3.connect(stack.var_dir / "jiuye.sqlite3") as conn:
        before = conn.execute("select count(*) from check_results").fetchone()[0]
    assert say(stack, "1", sender) == messages.CONSENT_GIVEN
    with sqlite3.connect(stack.var_dir / "jiuye.sqlite3") as conn:
        rows = conn.execute("select check_id, verdict from check_results").fetchall()
    assert len(rows) == before + 1 and rows[-1][0] == "levy"
    say(stack, ISSUE_LEVY_QUESTION, sender)
    assert messages.RECORDED in say(stack, "1", sender)  # consent is asked once


# Each check through the bot: a first sentence, the answers, the result with reasons.
CHECK_CONVERSATIONS = {
    "tobacco": (["残疾人能申请烟草证吗", "帮我查", "有", "是", "没有", "不知道"],
                "营业执照：不是", ["一般要先办个体工商户营业执照。", "国烟法〔2020〕205号 第十七条"]),
    "lottery": (["帮我查查我能不能办彩票代销，我今年45岁", "是", "是", "是", "是", "不是"],
                "年龄45岁", ["可以申请福利彩票或体育彩票代销", "45岁，满18岁。"]),
    "loan": (["帮我查查创业担保贷款", "个人", "20万", "有", "0"],
             "想贷200,000元", ["个人最高可贷300,000元", "财金〔2023〕75号"]),
    "auxiliary": (["帮我查查我孩子能不能参加辅助性就业", "智力", "25岁", "想", "不能"],
                  "残疾类别：智力", ["符合辅助性就业的条件", "残联发〔2015〕27号"]),
    "dibao": (["帮我查一下低保的情况", "是", "1000", "800"],
              "家庭人均月收入1,000元", ["可以按规定申请渐退期", "国办发〔2025〕23号 二（十）"]),
    "quota_member": (["帮我查查这个员工能不能算进按比例", "残疾人证", "二级", "不是", "3年", "是", "是"],
                     "合同3年", ["可以算进按比例安排的人数，算2人", "财税〔2015〕72号"]),
    "tax": (["帮我查查我们企业能不能享受退税", "40人", "10人", "不是", "是", "是", "是", "2000"],
            "在职职工40人", ["财税〔2016〕52号", "每月最多退80,000元"]),
    "public_sector": (["帮我查查我们单位要不要安排残疾人，我们是事业单位", "市级", "80", "不是", "0"],
                      "单位类型：事业单位", ["2027年底前至少安排1名", "国办发〔2025〕23号 二（一）"]),
}


@pytest.mark.parametrize("check_id", sorted(CHECK_CONVERSATIONS))
def test_every_check_answers_through_the_bot(stack, check_id):
    lines, read_back, facts = CHECK_CONVERSATIONS[check_id]
    sender = new_sender()
    replies = [say(stack, line, sender) for line in lines]
    assert messages.CHECK_START in replies[0] or messages.CHECK_START in replies[1]
    assert replies[-1].startswith("我听到的是：") and read_back in replies[-1], replies
    result = say(stack, "1", sender)
    for fact in facts:
        assert fact in result, result
    assert "逐条说明：" in result and "依据：" in result


def test_commands_inside_a_check_then_the_question_again(stack):
    sender = new_sender()
    assert say(stack, "帮我查查能不能办彩票", sender).endswith("您今年多少岁？")
    handoff = say(stack, "人工", sender)
    assert "12385" in handoff and handoff.endswith("您今年多少岁？")  # then the question again
    assert say(stack, "再说一遍", sender) == "您今年多少岁？"  # once, not twice
    assert say(stack, "慢一点", sender) == messages.SPEED["slow"] + "\n您今年多少岁？"
    assert say(stack, "菜单", sender).startswith(messages.MENU_INTRO)
    assert "“找工作和培训”" in say(stack, "1", sender)  # the number chose from the menu, not the form


def test_check_with_bad_numbers_and_a_required_answer_missing(stack):
    sender = new_sender()
    say(stack, "帮我查查企业退税", sender)
    assert "不能小于1" in say(stack, "负五", sender)
    assert "太大了" in say(stack, "一万亿人", sender)
    # 跳过 to what the check cannot do without ends it at once, without asking the rest
    assert say(stack, "跳过", sender) == messages.CANNOT_CHECK.format(what="在职职工")
    assert "残疾职工" not in say(stack, "3", sender)


# ---- answers as people give them, end to end ---------------------------------------------
def result_rows(stack):
    with sqlite3.connect(stack.var_dir / "jiuye.sqlite3") as conn:
        return conn.execute("select check_id from check_results").fetchall()


def test_consent_given_in_words_is_a_yes(stack):
    """To "1 同意 / 2 不同意", the person says the option's words."""
    sender = new_sender()
    say(stack, ISSUE_LEVY_QUESTION, sender)
    assert messages.CONSENT_ASK in say(stack, "1", sender)
    before = len(result_rows(stack))
    assert say(stack, "我同意", sender) == messages.CONSENT_GIVEN
    assert len(result_rows(stack)) == before + 1
    other = new_sender()
    say(stack, ISSUE_LEVY_QUESTION, other)
    say(stack, "对", other)
    assert say(stack, "不同意", other) == messages.CONSENT_REFUSED


def test_a_clean_record_confirmed_with_none_passes_the_lottery_check(stack):
    sender = new_sender()
    lines = ["帮我查查我能不能办彩票代销，我今年45岁", "能", "有", "没有", "我自己经营", "离学校很远"]
    replies = [say(stack, line, sender) for line in lines]
    assert "近5年没有犯罪记录和不良信用：是" in replies[-1] and "本人经营：是" in replies[-1], replies[-1]
    assert "在学校或幼儿园附近：不是" in replies[-1]
    assert "可以申请福利彩票或体育彩票代销" in say(stack, "1", sender)


def test_an_answer_to_a_later_question_is_kept_for_it_and_the_question_asked_again(stack):
    sender = new_sender()
    for line in ("残疾人能申请烟草证吗", "帮我查", "有", "是"):
        last = say(stack, line, sender)
    assert "营业执照" in last
    again = say(stack, "不在学校旁边", sender)
    assert again.endswith("已经办了个体工商户营业执照吗？请说数字：\n1. 是\n2. 不是\n3. 不知道"), again
    read_back = say(stack, "办了", sender)
    assert "营业执照：是" in read_back and "在学校附近：不是" in read_back


def test_a_level_two_employee_counts_double_in_the_levy(stack):
    sender = new_sender()
    read_back = say(stack, "我们公司200个员工，去年安排了1个二级残疾人，职工年平均工资8万，在湖南，残保金交多少", sender)
    assert "一、二级残疾职工1人" in read_back
    assert "40,000元" in say(stack, "1", sender)


def test_a_monthly_wage_and_one_too_low_for_a_year(stack):
    sender = new_sender()
    say(stack, "帮我算算残保金", sender)
    say(stack, "两百人", sender)
    say(stack, "1个", sender)
    asked = say(stack, "8000", sender)
    assert asked.startswith("您说的是8,000元。") and "每个月" in asked
    assert "哪个省" in say(stack, "每月", sender)
    read_back = say(stack, "湖南", sender)
    assert "平均工资每月8,000元，一年96,000元" in read_back
    result = say(stack, "1", sender)
    assert "172,800元" in result  # 2 × 96,000 × 90%


def buttons_of(replies):
    return {b["title"]: b["payload"] for r in replies for b in r.get("buttons") or []}


def test_an_old_button_is_expired_and_a_second_press_changes_nothing(stack):
    sender = new_sender()
    read_back = buttons_of(rest_client.send(stack.url, sender, ISSUE_LEVY_QUESTION))
    go, redo = read_back["1 对，开始算"], read_back["2 不对，重新说"]
    result = say(stack, go, sender)
    assert "144,000元" in result and messages.CONSENT_ASK in result
    assert rest_client.send(stack.url, sender, go) == []  # pressed twice: the consent question unanswered
    stale = say(stack, redo, sender)  # a button of the read-back, which is no longer open
    assert stale.startswith(messages.EXPIRED) and messages.CONSENT_ASK in stale
    assert say(stack, "取消", sender) == messages.NOTHING_TO_CANCEL
    assert say(stack, "1", sender) == messages.NO_OPTIONS  # 取消 closed the list


def test_cancel_at_the_read_back_keeps_nothing(stack):
    sender = new_sender()
    say(stack, ISSUE_LEVY_QUESTION, sender)
    assert say(stack, "取消", sender) == messages.CANCELLED
    assert say(stack, "1", sender) == messages.NO_OPTIONS


def test_corrections_at_the_read_back(stack):
    sender = new_sender()
    say(stack, ISSUE_LEVY_QUESTION, sender)
    read_back = say(stack, "不对，是300人", sender)
    assert read_back.startswith("我听到的是：在职职工300人；残疾职工1人（没有一、二级残疾职工）；平均工资80,000元；在湖南。")
    which = say(stack, "不对", sender)
    assert which.startswith(messages.WHICH_WRONG) and "3. 平均工资80,000元" in which
    assert "平均工资" in say(stack, "3", sender)  # that question alone, asked again
    read_back = say(stack, "9万", sender)
    assert read_back.startswith("我听到的是：在职职工300人；残疾职工1人（没有一、二级残疾职工）；平均工资90,000元；在湖南。")
    assert "283,500元" in say(stack, "对", sender)  # (4.5 − 1) × 90,000 × 90%
