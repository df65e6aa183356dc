"""Editing grid cells as in Excel: real key presses and clicks on the real window, values read back
from the database; a pasted block is checked whole before anything is written."""

from __future__ import annotations

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractItemView, QApplication, QComboBox, QLineEdit, QPlainTextEdit, QToolTip

from kodomo_desktop.core import operations as ops
from kodomo_desktop.core import queries
from kodomo_desktop.core.divisions import MasterList
from kodomo_desktop.core.errors import InvalidInput
from kodomo_desktop.core.interchange import export_document
from kodomo_desktop.core.queries import ProgramRow
from kodomo_desktop.core.targets import TARGETS
from kodomo_desktop.core.text import normalize_line, normalize_text, tick_value
from kodomo_desktop.core.vocabulary import PROGRAM_STATUSES
from kodomo_desktop.ui.cell_editors import DivisionsEdit
from kodomo_desktop.ui.conflict_dialog import Choice
from kodomo_desktop.ui.paste import read_block
from kodomo_desktop.ui.program_grid import (
    COL_ALIAS,
    COL_CHANGE,
    COL_DIVISIONS,
    COL_NAME,
    COL_RESULTS,
    COL_SUMMARY,
    HEADERS,
    TARGET_COLUMNS,
)
from kodomo_desktop.ui.tsv import format_block, parse_block
from tests.helpers import colleague_changes_p0001, program_id, settle, shown_window
from tests.test_ui_window import choose, type_text

EDITING = QAbstractItemView.State.EditingState
ClearAndSelect = QItemSelectionModel.SelectionFlag.ClearAndSelect
CTRL = Qt.KeyboardModifier.ControlModifier


def stored(db, uid: str):
    return queries.program_detail(db, program_id(db, uid))


def at_cell(qtbot, window, row: int, column: int):
    """All programs listed, the cell current, the grid focused: as after clicking the cell."""
    choose(window, "すべての事業")
    grid = window.grid
    grid.selectionModel().setCurrentIndex(window.grid_model.index(row, column), ClearAndSelect)
    grid.setFocus()
    qtbot.waitUntil(grid.hasFocus)
    return grid


def ctrl_v(qtbot, grid, text: str) -> None:
    """Text put on the clipboard (as Excel puts a block there), pasted with Ctrl+V at the grid's cursor."""
    QGuiApplication.clipboard().setText(text)
    qtbot.keyClick(grid, Qt.Key.Key_V, CTRL)


def editor_of(qtbot, grid):
    qtbot.waitUntil(lambda: grid.state() == EDITING)
    editor = QApplication.focusWidget()
    assert editor is not None and editor is not grid
    return editor


def test_f2_keeps_the_name_enter_commits_it_moves_down_and_ctrl_z_restores(qtbot, window, sample_db):
    grid = at_cell(qtbot, window, 0, COL_NAME)
    qtbot.keyClick(grid, Qt.Key.Key_F2)
    editor = editor_of(qtbot, grid)
    assert isinstance(editor, QLineEdit)
    assert editor.text() == "児童の権利に関する条約の普及啓発" and editor.cursorPosition() == len(editor.text())
    assert not editor.hasSelectedText()
    type_text(editor, "（改）")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: stored(sample_db, "P0001").name == "児童の権利に関する条約の普及啓発（改）")
    settle(qtbot, window)
    assert grid.state() != EDITING
    assert (grid.currentIndex().row(), grid.currentIndex().column()) == (1, COL_NAME)
    assert window.grid_model.program(0).name.endswith("（改）")
    assert window.session.stack.count() == 1
    qtbot.keyClick(grid, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: stored(sample_db, "P0001").name == "児童の権利に関する条約の普及啓発")
    settle(qtbot, window)
    qtbot.keyClick(grid, Qt.Key.Key_F2)
    qtbot.keyClick(editor_of(qtbot, grid), Qt.Key.Key_Return, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: grid.state() != EDITING)
    assert grid.currentIndex().row() == 0  # Shift+Enter moves up; the unchanged cell wrote nothing
    assert window.session.stack.index() == 0 and window.session.stack.count() == 1


