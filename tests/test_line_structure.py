"""Multi-line 概要 and 実績 of the FY2024 edition (one item a line) carried unchanged by every path:
JSON interchange, Excel templates and returns, the year diff, and the window's grid and form."""

from __future__ import annotations

import copy
import json

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QTextCursor

from kodomo_desktop.commands.diff import render_text
from kodomo_desktop.core import operations as ops
from kodomo_desktop.core.edition_sql import dump_document
from kodomo_desktop.core.interchange import export_document, import_document
from kodomo_desktop.core.operations.rollover import rollover
from kodomo_desktop.core.yeardiff import FieldChange, compare_editions, diff_documents, sections
from kodomo_desktop.excel.apply import apply_returns, default_plan
from kodomo_desktop.excel.diff_report import write_diff_report
from kodomo_desktop.excel.returns import check_returns
from kodomo_desktop.ui.program_grid import COL_RESULTS
from kodomo_desktop.ui.tsv import parse_block
from tests.excel_corpus import ReturnEditor, write_templates
from tests.helpers import SEED_EDITION, program_id, settle, shown_window

UID = "P0045"  # 愛育センター管理運営, the only program of 子育て支援部 愛育センター
RESULTS = (
    "【児童発達支援事業】\n開所日数 233日\n延利用者数 8,737人\n"
    "【保育所等訪問支援事業】\n契約者数 6件\n【障害児相談支援事業】\n契約者数 51件"
)
EDITED = RESULTS.replace("延利用者数 8,737人", "延利用者数 8,800人")
RESULTS_HEADER = "実績 (令和6年度)"


def seed_programs() -> dict[str, dict]:
    return {p["id"]: p for p in json.loads(SEED_EDITION.read_text(encoding="utf-8"))["programs"]}


def multi_line(programs: dict[str, dict]) -> list[tuple[str, str, str]]:
    """(uid, field, text) of every 概要 and 実績 holding more than one line."""
    return [(uid, f, p[f]) for uid, p in programs.items() for f in ("summary", "results") if "\n" in p[f]]


def program(db, uid: str, year: int = 2024) -> dict:
    return next(p for p in export_document(db, year)["programs"] if p["id"] == uid)


def test_the_edition_has_multi_line_texts_and_the_database_keeps_them(seeded_db):
    seeded = seed_programs()
    assert seeded[UID]["results"] == RESULTS
    texts = multi_line(seeded)
    assert len(texts) > 50  # both fields, dozens of programs
    assert {f for _uid, f, _t in texts} == {"summary", "results"}
    stored = {p["id"]: p for p in export_document(seeded_db, 2024)["programs"]}
    assert multi_line(stored) == texts


# --- (a) JSON interchange ---------------------------------------------------------------


def test_json_export_import_round_trip_keeps_every_line(seeded_db, empty_db):
    dumped = dump_document(export_document(seeded_db, 2024))
    assert "【児童発達支援事業】\\n開所日数 233日\\n" in dumped  # one item a line, as JSON writes "\n"
    import_document(empty_db, json.loads(dumped), add_divisions=True)
    assert dump_document(export_document(empty_db, 2024)) == dumped
    assert program(empty_db, UID)["results"] == RESULTS
    assert multi_line({p["id"]: p for p in export_document(empty_db, 2024)["programs"]}) == multi_line(seed_programs())


# --- (b) Excel templates and returns ----------------------------------------------------


@pytest.fixture
def templates(seeded_db, tmp_path):
    return write_templates(seeded_db, tmp_path / "templates")


def test_every_template_cell_holds_the_lines_and_wraps(seeded_db, templates):
    programs = {p["id"]: p for p in export_document(seeded_db, 2024)["programs"]}
    seen = []
    for path in templates.values():
        sheet = ReturnEditor(path)
        for uid, field, text in multi_line(programs):
            header = {"summary": "概要", "results": RESULTS_HEADER}[field]
            try:
                cell = sheet.cell(uid, header)
            except KeyError:  # listed in another unit's template
                continue
            assert cell.value == text, (uid, field)
            assert cell.alignment.wrap_text, (uid, field)
            seen.append((uid, field))
    # a program of several divisions is in each of their templates
    assert set(seen) == {(uid, f) for uid, f, _t in multi_line(programs)}
    # untouched templates read back with no change at all
    results = check_returns(seeded_db, 2024, list(templates.values()))
    assert [(r.path.name, r.changes) for r in results if r.changes] == []


@pytest.mark.parametrize("line_end", ["\n", "\r\n"], ids=["excel-lf", "crlf"])
def test_a_return_editing_one_line_changes_only_that_line(seeded_db, templates, tmp_path, line_end):
    (template,) = [path for unit, path in templates.items() if unit.endswith("愛育センター")]
    assert ReturnEditor(template).cell(UID, RESULTS_HEADER).value == RESULTS
    returned = (
        ReturnEditor(template).set(UID, RESULTS_HEADER, EDITED.replace("\n", line_end)).save(tmp_path / "return.xlsx")
    )
    (result,) = check_returns(seeded_db, 2024, [returned])
    assert result.status == "ok" and result.issues == []
    assert [(c.program, c.field, c.old, c.new) for c in result.changes] == [(UID, "results", RESULTS, EDITED)]
    before = export_document(seeded_db, 2024)
    apply_returns(seeded_db, 2024, [default_plan(result)])
    after = program(seeded_db, UID)
    assert after["results"] == EDITED
    assert after["results"].split("\n")[2] == "延利用者数 8,800人"
    assert [line for line in after["results"].split("\n") if line != "延利用者数 8,800人"] == [
        line for line in RESULTS.split("\n") if line != "延利用者数 8,737人"
    ]
    assert after["summary"] == next(p for p in before["programs"] if p["id"] == UID)["summary"]


