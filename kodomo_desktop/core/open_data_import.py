"""import-csv: the open-data tables read back into their edition.

programs.csv sets each named program's editable fields (名称, 通称, 概要, 対象, 実績, 所管,
変更区分, 要確認); placements.csv sets the order of the programs within each 個別施策 (掲載順).
Every other cell must be as exported: where a program is listed, and the program's fields
repeated on placements.csv (those are changed in programs.csv). A program without a row is
left as it is; programs and placements are not added or removed here (the window does that).

Reading checks everything first and refuses a bad file whole, each problem named by file,
row and column; applying writes through the operations' writers in one transaction.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select

from kodomo_desktop.core.changes import OpResult, Writer, writing
from kodomo_desktop.core.database import Database
from kodomo_desktop.core.divisions import DivisionPair, MasterList, load_master, unknown_message
from kodomo_desktop.core.errors import InvalidInput
from kodomo_desktop.core.fields import EDITABLE_FIELDS
from kodomo_desktop.core.files import read_utf8_text
from kodomo_desktop.core.interchange import export_document
from kodomo_desktop.core.models import Placement, PolicyNode, Program
from kodomo_desktop.core.open_data import (
    PLACEMENTS,
    PROGRAMS,
    Column,
    columns_of,
    division_columns,
    parse_cell,
    placement_id,
    records,
    target_key,
)
from kodomo_desktop.core.operations.common import reindex
from kodomo_desktop.core.operations.programs import (
    measure_rows,
    placement_value,
    write_divisions,
    write_fields,
    write_targets,
)
from kodomo_desktop.core.targets import TARGETS
from kodomo_desktop.core.validation.stored import edition_by_year
from kodomo_desktop.core.vocabulary import ENDED, STAGE

MAX_PROBLEMS = 20
_DIVISION_HEADER = re.compile(r"所管([0-9]+)_(部|課)")
_TARGET_KEYS = tuple(target_key(label) for label in TARGETS)


@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None  # as a spreadsheet numbers it: the header is row 1
    column: str | None
    message: str

    def __str__(self) -> str:
        where = "".join(
            [f"{self.row}行目" if self.row is not None else "", f"「{self.column}」列" if self.column else ""]
        )
        return f"{self.file} {where}: {self.message}" if where else f"{self.file}: {self.message}"


def refuse(problems: list[Problem]) -> InvalidInput:
    more = f"\n  …ほか{len(problems) - MAX_PROBLEMS}件" if len(problems) > MAX_PROBLEMS else ""
    return InvalidInput(
        f"CSV を取り込めません（{len(problems)}件）。何も変更していません。\n"
        + "\n".join(f"  {p}" for p in problems[:MAX_PROBLEMS])
        + more
    )


@dataclass(frozen=True)
class CsvImport:
    """What an import would change: checked, not yet written."""

    fiscal_year: int
    # program id -> the values that differ: EDITABLE_FIELDS, "targets" (mask), "divisions" (pairs)
    programs: dict[str, dict[str, Any]] = field(default_factory=dict)
    # measure ("policy-stage-measure", as in the placement id) -> its printed placement ids in the new order
    orders: dict[str, list[str]] = field(default_factory=dict)

    def __bool__(self) -> bool:
        return bool(self.programs or self.orders)


# --- reading ----------------------------------------------------------------------------------


@dataclass
class _Table:
    path: Path
    kind: str  # PROGRAMS or PLACEMENTS
    columns: list[Column]
    rows: list[tuple[int, list[str]]]  # (row number, cells)


def _read(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    text = read_utf8_text(path)
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise InvalidInput(f"{path}: CSV として読めません（{exc}）。") from None
    if not rows:
        raise InvalidInput(f"{path}: 見出しの行がありません。")
    return [h.strip() for h in rows[0]], [(i, row) for i, row in enumerate(rows[1:], 2) if any(c.strip() for c in row)]


def _table(path: Path, kind: str | None) -> _Table:
    header, rows = _read(path)
    if kind is None:
        kind = PLACEMENTS if "掲載ID" in header else PROGRAMS
    fixed = {c.header: c for c in columns_of(kind, 0)}
    name = path.name
    problems = []
    columns: list[Column] = []
    pairs: dict[int, set[str]] = {}
    for title in header:
        if title in (c.header for c in columns):
            problems.append(Problem(name, 1, title, "同じ見出しの列が二つあります"))
        elif title in fixed:
            columns.append(fixed[title])
        elif m := _DIVISION_HEADER.fullmatch(title):
            k = int(m[1])
            pairs.setdefault(k, set()).add(m[2])
            columns.append(division_columns(k)[-2 if m[2] == "部" else -1])
        else:
            problems.append(Problem(name, 1, title, f"{kind}.csv の列ではありません（列の説明は columns.md）"))
    problems += [Problem(name, 1, title, "この列がありません") for title in fixed if title not in header]
    problems += [
        Problem(name, 1, f"所管{k}_{part}", "この列がありません（所管の列は部と課の組で1から）")
        for k in range(1, max(pairs, default=0) + 1)
        for part in ("部", "課")
        if part not in pairs.get(k, set())
    ]
    if problems:
        raise refuse(problems)
    return _Table(path, kind, columns, rows)


def _tables(path: Path) -> list[_Table]:
    if not path.is_dir():
        return [_table(path, None)]
    found = [_table(path / f"{kind}.csv", kind) for kind in (PROGRAMS, PLACEMENTS) if (path / f"{kind}.csv").exists()]
    if not found:
        raise InvalidInput(f"{path}: programs.csv も placements.csv もありません。")
    return found


def _year(tables: list[_Table]) -> int:
    """The 年度 the first row names (every row is checked against it later)."""
    table = next((t for t in tables if t.rows), tables[0])
    if not table.rows:
        raise InvalidInput(f"{table.path.name}: データの行がありません（--year も指定されていません）。")
    row, cells = table.rows[0]
    column = next(c for c in table.columns if c.key == "fiscal_year")
    index = table.columns.index(column)
    text = cells[index].strip() if index < len(cells) else ""
    if not re.fullmatch(r"[0-9]{4}", text):
        raise refuse([Problem(table.path.name, row, column.header, f"年度は西暦4桁で書いてください（「{text}」）")])
    return int(text)


def _record(
    table: _Table, row: int, cells: list[str], master: MasterList, problems: list[Problem]
) -> dict[str, Any] | None:
    """One row's record (as open_data.records builds it), or None after adding its problems."""
    name = table.path.name
    if len(cells) != len(table.columns):
        problems.append(Problem(name, row, None, f"列の数（{len(cells)}）が見出し（{len(table.columns)}）と違います"))
        return None
    record: dict[str, Any] = {}
    divisions: dict[int, list[str | None]] = {}
    before = len(problems)
    for column, text in zip(table.columns, cells, strict=True):
        try:
            value = parse_cell(column, text)
        except ValueError as exc:
            problems.append(Problem(name, row, column.header, str(exc)))
            continue
        if column.key.startswith("division:"):
            _, number, part = column.key.split(":")
            divisions.setdefault(int(number), [None, None])[part == "division"] = value
        else:
            record[column.key] = value
    pairs: list[DivisionPair] = []
    for k, (department, division) in sorted(divisions.items()):
        if department is None:
            if division is not None:
                problems.append(Problem(name, row, f"所管{k}_部", "課だけでは書けません（部・局も書いてください）"))
            continue
        pair = (department, division)
        if pair not in master.known:
            where = f"所管{k}_課" if any(d == department for d, _ in master.known) else f"所管{k}_部"
            problems.append(
                Problem(name, row, where, unknown_message(master, pair, "所管の一覧に追加してから取り込んでください"))
            )
        elif pair in pairs:
            problems.append(Problem(name, row, f"所管{k}_部", "同じ所管が二度書かれています"))
        pairs.append(pair)
    record["divisions"] = pairs
    return record if len(problems) == before else None


