"""Publishing freezes an edition: every operation is refused on it, whatever the caller;
「公開を取り消す」 needs a reason and is logged."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from sqlalchemy import func, select

from kodomo_desktop.core import operations as ops
from kodomo_desktop.core.edition_sql import dump_document
from kodomo_desktop.core.errors import InvalidInput, ReadOnlyEdition
from kodomo_desktop.core.interchange import export_document, import_document
from kodomo_desktop.core.models import ChangeLog, Edition, Placement, PolicyNode, Program
from kodomo_desktop.core.opening import open_database
from kodomo_desktop.core.operations.acknowledgements import acknowledge_finding, withdraw_acknowledgement
from kodomo_desktop.core.operations.edition_removal import delete_draft_edition
from kodomo_desktop.core.operations.reverting import remove_document, restore_document, revert_changes
from kodomo_desktop.core.operations.rollover import rollover
from kodomo_desktop.core.validation import Finding, Severity
from tests.helpers import recorded_user


def ids(db):
    """Row ids of the 2024 edition's pieces the attempts aim at."""
    with db.read() as s:
        edition = s.scalar(select(Edition.id).where(Edition.fiscal_year == 2024))
        program = s.scalar(select(Program.id).where(Program.edition_id == edition, Program.uid == "P0001"))
        nodes = {n.title: n.id for n in s.scalars(select(PolicyNode).where(PolicyNode.edition_id == edition))}
        placements = {
            (p.program.uid, p.measure.title): p.id
            for p in s.scalars(select(Placement).join(Program).where(Program.edition_id == edition))
        }
    return edition, program, nodes, placements


def attempts(db, sample_document):
    """Every write to an existing edition, aimed at the 2024 one: operation name -> call.

    Each would succeed on the draft (test_each_attempt_is_a_real_write), so a refusal is the freeze.
    """
    edition, program, nodes, placements = ids(db)
    empty_node = ops.add_node(db, edition, None, "policy", "空の基本施策").value
    relisting = placements[("P0001", "遊びや体験")]
    finding = Finding("test", Severity.WARNING, "確認", "P0001", "summary", "fingerprint")
    acknowledge_finding(db, 2024, finding)
    imported = ops.update_program(db, program, {"alias": "取り込んだ通称"}, source="import:test.xlsx").changes
    return {
        "update_program": lambda: ops.update_program(db, program, {"summary": "変更"}),
        "set_target": lambda: ops.set_target(db, [program], "中学", True),
        "set_targets": lambda: ops.set_targets(db, program, ["中学"]),
        "set_targets_for": lambda: ops.set_targets_for(db, {program: ["中学"]}),
        "set_divisions": lambda: ops.set_divisions(db, program, [("子育て支援部", "おやこ応援課")]),
        "create_program": lambda: ops.create_program(
            db, edition, {"name": "新事業"}, [(nodes["就労支援"], None, True)]
        ),
        "delete_program": lambda: ops.delete_program(db, program),
        "add_placement": lambda: ops.add_placement(db, program, nodes["就労支援"]),
        "remove_placement": lambda: ops.remove_placement(db, relisting),
        "move_placement": lambda: ops.move_placement(db, relisting, 0, nodes["就労支援"]),
        "set_primary": lambda: ops.set_primary(db, relisting),
        "add_node": lambda: ops.add_node(db, edition, None, "policy", "新しい基本施策"),
        "update_node": lambda: ops.update_node(db, nodes["権利の普及"], title="改題"),
        "move_node": lambda: ops.move_node(db, empty_node, 0),
        "delete_node": lambda: ops.delete_node(db, empty_node),
        "delete_edition": lambda: ops.delete_edition(db, 2024),
        "delete_draft_edition": lambda: delete_draft_edition(db, 2024),
        "publish": lambda: ops.publish(db, 2024),
        "update_edition_settings": lambda: ops.update_edition_settings(db, 2024, {"issuer_division": "こども政策課"}),
        "import_document": lambda: import_document(db, sample_document, replace=True),
        "acknowledge_finding": lambda: acknowledge_finding(db, 2024, finding, "別の理由"),
        "withdraw_acknowledgement": lambda: withdraw_acknowledgement(db, 2024, "P0001", "test", "summary"),
        "revert_changes": lambda: revert_changes(db, imported, source="editor"),
        "restore_document": lambda: restore_document(db, sample_document, export_document(db, 2024), source="editor"),
        "remove_document": lambda: remove_document(db, export_document(db, 2024), source="editor"),
    }


