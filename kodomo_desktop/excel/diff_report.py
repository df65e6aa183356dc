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
from kodomo_desktop.core.textdiff import DELETE, DELETE_COLOUR, INSERT, INSERT_COLOUR, KEEP, Run, excerpt, side
from kodomo_desktop.core.yeardiff import Section, YearDiff, field_counts, sections, title_of

if TYPE_CHECKING:
    from openpyxl.cell.cell import Cell
    from openpyxl.cell.rich_text import CellRichText
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


def rich_text(runs: list[Run]) -> CellRichText:
    """Runs as an Excel rich text: inserted text coloured and underlined, deleted coloured and struck out."""
    from openpyxl.cell.rich_text import CellRichText, TextBlock
    from openpyxl.cell.text import InlineFont

    fonts = {
        INSERT: InlineFont(color=INSERT_COLOUR, u="single", b=True),
        DELETE: InlineFont(color=DELETE_COLOUR, strike=True),
    }
    return CellRichText(
        [run.text if run.op == KEEP else TextBlock(fonts[run.op], run.text) for run in runs if run.text]
    )


def _text_cell(sheet: Worksheet, row: int, column: int, value: str | CellRichText) -> Cell:
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
    counts = field_counts(diff)
    if counts:
        from kodomo_desktop.core.fields import FIELD_LABELS

        # beside the kinds: which fields the name and content changes are in
        _header_row(sheet, 3, ("項目", "名称・内容の変更"), first_column=4)
        for i, (field, n) in enumerate(counts.items(), start=4):
            _text_cell(sheet, i, 4, FIELD_LABELS[field])
            sheet.cell(row=i, column=5, value=n)
        sheet.column_dimensions["D"].width = 16
        sheet.column_dimensions["E"].width = 18
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = 10
    _set_up_page(sheet, None)


def _header_row(sheet: Worksheet, row: int, headers: Iterable[str], first_column: int = 1) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin")
    for column, header in enumerate(headers, start=first_column):
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
        if section.full_columns is not None:
            script = list(section.scripts[r - 2])
            old, new = section.full_columns
            # the full texts with their changed characters, and the changes in context in the last column
            _text_cell(sheet, r, old + 1, rich_text(side(script, DELETE))).alignment = wrap
            _text_cell(sheet, r, new + 1, rich_text(side(script, INSERT))).alignment = wrap
            _text_cell(sheet, r, len(row), rich_text(excerpt(script))).alignment = wrap
    if not section.rows:
        _text_cell(sheet, 2, 1, NO_CHANGES)
    for c, width in enumerate(section.widths, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = width
    sheet.freeze_panes = "A2"
    if section.rows:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(section.headers))}{len(section.rows) + 1}"
    _set_up_page(sheet, "1:1")
