"""Answer "系统暂时忙" when the action server cannot be reached or fails.

Rasa would log the error and answer nothing: a person then hears silence. The turn
answers ``messages.BUSY`` instead, and the door is told through the turn's state
(``bot.server.channel``: ``busy``). Form validation rejections, which Rasa handles
itself, are passed on unchanged. A behaviour, not a saving.
"""
from __future__ import annotations

from bot.server.channel import mark_busy
from jiuye.messages import BUSY

WRITTEN_FOR = {"rasa": "3.6.21"}


def apply() -> None:
    import logging

    from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
    from rasa.shared.core.events import BotUttered
    from rasa.shared.exceptions import RasaException

    original = RemoteAction.run
    logger = logging.getLogger(__name__)

    async def run(self, output_channel, nlg, tracker, domain):
        try:
            return await original(self, output_channel, nlg, tracker, domain)
        except ActionExecutionRejection:
            raise
        except RasaException as error:
            logger.error("action %s failed, answering busy: %s", self.name(), error)
            mark_busy(output_channel)
            return [BotUttered(text=BUSY, data={}, metadata={})]

    RemoteAction.run = run
