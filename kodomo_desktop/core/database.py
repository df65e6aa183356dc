"""The database: engine set-up, schema revision and migration, backups, sessions.

Sessions are short: `db.read()` for queries, `db.write_session()` for one write
transaction, which only `changes.writing` opens (it also writes the change log).
Opening the user's database (header check, migration, seed) is `core.opening`: this
module is the bottom of core and imports nothing above it.
"""

from __future__ import annotations

import getpass
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, event, inspect, text
from sqlalchemy.engine import Connection, make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.orm import Session, sessionmaker

from kodomo_desktop.core import environment, shared_file
from kodomo_desktop.core.backup_files import write_backup
from kodomo_desktop.core.database_url import display_target
from kodomo_desktop.core.errors import DatabaseError


def _url_for(target: str) -> str:
    if "://" in target:
        return target
    return "sqlite:///" + str(Path(target).expanduser().resolve())


def _configure_sqlite(db: Database) -> None:
    timeout_ms = int(db.busy_timeout * 1000)

    @event.listens_for(db.engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        # let SQLAlchemy's "begin" event below issue BEGIN itself (pysqlite's own is broken)
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute(f"PRAGMA busy_timeout = {timeout_ms}")
        # another program's database is refused by revision(): it must not be switched to WAL first
        if not _foreign(cursor):
            # WAL does not work on a network filesystem (core.shared_file)
            cursor.execute(f"PRAGMA journal_mode = {'DELETE' if db.write_lock else 'WAL'}")
        cursor.execute(f"PRAGMA synchronous = {'FULL' if db.write_lock else 'NORMAL'}")
        cursor.close()

    @event.listens_for(db.engine, "begin")
    def _on_begin(conn: Connection) -> None:
        # a writer takes the write lock at once, so two writers never deadlock half-way
        if conn.get_execution_options().get("kodomo_write", False):
            if db.write_lock is not None:
                db.write_lock.acquire(db.busy_timeout)
            try:
                _begin_immediate(db, conn)
            except BaseException:
                _release_write_lock(conn)
                raise
        else:
            conn.exec_driver_sql("BEGIN")

    @event.listens_for(db.engine, "commit")
    @event.listens_for(db.engine, "rollback")
    def _release_write_lock(conn: Connection) -> None:
        if db.write_lock is not None and conn.get_execution_options().get("kodomo_write", False):
            db.write_lock.release()


def _foreign(cursor: sqlite3.Cursor) -> bool:
    """Tables, but no alembic_version: a SQLite file of some other program."""
    names = {row[0] for row in cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return bool(names) and "alembic_version" not in names


def _begin_immediate(db: Database, conn: Connection) -> None:
    """BEGIN IMMEDIATE, waiting up to db.busy_timeout for another writer, saying so after a second."""
    # SQLite waits at most a second inside BEGIN IMMEDIATE, which is retried in between
    step_ms = int(min(db.busy_timeout, environment.QUIET_WAIT_S) * 1000)
    conn.exec_driver_sql(f"PRAGMA busy_timeout = {step_ms}")
    started = time.monotonic()
    said = False
    try:
        while True:
            try:
                conn.exec_driver_sql("BEGIN IMMEDIATE")
                return
            except OperationalError as exc:
                busy = isinstance(exc.orig, sqlite3.Error) and _is_busy(exc.orig)
                if not busy or time.monotonic() - started >= db.busy_timeout:
                    raise
                if not said and db.on_wait is not None:
                    db.on_wait()
                    said = True
    finally:
        conn.exec_driver_sql(f"PRAGMA busy_timeout = {int(db.busy_timeout * 1000)}")


def _is_busy(exc: sqlite3.Error) -> bool:
    return (getattr(exc, "sqlite_errorname", "") or "").startswith("SQLITE_BUSY") or "locked" in str(exc)


def _server_options(busy_timeout: float) -> dict[str, Any]:
    """A server that does not answer is reported after 10 s rather than the system's minutes; a write
    waits for another writer's row lock as long as a SQLite write waits for the file (lock_timeout 0 = forever)."""
    lock_ms = max(1, int(busy_timeout * 1000))
    return {
        "connect_args": {
            "connect_timeout": 10,
            "application_name": "kodomo-desktop",
            "options": f"-c lock_timeout={lock_ms}",
        },
        "pool_pre_ping": True,
    }


def current_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (some services, containers)
        return "unknown"


def now_iso() -> str:
    return iso_stamp(datetime.now(UTC))


def iso_stamp(moment: datetime) -> str:
    """A moment as the change log and presence store it: ISO 8601 UTC, sortable as text."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class Database:
    """One database, by file path or SQLAlchemy URL. Cheap to keep for the whole process."""

    def __init__(
        self, target: str, *, user: str | None = None, busy_timeout: float | None = None, fs_type: str | None = None
    ):
        """busy_timeout: seconds a write waits for another writer (default: KODOMO_BUSY_TIMEOUT, or 5);
        fs_type: the file's filesystem type as mountinfo names it (read from the system unless given)."""
        if not target.strip():
            raise environment.EnvironmentProblem(
                "データベースの指定が空です。ファイルのパスか URL を指定してください。"
            )
        self.url = _url_for(target)
        self.busy_timeout = environment.busy_timeout() if busy_timeout is None else busy_timeout
        # called once when a write starts waiting for another writer (the command line says so)
        self.on_wait: Callable[[], None] | None = None
        try:
            url = make_url(self.url)
            self.is_sqlite = url.get_backend_name() == "sqlite"
            self.path: Path | None = Path(url.database) if self.is_sqlite and url.database else None
            if self.path is not None:
                environment.refuse_special_database(self.path)
                try:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise environment.path_failure(exc, self.path.parent) from None
            self.engine = create_engine(self.url, **({} if self.is_sqlite else _server_options(self.busy_timeout)))
        except (ArgumentError, ImportError) as exc:
            # NoSuchModuleError (an unknown kind of URL) is an ArgumentError
            raise environment.engine_failure(exc, display_target(self.url)) from None
        self.user = user or current_user()
        # a SQLite file on a network drive: rollback journal, and a lock file around each write
        self.write_lock = shared_file.write_lock(self.path, self.user, fs_type) if self.path else None
        if self.is_sqlite:
            _configure_sqlite(self)
        else:
            from kodomo_desktop.core.models import postgresql_forms

            postgresql_forms()
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(self.engine.execution_options(kodomo_write=True), expire_on_commit=False)

    def __repr__(self) -> str:
        return f"Database({self.display_name!r})"

    @property
    def display_name(self) -> str:
        """The file's path, or user@host:port/dbname: never the password."""
        return str(self.path) if self.path else display_target(self.url)

    @contextmanager
    def read(self) -> Iterator[Session]:
        session = self._read()
        try:
            yield session
        except SADatabaseError as exc:
            raise self._translated(exc) from exc
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
        except SADatabaseError as exc:
            session.rollback()
            raise self._translated(exc) from exc
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextmanager
    def one_transaction(self) -> Iterator[Connection]:
        """Every session opened inside shares one transaction on one connection, committed at the end.

        A server database's schema and seed edition are made so: PostgreSQL's DDL is
        transactional, so an interrupted first start leaves the database empty, never half-made.
        """
        sessions = self._read, self._write
        try:
            with self.engine.begin() as conn:
                # each session's commit releases a savepoint; the outer transaction commits once
                bound = sessionmaker(bind=conn, expire_on_commit=False, join_transaction_mode="create_savepoint")
                self._read = self._write = bound
                yield conn
        except SADatabaseError as exc:
            raise self._translated(exc) from exc
        finally:
            self._read, self._write = sessions

    def _translated(self, exc: SADatabaseError) -> Exception:
        """A lock, permission, full disk or unreachable server as its message; any other error as it is."""
        if not isinstance(exc.orig, sqlite3.Error):
            return environment.server_failure(exc, self.display_name, self.busy_timeout) or exc
        waited = self.busy_timeout if _is_busy(exc.orig) else None
        return environment.database_failure(exc.orig, self.display_name, waited) or exc

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
                versions = conn.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
        except SADatabaseError as exc:
            problem = self._translated(exc)
            raise (problem if problem is not exc else damaged(self, exc)) from exc
        if len(versions) != 1 or not isinstance(versions[0], str) or not versions[0]:
            raise DatabaseError(
                f"データベース {self.display_name} のスキーマの版の記録（alembic_version の表）が壊れています"
                f"（{len(versions)} 行）。何も変更していません。"
                "バックアップ（同じフォルダの backups/）から復元するか、別のファイルを指定してください。"
            )
        return versions[0]

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
