"""Rasa's conversation trackers in the case ledger's database.

``endpoints.yml`` names this class as the tracker store: Rasa's own
``SQLTrackerStore`` on ``DATABASE_URL`` (PostgreSQL in deployments) or the ledger's
SQLite file, so conversations survive a restart and one database holds everything.

删除我的数据 must also remove the conversation. The action server deletes the ledger
rows and sets the slot ``forget_me``; when the Rasa server saves a tracker whose last
turn set it, this store deletes every stored event of that sender instead of saving,
and the next message starts a new conversation. (Rasa's ``save`` only appends the
events it has not stored yet, so deleting rows behind its back would re-insert them.)

Retention (README, "Security and privacy"): a conversation's events (what was typed,
the slots, a result not yet kept) are needed only to go on with it. A sweep every
``JIUYE_SWEEP_SECONDS`` (600) deletes every conversation idle for more than
``JIUYE_RETENTION_HOURS`` (24); a result the person agreed to keep is in the ledger,
not here. After a deletion SQLite's log is folded in and truncated (``ledger.scrub``).

Every turn reads the conversation once and appends to it once, so both are on the
server's hot path. Rasa does them through the ORM (a query object built, compiled
and cached per call, one ORM object per event): measured with py-spy under 10
senders, 30% of the Rasa server's time. Here the same statements are plain SQL on
the same table, with the same meaning: the events since the latest
``session_started`` (all of them if there is none), in ``id`` order, and the
tracker's events beyond the ones already stored.
"""
from __future__ import annotations

import itertools
import json
import logging
import os
import threading
import time
from typing import Any, Optional

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import sessionmaker

from jiuye import ledger

logger = logging.getLogger(__name__)

FORGET_SLOT = "forget_me"
RETENTION_HOURS = ledger.retention_hours()
SWEEP_SECONDS = float(os.environ.get("JIUYE_SWEEP_SECONDS", 600))
# Every conversation whose last event is older than :before, in one statement (a
# message arriving meanwhile makes its conversation no longer idle).
FORGET_IDLE = text("""
    DELETE FROM events WHERE sender_id IN (
        SELECT sender_id FROM events GROUP BY sender_id HAVING max(timestamp) < :before)""")

# The events of the latest conversation session, as Rasa's ``_event_query`` selects them.
_SINCE_SESSION_START = """
    FROM events WHERE sender_id = :sender AND (
        timestamp >= (SELECT max(timestamp) FROM events
                      WHERE sender_id = :sender AND type_name = 'session_started')
        OR NOT EXISTS (SELECT 1 FROM events
                       WHERE sender_id = :sender AND type_name = 'session_started'))"""
SESSION_EVENTS = text(f"SELECT data {_SINCE_SESSION_START} ORDER BY id")
SESSION_EVENT_COUNT = text(f"SELECT count(*) {_SINCE_SESSION_START}")


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
        if url.get_backend_name() == "sqlite":  # pooled connections, the ledger's pragmas
            self.engine.dispose()
            self.engine = ledger.connect(str(url))
            self.sessionmaker = sessionmaker(bind=self.engine)
        if SWEEP_SECONDS > 0 and RETENTION_HOURS > 0:
            threading.Thread(target=self._sweep, name="forget-idle", daemon=True).start()

    def _sweep(self) -> None:
        """Forget idle conversations now and every SWEEP_SECONDS, for the server's life."""
        while True:
            try:
                self.forget_idle(RETENTION_HOURS * 3600)
            except Exception:  # the database may be down for a while; try again later
                logger.exception("could not forget idle conversations")
            time.sleep(SWEEP_SECONDS)

    def forget_idle(self, idle_seconds: float, now: Optional[float] = None) -> int:
        """Delete every conversation idle for more than ``idle_seconds``; returns the
        number of events deleted."""
        before = (time.time() if now is None else now) - idle_seconds
        with self.engine.begin() as conn:
            deleted = conn.execute(FORGET_IDLE, {"before": before}).rowcount
        if deleted:
            ledger.scrub(self.engine)
            logger.info("forgot idle conversations (%d events)", deleted)
        return deleted

    def _plain_sql(self) -> bool:
        """False where Rasa's own queries are needed (a PostgreSQL schema it switches to)."""
        return not os.environ.get("POSTGRESQL_SCHEMA")

    async def save(self, tracker: DialogueStateTracker) -> None:
        if forgets(tracker):
            self.forget(tracker.sender_id)
            return
        if not self._plain_sql():
            await super().save(tracker)
            return
        await self.stream_events(tracker)
        with self.engine.begin() as conn:
            stored = conn.execute(SESSION_EVENT_COUNT, {"sender": tracker.sender_id}).scalar()
            rows = []
            for event in itertools.islice(tracker.events, stored, None):
                data = event.as_dict()
                rows.append({
                    "sender_id": tracker.sender_id,
                    "type_name": event.type_name,
                    "timestamp": data.get("timestamp"),
                    "intent_name": ((data.get("parse_data") or {}).get("intent") or {}).get("name"),
                    "action_name": data.get("name"),
                    "data": json.dumps(data),
                })
            if rows:
                conn.execute(self.SQLEvent.__table__.insert(), rows)

    async def _retrieve(self, sender_id: str, fetch_events_from_all_sessions: bool
                        ) -> Optional[DialogueStateTracker]:
        if fetch_events_from_all_sessions or not self._plain_sql():
            return await super()._retrieve(sender_id, fetch_events_from_all_sessions)
        with self.engine.connect() as conn:
            events = [json.loads(data) for data in
                      conn.execute(SESSION_EVENTS, {"sender": sender_id}).scalars()]
        if self.domain and events:
            return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)
        return None

    def forget(self, sender_id: str) -> int:
        """Delete every stored event of one conversation; returns how many."""
        with self.session_scope() as session:
            deleted = (
                session.query(self.SQLEvent)
                .filter(self.SQLEvent.sender_id == sender_id)
                .delete(synchronize_session=False)
            )
            session.commit()
        ledger.scrub(self.engine)
        logger.info("forgot a conversation (%d events)", deleted)
        return deleted
