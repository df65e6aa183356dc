"""The command line's quick read of a local SQLite file (core.read_only): the document the opened
database gives, without SQLAlchemy; the full way whenever the file is anything but ordinary."""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
import subprocess
import sys

import pytest

from kodomo_desktop.cli import main
from kodomo_desktop.core import read_only, shared_file
from kodomo_desktop.core.edition_sql import dump_document, read_document
from kodomo_desktop.core.era import era_label
from kodomo_desktop.core.interchange import export_document, import_document
from kodomo_desktop.core.operations import master
from kodomo_desktop.core.operations.editions import publish, update_edition_settings
from kodomo_desktop.core.sql_rows import sqlite_rows
from kodomo_desktop.core.validation import blocking_message, validate_edition
from tests.helpers import SAMPLE_DOCUMENT


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.sqlite_only  # the quick read is of a SQLite file
def test_quick_read_gives_what_the_opened_database_gives(seeded_db, sample_document):
    import_document(seeded_db, {**sample_document, "fiscal_year": 2023}, add_divisions=True)
    update_edition_settings(seeded_db, 2023, {"issuer_department": "子育て支援部"}, source="test")
    publish(seeded_db, 2023, source="test")  # a date of publication, a snapshot, a status
    connection = read_only.open_read_only(str(seeded_db.path))
    assert connection is not None
    try:
        for year in (2023, 2024, None):
            quick = read_document(sqlite_rows(connection), year, dated=True)
            assert quick == export_document(seeded_db, year, dated=True)
        assert quick["fiscal_year"] == 2024 and len(quick["programs"]) == 124  # None: the latest
    finally:
        connection.close()


def test_server_missing_empty_and_foreign_files_go_the_full_way(tmp_path):
    assert read_only.open_read_only("postgresql+psycopg://kodomo@db.example/kodomo") is None
    assert read_only.open_read_only(str(tmp_path / "missing.sqlite")) is None
    (tmp_path / "empty.sqlite").write_bytes(b"")
    assert read_only.open_read_only(str(tmp_path / "empty.sqlite")) is None
    (tmp_path / "text.sqlite").write_text("not a database\n" * 100, encoding="utf-8")
    assert read_only.open_read_only(str(tmp_path / "text.sqlite")) is None
    other = sqlite3.connect(tmp_path / "other.sqlite")
    other.execute("CREATE TABLE stuff (x)")
    other.commit()
    other.close()
    assert read_only.open_read_only(str(tmp_path / "other.sqlite")) is None  # no alembic_version


@pytest.mark.sqlite_only
def test_another_schema_revision_goes_the_full_way(sample_db, tmp_path):
    copy = tmp_path / "copy.sqlite"
    shutil.copy(sample_db.path, copy)
    connection = sqlite3.connect(copy)
    connection.execute("UPDATE alembic_version SET version_num = '9999'")  # a newer release's file
    connection.commit()
    connection.close()
    assert read_only.open_read_only(str(copy)) is None
    code, _, err = run("--db", str(copy), "booklet", "-o", str(tmp_path / "b.pdf"))
    assert code == 2 and "新しい形式（9999）" in err  # the full way's refusal, not a quick read of it
    assert not (tmp_path / "b.pdf").exists()


@pytest.mark.sqlite_only
def test_a_file_on_a_network_drive_goes_the_full_way(sample_db, monkeypatch):
    assert read_only.open_read_only(str(sample_db.path)) is not None
    monkeypatch.setattr(shared_file, "on_network", lambda path: True)
    assert read_only.open_read_only(str(sample_db.path)) is None


@pytest.mark.sqlite_only
def test_a_file_held_by_a_writer_goes_the_full_way(sample_db):
    sample_db.dispose()
    writer = sqlite3.connect(sample_db.path, isolation_level=None)
    writer.execute("PRAGMA journal_mode = DELETE")  # a rollback journal: a writer's lock keeps readers out
    writer.execute("BEGIN EXCLUSIVE")
    try:
        assert read_only.open_read_only(str(sample_db.path)) is None
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    connection = read_only.open_read_only(str(sample_db.path))
    assert connection is not None
    connection.close()


@pytest.mark.sqlite_only
def test_quick_read_writes_nothing(sample_db):
    connection = read_only.open_read_only(str(sample_db.path))
    assert connection is not None
    with pytest.raises(sqlite3.OperationalError, match="readonly"):
        connection.execute("UPDATE program SET name = 'x'")
    connection.close()


def test_booklet_refuses_the_errors_the_database_validation_finds(empty_db, tmp_path):
    """The booklet checks the document it read, with the master list read alike; its refusal lists
    what validating the stored edition lists (SQLite through the quick read, PostgreSQL through
    its session)."""
    broken = json.loads(json.dumps(SAMPLE_DOCUMENT))
    broken["programs"][0]["divisions"] = []
    broken["programs"][2]["targets"] = []
    import_document(empty_db, broken, add_divisions=True)
    entry = next(
        division
        for department in master.master_list(empty_db)
        for division in department.divisions
        if (department.name, division.name) == ("子育て支援部", "おやこ応援課")
    )
    master.set_entry_active(empty_db, "division", entry.id, False)  # only the master list says so
    errors = validate_edition(empty_db, 2024).errors
    assert {f.code for f in errors} == {"divisions.none", "targets.none", "divisions.inactive"}
    pdf = tmp_path / "b.pdf"
    code, _, err = run("--db", empty_db.url, "booklet", "-o", str(pdf))
    assert code == 1 and not pdf.exists()
    assert err == (
        f"エラー: {blocking_message(era_label(2024), errors, '冊子を作成')}\n"
        "エラーがあっても作成するときは --force を付けてください。\n"
    )
    code, _, err = run("--db", empty_db.url, "booklet", "--force", "-o", str(pdf))
    assert code == 0 and pdf.exists(), err


def test_proof_against_the_published_state_reads_the_snapshot(sample_db, tmp_path):
    publish(sample_db, 2024, source="test")
    pdf = tmp_path / "proof.pdf"
    code, out, err = run("--db", sample_db.url, "booklet", "--proof", "published", "--force", "-o", str(pdf))
    assert code == 0, err
    assert "校正用の冊子" in out and pdf.exists()


def test_proof_against_an_unpublished_edition_says_so(sample_db, tmp_path):
    code, _, err = run("--db", sample_db.url, "booklet", "--proof", "published", "-o", str(tmp_path / "p.pdf"))
    assert code == 2 and "まだ公開されていない" in err


@pytest.mark.sqlite_only
def test_export_json_of_a_local_file_starts_without_sqlalchemy(seeded_db, tmp_path):
    out = tmp_path / "e.json"
    script = (
        "import json, sys; from kodomo_desktop.cli import main;"
        f"code = main(['--db', {str(seeded_db.path)!r}, 'export-json', '-o', {str(out)!r}]);"
        "print(json.dumps([code, [m for m in sys.modules if m.startswith('sqlalchemy')]]))"
    )
    result = subprocess.run([sys.executable, "-c", script], check=True, capture_output=True, text=True)
    assert json.loads(result.stdout.splitlines()[-1]) == [0, []]
    assert out.read_text(encoding="utf-8") == dump_document(export_document(seeded_db, dated=True))
