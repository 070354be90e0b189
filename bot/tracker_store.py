"""Rasa's conversation trackers in the case ledger's database.

``endpoints.yml`` names this class as the tracker store: Rasa's own
``SQLTrackerStore`` on ``DATABASE_URL`` (PostgreSQL in deployments) or the ledger's
SQLite file, so conversations survive a restart and one database holds everything.

删除我的数据 must also remove the conversation. The action server deletes the ledger
rows and sets the slot ``forget_me``; when the Rasa server saves a tracker whose last
turn set it, this store deletes every stored event of that sender instead of saving,
and the next message starts a new conversation. (Rasa's ``save`` only appends the
events it has not stored yet, so deleting rows behind its back would re-insert them.)
"""
from __future__ import annotations

import logging
from typing import Any, Optional

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.engine import make_url

from actions import ledger

logger = logging.getLogger(__name__)

FORGET_SLOT = "forget_me"


def forgets(tracker: DialogueStateTracker) -> bool:
    """Did the last turn ask to forget this sender?"""
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, SlotSet) and event.key == FORGET_SLOT and event.value:
            return True
    return False


class LedgerTrackerStore(SQLTrackerStore):
    def __init__(self, domain=None, host: Optional[str] = None, event_broker=None, **kwargs: Any) -> None:
        url = make_url(ledger.database_url())
        super().__init__(
            domain,
            dialect=url.drivername,
            host=url.host,
            port=url.port,
            db=url.database,
            username=url.username,
            password=url.password,
            event_broker=event_broker,
            **kwargs,
        )

    async def save(self, tracker: DialogueStateTracker) -> None:
        if forgets(tracker):
            self.forget(tracker.sender_id)
            return
        await super().save(tracker)

    def forget(self, sender_id: str) -> int:
        """Delete every stored event of one conversation; returns how many."""
        with self.session_scope() as session:
            deleted = (
                session.query(self.SQLEvent)
                .filter(self.SQLEvent.sender_id == sender_id)
                .delete(synchronize_session=False)
            )
            session.commit()
        logger.info("forgot a conversation (%d events)", deleted)
        return deleted
