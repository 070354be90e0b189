"""Every clause of the plan is reachable by a plain question through the real servers:
"<a word people use for it>的依据是什么" gets that clause, cited by its place."""
from __future__ import annotations

import uuid

import pytest

from bot.doors import rest_client
from jiuye import retrieval, sources

pytestmark = pytest.mark.slow
CLAUSES = [c for c in sources.default().values() if c.in_plan and c.section != "序"]


def question_for(clause: sources.Clause) -> str:
    """The first of the clause's own words that finds it; else a piece of its text."""
    for term in clause.terms:
        question = f"{term}的依据是什么"
        hits = retrieval.search(question, 5)
        best = next((h for h in hits if h.clause.in_plan and h.score >= 0.6 * hits[0].score), None)
        if best and best.clause.id == clause.id:
            return question
    return f"“{clause.text[:16]}”这条的依据是什么"


@pytest.mark.parametrize("clause", CLAUSES, ids=lambda c: c.id)
def test_a_plain_question_reaches_each_clause(stack, clause):
    reply = rest_client.as_text(rest_client.send(stack.url, f"cl-{uuid.uuid4().hex[:8]}", question_for(clause)))
    assert clause.citation() in reply, (question_for(clause), reply[:300])
    assert clause.plain in reply
