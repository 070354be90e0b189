"""The plan evaluation set (tests/eval/plan_questions.yml, written from the plan's text
without the training data) asked of a live assistant: does the first reply hold the key
facts, and does it cite the right section? Used by tests/test_plan_eval.py and by
scripts/bench.py, which prints both figures by section."""
from __future__ import annotations

import re
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Dict, List

import yaml

from bot.doors import rest_client
from jiuye.text import normalize

FILE = Path(__file__).resolve().parent / "eval" / "plan_questions.yml"
# More sets written from the plan alone by helpers that never saw the data: the second and
# third have guided changes since (their headers say which); the last is held out, never
# tuned on, and says how answers do on questions nobody tuned for.
SECOND = FILE.with_name("plan_questions_2.yml")
THIRD = FILE.with_name("plan_questions_3.yml")
HELD_OUT = FILE.with_name("plan_questions_4.yml")
SETS = {"plan questions": FILE, "second set": SECOND, "third set": THIRD, "held-out set": HELD_OUT}
ORDER = ["一", "二（一）", "二（二）", "二（三）", "二（四）", "二（五）", "二（六）", "二（七）", "二（八）", "二（九）", "二（十）",
         "三", "四"]


def load(path: Path = FILE) -> List[dict]:
    return yaml.safe_load(path.read_text("utf-8"))["questions"]


def cites(reply: str, section: str) -> bool:
    """The reply cites the plan's ``section`` ("国办发〔2025〕23号 二（一）…", "… 三第2项")."""
    return bool(re.search(rf"23号\s*{re.escape(section)}(?!（)", reply))


def holds(reply: str, fact: str) -> bool:
    plain = normalize(reply, limit=100_000)
    return any(normalize(alternative) in plain for alternative in str(fact).split("|"))


def ask(url: str, question: dict) -> dict:
    replies = rest_client.send(url, f"eval-{uuid.uuid4().hex[:10]}", question["question"])
    reply = rest_client.as_text(replies)
    return {"id": question["id"], "section": question["section"], "reply": reply,
            "facts": all(holds(reply, f) for f in question["facts"]), "cited": cites(reply, question["section"])}


def run(url: str, path: Path = FILE) -> List[dict]:
    return [ask(url, q) for q in load(path)]


def by_section(results: List[dict]) -> Dict[str, tuple]:
    """section → (questions, facts held, right section cited)."""
    table = defaultdict(lambda: [0, 0, 0])
    for r in results:
        row = table[r["section"]]
        row[0] += 1
        row[1] += r["facts"]
        row[2] += r["cited"]
    return {s: tuple(table[s]) for s in ORDER if s in table}


def report(results: List[dict], name: str = "plan questions") -> List[tuple]:
    """Rows for the benchmark: overall, then each section."""
    total = len(results)
    facts = sum(r["facts"] for r in results)
    cited = sum(r["cited"] for r in results)
    rows = [(f"{name}: first reply holds the key facts / cites the right section",
             f"{facts}/{total} ({100 * facts / total:.0f}%) / {cited}/{total} ({100 * cited / total:.0f}%)")]
    for section, (n, f, c) in by_section(results).items():
        rows.append((f"  section {section}", f"facts {f}/{n}, section {c}/{n}"))
    return rows
