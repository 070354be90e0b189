"""Knowledge answers and the commands around them: the menu, a topic's answer,
the likeliest topics when unsure, 再说一遍, 详细 / 简单, 出处, 慢一点 / 快一点.

What to say comes from ``jiuye.knowledge`` (data) and ``jiuye.messages``; offered
topics, categories and the menu are options of this module (``on_option``).
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.dialogue import (
    SLOT_CLARIFYING,
    SLOT_DETAIL,
    SLOT_LAST_TOPIC,
    SLOT_SPEED,
    Events,
    Option,
    entity,
    latest_intent,
    leave_form,
    numbered_list,
    on_option,
    out_of_scope,
)
from jiuye import checks, knowledge, messages


def _kb() -> knowledge.KnowledgeBase:
    return knowledge.default()


def answer_topic(dispatcher: CollectingDispatcher, tracker: Tracker, topic: knowledge.Topic) -> Events:
    detailed = tracker.get_slot(SLOT_DETAIL) == "full"
    dispatcher.utter_message(text=knowledge.render(topic, detailed=detailed))
    if checks.for_topic(topic.id):
        dispatcher.utter_message(text=messages.CHECK_HINT)
    return [SlotSet(SLOT_LAST_TOPIC, topic.id), SlotSet(SLOT_CLARIFYING, False)]


def show_menu(dispatcher: CollectingDispatcher, category_id: Optional[str] = None) -> Events:
    kb = _kb()
    category = kb.category(category_id)
    if category is None:
        items = [(c.title, f'/help{{"category":"{c.id}"}}', Option("category", c.id)) for c in kb.categories]
        items.append((messages.CHECKS_TITLE, "/check_eligibility", Option("checks")))
        options = numbered_list(dispatcher, messages.MENU_INTRO, items, outro=messages.MENU_OUTRO)
    else:
        items = [(kb.topics[t].title, f"/{kb.topics[t].intent}", Option("topic", t)) for t in category.topics]
        options = numbered_list(
            dispatcher,
            messages.CATEGORY_INTRO.format(title=category.title),
            items,
            zero=(messages.BACK_TO_MENU, "/help", Option("menu")),
        )
    return options + [SlotSet(SLOT_CLARIFYING, False)]


@on_option("topic")
def _chosen_topic(dispatcher, tracker, option: Option) -> Events:
    topic = _kb().topics.get(option.value)
    if topic is None:
        return out_of_scope(dispatcher)
    return answer_topic(dispatcher, tracker, topic)


@on_option("category")
def _chosen_category(dispatcher, tracker, option: Option) -> Events:
    return show_menu(dispatcher, option.value)


@on_option("menu")
def _chosen_menu(dispatcher, tracker, option: Option) -> Events:
    return show_menu(dispatcher)


@on_option("none")
def _none_of_these(dispatcher, tracker, option: Option) -> Events:
    return out_of_scope(dispatcher)


def repeat_last(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """Say again what the bot said in its last turn; False if it said nothing yet.
    In a form nothing is said here: the form asks its question again itself."""
    if tracker.active_loop.get("name"):
        return True
    events = tracker.events
    index = len(events) - 1
    while index >= 0 and events[index].get("event") != "user":
        index -= 1  # skip this turn's own events
    index -= 1
    said: List[Dict[Text, Any]] = []
    while index >= 0 and events[index].get("event") != "user":
        event = events[index]
        if event.get("event") == "bot" and (event.get("text") or (event.get("data") or {}).get("buttons")):
            said.append(event)
        index -= 1
    for event in reversed(said):
        data = event.get("data") or {}
        dispatcher.utter_message(text=event.get("text"), buttons=data.get("buttons") or [])
    return bool(said)


class ActionAnswerTopic(Action):
    def name(self) -> Text:
        return "action_answer_topic"

    def run(self, dispatcher, tracker, domain) -> Events:
        topic = _kb().by_intent(latest_intent(tracker))
        if topic is None:
            return out_of_scope(dispatcher)
        return answer_topic(dispatcher, tracker, topic)


class ActionShowMenu(Action):
    def name(self) -> Text:
        return "action_show_menu"

    def run(self, dispatcher, tracker, domain) -> Events:
        return show_menu(dispatcher, entity(tracker, "category")) + leave_form(tracker)


class ActionClarify(Action):
    """Low confidence: offer the likeliest topics as numbered choices, once."""

    def name(self) -> Text:
        return "action_clarify"

    MIN_CONFIDENCE = 0.05
    MAX_CHOICES = 3

    def run(self, dispatcher, tracker, domain) -> Events:
        kb = _kb()
        candidates = []
        for ranked in tracker.latest_message.get("intent_ranking") or []:
            topic = kb.by_intent(ranked.get("name"))
            if topic and (ranked.get("confidence") or 0) >= self.MIN_CONFIDENCE:
                candidates.append(topic)
            if len(candidates) == self.MAX_CHOICES:
                break
        if tracker.get_slot(SLOT_CLARIFYING) or not candidates:
            return out_of_scope(dispatcher)
        items = [(t.title, f"/{t.intent}", Option("topic", t.id)) for t in candidates]
        options = numbered_list(
            dispatcher,
            messages.CLARIFY,
            items,
            zero=(messages.NONE_OF_THESE, "/out_of_scope", Option("none")),
        )
        return options + [SlotSet(SLOT_CLARIFYING, True)]


class ActionOutOfScope(Action):
    def name(self) -> Text:
        return "action_out_of_scope"

    def run(self, dispatcher, tracker, domain) -> Events:
        return out_of_scope(dispatcher)


class ActionRepeat(Action):
    def name(self) -> Text:
        return "action_repeat"

    def run(self, dispatcher, tracker, domain) -> Events:
        if not repeat_last(dispatcher, tracker):
            dispatcher.utter_message(text=messages.NOTHING_TO_REPEAT)
        return []


class ActionSetDetail(Action):
    """详细 / 简单: switch the answer length and say the last answer again in it."""

    def name(self) -> Text:
        return "action_set_detail"

    def run(self, dispatcher, tracker, domain) -> Events:
        level = "full" if latest_intent(tracker) == "more_detail" else "short"
        topic = _kb().topics.get(tracker.get_slot(SLOT_LAST_TOPIC) or "")
        if topic:
            text = knowledge.render(topic, detailed=level == "full")
        else:
            text = messages.DETAIL_ON if level == "full" else messages.DETAIL_OFF
        dispatcher.utter_message(text=text)
        return [SlotSet(SLOT_DETAIL, level)]


class ActionCiteSource(Action):
    def name(self) -> Text:
        return "action_cite_source"

    def run(self, dispatcher, tracker, domain) -> Events:
        topic = _kb().topics.get(tracker.get_slot(SLOT_LAST_TOPIC) or "")
        text = knowledge.render_source(topic, _kb()) if topic else messages.NO_TOPIC_YET
        dispatcher.utter_message(text=text)
        return []


class ActionSetSpeed(Action):
    """慢一点 / 快一点 / 正常: the voice doors read ``speech_rate``; text repeats."""

    def name(self) -> Text:
        return "action_set_speed"

    RATES = {"speak_slower": "slow", "speak_faster": "fast", "speak_normal": "normal"}

    def run(self, dispatcher, tracker, domain) -> Events:
        rate = self.RATES.get(latest_intent(tracker), "normal")
        dispatcher.utter_message(text=messages.SPEED[rate])
        repeat_last(dispatcher, tracker)
        return [SlotSet(SLOT_SPEED, rate)]
