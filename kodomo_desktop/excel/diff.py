"""The three-way diff of a return: base (what the template sent), theirs (the return), ours (the database now).

A field changed only in the return is a change; changed in both, differently, a conflict;
anything else gives nothing, so re-reading a return that was applied gives no changes.
Every value is compared in the form the field normalizers give (excel.cells), whichever
side it comes from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kodomo_desktop.core.database import Database
from kodomo_desktop.core.divisions import format_divisions, load_master
from kodomo_desktop.core.interchange import export_document
from kodomo_desktop.core.text import name_key
from kodomo_desktop.core.textdiff import Run, edit_script
from kodomo_desktop.core.vocabulary import CONTINUING, NEW
from kodomo_desktop.excel import cells
from kodomo_desktop.excel.reading import ReturnRow, ReturnSheet
from kodomo_desktop.excel.units import Unit, program_pairs

# the fields a return can change, in the order changes are listed
FIELDS = ("name", "alias", "summary", "targets", "results", "divisions", "status", "note")


@dataclass(frozen=True)
class FieldChange:
    program: str | None  # uid; None for a program added on a blank row
    row: int
    cell: str
    field: str
    old: Any  # ours, as the JSON output writes it (targets: labels; divisions: [{department, division}])
    new: Any  # theirs, same form
    conflict: bool = False
    program_name: str = ""

    @property
    def key(self) -> str:
        """Unique within one return: how the review screen and apply name a change."""
        return f"{self.program or f'new@{self.row}'}:{self.field}"

    def edits(self) -> list[Run]:
        """Ours to theirs, character by character, in the form the review shows them."""
        return edit_script(display_value(self.field, self.old), display_value(self.field, self.new))


@dataclass
class EditionState:
    """Ours: the edition as it is now, read once for all the returns being checked."""

    fiscal_year: int
    programs: dict[str, dict[str, Any]]  # uid -> program document
    by_name: dict[str, str]  # name_key -> uid
    divisions: cells.DivisionNames


def edition_state(db: Database, fiscal_year: int) -> EditionState:
    doc = export_document(db, fiscal_year)
    programs = {p["id"]: p for p in doc["programs"]}
    return EditionState(
        doc["fiscal_year"],
        programs,
        {name_key(p["name"]): uid for uid, p in programs.items()},
        cells.DivisionNames(load_master(db)),
    )


def note_entry(unit: Unit, note: str) -> str:
    """How a 備考 is kept in the program's review notes (also how a re-import recognizes it)."""
    return f"回答（{unit.name}）: {note}"


def comparable(field: str, program: dict[str, Any]) -> Any:
    """A stored program's field (base or ours) in the form a returned cell is parsed into."""
    if field == "targets":
        return cells.targets_value(program["targets"])
    if field == "divisions":
        return [tuple(pair) for pair in program_pairs(program)]
    if field == "status":
        return program.get("status") or CONTINUING
    return {"name": cells.name, "alias": cells.alias}.get(field, cells.text)(program.get(field))


def base_program(base: dict[str, Any]) -> dict[str, Any]:
    """The base as stored in the template, in program-document form."""
    return {**base, "divisions": output_value("divisions", base["divisions"])}


def output_value(field: str, value: Any) -> Any:
    if field == "divisions" and value is not None:
        return [{"department": d, "division": v} for d, v in value]
    return value


def display_value(field: str, value: Any) -> str:
    """A value as the review screen and the text output show it."""
    if value is None:
        return ""
    if field == "targets":
        return "・".join(value) or "（なし）"
    if field == "divisions":
        return format_divisions((d["department"], d["division"]) for d in value)
    return str(value)


def _same(field: str, a: Any, b: Any) -> bool:
    if field == "divisions":  # compared as printed: the department's own entry may merge into its divisions
        return format_divisions(a) == format_divisions(b)
    return bool(a == b)


