"""How close recognised speech is to what was said: character error rate (CER)."""
from __future__ import annotations

import re

from jiuye.interpret.numbers import digits
from jiuye.text import edit_distance


def comparable(text: str) -> str:
    """Simplified characters, numerals as digits (``numbers.digits``), no punctuation or
    spaces: "我们公司二百人，" and "我们公司 200 人" compare equal."""
    return re.sub(r"[^\w]|_", "", digits(text, limit=5000))


def cer(reference: str, heard: str) -> float:
    """Character error rate of ``heard`` against ``reference`` (0 = identical)."""
    ref, hyp = comparable(reference), comparable(heard)
    if not ref:
        return 0.0 if not hyp else 1.0
    return edit_distance(list(ref), list(hyp)) / len(ref)
