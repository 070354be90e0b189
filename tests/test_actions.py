"""Action unit tests: the real actions with a real knowledge base and ledger."""
from __future__ import annotations

from typing import Any, Dict, List, Optional

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import dialogue, handoff, privacy, topics
from jiuye import knowledge, ledger, messages, sources

KB = knowledge.default()


def tracker(
    intent: str = "",
    text: str = "",
    slots: Optional[Dict[str, Any]] = None,
    events: Optional[List[Dict[str, Any]]] = None,
    entities: Optional[List[Dict[str, Any]]] = None,
    ranking: Optional[List[Dict[str, Any]]] = None,
    sender: str = "test-user",
) -> Tracker:
    latest = {
        "intent": {"name": intent, "confidence": 1.0},
        "entities": entities or [],
        "text": text,
        "intent_ranking": ranking or [],
    }
    events = list(events or []) + [{"event": "user", "text": text, "parse_data": latest}]
    return Tracker(sender, slots or {}, latest, events, False, None, {}, "action_listen")


def run(action, t: Tracker):
    dispatcher = CollectingDispatcher()
    events = action.run(dispatcher, t, {})
    return dispatcher.messages, {e["name"]: e["value"] for e in events if e["event"] == "slot"}


def test_answer_topic_short_with_citation():
    said, slots = run(topics.ActionAnswerTopic(), tracker("ask_tobacco_licence", "烟草证"))
    topic = KB.topics["tobacco_licence"]
    assert said[0]["text"] == knowledge.render(topic)
    assert "国办发〔2025〕23号 二（二）" in said[0]["text"]
    assert slots["last_topic"] == "tobacco_licence"


def test_answer_topic_full_when_detail_is_on():
    said, _ = run(
        topics.ActionAnswerTopic(),
        tracker("ask_guarantee_loan", slots={"detail_level": "full"}),
    )
    assert said[0]["text"] == knowledge.render(KB.topics["guarantee_loan"], detailed=True)
    assert "怎么办" in said[0]["text"]


def test_unknown_intent_gets_out_of_scope():
    said, _ = run(topics.ActionAnswerTopic(), tracker("ask_nothing_like_this"))
    assert said[0]["text"] == messages.OUT_OF_SCOPE


def test_menu_lists_categories_with_numbers_and_buttons():
    said, slots = run(topics.ActionShowMenu(), tracker("help", "菜单"))
    text, buttons = said[0]["text"], said[0]["buttons"]
    for number, category in enumerate(KB.categories, 1):
        assert f"{number}. {category.title}" in text
        assert buttons[number - 1]["title"] == f"{number} {category.title}"
    assert slots["offered_options"][1] == {"kind": "category", "value": KB.categories[0].id}


def test_category_menu_then_number_answers_that_topic():
    category = KB.category("business")
    said, slots = run(
        topics.ActionShowMenu(),
        tracker("help", entities=[{"entity": "category", "value": "business"}]),
    )
    assert said[0]["buttons"][0]["payload"] == f"/ask_{category.topics[0]}"
    assert said[0]["buttons"][-1]["title"].startswith("0 ")
    options = slots["offered_options"]
    said, slots = run(
        dialogue.ActionChooseOption(),
        tracker(
            "choose_number", "二",
            slots={"offered_options": options},
            entities=[{"entity": "number", "value": 2}],
        ),
    )
    second = KB.topics[category.topics[1]]
    assert said[0]["text"] == knowledge.render(second)
    assert slots["last_topic"] == second.id


def test_number_zero_in_a_category_goes_back_to_the_menu():
    _, slots = run(topics.ActionShowMenu(), tracker("help", entities=[{"entity": "category", "value": "job"}]))
    said, _ = run(
        dialogue.ActionChooseOption(),
        tracker("choose_number", "0", slots=slots, entities=[{"entity": "number", "value": 0}]),
    )
    assert said[0]["text"].startswith(messages.MENU_INTRO)


