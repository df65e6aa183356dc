"""Applying reviewed returns: one transaction for all of them, after a backup of the database.

Each file's writes are logged with source "import:<file name>", and a ReturnImport row (with
the file's SHA-256) records that the unit returned. Before writing, every change is checked
against the database as it was before the batch (not after the batch's earlier files, so two
returns giving a shared program the same value both apply): if the edition changed since the
returns were read, nothing is applied and the returns must be read again. Two plans writing
different values to one field are refused: the review or --prefer settles that first.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kodomo_desktop.core.changes import OpResult, Writer, latest_change, writing
from kodomo_desktop.core.database import Database, now_iso
from kodomo_desktop.core.errors import InvalidInput
from kodomo_desktop.core.fields import FIELD_LABELS
from kodomo_desktop.core.models import Edition, Placement, PolicyNode, Program, ReturnImport
from kodomo_desktop.core.operations.exclusive import exclusive
from kodomo_desktop.core.operations.programs import (
    Listings,
    add_program,
    divisions_of,
    new_uids,
    write_divisions,
    write_fields,
    write_targets,
)
from kodomo_desktop.core.program_document import program_document
from kodomo_desktop.core.targets import mask_from_labels
from kodomo_desktop.core.text import name_key
from kodomo_desktop.core.validation.stored import edition_by_year
from kodomo_desktop.core.vocabulary import NEW
from kodomo_desktop.excel import cells
from kodomo_desktop.excel.diff import FieldChange, comparable, display_value, note_entry, output_value
from kodomo_desktop.excel.returns import BatchConflict, ReturnResult, batch_conflicts
from kodomo_desktop.excel.units import Unit

STALE = (
    "{file}: 回答を読み込んだ後にデータベースが変更されました（{what}）。"
    "何も取り込んでいません。もう一度読み込んでください。"
)


@dataclass(frozen=True)
class ApplyPlan:
    """A checked return and the changes to apply: change key -> the value to write (theirs or edited)."""

    result: ReturnResult
    accepted: dict[str, Any]


@dataclass
class _NewPrograms:
    """What adding a returned program looks up, read once per apply: a batch with thousands of
    new rows otherwise read every name and id of the edition, and its measure, for each."""

    names: set[str]  # name_key of every program of the edition, the ones added here too
    uids: Iterator[str]
    homes: dict[Path, PolicyNode]  # each file's home measure, found once
    added: dict[str, str]  # name_key of a program this batch added -> the file that added it


@dataclass(frozen=True)
class ApplyReport:
    result: OpResult
    backup: Path | None
    applied: int  # field changes written


def default_plan(result: ReturnResult) -> ApplyPlan | None:
    """The command's choice: a file without errors, its non-conflicting changes as returned."""
    if result.has_errors:
        return None
    return ApplyPlan(result, {c.key: c.new for c in result.changes if not c.conflict})


def default_plans(
    results: Sequence[ReturnResult], prefer: Sequence[str] = ()
) -> tuple[list[ApplyPlan], list[BatchConflict]]:
    """The command's plans, and the conflicts between returns that prefer does not settle.

    A field several returns change differently is taken from the first unit (or file name) in
    prefer that offers it; an unsettled one is left out of every plan."""
    plans = {id(r): plan for r in results if (plan := default_plan(r)) is not None}
    unsettled = []
    for conflict in batch_conflicts(results):
        names = [{unit, r.path.name} for (r, _), unit in zip(conflict.offers, conflict.units(), strict=True)]
        winner = next((i for p in prefer for i, n in enumerate(names) if p in n), None)
        if winner is None:
            unsettled.append(conflict)
        for i, (r, c) in enumerate(conflict.offers):
            if i != winner and id(r) in plans:
                plans[id(r)].accepted.pop(c.key, None)
    return list(plans.values()), unsettled


def apply_returns(db: Database, fiscal_year: int, plans: list[ApplyPlan]) -> ApplyReport:
    if not any(plan.accepted or not plan.result.imported_at for plan in plans):
        return ApplyReport(OpResult(), None, 0)  # nothing to write: no backup, no transaction
    _check_agreement(plans)
    with exclusive(db, "returns"):
        return _apply_all(db, fiscal_year, plans)


