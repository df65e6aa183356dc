"""The window driven from the keyboard: real key presses on the real window (offscreen).

Ctrl+Z / Ctrl+Y from inside a form text box undo the window's last step (the typing is handed
in first), the 編集 menu names the step, the history list steps back through the session,
F6 / Shift+F6 cycle the panes, Alt+letter reaches each form field and Ctrl+F the search box.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from tests.helpers import settle
from tests.test_ui_window import choose, program, type_text

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier
SUMMARY = "子育てガイドブックに概要を掲載し、普及啓発に努める。"


def press(qtbot, key: Qt.Key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """A key pressed where the focus is, as a user presses it."""
    focus = QApplication.focusWidget()
    assert focus is not None
    qtbot.keyClick(focus, key, modifier)


def focused(widget) -> bool:
    return QApplication.focusWidget() is widget


@pytest.fixture
def first(qtbot, window):
    """The window with P0001 chosen and the window active (shortcuts need an active window)."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    choose(window, "すべての事業")
    window.grid.select_row(0)
    assert window.form.detail.uid == "P0001"
    return window


def test_ctrl_z_in_the_summary_box_hands_the_typing_in_then_undoes_it(qtbot, first, sample_db):
    form = first.form
    form.focus_field("summary")
    form.summary.moveCursor(form.summary.textCursor().MoveOperation.End)
    type_text(form.summary, "追記")
    assert program(sample_db, "P0001")["summary"] == SUMMARY  # still being typed: not written yet
    press(qtbot, Qt.Key.Key_Z, CTRL)
    # handed in as one step and undone: the database and the box hold the old text
    qtbot.waitUntil(lambda: first.session.stack.index() == 0 and first.session.stack.count() == 1)
    qtbot.waitUntil(lambda: form.summary.toPlainText() == SUMMARY)  # the views follow the broadcast
    assert program(sample_db, "P0001")["summary"] == SUMMARY
    assert focused(form.summary)
    assert first.act.redo.text() == "やり直す: 概要の変更（P0001）"
    press(qtbot, Qt.Key.Key_Y, CTRL)
    qtbot.waitUntil(lambda: program(sample_db, "P0001")["summary"] == SUMMARY + "追記")
    qtbot.waitUntil(lambda: form.summary.toPlainText() == SUMMARY + "追記")
    assert first.act.undo.text() == "元に戻す: 概要の変更（P0001）"
    press(qtbot, Qt.Key.Key_Z, CTRL | SHIFT)  # nothing to redo: the box's own redo does not run either
    assert form.summary.toPlainText() == SUMMARY + "追記"


def test_ctrl_z_in_the_name_box_restores_the_stored_name(qtbot, first, sample_db):
    form = first.form
    old = program(sample_db, "P0001")["name"]
    form.name.setFocus()
    form.name.selectAll()
    qtbot.keyClicks(form.name, "New name")
    press(qtbot, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: first.session.stack.count() == 1 and first.session.stack.index() == 0)
    assert program(sample_db, "P0001")["name"] == old
    assert form.name.text() == old
    assert first.act.redo.text() == "やり直す: 事業・取組名称の変更（P0001）"


def test_ctrl_z_from_the_grid_and_the_menu_names_the_step(qtbot, first, sample_db):
    first.grid.setFocus()
    first.grid.setCurrentIndex(first.grid_model.index(0, 2))  # 妊婦等
    before = program(sample_db, "P0001")["targets"]
    press(qtbot, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: program(sample_db, "P0001")["targets"] != before)
    settle(qtbot, first)  # the step is on the stack once its write is back
    assert first.act.undo.text().startswith("元に戻す: 妊婦等を")
    assert first.act.undo.text().endswith("（P0001）")
    assert first.act.undo.iconText() == "元に戻す"  # the toolbar button stays short
    press(qtbot, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: program(sample_db, "P0001")["targets"] == before)
    settle(qtbot, first)
    assert first.act.undo.text() == "元に戻す"


def test_history_list_steps_back_and_forth_through_the_session(qtbot, first, sample_db):
    form = first.form
    for text in ("one", "two", "three"):
        form.focus_field("alias")
        form.alias.selectAll()
        qtbot.keyClicks(form.alias, text)
        form.name.setFocus()  # leaving the field hands it in
    qtbot.waitUntil(lambda: first.session.stack.count() == 3)
    first.act.history.trigger()
    history = first.history_dock.widget()
    assert history.isVisible()
    assert [history.item(i).text() for i in range(history.count())] == [
        "（編集を始める前）",
        *["通称の変更（P0001）"] * 3,
    ]
    clicked = []
    first.session.commit_requested.connect(lambda: clicked.append(True))  # the session's path, not setIndex
    rect = history.visualItemRect(history.item(1))
    qtbot.mouseClick(history.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: first.session.stack.index() == 1)
    assert program(sample_db, "P0001")["alias"] == "one"
    assert len(clicked) == 2  # two undo steps, each through EditSession.undo
    assert history.item(3).text() == "通称の変更（P0001）（取り消し済み）"
    rect = history.visualItemRect(history.item(3))
    qtbot.mouseClick(history.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: first.session.stack.index() == 3)
    assert program(sample_db, "P0001")["alias"] == "three"
    rect = history.visualItemRect(history.item(0))
    qtbot.mouseClick(history.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: first.session.stack.index() == 0)
    assert program(sample_db, "P0001")["alias"] is None


