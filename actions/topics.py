"""Knowledge answers and the commands around them: the menu, a topic's answer,
the likeliest topics when unsure, 再说一遍, 详细 / 简单, 出处, 慢一点 / 快一点.

Beside the topics, the clause tier (``jiuye.retrieval`` over data/sources/) answers with
a clause of the plan itself: always when a rule's text is asked for (哪一条, 依据是什么,
原文怎么说), when the NLU is unsure but one clause stands out, and when the question
names a plan term the chosen topic's short answer lacks ("中小学" asked of the
public-sector quota). When neither is sure, the numbered choices include the best
clauses.

What to say comes from ``jiuye.knowledge`` (data) and ``jiuye.messages``; offered
topics, categories and the menu are options of this module (``on_option``).
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.dialogue import (
    SLOT_CLARIFYING,
    SLOT_DETAIL,
    SLOT_LAST_CLAUSE,
    SLOT_LAST_TOPIC,
    SLOT_OPTIONS,
    SLOT_RESULT,
    SLOT_SPEED,
    Events,
    Option,
    answer_alone,
    choose,
    current_list_again,
    entity,
    latest_intent,
    latest_text,
    leave_form,
    numbered_list,
    on_option,
    option_named,
    out_of_scope,
    yes_no_list_open,
)
from jiuye import checks, knowledge, messages, retrieval, sources
from jiuye.interpret import commands, sentences


def _kb() -> knowledge.KnowledgeBase:
    return knowledge.default()


def answer_topic(dispatcher: CollectingDispatcher, tracker: Tracker, topic: knowledge.Topic) -> Events:
    """The topic's answer, its first sentence for the kind of question asked (多少, 谁, 哪里 …)."""
    detailed = tracker.get_slot(SLOT_DETAIL) == "full"
    question = None if _pressed(tracker) else latest_text(tracker)
    kind = commands.question_kind(question) if question else None
    words = retrieval.content_words(question) if question else ()
    dispatcher.utter_message(text=knowledge.render(topic, detailed=detailed, kind=kind, question=question, words=words))
    if checks.for_topic(topic.id):
        dispatcher.utter_message(text=messages.CHECK_HINT)
    return [SlotSet(SLOT_LAST_TOPIC, topic.id), SlotSet(SLOT_LAST_CLAUSE, None), SlotSet(SLOT_CLARIFYING, False)]


def answer_clause(dispatcher: CollectingDispatcher, clause: sources.Clause, original: bool = False,
                  question: str = "") -> Events:
    """A clause of the sources in plain words with its place ("依据：… 二（一）第1项"),
    and who carries it out when that is asked."""
    dispatcher.utter_message(text=sources.render(clause, original=original,
                                                 responsible=original or retrieval.asks_who(question)))
    return [SlotSet(SLOT_LAST_CLAUSE, clause.id), SlotSet(SLOT_LAST_TOPIC, None), SlotSet(SLOT_CLARIFYING, False)]


_INCLUDES = re.compile(r"(?:包不包括|包括不包括|是否包括|包括|有没有|含不含)(?P<name>[^，,。？?吗呢]+)")


def answer_who(dispatcher: CollectingDispatcher, tracker: Tracker) -> Optional[Events]:
    """"企业助力残疾人就业行动的负责单位包不包括税务总局": who carries out the section
    the question names, from the plan ("包括…" first when the name is on its list);
    None when the question is not that."""
    text = latest_text(tracker)
    section = sources.section_named(text) if retrieval.asks_who(text) else None
    clause = sources.responsible_for(section) if section else None
    if clause is None:
        return None
    named = _INCLUDES.search(text)
    name = named.group("name").strip() if named else ""
    first = messages.INCLUDES.format(name=name) if name and name in clause.responsible else ""
    dispatcher.utter_message(text=first + messages.SECTION_WHO.format(
        title=clause.section_title, who=clause.responsible, citation=f"{sources.PLAN} {section}"))
    return [SlotSet(SLOT_LAST_CLAUSE, clause.id), SlotSet(SLOT_LAST_TOPIC, None), SlotSet(SLOT_CLARIFYING, False)]


PLAN_SHARE = 0.6  # a plan clause scoring this share of the best hit is the one quoted
COVERED = 0.45  # an answer holding this share of a clause's character pairs says it already
MENU_COVERED = 0.3  # a clause offered beside a topic that says this much of it is offered twice


