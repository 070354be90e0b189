"""Which clause of the sources a question is about: BM25 (``rank_bm25``) over each
clause's words, their sounds and their character pairs.

A clause is indexed with its original text, its plain rendering, the words people use
for it (``terms``), questions people ask about it in their own words (``asked``) and its
section's title. Words come from Jieba with the domain
dictionary (data/jieba/userdict.txt); each word also counts by its fuzzy pinyin
(``jiuye.text.sound``: 残连 sounds like 残联), and each pair of characters counts too,
so a typo or an unexpected word split still finds the clause. Pure and offline: no
model, nothing downloaded; the index is built once (about 0.1 s for 100 clauses).
"""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Dict, Iterable, List

from rank_bm25 import BM25Okapi

from jiuye import sources
from jiuye.paths import DATA
from jiuye.text import normalize, sound

_CJK = re.compile(r"[\u4e00-\u9fff]+")
_WORD = re.compile(r"[\u4e00-\u9fff0-9A-Za-z]")
# Words that say how a question is asked, not what it is about.
_STOP = set("的 了 吗 呢 吧 啊 是 我 你 他 她 们 我们 有 没有 什么 怎么 怎么样 怎样 如何 可以 能 能不能 会 要 想 请问 "
            "问 一下 这个 那个 哪些 哪个 哪里 谁 多少 和 与 及 或 等 也 都 还 就 对 在 给 让 被 把 吗？ 呀 哦 嗯 "
            "政策 规定 国家 方案 文件 说 讲 一个 一名 一些 一点 一下子 现在 目前 已经 还是 就是 是不是 有没有 到底 具体 "
            "这样 那样 这种 那种 如果 但是 然后 应该 需要 必须 得 啥 咋 干啥 干嘛 怎么办 里面 这块 这一块 方面 通过 "
            "时候 不了 不行 他们 她们 大家 相关 说法 内容 东西 事情 那边 这边".split())
# Questions that ask for the text itself: the clause tier always answers them.
ASKS_FOR_CLAUSE = re.compile(r"哪一条|哪条|第几条|哪一项|哪项|哪一部分|哪部分|哪一节|哪个部分|依据是|依据什么|根据什么|根据哪|"
                             r"原文|怎么规定|如何规定|有什么规定|出自|出处是|条文|条款|依据哪|哪个文件|哪份文件")


@functools.lru_cache(maxsize=1)
def _jieba():
    import jieba

    jieba.setLogLevel(60)
    tokenizer = jieba.Tokenizer()
    tokenizer.load_userdict(str(DATA / "jieba" / "userdict.txt"))
    return tokenizer


def tokens(text: str) -> List[str]:
    """Words (no question words), their sounds, and the character pairs of the text."""
    plain = normalize(text, limit=2000)
    out = []
    for word in _jieba().lcut(plain):
        word = word.strip()
        if not word or word in _STOP or not _WORD.search(word):
            continue
        out.append(word)
        if _CJK.search(word) and len(word) > 1:
            out.append("音:" + sound(word))
    for run in _CJK.findall(plain):
        out += [run[i:i + 2] for i in range(len(run) - 1) if run[i:i + 2] not in _STOP]
    return out


# The plan is the source of truth; a related rule (longer, with document numbers and
# English notes) wins only when it is clearly closer.
RELATED_WEIGHT = 0.75


@dataclass(frozen=True)
class Hit:
    clause: sources.Clause
    score: float


class ClauseIndex:
    def __init__(self, clauses: Iterable[sources.Clause]) -> None:
        self.clauses = [c for c in clauses if c.section != "序"]
        self.bm25 = BM25Okapi([tokens(" ".join((c.text, c.plain, " ".join(c.terms), " ".join(c.asked), c.section_title)))
                               for c in self.clauses])

    def search(self, question: str, k: int = 3) -> List[Hit]:
        query = tokens(question)
        if not query:
            return []
        scores = [score * (1.0 if clause.in_plan else RELATED_WEIGHT)
                  for score, clause in zip(self.bm25.get_scores(query), self.clauses)]
        ranked = sorted(range(len(scores)), key=lambda i: -scores[i])[:k]
        return [Hit(self.clauses[i], float(scores[i])) for i in ranked if scores[i] > 0]


@functools.lru_cache(maxsize=1)
def default() -> ClauseIndex:
    return ClauseIndex(sources.default().values())


def search(question: str, k: int = 3) -> List[Hit]:
    return list(_search(question, k))


@functools.lru_cache(maxsize=256)
def _search(question: str, k: int) -> tuple:
    """One turn asks the same question of the index several times (the clause that stands
    out, then the clause after the topic's answer): computed once."""
    return tuple(default().search(question, k))