def _differences(record: dict[str, Any], expected: dict[str, Any], keys: list[str]) -> list[str]:
    """The keys whose values differ, 所管 compared pair by pair."""
    return [key for key in keys if record.get(key) != expected.get(key)]


def _header_of(table: _Table, key: str, record: dict[str, Any], expected: dict[str, Any]) -> str:
    if key != "divisions":
        return next(c.header for c in table.columns if c.key == key)
    mine, theirs = record["divisions"], expected["divisions"]
    k = next((i for i, (a, b) in enumerate(zip(mine, theirs, strict=False)) if a != b), min(len(mine), len(theirs)))
    return f"所管{k + 1}_部"


def read_csv_import(db: Database, path: str | Path, fiscal_year: int | None = None) -> CsvImport:
    """Check the file (or the folder's programs.csv and placements.csv) against the edition; writes nothing."""
    tables = _tables(Path(path))
    year = fiscal_year if fiscal_year is not None else _year(tables)
    doc = export_document(db, year)
    master = load_master(db)
    every = records(doc, printed_only=False)
    printed = records(doc)
    current = {r["program_id"]: r for r in every.programs}
    problems: list[Problem] = []
    new: dict[str, dict[str, Any]] = {}  # program id -> its record as programs.csv has it
    editable = [c.key for c in columns_of(PROGRAMS, 0) if c.editable] + ["divisions"]
    fixed = [c.key for c in columns_of(PROGRAMS, 0) if not c.editable]
    plan = CsvImport(year)
    for table in tables:
        if table.kind != PROGRAMS:
            continue
        for row, cells in table.rows:
            record = _record(table, row, cells, master, problems)
            if record is None:
                continue
            uid = record["program_id"]
            if uid not in current:
                problems.append(Problem(table.path.name, row, "事業ID", f"「{uid}」はこの年度版の事業ではありません"))
                continue
            if uid in new:
                problems.append(Problem(table.path.name, row, "事業ID", f"「{uid}」の行が二つあります"))
                continue
            new[uid] = record
            problems += _unchanged(table, row, record, current[uid], fixed, "掲載先は画面で変更してください")
            if changed := _differences(record, current[uid], editable):
                plan.programs[uid] = _values(record, changed)
    for table in tables:
        if table.kind == PLACEMENTS:
            _read_order(table, printed.placements, current, new, master, problems, plan)
    if problems:
        raise refuse(problems)
    return plan


