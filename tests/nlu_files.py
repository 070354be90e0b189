"""Read Rasa NLU YAML files into {intent: [examples]} for data checks."""
from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Dict, List

import yaml

_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)


def read(directory: Path) -> Dict[str, List[str]]:
    examples: Dict[str, List[str]] = defaultdict(list)
    for path in sorted(directory.glob("*.yml")):
        for block in (yaml.safe_load(path.read_text("utf-8")) or {}).get("nlu", []):
            if "intent" not in block:
                continue
            for line in block["examples"].splitlines():
                line = line.strip()
                if line.startswith("- "):
                    examples[block["intent"]].append(line[2:].strip())
    return dict(examples)


def key(text: str) -> str:
    """Compare examples ignoring spaces and punctuation."""
    return _PUNCT.sub("", text).lower()
