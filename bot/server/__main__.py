"""Rasa's own command line, with jiuye's patches applied first.

    python -m bot.server run --model models/jiuye.tar.gz ...
    python -m bot.server train ... | test nlu ... | data validate ...

Everything Rasa does for this project (serving, training, evaluating) goes through
here, so evaluation runs the same code as production.

``run`` is given the keys (``jiuye.keys``) without putting them on the command line,
where any user of the machine could read them: the action server's key as
``JIUYE_ACTIONS_TOKEN`` (endpoints.yml sends it), and with ``--enable-api`` the API's
``--auth-token`` unless one is given.
"""
from __future__ import annotations

import os
import sys

from bot.server.patches import apply_all
from jiuye import keys


def with_keys(argv: list) -> list:
    """The command line and environment of ``run`` with the keys added."""
    if len(argv) > 1 and argv[1] == "run":
        os.environ.setdefault("JIUYE_ACTIONS_TOKEN", keys.secret("actions"))
        if "--enable-api" in argv and "--auth-token" not in argv and "-t" not in argv:
            argv = argv + ["--auth-token", keys.secret("assistant")]
    return argv


def main() -> None:
    sys.argv = with_keys(sys.argv)
    apply_all()
    from rasa.__main__ import main as rasa_main  # Rasa and TensorFlow: loaded once patched

    sys.argv[0] = "rasa"
    rasa_main()


if __name__ == "__main__":
    main()
