"""The one assistant interface the doors use (jiuye.assistant), and the turn's state the
Rasa server sends with every reply (bot/server/channel.py)."""
from __future__ import annotations

import uuid

import pytest

from bot.doors.rest_client import RestAssistant
from jiuye import messages
from jiuye.assistant import Reply, without_state


def test_a_reply_reads_texts_buttons_and_the_state():
    raw = [
        {"recipient_id": "a", "text": "请说数字：", "buttons": [{"title": "1 烟草证", "payload": "/x"}]},
        {"recipient_id": "a", "text": "也可以直接说"},
        {"recipient_id": "a", "custom": {"jiuye": {"speech_rate": "slow", "options": [1, 2, 0],
                                                   "intent": "help", "busy": False}}},
    ]
    reply = Reply.from_rest(raw)
    assert reply.texts == ["请说数字：", "也可以直接说"] and reply.text == "请说数字：\n也可以直接说"
    assert reply.buttons == [{"title": "1 烟草证", "payload": "/x"}]
    assert reply.speech_rate == "slow" and reply.options == [1, 2, 0] and reply.choosing
    assert reply.intent == "help" and not reply.busy
    assert without_state(raw) == raw[:2]


@pytest.mark.parametrize("raw", [None, {}, "oops", 3])
def test_what_is_no_reply_reads_as_busy(raw):
    reply = Reply.from_rest(raw)
    assert reply.busy and reply.texts == [messages.BUSY]


def test_a_reply_without_state_has_defaults_and_odd_entries_are_skipped():
    reply = Reply.from_rest([{"text": "好"}, "junk", {"custom": {"other": 1}}, {"custom": {"jiuye": "x"}}])
    assert reply.texts == ["好"] and reply.speech_rate == "normal" and reply.options == [] and not reply.busy


def test_a_door_that_finds_nobody_gets_busy_not_an_exception():
    reply = RestAssistant("http://127.0.0.1:9").send("x", "你好")
    assert reply.busy and reply.texts == [messages.BUSY]


@pytest.mark.slow
def test_each_turn_carries_the_persons_rate_the_open_numbers_and_the_intent(stack):
    assistant = RestAssistant(stack.url)
    sender = f"state-{uuid.uuid4().hex[:8]}"
    menu = assistant.send(sender, "菜单")
    assert menu.intent == "help" and menu.options[:2] == [1, 2] and not menu.busy
    slower = assistant.send(sender, "慢一点")
    assert slower.speech_rate == "slow" and slower.intent == "speak_slower"
    listed = assistant.send(sender, "2")  # a category of the menu: its topics, numbered
    assert listed.speech_rate == "slow" and len(listed.options) > 2
    answer = assistant.send(sender, "残疾人能申请烟草证吗")
    assert answer.speech_rate == "slow" and answer.intent == "ask_tobacco_licence"
    assert answer.options == []  # a question asked in words closes the list: a later "2" is not its item
    deleting = assistant.send(sender, "删除我的数据")
    assert deleting.options == [0, 1]  # 1 确定删除, 0 取消


@pytest.mark.slow
def test_the_action_server_down_is_said_as_busy_in_the_state(stack):
    assistant = RestAssistant(stack.url)
    sender = f"state-{uuid.uuid4().hex[:8]}"
    stack.stop_actions()
    try:
        reply = assistant.send(sender, "残疾人能申请烟草证吗")
        assert reply.busy and reply.texts == [messages.BUSY]
        assert not assistant.send(sender, "你好").busy  # an answer that needs no action
    finally:
        stack.start_actions()
        stack.wait_ready(120)
    assert not assistant.send(sender, "残疾人能申请烟草证吗").busy