def _apply_all(db: Database, fiscal_year: int, plans: list[ApplyPlan]) -> ApplyReport:
    backup = db.backup("before-import-returns")
    applied = 0
    changes = []
    with writing(db, "import") as outer:
        edition = edition_by_year(outer.session, fiscal_year)
        outer.editable(edition.id)
        before = _programs_before(outer.session, edition, plans)
        names = outer.session.scalars(select(Program.name).where(Program.edition_id == edition.id))
        new = _NewPrograms({name_key(n) for n in names}, new_uids(outer), {}, {})
        for plan in plans:
            # one writer per file, sharing the transaction, so each change is logged with its file
            w = Writer(outer.session, f"import:{plan.result.path.name}", outer.user)
            applied += _apply_file(w, edition, plan, before, new)
            w.bump_versions()
            changes += w.changes
    return ApplyReport(OpResult(tuple(changes)), backup, applied)


def _check_agreement(plans: list[ApplyPlan]) -> None:
    """Refuse plans that write different values to one field of one program (the review settles that)."""
    seen: dict[str, tuple[str, str]] = {}  # change key -> (value as shown, file)
    for plan in plans:
        for c in plan.result.changes:
            if c.key not in plan.accepted or c.program is None or c.field == "note":
                continue
            shown = display_value(c.field, plan.accepted[c.key])
            first = seen.setdefault(c.key, (shown, plan.result.path.name))
            if first[0] != shown:
                raise InvalidInput(
                    f"ID「{c.program}」の{FIELD_LABELS[c.field]}を、{first[1]} と {plan.result.path.name} が"
                    "別の値に変えています。どちらの値にするか選んでから取り込んでください。何も取り込んでいません。"
                )


def _programs_before(session: Session, edition: Edition, plans: list[ApplyPlan]) -> dict[str, dict[str, Any]]:
    """The programs the plans change, as they are before the batch writes anything."""
    uids = {c.program for plan in plans for c in plan.result.changes if c.program and c.key in plan.accepted}
    programs = session.scalars(select(Program).where(Program.edition_id == edition.id, Program.uid.in_(uids)))
    return {p.uid: program_document(p, divisions_of(p)) for p in programs}


def _apply_file(
    w: Writer, edition: Edition, plan: ApplyPlan, before: dict[str, dict[str, Any]], new: _NewPrograms
) -> int:
    result = plan.result
    if result.status != "ok":
        raise InvalidInput(f"{result.path.name}: 取り込めないファイルです（{result.error}）。")
    accepted = [c for c in result.changes if c.key in plan.accepted]
    by_program: dict[str, list[FieldChange]] = {}
    for change in accepted:
        by_program.setdefault(change.program or f"new@{change.row}", []).append(change)
    listings = Listings(w)  # per file: its writer logs the placements
    for key, program_changes in by_program.items():
        values = {c.field: plan.accepted[c.key] for c in program_changes}
        if program_changes[0].program is None:
            if "name" in values:  # the rest of a new program means nothing without it
                _add_new_program(w, edition, result, values, new, listings)
        else:
            _update_program(w, edition, result, key, program_changes, values, before.get(key))
    _record_return(w, edition, result, len(accepted))
    return len(accepted)


def _update_program(
    w: Writer,
    edition: Edition,
    result: ReturnResult,
    uid: str,
    changes: list[FieldChange],
    values: dict[str, Any],
    now: dict[str, Any] | None,
) -> None:
    program = w.session.scalar(select(Program).where(Program.edition_id == edition.id, Program.uid == uid))
    if program is None or now is None:
        raise InvalidInput(STALE.format(file=result.path.name, what=f"ID「{uid}」の事業が削除されました"))
    for change in changes:
        if change.field != "note" and display_value(
            change.field, output_value(change.field, comparable(change.field, now))
        ) != display_value(change.field, change.old):
            what = f"ID「{uid}」の{FIELD_LABELS[change.field]}"
            if (by := latest_change(w.session, program, [change.field])) is not None:
                what += f"を {by.user} が {by.when} に変更"
            raise InvalidInput(STALE.format(file=result.path.name, what=what))
    for field, value in values.items():
        _write_field(w, program, field, value, result)


def _write_field(w: Writer, program: Program, field: str, value: Any, result: ReturnResult) -> None:
    """One field as the review screen left it (an edited value goes through the cell normalizers again)."""
    try:
        if field == "targets":
            write_targets(w, program, mask_from_labels(value))
        elif field == "divisions":
            write_divisions(w, program, _pairs(value), create_missing=False)
        elif field == "note":
            entry = note_entry(_unit(result), cells.text(value))
            if entry not in program.review_notes:
                write_fields(w, program, {"review_notes": [*program.review_notes, entry], "needs_review": True})
        elif field == "status":
            write_fields(w, program, {"status": cells.status(value) or program.status})
        else:
            parse = {"name": cells.name, "alias": cells.alias}.get(field, cells.text)
            write_fields(w, program, {field: parse(value)})
    except (cells.FieldError, ValueError) as exc:
        raise InvalidInput(f"{result.path.name}: 事業「{program.name}」の{FIELD_LABELS[field]}: {exc}") from None


