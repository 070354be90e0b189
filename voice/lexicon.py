"""Domain words restored in recognised speech by their sound.

A small recogniser mishears rare policy words as common homophones: 夜市 → 业势,
烟草证 → 淹草症, 辅导员 → 辅到原. Every domain word (the Jieba dictionary, the topic
titles and data/voice/words.txt) is compared, by toneless pinyin (pypinyin), with each stretch of the
recognised text of the same length; a stretch that sounds the same but is written
differently is replaced by the domain word. Longer words are tried first, and domain words already
written right are left alone ("就业是" does not become "就夜市"), though a longer word may take
them in unchanged ("付助性就业" becomes "辅助性就业": 就业 stays as it was).
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import List, Tuple

from pypinyin import Style, lazy_pinyin

ROOT = Path(__file__).resolve().parent.parent
_CJK = re.compile(r"^[\u4e00-\u9fff]+$")


def _sound(text: str) -> Tuple[str, ...]:
    return tuple(lazy_pinyin(text, style=Style.NORMAL, errors="ignore"))


@lru_cache(maxsize=1)
def terms() -> List[Tuple[str, Tuple[str, ...]]]:
    """(word, its sound), longest first."""
    from actions import knowledge

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
