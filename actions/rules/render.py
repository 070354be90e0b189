"""A rules result as plain Chinese text (CLI, bot, copilot)."""
from __future__ import annotations

from actions.rules.model import FAIL, PASS, Result

MARK = {PASS: "符合", FAIL: "不符合"}


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
