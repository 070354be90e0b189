"""Hand the conversation's state to the output channel when a turn ends.

``MessageProcessor._run_prediction_loop`` runs every action of a turn on the tracker
in memory; afterwards the channel (``bot.server.channel``) records the slots a door
needs, so that no door reads them again through the admin API. Not a saving: the
assistant interface.
"""
from __future__ import annotations

WRITTEN_FOR = {"rasa": "3.6.21"}


def apply() -> None:
    from rasa.core.processor import MessageProcessor

    original = MessageProcessor._run_prediction_loop

    async def _run_prediction_loop(self, output_channel, tracker):
        await original(self, output_channel, tracker)
        record = getattr(output_channel, "record_state", None)
        if record is not None:
            record(tracker.current_slot_values(), (tracker.latest_message.intent or {}).get("name"))

    MessageProcessor._run_prediction_loop = _run_prediction_loop
