"""The case ledger (一人一策台账): SQLAlchemy 1.4 in 2.0 style, migrated with Alembic.

SQLite file by default (``var/jiuye.sqlite3``); ``DATABASE_URL`` selects another
database (PostgreSQL in deployments). What is stored, and when:

- a **person** is a keyed hash of the channel's sender id (never the id, a name or
  message text), created when something about them must be stored;
- **consent** is asked once; without it nothing that describes the person is kept:
  no check results, no feedback, and a handoff request is counted without the person;
- **check results** (the check, inputs, result, parameter version, time), **handoff
  requests** and **feedback** hang off the person and go with them on deletion;
- a **kept message** is the one exception to "no message text": what someone wrote
  while the assistant was down, with the chat to answer in, kept only until it is
  answered (then deleted), and deleted with the person.
"""
from __future__ import annotations

import hashlib
import hmac
import logging
import os
import threading
import time
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Optional

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    create_engine,
    event,
    func,
    select,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError
from sqlalchemy.orm import Session, declarative_base
from sqlalchemy.pool import QueuePool

from jiuye import keys
from jiuye.paths import ROOT  # noqa: E402

logger = logging.getLogger(__name__)
VAR_DIR = Path(os.environ.get("JIUYE_VAR_DIR", ROOT / "var"))
MIGRATIONS = Path(__file__).resolve().parent / "migrations"

Base = declarative_base()


def _now() -> datetime:
    return datetime.now(timezone.utc)


class Person(Base):
    __tablename__ = "persons"

    id = Column(Integer, primary_key=True)
    key = Column(String(64), nullable=False, unique=True)
    consent = Column(Boolean, nullable=True)  # None: not asked yet
    consent_at = Column(DateTime(timezone=True), nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=_now)


class CheckResult(Base):
    """The result of one check (data/checks.yml, or the levy), kept with consent."""

    __tablename__ = "check_results"

    id = Column(Integer, primary_key=True)
    person_id = Column(Integer, ForeignKey("persons.id", ondelete="CASCADE"), nullable=False, index=True)
    check_id = Column(String(32), nullable=False)
    inputs = Column(JSON, nullable=False)
    verdict = Column(String(32), nullable=False)
    result = Column(JSON, nullable=False)
    parameter_version = Column(String(32), nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=_now)


class HandoffRequest(Base):
    __tablename__ = "handoff_requests"

    id = Column(Integer, primary_key=True)
    person_id = Column(Integer, ForeignKey("persons.id", ondelete="CASCADE"), nullable=True, index=True)
    topic = Column(String(64), nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False, default=_now)


class Feedback(Base):
    __tablename__ = "feedback"

    id = Column(Integer, primary_key=True)
    person_id = Column(Integer, ForeignKey("persons.id", ondelete="CASCADE"), nullable=False, index=True)
    topic = Column(String(64), nullable=True)
    helpful = Column(Boolean, nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=_now)


class ChannelSetting(Base):
    """How a person wants replies on a channel ("text" or "voice"). Not sensitive, kept
    without consent (it is what makes the door usable), deleted with the person."""

    __tablename__ = "channel_settings"

    id = Column(Integer, primary_key=True)
    key = Column(String(64), nullable=False, unique=True)
    reply_mode = Column(String(16), nullable=False)
    updated_at = Column(DateTime(timezone=True), nullable=False, default=_now)


class KeptMessage(Base):
    """A message that came while the assistant was down, kept until it is answered and
    then deleted, so that a restart of the door loses nothing. ``sender`` is the
    channel's sender as Rasa sees it (a pseudonym on Telegram); ``chat`` is where to
    answer; ``door`` names the channel and bot that must answer it."""

    __tablename__ = "kept_messages"

    id = Column(Integer, primary_key=True)
    door = Column(String(64), nullable=False, index=True)
    chat = Column(String(64), nullable=False)
    sender = Column(String(255), nullable=False)
    key = Column(String(64), nullable=False, index=True)
    text = Column(Text, nullable=False)
    created_at = Column(DateTime(timezone=True), nullable=False, default=_now)


def retention_hours() -> float:
    """How long a conversation is kept after its last message (JIUYE_RETENTION_HOURS,
    24 by default): its words are needed only to go on with it. What a person agreed
    to keep is in this ledger until they delete it."""
    return float(os.environ.get("JIUYE_RETENTION_HOURS") or 24)


