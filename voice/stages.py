"""The voice stages' interfaces and the typed events that pass between them.

In the style of Wyoming / Home Assistant Assist: speech-to-text, the assistant and
text-to-speech are separate stages; a door chains them (voice/assistant.py, the kiosk)
and can follow a turn through small events, each stamped with ``time.perf_counter()``:

    SpeechStarted → SpeechStopped → Heard (first, maybe focus / full / slower) →
    Understood → AudioChunk … → TurnEnded

A door passes ``on_event`` to see them (the kiosk keeps them in ``Kiosk.events``; the
tests read the order and the timing from there).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable, Iterator, List, Optional, Protocol, Tuple

import numpy as np


class Recognizer(Protocol):
    """Speech to text: 16 kHz float32 samples → ``Transcript`` (voice/stt.py)."""

    engine: str

    def transcribe(self, samples: np.ndarray, **hints) -> "TranscriptLike":
        ...


class TranscriptLike(Protocol):
    text: str


class Synthesizer(Protocol):
    """Text to speech at a rate (slow / normal / fast): int16 samples and their rate
    (voice/tts.py). An engine may also ``stream`` a sentence clause by clause."""

    def synthesize(self, text: str, rate: str = "normal") -> Tuple[np.ndarray, int]:
        ...


@dataclass(frozen=True, kw_only=True)
class VoiceEvent:
    at: float = field(default_factory=time.perf_counter)


@dataclass(frozen=True, kw_only=True)
class SpeechStarted(VoiceEvent):
    """The microphone's VAD found speech."""


@dataclass(frozen=True, kw_only=True)
class SpeechStopped(VoiceEvent):
    """The speech ended (the VAD's own end, before the wait for more)."""

    seconds: float = 0.0  # how long the utterance is


@dataclass(frozen=True, kw_only=True)
class Heard(VoiceEvent):
    """A hearing of the clip: ``first``, or one kept from a second hearing (``focus``:
    the likeliest topics in the prompt; ``full``: Whisper's full window; ``slower``:
    a short answer played slower)."""

    text: str
    hearing: str = "first"


@dataclass(frozen=True, kw_only=True)
class Understood(VoiceEvent):
    """The assistant's reply to what was heard (``intent``: what it took it for)."""

    intent: Optional[str]
    texts: List[str]


@dataclass(frozen=True, kw_only=True)
class AudioChunk(VoiceEvent):
    """A piece of the spoken reply, ready to play."""

    pcm: np.ndarray
    sample_rate: int


@dataclass(frozen=True, kw_only=True)
class TurnEnded(VoiceEvent):
    """``answered``, ``refused`` (audio that cannot be heard), ``not_heard``, ``key`` (a
    typed digit), ``silence``, or ``interrupted`` (the person spoke over the reply)."""

    reason: str


OnEvent = Callable[[VoiceEvent], None]


def ignore(event: VoiceEvent) -> None:
    """The default listener: events are optional."""


def chunks(pieces: Iterator[Tuple[np.ndarray, int]], on_event: OnEvent) -> Iterator[Tuple[np.ndarray, int]]:
    """Pass speech pieces on, announcing each as an ``AudioChunk``."""
    for pcm, sample_rate in pieces:
        on_event(AudioChunk(pcm=pcm, sample_rate=sample_rate))
        yield pcm, sample_rate