# operations that do not write into an existing edition, and why
NOT_EDITION_WRITES = {
    "create_edition": "makes a new edition",
    "rollover": "makes a new edition and only reads the source (test_rollover)",
    "unpublish": "the one way out of the freeze",
    "add_department": "the master list, shared by every edition",
    "add_division": "the master list",
    "rename_entry": "the master list",
    "move_entry": "the master list",
    "set_entry_active": "the master list",
    "merge_entries": "the master list; moves only draft editions' programs",
    "master_list": "a read",
    "deletable_edition": "a read (the check delete_draft_edition makes)",
    "later_edits": "a read (the check revert_changes makes)",
    "exclusive": "a lock around other operations (publish, rollover, returns), not a write itself",
}


def operations_in_core() -> set[str]:
    """Every public function taking the database in core/operations/*, the package's exports or not."""
    found = set()
    for module_info in pkgutil.iter_modules(ops.__path__):
        module = importlib.import_module(f"{ops.__name__}.{module_info.name}")
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if (
                function.__module__ == module.__name__
                and not name.startswith("_")
                and next(iter(inspect.signature(function).parameters), None) == "db"
            ):
                found.add(name)
    return found


def log_size(db) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(ChangeLog))


def test_every_operation_is_covered(sample_db, sample_document):
    unclassified = operations_in_core() - set(NOT_EDITION_WRITES) - set(attempts(sample_db, sample_document))
    assert unclassified == set(), "add these to attempts() or NOT_EDITION_WRITES"


def test_every_operation_is_refused_on_a_published_edition(sample_db, sample_document):
    table = attempts(sample_db, sample_document)
    ops.publish(sample_db, 2024)
    before, logged = dump_document(export_document(sample_db, 2024)), log_size(sample_db)
    for attempt in table.values():
        with pytest.raises(ReadOnlyEdition, match="公開済み"):
            attempt()
    assert dump_document(export_document(sample_db, 2024)) == before
    assert log_size(sample_db) == logged


def test_rollover_into_a_published_year_is_refused(sample_db, sample_document):
    import_document(sample_db, {**sample_document, "fiscal_year": 2025, "status": "published"})
    with pytest.raises(InvalidInput, match="すでにあります"):
        rollover(sample_db, 2024, 2025)
    assert export_document(sample_db, 2025)["status"] == "published"


def test_each_attempt_is_a_real_write(tmp_path, sample_document):
    for name in attempts(fresh_db(tmp_path / "names", sample_document), sample_document):
        db = fresh_db(tmp_path / name, sample_document)
        table = attempts(db, sample_document)
        before = log_size(db)
        table[name]()
        assert log_size(db) > before, name
        db.dispose()


def fresh_db(folder, sample_document):
    db = open_database(str(folder / "kodomo.sqlite"), seed=False)
    import_document(db, sample_document, add_divisions=True)
    return db


def test_unpublish_needs_a_reason_and_is_logged(sample_db):
    with pytest.raises(InvalidInput, match="公開されていません"):
        ops.unpublish(sample_db, 2024, "理由")
    ops.publish(sample_db, 2024)
    with pytest.raises(InvalidInput, match="理由を入力"):
        ops.unpublish(sample_db, 2024, "  ")
    assert export_document(sample_db, 2024)["status"] == "published"
    result = ops.unpublish(sample_db, 2024, "誤字の訂正", source="editor")
    assert {(c.field, c.old, c.new) for c in result.changes} == {
        ("status", "published", "draft"),
        ("unpublish_reason", None, "誤字の訂正"),
    }
    with sample_db.read() as s:
        rows = s.execute(
            select(ChangeLog.user, ChangeLog.source, ChangeLog.field, ChangeLog.new)
            .where(ChangeLog.entity == "edition")
            .order_by(ChangeLog.id.desc())
            .limit(2)
        ).all()
    assert {(r.field, r.new) for r in rows} == {("status", "draft"), ("unpublish_reason", "誤字の訂正")}
    assert {(r.user, r.source) for r in rows} == {(recorded_user(sample_db, sample_db.user), "editor")}
    assert export_document(sample_db, 2024)["status"] == "draft"
    _edition, program, _, _ = ids(sample_db)
    assert ops.update_program(sample_db, program, {"summary": "訂正後の概要"})
