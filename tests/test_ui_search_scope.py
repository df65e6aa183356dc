"""The search says what it searches: the scope toggle, the hits in both scopes, and the form
following the grid, on the seeded FY2024 edition (「相談」: 1 program in 個別施策2
「こどもや若者への切れ目のない保健・医療の提供」, 32 in the whole edition)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from kodomo_desktop.ui.program_grid import COL_NAME
from tests.helpers import shown_window
from tests.test_ui_window import choose, type_text

MEASURE = "こどもや若者への切れ目のない保健・医療の提供"


@pytest.fixture
def window(qtbot, seeded_db, settings, messages):
    return shown_window(qtbot, seeded_db, settings)


def uids(window) -> list[str]:
    model = window.grid_model
    return [model.program(r).uid for r in range(model.rowCount())]


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_counts_in_both_scopes_and_the_toggle_searches_everything(qtbot, window):
    bar = window.search_bar
    choose(window, MEASURE)
    listed = window.grid_model.rowCount()
    assert bar.here.text() == "この個別施策"
    type_text(window.search, "相談")
    assert window.grid_model.rowCount() == 1  # at once: the grid filters on each keystroke
    qtbot.waitUntil(lambda: bar.counts.text() == "この個別施策: 1件 / すべての事業: 32件")
    click(qtbot, bar.everywhere)
    assert window.grid_model.rowCount() == 32
    assert window.scope_label.text() == "すべての事業から検索"
    assert window.navigator.current_scope() == window.scope  # the tree keeps its node
    assert bar.counts.text() == "この個別施策: 1件 / すべての事業: 32件"
    window.search.clear()  # nothing to find: the grid lists the node again
    assert window.grid_model.rowCount() == listed
    qtbot.waitUntil(lambda: bar.counts.text() == "")
    type_text(window.search, "相談")
    assert window.grid_model.rowCount() == 32  # the toggle stays on すべての事業
    click(qtbot, bar.here)
    assert window.grid_model.rowCount() == 1


def test_the_toggle_names_any_node_and_is_off_on_all_programs(qtbot, window):
    bar = window.search_bar
    choose(window, "要確認")
    assert bar.here.text() == "要確認の事業" and bar.here.isEnabled() and bar.here.isVisible()
    type_text(window.search, "相談")
    qtbot.waitUntil(lambda: bar.counts.text().startswith("要確認の事業: "))
    assert bar.counts.text().endswith(" / すべての事業: 32件")
    choose(window, "すべての事業")
    # nothing narrower to offer: one disabled すべての事業, not two buttons of that name
    assert not bar.here.isVisible() and bar.everywhere.isVisible() and not bar.everywhere.isEnabled()
    qtbot.waitUntil(lambda: bar.counts.text() == "すべての事業: 32件")
    choose(window, "要確認")
    assert bar.here.isVisible() and bar.here.isEnabled()


def test_the_form_does_not_show_a_program_the_search_hides(qtbot, window):
    choose(window, MEASURE)
    type_text(window.search, "相談")
    found = uids(window)[0]
    window.search.clear()
    hidden = next(uid for uid in uids(window) if uid != found)
    window.grid.select_row(uids(window).index(hidden), COL_NAME)
    assert window.form.detail.uid == hidden
    type_text(window.search, "相談")
    assert window.form.detail is None  # no program shown as current
    assert window.form.stack.currentWidget() is window.form.empty
    assert hidden in window.form.empty.text()
    assert not window.grid.currentIndex().isValid()
    window.search.clear()  # shown again: chosen again
    assert window.form.detail.uid == hidden
    assert window.grid_model.program(window.grid.currentIndex().row()).uid == hidden


def test_counts_wait_for_a_pause_in_the_typing(qtbot, window):
    bar = window.search_bar
    choose(window, MEASURE)
    type_text(window.search, "相")
    type_text(window.search, "談")
    assert bar.counts.text() == ""  # not counted per keystroke
    qtbot.waitUntil(lambda: bar.counts.text() != "")
    assert bar.counts.text() == "この個別施策: 1件 / すべての事業: 32件"
