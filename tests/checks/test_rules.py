"""Every check's rules from YAML cases; each result is complete and speakable."""
from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from jiuye.checks import render
from jiuye.checks.inputs import InputError
from jiuye.checks.model import FAIL, INFO, PASS, UNKNOWN
from jiuye.checks.registry import RULES

CASES = yaml.safe_load((Path(__file__).parent / "rules_cases.yml").read_text("utf-8"))["cases"]


def test_at_least_40_rule_cases_in_all():
    levy = yaml.safe_load((Path(__file__).parent / "levy_cases.yml").read_text("utf-8"))["cases"]
    assert len(CASES) + len(levy) >= 40
    assert {c["check"] for c in CASES} | {"levy"} == set(RULES)  # the levy's own cases: levy_cases.yml


@pytest.mark.parametrize("case", CASES, ids=lambda c: c["name"])
def test_case(case):
    rules = RULES[case["check"]]
    expect = case["expect"]
    if "error" in expect:
        with pytest.raises(InputError) as error:
            rules(**case["input"], on=case["date"])
        assert expect["error"] in str(error.value)
        return
    result = rules(**case["input"], on=case["date"])
    if "verdict" in expect:
        assert result.verdict == expect["verdict"], [(c.id, c.status, c.reason) for c in result.criteria]
    assert case.get("summary", "") in result.summary
    statuses = {c.id: c.status for c in result.criteria}
    for status in ("fail", "unknown", "info"):
        for criterion in expect.get(status, []):
            assert statuses[criterion] == status, statuses
    assert not set(case.get("no_amounts", [])) & set(result.amounts), result.amounts
    for key, value in expect.items():
        if key not in ("verdict", "fail", "unknown", "info"):
            assert result.amounts[key] == Decimal(str(value)), result.amounts
    # Every result can be acted on: reasons, citations, documents, where to go.
    assert all(c.status in (PASS, FAIL, UNKNOWN, INFO) and c.reason.endswith("。") for c in result.criteria)
    assert result.citations and result.documents and result.where and result.summary
    text = render.as_text(result)
    assert result.summary in text and "依据：" in text


@pytest.mark.parametrize("case", [c for c in CASES if "error" not in c["expect"]], ids=lambda c: c["name"])
def test_each_document_is_cited_once(case):
    """No duplicate citations: a document appears once, whatever section it is cited by."""
    result = RULES[case["check"]](**case["input"], on=case["date"])
    documents = [re.match(r"^(\S+?〔\d{4}〕\d+号|财政部公告\d{4}年第\d+号|[^\s（]+)", c).group(1) for c in result.citations]
    assert len(documents) == len(set(documents)), result.citations