def _unchanged(
    table: _Table, row: int, record: dict[str, Any], expected: dict[str, Any], keys: list[str], hint: str
) -> list[Problem]:
    if record.get("fiscal_year") != expected["fiscal_year"]:
        return [Problem(table.path.name, row, "年度", f"取り込む年度版（{expected['fiscal_year']}年度）と違います")]
    return [
        Problem(table.path.name, row, _header_of(table, key, record, expected), f"書き出したときと違います（{hint}）")
        for key in _differences(record, expected, keys)
    ]


def _values(record: dict[str, Any], changed: list[str]) -> dict[str, Any]:
    values = {key: record[key] for key in changed if key in EDITABLE_FIELDS or key == "divisions"}
    if any(key in _TARGET_KEYS for key in changed):
        values["targets"] = sum(1 << i for i, key in enumerate(_TARGET_KEYS) if record[key])
    return values


def _read_order(
    table: _Table,
    expected: list[dict[str, Any]],
    programs: dict[str, dict[str, Any]],
    new: dict[str, dict[str, Any]],
    master: MasterList,
    problems: list[Problem],
    plan: CsvImport,
) -> None:
    by_id = {r["placement_id"]: r for r in expected}
    keys = [c.key for c in columns_of(PLACEMENTS, 0) if c.key not in ("order", "placement_id")] + ["divisions"]
    seen: dict[str, int] = {}
    orders: dict[int, str] = {}
    name = table.path.name
    for row, cells in table.rows:
        record = _record(table, row, cells, master, problems)
        if record is None:
            continue
        pid = record["placement_id"]
        if pid not in by_id:
            problems.append(Problem(name, row, "掲載ID", f"「{pid}」はこの年度版の掲載ではありません"))
            continue
        if pid in seen:
            problems.append(Problem(name, row, "掲載ID", f"「{pid}」の行が二つあります（{seen[pid]}行目）"))
            continue
        seen[pid] = row
        if record["order"] in orders:
            problems.append(
                Problem(name, row, "掲載順", f"{record['order']}は{orders[record['order']]}の掲載順と同じです")
            )
            continue
        orders[record["order"]] = pid
        # the program's own fields as they will be: changed in programs.csv, or as they are
        wanted = {**by_id[pid], **_program_fields(new.get(record["program_id"]) or programs[record["program_id"]])}
        problems += _unchanged(
            table, row, record, wanted, keys, "事業の項目は programs.csv で、掲載先は画面で変更してください"
        )
    for pid in by_id:
        if pid not in seen:
            problems.append(
                Problem(name, None, "掲載ID", f"「{pid}」の行がありません（掲載の追加・削除は画面で行ってください）")
            )
    if problems:
        return
    old: dict[str, list[str]] = {}
    for record in expected:
        old.setdefault(_measure(record["placement_id"]), []).append(record["placement_id"])
    now: dict[str, list[str]] = {}
    for _order, pid in sorted(orders.items()):
        now.setdefault(_measure(pid), []).append(pid)
    plan.orders.update({measure: pids for measure, pids in now.items() if pids != old[measure]})


