"""What every feature of the action server shares: slot names, reading the latest
message, numbered lists and the options they offer.

A leaf: it imports nothing from the feature modules. A numbered list offers typed
``Option``s; the feature that offers an option kind registers its handler with
``on_option``, and ``ActionChooseOption`` (a number said or typed, or 对 / 不对 to a
yes-or-no list) looks the handler up. No central if-chain, no import cycle.
"""
from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass
from typing import Any, Callable, Dict, List, Optional, Sequence, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from jiuye import checks, messages

Events = List[Dict[Text, Any]]

SLOT_LAST_TOPIC = "last_topic"
SLOT_LAST_CLAUSE = "last_clause"
SLOT_DETAIL = "detail_level"
SLOT_OPTIONS = "offered_options"
SLOT_LIST = "offered_list"  # the id of the list offered last
SLOT_CHOSEN = "last_choice"  # "<list id>:<number>" of the last button pressed
SLOT_CLARIFYING = "clarifying"
SLOT_SPEED = "speech_rate"
SLOT_FORGET = "forget_me"
SLOT_RESULT = "last_result"  # the last check's result (actions/checks.py), for 为什么 and 出处
REQUESTED = "requested_slot"


@dataclass(frozen=True)
class Option:
    """What one number of a numbered list stands for.

    ``kind`` names the feature that handles it ("topic", "check", "consent" …),
    ``value`` what was offered (a topic id, "go" …). ``means`` is True for the option
    that "对" chooses in a yes-or-no list and False for the one "不对" chooses.
    Kept in the slot ``offered_options`` as a plain dict.
    """

    kind: str
    value: str = ""
    means: Optional[bool] = None

    def to_slot(self) -> Dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v not in (None, "")}

    @classmethod
    def from_slot(cls, raw: Any) -> Optional["Option"]:
        if isinstance(raw, dict) and isinstance(raw.get("kind"), str):
            return cls(raw["kind"], str(raw.get("value") or ""), raw.get("means"))
        return None


Handler = Callable[[CollectingDispatcher, Tracker, Option], Events]
_HANDLERS: Dict[str, Handler] = {}


def on_option(kind: str) -> Callable[[Handler], Handler]:
    """Register the handler of an option kind (one handler per kind)."""

    def register(handler: Handler) -> Handler:
        if _HANDLERS.get(kind, handler) is not handler:
            raise ValueError(f"option kind {kind!r} has a handler already")
        _HANDLERS[kind] = handler
        return handler

    return register


Namer = Callable[[str, Option], bool]
_NAMERS: Dict[str, Namer] = {}


def names_option(kind: str) -> Callable[[Namer], Namer]:
    """Register how words name an option of a kind ("事业单位" names the public-sector
    check in the list of checks): ``namer(text, option)`` is True when they do."""

    def register(namer: Namer) -> Namer:
        _NAMERS[kind] = namer
        return namer

    return register


def option_named(tracker: Tracker) -> Optional[Option]:
    """The one option of the open list that the latest message names in words, if one
    does (a number or 对/不对 are read elsewhere); None when none or several do."""
    text = latest_text(tracker)
    if len(tracker.get_slot(SLOT_OPTIONS) or []) < 2 or not text or text.startswith("/"):
        return None
    named = [o for o in offered(tracker) if o is not None and o.kind in _NAMERS and _NAMERS[o.kind](text, o)]
    return named[0] if len(named) == 1 else None


def choose(dispatcher: CollectingDispatcher, tracker: Tracker, option: Option) -> Events:
    """Run the handler of a chosen option."""
    handler = _HANDLERS.get(option.kind)
    if handler is None:
        return out_of_scope(dispatcher)
    return handler(dispatcher, tracker, option)


def latest_text(tracker: Tracker) -> str:
    return tracker.latest_message.get("text") or ""


def latest_intent(tracker: Tracker) -> str:
    return (tracker.latest_message.get("intent") or {}).get("name") or ""


def entity(tracker: Tracker, name: str) -> Any:
    for found in tracker.latest_message.get("entities") or []:
        if found.get("entity") == name:
            return found.get("value")
    return None


def choice(number: int, label: str, option: Option) -> Tuple[str, str, Option]:
    """A numbered item whose button sends the number itself (and, added by
    ``numbered_list``, the list it belongs to)."""
    return label, f'/choose_number{{"number": {number}}}', option


def _with_list(payload: str, list_id: str) -> str:
    """A number button's payload, tied to its list: a press of an old button is known."""
    if payload.startswith("/choose_number{") and payload.endswith("}"):
        return payload[:-1] + f', "list": "{list_id}"}}'
    return payload


