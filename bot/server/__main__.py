"""Rasa's own command line, with jiuye's patches applied first.

    python -m bot.server run --model models/jiuye.tar.gz ...
    python -m bot.server train ... | test nlu ... | data validate ...

Everything Rasa does for this project (serving, training, evaluating) goes through
here, so evaluation runs the same code as production.
"""
from __future__ import annotations

import sys

from bot.server.patches import apply_all


def main() -> None:
    apply_all()
    from rasa.__main__ import main as rasa_main  # Rasa and TensorFlow: loaded once patched

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
