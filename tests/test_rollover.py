"""Rollover: the next year's edition copies what it should and nothing it should not."""

from __future__ import annotations

import io
import sqlite3

import pytest
from sqlalchemy import func, select

from kodomo_desktop.cli import main
from kodomo_desktop.core import operations as ops
from kodomo_desktop.core.edition_sql import dump_document
from kodomo_desktop.core.errors import InvalidInput, NotFound
from kodomo_desktop.core.interchange import export_document, import_document
from kodomo_desktop.core.models import ChangeLog, Edition, FindingAck, ReturnImport
from kodomo_desktop.core.opening import open_database
from kodomo_desktop.core.operations import rollover as rollover_module
from kodomo_desktop.core.operations.rollover import rollover
from tests.helpers import program_id


def programs_by_id(doc):
    return {p["id"]: p for p in doc["programs"]}


def backups(db):
    folder = db.path.parent / "backups"
    return sorted(folder.glob("*before-rollover*")) if folder.exists() else []


def test_rollover_copies_tree_programs_and_placements(sample_db):
    before = export_document(sample_db, 2024)
    result = rollover(sample_db, 2024, 2025)
    new = export_document(sample_db, 2025)
    with sample_db.read() as s:
        edition = s.get(Edition, result.value)
        assert (edition.fiscal_year, edition.status, edition.title) == (2025, "draft", before["title"])
    assert new["policies"] == before["policies"]  # the tree and every placement, in order, by stable id
    old_programs, new_programs = programs_by_id(before), programs_by_id(new)
    assert new_programs.keys() == old_programs.keys()
    for uid, old in old_programs.items():
        copied = new_programs[uid]
        assert copied["results"] == ""
        assert copied["previous_results"] == old["results"]
        kept = {k: v for k, v in copied.items() if k not in ("results", "previous_results")}
        assert kept == {k: v for k, v in old.items() if k not in ("results", "previous_results")}
    # new rows, not the old ones re-pointed
    assert program_id(sample_db, "P0001", 2025) != program_id(sample_db, "P0001", 2024)


def test_source_edition_is_left_exactly_as_it_was(sample_db):
    before = dump_document(export_document(sample_db, 2024))
    rollover(sample_db, 2024, 2025)
    assert dump_document(export_document(sample_db, 2024)) == before


def test_ended_programs_stay_behind_and_new_ones_continue(sample_db):
    ops.update_program(sample_db, program_id(sample_db, "P0002"), {"status": "終了"})
    ops.update_program(sample_db, program_id(sample_db, "P0003"), {"status": "新規"})
    result = rollover(sample_db, 2024, 2025)
    new = export_document(sample_db, 2025)
    assert set(programs_by_id(new)) == {"P0001", "P0003"}
    placed = [
        p["program"]
        for policy in new["policies"]
        for group in policy.get("stages", [policy])
        for measure in group.get("measures", [])
        for p in measure["placements"]
    ]
    assert "P0002" not in placed and sorted(placed) == ["P0001", "P0001", "P0003"]
    assert programs_by_id(new)["P0003"]["status"] == "継続"
    assert {c.field: c.new for c in result.changes if c.entity == "edition"}["not_carried_over"] == ["P0002"]
    # the ended program is still in its own year's history
    assert programs_by_id(export_document(sample_db, 2024))["P0002"]["status"] == "終了"


def test_export_keeps_ended_programs_and_previous_results(sample_db, tmp_path):
    ops.update_program(sample_db, program_id(sample_db, "P0002"), {"status": "終了"})
    assert programs_by_id(export_document(sample_db, 2024))["P0002"]["status"] == "終了"
    rollover(sample_db, 2024, 2025)
    exported = export_document(sample_db, 2025)
    again = open_database(str(tmp_path / "again.sqlite"), seed=False)
    import_document(again, exported, add_divisions=True)
    assert export_document(again, 2025) == exported
    again.dispose()
    assert programs_by_id(exported)["P0001"]["previous_results"] == "ガイドブック 3,000部"


def test_review_work_of_the_old_year_stays_with_it(sample_db):
    with sample_db.write_session() as s:
        edition = s.scalar(select(Edition.id).where(Edition.fiscal_year == 2024))
        s.add(
            FindingAck(
                edition_id=edition, program_uid="P0001", code="x", field="summary", fingerprint="f", user="u", at="t"
            )
        )
        s.add(
            ReturnImport(edition_id=edition, unit="子育て支援課", file_name="a.xlsx", sha256="0" * 64, user="u", at="t")
        )
    new = rollover(sample_db, 2024, 2025).value
    with sample_db.read() as s:
        assert s.scalar(select(func.count()).select_from(FindingAck).where(FindingAck.edition_id == new)) == 0
        assert s.scalar(select(func.count()).select_from(ReturnImport).where(ReturnImport.edition_id == new)) == 0
    # still open questions of the old year come along with their programs
    assert programs_by_id(export_document(sample_db, 2025))["P0002"]["review_notes"] == ["所管を確認"]


