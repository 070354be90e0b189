"""The NLU graph components on their own, with real Rasa messages."""
from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.server.nlu import InputGuard, NormalizingJiebaTokenizer


def message(text, intent=None, ranking=None):
    msg = Message(data={"text": text})
    if intent:
        msg.set("intent", {"name": intent, "confidence": ranking[0]["confidence"] if ranking else 0.9})
        msg.set("intent_ranking", ranking or [])
    return msg


@pytest.fixture
def guard():
    return InputGuard({"fallback_threshold": 0.45})


@pytest.mark.parametrize("text", ["", "???", "😀😀", "……"])
def test_nothing_meaningful_is_empty_message(guard, text):
    [msg] = guard.process([message(text, "greet", [{"name": "greet", "confidence": 0.4}])])
    assert msg.get("intent")["name"] == "empty_message"


@pytest.mark.parametrize("text, number", [("2", 2), ("第三个", 3), ("我选十", 10)])
def test_a_number_is_a_choice_with_its_entity(guard, text, number):
    [msg] = guard.process([message(text, "ask_levy", [{"name": "ask_levy", "confidence": 0.8}])])
    assert msg.get("intent") == {"name": "choose_number", "confidence": 1.0}
    assert [e["value"] for e in msg.get("entities") if e["entity"] == "number"] == [number]
    assert msg.get("intent_ranking")[1]["name"] == "ask_levy"


def test_model_number_guess_on_a_sentence_takes_the_next_intent(guard):
    ranking = [{"name": "choose_number", "confidence": 0.5}, {"name": "ask_hotline", "confidence": 0.46}]
    [msg] = guard.process([message("12385现在还能用吗", "choose_number", ranking)])
    assert msg.get("intent")["name"] == "ask_hotline"


def test_model_number_guess_with_a_weak_runner_up_falls_back(guard):
    ranking = [{"name": "choose_number", "confidence": 0.7}, {"name": "ask_hotline", "confidence": 0.2}]
    [msg] = guard.process([message("12385现在还能用吗", "choose_number", ranking)])
    assert msg.get("intent")["name"] == "nlu_fallback"
    assert [r["name"] for r in msg.get("intent_ranking")][:2] == ["nlu_fallback", "ask_hotline"]


def test_button_payloads_are_left_alone(guard):
    [msg] = guard.process([message("/ask_levy", "ask_levy", [{"name": "ask_levy", "confidence": 1.0}])])
    assert msg.get("intent")["name"] == "ask_levy"


def test_tokenizer_normalises_messages_and_training_data():
    tokenizer = NormalizingJiebaTokenizer(
        {**NormalizingJiebaTokenizer.get_default_config()}, None, None
    )
    [msg] = tokenizer.process([Message(data={"text": "殘疾人 能申請 煙草證嗎😀"})])
    assert msg.get("text") == "残疾人能申请烟草证吗"
    assert "".join(t.text for t in msg.get("text_tokens")) == "残疾人能申请烟草证吗"
    data = TrainingData([Message(data={"text": "ＡＢＣ 殘保金", "intent": "ask_levy"})])
    tokenizer.process_training_data(data)
    assert data.training_examples[0].get("text") == "ABC 残保金"
    [payload] = tokenizer.process([Message(data={"text": '/help{"category": "job"}'})])
    assert payload.get("text") == '/help{"category": "job"}'


def test_tokens_carry_how_they_sound_as_lemma():
    tokenizer = NormalizingJiebaTokenizer({**NormalizingJiebaTokenizer.get_default_config()}, None, None)
    [right, misheard] = tokenizer.process([Message(data={"text": "小企业免交残保金"}),
                                           Message(data={"text": "消棋业免交残保金"})])
    assert right.get("text_tokens")[0].text == "小企业"
    sounds = [" ".join(t.lemma for t in m.get("text_tokens")) for m in (right, misheard)]
    assert sounds[0] == sounds[1] == "xiao qi ye mian jiao can bao jin"


