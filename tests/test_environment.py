"""The environment fighting back, through the command line: a writer holding the lock, a read-only
file or folder, a full disk, output paths that cannot be written, a --db that is not a database
file, returns that are not regular files. Each ends as exit 2 (or 1 where the command ran and
found a problem) with a Japanese message naming the file, no traceback, and the database unchanged.

Root ignores file permissions, so the read-only cases run with the effective user switched to
`nobody` for the command (and are skipped where that is impossible). The full disk is real
SQLite (a page limit gives SQLITE_FULL) and a real kernel ENOSPC (/dev/full).
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import event

from kodomo_desktop.cli import main
from kodomo_desktop.core import files, opening
from kodomo_desktop.core.environment import WAITING, database_failure, path_failure
from kodomo_desktop.core.interchange import export_document

# a SQLite file's locks, permissions and disk
pytestmark = pytest.mark.sqlite_only

NOBODY = 65534


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def refused(code: int, err: str, *named: object, exit_code: int = 2) -> None:
    assert code == exit_code, err
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1].startswith("エラー: "), err
    for name in named:
        assert str(name) in err, err


@pytest.fixture
def db_file(sample_db) -> Iterator[Path]:
    """The sample database as a closed file (no connection of the test holds it)."""
    sample_db.dispose()
    yield sample_db.path


def snapshot(path: Path) -> dict:
    db = opening.open_database(str(path), seed=False)
    try:
        return export_document(db, 2024)
    finally:
        db.dispose()


# --- another writer holds the lock ------------------------------------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ["publish", "--year", "2024", "--force"],
        ["edition-settings", "--year", "2024", "--city", "札幌市"],
    ],
)
def test_a_write_while_another_program_writes_waits_says_so_and_gives_up(db_file, monkeypatch, command):
    monkeypatch.setenv("KODOMO_BUSY_TIMEOUT", "2")
    before = snapshot(db_file)
    other = sqlite3.connect(db_file, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # e.g. an import in the window holding the write lock
    try:
        started = time.monotonic()
        code, _, err = run("--db", str(db_file), *command)
        waited = time.monotonic() - started
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert err.count(WAITING) == 1, err
    refused(code, err, db_file)
    assert "書き込み中" in err and "もう一度" in err
    assert 1.9 < waited < 10
    assert snapshot(db_file) == before


def test_a_write_goes_ahead_when_the_other_writer_finishes_within_the_wait(db_file, monkeypatch):
    import threading

    monkeypatch.setenv("KODOMO_BUSY_TIMEOUT", "10")
    other = sqlite3.connect(db_file, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    release = threading.Timer(1.5, lambda: other.execute("COMMIT"))
    release.start()
    try:
        code, _, err = run("--db", str(db_file), "edition-settings", "--year", "2024", "--city", "札幌市")
    finally:
        release.join()
        other.close()
    assert code == 0, err
    assert err.count(WAITING) == 1


# --- read-only database, read-only folder, full disk ------------------------------------------


@contextmanager
def as_nobody() -> Iterator[None]:
    """Permissions as an ordinary user sees them: root ignores them."""
    if os.geteuid() != 0:
        yield
        return
    try:
        os.seteuid(NOBODY)
    except OSError:
        pytest.skip("running as root and cannot switch to an ordinary user")
    try:
        yield
    finally:
        os.seteuid(0)


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A folder the ordinary user can reach (pytest's own temporary folders are private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="kodomo-env-"))
    folder.chmod(0o777)
    yield folder
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o777 if path.is_dir() else 0o666)
    shutil.rmtree(folder)


def test_a_read_only_database_file_says_so_and_not_that_it_is_damaged(db_file, shared_dir):
    path = shared_dir / "kodomo.sqlite"
    shutil.copy(db_file, path)
    before = snapshot(path)
    path.chmod(0o444)
    with as_nobody():
        code, _, err = run("--db", str(path), "edition-settings", "--year", "2024", "--city", "札幌市")
    refused(code, err, path)
    assert "読み取り専用" in err and "権限" in err
    assert "壊れて" not in err and "復元" not in err
    assert snapshot(path) == before


def test_a_read_only_folder_says_so_and_not_that_the_file_is_damaged(db_file, shared_dir):
    folder = shared_dir / "readonly"
    folder.mkdir()
    path = folder / "kodomo.sqlite"
    shutil.copy(db_file, path)
    before = snapshot(path)
    path.chmod(0o666)
    folder.chmod(0o555)
    with as_nobody():
        code, _, err = run("--db", str(path), "edition-settings", "--year", "2024", "--city", "札幌市")
    refused(code, err, path)
    assert "権限" in err
    assert "壊れて" not in err and "復元" not in err
    folder.chmod(0o777)
    assert snapshot(path) == before


def test_a_full_disk_under_the_database_says_so(db_file, monkeypatch, tmp_path):
    # SQLite's own SQLITE_FULL: the database may not grow by a single page
    real_open = opening.open_database

    def open_full(*args, **kwargs):
        db = real_open(*args, **kwargs)

        @event.listens_for(db.engine, "connect")
        def _no_more_pages(dbapi_connection, _record):
            pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
            dbapi_connection.execute(f"PRAGMA max_page_count = {pages}")

        db.engine.dispose()
        return db

    monkeypatch.setattr(opening, "open_database", open_full)
    document = snapshot(db_file)
    document["programs"] = [
        {**program, "summary": program["summary"] + "あ" * 5000} for program in document["programs"]
    ]
    source = tmp_path / "big.json"
    source.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    before = snapshot(db_file)
    code, _, err = run("--db", str(db_file), "import-json", str(source), "--replace")
    refused(code, err, db_file)
    assert "ディスクがいっぱい" in err and "壊れて" not in err
    assert snapshot(db_file) == before


def test_sqlite_errors_from_sqlite_itself_become_messages_naming_the_file():
    connection = sqlite3.connect(":memory:")
    connection.execute("PRAGMA max_page_count = 1")
    with pytest.raises(sqlite3.OperationalError) as full:
        connection.execute("CREATE TABLE t (x)")
    problem = database_failure(full.value, "/data/kodomo.sqlite")
    assert problem is not None and "/data/kodomo.sqlite" in problem.message and "いっぱい" in problem.message
    assert database_failure(sqlite3.OperationalError("no such table: x"), "db") is None
    assert "ディスクがいっぱい" in path_failure(OSError(28, "No space left on device"), "/out/a.json").message


# --- output paths -----------------------------------------------------------------------------

OUTPUT_COMMANDS = {
    "export-json": ["export-json", "-o"],
    "diff": ["diff", "--from", "2024", "--to", "2024", "-o"],
    "coverage": ["coverage", "-o"],
    "export-csv": ["export-csv", "-o"],
    "templates": ["templates", "-o"],
    "web": ["web", "--force", "-o"],
}


@pytest.mark.parametrize("command", OUTPUT_COMMANDS)
def test_output_under_a_regular_file_is_a_message_naming_the_path(db_file, tmp_path, command):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    target = blocker / "out"
    code, _, err = run("--db", str(db_file), *OUTPUT_COMMANDS[command], str(target))
    refused(code, err, blocker)
    assert blocker.read_text() == "x"


@pytest.mark.parametrize("command", ["export-json", "diff", "coverage"])
def test_output_to_a_folder_is_a_message_naming_it(db_file, tmp_path, command):
    folder = tmp_path / "folder"
    folder.mkdir()
    code, _, err = run("--db", str(db_file), *OUTPUT_COMMANDS[command], str(folder))
    refused(code, err, folder)
    assert "フォルダ" in err
    assert list(folder.iterdir()) == []


@pytest.mark.parametrize("command", ["export-json", "diff"])
def test_output_into_a_read_only_folder_is_a_message_naming_the_path(db_file, shared_dir, command):
    folder = shared_dir / "readonly"
    folder.mkdir()
    shutil.copy(db_file, shared_dir / "kodomo.sqlite")
    folder.chmod(0o555)
    target = folder / "out.json"
    with as_nobody():
        code, _, err = run("--db", str(shared_dir / "kodomo.sqlite"), *OUTPUT_COMMANDS[command], str(target))
    refused(code, err, target)
    assert "権限" in err
    assert not target.exists()


@pytest.mark.parametrize("command", ["export-json", "diff"])
def test_output_on_a_full_disk_keeps_the_old_file(db_file, tmp_path, monkeypatch, command):
    target = tmp_path / "out.json"
    target.write_text("old")
    real_mkstemp = tempfile.mkstemp

    def on_a_full_disk(**kwargs):
        _fd, name = real_mkstemp(**kwargs)
        os.close(_fd)
        return os.open("/dev/full", os.O_WRONLY), name  # the kernel's own ENOSPC on write

    monkeypatch.setattr(files.tempfile, "mkstemp", on_a_full_disk)
    code, _, err = run("--db", str(db_file), *OUTPUT_COMMANDS[command], str(target))
    refused(code, err, target)
    assert "ディスクがいっぱい" in err
    assert target.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []


# --- --db that is not a database file ---------------------------------------------------------


def test_db_under_a_regular_file(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    code, _, err = run("--db", str(blocker / "kodomo.sqlite"), "editions")
    refused(code, err, blocker)


@pytest.mark.parametrize("url", ["foo://x", "mysql://u@h/d", "not a url://"])
def test_db_url_of_an_unknown_kind_or_a_missing_driver(url):
    code, _, err = run("--db", url, "editions")
    refused(code, err)
    if url.startswith("mysql"):
        assert "ドライバ MySQLdb がありません" in err


def test_db_that_is_a_device_is_refused_before_sqlite_touches_it():
    journal = Path("/dev/null-journal")
    existed = journal.exists()
    code, _, err = run("--db", "/dev/null", "editions")
    refused(code, err, "/dev/null")
    assert "通常のファイルではありません" in err
    assert journal.exists() == existed


def test_db_that_is_a_folder(tmp_path):
    code, _, err = run("--db", str(tmp_path), "editions")
    refused(code, err, tmp_path)


def test_an_empty_db_is_refused_not_the_default_database(capsys):
    code, _, _ = run("--db", "", "editions")
    assert code == 2
    assert "データベースの指定が空です" in capsys.readouterr().err  # argparse's usage error


@pytest.mark.parametrize(
    "versions",
    [[], ["0003", "0002"], [""]],
)
def test_an_empty_or_wrong_schema_record_is_a_message_and_nothing_changes(db_file, versions):
    connection = sqlite3.connect(db_file)
    connection.execute("DELETE FROM alembic_version")
    connection.executemany("INSERT INTO alembic_version VALUES (?)", [(v,) for v in versions])
    connection.commit()
    connection.close()
    before = db_file.read_bytes()
    code, _, err = run("--db", str(db_file), "editions")
    refused(code, err, db_file)
    assert "alembic_version" in err
    assert db_file.read_bytes() == before


def test_another_programs_sqlite_file_is_refused_and_not_switched_to_wal(tmp_path):
    path = tmp_path / "other.sqlite"
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE notes (x)")
    connection.commit()
    connection.close()
    before = path.read_bytes()
    code, _, err = run("--db", str(path), "editions")
    refused(code, err, path)
    assert "kodomo-desktop のものではありません" in err
    assert path.read_bytes() == before  # bytes 18-19 would be 2 in WAL mode
    assert not Path(f"{path}-wal").exists()


# --- returns that are not regular files -------------------------------------------------------


def test_a_return_that_is_a_device_is_refused_without_reading_it(db_file):
    code, out, err = run("--db", str(db_file), "import-returns", "/dev/zero")
    assert code == 1, err
    assert "zero: 通常のファイルではありません" in out
    assert "Traceback" not in err


def test_a_return_that_is_a_fifo_is_refused_without_waiting(db_file, tmp_path):
    fifo = tmp_path / "回答.xlsx"
    os.mkfifo(fifo)
    done = subprocess.run(
        [sys.executable, "-m", "kodomo_desktop", "--db", str(db_file), "import-returns", str(fifo)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1, done.stderr
    assert "回答.xlsx: 通常のファイルではありません" in done.stdout
    assert "Traceback" not in done.stderr


def test_a_missing_return_folder_exits_2_like_a_missing_json_file(db_file, tmp_path):
    before = snapshot(db_file)
    missing = tmp_path / "回答フォルダ"
    code, _, err = run("--db", str(db_file), "import-returns", str(missing), "--apply")
    refused(code, err, missing)
    assert snapshot(db_file) == before