def test_typing_replaces_the_cell_and_tab_commits_and_moves_right(qtbot, window, sample_db):
    grid = at_cell(qtbot, window, 1, COL_ALIAS)  # P0002, alias ジョブカフェ
    qtbot.keyClick(grid, "J")
    editor = editor_of(qtbot, grid)
    qtbot.keyClicks(editor, "ob")
    assert editor.text() == "Job"  # the first key replaced the cell, as in Excel
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: stored(sample_db, "P0002").alias == "Job")
    assert grid.currentIndex().column() == COL_SUMMARY and grid.currentIndex().row() == 1
    assert grid.hasFocus() and grid.state() != EDITING
    qtbot.keyClick(grid, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert grid.currentIndex().column() == COL_ALIAS


def test_typing_through_the_input_method_starts_editing_too(qtbot, window, sample_db):
    grid = at_cell(qtbot, window, 2, COL_NAME)  # ちびっこ広場
    # as an IME types: the composition starts at the grid (which opens the editor), then is committed
    type_text(grid, "", preedit="ちびっこ")
    type_text(grid, "ちびっ子")
    editor = editor_of(qtbot, grid)
    assert editor.text() == "ちびっ子"
    type_text(editor, "広場")
    qtbot.keyClick(editor, Qt.Key.Key_Enter)  # the keypad's Enter commits as Return does
    qtbot.waitUntil(lambda: stored(sample_db, "P0003").name == "ちびっ子広場")
    assert grid.currentIndex().row() == 2  # the last row: Enter stays there


def test_escape_cancels_the_edit_and_writes_nothing(qtbot, window, sample_db):
    before = export_document(sample_db, 2024)
    grid = at_cell(qtbot, window, 2, COL_SUMMARY)
    qtbot.keyClick(grid, Qt.Key.Key_F2)
    editor = editor_of(qtbot, grid)
    type_text(editor, "書きかけ")
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: grid.state() != EDITING)
    assert export_document(sample_db, 2024) == before
    assert window.session.stack.count() == 0
    assert grid.currentIndex().row() == 2


def test_alt_enter_breaks_the_line_of_a_results_cell_and_enter_commits(qtbot, window, sample_db):
    grid = at_cell(qtbot, window, 0, COL_RESULTS)
    qtbot.keyClick(grid, Qt.Key.Key_F2)
    editor = editor_of(qtbot, grid)
    assert isinstance(editor, QPlainTextEdit) and editor.toPlainText() == "ガイドブック 3,000部"
    qtbot.keyClick(editor, Qt.Key.Key_Return, Qt.KeyboardModifier.AltModifier)
    type_text(editor, "増刷 500部")
    assert grid.state() == EDITING
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: stored(sample_db, "P0001").results == "ガイドブック 3,000部\n増刷 500部")
    settle(qtbot, window)
    assert grid.currentIndex().row() == 1
    assert window.grid_model.data(window.grid_model.index(0, COL_RESULTS)) == "ガイドブック 3,000部 ⏎ 増刷 500部"


def test_double_click_starts_editing_a_summary(qtbot, window, sample_db):
    grid = at_cell(qtbot, window, 2, COL_NAME)
    grid.scrollTo(window.grid_model.index(2, COL_SUMMARY))
    rect = grid.visualRect(window.grid_model.index(2, COL_SUMMARY))
    # a real double click: press and release, then the double click (QTest sends only the last)
    qtbot.mouseClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(grid.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    editor = editor_of(qtbot, grid)
    assert editor.toPlainText() == "空地利用の遊び場を設置する。"
    type_text(editor, "年2回点検する。")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: stored(sample_db, "P0003").summary == "空地利用の遊び場を設置する。年2回点検する。")


