"""The source documents inside the project (data/sources/*.yml), clause by clause.

Each document is split into sections and clauses with stable ids (``二（一）-3``: the
third sentence of 二（一） of 国办发〔2025〕23号; ``facts-1-2``: a related rule), each
with its original ``text``, a reviewed easy-read ``plain`` rendering, the ``terms``
people use for it and questions they ask about it (``asked``).
``scripts/split_sources.py`` cuts a new source text; nothing here reads a file outside
the repository.
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import yaml

from jiuye.paths import DATA
from jiuye.text import normalize

SOURCES = DATA / "sources"
PLAN = "国办发〔2025〕23号"
_DOCUMENT = re.compile(r"[\u4e00-\u9fff]{1,8}〔\d{4}〕\d+号(?:\s*第[一二三四五六七八九十百]+条)?|财政部公告\d{4}年第\d+号|"
                       r"国务院令第\d+号|《[^》]{2,30}》")


@dataclass(frozen=True)
class Clause:
    id: str
    document: str  # 国办发〔2025〕23号, or the document a related rule names
    section: str  # 二（一）, 三 …; for a related rule its topic's number
    n: int
    text: str
    plain: str
    terms: Tuple[str, ...]
    section_title: str = ""
    asked: Tuple[str, ...] = ()  # questions people ask about it, in their own words (for retrieval)
    responsible: str = ""  # who carries it out (the section's closing line)
    confidence: str = "official"

    @property
    def in_plan(self) -> bool:
        return self.document == PLAN

    def citation(self) -> str:
        """"国办发〔2025〕23号 二（一）第1项", or the related rule's own document."""
        if self.in_plan:
            return f"{PLAN} {self.section}第{self.n}项"
        return self.document

    def said(self) -> str:
        """The clause as said first: its plain rendering (its text when none yet)."""
        return self.plain or self.text


# Where a related rule without a document number comes from: "(official, 重庆市残联
# 2025-02-11)" names its publisher; a national standard names itself (GB/T 26341-2010).
_PUBLISHER = re.compile(r"\((?:official|mirror|provincial rules[^,]*|[a-z ]+), ([^)0-9]*[\u4e00-\u9fff][^)]*?)\)")
_STANDARD = re.compile(r"GB/T \d+-\d{4}")


def _related_document(text: str) -> str:
    found = _DOCUMENT.search(text) or _STANDARD.search(text)
    if found:
        return found.group(0)
    publisher = _PUBLISHER.search(text)
    return publisher.group(1).strip() if publisher else "相关规定（见出处说明）"


def load(directory: Path = SOURCES) -> Dict[str, Clause]:
    clauses: Dict[str, Clause] = {}
    for path in sorted(directory.glob("*.yml")):
        data = yaml.safe_load(path.read_text("utf-8"))
        for section in data["sections"]:
            for raw in section["clauses"]:
                document = data["document"] if data["document"] != "related" else _related_document(raw["text"])
                clauses[raw["id"]] = Clause(
                    id=raw["id"], document=document, section=str(section["section"]), n=int(raw["n"]),
                    text=raw["text"], plain=raw.get("plain", ""), terms=tuple(raw.get("terms") or ()),
                    asked=tuple(raw.get("asked") or ()),
                    section_title=section.get("title", ""), responsible=section.get("responsible", ""),
                    confidence=raw.get("confidence", data.get("confidence", "official")),
                )
    return clauses


@functools.lru_cache(maxsize=1)
def default() -> Dict[str, Clause]:
    return load()


def in_section(section: str) -> List[Clause]:
    return [c for c in default().values() if c.in_plan and c.section == section]


def _title_names(title: str) -> List[str]:
    """How people name a section by its title: "实施企业助力残疾人就业行动" is also
    "企业助力残疾人就业行动", "企业助力就业行动"."""
    core = title.replace("实施", "", 1)
    names = {core, core.replace("残疾人", ""), core.replace("促进残疾人", ""), core.replace("促进", "")}
    names |= {n.replace("、", "") for n in names}
    # a measure's own words ("辅助性就业由谁来建") name a clause, not the section: the
    # section is named as an action (…行动) or by its whole title (保障条件)
    return sorted((n for n in names if len(n) >= 4 and (n.endswith("行动") or n == title)), key=len, reverse=True)


def section_named(text: str) -> Optional[str]:
    """The plan section a question names by its title ("企业助力残疾人就业行动的负责单位",
    "保障条件这部分"), or None."""
    plain = normalize(text or "")
    for clause in default().values():
        if clause.in_plan and clause.section_title and any(n in plain for n in _title_names(clause.section_title)):
            return clause.section
    for clause in default().values():  # or by its measure, pointed at ("辅助性就业这一项")
        if clause.in_plan and clause.section_title.endswith("行动"):
            for name in _title_names(clause.section_title):
                if re.search(re.escape(name[:-2]) + _POINTED, plain):
                    return clause.section
    return None


# "辅助性就业这一项", "企业助力残疾人就业这块": a section's measure named as a part of the plan
_POINTED = r"(?:这一项|这项|这一条|这条|这部分|这一部分|这块|这一块|这个行动|这项行动|方面的?行动)"


def responsible_for(section: str) -> Optional[Clause]:
    """A clause of ``section`` that says who carries the section out, or None."""
    return next((c for c in in_section(section) if c.responsible), None)


def find(clause_id: str) -> Optional[Clause]:
    return default().get(clause_id)


def render(clause: Clause, original: bool = False, responsible: Optional[bool] = None) -> str:
    """A clause as the first reply: its plain words, the original when asked for
    (原文怎么说), then where it stands ("依据：国办发〔2025〕23号 二（一）第1项"), and who
    carries it out (with the original, or when asked: 哪些部门负责)."""
    lines = [clause.said()]
    if original and clause.plain and clause.in_plan:  # a related rule's text holds notes, not a quotation
        lines.append(f"原文：“{clause.text}”")
    where = clause.citation()
    if clause.in_plan and clause.section_title:
        where += f"（{clause.section_title}）"
    lines.append(f"依据：{where}")
    if (original if responsible is None else responsible) and clause.responsible:
        lines.append(f"负责：{clause.responsible.replace('按职责分工负责', '')}")
    return "\n".join(lines)
