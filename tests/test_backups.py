"""Backups: the safe write, the keeping policy, listing, restoring; deleting a draft edition after one."""

from __future__ import annotations

import io
import json
import os
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from kodomo_desktop.cli import main
from kodomo_desktop.core import backup_files
from kodomo_desktop.core import operations as ops
from kodomo_desktop.core.backup_files import KeepPolicy, to_remove
from kodomo_desktop.core.backups import list_backups, preview_restore, restore
from kodomo_desktop.core.errors import DatabaseError
from kodomo_desktop.core.interchange import export_document, import_document
from kodomo_desktop.core.queries import list_editions
from tests.helpers import program_id

# backups are copies of the SQLite file (a server database's are the server's job)
pytestmark = pytest.mark.sqlite_only


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def backups_folder(db) -> Path:
    return db.path.parent / "backups"


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_backups_and_restore_round_trip_an_import_exactly(sample_db, sample_document, tmp_path):
    db = str(sample_db.path)
    sample_db.dispose()
    code, before, _ = run("--db", db, "export-json", "--year", "2024")
    assert code == 0
    changed = tmp_path / "changed.json"
    sample_document["programs"][0]["summary"] = "取り込みで変わった概要"
    changed.write_text(json.dumps(sample_document, ensure_ascii=False), encoding="utf-8")
    code, _, err = run("--db", db, "import-json", str(changed), "--replace")
    assert code == 0, err
    imported = run("--db", db, "export-json", "--year", "2024")[1]
    assert imported != before

    code, out, _ = run("--db", db, "backups")
    assert code == 0
    assert "before-import-json" in out and "令和6年度版（作成中、事業 3件）" in out
    [backup] = list_backups(sample_db)
    assert backup.reason == "before-import-json" and not backup.broken and backup.size > 0

    code, out, err = run("--db", db, "restore", backup.path.name)  # a name in backups/ is enough
    assert code == 2 and "--yes" in err
    assert run("--db", db, "export-json", "--year", "2024")[1] == imported
    code, out, err = run("--db", db, "restore", str(backup.path), "--yes")
    assert code == 0, err
    assert "令和6年度版: 内容が変わった事業 1件" in out
    assert run("--db", db, "export-json", "--year", "2024")[1] == before

    # the state the restore replaced was backed up first, and restoring it undoes the restore
    saved = next(b for b in list_backups(sample_db) if b.reason == "before-restore")
    assert "復元前の状態のバックアップ" in err and str(saved.path) in err
    assert run("--db", db, "restore", str(saved.path), "--yes")[0] == 0
    assert run("--db", db, "export-json", "--year", "2024")[1] == imported


def test_restore_previews_the_year_diff_and_a_year_that_would_go(sample_db, sample_document):
    backup = sample_db.backup("test")
    assert backup is not None
    ops.update_program(sample_db, program_id(sample_db, "P0001"), {"name": "今の名称"})
    import_document(sample_db, dict(sample_document, fiscal_year=2025), source="test")
    changes = {c.fiscal_year: c for c in preview_restore(sample_db, backup)}
    # current → backup: what restoring would do
    original = next(p["name"] for p in sample_document["programs"] if p["id"] == "P0001")
    assert changes[2024].diff is not None
    assert [(c.old, c.new) for c in changes[2024].diff.renamed] == [("今の名称", original)]
    assert changes[2025].backup is None and changes[2025].current is not None


