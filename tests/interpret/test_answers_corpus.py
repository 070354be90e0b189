"""The answers corpus (tests/interpret/answers.yml) against the interpretation layer:
every natural answer, with the question it answers, gives its value or is asked again."""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from jiuye import checks
from jiuye.interpret import answers

CORPUS = yaml.safe_load((Path(__file__).parent / "answers.yml").read_text("utf-8"))
SPEC = checks.default()


def question(name: str) -> checks.Question:
    check_id, question_name = name.split(".")
    return next(q for q in SPEC[check_id].questions if q.name == question_name)


def cases():
    """(question, what was said, expected) for the whole corpus."""
    yes_no = [q for c in SPEC.values() for q in c.questions if q.kind == "yes_no" and not q.negated]
    common = CORPUS["common_yes_no"]
    for q in yes_no:
        for expect, key in ((True, "agree"), (False, "disagree"), ("unknown", "unknown"), ("ask", "ask")):
            for said in common[key]:
                yield f"{q.check}.{q.name}", str(said), expect
    negated = CORPUS["negated"]
    for expect, key in ((True, "agree"), (False, "disagree"), ("unknown", "unknown")):
        for said in negated[key]:
            yield negated["question"], str(said), expect
    for case in CORPUS["cases"]:
        yield case["q"], str(case["say"]), case["expect"]


CASES = list(cases())


def expected_value(q: checks.Question, expect):
    if expect == "unknown":
        return checks.UNKNOWN
    if isinstance(expect, dict):
        return next(value for value, words in q.choices if expect["choice"] in words)
    return expect


def test_the_corpus_is_large_and_covers_every_question_kind():
    assert len(CASES) >= 400
    kinds = {question(name).kind for name, _, _ in CASES}
    assert kinds == {"yes_no", "number", "choice", "province"}


@pytest.mark.parametrize("name, said, expect", CASES, ids=[f"{n}:{s}" for n, s, _ in CASES])
def test_an_answer_reads_as_a_person_meant_it(name, said, expect):
    q = question(name)
    got = answers.answer(q, said)
    if expect == "ask":
        assert not got.understood, f"{said!r} to {q.ask} read as {got.value!r}; it should be asked again"
        return
    value = expected_value(q, expect)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        assert got.value is not None and Decimal(str(got.value)) == Decimal(str(value)), (said, got)
    else:
        assert got.value == value, f"{said!r} to {q.ask}: {got.value!r}, expected {value!r}"


def test_a_range_is_asked_again_with_its_reason():
    got = answers.answer(question("loan.previous_loans"), "两三次")
    assert not got.understood and got.error and "一个" in got.error
