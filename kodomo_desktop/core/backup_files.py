"""The backups folder beside a SQLite database: names, the safe write, and how many are kept.

A backup is written under a temporary name, checked (`PRAGMA integrity_check`, and the
editions of the database are all in it), and only then renamed to its backup name, so a
full disk or a killed process never leaves a broken file that looks like a backup.
Below `database.py`: it imports nothing of core but the errors.

Keeping policy (pruned after every backup): the newest KEEP_LAST backups, plus the newest
backup of each of the last KEEP_MONTHS calendar months. Both can be changed with the
environment variables KODOMO_BACKUP_KEEP_LAST and KODOMO_BACKUP_KEEP_MONTHS, or for one
run with `backups --prune --keep-last N --keep-months M`.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kodomo_desktop.core.errors import DatabaseError

FOLDER = "backups"
SUFFIX = ".sqlite"
STAMP_FORMAT = "%Y%m%d-%H%M%S-%f"
KEEP_LAST = 20
KEEP_MONTHS = 24
KEEP_LAST_ENV = "KODOMO_BACKUP_KEEP_LAST"
KEEP_MONTHS_ENV = "KODOMO_BACKUP_KEEP_MONTHS"
STALE_TEMPORARY_S = 3600  # a temporary file this old was left by a killed process, not one still writing
_NAME = re.compile(r"-(\d{8}-\d{6}-\d{6})-(.+)$")


@dataclass(frozen=True)
class KeepPolicy:
    last: int = KEEP_LAST
    months: int = KEEP_MONTHS

    @classmethod
    def from_environment(cls) -> KeepPolicy:
        return cls(_env_count(KEEP_LAST_ENV, KEEP_LAST), _env_count(KEEP_MONTHS_ENV, KEEP_MONTHS))


def _env_count(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit():
        raise DatabaseError(f"環境変数 {name} には 0 以上の整数を指定してください（いまの値: {value}）。")
    return int(value)


def folder_of(db_path: Path) -> Path:
    return db_path.parent / FOLDER


def backup_name(db_path: Path, reason: str, when: datetime) -> str:
    return f"{db_path.stem}-{when.strftime(STAMP_FORMAT)}-{reason}{SUFFIX}"


def parse_name(db_path: Path, backup: Path) -> tuple[datetime, str] | None:
    """(time, reason) of one of this database's backups; None for any other file."""
    prefix = db_path.stem
    if backup.suffix != SUFFIX or not backup.stem.startswith(prefix):
        return None
    match = _NAME.fullmatch(backup.stem[len(prefix) :])
    if match is None:
        return None
    try:
        return datetime.strptime(match.group(1), STAMP_FORMAT), match.group(2)
    except ValueError:
        return None


def backups_of(db_path: Path) -> list[tuple[Path, datetime, str]]:
    """The database's backups, newest first."""
    folder = folder_of(db_path)
    if not folder.is_dir():
        return []
    found = [(p, *parsed) for p in folder.iterdir() if p.is_file() and (parsed := parse_name(db_path, p))]
    return sorted(found, key=lambda item: item[1], reverse=True)


# --- reading and checking a file ------------------------------------------------------------


def edition_years(conn: sqlite3.Connection) -> set[int] | None:
    """The fiscal years in a database; None when it has no edition table (not yet migrated)."""
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'edition'").fetchone():
        return None
    return {row[0] for row in conn.execute("SELECT fiscal_year FROM edition")}


def integrity_problem(conn: sqlite3.Connection, pragma: str = "integrity_check") -> str | None:
    """What SQLite finds wrong with the file, None when it is sound."""
    try:
        rows = [row[0] for row in conn.execute(f"PRAGMA {pragma}")]
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return None if rows == ["ok"] else "; ".join(str(r) for r in rows[:3])


def open_read_only(path: Path) -> sqlite3.Connection:
    # immutable: no lock, no -wal/-shm beside a backup, which nobody else writes
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True, isolation_level=None)


# --- the safe write ---------------------------------------------------------------------------


def temporary_path(dest: Path) -> Path:
    """Beside the destination (so the rename is atomic) and never taken for a backup."""
    return dest.with_name(f".{dest.name}.tmp")


