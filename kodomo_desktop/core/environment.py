"""The environment's failures as Japanese messages: one translation for the command line and the window.

A busy, read-only or full database, a disk that is full, a folder that cannot be written,
a --db that is not a regular file or names a missing driver: each becomes an
EnvironmentProblem (a KodomoError, exit 2) naming the file and what to do, instead of a
traceback. `translate` is the one entry point; `core.database` and `core.files` raise
through it, and the command line passes any OSError or database error that still
escapes a command through it. Below `database.py`: it imports nothing of core but the errors.
"""

from __future__ import annotations

import errno
import os
import sqlite3
import stat
from pathlib import Path

from kodomo_desktop.core.errors import KodomoError

BUSY_TIMEOUT_ENV = "KODOMO_BUSY_TIMEOUT"
BUSY_TIMEOUT_S = 5.0
# how long a writer waits silently before it says that it is waiting
QUIET_WAIT_S = 1.0
WAITING = "別の処理が書き込み中です… 待っています"

NOTHING_CHANGED = "何も変更していません。"


class EnvironmentProblem(KodomoError):
    """The computer, not the data, is in the way: a lock, a permission, a full disk, a missing driver."""


def busy_timeout() -> float:
    """Seconds a writer waits for another writer: KODOMO_BUSY_TIMEOUT, or 5."""
    value = os.environ.get(BUSY_TIMEOUT_ENV, "").strip()
    if not value:
        return BUSY_TIMEOUT_S
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds <= 3600:
        raise EnvironmentProblem(
            f"環境変数 {BUSY_TIMEOUT_ENV} には 0 から 3600 までの秒数を指定してください（いまの値: {value}）。"
        )
    return seconds


def translate(exc: BaseException, database: str | None = None) -> KodomoError | None:
    """The message for an environment failure; None when exc is something else (a bug).

    database names the database the failure came from, when it did come from one.
    """
    if isinstance(exc, KodomoError):
        return exc
    sqlite_error = _sqlite_error(exc)
    if sqlite_error is not None:
        return database_failure(sqlite_error, database or "")
    server = server_failure(exc, database or "")
    if server is not None:
        return server
    if isinstance(exc, OSError):
        return path_failure(exc, exc.filename)
    return None


def _sqlite_error(exc: BaseException) -> sqlite3.Error | None:
    # SQLAlchemy wraps the driver's error in .orig
    inner = getattr(exc, "orig", exc)
    return inner if isinstance(inner, sqlite3.Error) else None


def database_failure(exc: sqlite3.Error, name: str, waited: float | None = None) -> EnvironmentProblem | None:
    """A busy, read-only, full or unopenable SQLite database; None for anything else."""
    code = getattr(exc, "sqlite_errorname", "") or ""
    text = str(exc).lower()
    # the window's last resort does not know which database: then it is just 「データベース」
    name = f" {name}" if name else ""
    if code.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "database is locked" in text:
        return _busy(name, waited)
    if code.startswith("SQLITE_READONLY") or "readonly database" in text:
        return EnvironmentProblem(
            f"データベース{name} に書き込めません（読み取り専用です）。{NOTHING_CHANGED}"
            "ファイルとそのフォルダに書き込みの権限があるか（読み取り専用の設定、共有フォルダの権限、"
            "読み取り専用のメディア）を確認してください。"
        )
    if code.startswith("SQLITE_FULL") or "disk is full" in text:
        return EnvironmentProblem(
            f"データベース{name} のあるディスクがいっぱいで書き込めませんでした。{NOTHING_CHANGED}"
            "ディスクの空きを作ってから、もう一度実行してください。"
        )
    if code.startswith("SQLITE_CANTOPEN") or "unable to open database file" in text:
        return EnvironmentProblem(
            f"データベース{name} を開けません（ファイルやフォルダがないか、読み書きの権限がありません）。"
            "パスと、ファイルとそのフォルダの権限を確認してください。"
        )
    if code.startswith("SQLITE_IOERR") or "disk i/o error" in text:
        return EnvironmentProblem(
            f"データベース{name} の読み書きでディスクのエラーが起きました（{exc}）。{NOTHING_CHANGED}"
            "ディスクの空きと接続（USB メモリ・ネットワークフォルダ）を確認してから、もう一度実行してください。"
        )
    return None


# PostgreSQL's SQLSTATEs: a refused login, a missing database, another writer's lock, a full disk
_AUTHENTICATION = ("28P01", "28000")
_NO_DATABASE = "3D000"
_BUSY = ("55P03", "40P01", "40001")
_DISK_FULL = "53100"
# a connection that failed or was cut (no SQLSTATE when it never reached the server)
_CONNECTION = ("08", "57P", "28", "3D")


