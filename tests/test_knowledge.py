"""The knowledge base is complete, consistent with the Rasa files, and sourced."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from jiuye import knowledge
from tests import nlu_files

ROOT = Path(__file__).resolve().parent.parent
SEED_DIR = ROOT.parent / "shared" / "seed"
KB = knowledge.load()
TOPICS = list(KB.topics.values())
COMMAND_INTENTS = {
    "greet", "goodbye", "thanks", "help", "repeat", "more_detail", "less_detail", "ask_source",
    "human_handoff", "choose_number", "out_of_scope", "speak_slower", "speak_faster",
    "speak_normal", "delete_my_data", "check_eligibility", "cancel", "why", "restart_calculation",
    "affirm", "deny",
}
# Intents set by rules (InputGuard, FallbackClassifier), never learned from examples.
RULE_INTENTS = {"empty_message", "nlu_fallback", "calculate_levy", "correct", "ask_clause", "ask_follow_up"}  # set by InputGuard, not DIET
TRAIN = nlu_files.read(ROOT / "data" / "nlu")
TEST = nlu_files.read(ROOT / "tests" / "nlu")


def _domain_intents():
    intents = []
    for path in sorted((ROOT / "domain").glob("*.yml")):
        intents += (yaml.safe_load(path.read_text("utf-8")) or {}).get("intents", [])
    return intents


def test_at_least_45_topics():
    assert len(TOPICS) >= 45


@pytest.mark.parametrize(
    "topic_id",
    ["tobacco_licence", "lottery_agency", "guarantee_loan", "incubation_base", "platform_fees",
     "market_stalls", "railway_shops", "employment_brands", "domestic_service",
     "auxiliary_employment", "graduates", "rural", "blind_massage", "medical_massage_exam",
     "job_coach", "vocational_assessment", "training_subsidy", "skills_competition", "hukou",
     "dibao_taper", "employment_assistance", "levy", "quota_counting", "public_sector_hiring",
     "employer_tax", "certificate", "hotline", "quota_ratio", "levy_reduction"],
)
def test_required_topics_exist(topic_id):
    assert topic_id in KB.topics


def test_every_plan_section_has_a_topic():
    covered = {s.section for t in TOPICS for s in t.sources if s.doc == knowledge.PLAN_DOCUMENT}
    missing = set(KB.plan_sections) - covered
    assert not missing, f"plan sections without a topic: {sorted(missing)}"


def test_plan_sections_match_the_plan_in_the_project():
    """The knowledge base's section headings are those of the plan's text in data/sources/."""
    from jiuye import sources

    headings = {c.section: c.section_title for c in sources.default().values() if c.in_plan}
    for section, heading in KB.plan_sections.items():
        assert headings.get(section, "").startswith(heading) or heading.startswith(headings.get(section, "-")), \
            f"{section} {heading} is not the plan's heading {headings.get(section)!r}"


def test_the_plan_in_the_project_is_the_seed_text_where_that_is_beside_the_checkout():
    seeds = list(SEED_DIR.glob("*.txt"))
    if not seeds:
        pytest.skip("shared/seed is not beside this checkout")
    from jiuye import sources

    text = "".join("".join(p.read_text("utf-8").split()) for p in seeds)
    assert all(c.text in text for c in sources.default().values() if c.in_plan)


@pytest.mark.parametrize("topic", TOPICS, ids=lambda t: t.id)
def test_topic_is_complete(topic):
    assert topic.title and len(topic.title) <= 12
    assert topic.short and len(topic.short) <= knowledge.SHORT_LIMIT, len(topic.short)
    assert topic.full and len(topic.full) >= len(topic.short)
    assert topic.departments and all(topic.departments)
    assert topic.next_steps and all(topic.next_steps)
    assert topic.sources
    assert 2 <= len(topic.key_facts) <= 4
    for fact in topic.key_facts:
        assert fact in topic.short, f"key fact {fact!r} not in the short answer"
    assert KB.category(topic.category), f"unknown category {topic.category}"


@pytest.mark.parametrize("topic", TOPICS, ids=lambda t: t.id)
def test_citations_name_real_sections(topic):
    for source in topic.sources:
        assert source.doc in KB.documents, f"unknown document {source.doc}"
        if source.doc == knowledge.PLAN_DOCUMENT:
            assert source.section in KB.plan_sections, f"no section {source.section} in the plan"


@pytest.mark.parametrize("topic", TOPICS, ids=lambda t: t.id)
def test_render_carries_citation_and_facts(topic):
    short = knowledge.render(topic)
    full = knowledge.render(topic, detailed=True)
    assert topic.citation in short and topic.citation in full
    assert all(f in short for f in topic.key_facts)
    assert all(step in full for step in topic.next_steps)
    assert "详细" in short and knowledge.DETAIL_HINT not in full


def test_menu_categories_are_short_enough_to_read_aloud():
    assert 3 <= len(KB.categories) <= 9
    for category in KB.categories:
        assert 1 <= len(category.topics) <= 15, category.id


def test_rasa_topic_files_are_in_sync():
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "sync_rasa_files.py"), "--check"],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout


def test_every_intent_has_an_answer():
    """Every domain intent is the first step of some rule that answers it."""
    answered = set()
    for path in (ROOT / "data" / "rules").glob("*.yml"):
        for rule in yaml.safe_load(path.read_text("utf-8"))["rules"]:
            first = rule["steps"][0]
            options = first["or"] if "or" in first else [first]
            answered |= {o["intent"] for o in options if "intent" in o}
    intents = set(_domain_intents())
    assert intents == {t.intent for t in TOPICS} | COMMAND_INTENTS | RULE_INTENTS
    assert intents - answered == set()


@pytest.mark.parametrize("intent", sorted({t.intent for t in TOPICS} | COMMAND_INTENTS))
def test_training_and_test_examples(intent):
    assert len(TRAIN.get(intent, [])) >= 20, "at least 20 training examples"
    assert len(TEST.get(intent, [])) >= 5, "at least 5 unseen test examples"


def test_test_set_is_separate_from_training_data():
    seen = {nlu_files.key(e) for examples in TRAIN.values() for e in examples}
    leaked = [e for examples in TEST.values() for e in examples if nlu_files.key(e) in seen]
    assert not leaked, f"test examples also in training data: {leaked[:10]}"


def test_no_example_trains_two_intents():
    owner = {}
    clashes = []
    for intent, examples in TRAIN.items():
        for example in examples:
            k = nlu_files.key(example)
            if k in owner and owner[k] != intent:
                clashes.append((example, owner[k], intent))
            owner[k] = intent
    assert not clashes, clashes[:10]


def test_the_first_sentence_answers_the_kind_of_question_asked():
    topic = knowledge.Topic(
        id="x", title="创业担保贷款", category="business", sources=(knowledge.Source("国办发〔2025〕23号", "二（三）"),),
        short="可以申请。个人最多贷30万元。", full="可以申请。个人最多贷30万元，详情问当地。", departments=("人社",),
        next_steps=("问当地",), key_facts=("30万",),
        facets=(("how_much", "创业担保贷款个人最多贷30万元，小微企业最多400万元。"),
                ("who_decides", "创业担保贷款由当地人社部门和经办银行审核。")))
    much = knowledge.render(topic, kind="how_much").splitlines()
    assert much[0] == "创业担保贷款个人最多贷30万元，小微企业最多400万元。"
    assert much[1].startswith("依据：")  # the short answer's "个人最多贷30万元。" is in the facet: said once
    who = knowledge.render(topic, kind="who_decides")
    assert who.startswith("创业担保贷款由当地人社部门") and "可以申请。" not in who  # not "可以。" to "谁"
    assert knowledge.render(topic, kind="yes_no").startswith("可以申请。")  # a yes-or-no question: yes first
    # the opening yes echoes the question's own verb, or is not said
    assert knowledge.render(topic, kind="yes_no", question="残疾人能申请贷款吗").startswith("可以申请。")
    assert knowledge.render(topic, kind="yes_no", question="这个贷款合理吗？").startswith("个人最多贷30万元。")
    assert knowledge.render(topic, kind="yes_no", question="会不会要抵押").startswith("个人最多贷30万元。")


def test_an_opening_yes_answers_only_a_question_with_its_verb():
    hukou = knowledge.default().topics["hukou"]
    assert knowledge.render(hukou, kind="yes_no", question="户口不在这里能找工作吗").startswith("能。")
    said = knowledge.render(hukou, kind="yes_no", question="当地说外地户口的不算人数，这合理吗？")
    assert not said.startswith("能") and said.startswith("残疾人在常住地平等享受公共就业服务")
    # the employer asking may not require it: "能。" would say the opposite of the answer
    said = knowledge.render(hukou, kind="yes_no", question="事业单位招聘残疾人能要求本地户口吗")
    assert not said.startswith("能"), said
    tobacco = knowledge.default().topics["tobacco_licence"]
    assert knowledge.render(tobacco, kind="yes_no", question="残疾人能申请烟草证吗").startswith("可以。")
    said = knowledge.render(tobacco, kind="yes_no", question="烟草证离学校近能办吗")
    assert not said.startswith("可以") and "学校附近能不能开" in said, said


@pytest.mark.parametrize("topic", sorted(KB.topics), ids=str)
def test_the_detailed_answer_keeps_every_figure_of_the_short_one(topic):
    """"详细" after "最多能贷多少" must not lose the 30万 the short answer said."""
    import re

    short, full = KB.topics[topic].short, KB.topics[topic].full
    assert [n for n in re.findall(r"\d+(?:\.\d+)?", short) if n not in full] == []


@pytest.mark.parametrize("topic", sorted(KB.topics), ids=str)
def test_a_short_answer_tells_where_to_ask_once(topic):
    """"…，请问当地残联。" three times is long to hear: the last sentence says it."""
    said = knowledge.render(KB.topics[topic])
    assert said.count("问当地") <= 1, said


def test_a_word_of_the_question_only_the_full_answer_holds_brings_that_line():
    from jiuye.retrieval import content_words

    topic = KB.topics["quota_counting"]
    question = "劳务派遣来的残疾人算不算"
    text = knowledge.render(topic, question=question, words=content_words(question))
    assert "劳务派遣的残疾人算在派遣单位还是用工单位，各地规定不同" in text
    assert knowledge.full_line_for(topic, content_words("签了半年的合同，算不算"), topic.short) is None  # 签了: too short
    question = "哪些人能算进比例"
    assert "劳务派遣" not in knowledge.render(topic, question=question, words=content_words(question))