def remove_with_journals(path: Path) -> None:
    for name in (str(path), f"{path}-journal", f"{path}-wal", f"{path}-shm"):
        Path(name).unlink(missing_ok=True)


class CopyRejected(Exception):
    """The copy was written but is not sound."""


def copy_database(source: sqlite3.Connection, dest: Path, years: set[int] | None) -> None:
    """Copy an open database to dest through a temporary file, checked before the rename.

    The sqlite3 backup API reads through SQLite, so a live WAL database is copied
    consistently with the pages still in its -wal file. The copy is a single file
    (journal mode DELETE). Raises sqlite3.Error, OSError or CopyRejected; leaves no file then.
    """
    tmp = temporary_path(dest)
    remove_with_journals(tmp)
    try:
        target = sqlite3.connect(tmp, isolation_level=None)
        try:
            source.backup(target)
            target.execute("PRAGMA journal_mode = DELETE")
            if problem := integrity_problem(target):
                raise CopyRejected(f"整合性の確認で問題が見つかりました: {problem}")
            copied = edition_years(target)
            if years is not None and copied != years:
                raise CopyRejected("写しに年度版がそろっていません")
        finally:
            target.close()
        with open(tmp, "rb+") as f:
            os.fsync(f.fileno())
        os.replace(tmp, dest)
    except BaseException:
        remove_with_journals(tmp)
        raise


def write_backup(db_path: Path, reason: str) -> Path:
    """A checked copy of the database in backups/; raises DatabaseError (and writes nothing) when it fails."""
    policy = KeepPolicy.from_environment()  # a bad setting is refused before anything is written
    folder = folder_of(db_path)
    dest = folder / backup_name(db_path, reason, datetime.now())
    try:
        folder.mkdir(exist_ok=True)
        source = sqlite3.connect(db_path, isolation_level=None)
        try:
            # the years are read in the same read transaction the backup copies
            source.execute("BEGIN")
            years = edition_years(source)
            copy_database(source, dest, years)
            source.execute("COMMIT")
        finally:
            source.close()
    except (sqlite3.Error, OSError, CopyRejected) as exc:
        detail = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise DatabaseError(
            f"バックアップを作成できなかったため、操作を中止しました（{dest.name}: {detail}）。"
            f"データベースは変更していません。{folder} の空き容量と書き込みの権限を確認してください。"
        ) from exc
    prune(db_path, policy)
    return dest


# --- keeping --------------------------------------------------------------------------------


def to_remove(backups: Iterable[tuple[Path, datetime]], policy: KeepPolicy, now: datetime) -> list[Path]:
    """The backups the policy does not keep: not among the newest `last`, and not the newest of
    one of the last `months` calendar months (this month counts as the first)."""
    ordered = sorted(backups, key=lambda item: item[1], reverse=True)
    keep = {path for path, _ in ordered[: policy.last]}
    this_month = now.year * 12 + now.month - 1
    months_seen: set[int] = set()
    for path, when in ordered:
        month = when.year * 12 + when.month - 1
        if this_month - month < policy.months and month not in months_seen:
            months_seen.add(month)
            keep.add(path)
    return [path for path, _ in ordered if path not in keep]


def prune(db_path: Path, policy: KeepPolicy, now: datetime | None = None) -> list[Path]:
    """Delete the backups the policy does not keep; returns them. A file that cannot be
    deleted (held open on Windows) stays until the next prune."""
    candidates = [(path, when) for path, when, _ in backups_of(db_path)]
    removed = []
    for path in [*to_remove(candidates, policy, now or datetime.now()), *_stale_temporaries(db_path)]:
        try:
            path.unlink()
        except OSError:
            continue
        removed.append(path)
    return removed


def _stale_temporaries(db_path: Path) -> list[Path]:
    folder = folder_of(db_path)
    limit = datetime.now().timestamp() - STALE_TEMPORARY_S
    return [p for p in folder.glob(f".{db_path.stem}-*{SUFFIX}.tmp") if p.stat().st_mtime < limit]
