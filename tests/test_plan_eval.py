"""The plan evaluation sets through the real servers. The figures are printed by `make
bench`; here they must not fall below the floors (raise them as the answers improve)."""
from __future__ import annotations

import pytest

from tests import plan_eval

pytestmark = pytest.mark.slow
# (facts held, right section cited): the bar, 95% and 95%, on the first set; the
# others a little under what was measured (2026-12-04, session 11: 98/99, 98/99, 97/98 and
# the held-out 95/98), so that a retrained model's small swings do not fail the suite.
FLOORS = {"plan questions": (0.95, 0.95), "second set": (0.93, 0.95), "third set": (0.93, 0.95),
          "held-out set": (0.90, 0.95)}


def test_the_sets_cover_every_section_of_the_plan_and_share_no_question():
    assert len(plan_eval.load()) >= 250
    seen = set()
    for name, path in plan_eval.SETS.items():
        questions = plan_eval.load(path)
        assert len(questions) >= 100 and {q["section"] for q in questions} == set(plan_eval.ORDER), name
        assert len({q["id"] for q in questions}) == len(questions), name
        texts = {q["question"] for q in questions}
        assert not texts & seen, name
        seen |= texts


@pytest.mark.parametrize("name", list(FLOORS))
def test_first_replies_hold_the_facts_and_cite_the_section(stack, name):
    results = plan_eval.run(stack.url, plan_eval.SETS[name])
    facts = sum(r["facts"] for r in results) / len(results)
    cited = sum(r["cited"] for r in results) / len(results)
    for row, value in plan_eval.report(results, name):
        print(row, value)
    assert facts >= FLOORS[name][0] and cited >= FLOORS[name][1], (facts, cited)


def test_no_evaluation_question_is_a_training_example():
    from pathlib import Path

    from tests import nlu_files

    trained = {nlu_files.key(e) for examples in nlu_files.read(Path(plan_eval.FILE).parents[2] / "data" / "nlu").values()
               for e in examples}
    from jiuye import sources

    trained |= {nlu_files.key(q) for clause in sources.default().values() for q in clause.asked}  # the retriever's
    asked = [q for path in plan_eval.SETS.values() for q in plan_eval.load(path)]
    assert not [q["question"] for q in asked if nlu_files.key(q["question"]) in trained]