def numbered_list(
    dispatcher: CollectingDispatcher,
    intro: str,
    items: Sequence[Tuple[str, str, Option]],
    zero: Optional[Tuple[str, str, Option]] = None,
    outro: str = "",
) -> Events:
    """Say a numbered list and show it as buttons; returns the slot events that keep
    its options by number (index 0: the item numbered 0, or none) and its id, which its
    number buttons carry (a press of a list no longer open is known as such).

    Each item is (label, button payload, option). ``zero`` is an optional item
    numbered 0 (back, or none of these), read last.
    """
    list_id = uuid.uuid4().hex[:8]
    lines = [intro]
    buttons = []
    options: List[Optional[Dict[str, Any]]] = [None]
    for number, (label, payload, option) in enumerate(items, 1):
        lines.append(f"{number}. {label}")
        buttons.append({"title": f"{number} {label}", "payload": _with_list(payload, list_id)})
        options.append(option.to_slot())
    if zero:
        label, payload, option = zero
        lines.append(f"0. {label}")
        buttons.append({"title": f"0 {label}", "payload": _with_list(payload, list_id)})
        options[0] = option.to_slot()
    if outro:
        lines.append(outro)
    dispatcher.utter_message(text="\n".join(lines), buttons=buttons)
    return [SlotSet(SLOT_OPTIONS, options), SlotSet(SLOT_LIST, list_id)]


def offered(tracker: Tracker) -> List[Optional[Option]]:
    """The options of the list offered last, by number."""
    return [Option.from_slot(raw) for raw in tracker.get_slot(SLOT_OPTIONS) or []]


def yes_no_list_open(tracker: Tracker) -> bool:
    """The list offered last is answered yes or no (the read-back, consent, the delete
    confirmation), not a menu."""
    return any(o is not None and o.means is not None for o in offered(tracker))


def stale_press(tracker: Tracker) -> bool:
    """A button of a list that is no longer open (replaced, or closed once chosen from)."""
    pressed = entity(tracker, "list")
    if not pressed:
        return False
    return pressed != tracker.get_slot(SLOT_LIST) or len(tracker.get_slot(SLOT_OPTIONS) or []) < 2


def current_list_again(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """Say the list that is open now again (inside a form, the form asks its question)."""
    if tracker.active_loop.get("name") or len(tracker.get_slot(SLOT_OPTIONS) or []) < 2:
        return
    for event in reversed(tracker.events):
        data = event.get("data") or {}
        if event.get("event") == "bot" and data.get("buttons"):
            dispatcher.utter_message(text=event.get("text"), buttons=data["buttons"])
            return


def leave_form(tracker: Tracker) -> Events:
    """A numbered list in the middle of a form: leave the form, so that the number
    said next chooses from the list instead of answering the form's question."""
    if not tracker.active_loop.get("name"):
        return []
    return [ActiveLoop(None), SlotSet(REQUESTED, None)]


def out_of_scope(dispatcher: CollectingDispatcher) -> Events:
    dispatcher.utter_message(text=messages.OUT_OF_SCOPE)
    return [SlotSet(SLOT_CLARIFYING, False)]


class ActionChooseOption(Action):
    """A number said or typed, or 对 / 不对: look it up in the list offered last."""

    def name(self) -> Text:
        return "action_choose_option"

    def run(self, dispatcher, tracker, domain) -> Events:
        options = offered(tracker)
        intent = latest_intent(tracker)
        if intent in ("affirm", "deny"):
            return self._yes_or_no(dispatcher, tracker, options, intent == "affirm")
        try:
            number = int(entity(tracker, "number"))
        except (TypeError, ValueError):
            number = -1
        pressed = entity(tracker, "list")
        if pressed:  # a button: tied to the list it came with
            if tracker.get_slot(SLOT_CHOSEN) == f"{pressed}:{number}":
                return []  # the same button pressed again: done already
            if stale_press(tracker):
                dispatcher.utter_message(text=messages.EXPIRED)
                current_list_again(dispatcher, tracker)
                return []
            if 0 <= number < len(options) and options[number] is not None:
                return [SlotSet(SLOT_CHOSEN, f"{pressed}:{number}")] + choose(dispatcher, tracker, options[number])
        if len(options) < 2:
            dispatcher.utter_message(text=messages.NO_OPTIONS)
            return []
        if not 0 <= number < len(options) or options[number] is None:
            low = 0 if options[0] else 1
            dispatcher.utter_message(text=messages.BAD_OPTION.format(low=low, high=len(options) - 1))
            return []
        return choose(dispatcher, tracker, options[number])

    @staticmethod
    def _yes_or_no(dispatcher, tracker, options: List[Optional[Option]], yes: bool) -> Events:
        chosen = next((o for o in options if o is not None and o.means is yes), None)
        if len(options) < 2 and not tracker.active_loop.get("name"):
            return answer_alone(dispatcher, tracker)
        if chosen is None:
            dispatcher.utter_message(text=messages.NO_OPTIONS if len(options) < 2 else messages.YES_NO_ONLY)
            return []
        return choose(dispatcher, tracker, chosen)


def answer_alone(dispatcher: CollectingDispatcher, tracker: Tracker) -> Events:
    """"有" or "对" with no question open (after an answer that ends "想查您自己的情况，
    请说“帮我查”", the person may think a check has begun): say so, and how to start one."""
    has_check = checks.for_topic(tracker.get_slot(SLOT_LAST_TOPIC)) is not None
    dispatcher.utter_message(text=messages.ANSWER_ALONE_CHECK if has_check else messages.ANSWER_ALONE)
    return []
