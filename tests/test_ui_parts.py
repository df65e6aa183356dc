"""The editor's parts on their own: reorder arithmetic, clipboard text, the lock, start-up, workers, messages."""

from __future__ import annotations

import itertools
import sqlite3
import threading

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from kodomo_desktop.core.errors import DatabaseError, InvalidInput
from kodomo_desktop.core.interchange import export_document
from kodomo_desktop.ui.features import Feature, FeatureMissing, offer
from kodomo_desktop.ui.instance_lock import DatabaseInUse
from kodomo_desktop.ui.messages import expected_error_text
from kodomo_desktop.ui.program_grid import drop_moves
from kodomo_desktop.ui.settings import LAST_EDITION, Settings
from kodomo_desktop.ui.startup import open_locked, restore_backup
from kodomo_desktop.ui.tsv import format_block, parse_block
from kodomo_desktop.ui.workers import BackgroundTask


def simulate(rows: list[str], moves: list[tuple[int, int]]) -> list[str]:
    """Each move as move_placement performs it: take the row out, insert it at the index."""
    rows = list(rows)
    for frm, to in moves:
        rows.insert(to, rows.pop(frm))
    return rows


@pytest.mark.parametrize("size", range(1, 7))
def test_drop_moves_put_any_selection_before_any_row(size):
    rows = [chr(ord("a") + i) for i in range(size)]
    for count in range(1, size + 1):
        for chosen in itertools.combinations(range(size), count):
            for target in range(size + 1):
                rest = [r for i, r in enumerate(rows) if i not in chosen]
                before = sum(1 for i in range(target) if i not in chosen)
                expected = rest[:before] + [rows[i] for i in chosen] + rest[before:]
                assert simulate(rows, drop_moves(list(chosen), target)) == expected, (chosen, target)


def test_tsv_round_trip_with_excel_quoting():
    block = [["名称", "○", ""], ["改行\nあり", "タブ\tあり", '引用"符']]
    text = format_block(block)
    assert text.endswith("\r\n")
    assert parse_block(text) == block
    assert parse_block("○\t\n\t○") == [["○", ""], ["", "○"]]
    assert parse_block("") == [[""]]


def test_open_locked_refuses_a_held_database_before_touching_it(tmp_path, sample_document):
    target = str(tmp_path / "kodomo.sqlite")
    db, lock = open_locked(target)
    try:
        with pytest.raises(DatabaseInUse):
            open_locked(target)
    finally:
        lock.release()
        db.dispose()
    db, lock = open_locked(target)  # free again after release
    lock.release()
    db.dispose()


@pytest.mark.sqlite_only  # a damaged SQLite file and its backup
def test_damaged_file_is_refused_and_a_backup_restored(tmp_path, sample_db):
    target = sample_db.path
    backup = sample_db.backup("test")
    sample_db.dispose()
    target.write_bytes(b"this is not a database" * 100)
    with pytest.raises(DatabaseError) as refused:
        open_locked(str(target))
    assert "backups" in refused.value.message
    kept = restore_backup(backup, target)
    assert kept.read_bytes().startswith(b"this is not")
    db, lock = open_locked(str(target))  # the lock of the failed attempt was released
    try:
        assert export_document(db, 2024)["programs"][0]["id"] == "P0001"
    finally:
        lock.release()
        db.dispose()


def test_busy_database_and_kodomo_errors_become_japanese_messages():
    from sqlalchemy.exc import OperationalError

    locked = OperationalError("UPDATE program", {}, sqlite3.OperationalError("database is locked"))
    assert "別の処理（ウィンドウや別のコマンド）が書き込み中" in (expected_error_text(locked) or "")
    assert expected_error_text(InvalidInput("名称は空にできません。")) == "名称は空にできません。"
    assert expected_error_text(ValueError("bug")) is None


def test_missing_feature_disables_its_action_and_says_why(qtbot):
    feature = Feature("kodomo_desktop.no_such_part", "run", "テスト用の機能")
    action = QAction("試す")
    offer(action, feature)
    assert not action.isEnabled()
    assert "テスト用の機能がありません" in action.toolTip()
    with pytest.raises(FeatureMissing):
        feature.load()
    present = Feature("kodomo_desktop.ui.tsv", "parse_block", "")
    assert present.missing() is None and present.load() is parse_block


def test_background_task_reports_progress_and_result(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)
    seen = []

    def work(progress, cancelled):
        for i in range(3):
            progress(i, 3)
        return "done"

    task = BackgroundTask(parent, "テスト", work)
    task.dialog.setMinimumDuration(0)
    with qtbot.waitSignal(task.finished) as finished:
        task.start()
    assert finished.args == ["done"]
    task2 = BackgroundTask(parent, "テスト", lambda p, c: 1 / 0)
    task2.failed.connect(seen.append)
    with qtbot.waitSignal(task2.failed):
        task2.start()
    assert isinstance(seen[0], ZeroDivisionError)


def test_background_task_cancel(qtbot):
    parent = QWidget()
    qtbot.addWidget(parent)

    clicked = threading.Event()

    def work(progress, cancelled):
        clicked.wait(timeout=10)
        if cancelled():
            raise RuntimeError("stopped")
        return "not cancelled"

    task = BackgroundTask(parent, "テスト", work)
    with qtbot.waitSignal(task.cancelled):
        task.start()
        task.dialog.findChild(QPushButton).click()
        clicked.set()


def test_settings_defaults_and_values(tmp_path):
    settings = Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    assert settings.get(LAST_EDITION) == 0
    settings.set(LAST_EDITION, 2025)
    again = Settings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    assert again.get(LAST_EDITION) == 2025


def test_messages_module_shows_expected_errors_only(qtbot, monkeypatch):
    from kodomo_desktop.ui.messages import show_error

    shown = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _p, _t, text: shown.append(text))
    show_error(None, InvalidInput("だめです。"))
    assert shown == ["だめです。"]
    with pytest.raises(ValueError):
        show_error(None, ValueError("bug"))
