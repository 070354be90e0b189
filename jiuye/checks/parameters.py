"""Dated policy parameters read from ``data/parameters/*.yml``.

OpenFisca style: each parameter has values keyed by the date they take effect and
a reference to the legal text; a ``null`` value ends (repeals) the rule. A value
may carry its own reference and confidence. Lookups are by date, so a calculation
for 2028 does not silently use a rule that expired at the end of 2027.
"""
from __future__ import annotations

import hashlib
from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Tuple

import yaml

from jiuye.paths import DATA  # noqa: E402

PARAMETERS_DIR = DATA / "parameters"


class ParameterError(KeyError):
    pass


@dataclass(frozen=True)
class Value:
    """A parameter's value on a date, with where it comes from."""

    name: str
    value: Optional[Decimal]  # None: the rule is not in force on that date
    start: Optional[date]
    reference: str
    confidence: str
    local_references: Mapping[str, str] = ()  # province → a document of that province only

    @property
    def in_force(self) -> bool:
        return self.value is not None

    def references(self, province: Optional[str] = None) -> List[str]:
        """What to cite: the rule's own reference, and a local document only for its own
        province (a Guangxi tax bureau's reading is no source for a firm in Beijing)."""
        local = dict(self.local_references).get((province or "").rstrip("省市"))
        return [r for r in (self.reference, local) if r]


@dataclass(frozen=True)
class Parameter:
    name: str
    description: str
    unit: str
    reference: str
    confidence: str
    periods: Tuple[Tuple[date, Optional[Decimal], str, str], ...]  # (start, value, ref, conf)
    local_references: Tuple[Tuple[str, str], ...] = ()

    def at(self, on: date) -> Value:
        starts = [p[0] for p in self.periods]
        index = bisect_right(starts, on) - 1
        local = tuple(self.local_references)
        if index < 0:
            return Value(self.name, None, None, self.reference, self.confidence, local)
        start, value, reference, confidence = self.periods[index]
        return Value(self.name, value, start, reference, confidence, local)


def _decimal(raw) -> Optional[Decimal]:
    return None if raw is None else Decimal(str(raw))


def _parameter(name: str, raw: dict) -> Parameter:
    periods = []
    for start, entry in sorted(raw["values"].items(), key=lambda item: str(item[0])):
        start = start if isinstance(start, date) else date.fromisoformat(str(start))
        if isinstance(entry, dict):
            periods.append((
                start, _decimal(entry.get("value")),
                entry.get("reference", raw.get("reference", "")),
                entry.get("confidence", raw.get("confidence", "")),
            ))
        else:
            periods.append((start, _decimal(entry), raw.get("reference", ""), raw.get("confidence", "")))
    return Parameter(
        name=name,
        description=raw.get("description", ""),
        unit=raw.get("unit", ""),
        reference=raw.get("reference", ""),
        confidence=raw.get("confidence", ""),
        periods=tuple(periods),
        local_references=tuple((raw.get("local_references") or {}).items()),
    )


@dataclass(frozen=True)
class ParameterSet:
    parameters: Dict[str, Parameter]
    version: str  # hash of the YAML files: recorded with each check result

    def get(self, name: str, on: date) -> Value:
        if name not in self.parameters:
            raise ParameterError(name)
        return self.parameters[name].at(on)

    def ends(self, name: str, on: date) -> Optional[date]:
        """The last day the value in force on ``on`` holds, when a later change is set."""
        if name not in self.parameters:
            raise ParameterError(name)
        later = [start for start, *_ in self.parameters[name].periods if start > on]
        return min(later) - timedelta(days=1) if later else None

    def names(self, prefix: str) -> List[str]:
        return sorted(n for n in self.parameters if n.startswith(prefix))


def load(directory: Path = PARAMETERS_DIR) -> ParameterSet:
    parameters: Dict[str, Parameter] = {}
    digest = hashlib.sha256()
    for path in sorted(directory.glob("*.yml")):
        text = path.read_text("utf-8")
        digest.update(text.encode())
        for name, raw in (yaml.safe_load(text) or {}).get("parameters", {}).items():
            if name in parameters:
                raise ValueError(f"parameter {name} defined twice ({path.name})")
            parameters[name] = _parameter(name, raw)
    return ParameterSet(parameters, digest.hexdigest()[:12])


@lru_cache(maxsize=1)
def default() -> ParameterSet:
    return load()
