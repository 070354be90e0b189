"""The case ledger's first table: requests to reach a person (人工).

SQLAlchemy 1.4 in 2.0 style. SQLite file by default, ``DATABASE_URL`` selects
another database (PostgreSQL in deployments). Only a pseudonym of the sender is
stored, never the channel's own user id, name or message text.
"""
from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path
from typing import Optional

from sqlalchemy import Column, DateTime, Integer, String, create_engine, delete, func, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, declarative_base

ROOT = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("JIUYE_VAR_DIR", ROOT / "var"))

Base = declarative_base()


class HandoffRequest(Base):
    __tablename__ = "handoff_requests"

    id = Column(Integer, primary_key=True)
    person = Column(String(64), nullable=False, index=True)
    topic = Column(String(64), nullable=True)
    created_at = Column(DateTime(timezone=True), nullable=False)


def database_url() -> str:
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{VAR_DIR / 'jiuye.sqlite3'}"


@lru_cache(maxsize=None)
def engine(url: Optional[str] = None) -> Engine:
    eng = create_engine(url or database_url(), future=True, pool_pre_ping=True)
    Base.metadata.create_all(eng)
    return eng


def _pseudonym_key() -> bytes:
    env = os.environ.get("JIUYE_PSEUDONYM_KEY")
    if env:
        return env.encode()
    path = VAR_DIR / "pseudonym.key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip().encode()


def pseudonym(sender_id: str) -> str:
    """A stable pseudonym for a channel sender: keyed hash, not reversible."""
    return hmac.new(_pseudonym_key(), sender_id.encode(), hashlib.sha256).hexdigest()


def record_handoff(sender_id: str, topic: Optional[str], eng: Optional[Engine] = None) -> int:
    """Store that this person asked for a human, and about which topic."""
    with Session(eng or engine()) as session, session.begin():
        row = HandoffRequest(
            person=pseudonym(sender_id),
            topic=topic,
            created_at=datetime.now(timezone.utc),
        )
        session.add(row)
        session.flush()
        return row.id


def count_handoffs(sender_id: str, eng: Optional[Engine] = None) -> int:
    with Session(eng or engine()) as session:
        query = select(func.count()).select_from(HandoffRequest).where(
            HandoffRequest.person == pseudonym(sender_id)
        )
        return session.execute(query).scalar_one()


def delete_person(sender_id: str, eng: Optional[Engine] = None) -> int:
    """Delete everything stored about this person; returns the number of rows."""
    with Session(eng or engine()) as session, session.begin():
        result = session.execute(
            delete(HandoffRequest).where(HandoffRequest.person == pseudonym(sender_id))
        )
        return result.rowcount
