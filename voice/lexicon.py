"""Domain words restored in recognised speech by their sound.

A small recogniser mishears rare policy words as common homophones: 夜市 → 业势,
烟草证 → 淹草症, 辅导员 → 辅到原. Every domain word (the Jieba dictionary, the topic
titles and data/voice/words.txt) is compared, by toneless pinyin (pypinyin), with each stretch of the
recognised text of the same length; a stretch that sounds the same but is written
differently is replaced by the domain word. Longer words are tried first, and domain words already
written right are left alone ("就业是" does not become "就夜市"), though a longer word may take
them in unchanged ("付助性就业" becomes "辅助性就业": 就业 stays as it was).

A short answer that sounds like a number picked from a list is written as that number
(``as_choice``): Whisper writes a lone 零 as 林, 七 as 其, 九 as 酒.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import List, Tuple

from jiuye import knowledge
from jiuye.interpret.commands import parse_choice
from jiuye.paths import ROOT
from jiuye.text import syllables

_CJK = re.compile(r"^[\u4e00-\u9fff]+$")


def _sound(text: str) -> Tuple[str, ...]:
    return tuple(syllables(text))


@lru_cache(maxsize=1)
def terms() -> List[Tuple[str, Tuple[str, ...]]]:
    """(word, its sound), longest first."""
    words = set()
    for line in (ROOT / "data" / "jieba" / "userdict.txt").read_text("utf-8").splitlines():
        if line.strip():
            words.add(line.split()[0])
    for line in (ROOT / "data" / "voice" / "words.txt").read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            words.add(line.strip())
    for topic in knowledge.default().topics.values():
        words.update(part for part in re.split(r"[、和]", topic.title) if part)
    words = {w for w in words if _CJK.match(w) and 2 <= len(w) <= 8}
    return sorted(((w, _sound(w)) for w in words), key=lambda item: -len(item[0]))


def restore(text: str) -> str:
    """Replace stretches that sound like a domain word by that word."""
    chars = list(text)
    sounds = [(_sound(ch) or ("",))[0] if "\u4e00" <= ch <= "\u9fff" else None for ch in chars]
    fixed = [False] * len(chars)
    for word, _ in terms():  # words already written right stay as they are ("就业是" is not "夜市")
        for match in re.finditer(re.escape(word), text):
            fixed[match.start():match.end()] = [True] * len(word)
    for word, sound in terms():
        size = len(word)
        for start in range(0, len(chars) - size + 1):
            window = sounds[start:start + size]
            if None in window or any(fixed[start + i] and chars[start + i] != ch for i, ch in enumerate(word)):
                continue
            if tuple(window) == sound:
                chars[start:start + size] = list(word)
                fixed[start:start + size] = [True] * size
    return "".join(chars)


_DIGIT_SOUNDS = {"ling": "零", "yi": "一", "er": "二", "san": "三", "si": "四", "wu": "五", "liu": "六",
                 "qi": "七", "ba": "八", "jiu": "九"}
# After a digit, a syllable that sounds like a counter is taken as one: Whisper writes
# 七号 as 其后, 九号 as 酒后, 第九个 as 第九更 (the words it knows best).
_COUNTERS = {"hao": "号", "hou": "号", "ge": "个", "gen": "个", "geng": "个"}
_TRAILING_NOISE = re.compile(r"(?<=[个号])[0-9A-Za-z]$")  # Whisper now and then adds a digit or letter
# Words a person may well answer with, which sound like a choice: left as they are.
_WORDS_NOT_CHOICES = {"以后"}


def _finals_merged(syllable: str) -> str:
    """-ng and -n as one (ling / lin): initials are kept apart, so 是 (shi) is not 四 (si)."""
    return syllable[:-1] if syllable.endswith("ng") else syllable


def as_choice(text: str) -> str:
    """A short recognised answer that is a number choice, once the one character that
    sounds like a digit is written as that digit, and a 号 or 个 after it as such
    ("我选其" → "我选七", "林浩" → "零号"); anything else is returned unchanged."""
    plain = _TRAILING_NOISE.sub("", re.sub(r"[，。、,.:：;；!！?？\s]+", "", text))
    if parse_choice(plain) is not None:
        return plain
    if plain in _WORDS_NOT_CHOICES:
        return text
    sounds = {_finals_merged(sound): digit for sound, digit in _DIGIT_SOUNDS.items()}
    chars = list(plain)
    found = [i for i, ch in enumerate(chars) if "\u4e00" <= ch <= "\u9fff"
             and _finals_merged((_sound(ch) or ("",))[0]) in sounds]
    if len(found) != 1 or len(chars) > 4:
        return text
    at = found[0]
    chars[at] = sounds[_finals_merged(_sound(chars[at])[0])]
    if at + 1 < len(chars):  # 林浩 → 零号, 七各 → 七个, 酒后 → 九号
        chars[at + 1] = _COUNTERS.get((_sound(chars[at + 1]) or ("",))[0], chars[at + 1])
    candidate = _TRAILING_NOISE.sub("", "".join(chars))
    return candidate if parse_choice(candidate) is not None else text
