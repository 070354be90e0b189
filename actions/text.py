"""Pure text helpers shared by the NLU pipeline, the actions and the doors.

Nothing here imports Rasa, so the CLI, the voice stage and the tests can use it as is.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Optional

import cn2an

# NLU only needs the beginning of a very long message; the rest is noise for the
# classifier and costs latency. The full text is still what the person sent.
MAX_NLU_CHARS = 300

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_OR_PUNCT = rf"[{_CJK}，。？！、：；,.?!:;]"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<={_CJK_OR_PUNCT})\s+(?={_CJK_OR_PUNCT})")
_MULTI_SPACE = re.compile(r"\s+")
# Characters that carry meaning: letters and digits of any script.
_MEANINGFUL = re.compile(rf"[{_CJK}A-Za-z0-9]")
# Unicode categories dropped before NLU: emoji and other symbols, format
# characters (zero-width joiners, variation selectors), private use, surrogates.
_DROP_CATEGORIES = {"So", "Sk", "Cf", "Co", "Cs", "Cn"}


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


def normalize(text: Optional[str], limit: int = MAX_NLU_CHARS) -> str:
    """Normalise a user message before NLU.

    Traditional → simplified (OpenCC), full-width → half-width (NFKC), emoji and
    other symbols removed, stray spaces between Chinese characters removed,
    whitespace collapsed, length capped at ``limit`` characters.
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(
        ch if unicodedata.category(ch) not in _DROP_CATEGORIES else " " for ch in text
    )
    text = _t2s().convert(text)
    text = _MULTI_SPACE.sub(" ", text).strip()
    text = _SPACE_BETWEEN_CJK.sub("", text)
    return text[:limit].strip()


def is_meaningful(text: Optional[str]) -> bool:
    """True when the text has at least one letter, digit or Chinese character."""
    return bool(text) and bool(_MEANINGFUL.search(text))


_CN_DIGITS = "零〇一二两三四五六七八九十"
_CHOICE = re.compile(
    rf"^(?:那就|就|那|我)?(?:要|选|想要|想选|选择)?(?:选项|第|选)?"
    rf"(?P<num>[0-9]{{1,2}}|[{_CN_DIGITS}]{{1,3}})"
    rf"(?:个|项|号|条|种|的)?(?:吧|呢|啊|呀|好了|就行)?[.。!！?？,，:：;；、]*$"
)


def parse_choice(text: Optional[str]) -> Optional[int]:
    """The number a person picked from a numbered list, or None.

    Accepts what people type or say: "2", "二", "第二个", "选3", "我选四", "2号", "十二".
    A sentence that merely contains a number ("我们公司200人") is not a choice.
    """
    if not text:
        return None
    compact = normalize(text).replace(" ", "")
    match = _CHOICE.match(compact)
    if not match:
        return None
    num = match.group("num")
    if num.isdigit():
        return int(num)
    try:
        value = cn2an.cn2an(num, "smart")
    except (ValueError, KeyError):
        return None
    value = int(value)
    return value if 0 <= value <= 99 else None


_YES_WORDS = {"对", "对的", "对对", "对对对", "是", "是的", "是这样", "没错", "对没错", "嗯", "嗯嗯", "嗯对", "嗯是的",
              "好", "好的", "可以", "行", "确定", "确认", "正确", "没问题", "对头", "ok", "okay", "yes"}
_NO_WORDS = {"不对", "不是", "不是的", "错了", "错的", "说错了", "不", "不行", "不要", "否", "不同意", "不正确",
             "不对不对", "不是这样", "no"}
_PARTICLES = re.compile(r"[啊呀吧哦呢啦嘛哈]+$")
_CHECK = re.compile(r"帮我查|查一查|查查|帮我看看我|帮我判断|符不符合|够不够条件|有没有资格|资格审查")


def yes_or_no(text: Optional[str]) -> Optional[bool]:
    """A whole answer that is just "对" / "是的" (True) or "不对" / "不是" (False); else None."""
    compact = re.sub(r"[\s,，.。!！?？~～、]", "", normalize(text or "")).lower()
    compact = _PARTICLES.sub("", compact)
    if compact in _YES_WORDS:
        return True
    if compact in _NO_WORDS:
        return False
    return None


def asks_to_check(text: Optional[str]) -> bool:
    """帮我查查 / 我符不符合: the person wants their own case checked."""
    return bool(_CHECK.search(normalize(text or "")))


# Sounds that many speakers, pinyin keyboards and small speech recognisers do not keep
# apart (the "fuzzy pinyin" of input methods): zh/z, ch/c, sh/s, n/l, and -ng/-n.
_FUZZY_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("n", "l"))
_FUZZY_FINALS = (("ang", "an"), ("eng", "en"), ("ing", "in"))


def _fuzzy(syllable: str) -> str:
    for long, short in _FUZZY_INITIALS:
        if syllable.startswith(long):
            syllable = short + syllable[len(long):]
            break
    for long, short in _FUZZY_FINALS:
        if syllable.endswith(long):
            return syllable[:-len(long)] + short
    return syllable


def syllables(text: str, fuzzy: bool = False) -> list:
    """Toneless pinyin of the Chinese characters in ``text``, one syllable each
    (pypinyin; other characters left out). ``fuzzy`` merges the sounds that are often
    confused, so that 小企业 and 消棋业, 灵活 and 聋活 ... sound closer."""
    from pypinyin import Style, lazy_pinyin

    sounds = lazy_pinyin(text, style=Style.NORMAL, errors="ignore")
    return [_fuzzy(s) for s in sounds] if fuzzy else sounds


def sound(text: str) -> str:
    """How a word sounds, for the NLU's pinyin features: fuzzy syllables joined by
    spaces ("小企业" → "xiao qi ye"); the word itself when it has no Chinese."""
    return " ".join(syllables(text, fuzzy=True)) or text
