"""Who else has an edition open: one row per window, kept fresh by heartbeats.

Bookkeeping, not content: these writes go to the presence table only, never to the change
log. A window that crashed stops beating; its row is not counted once it is older than
`STALE_AFTER`, and is deleted by the next heartbeat of anyone.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update

from kodomo_desktop.core.database import Database, iso_stamp
from kodomo_desktop.core.models import Presence

HEARTBEAT_S = 30
STALE_AFTER = timedelta(minutes=2)


@dataclass(frozen=True)
class Me:
    """This window: the key of its presence row."""

    user: str
    host: str
    pid: int

    @classmethod
    def here(cls, user: str) -> Me:
        return cls(user, socket.gethostname(), os.getpid())


@dataclass(frozen=True)
class Present:
    user: str
    host: str
    since: str


def beat(db: Database, me: Me, edition_id: int | None, now: datetime) -> list[Present]:
    """Say that this window is here with this edition open, drop stale rows, and return the others
    with the same edition open (each person and computer once)."""
    stamp, oldest = iso_stamp(now), iso_stamp(now - STALE_AFTER)
    with db.write_session() as session:
        session.execute(delete(Presence).where(Presence.heartbeat < oldest))
        mine = (Presence.user == me.user, Presence.host == me.host, Presence.pid == me.pid)
        row = session.scalar(select(Presence).where(*mine))
        if row is None:
            session.add(
                Presence(user=me.user, host=me.host, pid=me.pid, edition_id=edition_id, since=stamp, heartbeat=stamp)
            )
        elif row.edition_id != edition_id:
            row.edition_id, row.since, row.heartbeat = edition_id, stamp, stamp
        else:
            session.execute(update(Presence).where(*mine).values(heartbeat=stamp))
        if edition_id is None:
            return []
        others = session.execute(
            select(Presence.user, Presence.host, Presence.since)
            .where(Presence.edition_id == edition_id, Presence.heartbeat >= oldest)
            .where((Presence.user != me.user) | (Presence.host != me.host) | (Presence.pid != me.pid))
            .order_by(Presence.since)
        ).all()
    seen: dict[tuple[str, str], Present] = {}
    for user, host, since in others:
        seen.setdefault((user, host), Present(user, host, since))
    return list(seen.values())


def leave(db: Database, me: Me) -> None:
    """The window closes: its row goes at once."""
    with db.write_session() as session:
        session.execute(
            delete(Presence).where(Presence.user == me.user, Presence.host == me.host, Presence.pid == me.pid)
        )
