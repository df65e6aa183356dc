"""An undo in the window never overwrites what another process (the command line) changed since:
the undo is refused with a dialog naming the program, the field, the other value, who and when,
and each of its three choices does what it says."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from PySide6.QtCore import QTimer

from kodomo_desktop.core import operations as ops
from kodomo_desktop.core import queries
from kodomo_desktop.core.errors import Conflict
from kodomo_desktop.core.interchange import export_document
from kodomo_desktop.ui.conflict_dialog import Choice, ConflictDialog
from kodomo_desktop.ui.undo_commands import EditField, SetDivisions, SetTargets
from tests.excel_corpus import ReturnEditor, write_templates
from tests.helpers import COLLEAGUE, colleague_changes_p0001, program_id, pushed, recorded_user, settle

pytest.importorskip("pytestqt")


def program(db, uid: str) -> dict:
    return next(p for p in export_document(db, 2024)["programs"] if p["id"] == uid)


def other_process(db, *args: str) -> None:
    """The command line, run as another user, on the same database file while the window is open."""
    env = {**os.environ, "LOGNAME": COLLEAGUE, "USER": COLLEAGUE}
    done = subprocess.run(
        [sys.executable, "-m", "kodomo_desktop", "--db", db.url, *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def returned_summary(db, tmp_path, text: str):
    template = write_templates(db, tmp_path / "templates")["子育て支援部 子育て支援課"]
    folder = tmp_path / "returns"
    folder.mkdir()
    ReturnEditor(template).set("P0001", "概要", text).save(folder / "return.xlsx")
    return folder


def edited_then_changed_by_cli(qtbot, window, sample_db, tmp_path) -> str:
    """The window edits P0001's summary; then the CLI imports a return that changes it again."""
    old = program(sample_db, "P0001")["summary"]
    assert pushed(qtbot, window.session, EditField(window.session, "P0001", "summary", old, "窓で書いた概要"))
    other_process(sample_db, "import-returns", str(returned_summary(sample_db, tmp_path, "コマンドの概要")), "--apply")
    assert program(sample_db, "P0001")["summary"] == "コマンドの概要"
    return old


def test_undo_over_a_cli_change_is_refused_with_the_conflict(qtbot, window, sample_db, tmp_path, dialogs, messages):
    shown, answer = dialogs
    edited_then_changed_by_cli(qtbot, window, sample_db, tmp_path)
    answer[0] = Choice.BACK
    window.act.undo.trigger()
    settle(qtbot, window)

    assert program(sample_db, "P0001")["summary"] == "コマンドの概要"  # nothing overwritten
    assert len(shown) == 1
    dialog = shown[0]
    text = dialog.message.text()
    assert "P0001" in text and "概要" in text and recorded_user(sample_db, COLLEAGUE) in text and "取り込み" in text
    assert "コマンドの概要" in dialog.detail.old_text.toPlainText()
    assert recorded_user(sample_db, COLLEAGUE) in dialog.detail.old_label.text()
    # 編集に戻る: the step stays where it was, to be undone later
    assert window.session.stack.index() == 1 and window.session.stack.canUndo()


def test_keep_theirs_drops_the_step(qtbot, window, sample_db, tmp_path, dialogs, messages):
    shown, answer = dialogs
    edited_then_changed_by_cli(qtbot, window, sample_db, tmp_path)
    answer[0] = Choice.THEIRS
    window.act.undo.trigger()
    settle(qtbot, window)
    assert len(shown) == 1
    assert program(sample_db, "P0001")["summary"] == "コマンドの概要"
    assert window.session.stack.count() == 0


def test_overwrite_with_mine_undoes_over_their_change(qtbot, window, sample_db, tmp_path, dialogs, messages):
    shown, answer = dialogs
    old = edited_then_changed_by_cli(qtbot, window, sample_db, tmp_path)
    answer[0] = Choice.MINE
    window.act.undo.trigger()
    settle(qtbot, window)
    assert len(shown) == 1
    assert program(sample_db, "P0001")["summary"] == old
    # and the redo is based on the window's own write again: no question
    window.act.redo.trigger()
    settle(qtbot, window)
    assert len(shown) == 1
    assert program(sample_db, "P0001")["summary"] == "窓で書いた概要"