def database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    # People's data: the folder 0700, the database 0600 (its WAL and -shm follow it)
    return f"sqlite:///{keys.private_file(VAR_DIR / 'jiuye.sqlite3')}"


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")  # deletion cascades
    cursor.execute("PRAGMA journal_mode=WAL")  # readers do not block the writer
    cursor.execute("PRAGMA busy_timeout=30000")  # two processes wait, not fail
    cursor.execute("PRAGMA secure_delete=ON")  # deleted rows are overwritten, not left in free pages
    cursor.close()


def scrub(eng: Engine) -> None:
    """After a deletion: on SQLite, fold the write-ahead log into the database and
    truncate it, so deleted text is not left in the -wal file."""
    if eng.dialect.name != "sqlite":
        return
    try:
        with eng.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    except OperationalError:  # busy: the next deletion or SQLite's own checkpoint does it
        logger.warning("could not checkpoint the SQLite log after a deletion")


def migrate(url: str, revision: str = "head", downgrade: bool = False) -> None:
    """Bring the database schema to ``revision`` with Alembic."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    for attempt in range(3):
        try:
            (command.downgrade if downgrade else command.upgrade)(config, revision)
            return
        except (OperationalError, ProgrammingError, IntegrityError):
            # Another process (the action server, the Telegram door) is migrating the
            # same new database at this moment; once it is done there is nothing to do.
            if attempt == 2:
                raise
            time.sleep(0.5 + attempt)


def connect(url: str) -> Engine:
    """An engine with pooled connections. SQLAlchemy 1.4 would open and close a new
    SQLite connection for every use (NullPool): measured, 10% of the Rasa server's
    time under load. A server restart of PostgreSQL is survived (pre-ping)."""
    if url.startswith("sqlite"):
        eng = create_engine(url, future=True, poolclass=QueuePool,
                            connect_args={"check_same_thread": False})
        event.listen(eng, "connect", _sqlite_pragmas)
        return eng
    return create_engine(url, future=True, pool_pre_ping=True)


_ENGINE_LOCK = threading.Lock()


def engine(url: Optional[str] = None) -> Engine:
    """The database's engine, its schema migrated once. Locked: two threads of one
    process (a door keeping two messages at once) must not run Alembic together, whose
    context is global (seen: "'NoneType' object has no attribute 'configure'")."""
    with _ENGINE_LOCK:
        return _engine(url)


@lru_cache(maxsize=None)
def _engine(url: Optional[str] = None) -> Engine:
    url = url or database_url()
    eng = connect(url)
    migrate(url)
    return eng


engine.cache_clear = _engine.cache_clear  # type: ignore[attr-defined]


def _pseudonym_key() -> bytes:
    return keys.secret("pseudonym.key", VAR_DIR, env="JIUYE_PSEUDONYM_KEY").encode()


def pseudonym(sender_id: str) -> str:
    """A stable pseudonym for a channel sender: keyed hash, not reversible."""
    return hmac.new(_pseudonym_key(), sender_id.encode(), hashlib.sha256).hexdigest()


def _find(session: Session, sender_id: str) -> Optional[Person]:
    return session.execute(select(Person).where(Person.key == pseudonym(sender_id))).scalar_one_or_none()


def consent(sender_id: str, eng: Optional[Engine] = None) -> Optional[bool]:
    """True / False once asked; None while the person has not been asked."""
    with Session(eng or engine()) as session:
        person = _find(session, sender_id)
        return None if person is None else person.consent


def set_consent(sender_id: str, given: bool, eng: Optional[Engine] = None) -> None:
    """Record the answer to the consent question (the only thing kept on a "no")."""
    with Session(eng or engine()) as session, session.begin():
        person = _find(session, sender_id)
        if person is None:
            person = Person(key=pseudonym(sender_id))
            session.add(person)
        person.consent = given
        person.consent_at = _now()


def _consenting(session: Session, sender_id: str) -> Optional[Person]:
    person = _find(session, sender_id)
    return person if person is not None and person.consent else None


def record_check(sender_id: str, result, inputs: Dict[str, Any],
                 eng: Optional[Engine] = None) -> Optional[int]:
    """Keep a check's result (a rules ``Result`` or its ``to_dict()``) in the person's
    case record, only with their consent."""
    with Session(eng or engine()) as session, session.begin():
        person = _consenting(session, sender_id)
        if person is None:
            return None
        data = result if isinstance(result, dict) else result.to_dict()
        row = CheckResult(
            person_id=person.id, check_id=data["check"],
            inputs={k: (str(v) if v is not None else None) for k, v in inputs.items()},
            verdict=data["verdict"], result=data, parameter_version=data["parameter_version"],
        )
        session.add(row)
        session.flush()
        return row.id


def record_handoff(sender_id: str, topic: Optional[str], eng: Optional[Engine] = None) -> int:
    """Note that someone asked for a person; linked to them only with consent."""
    with Session(eng or engine()) as session, session.begin():
        person = _consenting(session, sender_id)
        row = HandoffRequest(person_id=person.id if person else None, topic=topic)
        session.add(row)
        session.flush()
        return row.id


def record_feedback(sender_id: str, helpful: bool, topic: Optional[str] = None,
                    eng: Optional[Engine] = None) -> Optional[int]:
    with Session(eng or engine()) as session, session.begin():
        person = _consenting(session, sender_id)
        if person is None:
            return None
        row = Feedback(person_id=person.id, helpful=helpful, topic=topic)
        session.add(row)
        session.flush()
        return row.id


def count(model, sender_id: str, eng: Optional[Engine] = None) -> int:
    with Session(eng or engine()) as session:
        person = _find(session, sender_id)
        if person is None:
            return 0
        query = select(func.count()).select_from(model).where(model.person_id == person.id)
        return session.execute(query).scalar_one()


def count_handoffs(sender_id: str, eng: Optional[Engine] = None) -> int:
    return count(HandoffRequest, sender_id, eng)


def reply_mode(sender_id: str, eng: Optional[Engine] = None) -> str:
    """"text" (the default) or "voice"."""
    with Session(eng or engine()) as session:
        row = session.execute(
            select(ChannelSetting).where(ChannelSetting.key == pseudonym(sender_id))
        ).scalar_one_or_none()
        return row.reply_mode if row else "text"


def set_reply_mode(sender_id: str, mode: str, eng: Optional[Engine] = None) -> None:
    if mode not in ("text", "voice"):
        raise ValueError(mode)
    with Session(eng or engine()) as session, session.begin():
        key = pseudonym(sender_id)
        row = session.execute(select(ChannelSetting).where(ChannelSetting.key == key)).scalar_one_or_none()
        if row is None:
            session.add(ChannelSetting(key=key, reply_mode=mode))
        else:
            row.reply_mode, row.updated_at = mode, _now()


def keep_message(door: str, chat: str, sender_id: str, text: str, eng: Optional[Engine] = None) -> int:
    """Keep a message the assistant could not answer yet (see ``KeptMessage``)."""
    with Session(eng or engine()) as session, session.begin():
        row = KeptMessage(door=door, chat=str(chat), sender=sender_id, key=pseudonym(sender_id), text=text)
        session.add(row)
        session.flush()
        return row.id


def kept_messages(door: str, eng: Optional[Engine] = None) -> List[KeptMessage]:
    """The door's kept messages, oldest first."""
    with Session(eng or engine(), expire_on_commit=False) as session:
        return list(session.execute(
            select(KeptMessage).where(KeptMessage.door == door).order_by(KeptMessage.id)).scalars())


