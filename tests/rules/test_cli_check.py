"""`jiuye check levy`: text with reasons, JSON for machines, polite errors."""
import json

from bot import cli


def test_levy_text(capsys):
    code = cli.main(["check", "levy", "--staff", "200", "--disabled", "1", "--wage", "80000",
                     "--province", "湖南", "--local-wage", "60000", "--date", "2025-06-01"])
    out = capsys.readouterr().out
    assert code == 0
    assert out.startswith("需要缴纳残保金144,000元。")
    assert "1. 应安排人数：在职职工200人 × 比例1.5% = 3人" in out
    assert "依据：财税〔2015〕72号 第八条" in out


def test_levy_json(capsys):
    code = cli.main(["check", "levy", "--staff", "200", "--disabled", "1", "--wage", "80000",
                     "--province", "湖南", "--date", "2025-06-01", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert data["amounts"]["levy"] == "144000.00"
    assert data["verdict"] == "needs_local_check"
    assert {c["id"]: c["status"] for c in data["criteria"]}["wage_cap"] == "unknown"


def test_levy_bad_input(capsys):
    assert cli.main(["check", "levy", "--staff", "两百x", "--wage", "80000"]) == 2
    assert "数字" in capsys.readouterr().err
