"""How close recognised speech is to what was said: character error rate (CER)."""
from __future__ import annotations

import re
import warnings

import cn2an

from actions.text import normalize


def comparable(text: str) -> str:
    """Simplified characters, numerals as digits, no punctuation or spaces:
    "我们公司二百人，" and "我们公司 200 人" compare equal."""
    text = normalize(text, limit=5000)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        text = cn2an.transform(text, "cn2an")
    return re.sub(r"[^\w]|_", "", text)


def cer(reference: str, heard: str) -> float:
    """Character error rate of ``heard`` against ``reference`` (0 = identical)."""
    import jiwer

    ref, hyp = comparable(reference), comparable(heard)
    if not ref:
        return 0.0 if not hyp else 1.0
    return jiwer.cer(ref, hyp or " ")
