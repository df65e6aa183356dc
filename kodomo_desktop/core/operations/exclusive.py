"""Publishing, unpublishing, rolling over and applying returns run one at a time on a database.

Each is more than one step (rollover reads the source edition, backs the file up, then writes;
applying returns backs up, then writes), and two of them interleaved would publish half an
import or roll over an edition being published. The second to start is refused at once with
a message naming who is running what, rather than waiting behind the first.

The lock is the one place that differs by backend: on PostgreSQL a session advisory lock on a
connection of its own (released by the server when the process dies; the holder is named by
pg_stat_activity); on a SQLite file an OS lock on a file next to it, which holds the holder's
name (released by the OS when the process dies). A database with neither needs none.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text

from kodomo_desktop.core.database import Database
from kodomo_desktop.core.errors import Busy

ACTIVITIES = {
    "publish": "公開",
    "unpublish": "公開の取り消し",
    "rollover": "新年度の版の作成",
    "returns": "回答の取り込み",
}
_PG_KEY = 0x6B6F646F  # one lock for all four: "kodo"
_APP_PREFIX = "kodomo:"  # application_name of the connection holding the lock: kodomo:<activity>
_LOCK_AT = 1 << 20  # Windows locks a byte range: one far past the holder's name, which stays readable


def busy_message(user: str | None, activity: str | None) -> str:
    who = f"他の人（{user}）" if user else "他の人"
    what = ACTIVITIES.get(activity or "", "・".join(ACTIVITIES.values()))
    return (
        f"{who}が{what}の処理中です。公開・公開の取り消し・新年度の版の作成・回答の取り込みは一度に一つずつ行います。"
        "終わってからもう一度実行してください。"
    )


@contextmanager
def exclusive(db: Database, activity: str) -> Iterator[None]:
    """Hold the database's lock for activity (a key of ACTIVITIES) or raise Busy naming the holder."""
    if db.engine.dialect.name == "postgresql":
        with _advisory_lock(db, activity):
            yield
    elif db.path is not None:
        with _file_lock(lock_path(db.path), activity, db.user):
            yield
    else:
        yield


@contextmanager
def _advisory_lock(db: Database, activity: str) -> Iterator[None]:
    with db.engine.connect() as conn:
        conn.execute(text("SELECT set_config('application_name', :name, false)"), {"name": _APP_PREFIX + activity})
        got = conn.scalar(text("SELECT pg_try_advisory_lock(:key)"), {"key": _PG_KEY})
        if not got:
            holder = conn.execute(
                text(
                    "SELECT a.usename, a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
                    " WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 0 AND l.objid::bigint = :key"
                    # advisory locks are per database: another database's holder is not ours
                    " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
                ),
                {"key": _PG_KEY},
            ).first()
            conn.execute(text("SELECT set_config('application_name', '', false)"))
            conn.commit()
            user, app = (holder[0], str(holder[1] or "")) if holder else (None, "")
            raise Busy(busy_message(user, app.removeprefix(_APP_PREFIX)))
        conn.commit()  # a session lock outlives the transaction; the connection holds it
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _PG_KEY})
            conn.execute(text("SELECT set_config('application_name', '', false)"))
            conn.commit()


def lock_path(database: Path) -> Path:
    return database.with_name(database.name + ".operation-lock")


@contextmanager
def _file_lock(path: Path, activity: str, user: str) -> Iterator[None]:
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        if not _try_lock(fd):
            holder = _read_holder(fd)
            raise Busy(busy_message(*holder))
        _write_holder(fd, f"{user}\t{activity}")
        try:
            yield
        finally:
            _write_holder(fd, "")
            _unlock(fd)
    finally:
        os.close(fd)


def _read_holder(fd: int) -> tuple[str | None, str | None]:
    os.lseek(fd, 0, os.SEEK_SET)
    user, _, activity = os.read(fd, 1024).decode("utf-8", "replace").partition("\t")
    return user or None, activity or None


def _write_holder(fd: int, holder: str) -> None:
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, holder.encode())


if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, _LOCK_AT, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, _LOCK_AT, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)
