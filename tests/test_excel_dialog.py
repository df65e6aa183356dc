"""The returns dialog and overview, driven as the office uses them."""

from __future__ import annotations

import pytest

from kodomo_desktop.core import operations as ops
from kodomo_desktop.core.interchange import export_document
from tests.excel_corpus import ReturnEditor, write_templates

pytest.importorskip("pytestqt")

from PySide6.QtCore import Qt


def program(db, uid):
    return next(p for p in export_document(db, 2024)["programs"] if p["id"] == uid)


@pytest.fixture(autouse=True)
def no_message_boxes(monkeypatch):
    """The apply ends with an information box; a test has no one to close it."""
    from PySide6.QtWidgets import QMessageBox

    monkeypatch.setattr(QMessageBox, "information", staticmethod(lambda *a, **k: QMessageBox.StandardButton.Ok))


def load(qtbot, dialog, paths):
    with qtbot.waitSignal(dialog.loaded, timeout=20000):
        dialog.load(paths)


def test_review_reject_one_change_and_apply(qtbot, sample_db, returned):
    from kodomo_desktop.ui.returns_import_dialog import ReturnsDialog

    dialog = ReturnsDialog(sample_db, 2024)
    qtbot.addWidget(dialog)
    load(qtbot, dialog, [returned.parent])
    assert dialog.files.rowCount() == 1 and dialog.files.item(0, 1).text() == "子育て支援部 子育て支援課"
    fields = [dialog.changes.item(r, 3).text() for r in range(dialog.changes.rowCount())]
    assert fields == ["通称", "概要", "実績"]
    assert dialog.changes.item(1, 5).text() == "回答の概要"
    dialog.set_accepted(fields.index("実績"), False)  # the office rejects one change
    assert dialog.apply_button.text() == "取り込む（2 件）"

    with qtbot.waitSignal(dialog.loaded, timeout=20000):  # read again once applied
        dialog.apply()
    p = program(sample_db, "P0001")
    assert (p["alias"], p["summary"], p["results"]) == ("回答の通称", "回答の概要", "ガイドブック 3,000部")
    # read again after the apply: only the rejected change is left to decide
    assert [dialog.changes.item(r, 3).text() for r in range(dialog.changes.rowCount())] == ["実績"]
    dialog.reject()  # 閉じる: the window reloads only an accepted dialog
    assert dialog.result() == dialog.DialogCode.Accepted


def test_conflict_resolved_with_theirs(qtbot, sample_db, returned):
    from kodomo_desktop.ui.returns_import_dialog import RESOLVE_COLUMN, THEIRS, ReturnsDialog

    pid = _program_id(sample_db, "P0001")
    ops.update_program(sample_db, pid, {"summary": "事務局の概要"})
    dialog = ReturnsDialog(sample_db, 2024)
    qtbot.addWidget(dialog)
    load(qtbot, dialog, [returned])
    row = next(r for r in range(dialog.changes.rowCount()) if dialog.changes.item(r, 3).text() == "概要（競合）")
    assert dialog.changes.item(row, 0).checkState() == Qt.CheckState.Unchecked
    combo = dialog.changes.cellWidget(row, RESOLVE_COLUMN)
    combo.activated.emit(combo.findText(THEIRS))
    assert dialog.changes.item(row, 0).checkState() == Qt.CheckState.Checked
    with qtbot.waitSignal(dialog.loaded, timeout=20000):
        dialog.apply()
    assert program(sample_db, "P0001")["summary"] == "回答の概要"


def test_overview_shows_returned_and_outstanding_units(qtbot, sample_db, returned):
    from kodomo_desktop.excel.apply import apply_returns, default_plan
    from kodomo_desktop.excel.returns import check_returns
    from kodomo_desktop.ui.returns_overview_dialog import ReturnsOverview

    apply_returns(sample_db, 2024, [default_plan(r) for r in check_returns(sample_db, 2024, [returned])])
    overview = ReturnsOverview(sample_db, 2024)
    qtbot.addWidget(overview)
    rows = {
        overview.table.item(r, 0).text(): overview.table.item(r, 2).text() for r in range(overview.table.rowCount())
    }
    assert rows == {
        "子育て支援部 子育て支援課": "回答済み（1 回）",
        "子育て支援部主幹付": "未回答",
        "子育て支援部 おやこ応援課": "未回答",
        "選挙管理委員会事務局": "未回答",
    }
    assert overview.summary.text() == "4 件中 1 件回答済み、未回答 3 件"
    overview.outstanding_only.setChecked(True)
    assert overview.table.rowCount() == 3
    overview.kind.setCurrentIndex(1)  # 部ごと: the division's return is listed under its own name
    assert overview.table.rowCount() == 2


def _program_id(db, uid):
    from sqlalchemy import select

    from kodomo_desktop.core.models import Program

    with db.read() as s:
        return s.scalar(select(Program.id).where(Program.uid == uid))


LONG = ("子育て家庭が様々な支援を受けられるよう、相談・情報提供・交流の場を用意する。" * 20)[:600]


def test_a_change_at_the_end_of_a_long_summary_is_highlighted(qtbot, sample_db, tmp_path):
    from kodomo_desktop.ui.diff_view import HTML_ROLE
    from kodomo_desktop.ui.returns_import_dialog import OURS_COLUMN, THEIRS_COLUMN, ReturnsDialog

    ops.update_program(sample_db, _program_id(sample_db, "P0001"), {"summary": LONG})
    template = write_templates(sample_db, tmp_path / "templates")["子育て支援部 子育て支援課"]
    returned = ReturnEditor(template).set("P0001", "概要", LONG + "等").save(tmp_path / "return.xlsx")
    dialog = ReturnsDialog(sample_db, 2024)
    qtbot.addWidget(dialog)
    load(qtbot, dialog, [returned])
    assert dialog.changes.rowCount() == 1
    ours, theirs = dialog.changes.item(0, OURS_COLUMN), dialog.changes.item(0, THEIRS_COLUMN)
    # both cut before the same context, the new character after it, highlighted
    assert ours.text() == f"…{LONG[-20:]}" and theirs.text() == f"…{LONG[-20:]}等"
    assert theirs.data(HTML_ROLE).endswith(
        '<span style="color:#0B5CAD; background-color:#DCEBFA; text-decoration:underline; font-weight:bold;">等</span>'
    )
    assert theirs.toolTip() == LONG + "等"
    dialog.changes.selectRow(0)
    assert dialog.detail.old_text.toPlainText() == LONG and dialog.detail.new_text.toPlainText() == LONG + "等"
    assert (
        'text-decoration: underline; color:#0b5cad; background-color:#dcebfa;">等</span>'
        in dialog.detail.new_text.toHtml()
    )
