"""The microphone loop for a kiosk or a hotline PC: greet, listen until the speaker
stops, answer, listen again.

- **Endpointing**: Silero VAD (shipped with faster-whisper) reads the utterance every
  0.15 s; the turn ends ``end_silence`` seconds after the speech does (the VAD's own
  end, not widened by padding; loudness alone would never end a turn in a noisy room).
- **Hearing early**: the clip is already being heard once the speaker has been quiet
  for ``early_after`` seconds, in a background thread, while the loop waits out the
  rest of ``end_silence``; the hearing is dropped if the speaker goes on. The reply's
  wait (``first_audio``) is counted from the end of speech.
- **Playing as it is said**: an answer is synthesised piece by piece (``render.to_play``)
  in a background thread and each piece is played as soon as it is ready, so the
  person hears the start while the rest is still being made; the first pieces of the
  knowledge base's answers are said ahead of time (``VoiceAssistant.warm``).
- **Barge-in**: while an answer plays, the microphone is still read; speech stops the
  answer (and its synthesis) and is taken as the next question. (Use a headset or a device with echo
  cancellation: an open speaker would interrupt itself.)
- **Keys**: a digit typed on the keyboard chooses a numbered option at once.
- **Silence**: no speech once → the last question is asked again; twice → the person
  is offered a human (12385), and the loop goes on listening.

The loop talks to ``Microphone``, ``Speaker`` and ``Keys`` objects; ``run_microphone``
wires them to the sound card (sounddevice / PortAudio) and the terminal. Nothing heard
is written to disk.
"""
from __future__ import annotations

import logging
import queue
import select
import sys
import threading
import time
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Callable, Iterator, List, Optional, Protocol, Tuple

import numpy as np

from voice import render
from voice.audio import RATE, to_wav
from voice.stages import SpeechStarted, SpeechStopped, TurnEnded, VoiceEvent
from voice.stt import speech_segments

logger = logging.getLogger(__name__)
FRAME = 480  # 30 ms at 16 kHz
CHECK_EVERY = 5  # frames (0.15 s) between VAD readings of the utterance (about 4 ms each for 3 s)
GREETING = "你好"  # sent to the assistant, which answers with its one-sentence greeting
SILENCE_AGAIN = "我没有听到声音。"
OFFER_PERSON = "还是没有听到声音。需要人工帮助，请拨打一二三八五，或者说“人工”。"


class Microphone(Protocol):
    def frames(self) -> Iterator[np.ndarray]:
        """Endless 30 ms frames of 16 kHz int16 audio."""


class Speaker(Protocol):
    def play(self, pcm: np.ndarray, rate: int, interrupted: Callable[[], bool]) -> bool:
        """Play; poll ``interrupted`` while playing; False if it stopped early."""


class Keys(Protocol):
    def digit(self) -> Optional[str]:
        """A digit typed since the last call, or None (never blocks)."""


def loud(frame: np.ndarray, threshold_dbfs: float = -40.0) -> bool:
    """Energy above the threshold: someone may be speaking (fast, per frame)."""
    if len(frame) == 0:
        return False
    rms = float(np.sqrt(np.mean((frame.astype(np.float64) / 32768.0) ** 2)))
    return rms > 0 and 20 * np.log10(rms) > threshold_dbfs


