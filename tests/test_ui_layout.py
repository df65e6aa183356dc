"""The window at 1280×720 (maximized above a taskbar: 1280×680) and every dialog on a small screen.

The offscreen platform's screen is 800×600 and cannot change within a test session, so the
window is resized to the laptop's free area, and the dialogs are checked against the screen
they open on: each must fit its available geometry, however large it would like to be.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QScrollArea,
    QStyleOptionHeader,
    QVBoxLayout,
    QWidget,
)

from kodomo_desktop.core.errors import Conflict
from kodomo_desktop.core.queries import Scope
from kodomo_desktop.core.targets import TARGETS
from kodomo_desktop.ui.dialog_size import fit_to_screen
from kodomo_desktop.ui.program_grid import (
    COL_ALIAS,
    COL_CHANGE,
    COL_DIVISIONS,
    COL_NAME,
    COL_RESULTS,
    COL_STATUS,
    COL_SUMMARY,
    TARGET_COLUMNS,
)

LAPTOP = (1280, 680)  # a 1280×720 screen less a 40-pixel taskbar
ESSENTIAL_COLUMNS = (COL_NAME, *TARGET_COLUMNS, COL_DIVISIONS, COL_STATUS)
MIN_GRID_ROWS = 18


@pytest.fixture
def laptop_window(qtbot, seeded_db, settings, messages):
    """The real window on the seeded FY2024 edition at the laptop's size, on its busiest 個別施策."""
    from kodomo_desktop.ui.main_window import MainWindow

    w = MainWindow(seeded_db, settings)
    qtbot.addWidget(w)
    w.setWindowState(Qt.WindowState.WindowNoState)
    w.resize(*LAPTOP)
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: w.findings is not None)
    busiest = max(w.tree.measures(), key=lambda node: node.listings)
    w.navigator.select_scope(Scope("node", busiest.id))
    qtbot.waitUntil(lambda: w.grid_model.rowCount() == busiest.listings)
    QApplication.processEvents()
    return w


def test_essential_columns_fit_the_grid_without_scrolling_sideways(laptop_window):
    w = laptop_window
    assert w.navigator.isVisible() and w.navigator.width() >= 200
    header = w.grid.horizontalHeader()
    width = w.grid.viewport().width()
    for column in ESSENTIAL_COLUMNS:
        assert not header.isSectionHidden(column)
        left = header.sectionViewportPosition(column)
        assert left >= 0 and left + header.sectionSize(column) <= width, w.grid_model.headerData(
            column, Qt.Orientation.Horizontal
        )
    # the name keeps room enough to be read
    assert header.sectionSize(COL_NAME) >= w.grid.fontMetrics().horizontalAdvance("あ") * 10
    # sideways scrolling reaches only the columns after the essentials (変更区分, 通称, 概要)
    trailing = sum(header.sectionSize(c) for c in (COL_CHANGE, COL_ALIAS, COL_SUMMARY))
    assert w.grid.horizontalScrollBar().maximum() <= trailing


def test_the_grid_shows_enough_rows(laptop_window):
    grid = laptop_window.grid
    assert grid.viewport().height() // grid.rowHeight(0) >= MIN_GRID_ROWS


def test_the_forms_common_fields_show_without_scrolling(laptop_window):
    form = laptop_window.form
    assert form.detail is not None
    viewport = form.content_area.viewport()
    visible = QRect(QPoint(0, 0), viewport.size())
    common = [form.name, form.alias, form.status, form.divisions_line, *form.targets, form.summary, form.results]
    for widget in common:
        place = QRect(widget.mapTo(viewport, QPoint(0, 0)), widget.size())
        assert visible.contains(place), widget
    assert form.content_area.horizontalScrollBar().maximum() == 0
    # 概要 and 実績 show a few lines each
    lines = form.fontMetrics().lineSpacing()
    assert form.summary.viewport().height() >= lines * 3 and form.results.viewport().height() >= lines * 3


