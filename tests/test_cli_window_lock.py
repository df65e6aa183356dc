"""A write command on a database a window has open (issue 15): a notice before writing, and a restore
(which replaces the file under the window) only with --yes. The window lock is per user and database (issue 16)."""

from __future__ import annotations

import io

import pytest

from kodomo_desktop.cli import main
from kodomo_desktop.core.database import Database
from kodomo_desktop.ui.instance_lock import DatabaseInUse, lock_database, window_holding

# the window's lock file beside a SQLite database
pytestmark = pytest.mark.sqlite_only

NOTICE = "でも開かれています。画面の元に戻す操作は、この変更と食い違う場合に確認を求めます。"


def run(db, *args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["--db", str(db.path), *args], out, err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def window_lock(sample_db):
    lock = lock_database(sample_db)
    assert lock is not None
    yield lock
    lock.release()


def test_a_write_command_notes_the_open_window(sample_db, window_lock):
    code, _out, err = run(sample_db, "edition-settings", "--year", "2024", "--city", "旭川市役所")
    assert code == 0, err
    assert f"このデータベースは画面（利用者「{sample_db.user}」" in err
    assert NOTICE in err


def test_no_notice_without_a_window(sample_db):
    code, _out, err = run(sample_db, "edition-settings", "--year", "2024", "--city", "旭川市役所")
    assert code == 0, err
    assert "画面" not in err
    assert not (sample_db.path.parent / f"{sample_db.path.name}.lock").exists()


def test_a_read_command_says_nothing(sample_db, window_lock):
    code, _out, err = run(sample_db, "editions")
    assert code == 0, err
    assert "画面" not in err


def test_restore_under_a_window_needs_yes(sample_db, window_lock):
    backup = sample_db.backup("test")
    assert backup is not None
    sample_db.dispose()  # the window's own connections would keep a restore out; only its lock stays
    code, _out, err = run(sample_db, "restore", str(backup))
    assert code == 2
    assert "--yes" in err and "画面" in err
    code, out, err = run(sample_db, "restore", str(backup), "--yes")
    assert code == 0, err
    assert "でも開かれています。" in err and "から復元しました" in out


# --- the lock is per user and per database (issue 16) -------------------------------------------


def as_user(db, user: str) -> Database:
    """The same database as another OS user opens it (the user is what the window locks by)."""
    return Database(str(db.path), user=user)


def test_one_person_cannot_open_a_database_twice(sample_db):
    first = lock_database(as_user(sample_db, "suzuki"))
    try:
        with pytest.raises(DatabaseInUse) as refused:
            lock_database(as_user(sample_db, "suzuki"))
        assert "利用者「suzuki」" in refused.value.message
        assert str(first.path) in refused.value.message  # how to clear a lock left by a dead PC
    finally:
        first.release()
    lock_database(as_user(sample_db, "suzuki")).release()  # free again after release


def test_two_people_open_one_shared_file(sample_db):
    suzuki = lock_database(as_user(sample_db, "suzuki"))
    tanaka = lock_database(as_user(sample_db, "tanaka"))
    try:
        assert suzuki.path != tanaka.path and suzuki.path.parent == tanaka.path.parent == sample_db.path.parent
        held = window_holding(sample_db.path)
        assert held is not None and "利用者「suzuki」" in held and "利用者「tanaka」" in held
    finally:
        suzuki.release()
        tanaka.release()
    assert window_holding(sample_db.path) is None


def test_a_lock_is_per_database(tmp_path, sample_db):
    other = Database(str(tmp_path / "other" / "kodomo.sqlite"), user="suzuki")
    first = lock_database(as_user(sample_db, "suzuki"))
    try:
        lock_database(other).release()  # the same person, another file: no refusal
    finally:
        first.release()


def test_a_server_database_is_locked_per_user_by_its_url(tmp_path):
    url = "postgresql+psycopg://planner:secret@db.example/kodomo"
    suzuki = Database(url, user="suzuki")
    first = lock_database(suzuki, tmp_path)
    try:
        assert "secret" not in first.path.name and first.path.parent == tmp_path
        with pytest.raises(DatabaseInUse):
            lock_database(Database(url.replace("secret", "other"), user="suzuki"), tmp_path)
        lock_database(Database(url, user="tanaka"), tmp_path).release()
        lock_database(Database(url.replace("/kodomo", "/kodomo2"), user="suzuki"), tmp_path).release()
    finally:
        first.release()
