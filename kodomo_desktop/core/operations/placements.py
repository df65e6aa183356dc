"""Operations on placements: list a program under a measure, remove, move, make primary."""

from __future__ import annotations

from kodomo_desktop.core.changes import OpResult, Writer, writing
from kodomo_desktop.core.database import Database
from kodomo_desktop.core.errors import InvalidInput
from kodomo_desktop.core.models import Placement, Program
from kodomo_desktop.core.operations.common import clamp_position, node_label, reindex
from kodomo_desktop.core.operations.programs import insert_placement, measure_in, measure_rows, placement_value


def add_placement(
    db: Database, program_id: int, measure_id: int, position: int | None = None, *, source: str = "editor"
) -> OpResult:
    """Re-list a program under another measure (printed 【再掲】). Returns the placement id."""
    with writing(db, source) as w:
        program = w.get(Program, program_id, "事業")
        w.editable(program.edition_id)
        measure = measure_in(w, measure_id, program.edition_id)
        placement = insert_placement(w, program, measure, position, primary=not program.placements)
        return w.result(placement.id)


def _placement(w: Writer, placement_id: int, expected_version: int | None) -> tuple[Placement, Program]:
    """The placement to change, of an editable edition, unchanged since expected_version (the version
    the caller read; a move of another program in its measure renumbers it, and so changes it too)."""
    placement = w.get(Placement, placement_id, "掲載")
    program = placement.program
    w.editable(program.edition_id)
    measure = node_label(w.session, placement.measure)
    subject = f"事業 {program.uid}「{program.name}」（{measure}）"
    w.check_row(placement, expected_version, subject, measure=measure)
    return placement, program


def remove_placement(
    db: Database, placement_id: int, *, source: str = "editor", expected_version: int | None = None
) -> OpResult:
    """Remove a re-listing. The primary placement cannot go while the program has it as its only home."""
    with writing(db, source) as w:
        placement, program = _placement(w, placement_id, expected_version)
        if placement.is_primary:
            raise InvalidInput(
                f"事業「{program.name}」の主な掲載先は削除できません。"
                "先に別の掲載先を主にするか、事業そのものを削除してください。"
            )
        old = placement_value(w, placement)
        rows = measure_rows(w, placement.measure_id)
        rows.remove(placement)
        w.session.delete(placement)
        reindex(rows)
        w.log("program", program.uid, "placement", old, None, program.edition_id)
        return w.result()


def move_placement(
    db: Database,
    placement_id: int,
    position: int,
    measure_id: int | None = None,
    *,
    source: str = "editor",
    expected_version: int | None = None,
) -> OpResult:
    """Reorder within a measure, or move to another measure at a position."""
    with writing(db, source) as w:
        placement, program = _placement(w, placement_id, expected_version)
        old = placement_value(w, placement)
        rows = measure_rows(w, placement.measure_id)
        rows.remove(placement)
        if measure_id is not None and measure_id != placement.measure_id:
            measure = measure_in(w, measure_id, program.edition_id)
            target_rows = measure_rows(w, measure_id)
            if any(p.program_id == program.id for p in target_rows):
                raise InvalidInput(f"事業「{program.name}」は移動先の個別施策にすでに掲載されています。")
            reindex(rows)
            placement.measure_id = measure.id
            placement.measure = measure
            rows = target_rows
        rows.insert(clamp_position(position, len(rows)), placement)
        reindex(rows)
        w.session.flush()
        w.log("program", program.uid, "placement", old, placement_value(w, placement), program.edition_id)
        return w.result()


def set_primary(
    db: Database, placement_id: int, *, source: str = "editor", expected_version: int | None = None
) -> OpResult:
    """Make this placement the primary one; the former primary becomes a 【再掲】."""
    with writing(db, source) as w:
        placement, program = _placement(w, placement_id, expected_version)
        if placement.is_primary:
            return w.result()
        for other in program.placements:
            if other.is_primary:
                old = placement_value(w, other)
                other.is_primary = False
                w.session.flush()  # the unique index allows one primary at a time
                w.log("program", program.uid, "placement", old, placement_value(w, other), program.edition_id)
        old = placement_value(w, placement)
        placement.is_primary = True
        w.session.flush()
        w.log("program", program.uid, "placement", old, placement_value(w, placement), program.edition_id)
        return w.result()
