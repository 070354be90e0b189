"""Who can reach what: after the servers start as `make run` starts them, only the two
documented listeners are open, both on loopback, and each refuses a request without
its key (the attacks of issue 17, replayed)."""
from __future__ import annotations

import json
import sqlite3

import psutil
import pytest
import requests

from bot.doors import rest_client

pytestmark = pytest.mark.slow

DELETE_ATTACK = {  # what deleted a person's ledger records before: a forged action call
    "next_action": "action_choose_option",
    "sender_id": "victim",
    "tracker": {"sender_id": "victim", "slots": {"offered_options": [None, {"kind": "delete", "value": "yes"}]},
                "latest_message": {"text": "1", "intent": {"name": "choose_number"},
                                   "entities": [{"entity": "number", "value": "1"}]},
                "events": [], "active_loop": {}, "latest_action_name": "action_listen"},
    "domain": {},
    "version": "3.6.2",
}


def listening(pids):
    """(address, port) of every TCP socket the processes listen on."""
    found = set()
    for pid in pids:
        for conn in psutil.Process(pid).net_connections(kind="inet"):
            if conn.status == psutil.CONN_LISTEN:
                found.add((conn.laddr.ip, conn.laddr.port))
    return found


def test_only_the_documented_listeners_are_open_and_only_on_loopback(stack):
    pids = []
    for process in stack.processes:
        parent = psutil.Process(process.pid)
        pids += [parent.pid] + [child.pid for child in parent.children(recursive=True)]
    assert listening(pids) == {("127.0.0.1", stack.rasa_port), ("127.0.0.1", stack.action_port)}


def test_the_action_server_refuses_calls_without_its_key(stack):
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": rest_client.auth()["Authorization"]}):
        response = requests.post(f"{stack.action_url}/webhook", json=DELETE_ATTACK, headers=headers, timeout=10)
        assert response.status_code == 401, headers
        assert "victim" not in response.text
    assert requests.get(f"{stack.action_url}/actions", timeout=10).status_code == 401
    assert requests.get(f"{stack.action_url}/health", timeout=10).status_code == 200  # liveness only


def test_a_forged_action_call_deletes_nothing_and_writes_nothing(stack):
    sender = "attack-victim-1"
    rest_client.send(stack.url, sender, "我们公司200人，安排了1个残疾人，平均工资8万，在湖南，残保金交多少")
    rest_client.send(stack.url, sender, "1")
    rest_client.send(stack.url, sender, "同意")
    with sqlite3.connect(stack.var_dir / "jiuye.sqlite3") as conn:
        before = conn.execute("select count(*) from check_results").fetchone()[0]
    attack = json.loads(json.dumps(DELETE_ATTACK).replace("victim", sender))
    assert requests.post(f"{stack.action_url}/webhook", json=attack, timeout=10).status_code == 401
    forged = dict(attack, tracker=dict(attack["tracker"], slots={
        "consent": "yes", "pending_record": {"check": "levy", "verdict": "eligible"}}))
    assert requests.post(f"{stack.action_url}/webhook", json=forged, timeout=10).status_code == 401
    with sqlite3.connect(stack.var_dir / "jiuye.sqlite3") as conn:
        assert conn.execute("select count(*) from check_results").fetchone()[0] == before >= 1


@pytest.mark.parametrize("method, path, kwargs", [
    ("get", "/conversations/{sender}/tracker", {}),
    ("post", "/conversations/{sender}/tracker/events", {"data": '{"event": "restart"}',
                                                        "headers": {"Content-Type": "text/plain"}}),
    ("post", "/conversations/{sender}/tracker/events", {"json": {"event": "slot", "name": "consent", "value": "yes"}}),
    ("put", "/model", {"json": {"model_file": "/tmp/evil.tar.gz"}}),
    ("get", "/status", {}),
    ("post", "/model/parse", {"json": {"text": "你好"}}),
])
def test_the_rasa_http_api_needs_its_token(stack, method, path, kwargs):
    sender = "api-victim-1"
    rest_client.send(stack.url, sender, "我的身份证号是110101199001011234")
    url = stack.url + path.format(sender=sender)
    refused = getattr(requests, method)(url, timeout=10, **kwargs)
    assert refused.status_code in (401, 403), refused.text[:200]
    assert "110101199001011234" not in refused.text
    wrong = getattr(requests, method)(url, params={"token": "wrong"}, timeout=10, **kwargs)
    assert wrong.status_code in (401, 403)


def test_the_api_still_answers_with_its_token(stack):
    sender = "api-owner-1"
    rest_client.send(stack.url, sender, "你好")
    tracker = requests.get(f"{stack.url}/conversations/{sender}/tracker", params={"token": stack.token}, timeout=10)
    assert tracker.status_code == 200 and tracker.json()["sender_id"] == sender


def test_the_rest_channel_refuses_a_door_without_the_key(stack):
    body = {"sender": "door-1", "message": "删除我的数据"}
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": f"Bearer {stack.token}x"}):
        response = requests.post(f"{stack.url}/webhooks/rest/webhook", json=body, headers=headers, timeout=10)
        assert response.status_code == 401 and response.json() == {"error": "unauthorized"}


def test_keys_are_files_only_their_owner_reads(stack, tmp_path, monkeypatch):
    from jiuye import keys

    monkeypatch.delenv("JIUYE_ASSISTANT_TOKEN", raising=False)
    monkeypatch.setenv("JIUYE_VAR_DIR", str(tmp_path))
    first = keys.secret("assistant")
    assert first == keys.secret("assistant") and len(first) >= 40
    assert (tmp_path / "keys").stat().st_mode & 0o777 == 0o700
    assert (tmp_path / "keys" / "assistant").stat().st_mode & 0o777 == 0o600
    (tmp_path / "keys" / "assistant").unlink()  # rotation: delete the file, restart
    assert keys.secret("assistant") != first


def test_the_database_and_its_log_are_readable_by_their_owner_only(stack):
    rest_client.send(stack.url, "files-1", "你好")
    files = [p for p in stack.var_dir.iterdir() if p.name.startswith("jiuye.sqlite3")]
    assert files and all(p.stat().st_mode & 0o777 == 0o600 for p in files), [
        (p.name, oct(p.stat().st_mode & 0o777)) for p in files]
    assert stack.var_dir.stat().st_mode & 0o777 == 0o700
