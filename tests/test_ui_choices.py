"""The window's choices of issue 14: templates per 部 or 課, dialogs starting in the folder last
used for them, and publishing a mostly empty edition asked first (pytest-qt, offscreen)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from kodomo_desktop.core import operations as ops
from kodomo_desktop.core import queries
from kodomo_desktop.ui.excel_actions import UNITS
from kodomo_desktop.ui.main_window import MainWindow
from kodomo_desktop.ui.returns_import_dialog import ReturnsDialog
from kodomo_desktop.ui.settings import RETURNS_FOLDER, TEMPLATES_BY, TEMPLATES_FOLDER
from kodomo_desktop.ui.workers import BackgroundTask
from tests.helpers import program_id, settle


def answer_templates(monkeypatch, unit: str, folder: Path) -> dict:
    asked: dict = {}

    def choose(_parent, _title, _label, items, current, _editable):
        asked["items"], asked["current"] = items, items[current]
        return UNITS[unit], True

    def where(_parent, _title, start):
        asked["start"] = start
        return str(folder)

    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(choose))
    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(where))
    return asked


def write_templates(qtbot, window: MainWindow) -> list[Path]:
    window.act.templates.trigger()
    task = window.findChildren(BackgroundTask)[-1]
    written: list[Path] = []
    task.finished.connect(written.extend)
    qtbot.waitUntil(lambda: bool(written), timeout=30000)
    return written


def test_templates_per_department_from_the_window(qtbot, window, settings, tmp_path, monkeypatch):
    monkeypatch.setattr(QMessageBox, "information", staticmethod(lambda *a: QMessageBox.StandardButton.Close))
    asked = answer_templates(monkeypatch, "department", tmp_path / "by-department")
    (tmp_path / "by-department").mkdir()
    paths = write_templates(qtbot, window)
    assert asked["items"] == list(UNITS.values()) and asked["current"] == UNITS["division"]
    # the sample's programs belong to two departments: one workbook each
    assert sorted(p.name for p in paths) == ["令和6年度_子育て支援部.xlsx", "令和6年度_選挙管理委員会事務局.xlsx"]
    assert settings.get(TEMPLATES_BY) == "department"
    assert settings.get(TEMPLATES_FOLDER) == str(tmp_path / "by-department")

    # the next time, 部 is offered first and the dialog starts where the last templates went
    asked = answer_templates(monkeypatch, "division", tmp_path / "by-division")
    (tmp_path / "by-division").mkdir()
    assert len(write_templates(qtbot, window)) == 4
    assert asked["current"] == UNITS["department"] and asked["start"] == str(tmp_path / "by-department")


def test_returns_dialog_starts_in_the_folder_last_used(qtbot, sample_db, settings, tmp_path, monkeypatch):
    folder = tmp_path / "returns"
    folder.mkdir()
    starts = []

    def where(_parent, _title, start):
        starts.append(start)
        return str(folder)

    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(where))
    dialog = ReturnsDialog(sample_db, 2024, settings=settings)
    qtbot.addWidget(dialog)
    monkeypatch.setattr(dialog, "load", lambda paths: None)
    dialog._choose_folder()
    assert starts == [str(Path.home())] and settings.get(RETURNS_FOLDER) == str(folder)
    dialog._choose_folder()
    assert starts[-1] == str(folder)

    picked = []
    monkeypatch.setattr(
        QFileDialog,
        "getOpenFileNames",
        staticmethod(lambda _p, _t, start, _f: picked.append(start) or ([str(folder / "a" / "x.xlsx")], "")),
    )
    dialog._choose_files()
    assert picked == [str(folder)] and settings.get(RETURNS_FOLDER) == str(folder / "a")


@pytest.mark.parametrize("answer", [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])
def test_publishing_a_mostly_empty_edition_asks_first(qtbot, window, sample_db, monkeypatch, answer):
    ops.update_program(sample_db, program_id(sample_db, "P0001"), {"results": ""})
    asked = []

    def question(_parent, _title, text, *args, **kwargs):
        asked.append(text)
        return QMessageBox.StandardButton.Yes if len(asked) == 1 else answer

    monkeypatch.setattr(QMessageBox, "question", staticmethod(question))
    window.act.publish.trigger()
    settle(qtbot, window)
    assert len(asked) == 2 and "実績が空の事業が3件中1件（33%）あります" in asked[1]
    published = answer == QMessageBox.StandardButton.Yes
    assert (queries.list_editions(sample_db)[0].status == "published") == published
