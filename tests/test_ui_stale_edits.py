"""The first write of an edit never overwrites what another process changed since the window read
the program: typing over a newer value asks with the conflict dialog, and each choice does what it
says. A write waiting for another process's write lock says so in the status bar."""

from __future__ import annotations

import sqlite3
import threading

import pytest
from PySide6.QtCore import Qt

from kodomo_desktop.core import operations as ops
from kodomo_desktop.core.interchange import export_document
from kodomo_desktop.ui.conflict_dialog import Choice
from kodomo_desktop.ui.op_runner import WAITING
from kodomo_desktop.ui.program_grid import TARGET_COLUMNS
from tests.helpers import (
    COLLEAGUE,
    colleague_changes_p0001,
    program_id,
    recorded_user,
    settle,
    type_at_end_and_leave,
)

pytest.importorskip("pytestqt")

THEIRS = "コマンドの実績"
TYPED = " memo 2"  # key presses of QTest are ASCII only


@pytest.fixture(autouse=True)
def not_refreshed_yet(window):
    """Each edit here races a change the window has not read yet: its live refresh (test_live_refresh.py) waits."""
    window.live.timer.stop()


def results(db) -> str:
    return next(p for p in export_document(db, 2024)["programs"] if p["id"] == "P0001")["results"]


def targets(db) -> list:
    return next(p for p in export_document(db, 2024)["programs"] if p["id"] == "P0001")["targets"]


def cli_changes_results(db) -> None:
    """Another process, run as another user, changes P0001's 実績 while the window is open."""
    colleague_changes_p0001(db, f"ops.update_program(db, pid, {{'results': {THEIRS!r}}}, source='cli')")


def type_into_results(qtbot, window) -> None:
    """Real key presses into the form's 実績, handed in by leaving the field, and written."""
    type_at_end_and_leave(qtbot, window, "results", TYPED)
    settle(qtbot, window)


@pytest.fixture
def stale(qtbot, window, sample_db):
    """The window shows P0001; another process changes its 実績; the user types over the old value."""
    window.select_program("P0001", "results")
    old = window.form.results.toPlainText()
    assert window.form.detail.uid == "P0001" and old != THEIRS
    cli_changes_results(sample_db)
    type_into_results(qtbot, window)
    return old


def test_typing_over_a_newer_value_asks_first(window, sample_db, dialogs, stale):
    shown, _answer = dialogs
    assert len(shown) == 1
    text = shown[0].message.text()
    assert "P0001" in text and "実績" in text and recorded_user(sample_db, COLLEAGUE) in text and "保存する" in text
    assert THEIRS in shown[0].detail.old_text.toPlainText()
    assert shown[0].detail.new_text.toPlainText() == stale + TYPED


def test_keep_theirs_shows_their_value_and_writes_nothing(window, sample_db, dialogs, messages, qtbot):
    shown, answer = dialogs
    answer[0] = Choice.THEIRS
    window.select_program("P0001", "results")
    cli_changes_results(sample_db)
    type_into_results(qtbot, window)
    assert len(shown) == 1
    assert results(sample_db) == THEIRS
    assert window.form.results.toPlainText() == THEIRS
    assert window.session.stack.count() == 0
    # what the window now shows is what it read: the next edit is no conflict
    type_into_results(qtbot, window)
    assert len(shown) == 1
    assert results(sample_db) == THEIRS + TYPED


def test_overwrite_with_mine_writes_the_typed_text(window, sample_db, dialogs, messages, qtbot):
    shown, answer = dialogs
    answer[0] = Choice.MINE
    window.select_program("P0001", "results")
    old = window.form.results.toPlainText()
    cli_changes_results(sample_db)
    type_into_results(qtbot, window)
    assert len(shown) == 1
    assert results(sample_db) == old + TYPED
    assert window.form.results.toPlainText() == old + TYPED
    assert window.session.stack.count() == 1