def _pairs(value: list[Any]) -> list[tuple[str, str | None]]:
    return [(d["department"], d["division"]) if isinstance(d, dict) else tuple(d) for d in value]


def _add_new_program(
    w: Writer, edition: Edition, result: ReturnResult, values: dict[str, Any], new: _NewPrograms, listings: Listings
) -> None:
    name = cells.name(values["name"])
    if name_key(name) in new.added:
        raise InvalidInput(
            f"{result.path.name}: 新しい事業「{name}」は {new.added[name_key(name)]} でも追加されています。"
            "どちらか一方の行を不採用にしてから取り込んでください。何も取り込んでいません。"
        )
    if name_key(name) in new.names:
        raise InvalidInput(STALE.format(file=result.path.name, what=f"「{name}」がすでに追加されています"))
    notes = [f"Excel の回答（{result.path.name}）から追加。掲載する個別施策を確認してください。"]
    if values.get("note"):
        notes.append(note_entry(_unit(result), cells.text(values["note"])))
    doc = {
        "name": name,
        "alias": cells.alias(values.get("alias")),
        "summary": cells.text(values.get("summary")),
        "targets": values.get("targets", []),
        "results": cells.text(values.get("results")),
        "divisions": output_value("divisions", _pairs(values["divisions"])),
        "status": cells.status(values.get("status")) or NEW,
        "needs_review": True,
        "review_notes": notes,
    }
    program = add_program(w, edition.id, doc, create_divisions=False, uid=next(new.uids))
    new.names.add(name_key(name))
    new.added[name_key(name)] = result.path.name
    w.log("program", program.uid, "created", None, program_document(program, divisions_of(program)), edition.id)
    if result.path not in new.homes:
        new.homes[result.path] = _home_measure(w, edition, result)
    listings.insert(program, new.homes[result.path], None, primary=True)


def _home_measure(w: Writer, edition: Edition, result: ReturnResult) -> PolicyNode:
    """Where a returned new program is listed until the office moves it: the measure holding most
    of the unit's programs (ties: the one the unit's first program is under)."""
    rows = w.session.execute(
        select(Program.uid, Placement.measure_id)
        .join(Placement, Placement.program_id == Program.id)
        .where(Program.edition_id == edition.id, Placement.is_primary, Program.uid.in_(result.unit_programs))
    ).all()
    measure_of = dict(rows)
    counts = Counter(measure_of.values())
    if counts:
        best = max(counts.values())
        first = next(uid for uid in result.unit_programs if uid in measure_of and counts[measure_of[uid]] == best)
        return w.session.get_one(PolicyNode, measure_of[first])
    measure = w.session.scalar(
        select(PolicyNode)
        .where(PolicyNode.edition_id == edition.id, PolicyNode.kind == "measure")
        .order_by(PolicyNode.id)
    )
    if measure is None:
        raise InvalidInput(f"{result.path.name}: 新しい事業を掲載する個別施策がこの年度版にありません。")
    return measure


def _unit(result: ReturnResult) -> Unit:
    """The unit a return came from: every file that was read has one, only a rejected file has none."""
    if result.unit is None:
        raise InvalidInput(f"{result.path.name}: 取り込めないファイルです（{result.error}）。")
    return result.unit


def _record_return(w: Writer, edition: Edition, result: ReturnResult, count: int) -> None:
    """The unit has returned (the overview); the same file applied twice is recorded once."""
    known = w.session.scalar(
        select(ReturnImport.id).where(ReturnImport.edition_id == edition.id, ReturnImport.sha256 == result.sha256)
    )
    if known is not None:
        return
    row = ReturnImport(
        edition_id=edition.id,
        unit=_unit(result).name,
        file_name=result.path.name,
        sha256=result.sha256,
        user=w.user,
        at=now_iso(),
        changes=count,
    )
    w.session.add(row)
    w.session.flush()
    w.log(
        "return_import",
        row.id,
        "imported",
        None,
        {"file": result.path.name, "sha256": result.sha256, "unit": row.unit},
        edition.id,
    )