@pytest.mark.parametrize(
    "text, intent",
    [("我们公司200个员工，去年安排了1个三级残疾人，职工年平均工资8万，在湖南，残保金要交多少？", "calculate_levy"),
     ("帮我算算残保金", "calculate_levy"),
     ("残保金怎么算", "ask_levy"),
     ("30人以下的企业免交残保金吗", "ask_levy")],
)
def test_levy_questions_with_own_numbers_start_the_calculation(guard, text, intent):
    [msg] = guard.process([message(text, "ask_levy", [{"name": "ask_levy", "confidence": 0.9}])])
    assert msg.get("intent")["name"] == intent


def test_a_long_question_taken_for_a_command_is_no_command(guard):
    text = "我老公想开个小卖部卖烟，去问了说离别家太近不给办，残疾人能不能通融一下？"
    ranking = [{"name": "speak_normal", "confidence": 0.6}, {"name": "ask_tobacco_licence", "confidence": 0.3}]
    [msg] = guard.process([message(text, "speak_normal", ranking)])
    assert msg.get("intent")["name"] == "nlu_fallback"  # the clarify step offers the likeliest answers
    ranking = [{"name": "cancel", "confidence": 0.5}, {"name": "ask_tobacco_licence", "confidence": 0.48}]
    [msg] = guard.process([message(text, "cancel", ranking)])
    assert msg.get("intent")["name"] == "ask_tobacco_licence"
    [msg] = guard.process([message("说话能不能再慢一点，我听不清楚", "speak_slower",
                                   [{"name": "speak_slower", "confidence": 0.9}])])
    assert msg.get("intent")["name"] == "speak_slower"  # a command's own words
    [msg] = guard.process([message("东西部协作对残疾人就业有什么帮助", "help", [{"name": "help", "confidence": 0.8}])])
    assert msg.get("intent")["name"] == "nlu_fallback"  # 帮助 in a question about a measure is no menu
    [msg] = guard.process([message("我想看看你的菜单里都能问些什么", "help", [{"name": "help", "confidence": 0.8}])])
    assert msg.get("intent")["name"] == "help"
    text = "我们公司有个员工残疾证是借来的，挂在公司名下不上班，这样可以吗"
    [msg] = guard.process([message(text, "goodbye", [{"name": "goodbye", "confidence": 0.7},
                                                     {"name": "ask_quota_counting", "confidence": 0.2}])])
    assert msg.get("intent")["name"] == "nlu_fallback"


@pytest.mark.parametrize("text", ["去哪里申请", "要带什么材料", "谁能申请"])
def test_a_follow_up_that_names_nothing_else_is_a_follow_up(guard, text):
    [msg] = guard.process([message(text, "ask_hotline", [{"name": "ask_hotline", "confidence": 0.6}])])
    assert msg.get("intent")["name"] == "ask_follow_up"


@pytest.mark.parametrize("text, intent", [("can disabled people get a tobacco license", "out_of_scope"),
                                          ("hello", "greet"), ("我想办烟草证 license", "greet")])
def test_a_sentence_in_another_language_is_out_of_scope(guard, text, intent):
    [msg] = guard.process([message(text, "greet", [{"name": "greet", "confidence": 0.9}])])
    assert msg.get("intent")["name"] == intent


def test_a_long_question_taken_for_a_yes_or_no_is_a_question(guard):
    text = "我们不是国企，方案对普通企业有什么要求？"
    ranking = [{"name": "deny", "confidence": 0.5}, {"name": "ask_employer_responsibility", "confidence": 0.46}]
    [msg] = guard.process([message(text, "deny", ranking)])
    assert msg.get("intent")["name"] == "ask_employer_responsibility"
    [msg] = guard.process([message("不是的，我们单位在湖南", "deny", [{"name": "deny", "confidence": 0.9}])])
    assert msg.get("intent")["name"] == "deny"  # an answer, not a question


def test_a_question_taken_for_more_detail_is_a_question(guard):
    text = "燕市的摊位有没有留给残疾人呢"  # 夜市, misheard
    ranking = [{"name": "more_detail", "confidence": 0.69}, {"name": "ask_market_stalls", "confidence": 0.5}]
    [msg] = guard.process([message(text, "more_detail", ranking)])
    assert msg.get("intent")["name"] == "ask_market_stalls"
    [msg] = guard.process([message("能不能说得再多点", "more_detail", [{"name": "more_detail", "confidence": 0.9}])])
    assert msg.get("intent")["name"] == "more_detail"
