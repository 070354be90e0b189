"""Plugins of the Rasa server (loaded by Rasa from config.yml, endpoints.yml and
credentials.yml) and its entry point (``python -m bot.server``).

- ``nlu``: the tokenizer that normalises Chinese text, and ``InputGuard``, which
  applies the rule-based readings of ``jiuye.interpret`` after the model;
- ``tracker_store``: conversations in the ledger's database, deleted on request;
- ``lock_store``: a Redis lock store several Rasa workers can share;
- ``channel``: the REST channel, each reply with the turn's state for the doors;
- ``patches``: Rasa's hot path, one module per patch, each guarded by the version it
  was written for.
"""