# --- (c) year diff -----------------------------------------------------------------------


def test_year_diff_of_a_change_inside_one_line_keeps_the_lines(seeded_db, tmp_path):
    old_doc = export_document(seeded_db, 2024)
    new_doc = copy.deepcopy(old_doc)
    new_doc["fiscal_year"] = 2025
    summary_uid, _f, summary = next(t for t in multi_line(seed_programs()) if t[1] == "summary")
    new_summary = summary.replace("\n", "\n（改）", 1)
    for p in new_doc["programs"]:
        if p["id"] == UID:
            p["results"] = EDITED
        if p["id"] == summary_uid:
            p["summary"] = new_summary
    diff = diff_documents(old_doc, new_doc)
    changes = {(c.uid, c.field): c for c in diff.fields}
    assert changes.keys() == {(UID, "results"), (summary_uid, "summary")}
    assert (changes[UID, "results"].old, changes[UID, "results"].new) == (RESULTS, EDITED)
    assert (changes[summary_uid, "summary"].old, changes[summary_uid, "summary"].new) == (summary, new_summary)

    (table,) = [s for s in sections(diff) if s.key == "fields"]
    assert {(row[0], row[3], row[4]) for row in table.rows} == {
        (UID, RESULTS, EDITED),
        (summary_uid, summary, new_summary),
    }

    # the text report keeps each line, continuation lines indented under their header
    text = render_text(diff)
    assert "    変更前: 【児童発達支援事業】\n      開所日数 233日\n      延利用者数 8,737人\n" in text
    assert "    変更後: 【児童発達支援事業】\n      開所日数 233日\n      延利用者数 8,800人\n" in text

    # the Excel report holds the texts whole, wrapped
    import openpyxl

    write_diff_report(diff, tmp_path / "diff.xlsx")
    ws = openpyxl.load_workbook(tmp_path / "diff.xlsx")[table.title]
    row = next(r for r in ws.iter_rows(min_row=2) if r[0].value == UID)
    assert (row[3].value, row[4].value) == (RESULTS, EDITED)
    assert row[3].alignment.wrap_text and row[4].alignment.wrap_text


def test_year_diff_between_stored_editions(seeded_db):
    rollover(seeded_db, 2024, 2025)
    ops.update_program(seeded_db, program_id(seeded_db, UID, 2025), {"results": EDITED})
    diff = compare_editions(seeded_db, 2024, 2025)
    (change,) = [c for c in diff.fields if c.uid == UID]
    assert change == FieldChange(UID, "愛育センター管理運営", "results", RESULTS, EDITED)


# --- (d) the window ---------------------------------------------------------------------


@pytest.fixture
def window(qtbot, seeded_db, settings, messages):

    w = shown_window(qtbot, seeded_db, settings)
    w.select_program(UID, "results")
    return w


def test_grid_shows_one_line_and_keeps_the_lines_in_tooltip_and_copy(window):
    model = window.grid_model
    (row,) = model.rows_of(UID)
    index = model.index(row, COL_RESULTS)
    # a grid row is one line high: the items are shown side by side, each break marked ...
    assert model.data(index) == RESULTS.replace("\n", " ⏎ ")
    # ... and in full, line by line, in the tooltip and on the clipboard
    assert model.data(index, Qt.ItemDataRole.ToolTipRole) == RESULTS
    assert model.cell_text(row, COL_RESULTS) == RESULTS
    window.grid.select_row(row, COL_RESULTS)  # the whole row is selected
    window.grid.copy()
    (copied,) = parse_block(QGuiApplication.clipboard().text())
    assert copied[COL_RESULTS] == RESULTS


def test_form_shows_the_lines_and_an_edit_of_one_line_keeps_the_others(qtbot, window, seeded_db):
    form = window.form
    editor = form.results
    assert editor.toPlainText() == RESULTS
    assert editor.document().blockCount() == RESULTS.count("\n") + 1
    qtbot.waitUntil(editor.hasFocus)  # select_program focused the 実績 box

    # the cursor at the end of the third line (延利用者数 8,737人), then typed over
    cursor = editor.textCursor()
    cursor.setPosition(editor.document().findBlockByNumber(2).position())
    cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock)
    editor.setTextCursor(cursor)
    qtbot.keyClick(editor, Qt.Key.Key_Left)  # before 人
    for _ in range(3):
        qtbot.keyClick(editor, Qt.Key.Key_Backspace)
    qtbot.keyClicks(editor, "800")
    # and a new last line, started with Enter
    editor.moveCursor(QTextCursor.MoveOperation.End)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.keyClicks(editor, "TOTAL 57")
    form.name.setFocus()  # leaving the field hands the text in

    expected = EDITED + "\nTOTAL 57"
    qtbot.waitUntil(lambda: program(seeded_db, UID)["results"] == expected)
    settle(qtbot, window)  # the views show the write once it is back
    assert editor.toPlainText() == expected
    (row,) = window.grid_model.rows_of(UID)
    assert window.grid_model.data(window.grid_model.index(row, COL_RESULTS), Qt.ItemDataRole.ToolTipRole) == expected

    window.act.undo.trigger()
    settle(qtbot, window)
    assert program(seeded_db, UID)["results"] == RESULTS
    assert editor.toPlainText() == RESULTS
