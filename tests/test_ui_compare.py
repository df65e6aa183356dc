"""The comparison dialog, driven as the office would: choose two editions, read the tabs, save."""

from __future__ import annotations

import copy

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from kodomo_desktop.core import operations as ops
from kodomo_desktop.core.interchange import import_document
from kodomo_desktop.ui.compare_dialog import CompareDialog


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
