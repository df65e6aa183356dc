"""Return templates: one workbook per unit, pre-filled with its programs, for a department to fill in.

Each workbook carries what the reader needs to take it back whatever a department does to
its layout: custom document properties (kind, version, edition, unit), a defined name on
the table, and a hidden sheet with the exported values (the base of the three-way merge).
"""

from __future__ import annotations

import io
import json
import math
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kodomo_desktop.core.database import Database, now_iso
from kodomo_desktop.core.divisions import format_divisions
from kodomo_desktop.core.era import era_label, results_header
from kodomo_desktop.core.files import write_bytes_atomic
from kodomo_desktop.core.interchange import export_document
from kodomo_desktop.core.targets import TARGETS
from kodomo_desktop.core.vocabulary import CONTINUING
from kodomo_desktop.excel import layout
from kodomo_desktop.excel.units import Unit, edition_units, master_order, program_pairs

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

HEADER_ROW = 2  # row 1 holds the sheet's title
FIRST_ROW = HEADER_ROW + 1
BASE_FIELDS = ("name", "alias", "summary", "targets", "results", "divisions", "status")
TEXT_KEYS = {"name", "alias", "summary", "results", "previous_results", "divisions", "note"}

# Neither Excel nor LibreOffice grows a row to its wrapped text when opening a file, so rows
# get a height from an estimate of their lines (11-point text, 15 points a line).
LINE_POINTS = 15
BLANK_ROW_LINES = 2

# openpyxl refuses these control characters in a cell
_ILLEGAL = str.maketrans(dict.fromkeys([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20)]))


def write_templates(
    db: Database,
    fiscal_year: int,
    out_dir: str | Path,
    by: str = "division",
    progress: Callable[[int, int, str], None] | None = None,
) -> list[Path]:
    """Write one template per unit of the edition into out_dir; returns the files written."""
    doc = export_document(db, fiscal_year)
    units = edition_units(doc, by, master_order(db))
    with_previous = any(p.get("previous_results") is not None for p in doc["programs"])
    out_dir = Path(out_dir)
    written = []
    for i, (unit, programs) in enumerate(units):
        path = out_dir / unit.file_name(doc["fiscal_year"])
        if progress:
            progress(i, len(units), path.name)
        buffer = io.BytesIO()
        build_workbook(doc["fiscal_year"], unit, programs, with_previous).save(buffer)
        write_bytes_atomic(path, buffer.getvalue())
        written.append(path)
    return written


def base_value(program: dict[str, Any]) -> dict[str, Any]:
    """What the template sent of a program: the base its return is merged against."""
    value = {field: program.get(field) for field in BASE_FIELDS}
    value["status"] = value["status"] or CONTINUING
    value["divisions"] = [list(pair) for pair in program_pairs(program)]
    return value


def build_workbook(fiscal_year: int, unit: Unit, programs: list[dict[str, Any]], with_previous: bool) -> Workbook:
    from openpyxl import Workbook

    wb = Workbook()
    instructions = wb.active
    instructions.title = layout.INSTRUCTIONS_SHEET
    _write_instructions(instructions, fiscal_year, unit, with_previous)
    _write_input(wb, wb.create_sheet(layout.INPUT_SHEET), fiscal_year, unit, programs, with_previous)
    _write_base(wb, wb.create_sheet(layout.BASE_SHEET), programs)
    _write_properties(wb, fiscal_year, unit)
    return wb


def _put(cell: Cell, value: Any) -> None:
    """Set a cell; text stays text even where it starts with = + - @ (never a formula)."""
    if isinstance(value, str):
        cell.value = value.translate(_ILLEGAL)
        cell.data_type = "s"
    else:
        cell.value = value


