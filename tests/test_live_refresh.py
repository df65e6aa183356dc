"""Others' edits appear by themselves (issue 16): a commit in one window, or in another process, shows
in another window within 2 s, without losing what is being typed there."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt

from kodomo_desktop.core import operations as ops
from kodomo_desktop.core.database import Database
from kodomo_desktop.core.interchange import export_document
from kodomo_desktop.core.live import ChangeWatcher
from kodomo_desktop.ui.conflict_dialog import Choice
from kodomo_desktop.ui.program_grid import COL_NAME
from kodomo_desktop.ui.settings import Settings
from kodomo_desktop.ui.undo_commands import EditField
from tests.helpers import (
    COLLEAGUE,
    colleague_changes_p0001,
    polled,
    program_id,
    recorded_user,
    shown_window,
    type_at_end_and_leave,
)
from tests.test_ui_grid_edit import at_cell, editor_of

pytest.importorskip("pytestqt")

REFRESH_MS = 2000  # the bound
TYPED = " draft"  # key presses of QTest are ASCII only


def stored(db, field: str) -> str:
    return next(p for p in export_document(db, 2024)["programs"] if p["id"] == "P0001")[field]


@pytest.fixture
def other(qtbot, sample_db, tmp_path, messages):
    """A second window on the same file, as another user (the first is the `window` fixture)."""

    db = Database(sample_db.url, user="sato")
    w = shown_window(qtbot, db, Settings(QSettings(str(tmp_path / "other.ini"), QSettings.Format.IniFormat)))
    yield w
    w.close()
    db.dispose()


def type_line(qtbot, window, field: str, text: str) -> None:
    """Real key presses at the end of a one-line field, not handed in (no Enter, no Tab)."""
    window.select_program("P0001", field)
    editor = getattr(window.form, field)
    qtbot.waitUntil(editor.hasFocus)
    editor.end(False)
    qtbot.keyClicks(editor, text)


def test_a_commit_in_one_window_shows_in_the_other_and_typing_there_survives(qtbot, window, other, sample_db):
    name = other.form.name.text()
    type_line(qtbot, other, "name", TYPED)  # sato is typing a new name for P0001
    summary = stored(sample_db, "summary")
    # meanwhile the first user's window changes P0001's 概要 (its form's own command; the keyboard is sato's)
    window.session.push(EditField(window.session, "P0001", "summary", summary, summary + TYPED))
    qtbot.waitUntil(lambda: stored(sample_db, "summary") == summary + TYPED)

    qtbot.waitUntil(lambda: other.form.summary.toPlainText() == summary + TYPED, timeout=REFRESH_MS)
    assert other.grid_model.program(other.grid_model.rows_of("P0001")[0]).summary == summary + TYPED
    assert other.form.name.text() == name + TYPED and other.form.name.isModified()
    # sato hands the name in: it is written, based on the version just refreshed (no conflict: another field)
    qtbot.keyClick(other.form.name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: stored(sample_db, "name") == name + TYPED)
    assert stored(sample_db, "summary") == summary + TYPED


def test_another_process_commit_shows_within_two_seconds(qtbot, window, sample_db):
    window.select_program("P0001", "results")
    colleague_changes_p0001(sample_db, "ops.update_program(db, pid, {'results': 'コマンドの実績'}, source='cli')")
    qtbot.waitUntil(lambda: window.form.results.toPlainText() == "コマンドの実績", timeout=REFRESH_MS)
    row = window.grid_model.rows_of("P0001")[0]
    assert window.grid_model.program(row).results == "コマンドの実績"
    # the session now knows the refreshed version: typing over it is no conflict
    assert window.session.read_version("P0001") == versions(sample_db)["P0001"]


def versions(db) -> dict[str, int]:
    from kodomo_desktop.core import queries

    edition = queries.list_editions(db)[0]
    return {r.uid: r.version for r in queries.program_rows(db, edition.id)}


def test_the_same_field_changed_under_typing_asks_when_handed_in(qtbot, window, sample_db, dialogs):
    shown, answer = dialogs
    answer[0] = Choice.MINE
    name = stored(sample_db, "name")
    type_line(qtbot, window, "name", TYPED)
    colleague_changes_p0001(sample_db, "ops.update_program(db, pid, {'name': 'コマンドの名称'}, source='cli')")
    qtbot.wait(REFRESH_MS)  # the refresh has come and gone
    assert window.form.name.text() == name + TYPED  # what is typed stays
    qtbot.keyClick(window.form.name, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(shown) == 1)
    assert recorded_user(sample_db, COLLEAGUE) in shown[0].message.text()
    assert "コマンドの名称" in shown[0].detail.old_text.toPlainText()
    qtbot.waitUntil(lambda: stored(sample_db, "name") == name + TYPED)


def test_own_commits_do_not_refresh_again(qtbot, window, sample_db):
    announced = []
    window.session.changed.connect(announced.append)
    summary = stored(sample_db, "summary")
    type_at_end_and_leave(qtbot, window, "summary", TYPED)
    qtbot.waitUntil(lambda: stored(sample_db, "summary") == summary + TYPED)
    qtbot.waitUntil(lambda: len(announced) == 1)
    qtbot.wait(1200)  # two polls of the watcher: they see the commit and know it as the window's own
    assert len(announced) == 1


def test_the_watcher_reports_other_connections_commits_once(sample_db):
    watcher = ChangeWatcher(sample_db)
    try:
        assert watcher.poll() == []
        writer = Database(sample_db.url, user="sato")
        ops.update_program(writer, program_id(writer, "P0001"), {"alias": "別名"}, source="test")
        # a NOTIFY reaches the listener over its socket some moments after the writer's commit returns:
        # one poll right after it may come too early, and the window polls again on its timer
        logged = polled(watcher.poll, 5.0)
        sato = recorded_user(sample_db, "sato")
        assert [(r.entity, r.entity_id, r.field, r.user) for r in logged] == [("program", "P0001", "alias", sato)]
        assert logged[0].version == versions(sample_db)["P0001"]
        assert watcher.poll() == []
        writer.dispose()
    finally:
        watcher.close()


def test_a_grid_cell_being_edited_keeps_its_text_and_its_version(qtbot, window, sample_db, dialogs):
    """As the form's field: what is typed in a grid cell survives a refresh, and a change of the same
    field made meanwhile asks when the cell is handed in, instead of being overwritten."""
    shown, answer = dialogs
    answer[0] = Choice.MINE
    name = stored(sample_db, "name")
    grid = at_cell(qtbot, window, 0, COL_NAME)
    assert window.grid_model.program(0).uid == "P0001"
    qtbot.keyClick(grid, Qt.Key.Key_F2)
    editor = editor_of(qtbot, grid)
    qtbot.keyClicks(editor, TYPED)
    colleague_changes_p0001(sample_db, "ops.update_program(db, pid, {'name': 'コマンドの名称'}, source='cli')")
    row = window.grid_model.rows_of("P0001")[0]
    qtbot.waitUntil(lambda: window.grid_model.program(row).name == "コマンドの名称", timeout=REFRESH_MS)
    assert grid.state() == grid.State.EditingState and editor.text() == name + TYPED  # what is typed stays
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(shown) == 1)
    assert recorded_user(sample_db, COLLEAGUE) in shown[0].message.text()
    assert "コマンドの名称" in shown[0].detail.old_text.toPlainText()
    qtbot.waitUntil(lambda: stored(sample_db, "name") == name + TYPED)


def test_a_program_deleted_elsewhere_leaves_the_window_showing_what_remains(qtbot, window, sample_db, messages):
    window.select_program("P0001", "results")
    qtbot.waitUntil(lambda: window.form.detail is not None and window.form.detail.uid == "P0001")
    rows = window.grid_model.rowCount()
    colleague_changes_p0001(sample_db, "ops.delete_program(db, pid, source='cli')")
    qtbot.waitUntil(lambda: not window.grid_model.rows_of("P0001"), timeout=REFRESH_MS)
    assert window.grid_model.rowCount() == rows - 1
    qtbot.waitUntil(lambda: window.form.detail is None or window.form.detail.uid != "P0001")
    # re-checked in the validation worker: the findings about it go
    qtbot.waitUntil(lambda: "P0001" not in {f.program for f in window.findings.report.findings})
    assert messages == []  # nothing to say: the program went as the colleague decided
    # and the window goes on: undoing nothing, editing another program
    summary = next(p for p in export_document(sample_db, 2024)["programs"] if p["id"] == "P0002")["summary"]
    window.session.push(EditField(window.session, "P0002", "summary", summary, summary + TYPED))
    qtbot.waitUntil(
        lambda: (
            next(p for p in export_document(sample_db, 2024)["programs"] if p["id"] == "P0002")["summary"]
            == summary + TYPED
        )
    )


def test_a_program_read_by_the_form_before_the_refresh_still_refreshes_its_grid_row(qtbot, window, sample_db):
    """The form reads a program when it is chosen; a colleague's commit it read before the watcher's next
    poll (polls wait while a dialog is open, and come every half second) is news to the grid all the same."""
    window.select_program("P0002", "name")
    window.live.timer.stop()  # the poll that would come first is held back, as a dialog holds it
    colleague_changes_p0001(sample_db, "ops.update_program(db, pid, {'name': 'コマンドの名称'}, source='cli')")
    window.select_program("P0001", "name")
    qtbot.waitUntil(lambda: window.form.name.text() == "コマンドの名称")  # read by the form at once
    window.live.timer.start()
    row = window.grid_model.rows_of("P0001")[0]
    qtbot.waitUntil(lambda: window.grid_model.program(row).name == "コマンドの名称", timeout=REFRESH_MS)