@pytest.mark.parametrize("number", [9, -1, None])
def test_number_out_of_range_is_explained(number):
    _, slots = run(topics.ActionShowMenu(), tracker("help"))
    entities = [] if number is None else [{"entity": "number", "value": number}]
    said, new_slots = run(
        dialogue.ActionChooseOption(), tracker("choose_number", slots=slots, entities=entities)
    )
    assert said[0]["text"] == messages.BAD_OPTION.format(low=1, high=len(KB.categories) + 1)  # + the checks
    assert new_slots == {}


def test_number_without_a_list():
    said, _ = run(
        dialogue.ActionChooseOption(),
        tracker("choose_number", "3", entities=[{"entity": "number", "value": 3}]),
    )
    assert said[0]["text"] == messages.NO_OPTIONS


def test_clarify_offers_likeliest_topics_then_out_of_scope():
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.45},
        {"name": "ask_levy", "confidence": 0.30},
        {"name": "greet", "confidence": 0.2},
        {"name": "ask_levy_reduction", "confidence": 0.25},
        {"name": "ask_quota_ratio", "confidence": 0.10},
        {"name": "ask_certificate", "confidence": 0.01},
    ]
    said, slots = run(topics.ActionClarify(), tracker("nlu_fallback", "交钱", ranking=ranking))
    text = said[0]["text"]
    assert text.startswith(messages.CLARIFY)
    assert "1. " + KB.topics["levy"].title in text
    assert "2. " + KB.topics["levy_reduction"].title in text
    assert "3. " + KB.topics["quota_ratio"].title in text
    assert KB.topics["certificate"].title not in text
    assert "0. 都不是" in text
    assert slots["clarifying"] is True
    assert slots["offered_options"][0] == {"kind": "none"}
    # A second miss in a row: say what the bot can do instead of asking again.
    said, slots = run(topics.ActionClarify(), tracker("nlu_fallback", "嗯", slots=slots, ranking=ranking))
    assert said[0]["text"] == messages.OUT_OF_SCOPE
    assert slots["clarifying"] is False


def test_clarify_without_candidates_is_out_of_scope():
    said, _ = run(topics.ActionClarify(), tracker("nlu_fallback", "xyz", ranking=[{"name": "greet", "confidence": 0.9}]))
    assert said[0]["text"] == messages.OUT_OF_SCOPE


def _bot(text, buttons=None):
    return {"event": "bot", "text": text, "data": {"buttons": buttons or []}}


def test_repeat_says_the_last_turn_again_with_buttons():
    history = [
        {"event": "user", "text": "你好"},
        _bot("first answer"),
        {"event": "user", "text": "菜单"},
        _bot("menu", [{"title": "1 x", "payload": "/help"}]),
        _bot("second part"),
        {"event": "action", "name": "action_listen"},
    ]
    said, _ = run(topics.ActionRepeat(), tracker("repeat", "再说一遍", events=history))
    assert [m["text"] for m in said] == ["menu", "second part"]
    assert said[0]["buttons"] == [{"title": "1 x", "payload": "/help"}]


def test_repeat_with_nothing_said_yet():
    said, _ = run(topics.ActionRepeat(), tracker("repeat", "再说一遍"))
    assert said[0]["text"] == messages.NOTHING_TO_REPEAT


def test_detail_switches_and_rerenders_last_topic():
    said, slots = run(
        topics.ActionSetDetail(), tracker("more_detail", slots={"last_topic": "dibao_taper"})
    )
    assert said[0]["text"] == knowledge.render(KB.topics["dibao_taper"], detailed=True)
    assert slots["detail_level"] == "full"
    said, slots = run(
        topics.ActionSetDetail(), tracker("less_detail", slots={"last_topic": "dibao_taper"})
    )
    assert said[0]["text"] == knowledge.render(KB.topics["dibao_taper"])
    assert slots["detail_level"] == "short"
    said, _ = run(topics.ActionSetDetail(), tracker("more_detail"))
    assert said[0]["text"] == messages.DETAIL_ON


