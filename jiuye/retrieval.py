"""Which clause of the sources a question is about: BM25 (``rank_bm25``) over each
clause's words, their sounds and their character pairs.

A clause is indexed with its original text, its plain rendering, the words people use
for it (``terms``) and its section's title. Words come from Jieba with the domain
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
            "政策 规定 国家 方案 文件 说 讲".split())
# Questions that ask for the text itself: the clause tier always answers them.
ASKS_FOR_CLAUSE = re.compile(r"哪一条|哪条|第几条|哪一项|哪项|哪一部分|哪部分|哪一节|哪个部分|依据是|依据什么|根据什么|根据哪|"
                             r"原文|怎么规定|如何规定|有什么规定|出自|出处是|哪个文件|什么文件|条文|条款")


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


@dataclass(frozen=True)
class Hit:
    clause: sources.Clause
    score: float


class ClauseIndex:
    def __init__(self, clauses: Iterable[sources.Clause]) -> None:
        self.clauses = [c for c in clauses if c.section != "序"]
        self.bm25 = BM25Okapi([tokens(" ".join((c.text, c.plain, " ".join(c.terms), c.section_title)))
                               for c in self.clauses])

    def search(self, question: str, k: int = 3) -> List[Hit]:
        query = tokens(question)
        if not query:
            return []
        scores = self.bm25.get_scores(query)
        ranked = sorted(range(len(scores)), key=lambda i: -scores[i])[:k]
        return [Hit(self.clauses[i], float(scores[i])) for i in ranked if scores[i] > 0]


@functools.lru_cache(maxsize=1)
def default() -> ClauseIndex:
    return ClauseIndex(sources.default().values())


def search(question: str, k: int = 3) -> List[Hit]:
    return default().search(question, k)


def asks_for_clause(text: str) -> bool:
    return bool(ASKS_FOR_CLAUSE.search(normalize(text or "")))


def by_section(hits: Iterable[Hit]) -> Dict[str, float]:
    found: Dict[str, float] = {}
    for hit in hits:
        found[hit.clause.section] = max(found.get(hit.clause.section, 0.0), hit.score)
    return found
