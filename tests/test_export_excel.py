"""The whole edition as one Excel sheet: booklet order, 【再掲】 rows, the sheet's set-up, the CLI."""

from __future__ import annotations

import io

import openpyxl

from kodomo_desktop.cli import main
from kodomo_desktop.core.interchange import export_document
from kodomo_desktop.core.open_data import records
from kodomo_desktop.core.targets import TARGETS
from kodomo_desktop.excel.whole_list import write_whole_list


def sheet_rows(path):
    ws = openpyxl.load_workbook(path).active
    header = [c.value for c in ws[2]]
    rows = [dict(zip(header, row, strict=True)) for row in ws.iter_rows(min_row=3, values_only=True)]
    return ws, header, rows


def test_sheet_in_booklet_order_with_relisted_rows(sample_db, tmp_path):
    document = export_document(sample_db, 2024)
    written = write_whole_list(document, tmp_path / "一覧.xlsx")
    ws, header, rows = sheet_rows(written.path)
    placements = records(document).placements
    assert written.rows == len(rows) == len(placements)
    assert header[:7] == ["施策番号", "個別施策", "事業ID", "名称", "通称", "概要", "実績 (令和6年度)"]
    assert header[7:15] == list(TARGETS) and header[15:] == ["所管", "状態"]
    assert [r["事業ID"] for r in rows] == [p["program_id"] for p in placements]
    relisted = [r for r, p in zip(rows, placements, strict=True) if p["relisted"]]
    assert relisted and all(r["名称"].startswith("【再掲】") for r in relisted)
    first = rows[0]
    program = next(p for p in document["programs"] if p["id"] == first["事業ID"])
    assert first["概要"] == program["summary"]
    assert [label for label in TARGETS if first[label] == "○"] == program["targets"]
    assert ws.freeze_panes == "E3"
    assert ws.auto_filter.ref == f"A2:Q{len(rows) + 2}"
    assert ws.print_title_rows == "$2:$2"
    assert ws["F3"].alignment.wrap_text and ws.column_dimensions["F"].width == 44


def test_cli_export_excel_on_the_seeded_edition(seeded_db, tmp_path):
    out, err = io.StringIO(), io.StringIO()
    target = tmp_path / "out" / "list.xlsx"
    code = main(["--db", seeded_db.url, "export-excel", "--year", "2024", "-o", str(target)], out, err)
    assert code == 0, err.getvalue()
    assert out.getvalue() == f"令和6年度版の一覧（194行）を {target} に書き出しました。\n"
    _, _, rows = sheet_rows(target)
    assert len(rows) == 194
    assert sum(r["名称"].startswith("【再掲】") for r in rows) == 194 - 124
    assert rows[0]["施策番号"] == "1-1" and rows[-1]["状態"] in ("継続", "新規")


def test_cli_export_excel_into_a_folder_is_a_japanese_error(sample_db, tmp_path):
    out, err = io.StringIO(), io.StringIO()
    code = main(["--db", sample_db.url, "export-excel", "-o", str(tmp_path)], out, err)
    assert code == 2 and str(tmp_path) in err.getvalue() and err.getvalue().startswith("エラー: ")
