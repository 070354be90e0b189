"""The doors: thin adapters that turn what a person did into a message for the one
assistant interface (``jiuye.assistant.Assistant``) and its ``Reply`` back into what
that person can take in.

- ``rest_client``: ``RestAssistant``, the assistant over Rasa's REST channel;
- ``cli``: the ``jiuye`` command (serve, chat, ask, voice, telegram, check);
- ``telegram``: the Telegram bot (text, buttons, voice notes).

A door never reads the assistant's slots; what it needs comes with each ``Reply``.
"""
