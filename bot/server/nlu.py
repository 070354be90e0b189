"""Rasa NLU graph components of jiuye (config.yml names them; they run inside the
Rasa server, never in the action server).

- ``NormalizingJiebaTokenizer``: normalises the message (traditional → simplified,
  full-width → half-width, emoji and stray spaces removed, length capped) and then
  tokenises it with Jieba and the domain dictionary. Training examples go through
  the same normalisation, so what the model learns and what it sees match.
- ``InputGuard``: runs last. A message with nothing meaningful in it (only emoji,
  only punctuation, empty) becomes the intent ``empty_message``; a message that is
  just a number picked from a numbered list ("2", "第二个", "我选三") becomes
  ``choose_number`` with the entity ``number``. Both are decided by rules, not by
  the statistical model, because a blind person saying "二" must never be guessed.
  Conversely, when the model says ``choose_number`` for a sentence that is not a
  number ("12385现在还能用吗"), the guard drops that guess and takes the next one,
  or ``nlu_fallback`` when the next one is below ``fallback_threshold``.
  A levy question that carries the person's own numbers ("我们公司200人…残保金交多少")
  becomes ``calculate_levy``, which starts the calculation form. A question that asks
  for the text of a rule about something named ("盲人按摩的依据是什么", "这条在哪一部分")
  becomes ``ask_clause``, answered from the sources' clauses (``jiuye.retrieval``).
  Every one of these readings is a function of ``jiuye.interpret``, shared with the
  forms, the CLI and the doors; the guard only applies them.
"""
from __future__ import annotations