def test_divisions_cell_completes_from_the_master_list_and_takes_two(qtbot, window, sample_db):
    grid = at_cell(qtbot, window, 0, COL_DIVISIONS)  # P0001: 子育て支援部 子育て支援課
    qtbot.keyClick(grid, Qt.Key.Key_F2)
    editor = editor_of(qtbot, grid)
    assert isinstance(editor, DivisionsEdit)
    type_text(editor, "、")
    type_text(editor, "おやこ")
    popup = editor.completer.popup()
    qtbot.waitUntil(popup.isVisible)
    assert editor.completer.currentCompletion() == "子育て支援部 おやこ応援課"
    # the open popup has the keyboard, as it has for a user
    qtbot.keyClick(popup, Qt.Key.Key_Down)
    qtbot.keyClick(popup, Qt.Key.Key_Return)
    assert editor.toPlainText() == "子育て支援部 子育て支援課、子育て支援部 おやこ応援課"
    assert grid.state() == EDITING  # Enter chose the entry; it did not commit
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: (
            stored(sample_db, "P0001").divisions == (("子育て支援部", "子育て支援課"), ("子育て支援部", "おやこ応援課"))
        )
    )
    settle(qtbot, window)
    assert window.grid_model.program(0).divisions == "子育て支援部 子育て支援課、おやこ応援課"
    qtbot.keyClick(grid, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: stored(sample_db, "P0001").divisions == (("子育て支援部", "子育て支援課"),))


def press(qtbot, editor, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """A key as a user presses it: an open completer popup has the keyboard."""
    popup = editor.completer.popup()
    qtbot.keyClick(popup if popup.isVisible() else editor, key, modifier)


def test_divisions_one_per_line(qtbot, window, sample_db):
    grid = at_cell(qtbot, window, 2, COL_DIVISIONS)  # P0003: 選挙管理委員会事務局
    qtbot.keyClick(grid, Qt.Key.Key_F2)
    editor = editor_of(qtbot, grid)
    editor.selectAll()
    type_text(editor, "子育て支援課")
    assert editor.completer.popup().isVisible()
    press(qtbot, editor, Qt.Key.Key_Escape)  # closes the popup, not the editor
    assert grid.state() == EDITING and not editor.completer.popup().isVisible()
    press(qtbot, editor, Qt.Key.Key_Return, Qt.KeyboardModifier.AltModifier)
    type_text(editor, "選挙管理委員会事務局")
    press(qtbot, editor, Qt.Key.Key_Escape)
    assert editor.toPlainText() == "子育て支援課\n選挙管理委員会事務局"
    press(qtbot, editor, Qt.Key.Key_Return)
    both = (("子育て支援部", "子育て支援課"), ("選挙管理委員会事務局", None))
    qtbot.waitUntil(lambda: stored(sample_db, "P0003").divisions == both)


def test_an_unknown_division_is_refused_with_candidates_and_the_editor_stays(qtbot, window, sample_db):
    before = export_document(sample_db, 2024)
    grid = at_cell(qtbot, window, 0, COL_DIVISIONS)
    qtbot.keyClick(grid, Qt.Key.Key_F2)
    editor = editor_of(qtbot, grid)
    editor.selectAll()
    type_text(editor, "おやか応援課")
    assert not editor.completer.popup().isVisible()
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    message = window.statusBar().currentMessage()
    assert "所管「おやか応援課」は所管の一覧にありません（候補: 子育て支援部 おやこ応援課）" in message
    assert "1行目（P0001）の 所管" in message
    assert QToolTip.text() == message
    assert grid.state() == EDITING and editor.toPlainText() == "おやか応援課"
    qtbot.keyClick(editor, Qt.Key.Key_Tab)  # Tab is refused too
    assert grid.state() == EDITING
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: grid.state() != EDITING)
    assert export_document(sample_db, 2024) == before and window.session.stack.count() == 0


def test_change_kind_is_chosen_from_the_list(qtbot, window, sample_db):
    grid = at_cell(qtbot, window, 0, COL_CHANGE)
    assert window.grid_model.data(grid.currentIndex()) == "継続"
    qtbot.keyClick(grid, Qt.Key.Key_F2)
    editor = editor_of(qtbot, grid)
    assert isinstance(editor, QComboBox)
    assert [editor.itemText(i) for i in range(editor.count())] == list(PROGRAM_STATUSES)
    assert editor.currentText() == "継続"
    qtbot.keyClick(editor, Qt.Key.Key_Down)
    assert editor.currentText() == "新規"
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: stored(sample_db, "P0001").status == "新規")
    settle(qtbot, window)
    assert window.grid_model.data(window.grid_model.index(0, COL_CHANGE)) == "新規"
    qtbot.keyClick(grid, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: stored(sample_db, "P0001").status == "継続")