class Kiosk:
    def __init__(self, assistant, sender: str, microphone: Microphone, speaker: Speaker, keys: Keys,
                 listen_seconds: float = 8.0, end_silence: float = 0.8, max_seconds: float = 30.0,
                 early_after: Optional[float] = 0.3) -> None:
        self.assistant = assistant
        self.sender = sender
        self.frames = microphone.frames()
        self.speaker = speaker
        self.keys = keys
        self.listen_seconds = listen_seconds
        self.end_silence = end_silence
        self.max_seconds = max_seconds
        self.early_after = early_after  # None: hear only once listening has stopped
        # One thread hears, so that an early hearing that was dropped and the next one
        # never run at once (Whisper already uses both cores).
        self._hearing = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kiosk-hearing")
        self.early: Optional[Future] = None  # the hearing begun before listening stopped
        self.speech_ended = 0.0  # when the speech ended, by the VAD (for first_audio)
        self.barge_in: List[np.ndarray] = []  # speech heard while an answer played
        self.log: List[str] = []  # what happened, for the tests and the operator
        self.last_prompt = None  # the last answer (a VoiceReply), said again after a silence
        self.first_audio: List[float] = []  # seconds from the end of speech (or a key) to the first sound
        self.said: List[float] = []  # seconds of each reply played whole (an interrupted one: until then)
        # The turn's typed events (voice/stages.py), the assistant's among them.
        self.events: List[VoiceEvent] = []
        if hasattr(assistant, "on_event"):
            assistant.on_event = self.events.append

    # -- listening -------------------------------------------------------------
    def listen(self) -> Optional[np.ndarray]:
        """Audio of one utterance; None after ``listen_seconds`` of silence.
        A typed digit ends listening too (returned through ``self.typed``).

        Once someone is speaking, Silero VAD reads the utterance every CHECK_EVERY
        frames: listening stops ``end_silence`` after the end of the last speech, and
        a hearing begins ``early_after`` after it (``self.early``), dropped if the
        VAD then finds speech past what it was given."""
        self.typed = None
        self.early = None
        early_size = 0  # samples the early hearing was given
        heard: List[np.ndarray] = list(self.barge_in)
        self.barge_in = []
        started = bool(heard)
        if started:  # the person spoke over the last reply: that speech began the turn
            self.events.append(SpeechStarted())
        quiet_frames = 0  # frames in a row under the loudness threshold
        waited = 0
        pause = min(self.end_silence, self.early_after or self.end_silence)  # the VAD's shortest pause
        for count, frame in enumerate(self.frames, 1):
            digit = self.keys.digit()
            if digit is not None:
                self.typed = digit
                return None
            if not started:
                waited += 1
                if loud(frame):
                    started = True
                    heard.append(frame)
                    self.events.append(SpeechStarted())
                elif waited * FRAME >= self.listen_seconds * RATE:
                    return None
                continue
            heard.append(frame)
            quiet_frames = 0 if loud(frame) else quiet_frames + 1
            size = len(heard) * FRAME
            self.speech_ended = time.perf_counter()
            if size >= self.max_seconds * RATE:
                break
            if count % CHECK_EVERY:
                continue
            audio = np.concatenate(heard)
            segments = speech_segments(audio.astype(np.float32) / 32768.0, int(pause * 1000), pad_ms=0)
            if not segments:
                if quiet_frames * FRAME >= self.end_silence * RATE:  # a noise, not speech: keep waiting
                    heard, started, quiet_frames, self.early = [], False, 0, None
                continue
            quiet = size - segments[-1]["end"]  # samples since the speech ended
            if self.early is not None and segments[-1]["end"] > early_size:
                self.early = None  # the speaker went on: what was heard early is not all
            if quiet >= self.end_silence * RATE:
                # frames come in real time from a sound card: the speech ended that long ago
                self.speech_ended -= quiet / RATE
                self.events.append(SpeechStopped(at=self.speech_ended, seconds=segments[-1]["end"] / RATE))
                break
            if self.early is None and self.early_after is not None and quiet >= self.early_after * RATE:
                # the clip as it will be if the silence goes on: Whisper hears a clip
                # that ends in 0.3 s of silence a little differently from one in 0.8 s
                early_size = size
                clip = np.concatenate([audio, np.zeros(int(self.end_silence * RATE) - quiet, np.int16)])
                self.early = self._hearing.submit(self.assistant.hear, to_wav(clip, RATE))
        return np.concatenate(heard) if heard else None

    # -- speaking --------------------------------------------------------------
    def _interrupted(self) -> bool:
        """Called while playing: speech (several loud frames in a row) interrupts."""
        frame = next(self.frames)
        window = self._recent
        window.append(frame)
        if sum(loud(f) for f in window) >= 7:  # about 0.2 s of the last 0.3 s
            self.barge_in = list(window)
            return True
        return False

    def play(self, pcm: np.ndarray, rate: int) -> bool:
        self._recent: deque = deque(maxlen=10)
        completed = self.speaker.play(pcm, rate, self._interrupted)
        if not completed:
            self.log.append("barge-in")
        return completed

    def play_reply(self, reply, since: Optional[float] = None) -> bool:
        """Say a reply piece by piece: a background thread synthesises the next pieces
        while one plays. ``since``: when the question ended (for ``first_audio``).
        False if the person spoke over it."""
        pieces: "queue.Queue[Optional[Tuple[np.ndarray, int]]]" = queue.Queue(maxsize=2)
        stop = threading.Event()

        def put(item) -> bool:
            """Hand an item to the player; False once it has stopped listening."""
            while not stop.is_set():
                try:
                    pieces.put(item, timeout=0.1)
                    return True
                except queue.Full:
                    continue
            return False

        def synthesise() -> None:
            try:
                for piece in self.assistant.speak_stream(reply.sentences, reply.rate):
                    if not put(piece):
                        return
            except Exception:  # the voice failed: what was said stays said, the loop goes on
                logger.exception("kiosk: synthesis failed")
            put(None)

        threading.Thread(target=synthesise, name="kiosk-speech", daemon=True).start()
        seconds = 0.0
        try:
            while True:
                piece = pieces.get()
                if piece is None:
                    return True
                if since is not None:
                    self.first_audio.append(time.perf_counter() - since)
                    since = None
                if not self.play(*piece):
                    return False
                seconds += len(piece[0]) / piece[1]
        finally:
            stop.set()
            self.said.append(seconds)

    # -- the loop --------------------------------------------------------------
    def respond(self, reply, since: Optional[float] = None, reason: str = "answered") -> None:
        self.log.append("answer: " + " / ".join(reply.texts)[:80])
        self.last_prompt = reply
        played = self.play_reply(reply, since)
        self.events.append(TurnEnded(reason=reason if played else "interrupted"))

    def run(self, turns: Optional[int] = None) -> int:
        self.assistant.synthesizer.warm(render.to_play(render.for_ear([SILENCE_AGAIN, OFFER_PERSON])))
        self.respond(self.assistant.ask(self.sender, GREETING, speak=False))
        silences = 0
        done = 0
        while turns is None or done < turns:
            utterance = self.listen()
            if self.typed is not None:
                self.log.append(f"key {self.typed}")
                silences = 0
                pressed = time.perf_counter()
                self.respond(self.assistant.ask(self.sender, self.typed, speak=False), pressed, reason="key")
            elif utterance is None:
                silences += 1
                self.log.append(f"silence {silences}")
                if silences == 1:
                    if self.play_reply(self.assistant.say(SILENCE_AGAIN, speak=False)) \
                            and self.last_prompt is not None:
                        self.play_reply(self.last_prompt)
                else:
                    self.play_reply(self.assistant.say(OFFER_PERSON, speak=False))
                    silences = 0
                self.events.append(TurnEnded(reason="silence"))
            else:
                silences = 0
                stopped = time.perf_counter()
                hearing = self.early or self._hearing.submit(self.assistant.hear, to_wav(utterance, RATE))
                reply = self.assistant.answer(self.sender, hearing.result(), speak=False,
                                              waited=time.perf_counter() - stopped)
                self.log.append(f"heard: {reply.heard}" + (" (early)" if self.early else ""))
                self.respond(reply, self.speech_ended)
            done += 1
        return 0


