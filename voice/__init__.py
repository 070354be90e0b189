"""Speech in and out, as stages a door chains: decode (``audio``), recognise (``stt``,
with ``lexicon`` restoring domain words by sound), render for the ear (``render``),
synthesise (``tts``); ``assistant`` chains them around an assistant it is handed
(``jiuye.assistant.Assistant``), ``kiosk`` runs them on a microphone. ``quality``
measures recognition (character error rate) for the tests and the bench.

Imports the core (``jiuye``) only; never ``bot`` or ``actions``.
"""