def test_target_headings_are_short_with_the_full_name_as_tooltip(laptop_window, qtbot, monkeypatch):
    from PySide6.QtGui import QHelpEvent
    from PySide6.QtWidgets import QToolTip

    header = laptop_window.grid.horizontalHeader()
    shown: list[str] = []
    monkeypatch.setattr(QToolTip, "showText", lambda _pos, text, *_args: shown.append(text))
    for column in TARGET_COLUMNS:
        option = QStyleOptionHeader()
        header.initStyleOptionForIndex(option, column)  # what the header paints
        full = TARGETS[column - TARGET_COLUMNS[0]]
        assert (option.text != full and len(option.text) < len(full)) or full == "親等"
        assert header.fontMetrics().horizontalAdvance(option.text) <= header.sectionSize(column)
        middle = QPoint(header.sectionViewportPosition(column) + header.sectionSize(column) // 2, 5)
        QApplication.sendEvent(
            header.viewport(), QHelpEvent(QHelpEvent.Type.ToolTip, middle, header.mapToGlobal(middle))
        )
    assert shown == list(TARGETS)


def test_the_column_menu_hides_and_brings_back_columns(laptop_window):
    grid = laptop_window.grid
    header = grid.horizontalHeader()
    menu = header.column_menu()
    titles = [a.text() for a in menu.actions() if a.isCheckable()]
    assert "事業・取組名称" not in titles and {"実績", "所管", "状態", *TARGETS} <= set(titles)
    results = next(a for a in menu.actions() if a.text() == "実績")
    results.trigger()
    assert header.isSectionHidden(COL_RESULTS)
    assert not next(a for a in header.column_menu().actions() if a.text() == "実績").isChecked()
    next(a for a in header.column_menu().actions() if a.text() == "列を最初の状態に戻す").trigger()
    assert not header.isSectionHidden(COL_RESULTS)


# --- dialogs ---------------------------------------------------------------------------


def _dialogs(window, tmp_path):
    from kodomo_desktop.core.queries import edition_settings
    from kodomo_desktop.ui.about_dialog import AboutDialog
    from kodomo_desktop.ui.compare_dialog import CompareDialog
    from kodomo_desktop.ui.conflict_dialog import ConflictDialog
    from kodomo_desktop.ui.coverage_dialog import CoverageDialog
    from kodomo_desktop.ui.issuer_dialog import IssuerDialog
    from kodomo_desktop.ui.master_dialog import MasterListDialog
    from kodomo_desktop.ui.restore_dialog import RestoreDialog
    from kodomo_desktop.ui.returns_import_dialog import ReturnsDialog
    from kodomo_desktop.ui.returns_overview_dialog import ReturnsOverview
    from kodomo_desktop.ui.targets_dialog import TargetsDialog

    db, year = window.db, window.fiscal_year
    conflict = Conflict(
        uid="P0001",
        name="事業",
        field="summary",
        theirs="相手の概要\n" * 60,
        user="someone",
        at="2025-01-01T00:00:00",
        source="cli",
        version=2,
    )
    return [
        AboutDialog(window),
        CompareDialog(db, window),
        ConflictDialog(conflict, "自分の概要\n" * 60, "元に戻す", window),
        CoverageDialog(db, year, window),
        IssuerDialog(window, "令和6年度", edition_settings(db, year)),
        MasterListDialog(db, window, submit=window.session.submit),
        RestoreDialog(db, window),
        ReturnsDialog(db, year, window, settings=window.settings),
        ReturnsOverview(db, year, window),
        TargetsDialog(window, list(TARGETS[:2])),
    ]


def test_no_dialog_is_larger_than_the_screens_free_area(laptop_window, qtbot, tmp_path):
    window = laptop_window
    for dialog in _dialogs(window, tmp_path):
        dialog.show()
        qtbot.waitExposed(dialog)
        area = dialog.screen().availableGeometry()
        assert area.contains(dialog.frameGeometry()), (type(dialog).__name__, dialog.frameGeometry(), area)
        dialog.close()


def test_content_taller_than_the_screen_scrolls_and_the_buttons_stay_in_view(qtbot):
    dialog = QDialog()
    qtbot.addWidget(dialog)
    layout = QVBoxLayout(dialog)
    fields = [QLineEdit(f"欄{i}") for i in range(80)]
    for field in fields:
        layout.addWidget(field)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    layout.addWidget(buttons)
    assert layout.totalMinimumSize().height() > dialog.screen().availableGeometry().height()
    fit_to_screen(dialog, 600, 2000)
    dialog.show()
    qtbot.waitExposed(dialog)
    area = dialog.screen().availableGeometry()
    assert area.contains(dialog.frameGeometry())
    scroller = dialog.findChild(QScrollArea)
    assert scroller is not None and scroller.verticalScrollBar().maximum() > 0
    qtbot.waitUntil(lambda: fields[-1].isVisibleTo(dialog))  # moved into the scroll area, still shown
    assert not scroller.isAncestorOf(buttons)
    inside = QRect(QPoint(0, 0), dialog.size())
    assert inside.contains(QRect(buttons.mapTo(dialog, QPoint(0, 0)), buttons.size()))


def test_a_small_dialog_keeps_its_own_size(qtbot):
    dialog = QDialog()
    qtbot.addWidget(dialog)
    layout = QVBoxLayout(dialog)
    layout.addWidget(QWidget())
    fit_to_screen(dialog, 300, 200)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert (dialog.width(), dialog.height()) == (300, 200)
    assert dialog.findChild(QScrollArea) is None


def test_the_forms_divisions_line_shows_the_division_and_leads_to_its_editor(laptop_window, qtbot):
    from kodomo_desktop.ui.program_form import TAB_PLACES

    w = laptop_window
    form = w.form
    row = w.grid.currentIndex().row()
    assert form.divisions_line.text() == w.grid_model.program(row).divisions
    qtbot.mouseClick(form.divisions_change, Qt.MouseButton.LeftButton)
    assert form.tabs.currentIndex() == TAB_PLACES
    qtbot.waitUntil(lambda: form.divisions.picker.hasFocus())