def test_an_emptied_name_is_refused(qtbot, window, sample_db, messages):
    before = export_document(sample_db, 2024)
    grid = at_cell(qtbot, window, 1, COL_NAME)
    qtbot.keyClick(grid, Qt.Key.Key_F2)
    editor = editor_of(qtbot, grid)
    editor.clear()
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    assert "2行目（P0002）の 事業・取組名称が空です" in window.statusBar().currentMessage()
    assert grid.state() == EDITING
    qtbot.keyClick(editor, Qt.Key.Key_Escape)
    assert export_document(sample_db, 2024) == before


def test_back_to_editing_after_a_conflict_reopens_the_cell_with_the_typed_text(qtbot, window, sample_db, dialogs):
    shown, answer = dialogs
    answer[0] = Choice.BACK
    colleague_changes_p0001(sample_db, "ops.update_program(db, pid, {'name': '同僚の名称'})")
    grid = at_cell(qtbot, window, 0, COL_NAME)
    qtbot.keyClick(grid, Qt.Key.Key_F2)
    editor = editor_of(qtbot, grid)
    type_text(editor, "（窓）")
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: grid.state() == EDITING and grid.currentIndex().row() == 0)
    assert len(shown) == 1 and "P0001" in shown[0].message.text()
    assert QApplication.focusWidget().text() == "児童の権利に関する条約の普及啓発（窓）"
    assert stored(sample_db, "P0001").name == "同僚の名称" and window.session.stack.count() == 0


def test_a_published_edition_refuses_cell_edits(qtbot, sample_db, settings, messages):
    ops.publish(sample_db, 2024)
    w = shown_window(qtbot, sample_db, settings)
    grid = at_cell(qtbot, w, 0, COL_NAME)
    qtbot.keyClick(grid, Qt.Key.Key_F2)
    qtbot.waitUntil(lambda: bool(messages))
    assert messages[0] == "この年度版は公開済みのため変更できません（読み取り専用）。"
    qtbot.keyClick(grid, Qt.Key.Key_A)
    assert grid.state() != EDITING
    assert stored(sample_db, "P0001").name == "児童の権利に関する条約の普及啓発"


# --- Tab leaves the grid -------------------------------------------------------------------


def test_tab_walks_a_row_and_leaves_the_grid_after_the_last_column(qtbot, window):
    grid = at_cell(qtbot, window, 0, len(HEADERS) - 2)
    qtbot.keyClick(grid, Qt.Key.Key_Tab)
    assert grid.hasFocus() and grid.currentIndex().column() == len(HEADERS) - 1
    qtbot.keyClick(grid, Qt.Key.Key_Tab)
    assert not grid.hasFocus() and not grid.isAncestorOf(QApplication.focusWidget())
    assert grid.currentIndex().row() == 0  # no wrap to the next row


def test_tab_from_an_editor_in_the_last_column_commits_and_leaves(qtbot, window, sample_db):
    grid = at_cell(qtbot, window, 0, len(HEADERS) - 1)
    assert len(HEADERS) - 1 == COL_SUMMARY
    qtbot.keyClick(grid, Qt.Key.Key_F2)
    editor = editor_of(qtbot, grid)
    type_text(editor, "追記")
    qtbot.keyClick(editor, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: stored(sample_db, "P0001").summary.endswith("追記"))
    assert QApplication.focusWidget() is not grid and not grid.isAncestorOf(QApplication.focusWidget())


