"""A rules result as plain Chinese text (CLI, bot, copilot)."""
from __future__ import annotations

import re
from typing import Any, Dict, Union

from jiuye.checks.model import FAIL, INFO, PASS, Result

# What each criterion's status is called; anything else is 待核实.
MARK = {PASS: "符合", FAIL: "不符合", INFO: "说明"}


def as_text(result: Result) -> str:
    lines = [result.summary]
    if result.trace:
        lines.append("计算过程：")
        lines += [f"{i}. {s.label}：{s.formula} = {s.value}" for i, s in enumerate(result.trace, 1)]
    if result.criteria:
        lines.append("逐条说明：")
        lines += [f"- {MARK.get(c.status, '待核实')}：{c.reason}" for c in result.criteria]
    lines += [f"注意：{w}" for w in result.warnings]
    if result.documents:
        lines.append("要准备：" + "；".join(result.documents) + "。")
    if result.where:
        lines.append("去哪里办：" + "；".join(result.where) + "。")
    lines.append("依据：" + "；".join(result.citations))
    return "\n".join(lines)


_WORDS = (
    (re.compile(r"min\((.*), (.*)\)"), r"\1和\2，取小的那个"),
    (re.compile(r"\s*×\s*"), "乘以"),
    (re.compile(r"\s*÷\s*"), "除以"),
    (re.compile(r"\s*[−-]\s+"), "减去"),
    (re.compile(r"\s*\+\s*"), "加上"),
    (re.compile(r"\s*=\s*"), "，等于"),
)
_STEP_NUMBERS = "一二三四五六七八九十"


def in_words(formula: str) -> str:
    """"2人 × 80,000元" → "2人乘以80,000元": a formula as it is said."""
    for pattern, words in _WORDS:
        formula = pattern.sub(words, formula)
    return formula


def explanation(result: Union[Result, Dict[str, Any]]) -> str:
    """为什么: how the result came about, step by step, in plain sentences."""
    data = result.to_dict() if isinstance(result, Result) else result
    lines = []
    trace = data.get("trace") or []
    if trace:
        lines.append("我是这样算的：")
        for n, step in enumerate(trace):
            number = _STEP_NUMBERS[n] if n < len(_STEP_NUMBERS) else str(n + 1)
            lines.append(f"第{number}步，{step['label']}：{in_words(step['formula'])}，得出{step['value']}。")
    criteria = data.get("criteria") or []
    if criteria:
        lines.append("我是这样判断的：")
        lines += [f"{MARK.get(c['status'], '待核实')}：{c['reason']}" for c in criteria]
    lines.append("依据：" + "；".join(data.get("citations") or []) + "。")
    return "\n".join(lines)
