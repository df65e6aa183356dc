"""The whole edition as one Excel sheet in booklet order, for circulating inside the city hall.

One row per placement, as the booklet prints them (a program listed under a second 個別施策
appears again there, its name marked 【再掲】); ended programs are left out as in the
booklet. The rows come from `open_data.records`, the one reader of booklet order. The sheet
is for reading and printing, not for returning: the returns are the templates' business.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kodomo_desktop.core.divisions import format_divisions
from kodomo_desktop.core.era import era_label, results_header
from kodomo_desktop.core.files import write_bytes_atomic
from kodomo_desktop.core.open_data import records, target_key
from kodomo_desktop.core.targets import TARGETS
from kodomo_desktop.excel.layout import TICK

# the templates' estimate of wrapped rows' heights and their cell cleaning: the same rules here
from kodomo_desktop.excel.templates import _ILLEGAL, _row_height

RELISTED = "【再掲】"
HEADER_ROW = 2  # row 1 holds the sheet's title


@dataclass(frozen=True)
class Column:
    header: str
    width: float  # in characters of '0'
    wrap: bool = False


@dataclass(frozen=True)
class WrittenList:
    path: Path
    fiscal_year: int
    rows: int


def columns(fiscal_year: int) -> list[Column]:
    return [
        Column("施策番号", 9),
        Column("個別施策", 22, wrap=True),
        Column("事業ID", 8),
        Column("名称", 26, wrap=True),
        Column("通称", 14, wrap=True),
        Column("概要", 44, wrap=True),
        Column(results_header(fiscal_year), 44, wrap=True),
        *(Column(label, 5) for label in TARGETS),
        Column("所管", 20, wrap=True),
        Column("状態", 6),
    ]


def measure_path(record: dict[str, Any]) -> str:
    """基本施策-ライフステージ-個別施策 from the placement id ("2-1-3"); "1-4" under a 基本施策 without stages."""
    policy, stage, measure = record["placement_id"].partition("@")[2].split("-")
    return f"{policy}-{measure}" if stage == "0" else f"{policy}-{stage}-{measure}"


def row_values(record: dict[str, Any]) -> list[Any]:
    """A placement record as the sheet's cells."""
    name = (RELISTED if record["relisted"] else "") + record["name"]
    return [
        measure_path(record),
        record["measure_title"],
        record["program_id"],
        name,
        record["alias"] or "",
        record["summary"],
        record["results"],
        *(TICK if record[target_key(label)] else "" for label in TARGETS),
        format_divisions(record["divisions"]),
        record["status"],
    ]


def whole_list_bytes(document: dict[str, Any]) -> tuple[bytes, int]:
    """The workbook of a kodomo-edition/1 document, and its number of program rows."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    tables = records(document)
    year = tables.fiscal_year
    cols = columns(year)
    workbook = Workbook()
    ws = workbook.active
    assert ws is not None  # a new workbook has its one sheet
    ws.title = f"{era_label(year)}版 一覧"
    ws.cell(1, 1, f"こども計画関連事業・取組一覧 {era_label(year)}版（冊子の掲載順、【再掲】を含む）").font = Font(
        bold=True, size=13
    )
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for c, column in enumerate(cols, 1):
        cell = ws.cell(HEADER_ROW, c, column.header)
        cell.font = Font(bold=True)
        cell.fill = header_fill
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(c)].width = column.width
    wrap_top = Alignment(wrap_text=True, vertical="top")
    centered = Alignment(horizontal="center", vertical="top")
    for r, record in enumerate(tables.placements, HEADER_ROW + 1):
        values = row_values(record)
        for c, (column, value) in enumerate(zip(cols, values, strict=True), 1):
            cell = ws.cell(r, c, value.translate(_ILLEGAL) if isinstance(value, str) else value)
            cell.alignment = wrap_top if column.wrap else centered
        ws.row_dimensions[r].height = _row_height(
            (value, column.width) for column, value in zip(cols, values, strict=True) if column.wrap and value
        )
    last = HEADER_ROW + len(tables.placements)
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 5)  # the header and the columns up to 事業ID stay in view
    ws.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(cols))}{last}"
    ws.print_title_rows = f"{HEADER_ROW}:{HEADER_ROW}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.oddFooter.center.text = "&P / &N"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue(), len(tables.placements)


def write_whole_list(document: dict[str, Any], path: str | Path) -> WrittenList:
    """Write the sheet to path (whole or not at all)."""
    data, rows = whole_list_bytes(document)
    write_bytes_atomic(path, data)
    return WrittenList(Path(path), document["fiscal_year"], rows)