def test_source_names_document_and_section_title():
    said, _ = run(topics.ActionCiteSource(), tracker("ask_source", slots={"last_topic": "tobacco_licence"}))
    text = said[0]["text"]
    assert "国办发〔2025〕23号" in text
    assert "二（二）“实施企业助力残疾人就业行动”" in text
    said, _ = run(topics.ActionCiteSource(), tracker("ask_source"))
    assert said[0]["text"] == messages.NO_TOPIC_YET


def test_handoff_gives_numbers_and_records_the_request():
    said, _ = run(
        handoff.ActionHandoff(),
        tracker("human_handoff", slots={"last_topic": "levy"}, sender="telegram-42"),
    )
    assert "12385" in said[0]["text"] and messages.HANDOFF_RECORDED in said[0]["text"]
    with ledger.engine().connect() as conn:
        rows = conn.exec_driver_sql("select person_id, topic from handoff_requests").all()
    assert rows == [(None, "levy")]  # no consent asked yet: counted, not linked to the person


def test_handoff_is_linked_to_a_person_who_consented():
    ledger.set_consent("telegram-43", True)
    run(handoff.ActionHandoff(), tracker("human_handoff", sender="telegram-43"))
    assert ledger.count_handoffs("telegram-43") == 1
    with ledger.engine().connect() as conn:
        keys = [row[0] for row in conn.exec_driver_sql("select key from persons")]
    assert keys == [ledger.pseudonym("telegram-43")] and "telegram-43" not in keys[0]


