"""A SQLite file on a network drive (issue 16): detected by the filesystem type (injected here), opened
with the rollback journal, and written under a lock file that names its holder."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text

from kodomo_desktop.core import operations as ops
from kodomo_desktop.core.database import Database
from kodomo_desktop.core.errors import DatabaseError
from kodomo_desktop.core.shared_file import DRIVE_REMOTE, Holder, WriteLock, mount_type, on_network
from tests.helpers import program_id

# SQLite files on a (network) drive: a server database has neither
pytestmark = pytest.mark.sqlite_only

MOUNTINFO = """\
22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw
40 22 0:35 / /mnt/office rw,relatime shared:20 - cifs //nas/office rw,vers=3.0
41 40 0:36 / /mnt/office/local rw,relatime shared:21 - ext4 /dev/sdb1 rw
42 22 0:37 / /home/sato/remote rw,nosuid - fuse.sshfs sato@server:/srv rw
43 22 0:38 / /srv/nfs rw - nfs4 server:/export rw
"""


@pytest.mark.parametrize(
    ("path", "kind", "network"),
    [
        ("/mnt/office/kodomo.sqlite", "cifs", True),
        ("/mnt/office/local/kodomo.sqlite", "ext4", False),  # the longest mount point wins
        ("/home/sato/remote/kodomo.sqlite", "fuse.sshfs", True),
        ("/srv/nfs/x/kodomo.sqlite", "nfs4", True),
        ("/home/sato/kodomo.sqlite", "ext4", False),
        ("/mnt/officeX/kodomo.sqlite", "ext4", False),
    ],
)
def test_the_filesystem_of_a_file_is_read_from_mountinfo(path, kind, network):
    assert mount_type(Path(path), MOUNTINFO) == kind
    assert on_network(Path(path), fs_type=mount_type(Path(path), MOUNTINFO)) is network


def test_the_real_mount_table_is_read(tmp_path):
    assert mount_type(tmp_path) is not None  # a Linux test machine has /proc/self/mountinfo


@pytest.mark.parametrize(
    ("path", "drive_type", "network"),
    [
        (r"\\nas\office\kodomo.sqlite", 3, True),  # UNC, whatever the drive type says
        (r"Z:\kodomo.sqlite", DRIVE_REMOTE, True),  # a mapped network drive
        (r"C:\Users\sato\kodomo.sqlite", 3, False),  # DRIVE_FIXED
    ],
)
def test_windows_paths(path, drive_type, network):
    assert on_network(Path(path), platform="win32", drive_type=drive_type) is network


def journal_mode(db: Database) -> str:
    with db.engine.connect() as conn:
        return str(conn.exec_driver_sql("PRAGMA journal_mode").scalar())


def test_a_network_file_uses_the_rollback_journal_and_a_local_one_wal(sample_db):
    assert journal_mode(sample_db) == "wal" and sample_db.write_lock is None
    sample_db.dispose()
    shared = Database(str(sample_db.path), fs_type="cifs")
    assert journal_mode(shared) == "delete"
    assert not Path(str(sample_db.path) + "-wal").exists()
    shared.dispose()


def test_each_write_holds_the_lock_file_naming_its_holder(sample_db):
    sample_db.dispose()
    shared = Database(str(sample_db.path), user="sato", fs_type="nfs")
    lock = shared.write_lock
    assert lock is not None
    with shared.write_session() as session:
        session.execute(text("SELECT 1"))  # the transaction begins with its first statement
        holder = lock.holder()
        assert holder is not None and (holder.user, holder.pid) == ("sato", lock.pid)
    assert not lock.path.exists()
    ops.update_program(shared, program_id(shared, "P0001"), {"alias": "共有"}, source="test")
    assert not lock.path.exists()
    shared.dispose()


def test_a_write_waits_for_another_holder_and_then_names_it(sample_db):
    sample_db.dispose()
    shared = Database(str(sample_db.path), user="sato", fs_type="cifs", busy_timeout=0.3)
    other = WriteLock(sample_db.path, "田中", host="PC-3", pid=12)
    other.acquire(0)
    with pytest.raises(DatabaseError) as refused:
        ops.update_program(shared, program_id(shared, "P0001"), {"alias": "共有"}, source="test")
    message = refused.value.message
    assert "田中" in message and "PC-3" in message and str(other.path) in message
    other.release()
    ops.update_program(shared, program_id(shared, "P0001"), {"alias": "共有"}, source="test")
    shared.dispose()


def test_a_lock_left_by_a_dead_process_of_this_computer_is_taken_over(sample_db):
    sample_db.dispose()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    shared = Database(str(sample_db.path), user="sato", fs_type="cifs", busy_timeout=2)
    lock = shared.write_lock
    assert lock is not None
    lock.path.write_text(Holder("sato", lock.host, int(dead.stdout), "2026-12-01 09:00:00 UTC").line(), "utf-8")
    ops.update_program(shared, program_id(shared, "P0001"), {"alias": "共有"}, source="test")
    assert not lock.path.exists()
    shared.dispose()


def test_the_status_bar_says_the_file_is_shared_and_suggests_a_server(qtbot, sample_db, settings, messages):
    pytest.importorskip("pytestqt")
    from kodomo_desktop.core import presence, queries
    from kodomo_desktop.core.presence import Me
    from kodomo_desktop.ui.main_window import MainWindow
    from kodomo_desktop.ui.presence_status import SHARED_NOTE

    sample_db.dispose()
    shared = Database(str(sample_db.path), fs_type="smb3")
    window = MainWindow(shared, settings)
    qtbot.addWidget(window)
    qtbot.waitUntil(lambda: SHARED_NOTE in window.presence.label.text())
    assert "PostgreSQL" not in window.presence.label.text()
    ed = queries.list_editions(shared)[0].id
    for i in range(3):
        presence.beat(shared, Me(f"user{i}", f"PC-{i}", i + 1), ed, datetime.now(UTC))
    window.presence.beat()
    qtbot.waitUntil(lambda: "PostgreSQL" in window.presence.label.text())
    assert "4人が同時に使っています" in window.presence.label.text()
    window.close()
    shared.dispose()
