"""Rasa SDK actions: knowledge answers and the commands that work at any point.

The Rasa glue stays thin: what to say comes from ``knowledge`` (data) and
``messages`` (fixed sentences); what a number means comes from the slot
``offered_options``, which every numbered list sets.
"""
from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional, Sequence, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import knowledge, ledger, messages

logger = logging.getLogger(__name__)

# What a number in ``offered_options`` points to: "topic:<id>", "category:<id>",
# "menu" (the main menu) or "none" (none of these). Index = the number said.
Option = Optional[str]
Events = List[Dict[Text, Any]]

SLOT_LAST_TOPIC = "last_topic"
SLOT_DETAIL = "detail_level"
SLOT_OPTIONS = "offered_options"
SLOT_CLARIFYING = "clarifying"
SLOT_SPEED = "speech_rate"
SLOT_FORGET = "forget_me"


def _kb() -> knowledge.KnowledgeBase:
    return knowledge.default()


def latest_text(tracker: Tracker) -> str:
    return tracker.latest_message.get("text") or ""


def latest_intent(tracker: Tracker) -> str:
    return (tracker.latest_message.get("intent") or {}).get("name") or ""


def _entity(tracker: Tracker, name: str) -> Any:
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") == name:
            return entity.get("value")
    return None


def numbered_list(
    dispatcher: CollectingDispatcher,
    intro: str,
    items: Sequence[Tuple[str, str, str]],
    zero: Optional[Tuple[str, str, str]] = None,
    outro: str = "",
) -> List[Option]:
    """Say a numbered list and show it as buttons; returns the options by number.

    Each item is (label, button payload, option). ``zero`` is an optional item
    numbered 0 (back, or none of these), read last.
    """
    lines = [intro]
    buttons = []
    options: List[Option] = [None]
    for number, (label, payload, option) in enumerate(items, 1):
        lines.append(f"{number}. {label}")
        buttons.append({"title": f"{number} {label}", "payload": payload})
        options.append(option)
    if zero:
        label, payload, option = zero
        lines.append(f"0. {label}")
        buttons.append({"title": f"0 {label}", "payload": payload})
        options[0] = option
    if outro:
        lines.append(outro)
    dispatcher.utter_message(text="\n".join(lines), buttons=buttons)
    return options


def answer_topic(
    dispatcher: CollectingDispatcher, tracker: Tracker, topic: knowledge.Topic
) -> Events:
    from actions import screening

    detailed = tracker.get_slot(SLOT_DETAIL) == "full"
    dispatcher.utter_message(text=knowledge.render(topic, detailed=detailed))
    if screening.for_topic(topic.id) or topic.id == "levy":
        dispatcher.utter_message(text=messages.CHECK_HINT)
    return [SlotSet(SLOT_LAST_TOPIC, topic.id), SlotSet(SLOT_CLARIFYING, False)]


def show_menu(dispatcher: CollectingDispatcher, category_id: Optional[str] = None) -> Events:
    kb = _kb()
    category = kb.category(category_id)
    if category is None:
        items = [
            (c.title, f'/help{{"category":"{c.id}"}}', f"category:{c.id}") for c in kb.categories
        ]
        items.append((messages.CHECKS_TITLE, "/check_eligibility", "checks"))
        options = numbered_list(
            dispatcher, messages.MENU_INTRO, items, outro=messages.MENU_OUTRO
        )
    else:
        items = [
            (kb.topics[t].title, f"/{kb.topics[t].intent}", f"topic:{t}") for t in category.topics
        ]
        options = numbered_list(
            dispatcher,
            messages.CATEGORY_INTRO.format(title=category.title),
            items,
            zero=(messages.BACK_TO_MENU, "/help", "menu"),
        )
    return [SlotSet(SLOT_OPTIONS, options), SlotSet(SLOT_CLARIFYING, False)]


def leave_form(tracker: Tracker) -> Events:
    """A numbered list in the middle of a form: leave the form, so that the number
    said next chooses from the list instead of answering the form's question."""
    if not tracker.active_loop.get("name"):
        return []
    return [ActiveLoop(None), SlotSet("requested_slot", None)]


def out_of_scope(dispatcher: CollectingDispatcher) -> Events:
    dispatcher.utter_message(text=messages.OUT_OF_SCOPE)
    return [SlotSet(SLOT_CLARIFYING, False)]


