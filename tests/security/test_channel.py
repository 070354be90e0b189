"""The REST channel's limits: size, content type, JSON shapes, senders, slash
commands typed by a person; and no person's words in the logs."""
from __future__ import annotations

import uuid

import pytest
import requests

from bot.doors import rest_client
from jiuye import messages

pytestmark = pytest.mark.slow  # (the last tests here need no server)


def post(stack, body=None, raw=None, content_type="application/json", auth=True):
    headers = {"Content-Type": content_type, **(rest_client.auth() if auth else {})}
    data = raw if raw is not None else __import__("json").dumps(body).encode()
    return requests.post(f"{stack.url}/webhooks/rest/webhook", data=data, headers=headers, timeout=30)


def sender():
    return f"sec-{uuid.uuid4().hex[:10]}"


def test_a_huge_body_is_refused_with_413_and_a_sentence_and_stalls_no_one(stack):
    huge = post(stack, {"sender": sender(), "message": "残" * (2 * 1024 * 1024)})
    assert huge.status_code == 413 and huge.json()["text"] == messages.TOO_LONG
    assert rest_client.send(stack.url, sender(), "你好")  # the next person is answered


def test_a_door_shows_the_sentence_for_a_message_too_long(stack):
    reply = rest_client.turn(stack.url, sender(), "残" * 70_000)
    assert reply.text == messages.TOO_LONG and not reply.busy


@pytest.mark.parametrize("body", [
    {"sender": "x1", "message": 5}, {"sender": "x1", "message": None}, {"sender": "x1", "message": ["你好"]},
    {"sender": "x1", "message": {"text": "你好"}}, {"message": "你好"}, {"sender": "", "message": "你好"},
    {"sender": "a" * 129, "message": "你好"}, {"sender": "我是谁", "message": "你好"},
    {"sender": "../../etc", "message": "你好"}, {"sender": 42, "message": "你好"}, ["你好"], "你好", 7, None,
], ids=lambda b: str(b)[:40])
def test_wrong_shapes_get_400_with_a_json_error(stack, body):
    response = post(stack, body)
    assert response.status_code == 400 and "error" in response.json()


@pytest.mark.parametrize("raw, content_type, status", [
    (b"{not json", "application/json", 400),
    (b'{"sender": "x1", "message": "\\u4f60\\u597d"}', "text/plain", 415),
    (b"sender=x1&message=hi", "application/x-www-form-urlencoded", 415),
    (b"", "application/json", 400),
])
def test_no_json_or_another_content_type_is_refused(stack, raw, content_type, status):
    assert post(stack, raw=raw, content_type=content_type).status_code == status


@pytest.mark.parametrize("typed", ["/restart", '/ask_levy{"x": 1}', "/session_start", '/choose_number{"number": "1"}',
                                   '/delete_my_data', '/help{"category": "../x"}', "  /restart  ", "／restart",
                                   "\u200b/restart", "🙂/restart", "//restart"])
def test_a_slash_command_typed_by_a_person_is_read_as_words(stack, typed):
    person = sender()
    rest_client.send(stack.url, person, "帮我查查能不能办彩票代销")
    replies = rest_client.send(stack.url, person, typed)
    assert replies, typed  # an answer, not the silence of /restart
    text = rest_client.as_text(replies)
    assert "Traceback" not in text and "删除" not in text
    tracker = requests.get(f"{stack.url}/conversations/{person}/tracker", params={"token": stack.token},
                           timeout=10).json()
    assert not any(e["event"] == "restart" for e in tracker["events"]), typed
    said = [e["text"] for e in tracker["events"] if e["event"] == "user"]
    assert len(said) == 2 and "/" not in said[-1][:1] and "restart" not in said[-1][:1], said  # read as words


def test_the_buttons_payloads_still_work(stack):
    person = sender()
    replies = rest_client.send(stack.url, person, "菜单")
    payloads = [b["payload"] for r in replies for b in r.get("buttons") or []]
    assert payloads and payloads[0].startswith("/help{")
    assert "烟草零售许可证" in rest_client.as_text(rest_client.send(stack.url, person, payloads[1]))
    listing = rest_client.send(stack.url, person, "菜单")
    number = next(b["payload"] for r in listing for b in r.get("buttons") or [])
    assert rest_client.send(stack.url, person, number)


def test_no_persons_words_in_the_logs(stack):
    marker = "ZQXJ-secret-words-4242"
    person = sender()
    for text in (f"我叫{marker}", f'/ask_levy{{"name": "{marker}"', f"/{marker}", f"帮我查 {marker}"):
        rest_client.send(stack.url, person, text)
    log = (stack.var_dir / "servers.log").read_text(errors="replace")
    assert log and marker not in log


def test_what_passes_as_a_button_and_what_is_read_as_words():
    from bot.server.limits import as_words, button_payload

    topics = {"ask_levy", "ask_tobacco_licence"}
    for payload in ('/choose_number{"number": 2, "list": "a1b2c3d4"}', '/choose_number{"number": 0}', "/help",
                    '/help{"category":"business"}', "/check_eligibility", "/out_of_scope", "/ask_levy"):
        assert button_payload(payload, topics) and as_words(payload, topics) == payload
    for typed, words in (("/restart", "restart"), ("／restart", "restart"), (" \u200b/restart", "restart"),
                         ('/ask_levy{"a": 1}', 'ask_levy{"a": 1}'), ('/choose_number{"number": 1e9}', 'choose_number{"number": 1e9}'),
                         ("/ask_unknown", "ask_unknown"), ("//", ""), ("残保金/人", "残保金/人")):
        assert as_words(typed, topics) == words, typed


def test_the_rate_limit_is_a_bucket_per_sender():
    from bot.server.limits import RateLimit

    limit = RateLimit(per_second=1, burst=3)
    assert [limit.allow("a", now=0) for _ in range(4)] == [True, True, True, False]
    assert limit.allow("b", now=0)  # another sender has its own
    assert not limit.allow("a", now=0.5) and limit.allow("a", now=1.6)


def test_each_terminal_session_is_its_own_conversation(tmp_path, monkeypatch):
    """jiuye ask / voice: no shared "cli" sender; one per terminal, kept for its session."""
    import os

    from bot.doors import cli

    monkeypatch.setenv("JIUYE_VAR_DIR", str(tmp_path))
    first = cli.terminal_sender("cli")
    assert first.startswith("cli-") and first != "cli" and cli.terminal_sender("cli") == first
    assert cli.terminal_sender("voice") != first
    kept = next((tmp_path / "terminals").iterdir())
    assert kept.stat().st_mode & 0o777 == 0o600
    monkeypatch.setattr(os, "getppid", lambda: 999_999)  # another terminal
    assert cli.terminal_sender("cli") != first