import re
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.jieba_tokenizer import JiebaTokenizer
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME, INTENT_MESSAGE_PREFIX
from rasa.shared.nlu.constants import (
    ENTITIES,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from jiuye.interpret.commands import (
    asks_to_check,
    follow_up_kind,
    is_command,
    is_correction,
    parse_choice,
    yes_or_no,
)
from jiuye.interpret.numbers import wants_levy_calculation
from jiuye.retrieval import asks_for_clause, asks_for_source, content_words
from jiuye.text import is_meaningful, normalize, sound, without_greeting

EMPTY_INTENT = "empty_message"
LEVY_INTENT = "calculate_levy"
CHOICE_INTENT = "choose_number"
CHECK_INTENT = "check_eligibility"
AFFIRM_INTENT = "affirm"
DENY_INTENT = "deny"
CORRECT_INTENT = "correct"
CLAUSE_INTENT = "ask_clause"
SOURCE_INTENT = "ask_source"
FOLLOW_UP_INTENT = "ask_follow_up"
# Commands that change what happens next, and the small talk that ends or opens a talk; a
# long message without a command's words is not one of them, whatever the model guesses
# ("…残疾证是借来的，挂在公司名下，这样可以吗" is no 再见).
STATE_COMMANDS = {"speak_slower", "speak_faster", "speak_normal", "repeat", "cancel", "delete_my_data",
                  "restart_calculation", "goodbye", "greet", "thanks", "help"}
# The menu's own words, for a long message ("东西部协作对残疾人就业有什么帮助" holds 帮助
# but asks about a measure).
OWN_WORDS = {"help": re.compile(r"菜单|功能|能做什么|能干什么|能问什么|可以问|怎么用")}
LONGEST_COMMAND = 15
# 详细 / 简单 said in many words ("再多讲一点吧", "太长了记不住"): a message longer than this that
# names two things is a question, whatever the model guessed.
DETAIL_COMMANDS = {"more_detail", "less_detail"}
SHORTEST_QUESTION = 10
# A message that asks (a question word or mark): the model's yes or no is a guess.
_ASKS = re.compile(r"[？?]|吗|什么|怎么|哪|多少|啥|谁|几")
OUT_OF_SCOPE_INTENT = "out_of_scope"
# A sentence in another language ("can disabled people get a tobacco license"): the model
# knows Chinese only, so it gets the polite out-of-scope answer, not a guess.
_FOREIGN = re.compile(r"^[^\u4e00-\u9fff]*[A-Za-z]{2,}[^\u4e00-\u9fff]*\s[A-Za-z]{2,}[^\u4e00-\u9fff]*$")
NUMBER_ENTITY = "number"


def _normalize_message(message: Message) -> None:
    text = message.get(TEXT)
    if isinstance(text, str) and not text.startswith(INTENT_MESSAGE_PREFIX):
        message.set(TEXT, without_greeting(normalize(text)))


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=True
)
class NormalizingJiebaTokenizer(JiebaTokenizer):
    """Jieba tokenizer that normalises Chinese text first. Each token's lemma is how
    it sounds (``text.sound``: fuzzy toneless pinyin), which a featurizer with
    ``use_lemma: true`` turns into pinyin features; the others read the characters
    (``use_lemma: false``)."""

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        for example in training_data.training_examples:
            _normalize_message(example)
        return super().process_training_data(training_data)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            _normalize_message(message)
        return super().process(messages)

    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        tokens = super().tokenize(message, attribute)
        if attribute == TEXT:
            for token in tokens:
                token.lemma = sound(token.text)
        return tokens


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False
)
class InputGuard(GraphComponent):
    """Rule-based overrides for empty input and numbered choices."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # Keep equal to the FallbackClassifier's threshold in config.yml.
        return {"fallback_threshold": 0.45}

    def __init__(self, config: Dict[Text, Any]) -> None:
        self.fallback_threshold = float(config.get("fallback_threshold", 0.45))
        asks_for_clause("盲人按摩的依据是什么")  # load the clause words now, not on someone's question

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "InputGuard":
        return cls({**cls.get_default_config(), **config})

    @staticmethod
    def _override(message: Message, intent: str) -> None:
        ranking = [
            r for r in (message.get(INTENT_RANKING_KEY) or []) if r.get(INTENT_NAME_KEY) != intent
        ]
        top = {INTENT_NAME_KEY: intent, PREDICTED_CONFIDENCE_KEY: 1.0}
        message.set(INTENT, top, add_to_output=True)
        message.set(INTENT_RANKING_KEY, [top] + ranking, add_to_output=True)

    @staticmethod
    def _says_command(message: Message, text: str) -> bool:
        """The command's own words: 菜单 for the menu ("…有什么帮助" asks about a measure)."""
        own = OWN_WORDS.get((message.get(INTENT) or {}).get(INTENT_NAME_KEY))
        return bool(own.search(text)) if own else is_command(text)

    def _drop_guess(self, message: Message, dropped) -> None:
        """The model's guess is one of ``dropped`` but the text says otherwise: next guess."""
        ranking = [
            r
            for r in (message.get(INTENT_RANKING_KEY) or [])
            if r.get(INTENT_NAME_KEY) not in dropped and r.get(INTENT_NAME_KEY) != DEFAULT_NLU_FALLBACK_INTENT_NAME
        ]
        best = ranking[0] if ranking else None
        if best is None or best.get(PREDICTED_CONFIDENCE_KEY, 0) < self.fallback_threshold:
            best = {INTENT_NAME_KEY: DEFAULT_NLU_FALLBACK_INTENT_NAME, PREDICTED_CONFIDENCE_KEY: 1.0}
            ranking = [best] + ranking
        message.set(INTENT, best, add_to_output=True)
        message.set(INTENT_RANKING_KEY, ranking, add_to_output=True)

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT)
            if not isinstance(text, str) or text.startswith(INTENT_MESSAGE_PREFIX):
                continue
            if not is_meaningful(text):
                self._override(message, EMPTY_INTENT)
                continue
            if _FOREIGN.match(text):
                self._override(message, OUT_OF_SCOPE_INTENT)
                continue
            if wants_levy_calculation(text):
                self._override(message, LEVY_INTENT)
                continue
            if asks_to_check(text):
                self._override(message, CHECK_INTENT)
                continue
            if asks_for_clause(text):
                self._override(message, CLAUSE_INTENT)
                continue
            if asks_for_source(text):
                self._override(message, SOURCE_INTENT)
                continue
            if follow_up_kind(text):
                self._override(message, FOLLOW_UP_INTENT)
                continue
            said = yes_or_no(text)
            if said is not None:
                self._override(message, AFFIRM_INTENT if said else DENY_INTENT)
                continue
            if is_correction(text):
                self._override(message, CORRECT_INTENT)
                continue
            number = parse_choice(text)
            if number is not None:
                self._override(message, CHOICE_INTENT)
                entity = {
                    "entity": NUMBER_ENTITY,
                    "value": number,
                    "start": 0,
                    "end": len(text),
                    "confidence_entity": 1.0,
                    "extractor": self.__class__.__name__,
                }
                others = [e for e in (message.get(ENTITIES) or []) if e.get("entity") != NUMBER_ENTITY]
                message.set(ENTITIES, others + [entity], add_to_output=True)
            elif (message.get(INTENT) or {}).get(INTENT_NAME_KEY) == CHOICE_INTENT:
                self._drop_guess(message, {CHOICE_INTENT})  # the model said a number; the text holds none
            elif (message.get(INTENT) or {}).get(INTENT_NAME_KEY) in STATE_COMMANDS and \
                    len(normalize(text)) > LONGEST_COMMAND and not self._says_command(message, text):
                # a long question taken for "慢一点" or "取消" ("…能不能通融一下"): not a command
                self._drop_guess(message, STATE_COMMANDS)
            elif (message.get(INTENT) or {}).get(INTENT_NAME_KEY) in DETAIL_COMMANDS and \
                    len(normalize(text)) > SHORTEST_QUESTION and len(content_words(text)) >= 2:
                # "燕市的摊位有没有留给残疾人呢" (misheard 夜市) is a question about stalls, not "详细"
                self._drop_guess(message, DETAIL_COMMANDS)
            elif (message.get(INTENT) or {}).get(INTENT_NAME_KEY) in (AFFIRM_INTENT, DENY_INTENT) and \
                    len(normalize(text)) > LONGEST_COMMAND and _ASKS.search(text):
                # "我们不是国企，方案对普通企业有什么要求？" is a question, not a "no"
                self._drop_guess(message, {AFFIRM_INTENT, DENY_INTENT})
        return messages
