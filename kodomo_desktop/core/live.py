"""Telling when another connection committed changes, and which (for a window's live refresh).

What changed is read from the change log: its rows after the last one seen. Knowing
*when* to read is the backend's business, so a window asks the database only after a
cheap signal: on SQLite `PRAGMA data_version` on one dedicated connection (it moves
only when another connection commits); on PostgreSQL a NOTIFY on `CHANNEL`, which every
write transaction sends (`notify_changes`, hooked into changes.Writer) and which is
delivered only when that transaction commits.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import func, or_, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from kodomo_desktop.core.database import Database
from kodomo_desktop.core.models import ChangeLog

CHANNEL = "kodomo_changes"
# a change-log id skipped over may belong to a transaction not yet committed (PostgreSQL hands out
# ids from a sequence before commit); it is looked for again until it shows up or this many seconds pass
GAP_WAIT_S = 30.0


@dataclass(frozen=True)
class Logged:
    """One change-log row written by someone: enough to know what a window must re-read."""

    id: int
    edition_id: int | None
    entity: str
    entity_id: str
    field: str
    version: int | None
    user: str


class _Edited(Protocol):
    @property
    def edition_id(self) -> int | None: ...


class _Signal(Protocol):
    def fired(self) -> bool: ...

    def close(self) -> None: ...


class _DataVersion:
    """SQLite: `PRAGMA data_version` of a connection of our own changes when any other connection commits."""

    def __init__(self, path: str):
        self._conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        self._seen = self._version()

    def _version(self) -> int:
        row = self._conn.execute("PRAGMA data_version").fetchone()
        return int(row[0])

    def fired(self) -> bool:
        version = self._version()
        fired, self._seen = version != self._seen, version
        return fired

    def close(self) -> None:
        self._conn.close()


class _Listen:
    """PostgreSQL: LISTEN on a psycopg connection of our own; a notification arrives after its commit."""

    def __init__(self, url: str):
        import psycopg

        # psycopg takes the URL without SQLAlchemy's "+psycopg" driver name
        conninfo = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        self._conn = psycopg.connect(conninfo, autocommit=True)
        self._conn.execute(f"LISTEN {CHANNEL}")

    def fired(self) -> bool:
        return any(True for _ in self._conn.notifies(timeout=0))

    def close(self) -> None:
        self._conn.close()


class ChangeWatcher:
    """`poll()` returns the change-log rows committed since the last poll, cheaply when there are none.

    Commits of this process's own connections are reported too: the caller tells its own
    writes by the versions it already knows."""

    def __init__(self, db: Database):
        self.db = db
        with db.read() as session:
            self._last_id: int = session.scalar(select(func.max(ChangeLog.id))) or 0
        self._gaps: dict[int, float] = {}  # id skipped over -> when first missed
        self._signal: _Signal = _DataVersion(str(db.path)) if db.path is not None else _Listen(db.url)

    def poll(self) -> list[Logged]:
        if not self._signal.fired() and not self._gaps:
            return []
        with self.db.read() as session:
            rows = self._read(session)
        now = time.monotonic()
        expected = self._last_id + 1
        for row in rows:
            self._gaps.pop(row.id, None)
            if row.id > self._last_id:
                self._gaps.update((missing, now) for missing in range(expected, row.id))
                self._last_id = row.id
                expected = row.id + 1
        self._gaps = {i: since for i, since in self._gaps.items() if now - since < GAP_WAIT_S}
        return rows

    def _read(self, session: Session) -> list[Logged]:
        newer = ChangeLog.id > self._last_id
        where = or_(newer, ChangeLog.id.in_(sorted(self._gaps))) if self._gaps else newer
        query = select(
            ChangeLog.id,
            ChangeLog.edition_id,
            ChangeLog.entity,
            ChangeLog.entity_id,
            ChangeLog.field,
            ChangeLog.version,
            ChangeLog.user,
        )
        return [Logged(*row) for row in session.execute(query.where(where).order_by(ChangeLog.id))]

    def close(self) -> None:
        self._signal.close()


def notify_changes(session: Session, changes: Sequence[_Edited]) -> None:
    """Before a write transaction on PostgreSQL commits: tell the listening windows once it has.

    The payload names the editions changed (comma-separated; empty for master entries)."""
    if not changes:
        return
    payload = ",".join(sorted({str(c.edition_id) for c in changes if c.edition_id is not None}))
    session.execute(text("SELECT pg_notify(:channel, :payload)"), {"channel": CHANNEL, "payload": payload})
