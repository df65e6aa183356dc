"""A write command on a database a window has open (issue 15): a notice before writing, and a restore
(which replaces the file under the window) only with --yes."""

from __future__ import annotations

import io

import pytest

from kodomo_desktop.cli import main
from kodomo_desktop.ui.instance_lock import lock_database

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
