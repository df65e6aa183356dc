"""The window's ファイル ▸ バックアップから復元 and 年度版 ▸ この年度版を削除, driven like a user."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog

from kodomo_desktop.core import operations as ops
from kodomo_desktop.core.backups import list_backups
from kodomo_desktop.core.interchange import export_document, import_document
from kodomo_desktop.core.queries import list_editions
from kodomo_desktop.ui.restore_dialog import RestoreDialog
from tests.helpers import program_id, settle

# backups are copies of the SQLite file
pytestmark = pytest.mark.sqlite_only


def test_delete_a_draft_edition_from_the_menu_after_a_backup(qtbot, window, sample_db, sample_document, messages):
    import_document(sample_db, dict(sample_document, fiscal_year=2025), source="test")
    window.reload_everything(2025)
    assert window.fiscal_year == 2025 and window.act.delete_edition.isEnabled()
    window.act.delete_edition.trigger()
    settle(qtbot, window)
    assert "令和7年度版（事業 3件、掲載 5件）を削除します" in messages[0]
    assert [e.fiscal_year for e in list_editions(sample_db)] == [2024]
    assert window.fiscal_year == 2024
    [backup] = list_backups(sample_db)
    assert backup.reason == "before-delete-edition"


def test_delete_is_refused_for_a_published_edition(qtbot, window, sample_db, messages):
    ops.publish(sample_db, 2024)
    window.reload_everything(2024)
    window.act.delete_edition.trigger()
    settle(qtbot, window)
    assert "公開済みのため削除できません" in messages[0]
    assert [e.fiscal_year for e in list_editions(sample_db)] == [2024]
    assert list_backups(sample_db) == []


def test_delete_not_confirmed_changes_nothing(qtbot, window, sample_db, sample_document, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    import_document(sample_db, dict(sample_document, fiscal_year=2025), source="test")
    window.reload_everything(2025)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    window.act.delete_edition.trigger()
    settle(qtbot, window)
    assert [e.fiscal_year for e in list_editions(sample_db)] == [2024, 2025]
    assert list_backups(sample_db) == []


def test_restore_from_the_file_menu_previews_restores_and_reloads(qtbot, window, sample_db, messages):
    backup = sample_db.backup("test")
    assert backup is not None
    before = export_document(sample_db, 2024)
    ops.update_program(sample_db, program_id(sample_db, "P0001"), {"name": "復元で消える名称"})
    window.reload_everything(2024)
    seen: dict[str, str] = {}

    def drive() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, RestoreDialog)
        assert dialog.table.rowCount() == 1 and "令和6年度版（作成中、事業 3件）" in dialog.table.item(0, 3).text()
        dialog.table.selectRow(0)
        seen["preview"] = dialog.preview.toPlainText()
        dialog.restore_button.click()

    QTimer.singleShot(0, drive)
    window.act.restore.trigger()  # returns when the dialog closes, after the restore

    assert "名称が変わった事業" in seen["preview"] and "復元で消える名称" in seen["preview"]
    assert "データベースを" in messages[0]  # the confirmation, answered yes
    assert export_document(sample_db, 2024) == before
    assert "復元で消える名称" not in [window.grid_model.program(r).name for r in range(window.grid_model.rowCount())]
    assert {b.reason for b in list_backups(sample_db)} == {"test", "before-restore"}


def test_restore_dialog_refuses_a_broken_backup(qtbot, sample_db, messages):
    good = sample_db.backup("test")
    assert good is not None
    broken = good.with_name(good.name.replace("-test", "-broken"))
    broken.write_bytes(good.read_bytes()[:4096])
    dialog = RestoreDialog(sample_db)
    qtbot.addWidget(dialog)
    row = next(r for r, b in enumerate(dialog.backups) if b.reason == "broken")
    dialog.table.selectRow(row)
    assert not dialog.restore_button.isEnabled()
    assert "壊れているため復元できません" in dialog.preview.toPlainText()
    assert dialog.result() != QDialog.DialogCode.Accepted
