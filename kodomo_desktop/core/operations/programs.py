"""Operations on programs: fields, targets, divisions, create and delete."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import count
from typing import Any

from sqlalchemy import select

from kodomo_desktop.core.changes import OpResult, Writer, writing
from kodomo_desktop.core.database import Database
from kodomo_desktop.core.divisions import DivisionPair
from kodomo_desktop.core.errors import InvalidInput
from kodomo_desktop.core.fields import EDITABLE_FIELDS, FIELD_LABELS, TEXT_FIELDS
from kodomo_desktop.core.models import Division, Placement, PolicyNode, Program, ProgramDivision
from kodomo_desktop.core.operations.common import clamp_position, find_division, node_label, reindex
from kodomo_desktop.core.program_document import program_document
from kodomo_desktop.core.targets import labels_from_mask, mask_from_labels
from kodomo_desktop.core.vocabulary import CONTINUING, MEASURE, NODE_KIND_LABELS, PROGRAM_STATUSES


def _check_value(field: str, value: Any) -> Any:
    if field not in EDITABLE_FIELDS:
        raise InvalidInput(f"項目「{field}」は編集できません。")
    if field == "name":
        if not isinstance(value, str) or not value.strip():
            raise InvalidInput("事業・取組名称は空にできません。")
        return value.strip()
    if field == "alias":
        return (value or "").strip() or None
    if field in TEXT_FIELDS:
        if not isinstance(value, str):
            raise InvalidInput(f"{FIELD_LABELS[field]}は文字列で指定してください。")
        return value
    if field == "status":
        if value not in PROGRAM_STATUSES:
            raise InvalidInput(f"変更区分「{value}」は使えません（{' / '.join(PROGRAM_STATUSES)}）。")
        return value
    if field == "needs_review":
        return bool(value)
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InvalidInput("確認メモは文字列の一覧で指定してください。")
    return list(value)


def update_program(
    db: Database,
    program_id: int,
    values: dict[str, Any],
    *,
    source: str = "editor",
    expected_version: int | None = None,
) -> OpResult:
    """Set one or more fields of one program; refused (Conflict) where another write changed one of
    them after expected_version, the version the caller's values are based on."""
    with writing(db, source) as w:
        program = w.get(Program, program_id, "事業")
        w.editable(program.edition_id)
        w.check_version(program, expected_version, values)
        write_fields(w, program, values)
        return w.result()


def write_fields(w: Writer, program: Program, values: dict[str, Any]) -> None:
    """update_program inside a caller's transaction (an Excel return applies many programs in one)."""
    for field, value in values.items():
        value = _check_value(field, value)
        old = getattr(program, field)
        if field == "review_notes":
            old = list(old)
        if old != value:
            setattr(program, field, value)
            w.log("program", program.uid, field, old, value, program.edition_id)


def set_target(db: Database, program_ids: Iterable[int], label: str, on: bool, *, source: str = "editor") -> OpResult:
    """Tick or clear one target group on several programs at once (one transaction)."""
    bit = mask_from_labels([label])
    with writing(db, source) as w:
        for program in _programs(w, list(program_ids)):
            write_targets(w, program, program.targets | bit if on else program.targets & ~bit, confirmed=bit)
        return w.result()


def set_targets(
    db: Database,
    program_id: int,
    labels: Iterable[str],
    *,
    source: str = "editor",
    expected_version: int | None = None,
) -> OpResult:
    expected = None if expected_version is None else {program_id: expected_version}
    return set_targets_for(db, {program_id: labels}, source=source, expected_versions=expected)


def set_targets_for(
    db: Database,
    targets: Mapping[int, Iterable[str]],
    *,
    source: str = "editor",
    expected_versions: Mapping[int, int] | None = None,
) -> OpResult:
    """Give several programs each its own target set, in one transaction (a pasted block and its undo).
    expected_versions: by program id, the version each set is based on (see update_program)."""
    with writing(db, source) as w:
        for program, labels in zip(_programs(w, list(targets)), targets.values(), strict=False):
            w.check_version(program, (expected_versions or {}).get(program.id), ["targets"])
            write_targets(w, program, mask_from_labels(labels))
        return w.result()


def _programs(w: Writer, program_ids: list[int]) -> list[Program]:
    """The programs, in the order asked, loaded in one query (a select-all toggle is thousands),
    each of an edition that may be changed."""
    found = {p.id: p for p in w.session.scalars(select(Program).where(Program.id.in_(program_ids)))}
    programs = [found.get(i) or w.get(Program, i, "事業") for i in program_ids]
    for edition_id in {p.edition_id for p in programs}:
        w.editable(edition_id)
    return programs


