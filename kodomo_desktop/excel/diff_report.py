"""The comparison of two editions as an .xlsx report the office can hand to a committee.

A summary sheet, then one sheet per kind of change; each readable without the app:
Japanese headers, set widths, wrapped text, a frozen and repeated header row, and an
A4 landscape page set-up that fits the columns to the page width.
"""

from __future__ import annotations

from collections.abc import Iterable
from io import BytesIO
from pathlib import Path
from typing import TYPE_CHECKING

from kodomo_desktop.core.files import write_bytes_atomic
from kodomo_desktop.core.yeardiff import Section, YearDiff, sections, title_of

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

SUMMARY_SHEET = "概要"
NO_CHANGES = "変更はありません。"
HEADER_FILL = "DDEBF7"


def write_diff_report(diff: YearDiff, path: str | Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    tables = sections(diff)
    _write_summary(workbook.active, diff, tables)
    for section in tables:
        _write_section(workbook.create_sheet(section.title), section)
    buffer = BytesIO()
    workbook.save(buffer)
    write_bytes_atomic(path, buffer.getvalue())


def _set_up_page(sheet: Worksheet, header_rows: str | None) -> None:
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = sheet.ORIENTATION_LANDSCAPE
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0  # as many pages down as the rows need
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_options.horizontalCentered = True
    if header_rows:
        sheet.print_title_rows = header_rows


def _text_cell(sheet: Worksheet, row: int, column: int, value: str) -> Cell:
    cell = sheet.cell(row=row, column=column, value=value)
    # text from the list is never a formula, even when it starts with "="
    cell.data_type = "s"
    return cell


def _write_summary(sheet: Worksheet, diff: YearDiff, tables: list[Section]) -> None:
    from openpyxl.styles import Font

    sheet.title = SUMMARY_SHEET
    _text_cell(sheet, 1, 1, title_of(diff)).font = Font(bold=True, size=14)
    _header_row(sheet, 3, ("変更の種類", "件数"))
    for i, section in enumerate(tables, start=4):
        _text_cell(sheet, i, 1, section.title)
        sheet.cell(row=i, column=2, value=len(section.rows))
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 10
    _set_up_page(sheet, None)


def _header_row(sheet: Worksheet, row: int, headers: Iterable[str]) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin")
    for column, header in enumerate(headers, start=1):
        cell = _text_cell(sheet, row, column, header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=HEADER_FILL)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)


def _write_section(sheet: Worksheet, section: Section) -> None:
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    _header_row(sheet, 1, section.headers)
    wrap = Alignment(vertical="top", wrap_text=True)
    for r, row in enumerate(section.rows, start=2):
        for c, value in enumerate(row, start=1):
            _text_cell(sheet, r, c, value).alignment = wrap
    if not section.rows:
        _text_cell(sheet, 2, 1, NO_CHANGES)
    for c, width in enumerate(section.widths, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = width
    sheet.freeze_panes = "A2"
    if section.rows:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(section.headers))}{len(section.rows) + 1}"
    _set_up_page(sheet, "1:1")
