"""The master list of departments and divisions: add, rename, reorder, deactivate, merge."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from kodomo_desktop.core import operations as ops
from kodomo_desktop.core.divisions import DivisionEntry
from kodomo_desktop.core.edition_sql import dump_document
from kodomo_desktop.core.errors import InvalidInput
from kodomo_desktop.core.interchange import export_document, import_document
from kodomo_desktop.core.models import ChangeLog
from kodomo_desktop.core.operations import master
from kodomo_desktop.core.validation import validate_edition
from tests.helpers import program_id


def entries(db) -> dict[tuple[str, str | None], DivisionEntry]:
    return {(d.name, v.name): v for d in master.master_list(db) for v in d.divisions}


def department_id(db, name: str) -> int:
    return next(d.id for d in master.master_list(db) if d.name == name)


def divisions(db, uid: str, year: int = 2024) -> list[tuple[str, str | None]]:
    program = next(p for p in export_document(db, year)["programs"] if p["id"] == uid)
    return [(d["department"], d["division"]) for d in program["divisions"]]


def log_count(db) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(ChangeLog))


def with_typo(db) -> int:
    """A stray おやか応援課 entry (as an import of the source list would make) named by P0001."""
    typo = master.add_division(db, department_id(db, "子育て支援部"), "おやか応援課").value
    ops.set_divisions(db, program_id(db, "P0001"), [("子育て支援部", "おやか応援課")])
    return typo


def test_add_department_and_division(sample_db):
    dept = master.add_department(sample_db, "  こども未来部 ", position=0).value
    listing = master.master_list(sample_db)
    assert listing[0].name == "こども未来部" and listing[0].id == dept
    # the department itself can be named as responsible at once
    assert [v.name for v in listing[0].divisions] == [None]
    division = master.add_division(sample_db, dept, "こども政策課").value
    assert entries(sample_db)[("こども未来部", "こども政策課")].id == division
    with pytest.raises(InvalidInput, match="すでに"):
        master.add_department(sample_db, "こども未来部")
    with pytest.raises(InvalidInput, match="すでに"):
        master.add_division(sample_db, dept, "こども政策課")
    with pytest.raises(InvalidInput, match="名前を入力"):
        master.add_division(sample_db, dept, " ")


def test_rename_reprints_every_program_and_refuses_a_clash(sample_db):
    entry = entries(sample_db)[("子育て支援部", "おやこ応援課")]
    result = master.rename_entry(sample_db, "division", entry.id, "おやこ支援課")
    assert [(c.entity, c.field, c.old, c.new) for c in result.changes] == [
        ("division", "name", "おやこ応援課", "おやこ支援課")
    ]
    assert divisions(sample_db, "P0002") == [("子育て支援部", "主幹付"), ("子育て支援部", "おやこ支援課")]
    with pytest.raises(InvalidInput, match="統合"):
        master.rename_entry(sample_db, "division", entry.id, "子育て支援課")
    own = entries(sample_db)[("選挙管理委員会事務局", None)]
    with pytest.raises(InvalidInput, match="部の名前"):
        master.rename_entry(sample_db, "division", own.id, "何か")


def test_rename_refused_where_a_published_edition_names_the_entry(sample_db):
    entry = entries(sample_db)[("子育て支援部", "おやこ応援課")]
    ops.publish(sample_db, 2024)
    before = dump_document(export_document(sample_db, 2024))
    with pytest.raises(InvalidInput, match=r"公開済み.*統合"):
        master.rename_entry(sample_db, "division", entry.id, "おやこ支援課")
    with pytest.raises(InvalidInput, match="公開済み"):
        master.rename_entry(sample_db, "department", department_id(sample_db, "子育て支援部"), "こども部")
    assert dump_document(export_document(sample_db, 2024)) == before
    # an entry no published program names can still be corrected
    fresh = master.add_department(sample_db, "こども未来部").value
    master.rename_entry(sample_db, "department", fresh, "こども政策部")
    assert department_id(sample_db, "こども政策部") == fresh


def test_move_reorders_siblings(sample_db):
    dept = department_id(sample_db, "子育て支援部")
    names = lambda: [v.name for d in master.master_list(sample_db) if d.id == dept for v in d.divisions]  # noqa: E731
    first = names()
    moved = entries(sample_db)[("子育て支援部", first[-1])].id
    master.move_entry(sample_db, "division", moved, 0)
    assert names() == [first[-1], *first[:-1]]
    master.move_entry(sample_db, "department", dept, 99)
    assert master.master_list(sample_db)[-1].id == dept


def test_deactivated_entry_is_reported_for_programs_still_naming_it(sample_db):
    entry = entries(sample_db)[("子育て支援部", "おやこ応援課")]
    result = master.set_entry_active(sample_db, "division", entry.id, False)
    assert result.value == 1  # P0002 still names it
    found = [f for f in validate_edition(sample_db, 2024).findings if f.code == "divisions.inactive"]
    assert [(f.program, f.field) for f in found] == [("P0002", "divisions")]
    master.set_entry_active(sample_db, "division", entry.id, True)
    assert not [f for f in validate_edition(sample_db, 2024).findings if f.code == "divisions.inactive"]


def test_merge_moves_every_program_logs_and_drops_the_entry(sample_db):
    typo = with_typo(sample_db)
    target = entries(sample_db)[("子育て支援部", "おやこ応援課")]
    # P0002 names おやこ応援課 already: naming both must end with it once
    both = [("子育て支援部", "おやか応援課"), ("子育て支援部", "主幹付"), ("子育て支援部", "おやこ応援課")]
    ops.set_divisions(sample_db, program_id(sample_db, "P0002"), both)
    result = master.merge_entries(sample_db, "division", typo, target.id)
    assert result.value == 2
    assert divisions(sample_db, "P0001") == [("子育て支援部", "おやこ応援課")]
    assert divisions(sample_db, "P0002") == [("子育て支援部", "おやこ応援課"), ("子育て支援部", "主幹付")]
    assert ("子育て支援部", "おやか応援課") not in entries(sample_db)
    logged = {(c.entity, c.entity_id, c.field) for c in result.changes}
    assert {
        ("program", "P0001", "divisions"),
        ("program", "P0002", "divisions"),
        ("division", str(typo), "deleted"),
    } <= logged
    with sample_db.read() as s:
        rows = s.scalars(select(ChangeLog).where(ChangeLog.entity == "program", ChangeLog.entity_id == "P0001")).all()
        assert rows[-1].new == [["子育て支援部", "おやこ応援課"]]


def test_merge_leaves_published_editions_alone(sample_db, sample_document):
    typo = with_typo(sample_db)
    ops.publish(sample_db, 2024)
    import_document(
        sample_db,
        dict(sample_document, fiscal_year=2025)
        | {
            "programs": [
                dict(p, divisions=[{"department": "子育て支援部", "division": "おやか応援課"}])
                for p in sample_document["programs"]
            ]
        },
    )
    target = entries(sample_db)[("子育て支援部", "おやこ応援課")].id
    assert master.merge_entries(sample_db, "division", typo, target).value == 3
    assert divisions(sample_db, "P0001", 2025) == [("子育て支援部", "おやこ応援課")]
    assert divisions(sample_db, "P0001", 2024) == [("子育て支援部", "おやか応援課")]
    kept = entries(sample_db)[("子育て支援部", "おやか応援課")]
    assert not kept.active and kept.programs == 1


def test_failed_merge_changes_nothing(sample_db, monkeypatch):
    typo = with_typo(sample_db)
    ops.set_divisions(sample_db, program_id(sample_db, "P0002"), [("子育て支援部", "おやか応援課")])
    before = (dump_document(export_document(sample_db, 2024)), master.master_list(sample_db), log_count(sample_db))
    calls = []
    real = master.write_divisions

    def fail_on_second(*args):
        calls.append(args)
        if len(calls) == 2:
            raise RuntimeError("disk gone")
        return real(*args)

    monkeypatch.setattr(master, "write_divisions", fail_on_second)
    with pytest.raises(RuntimeError):
        master.merge_entries(sample_db, "division", typo, entries(sample_db)[("子育て支援部", "おやこ応援課")].id)
    assert len(calls) == 2  # the first program had been moved when it failed
    assert (
        dump_document(export_document(sample_db, 2024)),
        master.master_list(sample_db),
        log_count(sample_db),
    ) == before


def test_merge_departments_pairs_divisions_by_name(sample_db):
    other = master.add_department(sample_db, "子育て支援部（旧）").value
    master.add_division(sample_db, other, "おやこ応援課")
    master.add_division(sample_db, other, "新設課")
    old = [("子育て支援部（旧）", "おやこ応援課"), ("子育て支援部（旧）", "新設課")]
    ops.set_divisions(sample_db, program_id(sample_db, "P0001"), old)
    target = department_id(sample_db, "子育て支援部")
    master.merge_entries(sample_db, "department", other, target)
    assert divisions(sample_db, "P0001") == [("子育て支援部", "おやこ応援課"), ("子育て支援部", "新設課")]
    assert "子育て支援部（旧）" not in [d.name for d in master.master_list(sample_db)]


def test_merge_refuses_itself_and_an_inactive_target(sample_db):
    typo = with_typo(sample_db)
    target = entries(sample_db)[("子育て支援部", "おやこ応援課")].id
    with pytest.raises(InvalidInput, match="同じ"):
        master.merge_entries(sample_db, "division", typo, typo)
    master.set_entry_active(sample_db, "division", target, False)
    with pytest.raises(InvalidInput, match="使用停止"):
        master.merge_entries(sample_db, "division", typo, target)
