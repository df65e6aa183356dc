"""Listing the database's backups, previewing what restoring one would change, and restoring it.

Restoring replaces the database file whole: the current state is backed up first (so a
restore is itself undone by restoring that backup), the chosen backup is copied beside
the database, checked and migrated to this version's schema, and only then renamed over
the database. The database's own connections are closed first; another program holding
the file open makes the restore refuse, since replacing a file under a live writer would
lose its writes.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from kodomo_desktop.core import backup_files
from kodomo_desktop.core.backup_files import KeepPolicy
from kodomo_desktop.core.database import Database
from kodomo_desktop.core.database_url import SERVER_BACKUPS
from kodomo_desktop.core.era import era_label
from kodomo_desktop.core.errors import DatabaseError, InvalidInput
from kodomo_desktop.core.interchange import export_document
from kodomo_desktop.core.sql_rows import SCHEMA_REVISION
from kodomo_desktop.core.vocabulary import EDITION_STATUS_LABELS
from kodomo_desktop.core.yeardiff import YearDiff, diff_documents, sections

RELEASE_TIMEOUT_S = 2.0


@dataclass(frozen=True)
class EditionSummary:
    fiscal_year: int
    status: str
    programs: int

    @property
    def label(self) -> str:
        status = EDITION_STATUS_LABELS.get(self.status, self.status)
        return f"{era_label(self.fiscal_year)}版（{status}、事業 {self.programs}件）"


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    time: datetime
    reason: str
    size: int
    editions: tuple[EditionSummary, ...] = ()
    revision: str | None = None
    problem: str | None = None  # why the file cannot be restored; None for a sound backup

    @property
    def broken(self) -> bool:
        return self.problem is not None

    @property
    def contents(self) -> str:
        if self.problem is not None:
            return f"壊れています（復元できません）: {self.problem}"
        return "、".join(e.label for e in self.editions) or "年度版なし"

    @property
    def size_text(self) -> str:
        return f"{self.size / 1024 / 1024:.1f} MB" if self.size >= 1024 * 1024 else f"{max(self.size // 1024, 1)} KB"


@dataclass(frozen=True)
class EditionChange:
    """One fiscal year as restoring would change it: current → backup."""

    fiscal_year: int
    current: EditionSummary | None
    backup: EditionSummary | None
    diff: YearDiff | None  # both sides have the edition

    @property
    def unchanged(self) -> bool:
        return self.current == self.backup and not self.diff


@dataclass(frozen=True)
class RestoreResult:
    restored: Path
    before: Path | None  # the backup of the state it replaced


def _editions(conn: sqlite3.Connection) -> tuple[EditionSummary, ...]:
    rows = conn.execute(
        "SELECT e.fiscal_year, e.status, (SELECT count(*) FROM program p WHERE p.edition_id = e.id)"
        " FROM edition e ORDER BY e.fiscal_year"
    )
    return tuple(EditionSummary(year, status, programs) for year, status, programs in rows)


def read_backup(path: Path, time: datetime | None = None, reason: str = "", *, full_check: bool = False) -> BackupInfo:
    """What a backup holds, read without writing to it; a damaged file comes back with its problem."""
    stat = path.stat()
    when = time or datetime.fromtimestamp(stat.st_mtime)
    with open(path, "rb") as f:
        if f.read(16) != b"SQLite format 3\x00":
            return BackupInfo(path, when, reason, stat.st_size, problem="SQLite のファイルではありません")
    try:
        conn = backup_files.open_read_only(path)
        try:
            problem = backup_files.integrity_problem(conn, "integrity_check" if full_check else "quick_check")
            if problem:
                return BackupInfo(path, when, reason, stat.st_size, problem=problem)
            if backup_files.edition_years(conn) is None:
                return BackupInfo(path, when, reason, stat.st_size, problem="kodomo-desktop のデータがありません")
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            return BackupInfo(path, when, reason, stat.st_size, _editions(conn), revision[0] if revision else None)
        finally:
            conn.close()
    except sqlite3.Error as exc:
        return BackupInfo(path, when, reason, stat.st_size, problem=str(exc))


def no_backups_text(db: Database) -> str:
    """What to say where a database has no backups listed: a server's are kept by the server."""
    if db.path is None:
        return SERVER_BACKUPS.format(name=db.display_name)
    return f"バックアップはありません（{db.display_name} の隣の backups フォルダ）。"


def list_backups(db: Database) -> list[BackupInfo]:
    """The database's backups, newest first; a broken one is listed with its problem."""
    if db.path is None:
        return []
    return [read_backup(path, when, reason) for path, when, reason in backup_files.backups_of(db.path)]


def prune_backups(db: Database, policy: KeepPolicy | None = None) -> list[Path]:
    if db.path is None:
        return []
    return backup_files.prune(db.path, policy or KeepPolicy.from_environment())


# --- preview ----------------------------------------------------------------------------------