def write_targets(w: Writer, program: Program, mask: int, confirmed: int = 0) -> None:
    """Set the targets; a target the editor set (confirmed) or changed is no longer uncertain."""
    if mask != program.targets:
        w.log(
            "program",
            program.uid,
            "targets",
            labels_from_mask(program.targets),
            labels_from_mask(mask),
            program.edition_id,
        )
    uncertain = program.uncertain_targets & ~(confirmed | (mask ^ program.targets))
    program.targets = mask
    if uncertain != program.uncertain_targets:
        w.log(
            "program",
            program.uid,
            "uncertain_targets",
            labels_from_mask(program.uncertain_targets),
            labels_from_mask(uncertain),
            program.edition_id,
        )
        program.uncertain_targets = uncertain


def divisions_of(program: Program) -> list[list[str | None]]:
    return [[pd.division.department.name, pd.division.name] for pd in program.divisions]


def set_divisions(
    db: Database,
    program_id: int,
    pairs: Sequence[tuple[str, str | None]],
    *,
    source: str = "editor",
    create_missing: bool = False,
    expected_version: int | None = None,
) -> OpResult:
    """Replace the program's 所管 with master-list entries, in printed order (expected_version: see update_program)."""
    with writing(db, source) as w:
        program = w.get(Program, program_id, "事業")
        w.editable(program.edition_id)
        w.check_version(program, expected_version, ["divisions"])
        write_divisions(w, program, pairs, create_missing)
        return w.result()


def write_divisions(w: Writer, program: Program, pairs: Iterable[DivisionPair], create_missing: bool) -> None:
    old = divisions_of(program)
    divisions = _find_divisions(w, program, pairs, create_missing)
    new = [[d.department.name, d.name] for d in divisions]
    if new == old:
        return
    program.divisions.clear()
    w.session.flush()
    _attach_divisions(program, divisions)
    w.log("program", program.uid, "divisions", old, new, program.edition_id)


def _find_divisions(w: Writer, program: Program, pairs: Iterable[DivisionPair], create_missing: bool) -> list[Division]:
    divisions = [find_division(w.session, dept, div, create=create_missing) for dept, div in pairs]
    # refused here, in Japanese, before the (program, division) key refuses it in SQL
    if len({d.id for d in divisions}) != len(divisions):
        raise InvalidInput(f"事業「{program.name}」の所管に同じ課が重複しています。")
    return divisions


def _attach_divisions(program: Program, divisions: Sequence[Division]) -> None:
    for i, division in enumerate(divisions):
        program.divisions.append(ProgramDivision(division_id=division.id, position=i, division=division))


def new_uids(w: Writer) -> Iterator[str]:
    """Program ids never used in any edition: P0001, P0002, ... (read once for many new programs)."""
    numbers = [int(m.group(1)) for uid in w.session.scalars(select(Program.uid)) if (m := re.fullmatch(r"P(\d+)", uid))]
    return (f"P{n:04d}" for n in count(max(numbers, default=0) + 1))


def next_uid(w: Writer) -> str:
    return next(new_uids(w))


def program_row(doc: dict[str, Any], uid: str) -> Program:
    """A program's row from its interchange form, its values checked; no edition, divisions or
    session yet (an import prepares every row before it takes the write lock)."""
    name = _check_value("name", doc.get("name", ""))
    return Program(
        uid=uid,
        name=name,
        alias=_check_value("alias", doc.get("alias")),
        summary=doc.get("summary", ""),
        targets=mask_from_labels(doc.get("targets", [])),
        uncertain_targets=mask_from_labels(doc.get("uncertain_targets", [])),
        results=doc.get("results", ""),
        previous_results=doc.get("previous_results"),
        status=_check_value("status", doc.get("status", CONTINUING)),
        needs_review=bool(doc.get("needs_review", False)),
        review_notes=list(doc.get("review_notes", [])),
    )


def add_program(
    w: Writer, edition_id: int, doc: dict[str, Any], *, create_divisions: bool, uid: str | None = None
) -> Program:
    """Insert one program from its interchange form (no placements). uid: the id to give a program
    whose doc has none, where the caller numbers many new programs (otherwise the next unused one)."""
    given = doc.get("id")
    uid = given or uid or next_uid(w)
    # a new id is unused in every edition already
    if given and w.session.scalar(select(Program.id).where(Program.edition_id == edition_id, Program.uid == uid)):
        raise InvalidInput(f"事業ID「{uid}」はこの年度版にすでにあります。")
    program = program_row(doc, uid)
    program.edition_id = edition_id
    pairs = [(d["department"], d.get("division")) for d in doc.get("divisions", [])]
    # attached while the program is new: its divisions are then known without reading them back
    _attach_divisions(program, _find_divisions(w, program, pairs, create_divisions))
    w.session.add(program)
    w.session.flush()
    return program