def _topic_sections(topic: knowledge.Topic) -> set:
    return {s.section for s in topic.sources if s.doc == sources.PLAN}


def clause_for(text: str, topic: knowledge.Topic) -> Optional[sources.Clause]:
    """A clause to answer with instead of the topic's short answer: the question names
    a plan term that the short answer lacks and the best clause holds (the topic covers
    a section; the question asks about one measure of it, or of another section)."""
    hits = retrieval.search(text, 3)
    if not hits or hits[0].score < retrieval.MIN_SCORE / 2:
        return None
    said = topic.short + topic.title + (knowledge.full_line_for(topic, retrieval.content_words(text), topic.short) or "")
    own = _topic_sections(topic)
    named = []  # a term of the question that a close clause holds (of the topic's own
    for hit in hits:  # clause: its words, not a name for it)
        if hit.score < PLAN_SHARE * hits[0].score:
            break
        terms = retrieval.missing_terms(text, hit.clause, said, by_name=hit.clause.section not in own)
        if terms:
            named.append((max(len(t) for t in terms), hit.score, hit.clause))
    if named:  # the clause naming the longest such term ("就业指导" over "毕业")
        return max(named, key=lambda found: found[:2])[2]
    best = hits[0]  # or one clause of the topic's own section stands out, and the answer lacks it
    if best.clause.section in own and best.score >= retrieval.MIN_SCORE \
            and (len(hits) < 2 or best.score >= retrieval.MIN_MARGIN * hits[1].score) \
            and retrieval.covered(best.clause, knowledge.render(topic) + topic.title) < COVERED:
        return best.clause
    return None


# The topic the NLU falls back on for any question about "the plan": a clause of another
# section that stands out says better what such a question asks.
GENERAL_TOPIC = "plan_overview"
SURE = 0.8  # an NLU this sure keeps its topic unless the topic is the general one


# Overruling the NLU takes more than answering when it is unsure: a clause this high, and this
# far above the best clause of another section (measured: the clauses that rightly overrule
# score 59–131 and 1.8–2.6 times the next; a misheard "能算件安排比例业" 25 and 1.3 times).
OVERRULE_SCORE = 30.0
OVERRULE_MARGIN = 1.5


def _stands_out_clearly(hits: List[retrieval.Hit]) -> bool:
    other = next((h for h in hits[1:] if h.clause.section != hits[0].clause.section), None)
    return hits[0].score >= OVERRULE_SCORE and (other is None or hits[0].score >= OVERRULE_MARGIN * other.score)


def clause_over_topic(tracker: Tracker, topic: knowledge.Topic) -> "Optional[tuple]":
    """When the NLU's topic is the general one or unsure, and one clause of the plan in a
    section the topic does not cover stands out ("编制68个人…这个三年行动方案要我们怎么做":
    二（一）): (the topic of that section the NLU ranks highest, one whose first source is that
    section before one that only cites it, or None; and the clause). None keeps the NLU's topic."""
    text = latest_text(tracker)
    confidence = (tracker.latest_message.get("intent") or {}).get("confidence") or 0.0
    if topic.id != GENERAL_TOPIC and confidence >= SURE:
        return None
    hits = retrieval.search(text, 5)
    own = _topic_sections(topic)
    if not retrieval.confident(hits, text) or not hits[0].clause.in_plan \
            or any(h.clause.section in own for h in hits[:3]) or not _stands_out_clearly(hits):
        return None
    section = hits[0].clause.section
    ranked = [_kb().by_intent(r.get("name")) for r in tracker.latest_message.get("intent_ranking") or []]
    covering = [t for t in ranked if t is not None and t.id != topic.id and section in _topic_sections(t)]
    # a topic about that section first (机关事业单位带头招 for 二（一）), not one that also cites it (户籍限制)
    primary = [t for t in covering if _primary_section(t) == section]
    if primary or covering:
        return (primary or covering)[0], hits[0].clause
    return None, hits[0].clause


def _primary_section(topic: knowledge.Topic) -> Optional[str]:
    return next((s.section for s in topic.sources if s.doc == sources.PLAN), None)


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


