"""Text as the assistant reads it: normalised, and how its words sound.

Shared by the NLU pipeline, the actions, the doors and the voice stages. What the
words *mean* (a choice, yes / no, a command, a number) is read by ``jiuye.interpret``.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import Optional

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


# A caller's opening words ("喂，喂，你好，…"): they say nothing about the question after them.
_OPENING = re.compile(r"^(?:(?:喂|哎|嗯|您好|你好|哈喽|嗨)[喂啊呀]*[\s,，.。!！~～]*)+")
_CJK_CHAR = re.compile(r"[\u4e00-\u9fff]")


def without_greeting(text: str) -> str:
    """The question without a caller's opening greeting, when a question of three characters
    or more follows it ("喂 喂 你好 我想问一下…"); a greeting alone is kept ("你好")."""
    rest = _OPENING.sub("", text or "", count=1)
    return rest if rest != text and len(_CJK_CHAR.findall(rest)) >= 3 else text


def is_meaningful(text: Optional[str]) -> bool:
    """True when the text has at least one letter, digit or Chinese character."""
    return bool(text) and bool(_MEANINGFUL.search(text))


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


def edit_distance(before: list, after: list) -> int:
    """Levenshtein distance between two sequences (insertions, deletions, substitutions)."""
    previous = list(range(len(after) + 1))
    for i, a in enumerate(before, 1):
        current = [i]
        for j, b in enumerate(after, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b)))
        previous = current
    return previous[-1]


def syllable_change(before: str, after: str) -> float:
    """Share of ``before``'s syllables (toneless pinyin) that ``after`` changes: the
    word error rate over syllables (1.0 when ``before`` has none)."""
    said, again = syllables(before), syllables(after)
    if not said:
        return 1.0
    return edit_distance(said, again) / len(said)
