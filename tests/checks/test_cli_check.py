"""`jiuye check levy`: text with reasons, JSON for machines, polite errors."""
import json

import pytest

from bot.doors import cli


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
    with pytest.raises(SystemExit) as stop:
        cli.main(["check", "levy", "--staff", "两百x", "--wage", "80000"])
    assert stop.value.code == 2 and "数字" in capsys.readouterr().err


def test_every_check_has_a_check_command(capsys):
    from jiuye.checks.registry import RULES

    for name in RULES:
        code = cli.main(["check", name, "--json"])  # nothing known yet
        captured = capsys.readouterr()
        if name in ("tax", "levy"):  # staff numbers are needed to say anything
            assert code == 2 and "在职职工人数" in captured.err
        else:
            assert code == 0, captured.err
            assert json.loads(captured.out)["verdict"] == "needs_local_check"


def test_yes_no_unknown_answers(capsys):
    code = cli.main(["check", "tobacco", "--has-certificate", "是", "--runs-in-person", "否",
                     "--near-school", "不知道", "--json"])
    data = json.loads(capsys.readouterr().out)
    statuses = {c["id"]: c["status"] for c in data["criteria"]}
    assert code == 0
    # running it in person is local practice: someone else running the shop is a thing to ask, not a refusal
    assert statuses == {"certificate": "pass", "in_person": "info", "business_licence": "unknown",
                        "school": "unknown", "local_rules": "unknown"}
    assert data["verdict"] == "needs_local_check"
    code = cli.main(["check", "tobacco", "--has-certificate", "是", "--runs-in-person", "是",
                     "--has-business-licence", "否", "--near-school", "否", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert data["verdict"] != "not_eligible" and "暂时办不了" not in data["summary"]
    assert {c["id"]: c["status"] for c in data["criteria"]}["business_licence"] == "info"
    code = cli.main(["check", "tobacco", "--has-certificate", "是", "--runs-in-person", "是",
                     "--has-business-licence", "是", "--near-school", "是", "--json"])
    assert json.loads(capsys.readouterr().out)["verdict"] == "not_eligible"  # near a school: the rule holds


def test_tax_text(capsys):
    code = cli.main(["check", "tax", "--staff", "40", "--disabled", "10", "--monthly-min-wage", "2000",
                     "--contracts-ok", "是", "--insurance-ok", "是", "--wage-ok", "是"])
    out = capsys.readouterr().out
    assert code == 0 and "每月最多退80,000元" in out and "财税〔2016〕52号" in out


@pytest.mark.parametrize("args, says", [
    (["quota_member", "--certificate", "残疾军人证", "--level", "三级"], "符合：持有残疾军人证。"),
    (["loan", "--applicant", "我自己", "--amount", "30w"], "符合：想贷300,000元"),
    (["loan", "--applicant", "individual", "--amount", "二十万"], "符合：想贷200,000元"),
    (["tobacco", "--has-certificate", "有的"], "符合：有残疾人证"),
    (["lottery", "--clean-record", "没有", "--age", "四十五岁"], "符合：近5年没有犯罪记录和不良信用。"),
])
def test_options_are_read_as_the_bot_reads_answers(capsys, args, says):
    assert cli.main(["check", *args]) == 0
    assert says in capsys.readouterr().out


@pytest.mark.parametrize("args, says", [
    (["quota_member", "--certificate", "否"], "证"),
    (["tax", "--staff", "200.5"], "整数"),
    (["tax", "--staff", "两三百"], "范围"),
    (["tobacco", "--has-certificate", "嗯？什么意思"], "残疾人证"),
])
def test_options_that_cannot_be_read_are_refused_with_a_reason(capsys, args, says):
    with pytest.raises(SystemExit) as stop:
        cli.main(["check", *args])
    assert stop.value.code == 2 and says in capsys.readouterr().err


def test_the_levy_refuses_a_wage_no_one_is_paid(capsys):
    with pytest.raises(SystemExit) as stop:
        cli.main(["check", "levy", "--staff", "200", "--wage", "0"])
    assert stop.value.code == 2 and "1000" in capsys.readouterr().err


def test_the_levy_reads_its_options_as_the_bot_reads_answers(capsys):
    """One check among the others: 两百 people, 8万5 a year, a monthly wage, 一、二级 staff."""
    code = cli.main(["check", "levy", "--staff", "两百", "--disabled", "0", "--severe", "1", "--wage", "8万",
                     "--local-wage", "6万", "--province", "湖南省", "--date", "2025-06-01", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["amounts"]["levy"] == "40000.00"
    code = cli.main(["check", "levy", "--staff", "200", "--disabled", "1", "--wage", "每月6000",
                     "--province", "湖南", "--date", "2025-06-01", "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0 and data["amounts"]["before_reduction"] == "144000.00"  # 2 × 72,000
    code = cli.main(["check", "levy", "--staff", "200", "--enterprise", "否", "--wage", "8万", "--json"])
    assert code == 0 and json.loads(capsys.readouterr().out)["verdict"] != "not_eligible"
