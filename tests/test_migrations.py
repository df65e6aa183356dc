"""The Alembic migrations build exactly the models' schema; old databases are migrated after a backup."""

from __future__ import annotations

import sqlite3

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select

from kodomo_desktop.core.database import Database
from kodomo_desktop.core.errors import DatabaseError
from kodomo_desktop.core.migrations import head_revision
from kodomo_desktop.core.models import Base, Edition, Program
from kodomo_desktop.core.opening import open_database
from kodomo_desktop.core.sql_rows import SCHEMA_REVISION


def test_schema_revision_constant_is_the_head():
    assert head_revision() == SCHEMA_REVISION


def test_migrations_produce_the_models_schema(empty_db):
    with empty_db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "render_as_batch": True})
        assert compare_metadata(context, Base.metadata) == []


@pytest.mark.sqlite_only  # SQLite's PRAGMAs, file and backup
def test_pragmas(empty_db):
    with empty_db.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


@pytest.mark.sqlite_only  # SQLite's PRAGMAs, file and backup
def test_newer_schema_is_refused(empty_db):
    path = empty_db.path
    empty_db.dispose()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = 'base-test'")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseError, match="新しい形式"):
        open_database(str(path), seed=False)


def test_not_a_database_gets_a_clear_message(tmp_path):
    bad = tmp_path / "broken.sqlite"
    bad.write_bytes(b"this is not sqlite at all" * 100)
    with pytest.raises(DatabaseError, match=r"壊れているか.*バックアップ"):
        open_database(str(bad))


def test_foreign_database_is_refused(tmp_path):
    other = tmp_path / "other.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE stuff (x)")
    conn.commit()
    conn.close()
    with pytest.raises(DatabaseError, match="kodomo-desktop のものではありません"):
        open_database(str(other))


@pytest.mark.sqlite_only  # SQLite's PRAGMAs, file and backup
def test_backup_is_a_consistent_copy(sample_db):
    backup = sample_db.backup("test")
    copy = Database(str(backup))
    assert copy.revision() == SCHEMA_REVISION
    copy.dispose()
    assert backup.parent.name == "backups"


@pytest.mark.parametrize("old_revision", ["0001", "0002", "0003"])
def test_database_of_an_older_schema_is_migrated_after_a_backup(tmp_path, sample_document, old_revision):
    """A file made by an earlier release opens: backed up, migrated, data intact.

    The data is written with today's models, then the file is taken down to the old schema
    (downgrades drop only what later revisions added), as the old release left it.
    """
    from alembic import command

    from kodomo_desktop.core.interchange import export_document, import_document
    from kodomo_desktop.core.migrations import alembic_config

    path = tmp_path / "old.sqlite"
    old = open_database(str(path), seed=False)
    import_document(old, sample_document, add_divisions=True)
    before = export_document(old, 2024)
    cfg = alembic_config(old)
    with old.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, old_revision)
    assert old.revision() == old_revision
    old.dispose()

    db = open_database(str(path))
    assert db.revision() == SCHEMA_REVISION != old_revision
    assert export_document(db, 2024) == before
    with db.read() as session:
        assert session.scalar(select(Edition.issuer_city)) == "旭川市"
        assert set(session.scalars(select(Program.uncertain_targets))) == {0}
        assert set(session.scalars(select(Program.version))) == {1}
    backups = list((tmp_path / "backups").glob("old-*-before-migration.sqlite"))
    assert len(backups) == 1
    assert Database(str(backups[0])).revision() == old_revision
    db.dispose()
