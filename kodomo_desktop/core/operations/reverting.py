"""Taking back what an import wrote, field by field, and writing it again (the window's undo and redo).

`revert_changes` restores the old value of exactly the fields and rows a list of changes
(an OpResult's) touched, newest first, in one transaction. The changes it writes are the
inverse ones, so reverting those re-applies the import: redo is a revert of the undo.
A field whose current value is no longer the one the change wrote has been edited since;
it is refused (named) unless force=True, which overwrites that later edit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kodomo_desktop.core.changes import Change, OpResult, Writer, writing
from kodomo_desktop.core.database import Database
from kodomo_desktop.core.errors import InvalidInput
from kodomo_desktop.core.fields import EDITABLE_FIELDS, FIELD_LABELS
from kodomo_desktop.core.models import Program, ReturnImport
from kodomo_desktop.core.operations.programs import (
    add_program,
    divisions_of,
    insert_placement,
    measure_in,
    remove_program,
    write_divisions,
)
from kodomo_desktop.core.program_document import program_document
from kodomo_desktop.core.targets import labels_from_mask, mask_from_labels

TARGET_FIELDS = ("targets", "uncertain_targets")
UNCERTAIN_LABEL = "対象（不確か）"


@dataclass(frozen=True)
class LaterEdit:
    """A field changed again after the change being reverted wrote it."""

    uid: str
    program: str  # its name, or the uid when the program is gone
    field: str

    def __str__(self) -> str:
        label = UNCERTAIN_LABEL if self.field == "uncertain_targets" else FIELD_LABELS.get(self.field, self.field)
        return f"事業「{self.program}」（{self.uid}）の{label}"


class LaterEdits(InvalidInput):
    """Refused: reverting would overwrite these later edits (each named)."""

    def __init__(self, edits: Sequence[LaterEdit | str]):
        self.edits = tuple(str(e) for e in edits)
        super().__init__(
            "取り込みの後に変更された項目があるため、元に戻していません:\n" + "\n".join(f"  {e}" for e in self.edits)
        )


def later_edits(db: Database, changes: Sequence[Change]) -> list[LaterEdit]:
    """The fields a revert of changes would overwrite although they were edited since (reads only)."""
    with db.read() as session:
        return _later_edits(session, changes)


def revert_changes(db: Database, changes: Sequence[Change], *, source: str, force: bool = False) -> OpResult:
    """Restore the old values of the changes' fields and rows; the result's changes undo this revert."""
    with writing(db, source) as w:
        for edition_id in {c.edition_id for c in changes if c.edition_id is not None}:
            w.editable(edition_id)
        if not force and (edits := _later_edits(w.session, changes)):
            raise LaterEdits(edits)
        # a program created (or deleted) by these changes takes its own placements with it
        whole = {c.entity_id for c in changes if c.entity == "program" and c.field in ("created", "deleted")}
        for change in reversed(changes):
            if change.entity == "return_import":
                _revert_return(w, change)
            elif change.entity != "program":
                raise InvalidInput(f"この変更（{change.entity} の {change.field}）は元に戻せません。")
            elif change.field == "created":
                _delete(w, change)
            elif change.field == "deleted":
                _recreate(w, change)
            elif change.field == "placement":
                if change.entity_id not in whole:
                    raise InvalidInput(f"事業 {change.entity_id} の掲載の変更は元に戻せません。")
            else:
                _revert_field(w, change)
        return w.result()


def _program(session: Session, change: Change) -> Program | None:
    return session.scalar(
        select(Program).where(Program.edition_id == change.edition_id, Program.uid == change.entity_id)
    )


def _current(program: Program, field: str) -> Any:
    if field in TARGET_FIELDS:
        return labels_from_mask(getattr(program, field))
    if field == "divisions":
        return divisions_of(program)
    if field == "created":
        return program_document(program, divisions_of(program))
    value = getattr(program, field)
    return list(value) if field == "review_notes" else value


def _same(field: str, a: Any, b: Any) -> bool:
    if field == "divisions":
        return [list(p) for p in a or []] == [list(p) for p in b or []]
    return bool(a == b)


def _later_edits(session: Session, changes: Sequence[Change]) -> list[LaterEdit]:
    # the value each field should have now: the newest change's new value
    expected: dict[tuple[str, str], Change] = {}
    for change in changes:
        if change.entity == "program" and change.field not in ("placement", "deleted"):
            expected[(change.entity_id, change.field)] = change
    edits = []
    for (uid, field), change in expected.items():
        program = _program(session, change)
        if program is None:
            edits.append(LaterEdit(uid, uid, field))
        elif field == "created":
            # a program the import added, edited since: named with each field edited
            now = program_document(program, divisions_of(program))
            keys = sorted(k for k in {*now, *change.new} if now.get(k) != change.new.get(k))
            edits += [LaterEdit(uid, program.name, k) for k in keys]
        elif not _same(field, _current(program, field), change.new):
            edits.append(LaterEdit(uid, program.name, field))
    return edits


def _revert_field(w: Writer, change: Change) -> None:
    program = _program(w.session, change)
    if program is None:
        return  # deleted since (force): nothing left to restore it in
    field = change.field
    if field == "divisions":
        write_divisions(w, program, [(d, v) for d, v in change.old], create_missing=False)
        return
    old = _current(program, field)
    if field in TARGET_FIELDS:
        setattr(program, field, mask_from_labels(change.old))
    elif field in EDITABLE_FIELDS:
        setattr(program, field, list(change.old) if field == "review_notes" else change.old)
    else:
        raise InvalidInput(f"事業 {change.entity_id} の項目「{field}」は元に戻せません。")
    w.log("program", program.uid, field, old, change.old, program.edition_id)


def _delete(w: Writer, change: Change) -> None:
    """A program the import added: removed as delete_program does, its snapshot keeping its placements."""
    program = _program(w.session, change)
    if program is None:
        return
    remove_program(w, program)


def _recreate(w: Writer, change: Change) -> None:
    assert change.edition_id is not None  # a program's changes always name its edition
    if _program(w.session, change) is not None:
        return  # already back (force)
    snapshot = change.old
    program = add_program(w, change.edition_id, snapshot, create_divisions=False)
    w.log("program", program.uid, "created", None, program_document(program, divisions_of(program)), change.edition_id)
    for p in sorted(snapshot["placements"], key=lambda p: p["position"]):
        insert_placement(w, program, measure_in(w, p["measure"], change.edition_id), p["position"], p["primary"])


def _revert_return(w: Writer, change: Change) -> None:
    """A return recorded as applied (the overview) is forgotten with its import, and recorded again on redo."""
    if change.old is None:
        row = w.session.get(ReturnImport, int(change.entity_id))
        if row is None:
            return
        value = {
            "file": row.file_name,
            "sha256": row.sha256,
            "unit": row.unit,
            "user": row.user,
            "at": row.at,
            "changes": row.changes,
        }
        w.session.delete(row)
        w.session.flush()
        w.log("return_import", row.id, "imported", value, None, change.edition_id)
        return
    old = change.old
    row = ReturnImport(
        edition_id=change.edition_id,
        unit=old["unit"],
        file_name=old["file"],
        sha256=old["sha256"],
        user=old.get("user", w.user),
        at=old["at"],
        changes=old["changes"],
    )
    w.session.add(row)
    w.session.flush()
    w.log("return_import", row.id, "imported", None, old, change.edition_id)


# --- a whole edition replaced from a document (import-json) ------------------------------


def document_edits(expected: dict[str, Any], current: dict[str, Any]) -> list[str]:
    """What differs between the edition as an import left it and as it is now, program by program."""
    before = {p["id"]: p for p in expected["programs"]}
    now = {p["id"]: p for p in current["programs"]}
    edits: list[str] = []
    for uid in [*before, *(u for u in now if u not in before)]:
        a, b = before.get(uid), now.get(uid)
        if a is None or b is None:
            name = (a or b or {}).get("name", uid)
            edits.append(f"事業「{name}」（{uid}）の{FIELD_LABELS['created' if a is None else 'deleted']}")
        else:
            keys = sorted(k for k in {*a, *b} if a.get(k) != b.get(k))
            edits += [str(LaterEdit(uid, b["name"], k)) for k in keys]
    if expected["policies"] != current["policies"]:
        edits.append("施策の構成または事業の掲載")
    edits += [
        f"年度版の{key}"
        for key in sorted(set(expected) | set(current))
        if key not in ("programs", "policies") and expected.get(key) != current.get(key)
    ]
    return edits


def restore_document(
    db: Database, doc: dict[str, Any], expected: dict[str, Any], *, source: str, force: bool = False
) -> OpResult:
    """Replace the year's draft edition by doc, refusing (unless force) when it is no longer expected."""
    from kodomo_desktop.core.interchange import export_document, import_document

    if not force and (edits := document_edits(expected, export_document(db, doc["fiscal_year"]))):
        raise LaterEdits(edits)
    return import_document(db, doc, replace=True, add_divisions=True, source=source)


def remove_document(db: Database, expected: dict[str, Any], *, source: str, force: bool = False) -> OpResult:
    """Take back an import that created its edition: the edition is deleted, after a backup."""
    from kodomo_desktop.core.interchange import export_document
    from kodomo_desktop.core.operations.edition_removal import delete_draft_edition

    year = expected["fiscal_year"]
    if not force and (edits := document_edits(expected, export_document(db, year))):
        raise LaterEdits(edits)
    delete_draft_edition(db, year, source=source)
    return OpResult()
