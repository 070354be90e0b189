"""Domain words restored by their sound in recognised speech (voice/lexicon.py)."""
from __future__ import annotations

import pytest

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
