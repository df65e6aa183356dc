"""The comparison dialog, driven as the office would: choose two editions, read the tabs, save."""

from __future__ import annotations

import copy

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from kodomo_desktop.core import operations as ops
from kodomo_desktop.core.interchange import export_document, import_document
from kodomo_desktop.ui.compare_dialog import CompareDialog
from kodomo_desktop.ui.diff_view import HTML_ROLE
from tests.helpers import program_id


@pytest.fixture
def three_years(sample_db, sample_document):
    """2024, 2025 with one program renamed and one ended, and 2026 an unchanged copy of 2025."""
    new = copy.deepcopy(sample_document)
    new["fiscal_year"] = 2025
    new["programs"][0]["name"] = "こどもの権利の普及啓発"
    new["programs"][2]["status"] = "終了"
    import_document(sample_db, new)
    import_document(sample_db, {**new, "fiscal_year": 2026})
    ops.publish(sample_db, 2024)
    return sample_db


def tab_titles(dialog):
    return [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]


def test_opens_on_the_last_two_years(qtbot, three_years):
    dialog = CompareDialog(three_years)
    qtbot.addWidget(dialog)
    assert dialog.from_box.currentData() == 2025 and dialog.to_box.currentData() == 2026
    assert dialog.from_box.itemText(0) == "令和6年度（2024）公開済み"
    assert "違いはありません" in dialog.summary.text()
    assert all(title.endswith("（0）") for title in tab_titles(dialog))


def test_choosing_editions_shows_the_differences_by_kind(qtbot, three_years):
    dialog = CompareDialog(three_years)
    qtbot.addWidget(dialog)
    dialog.from_box.setCurrentIndex(0)
    dialog.to_box.setCurrentIndex(1)
    assert dialog.summary.text() == "令和6年度版と令和7年度版の比較\n項目別: 事業・取組名称: 1件"
    assert tab_titles(dialog) == [
        "追加された事業（0）",
        "終了した事業（1）",
        "名称が変わった事業（1）",
        "内容が変わった事業（0）",
        "掲載の変更（0）",
        "施策体系の変更（0）",
    ]
    ended = dialog.tabs.widget(1)
    assert [ended.horizontalHeaderItem(c).text() for c in range(ended.columnCount())] == [
        "事業ID",
        "事業・取組名称",
        "所管",
        "掲載先",
    ]
    assert [ended.item(0, c).text() for c in range(2)] == ["P0003", "ちびっこ広場"]
    renamed = dialog.tabs.widget(2)
    assert renamed.item(0, 2).text() == "こどもの権利の普及啓発"
    assert not renamed.editTriggers()  # a report, not an editor


def test_save_as_xlsx(qtbot, three_years, tmp_path, monkeypatch):
    from openpyxl import load_workbook

    target = tmp_path / "比較.xlsx"
    suggested = []

    def choose(parent, caption, name, filters):
        suggested.append(name)
        return str(target), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(choose))
    dialog = CompareDialog(three_years)
    qtbot.addWidget(dialog)
    dialog.from_box.setCurrentIndex(0)
    dialog.to_box.setCurrentIndex(1)
    dialog.save_button.click()
    assert suggested == ["年度版の比較_2024_2025.xlsx"]
    assert load_workbook(target)["終了した事業"]["A2"].value == "P0003"


def test_save_failure_is_told_not_raised(qtbot, three_years, tmp_path, monkeypatch):
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a: (str(blocked / "x.xlsx"), "")))
    warnings = []
    monkeypatch.setattr(QMessageBox, "warning", staticmethod(lambda parent, title, text: warnings.append(text)))
    dialog = CompareDialog(three_years)
    qtbot.addWidget(dialog)
    dialog.save_button.click()
    assert len(warnings) == 1 and "保存できません" in warnings[0]


def test_one_edition_only(qtbot, sample_db):
    dialog = CompareDialog(sample_db)
    qtbot.addWidget(dialog)
    assert dialog.summary.text() == "比較するには年度版が二つ以上必要です。"
    assert dialog.tabs.count() == 0 and not dialog.save_button.isEnabled()


LONG = ("子育て家庭が様々な支援を受けられるよう、相談・情報提供・交流の場を用意する。" * 20)[:600]


@pytest.fixture
def long_change(sample_db, sample_document):
    """2025: one character added at the end of a 600-character 概要, and a 実績 changed."""
    ops.update_program(sample_db, program_id(sample_db, "P0001"), {"summary": LONG})
    new = copy.deepcopy(export_document(sample_db, 2024))
    new["fiscal_year"] = 2025
    new["programs"][0]["summary"] = LONG + "等"
    new["programs"][1]["results"] = "相談 120件"
    import_document(sample_db, new)
    return sample_db


def test_a_change_at_the_end_of_a_long_summary_is_highlighted(qtbot, long_change):
    dialog = CompareDialog(long_change)
    qtbot.addWidget(dialog)
    assert dialog.summary.text() == "令和6年度版と令和7年度版の比較\n項目別: 概要: 1件、実績: 1件"
    fields = dialog.tabs.widget(3)
    headers = [fields.horizontalHeaderItem(c).text() for c in range(fields.columnCount())]
    shown = [h for c, h in enumerate(headers) if not fields.isColumnHidden(c)]
    assert shown == ["事業ID", "事業・取組名称", "項目", "変更箇所"]  # the full texts are in the pane below
    row = next(r for r in range(fields.rowCount()) if fields.item(r, 2).text() == "概要")
    changed = fields.item(row, 5)
    assert changed.text() == f"…{LONG[-20:]}【+等】"
    assert changed.data(HTML_ROLE).endswith(
        '<span style="color:#0B5CAD; background-color:#DCEBFA; text-decoration:underline; font-weight:bold;">等</span>'
    )
    dialog.tabs.setCurrentIndex(3)
    fields.selectRow(row)
    assert dialog.detail.old_text.toPlainText() == LONG and dialog.detail.new_text.toPlainText() == LONG + "等"
    assert dialog.detail.new_label.text() == "変更後"


def test_filters_narrow_the_tabs_summary_and_report(qtbot, long_change, tmp_path, monkeypatch):
    from openpyxl import load_workbook

    dialog = CompareDialog(long_change)
    qtbot.addWidget(dialog)
    dialog.field_boxes["results"].setChecked(False)  # 実績を除く
    assert dialog.summary.text() == "令和6年度版と令和7年度版の比較（実績を除く）\n項目別: 概要: 1件"
    assert "内容が変わった事業（1）" in tab_titles(dialog)
    dialog.kind_boxes["added"].setChecked(False)
    dialog.kind_boxes["ended"].setChecked(False)
    assert tab_titles(dialog)[:2] == ["名称が変わった事業（0）", "内容が変わった事業（1）"]
    target = tmp_path / "比較.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a: (str(target), "")))
    dialog.save_button.click()
    book = load_workbook(target)
    assert book["概要"]["A1"].value.endswith("（追加された事業・終了した事業を除く、実績を除く）")
    assert [r[2].value for r in book["内容が変わった事業"].iter_rows(min_row=2)] == ["概要"]