def test_ctrl_tab_leaves_the_grid_from_any_cell(qtbot, window):
    grid = at_cell(qtbot, window, 1, COL_NAME)
    qtbot.keyClick(grid, Qt.Key.Key_Tab, CTRL)
    assert not grid.hasFocus()
    grid = at_cell(qtbot, window, 1, COL_NAME)
    qtbot.keyClick(grid, Qt.Key.Key_Backtab, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert not grid.hasFocus()


# --- paste and copy -----------------------------------------------------------------------


def test_paste_a_three_by_two_block_into_text_columns_is_one_undo_step(qtbot, window, sample_db):
    before = export_document(sample_db, 2024)
    grid = at_cell(qtbot, window, 0, COL_ALIAS)
    ctrl_v(qtbot, grid, format_block([["権利", "冊子で　周知"], ["", "相談\r\nセミナー"], ["ちびっこ", "遊び場"]]))
    qtbot.waitUntil(lambda: stored(sample_db, "P0003").summary == "遊び場")
    settle(qtbot, window)
    assert [(stored(sample_db, uid).alias, stored(sample_db, uid).summary) for uid in ("P0001", "P0002", "P0003")] == [
        ("権利", "冊子で 周知"),  # normalized as every text field is
        (None, "相談\nセミナー"),
        ("ちびっこ", "遊び場"),
    ]
    assert window.session.stack.count() == 1
    assert window.session.stack.undoText() == "貼り付け（3件）"
    qtbot.keyClick(grid, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(lambda: export_document(sample_db, 2024) == before)


def test_paste_ticks_text_and_divisions_together(qtbot, window, sample_db):
    grid = at_cell(qtbot, window, 1, TARGET_COLUMNS[-1])  # P0002 at 親等, then 実績 and 所管
    ctrl_v(qtbot, grid, "○\t相談 1,500人\t子育て支援課、おやこ応援課\r\n")
    qtbot.waitUntil(lambda: stored(sample_db, "P0002").results == "相談 1,500人")
    settle(qtbot, window)
    p = stored(sample_db, "P0002")
    assert p.divisions == (("子育て支援部", "子育て支援課"), ("子育て支援部", "おやこ応援課"))
    assert p.targets == 1 << TARGETS.index("18歳超") | 1 << TARGETS.index("親等")
    assert window.session.stack.count() == 1


def test_a_bad_value_refuses_the_whole_paste_naming_the_cell(qtbot, window, sample_db, messages):
    before = export_document(sample_db, 2024)
    grid = at_cell(qtbot, window, 0, COL_CHANGE)
    ctrl_v(qtbot, grid, "新規\t新しい通称\r\n終了\t\r\n継読\tちび\r\n")
    qtbot.waitUntil(lambda: bool(messages))
    assert messages[0].startswith(
        "3行目（P0003）の 変更区分「継読」は選べません。継続・新規・終了のどれかにしてください。"
    )
    assert "何も変更していません" in messages[0]
    assert export_document(sample_db, 2024) == before and window.session.stack.count() == 0


def test_a_paste_beyond_the_last_row_or_into_the_state_column_is_refused(qtbot, window, sample_db, messages):
    before = export_document(sample_db, 2024)
    grid = at_cell(qtbot, window, 2, COL_ALIAS)
    ctrl_v(qtbot, grid, "a\r\nb\r\n")
    qtbot.waitUntil(lambda: bool(messages))
    assert "最後の行を越えています（1行分）" in messages[0]
    grid = at_cell(qtbot, window, 0, HEADERS.index("状態"))
    ctrl_v(qtbot, grid, "要確認")
    qtbot.waitUntil(lambda: len(messages) == 2)
    assert "「状態」の列には貼り付けられません" in messages[1]
    assert export_document(sample_db, 2024) == before


def test_copy_and_paste_back_a_block_round_trips(qtbot, window, sample_db, messages):
    before = export_document(sample_db, 2024)
    grid = at_cell(qtbot, window, 0, COL_NAME)
    model, selection = window.grid_model, grid.selectionModel()
    # two corners: the block is the rectangle around the selection
    selection.select(model.index(2, COL_SUMMARY), selection.SelectionFlag.Select)
    qtbot.keyClick(grid, Qt.Key.Key_C, CTRL)
    text = QGuiApplication.clipboard().text()
    assert '"・相談\n・セミナー"' in text  # a multi-line cell is quoted, as Excel does
    assert "\t要確認\t" in text  # 状態 (P0002), shown only: pasted back, it is left as it is
    grid = at_cell(qtbot, window, 0, COL_NAME)
    qtbot.keyClick(grid, Qt.Key.Key_V, CTRL)
    assert export_document(sample_db, 2024) == before  # every value is what it was: nothing to write
    assert window.session.stack.count() == 0 and not messages
    ctrl_v(qtbot, grid, text.replace("\t要確認\t", "\t確認済み\t"))
    qtbot.waitUntil(lambda: bool(messages))
    assert "「状態」の列には貼り付けられません" in messages[0]


# --- the block reader on its own -----------------------------------------------------------

MASTER = MasterList(
    (("子育て支援部", "子育て支援課"), ("子育て支援部", "おやこ応援課"), ("選挙管理委員会事務局", None))
)
ROWS = [
    ProgramRow(
        i, f"P000{i}", f"名称{i}", None, "概要", "実績", 0b1, "継続", False, "子育て支援部 子育て支援課", (), (), 1
    )
    for i in range(1, 4)
]


def shown(row: int, column: int) -> str:
    return "要確認" if column == HEADERS.index("状態") else str(row + 1)


cell_text = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["○", "〇", "1", "true", "", "×", "継続", "新規", "継読", "子育て支援課、おやこ応援課", "課", '"']),
)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(cell_text, min_size=1, max_size=4), min_size=1, max_size=4),
    st.integers(0, 2),
    st.integers(0, len(HEADERS) - 1),
)
def test_a_block_is_either_written_whole_with_valid_values_or_refused(cells, top, left):
    try:
        writes = read_block(cells, top, left, len(ROWS), ROWS.__getitem__, shown, lambda: MASTER, lambda _uid: ())
    except InvalidInput as exc:
        assert exc.message.endswith("何も変更していません。")
        return
    for (_uid, field), (_old, new) in writes.fields.items():
        if field == "name":
            assert new and "\n" not in new
        if field == "status":
            assert new in PROGRAM_STATUSES
    for _old, new in writes.divisions.values():
        assert all(pair in MASTER.known for pair in new)
    for old, new in writes.masks.values():
        assert old != new and 0 <= new < 1 << len(TARGETS)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.text(alphabet="○1 \t\r\n継続新規終了読課子育て支援", max_size=30),
    st.sampled_from(sorted({COL_CHANGE, *TARGET_COLUMNS})),
)
@example("新規\t通称\t概要\r\n終了\r\n", COL_CHANGE)  # written whole
@example("○\t1\r\n\t○\r\n継続\t○\r\n", TARGET_COLUMNS[0])  # refused whole at its last row
def test_any_clipboard_text_is_pasted_whole_or_not_at_all(qtbot, window, sample_db, text, left):
    """Whatever is pasted, the database holds either every value of the block or none of them."""
    choose(window, "すべての事業")
    before = export_document(sample_db, 2024)
    steps = window.session.stack.count()
    failures: list[str] = []
    window.session.failed.connect(failures.append)
    window.grid.setCurrentIndex(window.grid_model.index(0, left))
    QGuiApplication.clipboard().setText(text)
    window.grid.paste()
    settle(qtbot, window)
    window.session.failed.disconnect(failures.append)
    after = export_document(sample_db, 2024)
    if failures:
        assert after == before and window.session.stack.count() == steps
        return
    model = window.grid_model
    for r, line in enumerate(parse_block(text)):
        for c, value in enumerate(line):
            assert model.cell_text(r, left + c) == _expected(left + c, value)
    if window.session.stack.count() > steps:
        window.session.undo()
        settle(qtbot, window)
        assert export_document(sample_db, 2024) == before


def _expected(column: int, value: str) -> str:
    if column in TARGET_COLUMNS:
        return "○" if tick_value(value) else ""
    return normalize_text(value) if column == COL_SUMMARY else normalize_line(value)