def _write_input(
    wb: Workbook, ws: Worksheet, fiscal_year: int, unit: Unit, programs: list[dict[str, Any]], with_previous: bool
) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation

    cols = layout.columns(fiscal_year, with_previous)
    last_row = HEADER_ROW + len(programs) + layout.BLANK_ROWS
    last_col = get_column_letter(len(cols))
    thin = Side(style="thin", color="808080")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    locked_fill = PatternFill("solid", fgColor="EDEDED")
    header_fill = PatternFill("solid", fgColor="D9E1F2")
    unlocked = Protection(locked=False)
    wrap_top = Alignment(wrap_text=True, vertical="top")
    centered = Alignment(horizontal="center", vertical="top")

    _put(ws.cell(1, 1), f"{era_label(fiscal_year)} 関連事業・取組 回答票（{unit.name}）")
    ws.cell(1, 1).font = Font(bold=True, size=12)
    for c, col in enumerate(cols, start=1):
        letter = get_column_letter(c)
        ws.column_dimensions[letter].width = col.width
        header = ws.cell(HEADER_ROW, c)
        _put(header, col.header)
        header.font = Font(bold=True)
        header.fill = header_fill
        header.border = border
        header.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)

    ws.row_dimensions[HEADER_ROW].height = _row_height((col.header, col.width) for col in cols)
    for r in range(FIRST_ROW, last_row + 1):
        program = programs[r - FIRST_ROW] if r - FIRST_ROW < len(programs) else None
        values = {col.key: _cell_value(col.key, program) for col in cols} if program is not None else {}
        ws.row_dimensions[r].height = (
            _row_height((values[col.key], col.width) for col in cols if col.wrap and values[col.key])
            if program is not None
            else BLANK_ROW_LINES * LINE_POINTS
        )
        for c, col in enumerate(cols, start=1):
            cell = ws.cell(r, c)
            if program is not None:
                _put(cell, values[col.key])
            cell.border = border
            cell.alignment = wrap_top if col.wrap else centered
            if col.key in TEXT_KEYS:
                # typed 0123 stays 0123, typed =x stays text
                cell.number_format = "@"
            if col.editable:
                cell.protection = unlocked
            else:
                cell.fill = locked_fill

    first_target = next(i for i, col in enumerate(cols, start=1) if col.key == layout.target_key(TARGETS[0]))
    target_range = (
        f"{get_column_letter(first_target)}{FIRST_ROW}:{get_column_letter(first_target + len(TARGETS) - 1)}{last_row}"
    )
    ticks = DataValidation(type="list", formula1=f'"{layout.TICK}"', allow_blank=True, showErrorMessage=True)
    ticks.error = f"{layout.TICK} を選ぶか、空欄にしてください。"
    ticks.errorTitle = "対象"
    ticks.add(target_range)
    status_col = get_column_letter(next(i for i, col in enumerate(cols, start=1) if col.key == "status"))
    statuses = DataValidation(
        type="list", formula1=f'"{",".join(layout.STATUS_CHOICES)}"', allow_blank=True, showErrorMessage=True
    )
    statuses.error = f"{' / '.join(layout.STATUS_CHOICES)} から選んでください。"
    statuses.errorTitle = "変更区分"
    statuses.add(f"{status_col}{FIRST_ROW}:{status_col}{last_row}")
    ws.add_data_validation(ticks)
    ws.add_data_validation(statuses)

    table = f"$A${HEADER_ROW}:${last_col}${last_row}"
    wb.defined_names[layout.TABLE_NAME] = DefinedName(layout.TABLE_NAME, attr_text=f"'{ws.title}'!{table}")

    ws.freeze_panes = ws.cell(FIRST_ROW, 3)
    ws.protection.sheet = True
    # resizing rows and columns and adding rows are harmless; the reader re-checks every cell anyway
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.insertRows = False

    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.print_area = f"A1:{last_col}{last_row}"
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.7
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.oddHeader.left.text = f"{era_label(fiscal_year)} 回答票 {unit.name}"
    ws.oddFooter.center.text = "&P / &N"


def _row_height(texts: Iterable[tuple[Any, float]]) -> float:
    """Points for the tallest of (text, column width in characters) once wrapped."""
    lines = 1
    for text, width in texts:
        per_line = max(1.0, width - 1)  # less the cell's padding
        wrapped = sum(max(1, math.ceil(_display_width(line) / per_line)) for line in str(text).split("\n"))
        lines = max(lines, wrapped)
    return lines * LINE_POINTS + 3