def test_a_broken_backup_is_listed_as_broken_and_refused(sample_db):
    good = sample_db.backup("test")
    assert good is not None
    broken = good.with_name(good.name.replace("-test", "-truncated"))
    data = good.read_bytes()
    broken.write_bytes(data[: len(data) // 2])
    before = export_document(sample_db, 2024)

    listed = {b.reason: b for b in list_backups(sample_db)}
    assert listed["truncated"].broken and "壊れています" in listed["truncated"].contents
    assert not listed["test"].broken
    code, out, _ = run("--db", str(sample_db.path), "backups")
    assert code == 0 and "壊れています" in out

    sample_db.dispose()
    code, _, err = run("--db", str(sample_db.path), "restore", str(broken), "--yes")
    assert code == 2 and "壊れているため復元できません" in err and "変更していません" in err
    with pytest.raises(DatabaseError, match="壊れているため復元できません"):
        restore(sample_db, broken)
    assert export_document(sample_db, 2024) == before
    assert not any(b.reason == "before-restore" for b in list_backups(sample_db))


def test_restore_is_refused_while_another_connection_holds_the_database(sample_db):
    backup = sample_db.backup("test")
    assert backup is not None
    ops.update_program(sample_db, program_id(sample_db, "P0001"), {"name": "残る名称"})
    other = sqlite3.connect(sample_db.path)
    other.execute("SELECT count(*) FROM program").fetchall()
    try:
        with pytest.raises(DatabaseError, match="使用中"):
            restore(sample_db, backup)
    finally:
        other.close()
    assert export_document(sample_db, 2024)["programs"][0]["name"] == "残る名称"


def test_a_failed_backup_leaves_no_file_and_aborts_the_operation(sample_db, monkeypatch):
    def disk_full(_fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backup_files.os, "fsync", disk_full)
    with pytest.raises(DatabaseError, match="バックアップを作成できなかったため、操作を中止しました"):
        sample_db.backup("test")
    assert files_in(backups_folder(sample_db)) == []

    sample_db.dispose()
    code, _, err = run("--db", str(sample_db.path), "rollover", "--from", "2024")
    assert code == 2 and "No space left on device" in err
    assert [e.fiscal_year for e in list_editions(sample_db)] == [2024]
    assert files_in(backups_folder(sample_db)) == []


def test_a_backup_failing_its_check_is_not_kept(sample_db, monkeypatch):
    monkeypatch.setattr(backup_files, "integrity_problem", lambda conn, pragma="": "database disk image is malformed")
    with pytest.raises(DatabaseError, match="整合性の確認で問題"):
        sample_db.backup("test")
    assert files_in(backups_folder(sample_db)) == []


def test_a_backup_missing_an_edition_is_not_kept(sample_db, monkeypatch):
    monkeypatch.setattr(backup_files, "edition_years", lambda conn: {2024} if conn.in_transaction else set())
    with pytest.raises(DatabaseError, match="年度版がそろっていません"):
        sample_db.backup("test")
    assert files_in(backups_folder(sample_db)) == []


def test_a_backup_is_one_checked_file_with_every_edition(sample_db):
    backup = sample_db.backup("test")
    assert backup is not None
    assert files_in(backups_folder(sample_db)) == [backup.name]  # no -wal, -shm or temporary file beside it
    conn = backup_files.open_read_only(backup)
    try:
        assert backup_files.integrity_problem(conn) is None
        assert backup_files.edition_years(conn) == {2024}
    finally:
        conn.close()


def test_keeping_policy_keeps_the_last_n_and_one_per_month():
    now = datetime(2026, 6, 15, 12)
    times = [
        datetime(2026, 6, 15, 11),
        datetime(2026, 6, 14),
        datetime(2026, 6, 1),
        datetime(2026, 5, 20),
        datetime(2026, 5, 2),
        datetime(2026, 3, 9),
        datetime(2026, 3, 8),
        datetime(2025, 12, 31),
    ]
    backups = [(Path(f"b{i}.sqlite"), t) for i, t in enumerate(times)]
    removed = {p.name for p in to_remove(backups, KeepPolicy(last=2, months=4), now)}
    # kept: the newest two, then the newest of May and of March (June's is among the newest);
    # December is outside the four months June, May, April, March
    assert removed == {"b2.sqlite", "b4.sqlite", "b6.sqlite", "b7.sqlite"}
    assert to_remove(backups, KeepPolicy(last=20, months=24), now) == []


def test_prune_follows_the_environment_after_every_backup(sample_db, monkeypatch):
    folder = backups_folder(sample_db)
    folder.mkdir()
    for day in (1, 2, 3):
        (folder / f"{sample_db.path.stem}-202601{day:02d}-120000-000000-old.sqlite").write_bytes(b"x")
    (folder / "someone-else.sqlite").write_bytes(b"x")
    # what a backup killed half-way leaves: a temporary file, removed once it is clearly abandoned
    abandoned = folder / f".{sample_db.path.stem}-20260101-120000-000000-old.sqlite.tmp"
    abandoned.write_bytes(b"half")
    os.utime(abandoned, (0, 0))
    recent = folder / f".{sample_db.path.stem}-20260104-120000-000000-old.sqlite.tmp"
    recent.write_bytes(b"half")
    monkeypatch.setenv("KODOMO_BACKUP_KEEP_LAST", "2")
    monkeypatch.setenv("KODOMO_BACKUP_KEEP_MONTHS", "0")
    backup = sample_db.backup("test")
    assert backup is not None
    assert files_in(folder) == sorted(
        [backup.name, f"{sample_db.path.stem}-20260103-120000-000000-old.sqlite", "someone-else.sqlite", recent.name]
    )
    assert recent not in [b.path for b in list_backups(sample_db)]

    monkeypatch.setenv("KODOMO_BACKUP_KEEP_LAST", "many")
    with pytest.raises(DatabaseError, match="KODOMO_BACKUP_KEEP_LAST"):
        sample_db.backup("test")

    monkeypatch.delenv("KODOMO_BACKUP_KEEP_LAST")
    sample_db.dispose()
    code, _, err = run("--db", str(sample_db.path), "backups", "--prune", "--keep-last", "1", "--keep-months", "0")
    assert code == 0 and "1件削除しました" in err
    assert files_in(folder) == sorted([backup.name, "someone-else.sqlite", recent.name])


def test_delete_edition_refuses_a_published_edition(sample_db):
    ops.publish(sample_db, 2024)
    sample_db.dispose()
    code, _, err = run("--db", str(sample_db.path), "delete-edition", "--year", "2024", "--yes")
    assert code == 2 and "公開済みのため削除できません" in err
    assert [e.fiscal_year for e in list_editions(sample_db)] == [2024]
    assert list_backups(sample_db) == []


def test_delete_edition_deletes_a_draft_after_a_backup(sample_db, sample_document):
    import_document(sample_db, dict(sample_document, fiscal_year=2025), source="test")
    sample_db.dispose()
    db = str(sample_db.path)
    code, out, err = run("--db", db, "delete-edition", "--year", "2025")
    assert code == 2 and "--yes" in err
    assert "令和7年度版（事業 3件、掲載 5件）を削除します" in out
    assert list_backups(sample_db) == []

    code, out, err = run("--db", db, "delete-edition", "--year", "2025", "--yes")
    assert code == 0, err
    assert "令和7年度版を削除しました" in out
    assert [e.fiscal_year for e in list_editions(sample_db)] == [2024]
    [backup] = list_backups(sample_db)
    assert backup.reason == "before-delete-edition"
    assert [e.fiscal_year for e in backup.editions] == [2024, 2025]
    assert run("--db", db, "delete-edition", "--year", "2025", "--yes")[0] == 2
