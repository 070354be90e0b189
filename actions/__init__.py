"""jiuye's action server: rasa_sdk glue only, one module per feature.

    python -m actions          # rasa_sdk's server on 127.0.0.1, authenticated (__main__.py)

- ``dialogue``: slots, numbered lists and their typed options, ``ActionChooseOption``
  (a leaf: it imports no feature module);
- ``topics``: knowledge answers, the menu, clarification, 再说一遍 / 详细 / 出处 / 慢一点;
- ``checks``: the eligibility checks (the levy calculation among them) as forms,
  their read-back, corrections, result and 为什么;
- ``privacy``: consent to keep a case record, 删除我的数据;
- ``handoff``: 人工.

What to say and how to decide come from the core (``jiuye``); nothing here imports
Rasa itself (and so TensorFlow), the Rasa-server plugins (``bot``) or ``voice``.
Importing the package imports every feature, so every option kind has its handler.
"""
from actions import checks, dialogue, handoff, privacy, topics  # noqa: F401  (registers options)