def server_failure(exc: BaseException, name: str, waited: float | None = None) -> EnvironmentProblem | None:
    """A database server that could not be reached, or refused a write for now (psycopg); else None.

    name is the database as display_target shows it (no password); the message says what
    to check: the server and its address, the user name and password, the database's name.
    """
    inner = getattr(exc, "orig", exc)
    # psycopg is imported only for a server database: its error class is recognised by module
    if not any(c.__module__.startswith("psycopg") and c.__name__ == "Error" for c in type(inner).__mro__):
        return None
    state = getattr(inner, "sqlstate", None) or ""
    text = str(inner).lower()
    if state in _BUSY:
        return _busy(f" {name}" if name else "", waited)
    where = f"データベースサーバー {name}" if name else "データベースサーバー"
    if state == _DISK_FULL:
        return EnvironmentProblem(
            f"{where} のディスクがいっぱいで書き込めませんでした。{NOTHING_CHANGED}サーバーの管理者に連絡してください。"
        )
    if state and not state.startswith(_CONNECTION):
        return None
    if state in _AUTHENTICATION or "authentication failed" in text or "password" in text:
        return EnvironmentProblem(
            f"{where} に接続できません: ユーザー名かパスワードが違います（認証に失敗しました）。"
            "接続先の URL のユーザー名と、パスワード（環境変数 KODOMO_DB か設定ファイル database.url）を"
            "確認してください。"
        )
    if state == _NO_DATABASE or ("database" in text and "does not exist" in text):
        return EnvironmentProblem(
            f"{where} に接続しましたが、そのデータベースがありません。"
            "URL の最後のデータベース名を確認するか、サーバーの管理者にデータベースを作ってもらってください"
            "（createdb など）。"
        )
    if "role" in text and "does not exist" in text:
        return EnvironmentProblem(f"{where} にそのユーザーがありません。URL のユーザー名を確認してください。")
    if "translate host name" in text or "name or service not known" in text or "nodename nor servname" in text:
        return EnvironmentProblem(
            f"{where} に接続できません: ホスト名が見つかりません。"
            "URL のホスト名と、ネットワークの接続を確認してください。"
        )
    return EnvironmentProblem(
        f"{where} に接続できません（サーバーが動いていないか、接続を拒否されました）。"
        "サーバーが起動しているか、URL のホスト名とポート番号、ファイアウォールの設定を確認してください。"
    )


def _busy(name: str, waited: float | None) -> EnvironmentProblem:
    """name: " " and the database's name, or ""."""
    how_long = f"{waited:g} 秒待っても" if waited is not None else "待っても"
    return EnvironmentProblem(
        f"データベース{name} は別の処理（ウィンドウや別のコマンド）が書き込み中のため、"
        f"{how_long}書き込めませんでした。"
        f"{NOTHING_CHANGED}その処理が終わるのを待つか、そのプログラムを閉じてから、もう一度実行してください。"
    )


def path_failure(exc: OSError, path: str | os.PathLike[str] | None) -> EnvironmentProblem:
    """A file or folder that could not be read or written, named, with what to do."""
    where = str(path) if path is not None else "ファイル"
    reason = exc.strerror or exc.__class__.__name__
    number = exc.errno
    if number in (errno.ENOSPC, errno.EDQUOT):
        return EnvironmentProblem(
            f"{where} を書き込めません: ディスクがいっぱいです。ディスクの空きを作ってから、もう一度実行してください。"
        )
    if number in (errno.EACCES, errno.EPERM, errno.EROFS):
        return EnvironmentProblem(
            f"{where} に書き込めません（権限がないか、読み取り専用の場所です）。"
            "別の場所を指定するか、ファイルとフォルダの権限を確認してください。"
        )
    if number == errno.EISDIR:
        return EnvironmentProblem(f"{where} はフォルダです。ファイルの名前まで指定してください。")
    if number in (errno.ENOTDIR, errno.EEXIST):
        return EnvironmentProblem(
            f"{where} を作れません: 途中のフォルダの名前がファイルとして既にあります。別の場所を指定してください。"
        )
    if number == errno.ENOENT:
        return EnvironmentProblem(f"{where} が見つかりません。パスを確認してください。")
    return EnvironmentProblem(f"{where} を読み書きできません（{reason}）。パスと権限を確認してください。")


def refuse_special_database(path: Path) -> None:
    """--db must name a regular file (or a new one): a device, folder or FIFO is refused before connecting.

    SQLite would otherwise open /dev/null and create /dev/null-journal beside it.
    """
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return
    except OSError as exc:
        raise path_failure(exc, path) from None
    if stat.S_ISDIR(mode):
        raise EnvironmentProblem(f"データベース {path} はフォルダです。データベースのファイルを指定してください。")
    if not stat.S_ISREG(mode):
        raise EnvironmentProblem(
            f"データベース {path} は通常のファイルではありません（デバイスや名前付きパイプなど）。"
            "データベースのファイル（.sqlite）を指定してください。"
        )


def engine_failure(exc: Exception, url: str) -> EnvironmentProblem:
    """A --db URL SQLAlchemy cannot use: not a URL, an unknown kind, or a driver that is not installed."""
    if isinstance(exc, ModuleNotFoundError):
        return EnvironmentProblem(
            f"データベース {url} に接続するためのドライバ {exc.name} がありません。"
            "ドライバを導入するか、SQLite のファイルのパスを指定してください。"
        )
    return EnvironmentProblem(
        f"データベースの指定 {url} は使えません。SQLite のファイルのパス、"
        "または mysql://… や postgresql://… のような SQLAlchemy の URL を指定してください。"
    )