def test_handoff_still_answers_when_the_database_is_down(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql://nobody@127.0.0.1:1/none")
    ledger.engine.cache_clear()
    said, _ = run(handoff.ActionHandoff(), tracker("human_handoff"))
    assert "12385" in said[0]["text"] and messages.HANDOFF_RECORDED not in said[0]["text"]


@pytest.mark.parametrize(
    "intent, rate", [("speak_slower", "slow"), ("speak_faster", "fast"), ("speak_normal", "normal")]
)
def test_speed_sets_rate_and_repeats(intent, rate):
    history = [{"event": "user", "text": "烟草证"}, _bot("answer")]
    said, slots = run(topics.ActionSetSpeed(), tracker(intent, events=history))
    assert slots["speech_rate"] == rate
    assert [m["text"] for m in said] == [messages.SPEED[rate], "answer"]


def test_delete_my_data_asks_then_deletes_on_one():
    ledger.set_consent("wechat-7", True)
    ledger.record_handoff("wechat-7", "levy")
    said, slots = run(privacy.ActionDeleteMyData(), tracker("delete_my_data", "删除我的数据", sender="wechat-7"))
    assert said[0]["text"].startswith(messages.DELETE_CONFIRM)
    assert "1. 确定删除" in said[0]["text"] and "0. 取消" in said[0]["text"]
    said, _ = run(
        dialogue.ActionChooseOption(),
        tracker("choose_number", "1", slots=slots, entities=[{"entity": "number", "value": 1}], sender="wechat-7"),
    )
    assert said[0]["text"] == messages.DELETED.format(rows=2)
    assert ledger.consent("wechat-7") is None and ledger.count_handoffs("wechat-7") == 0


def test_delete_my_data_cancelled_on_zero():
    ledger.set_consent("wechat-8", True)
    _, slots = run(privacy.ActionDeleteMyData(), tracker("delete_my_data", sender="wechat-8"))
    said, _ = run(
        dialogue.ActionChooseOption(),
        tracker("choose_number", "0", slots=slots, entities=[{"entity": "number", "value": 0}], sender="wechat-8"),
    )
    assert said[0]["text"] == messages.DELETE_CANCELLED
    assert ledger.consent("wechat-8") is True


def test_delete_when_nothing_is_stored():
    _, slots = run(privacy.ActionDeleteMyData(), tracker("delete_my_data", sender="nobody"))
    said, _ = run(
        dialogue.ActionChooseOption(),
        tracker("choose_number", "1", slots=slots, entities=[{"entity": "number", "value": 1}], sender="nobody"),
    )
    assert said[0]["text"] == messages.NOTHING_TO_DELETE


def test_the_action_server_module_serves_every_custom_action_of_the_domain():
    import subprocess
    import sys
    from pathlib import Path

    import yaml
    from rasa_sdk.executor import ActionExecutor

    executor = ActionExecutor()
    executor.register_package("actions")
    wanted = set()
    for path in (Path(__file__).resolve().parent.parent / "domain").glob("*.yml"):
        wanted |= {a for a in (yaml.safe_load(open(path, encoding="utf-8")) or {}).get("actions", [])
                   if a.startswith(("action_", "validate_"))}
    assert wanted and wanted <= set(executor.actions), wanted - set(executor.actions)
    # and without Rasa or TensorFlow, which only the NLU components need
    probe = "import sys, actions; print('rasa' in sys.modules, 'tensorflow' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True).stdout.split() == \
        ["False", "False"]


def test_every_option_kind_offered_has_its_handler():
    import re
    from pathlib import Path

    kinds = set()
    for path in (Path(__file__).resolve().parent.parent / "actions").glob("*.py"):
        kinds |= set(re.findall(r'Option\("([a-z_]+)"', path.read_text("utf-8")))
    assert {"topic", "category", "menu", "none", "checks", "check", "consent", "delete"} <= kinds
    assert kinds <= set(dialogue._HANDLERS), kinds - set(dialogue._HANDLERS)


def test_an_option_kind_has_one_handler_and_an_option_survives_the_slot():
    with pytest.raises(ValueError):
        dialogue.on_option("topic")(lambda dispatcher, tracker, option: [])
    option = dialogue.Option("check", "go", means=True)
    assert dialogue.Option.from_slot(option.to_slot()) == option
    assert dialogue.Option.from_slot("topic:levy") is None and dialogue.Option.from_slot(None) is None


def press(slots, number, list_id, events=None, sender="test-user"):
    entities = [{"entity": "number", "value": number}, {"entity": "list", "value": list_id}]
    return run(dialogue.ActionChooseOption(),
               tracker("choose_number", f'/choose_number{{"number": {number}, "list": "{list_id}"}}', slots=slots,
                       entities=entities, events=events, sender=sender))


def test_a_numbered_lists_buttons_carry_its_id():
    said, slots = run(privacy.ActionDeleteMyData(), tracker("delete_my_data", "删除我的数据"))
    list_id = slots["offered_list"]
    assert list_id and all(f'"list": "{list_id}"' in b["payload"] for b in said[0]["buttons"])


def test_a_button_of_a_list_no_longer_open_is_expired_and_the_open_list_said_again():
    _, menu = run(topics.ActionShowMenu(), tracker("help", "菜单"))
    said, delete = run(privacy.ActionDeleteMyData(), tracker("delete_my_data", sender="stale-1"))
    history = [{"event": "bot", "text": said[0]["text"], "data": {"buttons": said[0]["buttons"]}}]
    said, slots = press({**menu, **delete}, 1, menu["offered_list"], events=history, sender="stale-1")
    assert said[0]["text"] == messages.EXPIRED and said[1]["text"] == messages.DELETE_CONFIRM + "\n1. 确定删除\n0. 取消"
    assert slots == {}  # nothing chosen, nothing deleted


def test_a_second_press_of_the_same_button_is_ignored():
    ledger.set_consent("twice", True)
    ledger.record_handoff("twice", "levy")
    _, delete = run(privacy.ActionDeleteMyData(), tracker("delete_my_data", sender="twice"))
    said, after = press(delete, 1, delete["offered_list"], sender="twice")
    assert said[0]["text"].startswith("已经删除了") and after["last_choice"] == f"{delete['offered_list']}:1"
    said, again = press({**delete, **after}, 1, delete["offered_list"], sender="twice")
    assert said == [] and again == {}


def test_cancel_closes_an_open_list():
    _, delete = run(privacy.ActionDeleteMyData(), tracker("delete_my_data"))
    from actions import checks as check_forms

    said, slots = run(check_forms.ActionCancelCheck(), tracker("cancel", "取消", slots=delete))
    assert said[0]["text"] == messages.NOTHING_TO_CANCEL and slots["offered_options"] is None


# ---- follow-ups, who carries a section out, the clause beside a topic --------------
@pytest.mark.parametrize("text, facet", [("去哪里申请", "where"), ("要带什么材料", "documents"),
                                         ("谁能申请", "who_may"), ("要多久", "when")])
def test_a_follow_up_gets_that_facet_of_the_topic_just_answered(text, facet):
    said, _ = run(topics.ActionAnswerFollowUp(), tracker("ask_follow_up", text, slots={"last_topic": "guarantee_loan"}))
    loan = KB.topics["guarantee_loan"]
    assert said[0]["text"].startswith(loan.facet(facet)) and "依据：国办发〔2025〕23号 二（三）" in said[0]["text"]


def test_a_follow_up_the_topic_has_nothing_for_says_so_instead_of_repeating_the_answer():
    assert KB.topics["public_sector_hiring"].facet("documents") is None
    said, _ = run(topics.ActionAnswerFollowUp(),
                  tracker("ask_follow_up", "要什么材料", slots={"last_topic": "public_sector_hiring"}))
    text = said[0]["text"]
    assert text.startswith("机关事业单位带头招：要带哪些材料，方案和我查到的规定里没有说") and "12385" in text
    assert KB.topics["public_sector_hiring"].short not in text


def test_a_follow_up_after_a_clause_says_who_carries_it_out_and_with_nothing_before_asks():
    said, _ = run(topics.ActionAnswerFollowUp(), tracker("ask_follow_up", "谁负责", slots={"last_clause": "二（四）-2"}))
    assert "地市级残联" in said[0]["text"] and "负责：" in said[0]["text"]
    said, _ = run(topics.ActionAnswerFollowUp(), tracker("ask_follow_up", "去哪里申请"))
    assert said[0]["text"] == messages.FOLLOW_UP_WHICH


def test_who_carries_out_a_section_named_as_an_action():
    said, slots = run(topics.ActionAnswerTopic(), tracker(
        "ask_employer_responsibility", "企业助力残疾人就业行动的负责单位包不包括税务总局？"))
    assert said[0]["text"].startswith("包括税务总局。") and "国务院国资委" in said[0]["text"]
    assert "依据：国办发〔2025〕23号 二（二）" in said[0]["text"] and slots["last_clause"].startswith("二（二）")
    said, _ = run(topics.ActionAnswerTopic(), tracker(
        "ask_railway_shops", "企业助力残疾人就业行动的负责单位包不包括国铁集团？"))
    assert not said[0]["text"].startswith("包括")  # not said "no" either: the list names 中国国家铁路集团有限公司
    said, _ = run(topics.ActionAnswerTopic(), tracker("ask_auxiliary_institution", "辅助性就业机构的目录由谁来建？"))
    assert "按职责分工负责" not in said[0]["text"].splitlines()[0]  # a measure, not the section: the topic answers


def test_a_measure_the_short_answer_lacks_comes_after_it_with_its_clause():
    said, slots = run(topics.ActionAnswerTopic(), tracker(
        "ask_public_sector_hiring", "面向残疾人的专门岗位报名人数达不到开考比例，还能开考吗？"))
    assert said[0]["text"] == knowledge.render(KB.topics["public_sector_hiring"], kind="yes_no") or said[0]["text"]
    assert said[-1]["text"].startswith("您问到的这一条：") and "开考比例" in said[-1]["text"]
    said, _ = run(topics.ActionAnswerTopic(), tracker("ask_tobacco_licence", "烟草证怎么办"))
    assert not any(m["text"].startswith("您问到的这一条") for m in said)  # the short answer says it already


def test_the_general_topic_gives_way_to_the_section_a_clause_of_which_stands_out():
    question = "我是市里一个事业单位管人事的，编制68个人，一个残疾职工都没有，这个三年行动方案具体要我们怎么做？"
    ranking = [{"name": "ask_plan_overview", "confidence": 0.9}, {"name": "ask_hukou", "confidence": 0.06},
               {"name": "ask_public_sector_hiring", "confidence": 0.03}]  # 户籍限制 cites 二（一） too, but is about 二（十）
    said, slots = run(topics.ActionAnswerTopic(), tracker("ask_plan_overview", question, ranking=ranking))
    text = "\n".join(m["text"] for m in said)
    assert "工作计划" in text and "国办发〔2025〕23号 二（一）" in text, text
    assert slots["last_topic"] == "public_sector_hiring"
    # a topic the NLU is sure of is kept: the clause of another section does not replace it
    said, slots = run(topics.ActionAnswerTopic(), tracker("ask_public_sector_hiring", "机关要招残疾人吗"))
    assert slots["last_topic"] == "public_sector_hiring"


def test_an_unsure_topic_gives_way_to_a_clause_no_topic_covers_better():
    question = "我们公司招了好几个残疾员工，老板问除了免交保障金，还能享受啥政策？"
    ranking = [{"name": "ask_plan_overview", "confidence": 0.47}, {"name": "ask_levy_reduction", "confidence": 0.12}]
    latest = tracker("ask_plan_overview", question, ranking=ranking)
    latest.latest_message["intent"]["confidence"] = 0.47
    said, slots = run(topics.ActionAnswerTopic(), latest)
    assert said[0]["text"].startswith("对吸纳残疾人就业的企业，要按规定落实有关税收优惠、金融扶持等政策"), said[0]["text"]
    assert slots["last_clause"] == "二（二）-8"


def test_detail_after_a_topic_and_its_clause_keeps_the_topics_figures():
    slots = {"last_topic": "guarantee_loan", "last_clause": "二（三）-7"}
    said, _ = run(topics.ActionSetDetail(), tracker("more_detail", "详细", slots=slots))
    text = said[0]["text"]
    assert "30万元" in text and "400万元" in text, text  # the loan's figures, not only the clause
    assert "研发专属金融产品" in text and "国办发〔2025〕23号 二（三）第7项" in text
    said, _ = run(topics.ActionCiteSource(), tracker("ask_source", "出处", slots=slots))
    assert "财金〔2023〕75号" in said[0]["text"] or "国办发〔2025〕23号" in said[0]["text"]
    assert "二（三）第7项" in said[0]["text"]


def test_a_clause_that_scores_only_a_little_better_does_not_overrule_an_unsure_topic():
    question = "什么样的残疾职工能算件安排比例业。"  # "…能算进安排比例里", misheard
    ranking = [{"name": "ask_quota_counting", "confidence": 0.73}, {"name": "ask_vocational_education", "confidence": 0.02}]
    latest = tracker("ask_quota_counting", question, ranking=ranking)
    latest.latest_message["intent"]["confidence"] = 0.73
    _, slots = run(topics.ActionAnswerTopic(), latest)
    assert slots["last_topic"] == "quota_counting"


def test_own_figures_after_a_topic_of_a_check_start_that_check():
    latest = tracker("nlu_fallback", "我们公司28个人", slots={"last_topic": "levy_reduction"},
                     ranking=[{"name": "nlu_fallback", "confidence": 0.45}])
    dispatcher = CollectingDispatcher()
    events = topics.ActionClarify().run(dispatcher, latest, {})
    assert {"event": "followup", "name": "action_start_check"} in [{k: e.get(k) for k in ("event", "name")} for e in events]
    # the same words with no such topic before: not taken for a check
    said, _ = run(topics.ActionClarify(), tracker("nlu_fallback", "我们公司28个人",
                                                   ranking=[{"name": "nlu_fallback", "confidence": 0.45}]))
    assert "在职职工" not in said[0]["text"]


def test_a_number_alone_is_not_taken_for_the_topic_it_looks_like():
    said, _ = run(topics.ActionAnswerTopic(), tracker("ask_hotline", "123456789"))
    assert said[0]["text"] == messages.NUMBER_ALONE.format(number="123456789")
    said, slots = run(topics.ActionAnswerTopic(), tracker("ask_hotline", "12385"))
    assert "12385" in said[0]["text"] and slots["last_topic"] == "hotline"


def test_who_decides_a_measure_named_is_answered_by_its_clause():
    said, slots = run(topics.ActionAnswerTopic(), tracker("ask_public_sector_hiring", "机关招录残疾人体检条件谁定"))
    assert said[0]["text"].startswith(sources.find("二（一）-3").plain), said[0]["text"]
    assert slots["last_clause"] == "二（一）-3"


@pytest.mark.parametrize("action, intent, text", [
    (topics.ActionClarify(), "nlu_fallback", "有"), (topics.ActionClarify(), "nlu_fallback", "没有"),
    (dialogue.ActionChooseOption(), "affirm", "对"), (dialogue.ActionChooseOption(), "deny", "不是"),
])
def test_an_answer_with_no_question_open_says_so_and_how_to_start_a_check(action, intent, text):
    said, slots = run(action, tracker(intent, text, slots={"last_topic": "tobacco_licence"}))
    assert [m["text"] for m in said] == [messages.ANSWER_ALONE_CHECK] and not slots
    said, _ = run(action, tracker(intent, text, slots={"last_topic": "hotline"}))  # no check of its own
    assert [m["text"] for m in said] == [messages.ANSWER_ALONE]


def test_a_question_the_knowledge_has_no_word_of_is_told_so_not_offered_a_guess():
    ranking = [{"name": "nlu_fallback", "confidence": 0.5}, {"name": "ask_hotline", "confidence": 0.2}]
    said, slots = run(topics.ActionClarify(), tracker("nlu_fallback", "残疾人能考驾照吗", ranking=ranking))
    assert [m["text"] for m in said] == [messages.NOT_IN_KNOWLEDGE.format(words="考驾照")]
    assert slots.get("offered_options") is None and slots["clarifying"] is False


MENU_OPEN = [{"kind": "none"}, {"kind": "topic", "value": "rural"}, {"kind": "topic", "value": "autism"}]
READ_BACK_OPEN = [None, {"kind": "check", "value": "go", "means": True}, {"kind": "check", "value": "redo", "means": False}]


def test_a_question_typed_while_a_menu_is_open_closes_it():
    ranking = [{"name": "ask_tobacco_licence", "confidence": 0.95}]
    _, slots = run(topics.ActionAnswerTopic(), tracker("ask_tobacco_licence", "烟草证怎么办", ranking=ranking,
                                                       slots={"offered_options": MENU_OPEN}))
    assert slots["offered_options"] is None and slots["last_topic"] == "tobacco_licence"
    _, slots = run(topics.ActionAnswerTopic(), tracker("ask_tobacco_licence", "烟草证怎么办", ranking=ranking,
                                                       slots={"offered_options": READ_BACK_OPEN}))
    assert "offered_options" not in slots  # a yes-or-no list (the read-back) stays open


def test_an_answer_that_is_no_yes_or_no_to_a_yes_or_no_list_asks_for_one():
    said, slots = run(topics.ActionClarify(), tracker("nlu_fallback", "没有", slots={"offered_options": READ_BACK_OPEN}))
    assert said[0]["text"] == messages.YES_NO_ONLY and not slots