def _repeat_last(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
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


def delete_my_data(dispatcher: CollectingDispatcher, tracker: Tracker, confirmed: bool) -> Events:
    if not confirmed:
        dispatcher.utter_message(text=messages.DELETE_CANCELLED)
        return [SlotSet(SLOT_OPTIONS, None)]
    try:
        rows = ledger.delete_person(tracker.sender_id)
    except Exception:
        logger.exception("could not delete a person's records")
        dispatcher.utter_message(text=messages.DELETE_FAILED)
        return []
    text = messages.DELETED.format(rows=rows) if rows else messages.NOTHING_TO_DELETE
    dispatcher.utter_message(text=text)
    # The Rasa server's tracker store deletes the conversation when it sees this slot.
    return [SlotSet(SLOT_OPTIONS, None), SlotSet(SLOT_LAST_TOPIC, None), SlotSet(SLOT_FORGET, True)]


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
        return show_menu(dispatcher, _entity(tracker, "category")) + leave_form(tracker)


class ActionChooseOption(Action):
    """A number said or typed: look it up in the list offered last."""

    def name(self) -> Text:
        return "action_choose_option"

    def run(self, dispatcher, tracker, domain) -> Events:
        options: List[Option] = tracker.get_slot(SLOT_OPTIONS) or []
        intent = latest_intent(tracker)
        if intent in ("affirm", "deny"):
            return self._yes_or_no(dispatcher, tracker, options, intent == "affirm")
        raw = _entity(tracker, "number")
        try:
            number = int(raw)
        except (TypeError, ValueError):
            number = -1
        if len(options) < 2:
            dispatcher.utter_message(text=messages.NO_OPTIONS)
            return []
        if not 0 <= number < len(options) or options[number] is None:
            low = 0 if options[0] else 1
            dispatcher.utter_message(
                text=messages.BAD_OPTION.format(low=low, high=len(options) - 1)
            )
            return []
        return self._chosen(dispatcher, tracker, options[number])

    # "对" / "不对" answer a yes-or-no list: the option that means yes, or the one that means no.
    YES = ("levy:go", "screen:go", "delete:yes", "consent:yes")
    NO = ("levy:redo", "screen:redo", "delete:no", "consent:no")

    def _yes_or_no(self, dispatcher, tracker, options: List[Option], yes: bool) -> Events:
        wanted = self.YES if yes else self.NO
        chosen = next((o for o in options if o in wanted), None)
        if chosen is None:
            dispatcher.utter_message(text=messages.NO_OPTIONS if len(options) < 2 else messages.YES_NO_ONLY)
            return []
        return self._chosen(dispatcher, tracker, chosen)

    def _chosen(self, dispatcher, tracker, option: str) -> Events:
        from actions import screening_forms

        kind, _, value = option.partition(":")
        if kind == "topic" and value in _kb().topics:
            return answer_topic(dispatcher, tracker, _kb().topics[value])
        if kind == "category":
            return show_menu(dispatcher, value)
        if kind == "menu":
            return show_menu(dispatcher)
        if kind == "delete":
            return delete_my_data(dispatcher, tracker, confirmed=value == "yes")
        if kind == "checks":
            return screening_forms.choose_program(dispatcher)
        if kind == "screen":
            return screening_forms.choose(dispatcher, tracker, value)
        if kind == "consent":
            return screening_forms.answer_consent(dispatcher, tracker, value == "yes")
        if kind == "levy":
            from actions import levy_form

            if value == "go":
                return levy_form.compute(dispatcher, tracker)
            return screening_forms.start(dispatcher, tracker, "levy")
        return out_of_scope(dispatcher)


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
        items = [(t.title, f"/{t.intent}", f"topic:{t.id}") for t in candidates]
        options = numbered_list(
            dispatcher,
            messages.CLARIFY,
            items,
            zero=(messages.NONE_OF_THESE, "/out_of_scope", "none"),
        )
        return [SlotSet(SLOT_OPTIONS, options), SlotSet(SLOT_CLARIFYING, True)]


class ActionOutOfScope(Action):
    def name(self) -> Text:
        return "action_out_of_scope"

    def run(self, dispatcher, tracker, domain) -> Events:
        return out_of_scope(dispatcher)


class ActionRepeat(Action):
    def name(self) -> Text:
        return "action_repeat"

    def run(self, dispatcher, tracker, domain) -> Events:
        if not _repeat_last(dispatcher, tracker):
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


class ActionHandoff(Action):
    """人工: how to reach a person, and a pseudonymous record of the request."""

    def name(self) -> Text:
        return "action_handoff"

    def run(self, dispatcher, tracker, domain) -> Events:
        text = messages.HANDOFF
        try:
            ledger.record_handoff(tracker.sender_id, tracker.get_slot(SLOT_LAST_TOPIC))
            text += "\n" + messages.HANDOFF_RECORDED
        except Exception:  # the person still gets the phone number
            logger.exception("could not record a handoff request")
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
        _repeat_last(dispatcher, tracker)
        return [SlotSet(SLOT_SPEED, rate)]


class ActionDeleteMyData(Action):
    """删除我的数据: ask to confirm by number, then delete (in ActionChooseOption)."""

    def name(self) -> Text:
        return "action_delete_my_data"

    def run(self, dispatcher, tracker, domain) -> Events:
        options = numbered_list(
            dispatcher,
            messages.DELETE_CONFIRM,
            [(messages.DELETE_YES, '/choose_number{"number": 1}', "delete:yes")],
            zero=(messages.DELETE_NO, '/choose_number{"number": 0}', "delete:no"),
        )
        return [SlotSet(SLOT_OPTIONS, options)] + leave_form(tracker)