# A clause that stood out over the NLU's topic is said after the answer of its section's
# topic unless that answer says this much of it already.
STANDOUT_COVERED = 0.7


def answer_topic_and_clause(dispatcher: CollectingDispatcher, tracker: Tracker, topic: knowledge.Topic,
                            standout: Optional[sources.Clause] = None, named: Optional[sources.Clause] = None) -> Events:
    """The topic's answer, then the clause of the measure asked about when the topic's
    short answer lacks it ("开考比例" asked of the public-sector quota), or the clause that
    stood out (``standout``) when the answer does not say it all; a clause the question
    names (``named``: 挂靠) comes before any other."""
    if named is not None and retrieval.covered(named, knowledge.render(topic) + topic.title) >= STANDOUT_COVERED:
        named = None  # the answer says it already
    clause = named or (clause_for(latest_text(tracker), topic) if not _pressed(tracker) else None)
    if clause is not None and clause.section in _topic_sections(topic) \
            and commands.question_kind(latest_text(tracker)) == "who_decides":
        # "机关招录残疾人体检条件谁定": who decides that measure, which its clause says, not the
        # topic's departments
        return answer_clause(dispatcher, clause, question=latest_text(tracker))
    if clause is None and standout is not None \
            and retrieval.covered(standout, knowledge.render(topic) + topic.title) < STANDOUT_COVERED:
        clause = standout
    events = answer_topic(dispatcher, tracker, topic)
    if clause is not None:
        dispatcher.utter_message(text=messages.ALSO_CLAUSE.format(text=sources.render(clause)))
        events.append(SlotSet(SLOT_LAST_CLAUSE, clause.id))
    return events


def _close_menu(tracker: Tracker) -> Events:
    """A question typed or said while a menu or a list of topics is open answers it, and
    closes that list: a "2" said after the answer is not its second item any more. A
    yes-or-no list (the read-back, consent) stays open."""
    options = tracker.get_slot(SLOT_OPTIONS) or []
    if _pressed(tracker) or len(options) < 2 or yes_no_list_open(tracker):
        return []
    return [SlotSet(SLOT_OPTIONS, None)]


class ActionAnswerTopic(Action):
    def name(self) -> Text:
        return "action_answer_topic"

    def run(self, dispatcher, tracker, domain) -> Events:
        named = option_named(tracker)
        if named is not None:  # "事业单位" said to the list of checks: that item
            return choose(dispatcher, tracker, named)
        who = answer_who(dispatcher, tracker)
        if who is not None:
            return who
        topic = _kb().by_intent(latest_intent(tracker))
        if topic is None:
            return out_of_scope(dispatcher)
        number = _number_alone(tracker)
        if number and number not in topic.short + topic.full:  # "123456789" is no 12385
            return _say_number_alone(dispatcher, number)
        instead = None if _pressed(tracker) else clause_over_topic(tracker, topic)
        closed = _close_menu(tracker)
        if instead is None:
            return answer_topic_and_clause(dispatcher, tracker, topic) + closed
        other, clause = instead
        if other is None:
            return answer_clause(dispatcher, clause, question=latest_text(tracker)) + closed
        return answer_topic_and_clause(dispatcher, tracker, other, standout=clause) + closed


class ActionAnswerFollowUp(Action):
    """"去哪里申请", "要带什么材料", "谁能申请" after an answer: that part of what was just
    answered (the topic's facet of that kind, or the clause with who carries it out)."""

    def name(self) -> Text:
        return "action_answer_follow_up"

    def run(self, dispatcher, tracker, domain) -> Events:
        text = latest_text(tracker)
        kind = commands.question_kind(text)  # the InputGuard found it a follow-up (follow_up_kind)
        topic = _kb().topics.get(tracker.get_slot(SLOT_LAST_TOPIC) or "")
        if topic is not None:
            facet = topic.facet(kind)
            if facet is None and kind in messages.FOLLOW_UP_WHAT:  # nothing known of that kind: say so
                dispatcher.utter_message(text=messages.FOLLOW_UP_NONE.format(
                    title=topic.title, what=messages.FOLLOW_UP_WHAT[kind]))
                return [SlotSet(SLOT_CLARIFYING, False)]
            if facet is None:  # a kind without facets (yes or no): the whole short answer
                return answer_topic(dispatcher, tracker, topic)
            dispatcher.utter_message(text=f"{facet}\n依据：{topic.citation}")
            return [SlotSet(SLOT_CLARIFYING, False)]
        clause = sources.find(tracker.get_slot(SLOT_LAST_CLAUSE) or "")
        if clause is not None:
            dispatcher.utter_message(text=sources.render(clause, responsible=True))
            return [SlotSet(SLOT_CLARIFYING, False)]
        dispatcher.utter_message(text=messages.FOLLOW_UP_WHICH)
        return [SlotSet(SLOT_CLARIFYING, False)]


