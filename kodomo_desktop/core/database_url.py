"""Naming a database to the user, and the per-user file that names a server database.

A server database is named by a SQLAlchemy URL, which may carry a password. `display_target`
is the one way a target is shown (messages, the window's title and status bar, the command
line): a file's path, or `user@host:port/dbname`, never the password. The URL can come from
--db, KODOMO_DB, or `database.url` in the user's configuration folder; a password is only
taken from that file when no one but its owner can read it.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from kodomo_desktop.core.environment import EnvironmentProblem, path_failure

SERVER_BACKUPS = (
    "サーバーのデータベース {name} のバックアップは、データベースサーバーの側で取ってください"
    "（pg_dump や、サーバーの管理者が設定する定期バックアップ）。kodomo-desktop は backups/ に写しを作りません。"
    "年度版ごとの写しが必要なときは export-json で書き出してください。"
)


def display_target(target: str) -> str:
    """A file's path as it is; a URL as user@host:port/dbname (no password, no other options)."""
    if "://" not in target:
        return target
    try:
        url = make_url(target)
    except ArgumentError:
        # not a URL SQLAlchemy reads: still never show what sits between "://" and "@"
        return re.sub(r"://[^/]*@", "://…@", target)
    if url.get_backend_name() == "sqlite":
        return url.database or target
    host = url.host or _query_value(url.query.get("host")) or "localhost"
    port = url.port or _query_value(url.query.get("port"))
    user = f"{url.username}@" if url.username else ""
    return f"{user}{host}{f':{port}' if port else ''}/{url.database or ''}"


def _query_value(value: str | tuple[str, ...] | None) -> str | None:
    if isinstance(value, tuple):
        return value[0] if value else None
    return value


def has_password(target: str) -> bool:
    try:
        url = make_url(target)
    except ArgumentError:
        return False
    return bool(url.password) or "password" in url.query


def configured_target(path: Path) -> str | None:
    """The URL in the user's database.url (first non-comment line), or None without the file.

    Refuses a password from a file that others can read (POSIX permissions; Windows keeps a
    user's profile folder private, so there the file is taken as it is).
    """
    try:
        text = path.read_text(encoding="utf-8")
        mode = path.stat().st_mode
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as exc:
        if isinstance(exc, OSError):
            raise path_failure(exc, path) from None
        raise EnvironmentProblem(f"{path} を読めません（UTF-8 のテキストではありません）。") from None
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    if not lines:
        return None
    target = lines[0]
    if os.name != "nt" and has_password(target) and mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise EnvironmentProblem(
            f"{path} にはパスワードが書かれていますが、ほかの利用者も読める設定になっています。"
            f"パスワードを守るため、このファイルは使いません。`chmod 600 {path}` で"
            "自分だけが読めるようにしてから、もう一度起動してください。"
        )
    return target