_WHO = re.compile(r"哪些部门|哪个部门|什么部门|哪几个部门|哪些单位负责|哪个单位负责|什么单位负责|哪些单位|哪家单位|"
                  r"谁负责|谁来负责|谁来管|谁管|负责部门|负责单位|牵头|由谁|哪家单位负责|归谁管")


def asks_who(text: str) -> bool:
    """"辅助性就业由哪些部门负责": who carries a measure out."""
    return bool(_WHO.search(normalize(text or "")))


def asks_for_source(text: str) -> bool:
    """"这条在方案哪一部分", "原文怎么说": the source of the last answer is asked for."""
    return bool(ASKS_FOR_CLAUSE.search(normalize(text or ""))) and not asks_for_clause(text)


def asks_for_clause(text: str) -> bool:
    """"盲人按摩的依据是什么", "哪一条说的中小学除外": the text itself is asked for, about
    something named (a bare "依据是什么" asks for the last answer's source instead)."""
    plain = normalize(text or "")
    found = ASKS_FOR_CLAUSE.search(plain)
    if not found:
        return False
    rest = plain[:found.start()] + " " + plain[found.end():]
    return names_something(rest)


def names_something(text: str) -> bool:
    """Whether a question names something of its own ("残保金的核定依据哪个文件"), not only
    words that point back at the last answer ("这条依据哪个文件")."""
    plain = ASKS_FOR_CLAUSE.sub(" ", normalize(text or ""))
    return any(len(w) > 1 and _CJK.search(w) and w not in _STOP and w not in _THIS for w in _jieba().lcut(plain))


# Words that point back at the last answer ("这条在哪一部分"): 出处 answers those.
_THIS = set("这是 那是 这条 这个 这项 那条 那个 这些 上面 刚才 刚刚 你说 你说的 它 这 那 部分 一部分 怎么说 怎么 说的 写的 "
            "里面 在哪 哪里 出处 来源 依据 根据 原文 文件 出自".split())


# A clause answers on its own only when it stands out: a score this high, and this much
# above the next clause of another section (calibrated on the topic questions of
# tests/e2e/, which must keep their topic answers).
MIN_SCORE = 12.0
MIN_MARGIN = 1.25


def confident(hits: List[Hit], question: str) -> bool:
    """One clause stands out for ``question``; a question of one word ("交钱", "贷款")
    never settles a clause on its own, however well that word scores."""
    if not hits or hits[0].score < MIN_SCORE or len(content_words(question)) < 2:
        return False
    other = next((h for h in hits[1:] if h.clause.section != hits[0].clause.section), None)
    return other is None or hits[0].score >= MIN_MARGIN * other.score


# Words every question here holds: they say nothing about which measure is asked.
_DOMAIN = set("残疾人 残疾 残疾人士 残障 就业 工作".split())


def content_words(question: str) -> set:
    """The words of two characters or more that say what a question is about."""
    return {w for w in _jieba().lcut(normalize(question or ""))
            if len(w) > 1 and _CJK.search(w) and w not in _STOP and w not in _DOMAIN
            and not (len(w) == 2 and w[0] in "能会要想可该")}  # "能领", "能当": a verb asked with a modal


@functools.lru_cache(maxsize=1)
def _known_text() -> str:
    """All the text the knowledge holds: the sources' clauses (text, plain words, terms, the
    questions people ask), the topics' answers and the topic questions the model is
    trained on (data/nlu/, ``ask_*`` intents only: not the out-of-scope examples)."""
    import yaml

    from jiuye import knowledge

    texts: List[str] = []
    for clause in default().clauses:
        texts += [clause.text, clause.plain, clause.section_title, *clause.terms, *clause.asked]
    for topic in knowledge.default().topics.values():
        texts += [topic.title, topic.short, topic.full, topic.uncertain, *topic.key_facts, *topic.next_steps,
                  *(said for _, said in topic.facets)]
    for path in sorted((DATA / "nlu").glob("*.yml")):
        for item in (yaml.safe_load(path.read_text("utf-8")) or {}).get("nlu") or []:
            if str(item.get("intent", "")).startswith(knowledge.INTENT_PREFIX):
                texts += [line.strip()[2:] for line in str(item.get("examples", "")).splitlines()
                          if line.strip().startswith("- ")]
    return "\n".join(normalize(text or "", limit=100_000) for text in texts)


def none_known(question: str) -> List[str]:
    """The words a question is about, when none of them is anywhere in the knowledge
    ("残疾人能考驾照吗": 考驾照); [] when one is, or the question has none. Of 655
    questions about the plan (the four evaluation sets) one has none known."""
    words = content_words(question)
    known = _known_text()
    if not words or any(w in known for w in words):  # in a word of its own too: 小学 in 中小学
        return []
    return sorted(words, key=lambda w: normalize(question).find(w))


