"""End to end: the real Rasa server and action server, spoken to over HTTP."""
from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

import pytest
import requests
import yaml

from actions import knowledge, messages
from bot import rest_client

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent
KB = knowledge.default()
QUESTIONS = yaml.safe_load((ROOT / "tests" / "e2e" / "questions.yml").read_text("utf-8"))["questions"]


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
    assert answer == knowledge.render(first)
    assert say(stack, "再说一遍", sender) == answer
    full = say(stack, "详细", sender)
    assert full == knowledge.render(first, detailed=True)
    assert say(stack, "简单一点", sender) == answer
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
    assert say(stack, "/ask_levy", sender) == knowledge.render(KB.topics["levy"])


def test_detail_mode_sticks_for_later_answers(stack):
    sender = new_sender()
    say(stack, "详细", sender)
    text = say(stack, "残疾人证分几类几级", sender)
    assert text == knowledge.render(KB.topics["certificate"], detailed=True)


def test_out_of_scope_says_what_the_bot_can_do(stack):
    assert say(stack, "今天天气怎么样", new_sender()) == messages.OUT_OF_SCOPE


@pytest.mark.parametrize(
    "text",
    ["", "   ", "😀😀😀", "？？？！！！", "……", "残" * 5000, "asdfghjkl", "1234567890"],
    ids=["empty", "spaces", "emoji", "punctuation", "ellipsis", "5000-chars", "latin", "digits"],
)
def test_bad_input_gets_a_polite_answer(stack, text):
    response = requests.post(
        f"{stack.url}/webhooks/rest/webhook", json={"sender": new_sender(), "message": text}, timeout=30
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
    from bot import cli

    assert cli.main(["ask", "残保金怎么算", "--url", stack.url, "--sender", new_sender()]) == 0
    assert KB.topics["levy"].citation in capsys.readouterr().out


def test_cli_says_busy_when_the_server_is_down(capsys):
    from bot import cli
    from bot.stack import free_port

    assert cli.main(["ask", "你好", "--url", f"http://127.0.0.1:{free_port()}"]) == 0
    assert capsys.readouterr().out.strip() == rest_client.BUSY


def test_terminal_chat(stack):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "chat", "--url", stack.url],
        input="菜单\n2\n/quit\n", capture_output=True, text=True, timeout=60, cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "菜单" in result.stdout  # the greeting
    assert "1. 找工作和培训" in result.stdout
    assert KB.topics[KB.category("business").topics[0]].title in result.stdout


def test_delete_my_data_over_http(stack):
    sender = new_sender()
    assert messages.DELETE_CONFIRM in say(stack, "请把我的个人数据删掉", sender)
    assert say(stack, "1", sender) in (messages.NOTHING_TO_DELETE, messages.DELETED.format(rows=1))


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
    assert read_back.startswith("我听到的是：在职职工200人，残疾职工1人，平均工资80,000元，在湖南。")
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
    assert "平均工资不知道" in read_back and "在湖南" in read_back
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