def diff_return(sheet: ReturnSheet, state: EditionState) -> list[FieldChange]:
    """The changes of one parsed return; row problems are added to sheet.issues."""
    changes: list[FieldChange] = []
    seen_ids: set[str] = set()
    new_names: set[str] = set()
    for row in sheet.rows:
        if not row.id:
            changes += _new_program(sheet, state, row, new_names)
            continue
        if row.id in seen_ids:
            sheet.issue(
                row.cells["id"],
                "duplicate_id",
                f"セル {row.cells['id']}: ID「{row.id}」が重複しています。2行目以降は読み飛ばしました。",
            )
            continue
        seen_ids.add(row.id)
        ours = state.programs.get(row.id)
        if row.id not in sheet.base:
            if ours is None:
                sheet.issue(
                    row.cells["id"],
                    "unknown_id",
                    f"セル {row.cells['id']}: ID「{row.id}」の事業はありません。ID は変更しないでください。",
                )
            else:
                owner = format_divisions(program_pairs(ours)) or "所管なし"
                sheet.issue(
                    row.cells["id"],
                    "other_unit",
                    f"セル {row.cells['id']}: ID「{row.id}」は{owner}の事業で、"
                    f"この回答票（{sheet.unit.name}）の対象ではありません。",
                )
            continue
        if ours is None:
            sheet.issue(
                row.cells["id"],
                "deleted_program",
                f"セル {row.cells['id']}: ID「{row.id}」の事業は回答票の作成後に削除されました。"
                "この行は取り込みません。",
                "warning",
            )
            continue
        changes += _program_changes(sheet, row, base_program(sheet.base[row.id]), ours)
    for uid in sheet.base.keys() - seen_ids:
        sheet.issue(
            "", "missing_row", f"ID「{uid}」の行がありません（削除された行は変更なしとして扱います）。", "warning"
        )
    return changes


def _program_changes(
    sheet: ReturnSheet, row: ReturnRow, base: dict[str, Any], ours: dict[str, Any]
) -> list[FieldChange]:
    changes = []
    for field in FIELDS:
        if field not in row.values:
            continue
        theirs = row.values[field]
        if field == "note":
            if not theirs:
                continue
            b, o = "", theirs if note_entry(sheet.unit, theirs) in ours["review_notes"] else ""
        elif field == "status" and theirs is None:
            continue
        else:
            b, o = comparable(field, base), comparable(field, ours)
        if _same(field, theirs, b) or _same(field, theirs, o):
            continue
        changes.append(
            FieldChange(
                row.id,
                row.row,
                row.cells[field],
                field,
                None if field == "note" else output_value(field, o),
                output_value(field, theirs),
                conflict=not _same(field, o, b),
                program_name=ours["name"],
            )
        )
    return changes


def _new_program(sheet: ReturnSheet, state: EditionState, row: ReturnRow, new_names: set[str]) -> list[FieldChange]:
    name = row.values.get("name")
    if name is None:
        return []  # its empty or unreadable name is already an issue
    key = name_key(name)
    existing = state.by_name.get(key)
    if existing is not None and sheet.unit.covers(program_pairs(state.programs[existing])):
        return []  # the unit's own program: this row was taken in before
    if existing is not None or key in new_names:
        which = f"ID「{existing}」" if existing else "この回答票の別の行"
        sheet.issue(
            row.cells["name"],
            "existing_name",
            f"セル {row.cells['name']}: 「{name}」は{which}にすでにあります。新しい事業としては取り込みません。",
            "warning",
        )
        return []
    new_names.add(key)
    values = dict(row.values)
    if "divisions" not in values:
        unit_pair = (sheet.unit.department, sheet.unit.division)
        if unit_pair not in state.divisions.master.known:
            sheet.issue(
                row.cells["divisions"],
                "empty_divisions",
                f"セル {row.cells['divisions']}: 新しい事業の所管を入力してください。",
            )
            return []
        values["divisions"] = [unit_pair]
    values["status"] = values.get("status") or NEW
    return [
        FieldChange(None, row.row, row.cells[field], field, None, output_value(field, values[field]), program_name=name)
        for field in FIELDS
        if values.get(field) or field in ("name", "status")
    ]
