"""One window per database file: a lock file beside the SQLite file names who holds it.

SQLite itself would let two windows write the same file, each with its own undo stack
and stale view of the other's edits; the lock turns that into a clear message instead.
QLockFile records the process and host and clears a lock left by a crashed process on
the same PC; the user name, which QLockFile does not record, goes into a second file.
"""

from __future__ import annotations

import socket
from pathlib import Path

from PySide6.QtCore import QLockFile

from kodomo_desktop.core.database import Database
from kodomo_desktop.core.errors import KodomoError


class DatabaseInUse(KodomoError):
    pass


class InstanceLock:
    def __init__(self, db_path: Path, user: str):
        self.path = Path(str(db_path) + ".lock")
        self.holder_path = Path(str(db_path) + ".lock-holder")
        self.user = user
        self._lock = QLockFile(str(self.path))
        # never treat a live holder's lock as stale because of its age
        self._lock.setStaleLockTime(0)

    def acquire(self) -> None:
        if not self._lock.tryLock(0):
            raise DatabaseInUse(self._refusal())
        self.holder_path.write_text(f"{self.user}\n{socket.gethostname()}\n", encoding="utf-8")

    def release(self) -> None:
        self.holder_path.unlink(missing_ok=True)
        self._lock.unlock()

    def holder(self) -> str:
        """The user name the holding window wrote beside its lock."""
        try:
            return self.holder_path.read_text(encoding="utf-8").split("\n")[0] or "不明"
        except OSError:
            return "不明"

    def _refusal(self) -> str:
        if self._lock.error() != QLockFile.LockError.LockFailedError:
            return (
                f"ロックファイル {self.path} を作成できません（フォルダに書き込む権限がありません）。"
                "書き込みのできるフォルダのデータベースを開いてください。"
            )
        pid, host, _app = self._lock.getLockInfo()
        holder = f"利用者「{self.holder()}」（コンピューター「{host}」、プロセス {pid}）" if pid else "別のプログラム"
        return (
            f"このデータベースは{holder}が開いているため開けません。"
            "同時に編集すると内容が食い違うおそれがあります。相手のウィンドウを閉じてから開き直してください。"
            "相手のコンピューターが停止しているなど使われていないことが確かなときは、"
            f"{self.path} を削除すると開けます。"
        )


def lock_database(db: Database) -> InstanceLock | None:
    """Lock a SQLite database for this window; a server database needs no lock file (None)."""
    if db.path is None:
        return None
    lock = InstanceLock(db.path, db.user)
    lock.acquire()
    return lock


def window_holding(db_path: Path) -> str | None:
    """Who has this database open in a window (user, computer), or None: for a command about to write."""
    probe = InstanceLock(db_path, "")
    if not probe.path.exists():
        return None
    if probe._lock.tryLock(0):
        # no live window (a crashed one's lock was stale): give the lock straight back
        probe._lock.unlock()
        return None
    if probe._lock.error() != QLockFile.LockError.LockFailedError:
        return None
    _pid, host, _app = probe._lock.getLockInfo()
    return f"利用者「{probe.holder()}」、コンピューター「{host}」"