def _pressed(tracker: Tracker) -> bool:
    """A button's payload or a chosen topic, not a question in words."""
    return (latest_text(tracker) or "").startswith("/")


class ActionAnswerClause(Action):
    """哪一条 / 依据是什么 / 原文怎么说, about something named: the clause itself."""

    def name(self) -> Text:
        return "action_answer_clause"

    def run(self, dispatcher, tracker, domain) -> Events:
        who = answer_who(dispatcher, tracker)
        if who is not None:
            return who
        hits = retrieval.search(latest_text(tracker), 5)
        if not hits:
            return out_of_scope(dispatcher)
        # "哪一条 / 原文": the plan's own clause when one is close; a related rule otherwise
        plan = next((h for h in hits if h.clause.in_plan and h.score >= PLAN_SHARE * hits[0].score), hits[0])
        return answer_clause(dispatcher, plan.clause, original=True, question=latest_text(tracker))


@on_option("clause")
def _chosen_clause(dispatcher, tracker, option: Option) -> Events:
    clause = sources.find(option.value)
    if clause is None:
        dispatcher.utter_message(text=messages.NO_OPTIONS)
        return []
    return answer_clause(dispatcher, clause)


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
    MAX_CLAUSES = 2

    def run(self, dispatcher, tracker, domain) -> Events:
        named = option_named(tracker)
        if named is not None:  # an item of the open list, named in words
            return choose(dispatcher, tracker, named)
        options = tracker.get_slot(SLOT_OPTIONS) or []
        if commands.bare_answer(latest_text(tracker)) and not tracker.active_loop.get("name"):
            if len(options) < 2:
                return answer_alone(dispatcher, tracker)  # "有" with no question open
            if yes_no_list_open(tracker):  # "没有" to 对吗？: which?
                dispatcher.utter_message(text=messages.YES_NO_ONLY)
                current_list_again(dispatcher, tracker)
                return []
        who = answer_who(dispatcher, tracker)
        if who is not None:
            return who
        if _own_figures(tracker) is not None:  # "我们公司28个人" after the levy's answer: that check,
            return [FollowupAction(START_CHECK)]  # which its form reads them from
        number = _number_alone(tracker)
        if number:
            return _say_number_alone(dispatcher, number)
        unknown = retrieval.none_known(latest_text(tracker))
        if unknown:  # "残疾人能考驾照吗": no word of it is in the knowledge; a list would only guess
            dispatcher.utter_message(text=messages.NOT_IN_KNOWLEDGE.format(words="、".join(unknown[:2])))
            return [SlotSet(SLOT_CLARIFYING, False)]
        kb = _kb()
        hits = retrieval.search(latest_text(tracker), 3)
        ranked = [kb.by_intent(r.get("name")) for r in tracker.latest_message.get("intent_ranking") or []]
        likeliest = next((t for t in ranked if t is not None), None)
        named = retrieval.named_clause(latest_text(tracker))
        if named is not None and hits and hits[0].clause != named:
            named = None  # a term one clause lists settles which, only when that clause scores best too
        if named is not None or retrieval.confident(hits, latest_text(tracker)):  # one clause of the plan stands out
            clause = named or hits[0].clause
            if likeliest is not None and clause.section in _topic_sections(likeliest):
                # the NLU's guess, confirmed by the clause, which a term of the question named
                return answer_topic_and_clause(dispatcher, tracker, likeliest,
                                               named=clause if named is not None else None)
            return answer_clause(dispatcher, clause, question=latest_text(tracker))
        candidates = []
        for ranked in tracker.latest_message.get("intent_ranking") or []:
            topic = kb.by_intent(ranked.get("name"))
            if topic and (ranked.get("confidence") or 0) >= self.MIN_CONFIDENCE:
                candidates.append(topic)
            if len(candidates) == self.MAX_CHOICES:
                break
        best = [h.clause for h in hits[:self.MAX_CLAUSES] if h.score >= retrieval.MIN_SCORE / 2
                and not any(retrieval.covered(h.clause, knowledge.render(t)) >= MENU_COVERED for t in candidates)]
        if tracker.get_slot(SLOT_CLARIFYING) or not (candidates or best):
            return out_of_scope(dispatcher)
        items = [(t.title, f"/{t.intent}", Option("topic", t.id)) for t in candidates]
        items += [(_clause_choice(c), f'/choose_number{{"number": {len(items) + n}}}', Option("clause", c.id))
                  for n, c in enumerate(best, 1)]
        options = numbered_list(
            dispatcher,
            messages.CLARIFY,
            items,
            zero=(messages.NONE_OF_THESE, "/out_of_scope", Option("none")),
        )
        return options + [SlotSet(SLOT_CLARIFYING, True)]


