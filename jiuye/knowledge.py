"""The policy knowledge base: topics as data, loaded and rendered as answers.

Pure Python: no Rasa imports. The YAML under ``data/knowledge/`` is the single
place where a policy officer corrects a figure; this module only reads it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Dict, Iterable, List, Optional, Tuple

import yaml

from jiuye.paths import DATA  # noqa: E402
from jiuye.text import normalize

KNOWLEDGE_DIR = DATA / "knowledge"
PLAN_DOCUMENT = "国办发〔2025〕23号"
SHORT_LIMIT = 80
INTENT_PREFIX = "ask_"
DETAIL_HINT = "要听详细的，请说“详细”。"


@dataclass(frozen=True)
class Source:
    doc: str
    section: str = ""

    def __str__(self) -> str:
        return f"{self.doc} {self.section}".strip()


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    category: str
    sources: Tuple[Source, ...]
    short: str
    full: str
    departments: Tuple[str, ...]
    next_steps: Tuple[str, ...]
    key_facts: Tuple[str, ...]
    uncertain: str = ""
    # One sentence per kind of question (how_much, who_may, who_decides, where, when,
    # documents, how) that names the program and answers that kind: said first.
    facets: Tuple[Tuple[str, str], ...] = ()
    # Words of a question the short answer's opening yes or no does not answer ("单位能要求
    # 本地户口吗" is not answered "能。" by the topic that answers "外地户口能找工作吗").
    opening_not_for: str = ""

    def facet(self, kind: Optional[str]) -> Optional[str]:
        return dict(self.facets).get(kind or "")

    @property
    def intent(self) -> str:
        return INTENT_PREFIX + self.id

    @property
    def citation(self) -> str:
        return "；".join(str(s) for s in self.sources)


@dataclass(frozen=True)
class Category:
    id: str
    title: str
    topics: Tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class KnowledgeBase:
    topics: Dict[str, Topic]
    categories: Tuple[Category, ...]
    plan_sections: Dict[str, str]
    documents: Dict[str, dict]

    def by_intent(self, intent: Optional[str]) -> Optional[Topic]:
        if not intent or not intent.startswith(INTENT_PREFIX):
            return None
        return self.topics.get(intent[len(INTENT_PREFIX):])

    def category(self, category_id: Optional[str]) -> Optional[Category]:
        return next((c for c in self.categories if c.id == category_id), None)


def _topic(raw: dict) -> Topic:
    return Topic(
        id=raw["id"],
        title=raw["title"],
        category=raw["category"],
        sources=tuple(Source(str(s["doc"]), str(s.get("section") or "")) for s in raw["sources"]),
        short=raw["short"].strip(),
        full=raw["full"].strip(),
        departments=tuple(raw["departments"]),
        next_steps=tuple(raw["next_steps"]),
        key_facts=tuple(str(k) for k in raw["key_facts"]),
        uncertain=(raw.get("uncertain") or "").strip(),
        facets=tuple((str(k), str(v).strip()) for k, v in (raw.get("facets") or {}).items()),
        opening_not_for=str(raw.get("opening_not_for") or ""),
    )


def _read(path: Path) -> dict:
    with path.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle) or {}


def load(directory: Path = KNOWLEDGE_DIR) -> KnowledgeBase:
    """Read every topic file, the menu categories, the plan sections and documents."""
    topics: Dict[str, Topic] = {}
    for path in sorted((directory / "topics").glob("*.yml")):
        for raw in _read(path).get("topics", []):
            topic = _topic(raw)
            if topic.id in topics:
                raise ValueError(f"duplicate topic id {topic.id!r} in {path}")
            topics[topic.id] = topic
    categories = tuple(
        Category(
            id=c["id"],
            title=c["title"],
            topics=tuple(t.id for t in topics.values() if t.category == c["id"]),
        )
        for c in _read(directory / "categories.yml")["categories"]
    )
    plan = _read(directory / "plan.yml")
    return KnowledgeBase(
        topics=topics,
        categories=categories,
        plan_sections={str(k): v for k, v in plan["sections"].items()},
        documents=_read(directory / "documents.yml")["documents"],
    )


@lru_cache(maxsize=1)
def default() -> KnowledgeBase:
    """The knowledge base shipped with the project, read once per process."""
    return load()


FACET_KINDS = ("how_much", "who_may", "who_decides", "where", "when", "documents", "how")
# A short answer's opening yes or no, said only to a question that asks yes or no.
_BARE_YES_NO = re.compile(r"^(?:可以|能|有|不能|不可以|没有|会|要|需要|不用|不会)[\u4e00-\u9fff]{0,4}?[。！!]")


# The verbs a question must use for an opening yes or no to answer it: "能。" answers
# "能不能…" or "可以…吗", not "这合理吗" or "会不会…".
_OPENING_VERBS = (("可以", "可以|能"), ("不可以", "可以|能"), ("能", "能|可以"), ("不能", "能|可以"),
                  ("有", "有"), ("没有", "有"), ("会", "会"), ("不会", "会"),
                  ("要", "要|需要|用"), ("需要", "要|需要|用"), ("不用", "要|需要|用"))


def _opening_echoes(first: str, question: str) -> bool:
    opening = _BARE_YES_NO.match(first)
    if not opening:
        return True
    word = re.match(r"不可以|不能|没有|不用|不会|需要|可以|能|有|会|要", opening.group(0)).group(0)
    verbs = dict(_OPENING_VERBS)[word]
    return bool(re.search(verbs, question))


# A sentence's closing referral ("…，请问当地残联。"): said once, by the last sentence that has
# one; the first sentence keeps its own (to "去哪里办" the referral is the answer).
_REFERRAL = re.compile(r"[，；][^，；。：]*(?:请问|问)当地[^，；。：]*。$")


def _refer_once(lines: List[str], keep_first: bool) -> List[str]:
    referring = [n for n, line in enumerate(lines) if _REFERRAL.search(line)]
    needed = {n for n in referring if not _stands_alone(lines[n])}  # "怎么认定、帮什么，请问当地…": its answer
    kept = needed or set(referring[-1:])
    if keep_first:
        kept.add(0)
    return [line if n in kept else _REFERRAL.sub("。", line) for n, line in enumerate(lines)]


# What is left of a sentence without its referral must say something: "…服务，各地开展情况不同。",
# not "…服务，当地有没有。" or "想要政府办的市场摊位。" (a question or a wish the referral answers).
_NEEDS_REFERRAL = re.compile(r"有没有|多少|哪|怎么|是否|什么|^想|^先问|^留意|^本省|^本地")


def _stands_alone(line: str) -> bool:
    rest = _REFERRAL.sub("", line).rstrip("。")
    return not _NEEDS_REFERRAL.search(re.split(r"[，；。]", rest)[-1].strip())


def full_line_for(topic: Topic, words: Iterable[str], said: str) -> Optional[str]:
    """The line of the topic's full answer that holds a word (of three characters or more)
    of the question (its content ``words``, jiuye.retrieval.content_words) the short answer
    lacks ("劳务派遣来的残疾人算不算": 劳务派遣的残疾人算在…各地规定不同): said after the short
    answer rather than only after "详细". The longest word decides."""
    found = []
    for line in topic.full.splitlines():
        line = line.strip()
        if not line or line in said:
            continue
        for word in words:
            if len(word) >= 3 and word in line and word not in said and word not in topic.title:
                found.append((len(word), line))
    return max(found)[1] if found else None


def render(topic: Topic, detailed: bool = False, kind: Optional[str] = None, question: Optional[str] = None,
           words: Iterable[str] = ()) -> str:
    """The answer text for a topic: short (default) or full, always with its source.
    ``kind`` is the kind of question asked (``jiuye.interpret.commands.question_kind``):
    the topic's sentence for that kind comes first, and a short answer's opening 可以 /
    不能 is said only to a yes-or-no question ("体检标准是谁定的" is not answered "可以。")
    that asks with its verb, when the ``question`` is known ("这合理吗" is not answered "能。")."""
    first = topic.full if detailed else topic.short
    if kind != "yes_no" or (question is not None and not _opening_echoes(first, question)) \
            or (question and topic.opening_not_for and re.search(topic.opening_not_for, normalize(question))):
        first = _BARE_YES_NO.sub("", first, count=1) or first
    facet = topic.facet(kind)
    if facet and facet not in first:
        # the short answer's sentences the facet already says are not said twice
        rest = "".join(part for part in re.findall(r"[^。！？]+[。！？]?", first) if part.strip().rstrip("。！？") not in facet)
        lines: List[str] = [facet] + ([rest] if rest.strip() else [])
    else:
        lines = [first]
    extra = None if detailed or not words else full_line_for(topic, words, "".join(lines))
    if extra:
        lines.append(extra)
    if topic.uncertain:
        lines.append(topic.uncertain)
    lines = _refer_once(lines, keep_first=bool(facet and facet not in first))
    if detailed:
        steps = "\n".join(f"{i}. {step}" for i, step in enumerate(topic.next_steps, 1))
        lines.append(f"怎么办：\n{steps}")
        lines.append("负责部门：" + "、".join(topic.departments))
    lines.append(f"依据：{topic.citation}")
    if not detailed:
        lines.append(DETAIL_HINT)
    return "\n".join(lines)


def render_source(topic: Topic, kb: Optional[KnowledgeBase] = None) -> str:
    """Which documents the answer comes from, in words a person can look up."""
    kb = kb or default()
    parts = []
    for source in topic.sources:
        info = kb.documents.get(source.doc, {})
        title = info.get("title", "")
        name = f"《{title}》（{source.doc}）" if title and title not in source.doc else source.doc
        if source.doc == PLAN_DOCUMENT and source.section in kb.plan_sections:
            section = f" {source.section}“{kb.plan_sections[source.section]}”"
        else:
            section = f" {source.section}" if source.section else ""
        line = f"{name}{section}"
        if info.get("confidence") in ("mirror", "inferred"):
            line += "（这份文件的原文我们还在核对，以当地答复为准）"
        parts.append(line)
    return f"“{topic.title}”的依据是：\n" + "\n".join(f"- {p}" for p in parts)
