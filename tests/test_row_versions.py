"""Every write of a row bumps its version, and the change log keeps the version each change made."""

from __future__ import annotations

from sqlalchemy import select

from kodomo_desktop.core import operations as ops
from kodomo_desktop.core.models import ChangeLog, Department, Placement, PolicyNode, Program
from kodomo_desktop.core.operations.master import rename_entry
from tests.helpers import program_id


def version(db, model, ident: int) -> int:
    with db.read() as session:
        return session.get(model, ident).version


def test_program_fields_targets_and_divisions_bump_the_version(sample_db):
    pid = program_id(sample_db, "P0001")
    start = version(sample_db, Program, pid)
    result = ops.update_program(sample_db, pid, {"summary": "新しい概要"})
    assert result.versions == {"P0001": start + 1} == {"P0001": version(sample_db, Program, pid)}
    ops.set_targets(sample_db, pid, [])
    ops.set_divisions(sample_db, pid, [("子育て支援部", "主幹付")])
    assert version(sample_db, Program, pid) == start + 3
    assert not ops.update_program(sample_db, pid, {"summary": "新しい概要"})  # no change, no new version
    assert version(sample_db, Program, pid) == start + 3
    with sample_db.read() as session:
        logged = session.scalars(
            select(ChangeLog.version).where(ChangeLog.entity_id == "P0001", ChangeLog.source == "editor")
        ).all()
    assert logged == [start + 1, start + 2, start + 3]


def test_policy_nodes_placements_and_master_entries_bump_theirs(sample_db):
    with sample_db.read() as session:
        node = session.execute(select(PolicyNode.id, PolicyNode.title).order_by(PolicyNode.id)).first()
        placement = session.scalar(select(Placement.id).where(Placement.position == 0))
        department = session.execute(select(Department.id, Department.name).order_by(Department.id)).first()
    before = [version(sample_db, PolicyNode, node.id), version(sample_db, Placement, placement)]
    before.append(version(sample_db, Department, department.id))
    ops.update_node(sample_db, node.id, title=node.title + "（改）")
    ops.move_placement(sample_db, placement, 1)
    rename_entry(sample_db, "department", department.id, department.name + "（新）")
    after = [version(sample_db, PolicyNode, node.id), version(sample_db, Placement, placement)]
    after.append(version(sample_db, Department, department.id))
    assert after == [v + 1 for v in before]