def test_f6_cycles_tree_grid_form_findings_and_shift_f6_goes_back(qtbot, first):
    qtbot.waitUntil(lambda: first.findings is not None)
    first.navigator.view.setFocus()
    order = [first.grid, first.form.name, first.findings.table, first.navigator.view]
    for widget in order:
        press(qtbot, Qt.Key.Key_F6)
        assert focused(widget), QApplication.focusWidget()
    for widget in [first.findings.table, first.form.name, first.grid, first.navigator.view]:
        press(qtbot, Qt.Key.Key_F6, SHIFT)
        assert focused(widget), QApplication.focusWidget()


def test_f6_returns_to_the_field_last_edited_and_passes_over_a_hidden_pane(qtbot, first):
    qtbot.waitUntil(lambda: first.findings is not None)
    first.form.summary.setFocus()
    first.navigator.view.setFocus()
    press(qtbot, Qt.Key.Key_F6)
    press(qtbot, Qt.Key.Key_F6)
    assert focused(first.form.summary)
    first.act.findings.setChecked(False)  # the validation panel closed
    press(qtbot, Qt.Key.Key_F6)
    assert focused(first.navigator.view)
    first.search.setFocus()  # the search box sits just before the grid
    press(qtbot, Qt.Key.Key_F6)
    assert focused(first.grid)
    first.search.setFocus()
    press(qtbot, Qt.Key.Key_F6, SHIFT)
    assert focused(first.navigator.view)


@pytest.mark.parametrize(
    ("letter", "field"),
    [
        (Qt.Key.Key_N, "name"),
        (Qt.Key.Key_A, "alias"),
        (Qt.Key.Key_K, "status"),
        (Qt.Key.Key_G, "summary"),
        (Qt.Key.Key_J, "results"),
        (Qt.Key.Key_M, "review_notes"),
    ],
)
def test_alt_letter_focuses_the_form_field(qtbot, first, letter, field):
    first.grid.setFocus()
    press(qtbot, letter, ALT)
    assert focused(getattr(first.form, field))


def test_form_labels_show_their_letter(first):
    from PySide6.QtWidgets import QLabel

    labels = {label.text(): label.buddy() for label in first.form.findChildren(QLabel) if label.buddy()}
    assert labels["事業・取組名称(&N)"] is first.form.name
    assert labels["実績（令和6年度）(&J)"] is first.form.results
    assert labels["対象(&T)"] is first.form.targets[0]


def test_ctrl_f_focuses_the_search_box_with_its_text_selected(qtbot, first):
    first.search.setText("相談")
    first.grid.setFocus()
    press(qtbot, Qt.Key.Key_F, CTRL)
    assert focused(first.search)
    assert first.search.selectedText() == "相談"


def test_tab_walks_the_form_fields_in_order(qtbot, first):
    form = first.form
    form.name.setFocus()
    expected = [form.alias, form.status, form.divisions_change, *form.targets, form.summary, form.results]
    assert not form.previous_results.isVisible()  # no previous edition: nothing to read there
    expected += [form.needs_review, form.review_notes]
    walked = []
    for _ in expected:
        press(qtbot, Qt.Key.Key_Tab)
        walked.append(QApplication.focusWidget())
    assert walked == expected


def test_tab_goes_from_the_search_box_over_the_toggle_to_the_grid(qtbot, first):
    choose(first, "権利の普及")  # a measure: the toggle has two scopes to choose from
    first.search.setFocus()
    press(qtbot, Qt.Key.Key_Tab)
    assert focused(first.search_bar.here)  # the chosen one of the two
    press(qtbot, Qt.Key.Key_Right)  # the arrow keys switch the scope, as radio buttons do
    assert first.search_bar.everywhere.isChecked()
    press(qtbot, Qt.Key.Key_Tab)
    assert focused(first.grid)


def test_ctrl_z_with_no_widget_focused_undoes_the_step_still_being_written(qtbot, first, sample_db):
    """A click on a control that takes no focus can leave none focused: the keys then go to the window,
    and an undo pressed while the step's write is still running follows it."""
    from threading import Event

    from kodomo_desktop.ui.undo_commands import EditField

    QApplication.focusWidget().clearFocus()
    assert QApplication.focusWidget() is None
    held = Event()
    first.session.submit(held.wait, lambda _value: None)  # the write thread is busy with an earlier write
    try:
        first.session.push(EditField(first.session, "P0001", "alias", program(sample_db, "P0001")["alias"], "別名"))
        assert first.session.stack.count() == 0 and not first.act.undo.isEnabled()  # not on the stack yet
        qtbot.keyClick(first, Qt.Key.Key_Z, CTRL)
    finally:
        held.set()
    settle(qtbot, first)
    assert first.session.stack.count() == 1 and first.session.stack.index() == 0  # written, then undone
    assert program(sample_db, "P0001")["alias"] != "別名"