@functools.lru_cache(maxsize=4096)
def _spread(word: str) -> int:
    """In how many clauses a word appears (a plan term names one or a few)."""
    return sum(1 for c in default().clauses if word in c.text or word in c.terms)


def missing_terms(question: str, clause: sources.Clause, answer: str, by_name: bool = True) -> List[str]:
    """The plan terms a question names that ``clause`` holds and an ``answer`` lacks
    ("中小学" asked of the public-sector quota's short answer); with ``by_name`` False,
    only words of the clause's text count, not the names people give it (烟草证)."""
    plain = normalize(question)
    tokens = _jieba().lcut(plain)
    words = [w for w in tokens if len(w) > 1 and w not in _STOP and _CJK.search(w)]
    # and two characters side by side inside one word ("评职称": 职称) or a word Jieba cut
    # apart ("证书要年审": 年 审), not the end of one word and the start of the next ("部门会": 门会)
    token_of = [n for n, token in enumerate(tokens) for _ in token]
    words += [plain[i:i + 2] for i in range(len(token_of) - 1)
              if _CJK.fullmatch(plain[i:i + 2]) and plain[i:i + 2] not in _STOP
              and (token_of[i] == token_of[i + 1] or len(tokens[token_of[i]]) == len(tokens[token_of[i + 1]]) == 1)]
    # and two words side by side, a phrase of the plan ("扶持 政策": 就业扶持政策)
    words += [a + b for a, b in zip(tokens, tokens[1:]) if len(a) > 1 and len(b) > 1 and _CJK.fullmatch(a + b)]
    found = [w for w in dict.fromkeys(words)
             if (w in clause.text or (by_name and w in clause.terms)) and w not in answer and _spread(w) <= 3
             and w not in _GENERIC
             # of another section's clause, a word of two characters counts only as a name for it:
             # "学校" (near a school) is not 特殊教育学校
             and (not by_name or len(w) > 2 or w in clause.terms)]
    # a term of the clause said with a homophone ("师代徒" for 师带徒), as typed on a pinyin keyboard
    spoken = [_char_sound(ch) for ch in plain]
    for term in clause.terms:
        if len(term) > 1 and term not in plain and term not in answer and term in clause.text:
            target = [_char_sound(ch) for ch in term]
            if any(spoken[i:i + len(term)] == target for i in range(len(plain) - len(term) + 1)):
                found.append(term)
    return found


# Words of a clause's text that say nothing about which measure is asked ("对平台有啥要求").
_GENERIC = set("要求 情况 工作 问题 相关 有关 办法 方式 措施 作用 活动 重度残疾 残疾人家庭 家庭".split())


@functools.lru_cache(maxsize=8192)
def _char_sound(char: str) -> str:
    return sound(char)


def _pairs(text: str) -> set:
    plain = normalize(text, limit=100_000)
    return {plain[i:i + 2] for i in range(len(plain) - 1) if _CJK.fullmatch(plain[i:i + 2])}


def covered(clause: sources.Clause, answer: str) -> float:
    """How much of a clause an answer already says (the share of its character pairs)."""
    pairs = _pairs(clause.said())
    return len(pairs & _pairs(answer)) / len(pairs) if pairs else 1.0


@functools.lru_cache(maxsize=1)
def _own_terms() -> Dict[str, sources.Clause]:
    """The terms (挂靠, 借残疾证 …) that one clause alone lists and no other clause's text holds."""
    owners: Dict[str, List[sources.Clause]] = {}
    for clause in default().clauses:
        for term in clause.terms:
            owners.setdefault(term, []).append(clause)
    return {term: found[0] for term, found in owners.items()
            if len(found) == 1 and len(term) > 1 and _spread(term) == 1}  # nowhere else, text included


def named_clause(question: str) -> "sources.Clause | None":
    """The clause a question names by a term only it lists ("挂靠残疾人证有什么后果"): a
    hotline's word for a measure says which one is meant, however the rest scores."""
    plain = normalize(question)
    named = sorted((t for t in _own_terms() if _holds(plain, t)), key=len, reverse=True)
    return _own_terms()[named[0]] if named else None


def _holds(text: str, term: str) -> bool:
    """``term`` in ``text``; a number only as a whole ("12345" is not in "123456789")."""
    if term.isdigit():
        return bool(re.search(rf"(?<!\d){term}(?!\d)", text))
    return term in text


def by_section(hits: Iterable[Hit]) -> Dict[str, float]:
    found: Dict[str, float] = {}
    for hit in hits:
        found[hit.clause.section] = max(found.get(hit.clause.section, 0.0), hit.score)
    return found