def test_rollover_writes_the_change_log(sample_db):
    result = rollover(sample_db, 2024, 2025, source="cli")
    with sample_db.read() as s:
        rows = s.execute(
            select(ChangeLog.source, ChangeLog.entity, ChangeLog.entity_id, ChangeLog.field, ChangeLog.new).where(
                ChangeLog.edition_id == result.value
            )
        ).all()
    assert rows and {r.source for r in rows} == {"cli"}
    assert {r.entity_id for r in rows if r.entity == "program" and r.field == "created"} == {"P0001", "P0002", "P0003"}
    fields = {r.field: r.new for r in rows if r.entity == "edition"}
    assert fields["rolled_over_from"] == 2024
    assert fields["created"] == {"fiscal_year": 2025, "title": "「旭川市こども計画」関連事業・取組一覧"}
    assert len(result.changes) == len(rows)


@pytest.mark.sqlite_only  # the backup is a copy of the SQLite file
def test_backup_is_taken_before_the_new_edition_is_written(sample_db):
    result = rollover(sample_db, 2024, 2025)
    [backup] = backups(sample_db)
    assert {c.field: c.new for c in result.changes if c.entity == "edition"}["backup"] == str(backup)
    with sqlite3.connect(backup) as con:
        assert con.execute("SELECT fiscal_year FROM edition").fetchall() == [(2024,)]


def test_refused_when_the_target_exists_or_the_source_does_not(sample_db, backend):
    ops.create_edition(sample_db, 2025)
    with pytest.raises(InvalidInput, match="令和7年度の版はすでにあります"):
        rollover(sample_db, 2024, 2025)
    with pytest.raises(NotFound, match="令和4年度"):
        rollover(sample_db, 2022, 2023)
    with pytest.raises(InvalidInput, match="翌年度"):
        rollover(sample_db, 2024, 2026)
    if backend == "sqlite":  # a server database's backups are the server's job
        assert backups(sample_db) == []  # nothing to protect when nothing is written


def test_a_failure_half_way_leaves_no_new_edition(sample_db, monkeypatch):
    real = rollover_module.write_edition

    def write_then_fail(w, doc):
        real(w, doc)
        raise RuntimeError("disk full")

    monkeypatch.setattr(rollover_module, "write_edition", write_then_fail)
    with pytest.raises(RuntimeError):
        rollover(sample_db, 2024, 2025)
    with pytest.raises(NotFound):
        export_document(sample_db, 2025)


def test_published_source_can_be_rolled_over_and_stays_published(sample_db):
    ops.publish(sample_db, 2024)
    rollover(sample_db, 2024, 2025)
    assert export_document(sample_db, 2024)["status"] == "published"
    assert export_document(sample_db, 2025)["status"] == "draft"
    ops.update_program(sample_db, program_id(sample_db, "P0001", 2025), {"results": "ガイドブック 3,200部"})


def run_cli(*argv):
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), out=out, err=err)
    return code, out.getvalue(), err.getvalue()


def test_cli_rollover(sample_db, backend):
    code, out, err = run_cli("--db", sample_db.url, "rollover", "--from", "2024", "--to", "2025")
    assert code == 0, err
    assert "令和7年度版を令和6年度版から作成しました（事業 3件を引き継ぎ、終了した事業 0件" in out
    if backend == "sqlite":  # a server database's backups are the server's job
        assert "バックアップ:" in err and "before-rollover" in err
    code, _, err = run_cli("--db", sample_db.url, "rollover", "--from", "2024")
    assert code == 2 and "令和7年度の版はすでにあります" in err
    code, out, _ = run_cli("--db", sample_db.url, "rollover", "--from", "2025")
    assert code == 0 and "令和8年度版" in out


def test_rollover_of_the_seed_edition(seeded_db):
    before = export_document(seeded_db, 2024)
    rollover(seeded_db, 2024, 2025)
    new = export_document(seeded_db, 2025)
    assert new["policies"] == before["policies"]
    assert [p["id"] for p in new["programs"]] == [p["id"] for p in before["programs"]]
    assert all(p["results"] == "" for p in new["programs"])
    assert [p["previous_results"] for p in new["programs"]] == [p["results"] for p in before["programs"]]
