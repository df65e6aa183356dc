"""The database: engine set-up, schema revision and migration, backups, sessions.

Sessions are short: `db.read()` for queries, `db.write_session()` for one write
transaction, which only `changes.writing` opens (it also writes the change log).
Opening the user's database (header check, migration, seed) is `core.opening`: this
module is the bottom of core and imports nothing above it.
"""

from __future__ import annotations

import getpass
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from kodomo_desktop.core.backup_files import write_backup
from kodomo_desktop.core.errors import DatabaseError

# The newest migration in db/versions. Checked against Alembic's script head by a
# test, so start-up can compare revisions without importing Alembic.
SCHEMA_REVISION = "0004"
BUSY_TIMEOUT_MS = 5000


def _url_for(target: str) -> str:
    if "://" in target:
        return target
    return "sqlite:///" + str(Path(target).expanduser().resolve())


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        # let SQLAlchemy's "begin" event below issue BEGIN itself (pysqlite's own is broken)
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # a writer takes the write lock at once, so two writers never deadlock half-way
        immediate = conn.get_execution_options().get("kodomo_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def current_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (some services, containers)
        return "unknown"


def now_iso() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class Database:
    """One database, by file path or SQLAlchemy URL. Cheap to keep for the whole process."""

    def __init__(self, target: str, *, user: str | None = None):
        self.url = _url_for(target)
        url = make_url(self.url)
        self.is_sqlite = url.get_backend_name() == "sqlite"
        self.path: Path | None = Path(url.database) if self.is_sqlite and url.database else None
        self.user = user or current_user()
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self.engine = create_engine(self.url)
        if self.is_sqlite:
            _configure_sqlite(self.engine)
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(self.engine.execution_options(kodomo_write=True), expire_on_commit=False)

    def __repr__(self) -> str:
        return f"Database({self.display_name!r})"

    @property
    def display_name(self) -> str:
        return str(self.path) if self.path else make_url(self.url).render_as_string(hide_password=True)

    @contextmanager
    def read(self) -> Iterator[Session]:
        session = self._read()
        try:
            yield session
        finally:
            session.rollback()
            session.close()

    @contextmanager
    def write_session(self) -> Iterator[Session]:
        """One write transaction; used by core.operations only."""
        session = self._write()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()

    # --- schema -----------------------------------------------------------------

    def revision(self) -> str | None:
        """The schema revision in the file; None for an empty database."""
        try:
            with self.engine.connect() as conn:
                if not inspect(conn).has_table("alembic_version"):
                    if inspect(conn).get_table_names():
                        raise DatabaseError(
                            f"データベース {self.display_name} は kodomo-desktop のものではありません"
                            "（スキーマの版が記録されていません）。別のファイルを指定してください。"
                        )
                    return None
                return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except (SADatabaseError, OperationalError) as exc:
            raise damaged(self, exc) from exc

    def wipe(self) -> None:
        """Drop every table (init --force, after a backup)."""
        from kodomo_desktop.core.models import Base

        with self.engine.begin() as conn:
            Base.metadata.drop_all(conn)
            conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")

    # --- backups ----------------------------------------------------------------

    def backup(self, reason: str) -> Path | None:
        """A checked copy of the SQLite file in backups/ before risky work (see core.backup_files).

        Returns the backup path; None for a server database, whose backups are the
        server's business. Raises DatabaseError when no sound backup could be written:
        the work it protects must not run then.
        """
        if self.path is None or not self.path.exists():
            return None
        return write_backup(self.path, reason)


def damaged(db: Database, exc: Exception) -> DatabaseError:
    return DatabaseError(
        f"データベース {db.display_name} を開けません（{exc.__class__.__name__}: {exc.args[0] if exc.args else ''}）。"
        "ファイルが壊れているか、データベースではありません。別のファイルを開くか、"
        "バックアップ（同じフォルダの backups/）から復元してください。"
    )
