"""Opening the user's database: check the file is SQLite, migrate it to this version, seed a new one."""

from __future__ import annotations

from kodomo_desktop.core import locations
from kodomo_desktop.core.database import SCHEMA_REVISION, Database, damaged
from kodomo_desktop.core.environment import path_failure
from kodomo_desktop.core.errors import DatabaseError
from kodomo_desktop.core.interchange import install_seed


def open_database(target: str | None = None, *, seed: bool = True, user: str | None = None) -> Database:
    """Open (creating, migrating and seeding when needed) the user's database."""
    db = Database(locations.database_target(target), user=user)
    if db.path is not None and db.path.exists() and db.path.stat().st_size > 0:
        _check_sqlite_header(db)
    revision = db.revision()
    if revision == SCHEMA_REVISION:
        return db
    # Alembic loads slowly: imported only when the file is not at this version's schema
    from kodomo_desktop.core.migrations import known_revisions, upgrade_to_head

    if revision is not None:
        if revision not in known_revisions():
            raise DatabaseError(
                f"データベース {db.display_name} はこの版の kodomo-desktop より新しい形式（{revision}）です。"
                "新しい版の kodomo-desktop で開いてください。"
            )
        db.backup("before-migration")
    upgrade_to_head(db)
    if revision is None and seed:
        install_seed(db)
    return db


def _check_sqlite_header(db: Database) -> None:
    assert db.path is not None
    try:
        with open(db.path, "rb") as f:
            head = f.read(16)
    except OSError as exc:
        raise path_failure(exc, db.path) from None
    if head != b"SQLite format 3\x00":
        raise damaged(db, ValueError("SQLite のファイルではありません"))
