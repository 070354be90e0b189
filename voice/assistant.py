"""One voice turn: audio in → recognised text → the Rasa assistant → speech out.

Each stage is usable on its own (voice.audio, voice.stt, voice.render, voice.tts);
this module only chains them for the doors (``jiuye voice``, Telegram voice notes).
Models load once per ``VoiceAssistant``. Audio is never written anywhere unless the
caller does so; transcripts go to the assistant like typed text.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Dict, Iterator, List, Optional, Tuple

import numpy as np
import requests

from bot import rest_client
from voice import render
from voice.audio import AudioError, decode

NOT_HEARD = "没听清楚，请再说一遍，或者打字。"
HEARD = "我听到的是：{text}"


@dataclass
class VoiceReply:
    heard: str  # what was recognised ("" when nothing)
    texts: List[str]  # the bot's messages as text
    buttons: List[Dict[str, str]] = field(default_factory=list)
    sentences: List[str] = field(default_factory=list)  # for the ear
    pcm: Optional[np.ndarray] = None  # int16
    sample_rate: int = 16000
    timings: Dict[str, float] = field(default_factory=dict)  # seconds per stage

    @property
    def understood(self) -> bool:
        return bool(self.heard)


class VoiceAssistant:
    def __init__(self, url: str, stt_engine: str = "auto", tts_engine: str = "auto") -> None:
        from voice import stt, tts

        self.url = url
        self.recognizer = stt.recognizer(stt_engine)
        self.synthesizer = tts.synthesizer(tts_engine)

    def speech_rate(self, sender: str) -> str:
        """The person's 慢一点 / 快一点 setting, kept by the assistant (slot speech_rate)."""
        return rest_client.slot(self.url, sender, "speech_rate") or "normal"

    def speak_stream(self, sentences: List[str], rate: str = "normal") -> Iterator[Tuple[np.ndarray, int]]:
        """Speech piece by piece (``render.to_play``), so that playing can start after the first."""
        for sentence in render.to_play(sentences):
            pcm, sample_rate = self.synthesizer.synthesize(sentence, rate)
            if len(pcm):
                yield pcm, sample_rate

    def speak(self, sentences: List[str], rate: str = "normal", timings: Optional[Dict[str, float]] = None):
        start = time.perf_counter()
        pieces, sample_rate = [], 16000
        for pcm, sample_rate in self.speak_stream(sentences, rate):
            if not pieces and timings is not None:
                timings["first_audio"] = time.perf_counter() - start
            pieces.append(pcm)
        return (np.concatenate(pieces) if pieces else np.zeros(0, np.int16)), sample_rate

    def say(self, text: str, rate: str = "normal") -> VoiceReply:
        """Speech for a fixed sentence (a refusal, the greeting)."""
        sentences = render.for_ear([text])
        pcm, sample_rate = self.speak(sentences, rate)
        return VoiceReply("", [text], sentences=sentences, pcm=pcm, sample_rate=sample_rate)

    def ask(self, sender: str, text: str) -> VoiceReply:
        """A typed or recognised question: the bot's reply, rendered and spoken."""
        start = time.perf_counter()
        try:
            replies = rest_client.send(self.url, sender, text)
        except (requests.RequestException, ValueError):
            replies = [{"text": rest_client.BUSY}]
        texts = [r["text"] for r in replies if r.get("text")]
        buttons = [b for r in replies for b in (r.get("buttons") or [])]
        bot_done = time.perf_counter()
        try:
            rate = self.speech_rate(sender)
        except (requests.RequestException, ValueError, KeyError):
            rate = "normal"
        sentences = render.for_ear(texts, buttons)
        timings = {"bot": bot_done - start}
        pcm, sample_rate = self.speak(sentences, rate, timings)
        timings["tts"] = time.perf_counter() - bot_done
        timings["first_audio"] = timings.get("first_audio", 0.0) + (bot_done - start)
        return VoiceReply(text, texts, buttons, sentences, pcm, sample_rate, timings)

    def turn(self, sender: str, data: bytes, raw: Optional[str] = None) -> VoiceReply:
        """A recorded question (any supported format) → the spoken reply."""
        start = time.perf_counter()
        try:
            audio = decode(data, raw=raw)
        except AudioError as refusal:
            return self.say(str(refusal))
        heard = self.recognizer.transcribe(audio.floats()).text
        recognised = time.perf_counter()
        if not any(ch.isalnum() for ch in heard):
            reply = self.say(NOT_HEARD)
            reply.timings["stt"] = recognised - start
            return reply
        reply = self.ask(sender, heard)
        reply.timings["stt"] = recognised - start
        reply.timings["first_audio"] += recognised - start  # end of speech → first reply audio
        return reply
