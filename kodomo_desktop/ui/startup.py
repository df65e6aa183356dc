"""Opening the database at start-up, with a way out when it cannot be opened.

The lock is taken before open_database migrates or seeds anything, so a second window
never touches a file another window holds. A damaged file can be swapped for another
file or a backup from the backups/ folder beside it (the damaged one is kept, renamed).
"""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox

from kodomo_desktop.core import locations
from kodomo_desktop.core.database import Database
from kodomo_desktop.core.errors import DatabaseError, KodomoError
from kodomo_desktop.core.opening import open_database
from kodomo_desktop.ui.instance_lock import InstanceLock, lock_database

SQLITE_FILTER = "データベース (*.sqlite *.sqlite3 *.db);;すべてのファイル (*)"


def open_locked(target: str) -> tuple[Database, InstanceLock | None]:
    """Lock, then open (create, migrate, seed). Raises DatabaseInUse or DatabaseError."""
    probe = Database(target)  # resolves the file path; nothing is read or written yet
    probe.dispose()
    lock = lock_database(probe)
    try:
        return open_database(target), lock
    except BaseException:
        if lock is not None:
            lock.release()
        raise


def open_interactively(explicit: str | None) -> tuple[Database, InstanceLock | None] | None:
    """Open the user's database, asking what to do while it cannot be; None when the user gives up."""
    target: str | None = locations.database_target(explicit)
    while target is not None:
        try:
            return open_locked(target)
        except DatabaseError as exc:
            target = ask(exc.message, target, offer_backups=True)
        except KodomoError as exc:  # held by another window, or the seed cannot be installed
            target = ask(exc.message, target, offer_backups=False)
    return None


def ask(message: str, target: str, *, offer_backups: bool) -> str | None:
    """The next target to try, or None to quit. A server that cannot be reached: retry, or a local file."""
    box = QMessageBox(QMessageBox.Icon.Warning, "データベースを開けません", message)
    server = "://" in target
    other = box.addButton(
        "ローカルのファイルを開く…" if server else "別のファイルを開く…", QMessageBox.ButtonRole.AcceptRole
    )
    retry = box.addButton("もう一度接続する", QMessageBox.ButtonRole.AcceptRole) if server else None
    folder = _backup_folder(target)
    restore = None
    if offer_backups and folder is not None and any(folder.glob("*.sqlite")):
        restore = box.addButton("バックアップから復元…", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("終了", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    clicked = box.clickedButton()
    if retry is not None and clicked is retry:
        return target
    if clicked is other:
        start = locations.user_data_dir() if server else Path(target).parent
        path, _ = QFileDialog.getOpenFileName(None, "データベースを開く", str(start), SQLITE_FILTER)
        return path or target
    if restore is not None and clicked is restore:
        backup, _ = QFileDialog.getOpenFileName(None, "復元するバックアップ", str(folder), SQLITE_FILTER)
        if backup:
            restore_backup(Path(backup), Path(target))
        return target
    return None


def _backup_folder(target: str) -> Path | None:
    if "://" in target:
        return None
    return Path(target).expanduser().resolve().parent / "backups"


def restore_backup(backup: Path, target: Path) -> Path:
    """Put a backup in place of the damaged file, which is kept beside it. Returns the kept file."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    kept = target.with_name(f"{target.stem}-damaged-{stamp}{target.suffix}")
    if target.exists():
        target.rename(kept)
    for suffix in ("-wal", "-shm"):  # the damaged file's journal goes with it, not onto the backup
        journal = Path(str(target) + suffix)
        if journal.exists():
            journal.rename(str(kept) + suffix)
    shutil.copy2(backup, target)
    return kept
