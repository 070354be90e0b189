"""The sources inside the project (data/sources/) and the clause tier's retriever."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from jiuye import retrieval, sources

ROOT = Path(__file__).resolve().parent.parent
CLAUSES = sources.default()
PLAN_SECTIONS = ["一", "二（一）", "二（二）", "二（三）", "二（四）", "二（五）", "二（六）", "二（七）", "二（八）", "二（九）",
                 "二（十）", "三", "四"]


def test_every_section_of_the_plan_is_split_into_clauses_with_stable_ids():
    for section in PLAN_SECTIONS:
        clauses = sources.in_section(section)
        assert clauses, section
        assert [c.n for c in clauses] == list(range(1, len(clauses) + 1))
        assert all(c.id == f"{section}-{c.n}" and c.text.endswith("。") for c in clauses)
    assert sources.find("二（一）-1").citation() == "国办发〔2025〕23号 二（一）第1项"
    assert "中小学、幼儿园除外" in sources.find("二（一）-1").text


def test_every_clause_has_a_reviewed_plain_rendering_that_keeps_its_figures():
    for clause in CLAUSES.values():
        assert clause.plain and clause.terms, clause.id
        if clause.in_plan:
            for figure in re.findall(r"\d+", clause.text):
                assert figure in clause.plain, (clause.id, figure)


def test_a_clause_answer_says_the_plain_words_then_where_it_stands():
    said = sources.render(sources.find("二（一）-3"), original=True)
    lines = said.splitlines()
    assert lines[0] == sources.find("二（一）-3").plain
    assert lines[1].startswith("原文：“省级公务员主管部门")
    assert "依据：国办发〔2025〕23号 二（一）第3项（实施机关、事业单位带头安排残疾人就业行动）" in said
    assert "负责：人力资源社会保障部" in said


def test_nothing_cites_a_file_outside_the_repository():
    for path in list((ROOT / "data").rglob("*.yml")) + list((ROOT / "jiuye").rglob("*.py")):
        text = path.read_text("utf-8")
        assert "shared/policy" not in text and "facts.md" not in text, path


@pytest.mark.parametrize("question, clause", [
    ("中小学老师，学校要不要招残疾人", "二（一）-1"),
    ("公务员招残疾人的体检条件谁来定", "二（一）-3"),
    ("借残疾人的证挂靠，抵扣残保金，查不查", "二（十）-4"),
    ("村里的就业帮扶车间是怎么回事", "二（六）-3"),
    ("盲人医疗按摩人员每年考试吗", "二（七）-4"),
    ("殘疾人證掛靠", "二（十）-4"),  # traditional characters
])
def test_the_retriever_finds_the_clause_a_question_is_about(question, clause):
    hits = retrieval.search(question)
    assert hits and hits[0].clause.id == clause, [(h.clause.id, round(h.score, 1)) for h in hits]


@pytest.mark.parametrize("text, named, last", [
    ("盲人按摩的依据是什么", True, False), ("哪一条说的中小学除外", True, False), ("招聘体检的规定原文怎么说", True, False),
    ("这条在方案哪一部分", False, True), ("原文怎么说", False, True), ("这个依据是什么", False, True),
    ("烟草证怎么办", False, False), ("你好", False, False),
])
def test_a_request_for_the_text_names_its_subject_or_points_back(text, named, last):
    assert retrieval.asks_for_clause(text) is named
    assert retrieval.asks_for_source(text) is last


def test_a_plan_term_the_topics_answer_lacks_is_found():
    clause = sources.find("二（一）-1")
    assert "中小学" in retrieval.missing_terms("我是小学老师，中小学要招残疾人吗", clause, "机关事业单位要带头招残疾人。")
    assert retrieval.missing_terms("机关要招残疾人吗", clause, "机关事业单位要带头招残疾人。") == []


def test_a_term_typed_with_a_homophone_names_its_clause():
    from jiuye import retrieval, sources

    clause = sources.find("二（九）-3")
    assert "师带徒" in retrieval.missing_terms("我们厂想带残疾徒弟，师代徒有支持吗", clause, "国家支持技能大师工作室。")
    assert "师带徒" not in retrieval.missing_terms("我们厂想带残疾徒弟，师带徒有支持吗", clause, "师带徒有支持。")


def test_a_word_cut_apart_or_inside_a_word_counts_but_not_across_two_words():
    from jiuye import retrieval, sources

    # (said to the topic of the clause's own section: its words count)
    assert "年审" in retrieval.missing_terms("盲人医疗按摩的证书要年审吗？", sources.find("二（七）-4"), "考试按年度组织",
                                           by_name=False)
    assert "职称" in retrieval.missing_terms("盲人医疗按摩人员能评职称吗？", sources.find("二（七）-4"), "考试按年度组织",
                                           by_name=False)
    assert not retrieval.missing_terms("有关部门会上门走访企业挖掘残疾人岗位吗？", sources.find("二（一）-3"), "")


def test_every_clause_of_the_plan_has_questions_people_ask_in_their_own_words():
    for section in PLAN_SECTIONS:
        for clause in sources.in_section(section):
            assert len(clause.asked) >= 3, clause.id
            assert len(set(clause.asked)) == len(clause.asked), clause.id
            # in their own words: not the clause's text cut into a question
            assert not any(q.rstrip("？?") in clause.text for q in clause.asked), clause.id


@pytest.mark.parametrize("question, clause", [
    ("我们公司能不能借助辅助性就业机构来安排残疾人", "二（四）-5"),  # words only its asked questions use
    ("残疾人开网店能少交钱吗", "二（三）-2"),
])
def test_questions_people_ask_lead_to_their_clause(question, clause):
    hits = retrieval.search(question)
    assert hits and hits[0].clause.id == clause, [(h.clause.id, round(h.score, 1)) for h in hits]


def test_one_word_never_settles_a_clause_on_its_own():
    assert not retrieval.confident(retrieval.search("交钱"), "交钱")
    question = "残疾人开网店，平台能减免加盟费吗"
    assert retrieval.confident(retrieval.search(question), question)


@pytest.mark.parametrize("text, section", [
    ("辅助性就业这一项，方案写的负责部门有哪些", "二（四）"),
    ("残疾人劳动就业权益保障这一项由哪些部门负责", "二（十）"),
    ("企业助力残疾人就业这块涉及烟草，分别是哪些单位负责的", "二（二）"),
    ("企业助力残疾人就业行动的负责单位", "二（二）"),
    ("辅助性就业由谁来建", None),  # a measure's own words name a clause, not the section
])
def test_a_section_is_named_by_its_title_or_its_measure_pointed_at(text, section):
    assert sources.section_named(text) == section


@pytest.mark.parametrize("text, named", [
    ("核定残疾人人数依据哪个文件", True), ("这条依据哪个文件", False), ("这是哪份文件", False),
])
def test_a_question_names_something_of_its_own_or_points_back(text, named):
    assert retrieval.names_something(text) is named


def test_a_word_of_two_characters_brings_another_sections_clause_only_as_its_name():
    school = sources.find("二（九）-1")  # 特殊教育学校
    assert "学校" in school.text
    assert "学校" not in retrieval.missing_terms("烟草证离学校近能办吗", school, "烟草部门要提供便利")
    assert "挂靠" in retrieval.missing_terms("借证挂靠会怎么样", sources.find("二（十）-4"), "")


def test_a_number_a_clause_lists_names_it_only_as_a_whole_number():
    assert retrieval.named_clause("12345能打通吗") is not None
    assert retrieval.named_clause("123456789") is None


def test_a_question_none_of_whose_words_the_knowledge_holds_is_told_so():
    """No question about the plan (the four evaluation sets, the e2e questions) is taken for
    one the knowledge lacks; questions it does lack, whose words it never uses, are."""
    import yaml

    from tests import plan_eval

    questions = [q["question"] for path in plan_eval.SETS.values() for q in plan_eval.load(path)]
    questions += [q["text"] for q in yaml.safe_load((Path(__file__).parent / "e2e" / "questions.yml")
                                                    .read_text("utf-8"))["questions"]]
    assert len(questions) > 650
    assert [q for q in questions if retrieval.none_known(q)] == []
    assert retrieval.none_known("残疾人能考驾照吗") == ["考驾照"]
    assert retrieval.none_known("假肢能报销吗") == ["假肢", "报销"]
    assert retrieval.none_known("我们是一所公办小学，也要招残疾人吗") == []  # 小学 is in 中小学
    assert retrieval.none_known("嗯") == [] and retrieval.none_known("") == []
