"""The findings panel with real widgets (offscreen): lists, filters, updates after an edit,
navigates on double-click, and marks findings 確認済み."""

from __future__ import annotations

import gc

import pytest
from PySide6.QtCore import Qt

from kodomo_desktop.core import operations as ops
from kodomo_desktop.core.validation import Severity
from kodomo_desktop.ui import findings_panel
from kodomo_desktop.ui.edit_session import EditSession
from kodomo_desktop.ui.findings_panel import FindingsPanel
from tests.helpers import program_id


def new_panel(qtbot, db) -> FindingsPanel:
    # 確認済み is written in the write thread of a session, as in the window
    widget = FindingsPanel(db, submit=EditSession(db).submit)
    qtbot.addWidget(widget)
    return widget


def settled(qtbot, panel) -> None:
    """Wait for the writes handed in and the checks asked for (both run in worker threads)."""
    session = panel._submit.__self__
    qtbot.waitUntil(lambda: session.idle and not panel.checking, timeout=20000)


@pytest.fixture
def panel(qtbot, sample_db):
    widget = new_panel(qtbot, sample_db)
    widget.set_edition(2024)
    settled(qtbot, widget)  # the booklet's font and page checks included
    assert widget._typesetting is not None
    return widget


def text(panel, row: int, column: int) -> str:
    return panel.model.index(row, column).data()


def listed(panel) -> list[tuple[str, str | None]]:
    return [(f.code, f.program) for f in panel.findings()]


def select_finding(panel, code: str) -> None:
    row = [f.code for f in panel.findings()].index(code)
    panel.select_row(row)


def test_lists_the_editions_findings(panel):
    assert listed(panel) == [("review.flagged", "P0002"), ("targets.unmentioned", "P0001")]
    assert text(panel, 0, 1) == "P0002 若者の就労相談"
    assert panel.filters[Severity.WARNING].text() == "警告 1"


def test_updates_after_an_edit_and_reports_worst_severities(qtbot, panel, sample_db):
    result = ops.set_targets(sample_db, program_id(sample_db, "P0003"), [])
    with qtbot.waitSignal(panel.severities_changed) as signal:
        panel.refresh(result.touched("program"))
    assert listed(panel)[0] == ("targets.none", "P0003")
    assert signal.args[0] == {"P0003": "error", "P0002": "warning", "P0001": "info"}
    ops.set_targets(sample_db, program_id(sample_db, "P0003"), ["幼児"])
    panel.refresh({"P0003"})
    settled(qtbot, panel)
    assert ("targets.none", "P0003") not in listed(panel)


def test_double_click_navigates_to_program_and_field(qtbot, panel):
    panel.show()
    qtbot.waitExposed(panel)
    view = panel.table
    rect = view.visualRect(panel.model.index(0, 3))
    # a double click is a press, a release and the double click
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(panel.navigate) as signal:
        qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert signal.args == ["P0002", "review_notes"]


def test_severity_filter(panel):
    panel.filters[Severity.INFO].setChecked(False)
    assert listed(panel) == [("review.flagged", "P0002")]
    panel.filters[Severity.WARNING].setChecked(False)
    assert listed(panel) == [] and panel.model.rowCount() == 0


def test_acknowledge_hides_until_the_text_changes(qtbot, panel, sample_db):
    select_finding(panel, "targets.unmentioned")
    assert panel.acknowledge_button.isEnabled()
    panel.acknowledge_selected("ガイドブックは母子手帳と一緒に配る")
    settled(qtbot, panel)
    assert ("targets.unmentioned", "P0001") not in listed(panel)
    assert "確認済み 1件" in panel.status.text()
    panel.show_acknowledged.setChecked(True)
    assert ("targets.unmentioned", "P0001") in listed(panel)
    row = listed(panel).index(("targets.unmentioned", "P0001"))
    assert "確認済み" in text(panel, row, 0)
    # the judged text changes: the finding is back
    ops.update_program(sample_db, program_id(sample_db, "P0001"), {"summary": "子育てガイドブックに掲載する。"})
    panel.show_acknowledged.setChecked(False)
    panel.refresh({"P0001"})
    settled(qtbot, panel)
    assert ("targets.unmentioned", "P0001") in listed(panel)


def test_withdraw_acknowledgement(qtbot, panel):
    select_finding(panel, "review.flagged")
    panel.acknowledge_selected("所管は確認した")
    settled(qtbot, panel)
    panel.show_acknowledged.setChecked(True)
    select_finding(panel, "review.flagged")
    assert panel.withdraw_button.isEnabled()
    panel.withdraw_selected()
    settled(qtbot, panel)
    panel.show_acknowledged.setChecked(False)
    assert ("review.flagged", "P0002") in listed(panel)


def test_errors_offer_no_acknowledgement(qtbot, panel, sample_db):
    ops.set_targets(sample_db, program_id(sample_db, "P0003"), [])
    panel.refresh({"P0003"})
    settled(qtbot, panel)
    select_finding(panel, "targets.none")
    assert not panel.acknowledge_button.isEnabled()
    assert panel.model.index(0, 0).data(Qt.ItemDataRole.ForegroundRole).name().lower() == "#c00000"