def test_a_change_of_another_field_is_no_conflict(qtbot, window, sample_db, dialogs, messages):
    shown, _answer = dialogs
    old = program(sample_db, "P0001")["summary"]
    assert pushed(qtbot, window.session, EditField(window.session, "P0001", "summary", old, "窓で書いた概要"))
    settle(qtbot, window)
    colleague_changes_p0001(sample_db, "ops.update_program(db, pid, {'results': 'コマンドの実績'}, source='cli')")
    window.act.undo.trigger()
    settle(qtbot, window)
    assert not shown
    assert program(sample_db, "P0001")["summary"] == old
    assert program(sample_db, "P0001")["results"] == "コマンドの実績"


def test_targets_and_divisions_undo_check_versions_too(qtbot, window, sample_db, dialogs, messages):
    shown, answer = dialogs
    session = window.session
    before = program(sample_db, "P0001")
    mask = queries.program_detail(sample_db, program_id(sample_db, "P0001")).targets
    assert pushed(qtbot, session, SetTargets(session, {"P0001": (mask, mask ^ 1)}))
    settle(qtbot, window)
    pairs = tuple((d["department"], d["division"]) for d in before["divisions"])
    other = (("子育て支援部", "主幹付"),)
    assert pushed(qtbot, session, SetDivisions(session, "P0001", pairs, other))
    settle(qtbot, window)
    colleague_changes_p0001(
        sample_db,
        "ops.set_targets(db, pid, [])\n"
        "ops.set_divisions(db, pid, [('子育て支援部', '子育て支援課'), ('子育て支援部', 'おやこ応援課')])",
    )
    answer[0] = Choice.THEIRS
    window.act.undo.trigger()  # the divisions
    settle(qtbot, window)
    assert shown[-1].windowTitle().startswith("所管")
    assert recorded_user(sample_db, COLLEAGUE) in shown[-1].message.text()
    window.act.undo.trigger()  # the targets
    settle(qtbot, window)
    assert shown[-1].windowTitle().startswith("対象")
    assert len(shown) == 2 and session.stack.count() == 0
    after = program(sample_db, "P0001")
    assert after["targets"] == []
    assert [d["division"] for d in after["divisions"]] == ["子育て支援課", "おやこ応援課"]


def test_a_stale_write_is_refused_by_the_operation_itself(sample_db):
    pid = program_id(sample_db, "P0001")
    version = queries.program_detail(sample_db, pid).version
    result = ops.update_program(sample_db, pid, {"summary": "一"}, expected_version=version)
    mine = result.versions["P0001"]
    assert mine > version
    ops.update_program(sample_db, pid, {"summary": "二"}, source="cli")
    with pytest.raises(Conflict, match=r"P0001.*概要.*二"):
        ops.update_program(sample_db, pid, {"summary": "三"}, expected_version=mine)
    assert program(sample_db, "P0001")["summary"] == "二"


def test_the_dialog_shows_both_values_and_waits(qtbot, window, sample_db, tmp_path):
    """Without the fixture: a real dialog, closed by its 編集に戻る button."""
    old = edited_then_changed_by_cli(qtbot, window, sample_db, tmp_path)

    def close():
        dialog = window.findChild(ConflictDialog)
        if dialog is None or not dialog.isVisible():  # asked once the undo's write has come back
            QTimer.singleShot(10, close)
            return
        assert dialog.detail.new_text.toPlainText() == old
        dialog.choice_buttons[Choice.BACK].click()

    QTimer.singleShot(0, close)
    window.act.undo.trigger()
    settle(qtbot, window)
    assert program(sample_db, "P0001")["summary"] == "コマンドの概要"
