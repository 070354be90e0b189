"""Domain words restored by their sound in recognised speech (voice/lexicon.py)."""
from __future__ import annotations

import pytest

from voice import lexicon
from voice.lexicon import restore


@pytest.mark.parametrize("heard, meant", [
    ("残疾人能申请淹草症吗", "残疾人能申请烟草证吗"),      # a homophone of a domain word
    ("付助性就业是什么意思", "辅助性就业是什么意思"),      # a longer word takes in 就业, unchanged
    ("什么样的残疾职功能算进比例", "什么样的残疾职工能算进比例"),
    ("就业是什么", "就业是什么"),                          # 业是 sounds like 夜市, but 就业 is written right
    ("夜市的摊位", "夜市的摊位"),                          # right already: left alone
    ("我想问问", "我想问问"),                              # nothing of the domain: left alone
    ("", ""),
])
def test_domain_words_are_restored_by_sound(heard, meant):
    assert restore(heard) == meant


@pytest.mark.parametrize("heard, written", [
    ("林", "零"), ("酒", "九"), ("我选其的", "我选七的"), ("第二个2", "第二个"), ("四号，", "四号"),
    ("第一个:", "第一个"), ("林浩", "零号"), ("酒好", "九号"),
    ("其后2", "七号"), ("酒后:", "九号"), ("第九更,", "第九个"), ("其后G", "七号"),  # as Whisper wrote 七号, 九号, 第九个
])
def test_a_short_answer_that_sounds_like_a_number_is_the_number(heard, written):
    assert lexicon.as_choice(heard) == written


@pytest.mark.parametrize("heard", ["是", "对", "不对", "就是", "一起", "以后", "以后:", "人工", "烟草证", "我喜欢", "一个人",
                                   "爱好", "以后再说吧"])
def test_other_short_answers_are_left_alone(heard):
    assert lexicon.as_choice(heard) == heard