def answered(message_id: int, eng: Optional[Engine] = None) -> None:
    """A kept message has been answered: delete it."""
    with Session(eng or engine()) as session, session.begin():
        session.query(KeptMessage).filter(KeptMessage.id == message_id).delete()


def delete_person(sender_id: str, eng: Optional[Engine] = None) -> int:
    """删除我的数据: delete the person and everything linked to them; returns rows deleted."""
    eng = eng or engine()
    try:
        return _delete_person(sender_id, eng)
    finally:
        scrub(eng)


def _delete_person(sender_id: str, eng: Engine) -> int:
    with Session(eng) as session, session.begin():
        settings = session.query(ChannelSetting).filter(ChannelSetting.key == pseudonym(sender_id)).delete()
        settings += session.query(KeptMessage).filter(KeptMessage.key == pseudonym(sender_id)).delete()
        person = _find(session, sender_id)
        if person is None:
            return settings
        linked = sum(
            session.execute(select(func.count()).select_from(m).where(m.person_id == person.id)).scalar_one()
            for m in (CheckResult, HandoffRequest, Feedback)
        )
        for model in (CheckResult, HandoffRequest, Feedback):  # explicit: not every database cascades
            session.query(model).filter(model.person_id == person.id).delete()
        session.delete(person)
        return linked + 1 + settings
