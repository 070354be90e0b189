"""Fixes for Rasa's hot path, and one behaviour, applied before Rasa runs.

Each patch is its own module with ``WRITTEN_FOR`` (the Rasa, and where it matters
TensorFlow, version it was written against and tested with) and ``apply()``. A patch
whose versions do not match the installed ones is skipped with a warning, so an
upgrade runs Rasa's own code until the patch is checked again.

Measured in-process, 8 × 150 turns of the unseen test phrasings in 10-turn
conversations, patches on and off in turn: Rasa's CPU per turn 14.2 -> 9.9 ms
(median) for the one-branch validation and the last five together; the first two
(jsonschema's meta-schema check, the event class walk) had taken 60% and 10% of the
server's time (py-spy). Each keeps Rasa's results (tests/test_rasa_server.py).

The same patches run for ``rasa train``, ``rasa test`` and ``rasa run``
(``python -m bot.server``), so evaluation runs what production runs.
"""
from __future__ import annotations

import importlib
import logging
from typing import Dict, List

logger = logging.getLogger(__name__)

# In the order they are applied.
PATCHES = (
    "action_validation",
    "event_lookup",
    "action_failure",
    "slot_copy",
    "rule_memo",
    "endpoint_session",
    "graph_runner",
    "tf_predict",
    "turn_state",
)


def installed_versions() -> Dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for package in ("rasa", "tensorflow"):
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = ""
    return found


def matches(written_for: Dict[str, str], installed: Dict[str, str]) -> bool:
    """Each named package's installed version is the one written for, or a patch
    release of it ("2.12" matches 2.12.1)."""
    return all(
        installed.get(package, "") == wanted or installed.get(package, "").startswith(wanted + ".")
        for package, wanted in written_for.items()
    )


def apply_all(names=PATCHES) -> List[str]:
    """Apply the patches whose versions match; returns the names applied."""
    installed = installed_versions()
    applied = []
    for name in names:
        module = importlib.import_module(f"{__name__}.{name}")
        if not matches(module.WRITTEN_FOR, installed):
            logger.warning("Rasa patch %s skipped: written for %s, installed %s; Rasa's own code runs",
                           name, module.WRITTEN_FOR, installed)
            continue
        module.apply()
        applied.append(name)
    return applied
