"""Hypothesis against the running servers: any JSON the REST channel may get, and any
answer inside a check's form. Never a 5xx, never a traceback, never another person's
words, and the servers answer normally afterwards."""
from __future__ import annotations

import json
import uuid

import pytest
import requests
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.doors import rest_client
from jiuye import checks

pytestmark = pytest.mark.slow

SECRET = "KLMN-other-persons-words-777"
OK_STATUSES = {200, 400, 413, 415, 429}
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=10,
)
bodies = st.one_of(
    json_values,
    st.fixed_dictionaries({"sender": st.text(max_size=140) | json_values, "message": json_values}),
    st.fixed_dictionaries({"sender": st.from_regex(r"fz-[a-z0-9]{6}", fullmatch=True),
                           "message": st.text(max_size=300)}),
)
answers = st.one_of(
    st.text(max_size=60),
    st.from_regex(r"[0-9一二两三四五六七八九十百千万亿,.，。 wk负]{1,12}", fullmatch=True),
    st.sampled_from(["是", "不是", "不知道", "跳过", "取消", "不对", "1", "0", "99", "再说一遍", "人工", "🙂", "/restart",
                     "对，开始查", "８万", "負五", "殘疾人證"]),
)
FUZZ = settings(max_examples=45, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)


@pytest.fixture(scope="module")
def other_person(stack):
    """Someone else's conversation, with words no fuzzed reply may ever contain."""
    person = f"owner-{uuid.uuid4().hex[:8]}"
    rest_client.send(stack.url, person, f"我的名字是{SECRET}")
    return person


def healthy(stack) -> None:
    assert rest_client.as_text(rest_client.send(stack.url, f"after-{uuid.uuid4().hex[:6]}", "烟草证怎么办"))


def check_reply(response) -> None:
    assert response.status_code in OK_STATUSES, (response.status_code, response.text[:300])
    assert "Traceback" not in response.text and SECRET not in response.text


@FUZZ
@given(body=bodies)
def test_any_json_gets_an_answer_or_a_clear_refusal(stack, other_person, body):
    raw = json.dumps(body).encode()
    response = requests.post(f"{stack.url}/webhooks/rest/webhook", data=raw,
                             headers={"Content-Type": "application/json", **rest_client.auth()}, timeout=60)
    check_reply(response)
    if response.status_code == 200:
        assert isinstance(response.json(), list)


# Each check started by its own title ("帮我查一下能不能办烟草零售许可证"), then fuzzed answers.
STARTS = [f"帮我查一下{c.title}" for c in checks.default().values()]


@FUZZ
@given(start=st.sampled_from(STARTS), said=st.lists(answers, min_size=1, max_size=4))
def test_any_answer_inside_every_check_gets_an_answer(stack, other_person, start, said):
    person = f"fz-{uuid.uuid4().hex[:8]}"
    rest_client.send(stack.url, person, start)
    for text in said:
        response = requests.post(f"{stack.url}/webhooks/rest/webhook", json={"sender": person, "message": text},
                                 headers=rest_client.auth(), timeout=60)
        check_reply(response)
        assert response.status_code == 200
        assert rest_client.as_text(response.json()).strip(), f"silence for {text!r}"


def test_the_servers_are_healthy_after_the_fuzzing(stack, other_person):
    healthy(stack)
    assert requests.get(f"{stack.action_url}/health", timeout=10).status_code == 200