def create_program(
    db: Database,
    edition_id: int,
    doc: dict[str, Any],
    placements: Sequence[tuple[int, int | None, bool]],
    *,
    source: str = "editor",
) -> OpResult:
    """A new program (or a deleted one restored from its snapshot), listed under measures.

    placements: (measure id, position or None for the end, primary). Exactly one primary.
    Returns the new program's row id as the result value.
    """
    if sum(1 for _m, _p, primary in placements if primary) != 1:
        raise InvalidInput("事業には主となる掲載先がちょうど一つ必要です。")
    with writing(db, source) as w:
        w.editable(edition_id)
        program = add_program(w, edition_id, doc, create_divisions=False)
        w.log("program", program.uid, "created", None, program_document(program, divisions_of(program)), edition_id)
        for measure_id, position, primary in placements:
            insert_placement(w, program, measure_in(w, measure_id, edition_id), position, primary)
        return w.result(program.id)


def delete_program(db: Database, program_id: int, *, source: str = "editor") -> OpResult:
    """Delete a program and its placements. The log keeps the whole snapshot (undo restores it)."""
    with writing(db, source) as w:
        program = w.get(Program, program_id, "事業")
        w.editable(program.edition_id)
        return w.result(remove_program(w, program))


def remove_program(w: Writer, program: Program) -> dict[str, Any]:
    """Inside a write: delete a program, close the gaps it leaves, log and return its snapshot
    (with its placements, so an undo can put it back where it was)."""
    snapshot = program_document(program, divisions_of(program))
    snapshot["placements"] = [
        {"measure": p.measure_id, "position": p.position, "primary": p.is_primary} for p in program.placements
    ]
    for placement in program.placements:
        siblings = measure_rows(w, placement.measure_id)
        siblings.remove(placement)
        reindex(siblings)
    w.session.delete(program)  # placements and divisions go with it (cascade)
    w.session.flush()
    w.log("program", snapshot["id"], "deleted", snapshot, None, program.edition_id)
    return snapshot


def measure_in(w: Writer, measure_id: int, edition_id: int) -> PolicyNode:
    """The 個別施策 a program of the edition is to be listed under."""
    measure = w.get(PolicyNode, measure_id, NODE_KIND_LABELS[MEASURE])
    if measure.kind != MEASURE or measure.edition_id != edition_id:
        raise InvalidInput("掲載先には同じ年度版の個別施策を選んでください。")
    return measure


def measure_rows(w: Writer, measure_id: int) -> list[Placement]:
    return list(
        w.session.scalars(select(Placement).where(Placement.measure_id == measure_id).order_by(Placement.position))
    )


def placement_value(w: Writer, placement: Placement) -> dict[str, Any]:
    """How a placement is written in the change log."""
    return {
        "measure": node_label(w.session, placement.measure),
        "position": placement.position + 1,
        "relisted": not placement.is_primary,
    }


class Listings:
    """The placements of the measures a write lists programs under, each measure read once: an
    import lists thousands of programs, and reading the measure again for each was quadratic."""

    def __init__(self, w: Writer) -> None:
        self.w = w
        self._rows: dict[int, list[Placement]] = {}
        self._listed: dict[int, set[int]] = {}
        self._labels: dict[int, str] = {}

    def insert(self, program: Program, measure: PolicyNode, position: int | None, primary: bool) -> Placement:
        w = self.w
        if measure.id not in self._rows:
            self._rows[measure.id] = measure_rows(w, measure.id)
            self._listed[measure.id] = {p.program_id for p in self._rows[measure.id]}
            self._labels[measure.id] = node_label(w.session, measure)
        rows, listed, label = self._rows[measure.id], self._listed[measure.id], self._labels[measure.id]
        if program.id in listed:
            raise InvalidInput(f"事業「{program.name}」は{label}にすでに掲載されています。")
        at = clamp_position(position, len(rows))
        placement = Placement(program_id=program.id, measure_id=measure.id, position=at, is_primary=primary)
        placement.measure = measure
        w.session.add(placement)
        rows.insert(at, placement)
        if at < len(rows) - 1:
            reindex(rows)
        listed.add(program.id)
        value = {"measure": label, "position": at + 1, "relisted": not primary}
        w.log("program", program.uid, "placement", None, value, program.edition_id)
        return placement


def insert_placement(
    w: Writer, program: Program, measure: PolicyNode, position: int | None, primary: bool
) -> Placement:
    placement = Listings(w).insert(program, measure, position, primary)
    w.session.flush()
    return placement
