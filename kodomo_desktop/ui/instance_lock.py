"""One window per person and database: a lock file per user names the database and who holds it.

Several people may have one database open at once (a shared file, a server): each window
refreshes from the others' commits and every write checks versions. One person with two
windows of it, though, would have two undo stacks fighting over the same edits; the lock
turns that into a clear message. QLockFile records the process and host and clears a lock
left by a crashed process on the same PC.

A SQLite file's locks lie beside it (`<file>.<user>.lock`), so they are seen from every
computer that opens it; a server database's lie in the user's data folder, named by a hash
of its URL (without the password).
"""

from __future__ import annotations

import glob
import hashlib
import re
from pathlib import Path

from PySide6.QtCore import QLockFile
from sqlalchemy.engine import URL, make_url

from kodomo_desktop.core import locations
from kodomo_desktop.core.database import Database
from kodomo_desktop.core.errors import KodomoError

SUFFIX = ".lock"


class DatabaseInUse(KodomoError):
    pass


def _safe(user: str) -> str:
    return re.sub(r"[^\w-]", "_", user) or "_"


def lock_path(db: Database, user: str, folder: Path | None = None) -> Path:
    """Where this user's window lock of this database lies (folder: for a server database's lock)."""
    if db.path is not None:
        return db.path.with_name(f"{db.path.name}.{_safe(user)}{SUFFIX}")
    parts = make_url(db.url)
    url = URL.create(parts.drivername, parts.username, None, parts.host, parts.port, parts.database).render_as_string()
    digest = hashlib.sha256(url.encode("utf-8")).hexdigest()[:16]
    return (folder or locations.user_data_dir() / "locks") / f"server-{digest}.{_safe(user)}{SUFFIX}"


class InstanceLock:
    def __init__(self, path: Path, user: str):
        self.path = path
        self.user = user
        self._lock = QLockFile(str(self.path))
        # never treat a live holder's lock as stale because of its age
        self._lock.setStaleLockTime(0)

    def acquire(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if not self._lock.tryLock(0):
            raise DatabaseInUse(self._refusal())

    def release(self) -> None:
        self._lock.unlock()

    def _refusal(self) -> str:
        if self._lock.error() != QLockFile.LockError.LockFailedError:
            return (
                f"ロックファイル {self.path} を作成できません（フォルダに書き込む権限がありません）。"
                "書き込みのできるフォルダのデータベースを開いてください。"
            )
        pid, host, _app = self._lock.getLockInfo()
        where = f"コンピューター「{host}」のプロセス {pid}" if pid else "別のプログラム"
        return (
            f"このデータベースは利用者「{self.user}」が{where}ですでに開いています。"
            "同じ人が二つの画面で編集すると、元に戻す操作が食い違います。開いている画面を使ってください。"
            "そのコンピューターが停止しているなど使われていないことが確かなときは、"
            f"{self.path} を削除すると開けます。"
        )


def lock_database(db: Database, folder: Path | None = None) -> InstanceLock:
    """Lock the database for this user's window (raises DatabaseInUse when this user has it open)."""
    lock = InstanceLock(lock_path(db, db.user, folder), db.user)
    lock.acquire()
    return lock


def window_holding(db_path: Path) -> str | None:
    """Who has this database file open in a window (users and computers), or None: for a command about to write."""
    held = []
    for path in sorted(db_path.parent.glob(f"{glob.escape(db_path.name)}.*{SUFFIX}")):
        probe = QLockFile(str(path))
        probe.setStaleLockTime(0)
        if probe.tryLock(0):
            # no live window (a crashed one's lock was stale): give the lock straight back
            probe.unlock()
            continue
        if probe.error() != QLockFile.LockError.LockFailedError:
            continue
        _pid, host, _app = probe.getLockInfo()
        user = path.name[len(db_path.name) + 1 : -len(SUFFIX)]
        held.append(f"利用者「{user}」、コンピューター「{host}」")
    return "／".join(held) or None