def _staged(backup: Path, folder: Path) -> Database:
    """A working copy of the backup at this version's schema, in folder."""
    from kodomo_desktop.core.opening import open_database

    copy = folder / "backup.sqlite"
    source = backup_files.open_read_only(backup)
    try:
        backup_files.copy_database(source, copy, backup_files.edition_years(source))
    finally:
        source.close()
    return open_database(str(copy), seed=False)


def preview_restore(db: Database, backup: Path) -> list[EditionChange]:
    """Every fiscal year in the database or the backup, with what restoring would change in it."""
    info = _checked(backup)
    current = {e.fiscal_year: e for e in _current_editions(db)}
    restored = {e.fiscal_year: e for e in info.editions}
    with tempfile.TemporaryDirectory(prefix="kodomo-preview-") as folder:
        staged = _staged(backup, Path(folder))
        try:
            backup_docs = {year: export_document(staged, year) for year in restored}
        finally:
            staged.dispose()
    changes = []
    for year in sorted(current.keys() | restored.keys()):
        diff = None
        if year in current and year in restored:
            diff = diff_documents(export_document(db, year), backup_docs[year])
        changes.append(EditionChange(year, current.get(year), restored.get(year), diff))
    return changes


def change_summary(change: EditionChange) -> str:
    """One line: what restoring does to the year's edition."""
    label = f"{era_label(change.fiscal_year)}版"
    if change.current is None:
        assert change.backup is not None
        return f"{label}: 復元すると戻ります（{change.backup.label}）"
    if change.backup is None:
        return f"{label}: 復元するとなくなります（いまの {change.current.label}）"
    if change.unchanged:
        return f"{label}: 変わりません"
    parts = []
    if change.current.status != change.backup.status:
        old, new = (EDITION_STATUS_LABELS[e.status] for e in (change.current, change.backup))
        parts.append(f"状態 {old}→{new}")
    if change.diff:
        parts += [f"{s.title} {len(s.rows)}件" for s in sections(change.diff) if s.rows]
    return f"{label}: " + "、".join(parts)


def _current_editions(db: Database) -> tuple[EditionSummary, ...]:
    from kodomo_desktop.core.queries import list_editions

    return tuple(EditionSummary(e.fiscal_year, e.status, e.programs) for e in list_editions(db))


# --- restore ----------------------------------------------------------------------------------


def _checked(backup: Path) -> BackupInfo:
    """The backup's contents; refused with the reason when it cannot be restored."""
    if not backup.is_file():
        raise InvalidInput(f"バックアップ {backup} が見つかりません。")
    info = read_backup(backup, full_check=True)
    if info.problem:
        raise DatabaseError(
            f"バックアップ {backup.name} は壊れているため復元できません（{info.problem}）。"
            "データベースは変更していません。別のバックアップを選んでください。"
        )
    if info.revision != SCHEMA_REVISION:
        from kodomo_desktop.core.migrations import known_revisions

        if info.revision not in known_revisions():
            raise DatabaseError(
                f"バックアップ {backup.name} はこの版の kodomo-desktop が知らない形式（{info.revision}）です。"
                "データベースは変更していません。"
            )
    return info


def _release(path: Path) -> None:
    """Fold the -wal into the file and make sure no one else has it open (journal mode DELETE
    needs the only connection), so the file can be replaced whole."""
    conn = sqlite3.connect(path, timeout=RELEASE_TIMEOUT_S, isolation_level=None)
    try:
        mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
    except sqlite3.OperationalError as exc:
        mode = str(exc)
    finally:
        conn.close()
    if str(mode).lower() != "delete":
        raise DatabaseError(
            f"データベース {path} をほかのプログラム（別のウィンドウやコマンド）が使用中のため、復元できません。"
            "それらを終了してからもう一度実行してください。データベースは変更していません。"
        )


def restore(db: Database, backup: Path) -> RestoreResult:
    """Replace the database with the backup, after backing up the current state."""
    if db.path is None:
        refusal = "サーバーのデータベースは kodomo-desktop からは復元できません。"
        raise InvalidInput(refusal + SERVER_BACKUPS.format(name=db.display_name))
    backup = backup.resolve()
    info = _checked(backup)
    before = db.backup("before-restore")
    staging = db.path.with_name(f".{db.path.name}.restoring")
    backup_files.remove_with_journals(staging)
    try:
        source = backup_files.open_read_only(backup)
        try:
            backup_files.copy_database(source, staging, {e.fiscal_year for e in info.editions})
        finally:
            source.close()
        if info.revision != SCHEMA_REVISION:
            _migrate(staging)
        db.dispose()
        _release(db.path)
        os.replace(staging, db.path)
    except (sqlite3.Error, OSError, backup_files.CopyRejected) as exc:
        raise DatabaseError(
            f"バックアップ {backup.name} から復元できませんでした（{exc}）。データベースは変更していません。"
        ) from exc
    finally:
        backup_files.remove_with_journals(staging)
    return RestoreResult(backup, before)


def _migrate(path: Path) -> None:
    from kodomo_desktop.core.migrations import upgrade_to_head

    staged = Database(str(path))
    try:
        upgrade_to_head(staged)
    finally:
        staged.dispose()
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = DELETE")  # one file again, for the rename
    finally:
        conn.close()