def _program_fields(record: dict[str, Any]) -> dict[str, Any]:
    keys = [c.key for c in columns_of(PROGRAMS, 0) if c.editable]
    return {key: record[key] for key in [*keys, "divisions"]}


def _measure(pid: str) -> str:
    return pid.split("@", 1)[1]


# --- applying ---------------------------------------------------------------------------------


def apply_csv_import(db: Database, plan: CsvImport, *, source: str = "import:csv") -> OpResult:
    """Write a checked import in one transaction: all of it or, on any failure, nothing."""
    with writing(db, source) as w:
        edition = edition_by_year(w.session, plan.fiscal_year)
        w.editable(edition.id)
        programs = {p.uid: p for p in w.session.scalars(select(Program).where(Program.edition_id == edition.id))}
        for uid, values in plan.programs.items():
            program = programs[uid]
            write_fields(w, program, {k: v for k, v in values.items() if k in EDITABLE_FIELDS})
            if "targets" in values:
                write_targets(w, program, values["targets"])
            if "divisions" in values:
                write_divisions(w, program, values["divisions"], create_missing=False)
        policies = w.session.scalars(
            select(PolicyNode)
            .where(PolicyNode.edition_id == edition.id, PolicyNode.parent_id.is_(None))
            .order_by(PolicyNode.position)
        ).all()
        for key, measure in _measures(policies):
            if key in plan.orders:
                _reorder(w, measure, key, plan.orders[key], edition.id)
        return w.result()


def _measures(policies: Sequence[PolicyNode]) -> Iterator[tuple[str, PolicyNode]]:
    """Each measure with its key as placement ids write it (the walk open_data.walk makes of the document)."""
    for policy in policies:
        children = policy.children
        groups = (
            [(i, stage.children) for i, stage in enumerate(children, 1)]
            if children and children[0].kind == STAGE
            else [(0, children)]
        )
        for index, measures in groups:
            for measure in measures:
                yield f"{policy.number}-{index}-{measure.number}", measure


def _reorder(w: Writer, measure: PolicyNode, key: str, pids: list[str], edition_id: int) -> None:
    """The printed placements of the measure in the given order; an ended program's keeps its place."""
    rows = measure_rows(w, measure.id)
    printed = {placement_id(p.program.uid, *map(int, key.split("-"))): p for p in rows if p.program.status != ENDED}
    if sorted(printed) != sorted(pids):
        raise InvalidInput(
            "CSV を読み込んだ後に掲載が変更されました。何も取り込んでいません。もう一度実行してください。"
        )
    wanted = iter([printed[pid] for pid in pids])
    placed: list[Placement] = [next(wanted) if p.program.status != ENDED else p for p in rows]
    before = {p.id: placement_value(w, p) for p in rows}
    reindex(placed)
    w.session.flush()
    for placement in placed:
        after = placement_value(w, placement)
        if after != before[placement.id]:
            w.log("program", placement.program.uid, "placement", before[placement.id], after, edition_id)
