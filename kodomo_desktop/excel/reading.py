"""Reading one returned workbook: check it is one of our templates, parse every cell.

Nothing here touches the database. The file is opened by safe_open (which refuses what is
not a safe .xlsx); it is refused as a whole here too (ReturnRejected) when it is not one of
our templates or is of another edition; otherwise each cell that cannot be read becomes an
Issue with its sheet and cell, and the rest is parsed.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kodomo_desktop.core.era import era_label
from kodomo_desktop.core.targets import TARGETS
from kodomo_desktop.core.text import search_key
from kodomo_desktop.excel import cells, layout
from kodomo_desktop.excel.safe_open import ReturnRejected, open_workbook
from kodomo_desktop.excel.units import UNIT_KINDS, Unit

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

MAX_ROWS = 5000


@dataclass(frozen=True)
class Issue:
    sheet: str
    cell: str
    severity: str  # error | warning
    code: str
    message: str


@dataclass
class ReturnRow:
    row: int
    id: str  # "" on a row for a new program
    values: dict[str, Any]  # field -> value, only for fields whose cells could be read
    cells: dict[str, str]  # field -> cell reference ("D5"; targets: the first target cell)


@dataclass
class ReturnSheet:
    path: Path
    sha256: str
    fiscal_year: int
    unit: Unit
    sheet: str
    base: dict[str, dict[str, Any]]  # uid -> what the template sent (templates.base_value)
    rows: list[ReturnRow] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)

    def issue(self, cell: str, code: str, message: str, severity: str = "error") -> None:
        self.issues.append(Issue(self.sheet, cell, severity, code, message))


def read_return(path: str | Path, fiscal_year: int, divisions: cells.DivisionNames) -> ReturnSheet:
    """Check and parse one return for the edition of fiscal_year; raises ReturnRejected."""
    path = Path(path)
    opened = open_workbook(path)
    wb = opened.workbook
    props = {p.name: p.value for p in wb.custom_doc_props}
    unit = _check_identity(path, props, fiscal_year)
    ws, header_row = _table_sheet(path, wb)
    sheet = ReturnSheet(path, opened.sha256, fiscal_year, unit, ws.title, _base(path, wb))
    for code, message in opened.warnings:
        sheet.issue("", code, message, "warning")
    _parse_rows(sheet, ws, header_row, divisions)
    return sheet


def _check_identity(path: Path, props: dict[str, Any], fiscal_year: int) -> Unit:
    if props.get(layout.PROP_KIND) != layout.TEMPLATE_KIND:
        raise ReturnRejected(
            path,
            "このアプリが作成した回答票ではありません。「回答票を作成」で作ったファイルに記入してもらってください。",
        )
    version = _int(props.get(layout.PROP_VERSION))
    if version != layout.TEMPLATE_VERSION:
        newer = version is not None and version > layout.TEMPLATE_VERSION
        raise ReturnRejected(
            path,
            f"回答票の版（{props.get(layout.PROP_VERSION)}）に対応していません。"
            + ("新しい版の kodomo-desktop で作成された回答票です。" if newer else "回答票を作り直して送ってください。"),
        )
    year = _int(props.get(layout.PROP_YEAR))
    if year != fiscal_year:
        which = era_label(year) if year else "不明な年度"
        raise ReturnRejected(
            path, f"{which}版の回答票です（取り込み先は{era_label(fiscal_year)}版）。年度を確かめてください。"
        )
    kind = props.get(layout.PROP_UNIT_KIND)
    department = props.get(layout.PROP_DEPARTMENT)
    if kind not in UNIT_KINDS or not department:
        raise ReturnRejected(path, "回答票の所管の情報が壊れています。回答票を作り直して送ってください。")
    return Unit(kind, str(department), str(props.get(layout.PROP_DIVISION) or "") or None)


def _int(value: Any) -> int | None:
    try:
        return int(float(value))
    except (TypeError, ValueError):
        return None


def _named_range(path: Path, wb: Workbook, name: str, what: str) -> tuple[Worksheet, tuple[int, int, int, int]]:
    from openpyxl.utils.cell import range_boundaries

    defined = wb.defined_names.get(name)
    destinations = list(defined.destinations) if defined is not None else []
    if not destinations or destinations[0][0] not in wb.sheetnames:
        raise ReturnRejected(
            path, f"{what}が見つかりません（名前「{name}」がありません）。回答票を作り直して送ってください。"
        )
    title, ref = destinations[0]
    return wb[title], range_boundaries(ref.replace("$", ""))


def _table_sheet(path: Path, wb: Workbook) -> tuple[Worksheet, int]:
    ws, (_min_col, min_row, _max_col, _max_row) = _named_range(path, wb, layout.TABLE_NAME, "回答の表")
    if ws.max_row > MAX_ROWS:
        raise ReturnRejected(path, f"「{ws.title}」シートの行が多すぎます（{ws.max_row}行）。")
    return ws, min_row


def _base(path: Path, wb: Workbook) -> dict[str, dict[str, Any]]:
    ws, (min_col, min_row, _max_col, max_row) = _named_range(path, wb, layout.BASE_NAME, "回答票の元データ")
    base = {}
    try:
        for uid, value in ws.iter_rows(
            min_row=min_row + 1, max_row=max_row, min_col=min_col, max_col=min_col + 1, values_only=True
        ):
            base[str(uid)] = json.loads(value)
    except (TypeError, ValueError):
        raise ReturnRejected(path, "回答票の元データが壊れています。回答票を作り直して送ってください。") from None
    return base


def _header_columns(path: Path, ws: Worksheet, header_row: int, fiscal_year: int) -> dict[str, int]:
    """field key -> column number, by header text (columns may have been moved)."""
    wanted = {search_key(col.header): col.key for col in layout.columns(fiscal_year, with_previous_results=True)}
    found: dict[str, int] = {}
    for cell in next(ws.iter_rows(min_row=header_row, max_row=header_row)):
        key = wanted.get(search_key(cells.cell_text(cell.value)))
        if key is not None:
            found.setdefault(key, cell.column)
    missing = [
        col.header
        for col in layout.columns(fiscal_year, False)
        if col.key in layout.REQUIRED_KEYS and col.key not in found
    ]
    if missing:
        raise ReturnRejected(
            path,
            f"「{ws.title}」シートに列「{'」「'.join(missing)}」が見つかりません。列見出しの文字は変えずに返送してもらってください。",
        )
    return found


def _merged_input_cells(
    sheet: ReturnSheet, ws: Worksheet, first_row: int, input_columns: set[int]
) -> set[tuple[int, int]]:
    merged: set[tuple[int, int]] = set()
    for rng in ws.merged_cells.ranges:
        rows = range(max(rng.min_row, first_row), min(rng.max_row, ws.max_row) + 1)
        cols = [c for c in range(rng.min_col, rng.max_col + 1) if c in input_columns]
        if rows and cols:
            sheet.issue(
                rng.coord,
                "merged",
                f"セル {rng.coord} が結合されています。結合を解除して、1つのセルに1つの値を入力してください。",
            )
            merged.update((r, c) for r in rows for c in cols)
    return merged


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not cells.text(value))


def _parse_rows(sheet: ReturnSheet, ws: Worksheet, header_row: int, divisions: cells.DivisionNames) -> None:
    columns = _header_columns(sheet.path, ws, header_row, sheet.fiscal_year)
    parsers = {
        "name": cells.name,
        "alias": cells.alias,
        "summary": cells.text,
        "results": cells.text,
        "divisions": divisions.parse,
        "status": cells.status,
        "note": cells.text,
    }
    target_columns = [(label, columns[layout.target_key(label)]) for label in TARGETS]
    input_columns = [columns["id"], *(columns[key] for key in parsers), *(c for _, c in target_columns)]
    merged = _merged_input_cells(sheet, ws, header_row + 1, set(input_columns))

    def readable(cell: Cell) -> bool:
        """False (with an issue) for a cell whose value cannot be taken as typed."""
        if (cell.row, cell.column) in merged:
            return False
        if cell.data_type == "f":
            sheet.issue(
                cell.coordinate,
                "formula",
                f"セル {cell.coordinate} に数式があります。数式ではなく値を入力してください。",
            )
            return False
        if cell.data_type == "e":
            sheet.issue(
                cell.coordinate,
                "error_value",
                f"セル {cell.coordinate} がエラー値（{cell.value}）です。値を入力し直してください。",
            )
            return False
        return True

    def parse(cell: Cell, parser: Callable[..., Any], *args: Any) -> Any:
        try:
            return parser(cell.value, *args)
        except cells.FieldError as exc:
            sheet.issue(cell.coordinate, exc.code, f"セル {cell.coordinate}: {exc.message}")
            raise

    for r in range(header_row + 1, ws.max_row + 1):
        if all(_is_blank(ws.cell(r, c).value) and (r, c) not in merged for c in input_columns):
            continue
        id_cell = ws.cell(r, columns["id"])
        if not readable(id_cell):
            continue  # without its ID the row is neither a known program nor surely a new one
        row = ReturnRow(r, cells.program_id(id_cell.value), {}, {"id": id_cell.coordinate})
        for key, parser in parsers.items():
            cell = ws.cell(r, columns[key])
            row.cells[key] = cell.coordinate
            if key == "divisions" and not row.id and _is_blank(cell.value):
                continue  # a new program without 所管 belongs to the unit that returned it
            if readable(cell):
                with contextlib.suppress(cells.FieldError):
                    row.values[key] = parse(cell, parser)
        row.cells["targets"] = ws.cell(r, target_columns[0][1]).coordinate
        ticked, complete = [], True
        for label, c in target_columns:
            cell = ws.cell(r, c)
            if not readable(cell):
                complete = False
                continue
            try:
                if parse(cell, cells.tick, label):
                    ticked.append(label)
            except cells.FieldError:
                complete = False
        if complete:
            row.values["targets"] = cells.targets_value(ticked)
        sheet.rows.append(row)
