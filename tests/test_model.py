"""The trained model: data validation, NLU on unseen phrasings, dialogue stories."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from bot.stack import MODEL

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent
# Rasa's command line with the production patches (bot/server/__main__.py)
RASA = [sys.executable, "-m", "bot.server"]
TRAIN_DATA = ["data/nlu", "data/rules", "data/stories"]
MIN_MACRO_F1 = 0.90


def rasa(*args, timeout=900):
    return subprocess.run(
        [*RASA, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout,
        env={**__import__("os").environ, "TF_CPP_MIN_LOG_LEVEL": "2"},
    )


def test_data_validates_without_warnings():
    result = rasa("data", "validate", "--domain", "domain", "--data", *TRAIN_DATA, "--fail-on-warnings")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]


def test_nlu_on_unseen_phrasings(tmp_path):
    result = rasa(
        "test", "nlu", "--model", str(MODEL), "--nlu", "tests/nlu", "--out", str(tmp_path),
        "--no-plot",
    )
    assert result.returncode == 0, result.stderr[-4000:]
    report = json.loads((tmp_path / "intent_report.json").read_text())
    macro_f1 = report["macro avg"]["f1-score"]
    weak = sorted(
        (name, round(row["f1-score"], 2))
        for name, row in report.items()
        if isinstance(row, dict) and "f1-score" in row and row["f1-score"] < 0.8
        and name not in ("macro avg", "weighted avg", "micro avg")
    )
    print(f"NLU macro F1 on tests/nlu: {macro_f1:.3f}; weak intents: {weak}")
    assert macro_f1 >= MIN_MACRO_F1, f"macro F1 {macro_f1:.3f} < {MIN_MACRO_F1}; weak: {weak}"


def test_dialogue_stories(tmp_path):
    result = rasa(
        "test", "core", "--model", str(MODEL), "--stories", "tests/stories", "--out", str(tmp_path),
        "--fail-on-prediction-errors", "--no-plot",
    )
    failed = tmp_path / "failed_test_stories.yml"
    detail = failed.read_text() if failed.exists() else result.stdout[-4000:]
    assert result.returncode == 0, detail + result.stderr[-3000:]
