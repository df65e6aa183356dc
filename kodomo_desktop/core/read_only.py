"""The command line's quick read of a local SQLite file: a sqlite3 connection and plain SQL.

A command that only reads an edition (booklet, export-json, web, ...) needs neither the ORM
nor Alembic, and importing SQLAlchemy alone takes a fifth of a second, as long as the rest of
printing a booklet's table. Anything out of the ordinary gives None, and the command opens
the database the full way, which creates, migrates, waits and explains: a server URL, a
missing or empty file, a file on a network drive (its lock file is the full way's business),
another schema revision, a file that is busy, damaged or not a database.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from kodomo_desktop.core import shared_file
from kodomo_desktop.core.sql_rows import SCHEMA_REVISION

# a writer's commit holds the file only for moments; one waited for longer is the full way's
# to report (it says that it waits, and for whom)
BUSY_TIMEOUT = 0.5


def open_read_only(target: str) -> sqlite3.Connection | None:
    """A connection reading the file in one transaction (one snapshot for the whole command), or None."""
    if "://" in target:
        return None
    path = Path(target).expanduser()
    try:
        if not path.is_file() or path.stat().st_size == 0 or shared_file.on_network(path):
            return None
        connection = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=rw", uri=True, timeout=BUSY_TIMEOUT, isolation_level=None
        )
    except (OSError, sqlite3.Error):
        return None
    try:
        connection.execute("PRAGMA query_only = ON")
        connection.execute("BEGIN")
        revision = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    except sqlite3.Error:
        connection.close()
        return None
    if revision != [(SCHEMA_REVISION,)]:
        connection.close()
        return None
    return connection
