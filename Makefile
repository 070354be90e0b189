# The README's two commands are `make run` and `make test`; both set up what is
# missing first (virtual environment, packages, trained model).
SHELL := /bin/bash
PYTHON310 ?= $(shell command -v python3.10 2>/dev/null || echo /root/.pyenv/versions/3.10.13/bin/python3.10)
VENV := .venv
PY := $(VENV)/bin/python
# Rasa's command line with the project's patches, as production runs it (bot/server/).
RASA := $(PY) -m bot.server
STAMP := $(VENV)/.installed
MODEL := models/jiuye.tar.gz
TRAIN_DATA := data/nlu data/rules data/stories
TRAIN_INPUTS := config.yml $(wildcard domain/*.yml) $(shell find $(TRAIN_DATA) data/jieba -type f 2>/dev/null) \
	bot/server/nlu.py jiuye/text.py jiuye/interpret/commands.py jiuye/interpret/numbers.py jiuye/retrieval.py
export TF_CPP_MIN_LOG_LEVEL := 2
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test test-fast lint shell train bench validate clean telegram

run: $(MODEL)
	$(VENV)/bin/jiuye serve

test: $(MODEL) lint
	$(PY) -m pytest

# The unit tier for one's own iterations: no trained model, no servers (under 2 minutes).
test-fast: lint
	$(PY) -m pytest -m "not slow" -q

# The layers (import-linter contracts in pyproject.toml) and ruff.
lint: $(STAMP)
	$(VENV)/bin/lint-imports
	$(VENV)/bin/ruff check .

shell: $(MODEL)
	$(VENV)/bin/jiuye chat

# The Telegram bot alone, beside servers started by `make run` (TELEGRAM_BOT_TOKEN).
telegram: $(STAMP)
	$(VENV)/bin/jiuye telegram

bench: $(MODEL)
	$(PY) scripts/bench.py

train: $(MODEL)

validate: $(STAMP)
	$(RASA) data validate --domain domain --data $(TRAIN_DATA) --fail-on-warnings

# Debian packages the voice engines load at run time: espeak-ng (pyttsx3's Mandarin
# voice) and PortAudio (the microphone loop). Installed when missing and apt is ours.
SYSTEM_LIBS := espeak-ng libportaudio2

$(STAMP): pyproject.toml constraints.txt
	@if ! command -v espeak-ng >/dev/null || ! ldconfig -p | grep -q libportaudio; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get install -y -q $(SYSTEM_LIBS) >/dev/null || \
	    (apt-get update -q >/dev/null && apt-get install -y -q $(SYSTEM_LIBS) >/dev/null); \
	  else echo "note: install $(SYSTEM_LIBS) for the pyttsx3 voice and the microphone"; fi; fi
	@test -x $(PY) || $(PYTHON310) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check --upgrade "pip==24.0"
	$(PY) -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[dev]'
	$(PY) -m pip check
	@touch $@

# Rasa's own fingerprinting skips the parts of training whose inputs did not change.
$(MODEL): $(STAMP) $(TRAIN_INPUTS)
	$(PY) scripts/sync_rasa_files.py --check
	$(RASA) train --domain domain --data $(TRAIN_DATA) --config config.yml \
		--out models --fixed-model-name jiuye
	@touch $@

clean:
	rm -rf $(VENV) models/*.tar.gz .rasa results var
