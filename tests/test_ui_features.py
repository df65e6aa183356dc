"""The window with the other parts (booklet, returns, validation) and with a database that fights back."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from types import SimpleNamespace

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QDialog, QFileDialog, QMessageBox

from kodomo_desktop.core import operations as ops
from kodomo_desktop.core.database import Database
from kodomo_desktop.core.interchange import export_document
from kodomo_desktop.core.queries import Scope
from kodomo_desktop.ui import features
from kodomo_desktop.ui.main_window import MainWindow
from kodomo_desktop.ui.program_grid import COL_FIRST_TARGET, COL_NAME, COL_NO
from kodomo_desktop.ui.settings import Settings
from kodomo_desktop.ui.workers import BackgroundTask
from tests.helpers import settle


def open_window(qtbot, db, tmp_path) -> MainWindow:
    window = MainWindow(db, Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)))
    qtbot.addWidget(window)
    window.show()
    return window


def test_many_qt_calls_do_not_use_up_none():
    """PySide6 6.12.0 on Python 3.11 drops a reference to None per void call until Python aborts.

    Kept out by the pin in pyproject.toml.
    """
    code = (
        "import kodomo_desktop.ui\n"
        "from PySide6.QtWidgets import QApplication, QWidget\n"
        "app = QApplication([])\n"
        "w = QWidget()\n"
        "for _ in range(300_000):\n"
        "    w.setEnabled(True)\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-500:]
    assert done.stdout.strip() == "ok"


@pytest.mark.sqlite_only  # SQLite's write lock held by another connection
def test_an_edit_while_another_program_writes_is_refused_and_changes_nothing(qtbot, sample_db, tmp_path, messages):
    db = Database(str(sample_db.path), busy_timeout=0.2)
    window = open_window(qtbot, db, tmp_path)
    before = export_document(db, 2024)
    other = sqlite3.connect(sample_db.path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # e.g. a command-line import holding the write lock
    try:
        window.grid.select_row(0)
        window.grid.toggle(0, COL_FIRST_TARGET, [0])
        settle(qtbot, window)
        qtbot.waitUntil(lambda: bool(messages))
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert "別の処理（ウィンドウや別のコマンド）が書き込み中" in messages[0]
    assert str(sample_db.path) in messages[0]
    assert export_document(db, 2024) == before
    assert window.session.stack.count() == 0
    assert window.grid_model.ticked(0, COL_FIRST_TARGET)  # P0001 has 妊婦等: the grid did not pretend
    db.dispose()


@pytest.fixture
def booklet_run(monkeypatch, tmp_path):
    """The booklet action with its save dialog answered and its closing report caught."""
    pytest.importorskip("reportlab")
    run = SimpleNamespace(out=tmp_path / "booklet.pdf", reports=[], asked_where=[])

    def where(*args, **kwargs):
        run.asked_where.append(args)
        return str(run.out), "PDF (*.pdf)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", where)
    monkeypatch.setattr(QMessageBox, "exec", lambda box: run.reports.append(box.text()) or 0)
    return run


def test_booklet_is_built_in_the_background_and_reported(qtbot, sample_db, tmp_path, messages, booklet_run):
    window = open_window(qtbot, sample_db, tmp_path)
    window.act.booklet.trigger()
    settle(qtbot, window)
    qtbot.waitUntil(lambda: bool(booklet_run.reports), timeout=30000)
    assert booklet_run.out.read_bytes().startswith(b"%PDF")
    assert "booklet.pdf を作成しました" in booklet_run.reports[0] and "ページ" in booklet_run.reports[0]


@pytest.mark.parametrize("answer", [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])
def test_booklet_of_an_edition_with_errors_asks_first(qtbot, sample_db, tmp_path, monkeypatch, booklet_run, answer):
    from sqlalchemy import select

    from kodomo_desktop.core.models import Program

    with sample_db.read() as s:
        ops.set_targets(sample_db, s.scalar(select(Program.id).where(Program.uid == "P0003")), [])  # an error
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda _p, _t, text, *a, **k: asked.append(text) or answer)
    window = open_window(qtbot, sample_db, tmp_path)
    window.act.booklet.trigger()
    settle(qtbot, window)
    assert len(asked) == 1 and "エラーが1件" in asked[0] and "P0003" in asked[0]
    if answer == QMessageBox.StandardButton.Yes:
        qtbot.waitUntil(lambda: bool(booklet_run.reports), timeout=30000)
        assert booklet_run.out.read_bytes().startswith(b"%PDF")
    else:
        # the build would run as a BackgroundTask child of the window, started after the save dialog
        assert not window.findChildren(BackgroundTask) and not booklet_run.asked_where
        assert not booklet_run.out.exists() and not booklet_run.reports


class FakeFeature:
    def __init__(self, obj):
        self.obj = obj

    def missing(self):
        return None

    def load(self):
        return self.obj


def test_accepted_returns_dialog_reloads_everything(qtbot, sample_db, tmp_path, monkeypatch):
    from kodomo_desktop.excel.apply import ApplyReport

    class ReturnsDialog:
        def __init__(self, db, fiscal_year, parent, *, settings):
            self.db, self.fiscal_year = db, fiscal_year
            self.reports = []

        def exec(self):
            program_id = window.session.program_id("P0001")
            result = ops.update_program(self.db, program_id, {"name": "回答で直した名称"}, source="import:test.xlsx")
            self.reports.append(ApplyReport(result, None, 1))
            return QDialog.DialogCode.Accepted

    monkeypatch.setattr(features, "RETURNS_DIALOG", FakeFeature(ReturnsDialog))
    window = open_window(qtbot, sample_db, tmp_path)
    window.grid.select_row(0)
    window.grid.toggle(0, COL_FIRST_TARGET + 7, [0])
    settle(qtbot, window)
    assert window.session.stack.count() == 1
    window._import_returns()
    settle(qtbot, window)
    assert window.grid_model.program(0).name == "回答で直した名称"
    assert window.form.name.text() == "回答で直した名称"
    # the import is one undo step above the earlier edit, which stays undoable
    assert window.session.stack.count() == 2
    assert window.session.stack.undoText() == "回答の取り込み（1件）"


def test_a_feature_that_fails_to_load_is_disabled_with_the_reason(qtbot, sample_db, tmp_path, messages, monkeypatch):
    monkeypatch.setattr(
        features, "COMPARE_DIALOG", features.Feature("kodomo_desktop.ui.tsv", "NoSuchDialog", "比較画面")
    )
    window = open_window(qtbot, sample_db, tmp_path)
    ops.create_edition(sample_db, 2025)
    window.reload_everything()
    action = window.act.compare
    assert action.isEnabled()
    action.trigger()
    settle(qtbot, window)
    qtbot.waitUntil(lambda: bool(messages))
    assert "比較画面がありません" in messages[0]
    assert not action.isEnabled() and "比較画面" in action.toolTip()
    window.reload_everything()
    assert not action.isEnabled()  # stays off


def test_a_finding_selects_its_program_and_field(qtbot, sample_db, tmp_path):
    window = open_window(qtbot, sample_db, tmp_path)
    window.navigator.select_scope(Scope("review"))
    assert window.grid_model.rowCount() == 1  # only P0002 needs review
    window.select_program("P0003", "results")
    assert window.grid_model.program(window.grid.currentIndex().row()).uid == "P0003"
    assert window.form.detail.uid == "P0003"
    assert window.focusWidget() is window.form.results  # focused once the window is active


def test_new_program_from_the_review_list_shows_its_measure(qtbot, sample_db, tmp_path):
    window = open_window(qtbot, sample_db, tmp_path)
    window.navigator.select_scope(Scope("review"))
    window.grid.select_row(0)  # P0002, primary under 権利の普及 at position 2
    window.act.add.trigger()
    settle(qtbot, window)
    uid = window.form.detail.uid
    assert window.form.detail.name == "新しい事業"
    assert window.scope_label.text().endswith("権利の普及")
    assert [window.grid_model.program(r).uid for r in range(window.grid_model.rowCount())] == ["P0001", "P0002", uid]


def test_deleting_several_programs_is_one_undo_step(qtbot, sample_db, tmp_path, messages):
    window = open_window(qtbot, sample_db, tmp_path)
    before = export_document(sample_db, 2024)
    window.grid.selectAll()
    window.act.delete.trigger()
    settle(qtbot, window)
    assert export_document(sample_db, 2024)["programs"] == []
    assert window.grid_model.rowCount() == 0
    assert window.navigator.model.item(0, 1).text() == "0"
    window.act.undo.trigger()
    settle(qtbot, window)
    assert export_document(sample_db, 2024) == before
    assert window.grid_model.rowCount() == 3


def test_sorting_and_searching_stop_dragging_and_no_restores_printed_order(qtbot, sample_db, tmp_path):
    window = open_window(qtbot, sample_db, tmp_path)
    model = window.grid_model
    names = lambda: [model.program(r).name for r in range(model.rowCount())]  # noqa: E731
    printed = names()
    window.grid.sortByColumn(COL_FIRST_TARGET + 6, Qt.SortOrder.AscendingOrder)  # 18歳超 ticked first
    assert names()[0] == "若者の就労相談"
    window.grid.sortByColumn(COL_NO, Qt.SortOrder.AscendingOrder)
    assert names() == printed
    measure = next(i for i in window.navigator._walk() if i.data() == "1 権利の普及")
    window.navigator.view.setCurrentIndex(measure)
    assert model.flags(model.index(0, COL_NAME)) & Qt.ItemFlag.ItemIsDropEnabled
    window.search.setText("若者")
    assert not model.flags(model.index(0, COL_NAME)) & Qt.ItemFlag.ItemIsDropEnabled
    assert not window.act.up.isEnabled()
