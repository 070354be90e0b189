"""Short whole answers read by rules (jiuye.interpret.commands): the words of a
numbered yes-or-no list's own options count as that option."""
from __future__ import annotations

import pytest

from jiuye.interpret.commands import flag_answer, is_command, parse_choice, yes_or_no


@pytest.mark.parametrize("text", ["同意", "我同意", "同意的", "好的，同意", "愿意", "我愿意", "对", "是的", "嗯嗯",
                                  "可以", "确定删除", "OK", "對", "好的！"])
def test_a_yes_and_the_option_label_agree(text):
    assert yes_or_no(text) is True


@pytest.mark.parametrize("text", ["不同意", "我不同意", "不愿意", "不对", "不是", "不用了", "不要保存", "錯了"])
def test_a_no_and_the_option_label_refuse(text):
    assert yes_or_no(text) is False


@pytest.mark.parametrize("text", ["同意什么", "我同意你说的残保金怎么算", "对了烟草证怎么办", "2", "人工", ""])
def test_a_sentence_is_no_bare_yes_or_no(text):
    assert yes_or_no(text) is None


@pytest.mark.parametrize("text, number", [("2", 2), ("二", 2), ("第二个", 2), ("我选三", 3), ("2号", 2), ("零", 0),
                                          ("选项1", 1), ("十二", 12)])
def test_a_numbered_choice(text, number):
    assert parse_choice(text) == number


@pytest.mark.parametrize("text", ["再说一遍", "人工", "不算了", "取消", "慢一点", "为什么"])
def test_commands_inside_a_check(text):
    assert is_command(text)


@pytest.mark.parametrize("text, value", [("是", True), ("否", False), ("不知道", None), ("yes", True), ("0", False)])
def test_a_yes_no_option_of_the_command_line(text, value):
    assert flag_answer(text) is value


@pytest.mark.parametrize("text, kind", [
    ("最多能贷多少钱", "how_much"), ("一年能补几万块", "how_much"), ("体检标准是谁定的", "who_decides"),
    ("这事归哪个部门管", "who_decides"), ("去哪里申请", "where"), ("要带什么材料", "documents"),
    ("渐退期多久", "when"), ("什么人能申请", "who_may"), ("怎么申请", "how"), ("户口不在这里能找工作吗", "yes_no"),
    ("残疾人能申请烟草证吗", "yes_no"), ("烟草证", None), ("", None),
    ("没达到比例的机关具体要做什么？", "how"), ("残保金交给谁", "where"), ("上面让我们落实这个方案，咋办", "how"),
    ("残疾人能做什么工作", None),
])
def test_the_kind_of_question_asked(text, kind):
    from jiuye.interpret.commands import question_kind

    assert question_kind(text) == kind


@pytest.mark.parametrize("text, kind", [
    ("去哪里申请", "where"), ("那去哪办呢", "where"), ("要带什么材料", "documents"), ("谁能申请", "who_may"),
    ("需要什么条件", "who_may"), ("什么时候截止", "when"), ("要多久", "when"), ("能贷多少", "how_much"),
    ("谁负责", "who_decides"), ("哪个部门管", "who_decides"), ("由谁负责", "who_decides"), ("怎么申请", "how"),
    ("那要做什么", "how"), ("具体咋办", "how"), ("怎么交", "how"), ("这个政策到哪年", "when"), ("免多少", "how_much"),
    # a topic of its own, or no kind: not a follow-up
    ("烟草证去哪里办", None), ("残保金交多少", None), ("盲人按摩在哪", None), ("能办吗", None),
    ("我是盲人去哪里申请", None), ("烟草证", None), ("", None),
])
def test_a_follow_up_names_no_topic_of_its_own(text, kind):
    from jiuye.interpret.commands import follow_up_kind

    assert follow_up_kind(text) == kind


@pytest.mark.parametrize("text, asks", [("帮我算一下", True), ("帮我算算吧", True), ("帮我查查", True),
                                        ("我想办烟草证，看看我行不行", True), ("彩票代销我够不够格", True),
                                        ("残保金怎么算", False), ("帮我算一下残保金是怎么回事的", False)])
def test_a_request_to_be_checked_or_calculated(text, asks):
    from jiuye.interpret.commands import asks_to_check

    assert asks_to_check(text) is asks


@pytest.mark.parametrize("text", ["不对，是300人", "人数说错了", "工资是9万", "那如果是300人呢", "如果是300人呢",
                                  "要是300人要交多少", "要是工资8万呢", "换成300人", "假如有三百人", "如果有5个残疾人呢",
                                  "那再招一个呢", "那少一个残疾人呢", "如果在上海呢", "如果两个都是一级呢"])
def test_a_correction_or_a_changed_figure(text):
    from jiuye.interpret.commands import is_correction

    assert is_correction(text)


@pytest.mark.parametrize("text", ["如果月收入超过3000低保会停吗", "如果我是一级残疾能办烟草证吗", "如果残疾人超过一半能免税吗",
                                  "如果是300人，去哪里交", "那如果是我们公司呢", "300人", "不对", "如果在家呢"])
def test_a_question_with_if_and_a_number_is_no_changed_figure(text):
    from jiuye.interpret.commands import is_what_if

    assert not is_what_if(text)