def test_back_to_editing_keeps_the_typed_text_and_asks_again(window, sample_db, dialogs, messages, qtbot):
    shown, answer = dialogs
    answer[0] = Choice.BACK
    window.select_program("P0001", "results")
    old = window.form.results.toPlainText()
    cli_changes_results(sample_db)
    type_into_results(qtbot, window)
    assert len(shown) == 1
    assert results(sample_db) == THEIRS
    assert window.form.results.toPlainText() == old + TYPED
    assert window.session.stack.count() == 0
    qtbot.waitUntil(window.form.results.hasFocus)  # back in the field
    # leaving the field again hands the same text in: asked again
    qtbot.keyClick(window.form.results, Qt.Key.Key_Tab)
    settle(qtbot, window)
    assert len(shown) == 2
    assert results(sample_db) == THEIRS
    # another program chosen: the refused text stays with P0001, never shown with (or written to) P0002
    other = export_document(sample_db, 2024)["programs"][1]
    window.select_program(other["id"], "results")
    settle(qtbot, window)
    assert len(shown) == 3  # handing the text in once more, on the way out
    assert window.form.detail.uid == other["id"]
    assert window.form.results.toPlainText() == other["results"]
    window.form.commit_pending()
    settle(qtbot, window)
    assert export_document(sample_db, 2024)["programs"][1]["results"] == other["results"]


def test_an_edit_after_the_window_read_the_change_is_no_conflict(window, sample_db, dialogs, messages, qtbot):
    shown, _answer = dialogs
    cli_changes_results(sample_db)
    window.select_program("P0002")
    window.select_program("P0001", "results")  # read again, after the change
    assert window.form.results.toPlainText() == THEIRS
    type_into_results(qtbot, window)
    assert not shown
    assert results(sample_db) == THEIRS + TYPED


def test_a_grid_tick_over_newer_targets_asks_too(qtbot, window, sample_db, dialogs, messages):
    shown, answer = dialogs
    answer[0] = Choice.THEIRS
    model = window.grid_model
    row = model.rows_of("P0001")[0]
    column = next(c for c in TARGET_COLUMNS if not model.ticked(row, c))
    colleague_changes_p0001(sample_db, "ops.set_targets(db, pid, [])")
    window.grid.setFocus()
    window.grid.setCurrentIndex(model.index(row, column))
    qtbot.keyClick(window.grid, Qt.Key.Key_Space)
    settle(qtbot, window)
    assert len(shown) == 1 and shown[0].windowTitle().startswith("対象")
    assert targets(sample_db) == []
    row = model.rows_of("P0001")[0]
    assert not any(model.ticked(row, c) for c in TARGET_COLUMNS)  # their value, re-read
    assert window.session.stack.count() == 0


@pytest.fixture
def lock_holder(sample_db):
    """Another process's write transaction, held until released."""
    holder = sqlite3.connect(sample_db.path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    yield holder
    if holder.in_transaction:
        holder.execute("ROLLBACK")
    holder.close()


@pytest.mark.sqlite_only  # SQLite's write lock (BEGIN IMMEDIATE)
def test_a_worker_thread_waiting_for_the_lock_says_so(qtbot, window, sample_db, lock_holder):
    pid = program_id(sample_db, "P0001")
    writer = threading.Thread(target=lambda: ops.update_program(sample_db, pid, {"results": "後で書く"}))
    writer.start()
    qtbot.waitUntil(lambda: window.statusBar().currentMessage() == WAITING, timeout=4000)
    lock_holder.execute("COMMIT")
    writer.join(10)
    assert results(sample_db) == "後で書く"


@pytest.mark.sqlite_only  # SQLite's write lock (BEGIN IMMEDIATE)
def test_an_edit_waiting_for_the_lock_says_so(qtbot, window, sample_db, lock_holder, messages):
    shown: list[str] = []
    window.statusBar().messageChanged.connect(shown.append)
    release = threading.Timer(2.5, lambda: lock_holder.execute("COMMIT"))
    release.start()
    try:
        type_into_results(qtbot, window)  # the edit's write waits in the GUI thread until the release
    finally:
        release.join()
    qtbot.waitUntil(lambda: WAITING in shown)
    assert results(sample_db).endswith(TYPED)
    assert not messages