def test_no_edition_shows_nothing(qtbot, sample_db):
    widget = new_panel(qtbot, sample_db)
    widget.set_edition(None)
    settled(qtbot, widget)
    assert widget.findings() == [] and widget.model.rowCount() == 0
    widget.set_edition(2031)
    settled(qtbot, widget)
    assert "2031" in widget.status.text()


def test_a_check_runs_without_cyclic_collections_which_resume_after(qtbot, monkeypatch, sample_db):
    # a collection in the check's thread would hold the GIL and freeze the GUI thread
    real = findings_panel.validate_edition
    seen: list[bool] = []

    def observed(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(findings_panel, "validate_edition", observed)
    assert gc.isenabled()
    widget = new_panel(qtbot, sample_db)
    widget.set_edition(2024)
    settled(qtbot, widget)
    assert seen == [False]
    assert gc.isenabled()
    assert [f.code for f in widget.findings()] == ["review.flagged", "targets.unmentioned"]


def test_a_whole_edition_check_leaves_what_is_loaded_out_of_later_collections(qtbot, sample_db):
    gc.unfreeze()
    loaded = [[]]  # stands for what the window holds: tracked by the collector
    widget = new_panel(qtbot, sample_db)
    assert any(o is loaded for o in gc.get_objects())
    widget.set_edition(2024)
    settled(qtbot, widget)
    assert not any(o is loaded for o in gc.get_objects())  # frozen: no collection walks it
    gc.unfreeze()
    widget.refresh({"P0001"})  # a check of a few programs after an edit freezes nothing
    settled(qtbot, widget)
    assert gc.get_freeze_count() == 0


LONG_NOTE = "所管が二つの課にまたがるため、" * 12 + "どちらの課が回答するか確認する"


@pytest.fixture
def long_finding(qtbot, panel, sample_db):
    """P0002's 要確認 finding, its note far longer than the list's column."""
    ops.update_program(sample_db, program_id(sample_db, "P0002"), {"review_notes": [LONG_NOTE]})
    panel.refresh({"P0002"})
    settled(qtbot, panel)
    select_finding(panel, "review.flagged")
    return next(f for f in panel.findings() if f.code == "review.flagged")


def test_detail_area_shows_the_chosen_finding_whole(panel, long_finding):
    assert long_finding.message == f"要確認: {LONG_NOTE}"  # the rule cuts nothing off
    text = panel.detail.text()
    assert text == f"警告: P0002「若者の就労相談」\n項目: 確認メモ\n要確認: {LONG_NOTE}"
    assert panel.detail.wordWrap() and "…" not in text
    tip = panel.model.index(panel.table.currentIndex().row(), 3).data(Qt.ItemDataRole.ToolTipRole)
    assert LONG_NOTE in tip and tip.startswith("<p>")  # rich text: Qt wraps it
    select_finding(panel, "targets.unmentioned")
    assert "P0001" in panel.detail.text() and LONG_NOTE not in panel.detail.text()


def test_confirm_dialog_shows_the_whole_finding(qtbot, panel, long_finding, sample_db):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QDialogButtonBox

    from kodomo_desktop.ui.acknowledge_dialog import AcknowledgeDialog

    shown: list[str] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, AcknowledgeDialog)
        shown.append(dialog.finding.text())
        qtbot.keyClicks(dialog.note, "checked with the division")
        ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, answer)
    qtbot.mouseClick(panel.acknowledge_button, Qt.MouseButton.LeftButton)
    assert shown == [f"警告: P0002「若者の就労相談」\n項目: 確認メモ\n要確認: {LONG_NOTE}"]
    settled(qtbot, panel)
    assert ("review.flagged", "P0002") not in listed(panel)
    panel.show_acknowledged.setChecked(True)
    select_finding(panel, "review.flagged")
    assert panel.detail.text().endswith("checked with the division")


def test_panel_folds_to_a_summary_line_and_opens_again(qtbot, window, settings):
    from kodomo_desktop.ui.main_window import MainWindow
    from kodomo_desktop.ui.settings import FINDINGS_FOLDED

    qtbot.waitUntil(lambda: window.findings is not None and window.findings.report is not None)
    panel = window.findings
    qtbot.mouseClick(panel.fold, Qt.MouseButton.LeftButton)
    assert panel.fold.text() == "エラー 0件・警告 1件・提案 1件 ▸"
    assert not panel.table.isVisible() and not panel.detail.isVisible()
    # the dock shrinks to the one line and the grid gets the height
    qtbot.waitUntil(lambda: panel.height() <= panel.fold.height() + 8)
    qtbot.waitUntil(lambda: window.grid.height() > window.height() * 0.7)  # (about half unfolded)
    assert settings.get(FINDINGS_FOLDED) is True
    window.close()
    again = MainWindow(window.db, settings)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitUntil(lambda: again.findings is not None)
    assert again.findings.fold.isChecked() and not again.findings.table.isVisible()
    qtbot.mouseClick(again.findings.fold, Qt.MouseButton.LeftButton)
    assert again.findings.table.isVisible() and again.findings.fold.text() == "▾"
    assert settings.get(FINDINGS_FOLDED) is False
