"""A SQLite file on a network drive: detected, opened with the rollback journal, written one at a time.

WAL needs its shared-memory index on the same host as every reader, and SQLite's byte-range
locks are unreliable over SMB and NFS, so on a network filesystem the database uses the
rollback journal and every write transaction also holds a lock file beside the database
(`<db>.lock-write`) that names its holder: a second writer waits for it, and after the
busy timeout is told who holds it. A lock left by a dead process of the same computer is
taken over.
"""

from __future__ import annotations

import ctypes
import os
import socket
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PureWindowsPath

from kodomo_desktop.core.errors import DatabaseError

# filesystem types (as /proc/self/mountinfo names them) of network filesystems
NETWORK_TYPES = frozenset({"cifs", "smb2", "smb3", "smbfs", "nfs", "nfs4", "fuse.sshfs", "sshfs", "afs", "ncpfs"})
DRIVE_REMOTE = 4  # GetDriveTypeW
# beyond this many people at once, a shared file is slow for everyone: a server is the answer
FEW_PEOPLE = 3
RETRY_S = 0.05


def mount_type(path: Path, mountinfo: str | None = None) -> str | None:
    """Linux: the type of the filesystem holding path, from the longest mount point above it."""
    if mountinfo is None:
        try:
            mountinfo = Path("/proc/self/mountinfo").read_text(encoding="utf-8", errors="replace")
        except OSError:
            return None
    resolved = str(path.resolve())
    best, best_type = "", None
    for line in mountinfo.splitlines():
        fields = line.split()
        if " - " not in line or len(fields) < 5:
            continue
        point = fields[4].replace("\\040", " ")
        fs_type = line.split(" - ", 1)[1].split()[0]
        inside = resolved == point or resolved.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, best_type = point, fs_type
    return best_type


def windows_drive_type(path: str) -> int:
    """GetDriveTypeW of the path's drive root (Windows only)."""
    root = PureWindowsPath(path).anchor
    kernel32 = ctypes.WinDLL("kernel32")  # type: ignore[attr-defined,unused-ignore]  # exists on Windows only
    return int(kernel32.GetDriveTypeW(ctypes.c_wchar_p(root)))


def on_network(
    path: Path, *, fs_type: str | None = None, platform: str = sys.platform, drive_type: int | None = None
) -> bool:
    """Whether the file lives on a network filesystem. fs_type (Linux) and drive_type (Windows) are
    read from the system unless given (tests give them)."""
    if platform == "win32":
        text = str(path)
        if text.startswith(("\\\\", "//")):  # UNC: \\server\share
            return True
        if drive_type is None:
            drive_type = windows_drive_type(str(path.resolve()))
        return drive_type == DRIVE_REMOTE
    if fs_type is None:
        fs_type = mount_type(path.parent if not path.exists() else path)
    return fs_type is not None and fs_type.lower() in NETWORK_TYPES


@dataclass(frozen=True)
class Holder:
    user: str
    host: str
    pid: int
    since: str

    def line(self) -> str:
        return f"{self.user}@{self.host}\n{self.pid}\n{self.since}\n"

    @classmethod
    def parse(cls, text: str) -> Holder | None:
        parts = text.split("\n")
        if len(parts) < 3 or "@" not in parts[0] or not parts[1].isdigit():
            return None
        user, host = parts[0].rsplit("@", 1)
        return cls(user, host, int(parts[1]), parts[2])

    def named(self) -> str:
        return f"{self.user}（コンピューター「{self.host}」、プロセス {self.pid}、{self.since} から）"


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else (or Windows, where signal 0 is not a probe)
        return True
    return True


class WriteLock:
    """The exclusive-write lock file beside a shared database; re-entrant within one holder."""

    def __init__(self, db_path: Path, user: str, *, host: str | None = None, pid: int | None = None):
        self.path = Path(str(db_path) + ".lock-write")
        self.db_path = db_path
        self.user = user
        self.host = host or socket.gethostname()
        self.pid = os.getpid() if pid is None else pid
        self._depth = 0

    def holder(self) -> Holder | None:
        try:
            return Holder.parse(self.path.read_text(encoding="utf-8"))
        except OSError:
            return None

    def acquire(self, timeout: float) -> None:
        """Take the lock, waiting up to timeout seconds; DatabaseError naming the holder after that."""
        if self._depth:
            self._depth += 1
            return
        deadline = time.monotonic() + timeout
        while not self._try():
            if time.monotonic() >= deadline:
                holder = self.holder()
                who = holder.named() if holder else "別の利用者"
                raise DatabaseError(
                    f"共有のデータベース {self.db_path} は {who} が書き込み中のため、保存できませんでした。"
                    "しばらく待ってからもう一度保存してください。相手のコンピューターが停止しているなど"
                    f"書き込みが終わらないことが確かなときは、{self.path} を削除してください。"
                )
            time.sleep(RETRY_S)
        self._depth = 1

    def _try(self) -> bool:
        me = Holder(self.user, self.host, self.pid, datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S UTC"))
        try:
            fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            holder = self.holder()
            if holder is not None and holder.host == self.host and not _alive(holder.pid):
                # left by a process of this computer that died mid-write: SQLite's journal rolls its write back
                self.path.unlink(missing_ok=True)
            return False
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(me.line())
        return True

    def release(self) -> None:
        if not self._depth:
            return
        self._depth -= 1
        if not self._depth:
            self.path.unlink(missing_ok=True)


def write_lock(db_path: Path, user: str, fs_type: str | None = None) -> WriteLock | None:
    """The write lock a database file needs: one on a network filesystem, None on a local disk."""
    return WriteLock(db_path, user) if on_network(db_path, fs_type=fs_type) else None
