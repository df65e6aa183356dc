"""The window's placement steps and the master-list dialog write with the versions they read: an undo
of a move someone else has since moved over, or a rename of an entry someone renamed since the
dialog read it, is refused naming who did it, and their change stands."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import select

from kodomo_desktop.core.models import Department, Edition, Placement, Program
from kodomo_desktop.ui.master_dialog import MasterListDialog
from kodomo_desktop.ui.undo_commands import MovePlacement
from tests.helpers import pushed, written
from tests.test_concurrency import in_other_process, who_else

pytest.importorskip("pytestqt")


def measure_with_two(db) -> tuple[int, tuple[str, int], tuple[str, int]]:
    """A measure and its first two placements: (uid, placement id) each."""
    with db.read() as session:
        rows = session.execute(
            select(Placement.measure_id, Program.uid, Placement.id)
            .join(Program)
            .join(Edition)
            .where(Edition.fiscal_year == 2024)
            .order_by(Placement.measure_id, Placement.position)
        ).all()
    for a, b in itertools.pairwise(rows):
        if a.measure_id == b.measure_id:
            return a.measure_id, (a.uid, a.id), (b.uid, b.id)
    raise AssertionError("no measure with two programs")


def positions(db, *ids: int) -> list[int]:
    with db.read() as session:
        return [session.get(Placement, i).position for i in ids]


def test_undoing_a_move_someone_else_moved_over_is_refused(window, sample_db, messages, qtbot):
    measure, (first, first_id), (_second, second_id) = measure_with_two(sample_db)
    assert pushed(qtbot, window.session, MovePlacement(window.session, first, measure, 0, measure, 1))
    assert positions(sample_db, first_id, second_id) == [1, 0]
    in_other_process(sample_db, f"ops.move_placement(db, {second_id}, 1)")  # the other puts them back
    assert positions(sample_db, first_id, second_id) == [0, 1]
    window.session.undo()
    qtbot.waitUntil(lambda: bool(messages))
    assert who_else(sample_db) in messages[-1] and "掲載" in messages[-1]
    assert positions(sample_db, first_id, second_id) == [0, 1]  # their order stands


def test_the_master_dialog_refuses_a_rename_over_someone_elses(qtbot, sample_db, runner, messages):
    dialog = MasterListDialog(sample_db, submit=runner.submit)  # reads the list, versions included
    qtbot.addWidget(dialog)
    with sample_db.read() as session:
        department = session.scalars(select(Department).order_by(Department.position)).first()
        department_id, name = department.id, department.name
    in_other_process(
        sample_db,
        "from kodomo_desktop.core.operations.master import rename_entry\n"
        f"rename_entry(db, 'department', {department_id}, '他の人の部名')\n",
    )
    item = dialog.tree.topLevelItem(0)
    assert item.text(0) == name
    dialog.tree.setCurrentItem(item)
    dialog.rename_selected("私の部名")
    written(qtbot, runner)
    assert messages and "他の人の部名" in messages[-1] and who_else(sample_db) in messages[-1]
    with sample_db.read() as session:
        assert session.get(Department, department_id).name == "他の人の部名"
