"""What every check's rules return: reasons a person can act on."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Dict, List

ELIGIBLE = "eligible"
NOT_ELIGIBLE = "not_eligible"
NEEDS_LOCAL_CHECK = "needs_local_check"

PASS = "pass"
FAIL = "fail"
UNKNOWN = "unknown"
INFO = "info"  # a fact the result rests on (the province's ratio), not a condition met or failed


@dataclass(frozen=True)
class Criterion:
    id: str
    status: str  # pass / fail / unknown / info
    reason: str  # one plain sentence


@dataclass(frozen=True)
class Step:
    """One line of a calculation: what, the formula with the person's numbers, the result."""

    label: str
    formula: str
    value: str


@dataclass
class Result:
    check: str  # the check's id (data/checks.yml; "levy")
    verdict: str  # eligible / not_eligible / needs_local_check
    summary: str  # one sentence for the ear
    criteria: List[Criterion] = field(default_factory=list)
    amounts: Dict[str, Decimal] = field(default_factory=dict)
    trace: List[Step] = field(default_factory=list)
    citations: List[str] = field(default_factory=list)
    documents: List[str] = field(default_factory=list)
    where: List[str] = field(default_factory=list)
    warnings: List[str] = field(default_factory=list)
    parameter_version: str = ""
    as_of: str = ""

    def to_dict(self) -> dict:
        data = asdict(self)
        data["amounts"] = {k: str(v) for k, v in self.amounts.items()}
        return data


def verdict_from(criteria: List[Criterion]) -> str:
    """All pass → eligible; any fail → not eligible; otherwise a local check is needed
    (an INFO line is neither)."""
    if any(c.status == FAIL for c in criteria):
        return NOT_ELIGIBLE
    if all(c.status in (PASS, INFO) for c in criteria):
        return ELIGIBLE
    return NEEDS_LOCAL_CHECK


def yuan(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def fmt_yuan(amount: Decimal) -> str:
    amount = yuan(amount)
    text = f"{amount:,.2f}"
    return (text[:-3] if text.endswith(".00") else text) + "元"


def fmt_number(value: Decimal) -> str:
    normalized = value.normalize()
    text = f"{normalized:f}"
    return text


def fmt_percent(ratio: Decimal) -> str:
    return fmt_number(ratio * 100) + "%"


def check(criterion_id: str, value, yes: str, no: str, unknown: str) -> Criterion:
    """A criterion from a yes / no / don't-know answer (None = 不知道)."""
    if value is None:
        return Criterion(criterion_id, UNKNOWN, unknown)
    return Criterion(criterion_id, PASS if value else FAIL, yes if value else no)


def step(criterion_id: str, value, yes: str, no: str, unknown: str) -> Criterion:
    """A criterion of local practice, not a national rule: a "no" is a step to take or ask
    about (说明), never a refusal."""
    if value is None:
        return Criterion(criterion_id, UNKNOWN, unknown)
    return Criterion(criterion_id, PASS if value else INFO, yes if value else no)


def measured(criterion_id: str, value, ok, reason, unknown: str) -> Criterion:
    """A criterion on a number the person gave (None = 不知道): ``ok(value)`` decides,
    ``reason(value, passed)`` says why in one sentence."""
    if value is None:
        return Criterion(criterion_id, UNKNOWN, unknown)
    passed = bool(ok(value))
    return Criterion(criterion_id, PASS if passed else FAIL, reason(value, passed))


def not_yet_known(criteria: List[Criterion]) -> bool:
    """A condition of the person's own is not known yet (not the rules decided locally):
    the result cannot say "可以申请"."""
    return any(c.status == UNKNOWN and c.id != "local_rules" for c in criteria)


def is_number(value: Any) -> bool:
    """A figure (not True / False, not 不知道)."""
    return isinstance(value, (int, float, Decimal)) and not isinstance(value, bool)


# An open-ended contract (无固定期限), as a number of years: more than any limit asks for.
OPEN_ENDED_YEARS = Decimal(100)
UNSURE_SUMMARY = "还不能确定：有几项还不知道，先看看下面“待核实”的几条。"
# Every condition met or a step to take (说明): no refusal, and no plain "可以申请" either.
STEPS_SUMMARY = "可以去问，但先看下面“说明”的几条：各地要求不同。"


def local_rules(reason: str) -> Criterion:
    """Details decided locally: always to be checked there."""
    return Criterion("local_rules", UNKNOWN, reason)
