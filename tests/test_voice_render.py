"""Replies rendered for the ear: numbers, citations, lists, emoji, long answers."""
from __future__ import annotations

import pytest

from jiuye import knowledge
from voice import render


@pytest.mark.parametrize("text, spoken", [
    ("需要缴纳残保金144,000元。", "需要缴纳残保金十四万四千元。"),
    ("比例1.5%。", "比例百分之一点五。"),
    ("2027年底前至少安排1名。", "二〇二七年底前至少安排一名。"),
    ("依据：国办发〔2025〕23号 二（二）", "依据：国务院办公厅二〇二五年二十三号文件，第二部分第二项。"),
    ("财税〔2015〕72号 第八条", "财政部、国家税务总局二〇一五年七十二号文件，第八条。"),
    ("请拨打12385。", "请拨打一二三八五。"),
    ("在职职工200人 × 比例1.5% = 3人", "在职职工二百人乘以比例百分之一点五，等于三人。"),
    ("- 符合：本人经营。", "符合：本人经营。"),
    ("要听详细的，请说“详细”。", "要听详细的，请说详细。"),
    ("好的😀👍 详见 https://www.gov.cn/zhengce", "好的，详见。"),
    ("**注意** `代码` #标题", "注意，代码，标题。"),
])
def test_lines_are_spoken_plainly(text, spoken):
    assert "".join(render.for_ear([text])) == spoken


def test_numbered_lists_are_read_as_spoken_choices():
    text = "您想查哪一项？请说数字：\n1. 单位要交多少残保金\n2. 能不能办烟草零售许可证\n0. 返回主菜单"
    assert render.for_ear([text]) == [
        "您想查哪一项？", "请说数字：", "一，单位要交多少残保金；", "二，能不能办烟草零售许可证；", "零，返回主菜单。"]


def test_numbered_steps_that_end_with_a_stop_mark_are_still_one_sentence_each():
    assert render.for_ear(["怎么办：\n1. 到当地残联问。\n2. 带上残疾人证。"]) == [
        "怎么办：", "一，到当地残联问；", "二，带上残疾人证。"]


def test_a_sentence_of_a_word_or_two_is_said_with_the_next():
    assert render.for_ear(["可以。政府办的市场要留摊位。不能。"]) == ["可以。政府办的市场要留摊位。不能。"]
    assert render.for_ear(["可以。", "您想查哪一项？请说数字：\n1. 烟草证\n2. 彩票"]) == [
        "可以。", "您想查哪一项？", "请说数字：", "一，烟草证；", "二，彩票。"]  # a reply that is one line stays


def test_buttons_alone_are_read_as_choices():
    buttons = [{"title": "1 烟草证", "payload": "/a"}, {"title": "2 彩票", "payload": "/b"}]
    assert render.for_ear(["请选择。"], buttons) == ["请选择。", "请说数字：", "一，烟草证；", "二，彩票。"]


def test_every_topic_answer_renders_for_the_ear():
    for topic in knowledge.default().topics.values():
        for detailed in (False, True):
            sentences = render.for_ear([knowledge.render(topic, detailed=detailed)])
            spoken = "".join(sentences)
            assert sentences and all(len(s) <= 200 for s in sentences), topic.id
            assert all(render._HANZI.search(s) for s in sentences), (topic.id, sentences)  # no bare "；"
            for sign in "0123456789〔〕×%*#":
                assert sign not in spoken, (topic.id, sign, spoken)
            assert "http" not in spoken


def test_the_first_sentence_is_played_in_two_pieces_when_long():
    first = "可以。烟草部门要为残疾人申请烟草零售许可证提供便利，可放宽数量和间距要求，具体看当地规定。"
    assert render.to_play([first, "第二句。"]) == [
        "可以。烟草部门要为残疾人申请烟草零售许可证提供便利，", "可放宽数量和间距要求，具体看当地规定。", "第二句。"]
    assert render.to_play(["好的，谢谢您。", "第二句，也不切。"]) == ["好的，谢谢您。", "第二句，也不切。"]
    assert render.to_play([]) == []
    sentences = render.for_ear([knowledge.render(knowledge.default().topics["levy"])])
    assert "".join(render.to_play(sentences)) == "".join(sentences)  # nothing lost or added