def _number_alone(tracker: Tracker) -> Optional[str]:
    """A message that is a number of three digits or more and nothing else."""
    found = re.fullmatch(r"\s*(\d{3,})\s*", latest_text(tracker) or "")
    return found.group(1) if found else None


def _say_number_alone(dispatcher: CollectingDispatcher, number: str) -> Events:
    dispatcher.utter_message(text=messages.NUMBER_ALONE.format(number=number))
    return [SlotSet(SLOT_CLARIFYING, False)]


START_CHECK = "action_start_check"  # (actions.checks: it starts the check of the last topic)


def _own_figures(tracker: Tracker) -> Optional[str]:
    """The check of the topic just answered, when a message the NLU could not place gives
    that check's own figures (its sentence reader reads something)."""
    check_id = checks.for_topic(tracker.get_slot(SLOT_LAST_TOPIC))
    check = checks.default().get(check_id) if check_id else None
    if check is None or not check.sentence:
        return None
    return check_id if sentences.read(check.sentence, latest_text(tracker)) else None


def _clause_choice(clause: sources.Clause) -> str:
    if clause.in_plan:
        return messages.CLAUSE_CHOICE.format(section=clause.section, plain=_short(clause.said()))
    return messages.RULE_CHOICE.format(document=clause.document, plain=_short(clause.said()))


def _short(text: str, limit: int = 24) -> str:
    return text if len(text) <= limit else text[:limit] + "…"


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
        clause = sources.find(tracker.get_slot(SLOT_LAST_CLAUSE) or "")
        if topic:  # the topic's answer, and the clause said after it ("您问到的这一条") when there was one
            text = knowledge.render(topic, detailed=level == "full")
            if clause:
                text += "\n" + messages.ALSO_CLAUSE.format(text=sources.render(clause, original=level == "full"))
        elif clause:
            text = sources.render(clause, original=level == "full")
        else:
            text = messages.DETAIL_ON if level == "full" else messages.DETAIL_OFF
        dispatcher.utter_message(text=text)
        return [SlotSet(SLOT_DETAIL, level)]


class ActionCiteSource(Action):
    def name(self) -> Text:
        return "action_cite_source"

    def run(self, dispatcher, tracker, domain) -> Events:
        topic = _kb().topics.get(tracker.get_slot(SLOT_LAST_TOPIC) or "")
        clause = sources.find(tracker.get_slot(SLOT_LAST_CLAUSE) or "")
        if not (topic or clause) and retrieval.names_something(latest_text(tracker)):
            # "核定人数依据哪个文件" asked first: the clause about what it names
            return ActionAnswerClause().run(dispatcher, tracker, domain)
        if topic:  # the topic's sources, and the clause said after its answer when there was one
            text = knowledge.render_source(topic, _kb())
            if clause:
                text += "\n" + sources.render(clause, original=True)
        elif clause:
            text = sources.render(clause, original=True)
        elif (tracker.get_slot(SLOT_RESULT) or {}).get("citations"):  # 出处 after a check's result
            text = messages.RESULT_SOURCES.format(sources="；".join(tracker.get_slot(SLOT_RESULT)["citations"]))
        else:
            text = messages.NO_TOPIC_YET
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
