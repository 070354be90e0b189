"""What a plain install (``pip install .``, no ``[dev]``) runs must not need a dev-only
package: a voice turn that needs the second hearing once imported jiwer (``[dev]`` only)
and crashed. The turn runs in a fresh process in which every dev-only package fails to
import, against the real assistant."""
from __future__ import annotations

import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
pytestmark = pytest.mark.slow


def dev_only_packages():
    text = (ROOT / "pyproject.toml").read_text("utf-8")
    block = text[text.index("dev = ["):]
    block = block[:block.index("]")]
    names = re.findall(r'"([A-Za-z0-9_.\-]+)==', block)
    modules = {n.lower().replace("-", "_") for n in names} | {"_pytest", "importlinter", "jiwer"}
    return sorted(modules)


PROBE = r"""
import importlib.abc, sys
BLOCKED = set(sys.argv[2].split(","))

class DevOnly(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ImportError(f"dev-only package imported at run time: {name}")
        return None

sys.meta_path.insert(0, DevOnly())
import numpy as np
from bot.doors.rest_client import RestAssistant
from voice import audio
from voice.assistant import VoiceAssistant
from voice.stt import Transcript

class Ear:  # a recogniser that takes hints: a blurred first hearing, a clear focused one
    engine, can_focus = "whisper", True
    def __init__(self):
        self.calls = 0
    def fits_window(self, samples):
        return False
    def transcribe(self, samples, focus=None, **hints):
        self.calls += 1
        return Transcript("农村的残疾人有什么就业帮扶" if focus else "盟村的残疾人有什么就业帮扶", "whisper")

assistant = VoiceAssistant(RestAssistant(sys.argv[1]), "whisper", "pyttsx3")
assistant.recognizer = Ear()
question = (np.random.default_rng(1).normal(0, 3000, 16000 * 3)).astype(np.int16)
reply = assistant.turn(sys.argv[3], audio.to_wav(question, 16000), speak=False)
print(reply.heard, assistant.recognizer.calls, len(reply.texts), sorted(BLOCKED & set(sys.modules)))
"""


def test_a_voice_turn_with_a_second_hearing_needs_no_dev_package(stack):
    blocked = dev_only_packages()
    assert {"jiwer", "pytest", "hypothesis", "psutil"} <= set(blocked)
    result = subprocess.run([sys.executable, "-c", PROBE, stack.url, ",".join(blocked), f"plain-{uuid.uuid4().hex[:8]}"],
                            cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    heard, calls, texts, loaded = result.stdout.split()[-4:]
    assert heard == "农村的残疾人有什么就业帮扶" and calls == "2" and int(texts) >= 1 and loaded == "[]", result.stdout
