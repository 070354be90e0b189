"""Input normalisation and numbered-choice parsing (pure functions)."""
import pytest

from jiuye.interpret.commands import parse_choice
from jiuye.text import MAX_NLU_CHARS, is_meaningful, normalize, sound, syllables


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("殘疾人能申請煙草證嗎", "残疾人能申请烟草证吗"),  # traditional
        ("残疾人能申请烟草证吗😀👍", "残疾人能申请烟草证吗"),  # emoji
        ("  烟草 证  怎么 办 ", "烟草证怎么办"),  # stray spaces
        ("１２３ＡＢＣ，你好！", "123ABC,你好!"),  # full-width
        ("Can I get a 烟草证?", "Can I get a 烟草证?"),  # English words keep their spaces
        ("👨‍👩‍👧", ""),  # a joined emoji sequence leaves nothing
        ("", ""),
        (None, ""),
    ],
)
def test_normalize(raw, expected):
    assert normalize(raw) == expected


def test_normalize_caps_length():
    assert len(normalize("残" * 5000)) == MAX_NLU_CHARS


@pytest.mark.parametrize(
    "text, meaningful",
    [("？？？!!!", False), ("……", False), ("🙂", False), ("", False), ("1", True), ("a", True), ("好", True)],
)
def test_is_meaningful(text, meaningful):
    assert is_meaningful(normalize(text)) is meaningful


@pytest.mark.parametrize(
    "text, number",
    [
        ("2", 2), ("二", 2), ("两", 2), ("第二个", 2), ("选3", 3), ("我选四", 4), ("2号", 2),
        ("十二", 12), ("第10项", 10), ("0", 0), ("零", 0), ("就第二个吧", 2), ("３", 3),
        ("我选择第五项", 5), (" 1 ", 1), ("第四个：", 4), ("三号;", 3),
    ],
)
def test_parse_choice(text, number):
    assert parse_choice(text) == number


@pytest.mark.parametrize(
    "text", ["我们公司200人", "二级残疾", "12385是什么", "第一次申请烟草证", "", "100000", "一万亿"]
)
def test_not_a_choice(text):
    assert parse_choice(text) is None


def test_syllables_toneless_and_fuzzy():
    assert syllables("残保金12385") == ["can", "bao", "jin"]
    assert syllables("灵活就业") == ["ling", "huo", "jiu", "ye"]
    assert syllables("灵活就业", fuzzy=True) == ["lin", "huo", "jiu", "ye"]
    assert syllables("这是能", fuzzy=True) == ["ze", "si", "len"]


@pytest.mark.parametrize("right, heard", [("小企业", "消棋业"), ("公务员", "公物园"), ("保障", "宝账"),
                                          ("农村", "龙村"), ("证书", "正书")])
def test_homophones_sound_the_same(right, heard):
    assert sound(right) == sound(heard)


def test_sound_of_a_word_without_chinese_is_the_word():
    assert sound("12385") == "12385"
    assert sound("") == ""


@pytest.mark.parametrize("said, question", [
    ("喂 喂 你好 我想问一下我家孩子 智力有点问题", "我想问一下我家孩子智力有点问题"),
    ("您好，请问烟草证怎么办", "请问烟草证怎么办"), ("你好，残保金", "残保金"),
    ("你好", "你好"), ("你好啊", "你好啊"), ("喂喂喂", "喂喂喂"), ("嗯嗯，对", "嗯嗯,对"),
])
def test_a_callers_opening_greeting_is_not_part_of_the_question(said, question):
    from jiuye.text import normalize, without_greeting

    assert without_greeting(normalize(said)) == question
