"""Where the project's data and run-time files are.

``data/`` (knowledge, checks, parameters, training data) sits at the top of the
project, where Rasa users expect it; ``JIUYE_HOME`` points elsewhere when the code is
installed apart from it.
"""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(os.environ.get("JIUYE_HOME") or Path(__file__).resolve().parent.parent)
DATA = ROOT / "data"
