"""jiuye's processes apart from the action server, split by where they run.

- ``bot.server``: what runs inside the Rasa server: the NLU components, the tracker
  and lock stores, the REST channel that carries each turn's state, and the patches
  of Rasa's hot path, with the entry point ``python -m bot.server``;
- ``bot.doors``: the doors people use, each a thin adapter over the one assistant
  interface (``jiuye.assistant``): the command line, the REST client, Telegram;
- ``bot.stack``: the supervisor that starts and stops the Rasa server and the action
  server together (``make run``, the tests, the bench).

``bot.server`` and ``bot.doors`` do not import each other; neither imports ``actions``.
"""
