"""Opening the user's database: check the file is SQLite, migrate it to this version, seed a new one.

A new SQLite database is built whole in a temporary file beside it (schema, then the seed
edition) and renamed into place, so an interrupted first start or `init` (kill, full disk)
leaves either no database or a seeded one, never a migrated one with no edition. A server
database (PostgreSQL) gets the same guarantee from one transaction.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

from sqlalchemy import func, select, text

from kodomo_desktop.core import locations
from kodomo_desktop.core.database import Database, damaged
from kodomo_desktop.core.environment import path_failure
from kodomo_desktop.core.errors import DatabaseError
from kodomo_desktop.core.interchange import install_seed
from kodomo_desktop.core.models import Edition
from kodomo_desktop.core.sql_rows import SCHEMA_REVISION

# a building file left by a killed start is removed by a later one once it is surely abandoned
STALE_BUILD_SECONDS = 3600
# the PostgreSQL advisory lock that serializes migrating and seeding a server database ("kodomo" in hex)
SCHEMA_LOCK_KEY = 0x6B6F646F6D6F


def open_database(target: str | None = None, *, seed: bool = True, user: str | None = None) -> Database:
    """Open (creating, migrating and seeding when needed) the user's database."""
    db = Database(locations.database_target(target), user=user)
    if db.path is None:
        _prepare_server(db, seed)
        return db
    if db.path.exists() and db.path.stat().st_size > 0:
        _check_sqlite_header(db)
    revision = db.revision()
    if revision == SCHEMA_REVISION:
        return db
    # Alembic loads slowly: imported only when the file is not at this version's schema
    from kodomo_desktop.core.migrations import known_revisions, upgrade_to_head

    if revision is not None:
        _refuse_newer(db, revision, known_revisions())
        db.backup("before-migration")
    elif seed:
        _build_seeded(db)
        return db
    upgrade_to_head(db)
    return db


def _refuse_newer(db: Database, revision: str, known: set[str]) -> None:
    if revision not in known:
        raise DatabaseError(
            f"データベース {db.display_name} はこの版の kodomo-desktop より新しい形式（{revision}）です。"
            "新しい版の kodomo-desktop で開いてください。"
        )


def _prepare_server(db: Database, seed: bool) -> None:
    """Migrate (and seed a new) server database in one transaction, one starting program at a time.

    The advisory lock makes a second program starting meanwhile wait, then find the work done.
    Backups of a server database are the server's business (database_url.SERVER_BACKUPS).
    """
    if db.revision() == SCHEMA_REVISION:
        return
    from kodomo_desktop.core.migrations import known_revisions, upgrade_to_head

    with db.one_transaction() as conn:
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK_KEY})
        revision = db.revision()
        if revision == SCHEMA_REVISION:
            return
        if revision is not None:
            _refuse_newer(db, revision, known_revisions())
        upgrade_to_head(db, conn)
        if revision is None and seed:
            install_seed(db)


def has_editions(db: Database) -> bool:
    with db.read() as session:
        return bool(session.scalar(select(func.count()).select_from(Edition)))


def seed_if_empty(db: Database) -> bool:
    """Seed a database that holds no edition (left so by an older version's interrupted first start)."""
    if has_editions(db):
        return False
    install_seed(db)
    return True


def _build_seeded(db: Database) -> None:
    """Schema and seed in a temporary file, then renamed over the (empty or absent) database file."""
    from kodomo_desktop.core.migrations import upgrade_to_head

    assert db.path is not None
    _remove_abandoned_builds(db.path)
    building = db.path.with_name(f".{db.path.name}.building-{os.getpid()}")
    building.unlink(missing_ok=True)
    fresh = Database(str(building), user=db.user)
    try:
        upgrade_to_head(fresh)
        install_seed(fresh)
        fresh.dispose()  # the last connection closing checkpoints the WAL into the file
        with open(building, "rb") as f:
            os.fsync(f.fileno())
        db.dispose()
        if db.path.exists() and _has_tables(db.path):
            return  # another process created it meanwhile: keep theirs
        os.replace(building, db.path)
        _fsync_dir(db.path.parent)
    finally:
        fresh.dispose()
        db.dispose()  # connections to the empty file replaced must not be reused
        building.unlink(missing_ok=True)


def _has_tables(path: Path) -> bool:
    conn = sqlite3.connect(path)
    try:
        return bool(conn.execute("SELECT count(*) FROM sqlite_master WHERE type = 'table'").fetchone()[0])
    finally:
        conn.close()  # the last connection: an empty file's WAL is folded in and removed


def _remove_abandoned_builds(path: Path) -> None:
    for old in path.parent.glob(f".{path.name}.building-*"):
        try:
            if time.time() - old.stat().st_mtime > STALE_BUILD_SECONDS:
                old.unlink()
        except OSError:
            pass  # another process's, or gone already


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return  # Windows cannot open a folder; its rename is durable enough
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _check_sqlite_header(db: Database) -> None:
    assert db.path is not None
    try:
        with open(db.path, "rb") as f:
            head = f.read(16)
    except OSError as exc:
        raise path_failure(exc, db.path) from None
    if head != b"SQLite format 3\x00":
        raise damaged(db, ValueError("SQLite のファイルではありません"))