def _display_width(text: str) -> int:
    """Width in '0' characters: a Japanese character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell_value(key: str, program: dict[str, Any]) -> Any:
    if key.startswith("target:"):
        return layout.TICK if key.removeprefix("target:") in program["targets"] else None
    if key == "divisions":
        return format_divisions(program_pairs(program))
    if key == "status":
        return program.get("status") or CONTINUING
    if key == "note":
        return None
    return program.get(key) or None


def _write_base(wb: Workbook, ws: Worksheet, programs: list[dict[str, Any]]) -> None:
    from openpyxl.workbook.defined_name import DefinedName

    _put(ws.cell(1, 1), "id")
    _put(ws.cell(1, 2), "base")
    for r, program in enumerate(programs, start=2):
        _put(ws.cell(r, 1), program["id"])
        _put(ws.cell(r, 2), json.dumps(base_value(program), ensure_ascii=False, sort_keys=True))
    ws.sheet_state = "veryHidden"
    ws.protection.sheet = True
    wb.defined_names[layout.BASE_NAME] = DefinedName(
        layout.BASE_NAME, attr_text=f"'{ws.title}'!$A$1:$B${len(programs) + 1}"
    )


def _write_properties(wb: Workbook, fiscal_year: int, unit: Unit) -> None:
    from openpyxl.packaging.custom import IntProperty, StringProperty

    props = wb.custom_doc_props
    props.append(StringProperty(name=layout.PROP_KIND, value=layout.TEMPLATE_KIND))
    props.append(IntProperty(name=layout.PROP_VERSION, value=layout.TEMPLATE_VERSION))
    props.append(IntProperty(name=layout.PROP_YEAR, value=fiscal_year))
    props.append(StringProperty(name=layout.PROP_UNIT, value=unit.name))
    props.append(StringProperty(name=layout.PROP_UNIT_KIND, value=unit.kind))
    props.append(StringProperty(name=layout.PROP_DEPARTMENT, value=unit.department))
    props.append(StringProperty(name=layout.PROP_DIVISION, value=unit.division or ""))
    props.append(StringProperty(name=layout.PROP_EXPORTED_AT, value=now_iso()))
    wb.properties.title = f"{era_label(fiscal_year)} 回答票 {unit.name}"


def _write_instructions(ws: Worksheet, fiscal_year: int, unit: Unit, with_previous: bool) -> None:
    from openpyxl.styles import Alignment, Font

    year = era_label(fiscal_year)
    lines = [
        f"{year}「旭川市こども計画」関連事業・取組一覧 回答票（{unit.name}）",
        "",
        f"「{layout.INPUT_SHEET}」シートには、{unit.name}が所管する事業・取組の現在の内容が記入してあります。",
        "内容を確認し、変更のあるところだけ書き換えて、このファイルを .xlsx 形式のまま返送してください。",
        "",
        "■ 記入のしかた",
        "・ID は変更しないでください（灰色のセルは変更できません）。",
        f"・対象（{TARGETS[0]}～{TARGETS[-1]}）: 該当するときは「{layout.TICK}」を選び、"
        "該当しないときは空欄にしてください。",
        f"・{results_header(fiscal_year)}: {year}の実績を記入してください。",
        *(
            [f"・{results_header(fiscal_year - 1)}: 前年度の実績です（参考、変更できません）。"]
            if with_previous
            else []
        ),
        "・所管: 「部 課」の形で記入します。"
        "複数のときは「子育て支援部 子育て支援課、おやこ応援課」のように「、」で区切ります。",
        f"・変更区分: {' / '.join(layout.STATUS_CHOICES)} から選びます。"
        "事業を終了したときは行を削除せず「終了」を選んでください。",
        "・備考: 事務局への連絡事項があれば記入してください。",
        "",
        "■ 新しい事業・取組",
        "・表の下の空欄の行に、名称・概要・対象・実績・所管を記入してください（ID は空欄のままにします）。",
        "・掲載する個別施策は事務局が確認して決めます。",
        "",
        "■ ご注意",
        "・数式は使わず、値を入力してください。セルの結合はしないでください。",
        "・シート名の変更や列幅の変更はかまいませんが、列見出しの文字は変えないでください。",
        "・ファイル形式は変えずに保存してください（.xls や .ods、CSV では読み取れません）。",
        "・パスワードは設定しないでください。",
    ]
    for r, line in enumerate(lines, start=1):
        _put(ws.cell(r, 1), line or None)
        ws.cell(r, 1).alignment = Alignment(vertical="top")
    ws.cell(1, 1).font = Font(bold=True, size=13)
    ws.column_dimensions["A"].width = 120
    ws.protection.sheet = True
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