# -- the sound card and the terminal -------------------------------------------------
class SoundDeviceMicrophone:
    def __init__(self) -> None:
        import sounddevice

        self.stream = sounddevice.InputStream(samplerate=RATE, channels=1, dtype="int16", blocksize=FRAME)
        self.stream.start()

    def frames(self) -> Iterator[np.ndarray]:
        while True:
            data, _ = self.stream.read(FRAME)
            yield data.reshape(-1).copy()


class SoundDeviceSpeaker:
    def play(self, pcm: np.ndarray, rate: int, interrupted: Callable[[], bool]) -> bool:
        import sounddevice

        sounddevice.play(pcm, rate)
        try:
            while sounddevice.get_stream().active:
                if interrupted():
                    sounddevice.stop()
                    return False
            return True
        finally:
            sounddevice.wait()


class TerminalKeys:
    def digit(self) -> Optional[str]:
        if not sys.stdin.isatty():
            return None
        ready, _, _ = select.select([sys.stdin], [], [], 0)
        if not ready:
            return None
        text = sys.stdin.readline().strip()
        return text if text.isdigit() else None


def run_microphone(assistant, sender: str) -> int:
    """``jiuye voice --mic``: until Ctrl-C."""
    try:
        kiosk = Kiosk(assistant, sender, SoundDeviceMicrophone(), SoundDeviceSpeaker(), TerminalKeys())
    except (OSError, ImportError) as error:  # no PortAudio, or no microphone
        print(f"没有找到麦克风或声卡：{error}", file=sys.stderr)
        return 1
    assistant.warm_in_background()
    print("正在听……说话就行，打数字加回车选编号，Ctrl-C 结束。", file=sys.stderr)
    try:
        return kiosk.run()
    except KeyboardInterrupt:
        return 0
