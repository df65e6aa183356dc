"""Plain SQL reads, for the readers that both the ORM's sessions and a read-only sqlite3
connection use: the command line prints an edition without importing SQLAlchemy (a fifth of a
second of start-up), and the window and operations read the same facts through the same SQL.

Statements are written with ? placeholders; each source turns them into its driver's.
Values come as the driver gives them: SQLite has 0/1 for booleans, text for dates and JSON,
where psycopg gives bool, date and the parsed JSON; the readers convert with the helpers here.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

# The newest migration in db/versions: the schema this version reads and writes. Checked
# against Alembic's script head by a test, so start-up can compare revisions without Alembic.
SCHEMA_REVISION = "0006"


class Rows(Protocol):
    """Run one SELECT (? placeholders) and return its rows as tuples."""

    def __call__(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...


def session_rows(session: Session) -> Rows:
    """SELECTs in the session's transaction: what it has flushed, they see."""
    connection = session.connection()
    server = connection.dialect.name != "sqlite"

    def rows(sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        statement = sql.replace("?", "%s") if server else sql
        return [tuple(row) for row in connection.exec_driver_sql(statement, tuple(params))]

    return rows


def sqlite_rows(connection: sqlite3.Connection) -> Rows:
    def rows(sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        return connection.execute(sql, tuple(params)).fetchall()

    return rows


def json_value(value: Any) -> Any:
    """A JSON column's value: SQLite stores the text, psycopg parses it."""
    return json.loads(value) if isinstance(value, str) else value


def date_text(value: date | str | None) -> str | None:
    """A DATE column as ISO text: SQLite stores the text, psycopg gives a date."""
    return value if value is None or isinstance(value, str) else value.isoformat()
