"""Office comforts on the real window: Japanese Qt dialogs, open and recent databases, the
whole list to Excel, the guide and the welcome, file dialog folders, the booklet message."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import openpyxl
import pytest
import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialogButtonBox,
    QFileDialog,
    QFileSystemModel,
    QLabel,
    QMessageBox,
    QTextBrowser,
)

from kodomo_desktop.core.database import Database
from kodomo_desktop.ui import open_database
from kodomo_desktop.ui.booklet_action import offer_folder
from kodomo_desktop.ui.instance_lock import InstanceLock, lock_path
from kodomo_desktop.ui.qt_japanese import install_japanese
from kodomo_desktop.ui.settings import BOOKLET_FOLDER, EXCEL_FOLDER, RECENT_DATABASES, WELCOME_SHOWN
from kodomo_desktop.ui.welcome import welcome_once


class ModalAnswers:
    """Answers the next modal dialogs by clicking the button with the given text; keeps their texts."""

    def __init__(self, qtbot):
        self.qtbot = qtbot
        self.seen: list[str] = []

    def click(self, button_text: str) -> None:
        def answer() -> None:
            dialog = QApplication.activeModalWidget()
            if dialog is None:
                QTimer.singleShot(20, answer)
                return
            texts = [w.text() for w in dialog.findChildren(QLabel)]
            texts += [w.toPlainText() for w in dialog.findChildren(QTextBrowser)]
            self.seen.append("\n".join(texts))
            buttons = {b.text(): b for b in dialog.findChildren(QAbstractButton)}
            if button_text not in buttons:
                dialog.close()  # not left waiting: the test fails on the names instead
                raise AssertionError(f"no button {button_text!r} in {sorted(buttons)}")
            buttons[button_text].click()

        QTimer.singleShot(0, answer)


@pytest.fixture
def modal(qtbot):
    return ModalAnswers(qtbot)


@pytest.fixture
def japanese(qapp):
    translators = install_japanese(qapp)
    yield
    for translator in translators:
        qapp.removeTranslator(translator)


def test_qt_file_dialog_speaks_japanese(japanese, qtbot, tmp_path):
    (tmp_path / "年度").mkdir()
    dialog = QFileDialog(None, "冊子(PDF)の保存先", str(tmp_path), "PDF (*.pdf)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    dialog.show()
    labels = {label.text() for label in dialog.findChildren(QLabel)}
    assert {"場所(&L):", "ファイルの種類(&T):"} <= labels
    label = QFileDialog.DialogLabel
    assert [dialog.labelText(which) for which in (label.LookIn, label.FileName, label.FileType)] == [
        "場所(&L):",
        "ファイル名(&N):",
        "ファイルの種類(&T):",
    ]
    buttons = {b.text() for b in dialog.findChildren(QDialogButtonBox)[0].buttons()}
    assert buttons == {"開く(&O)", "キャンセル"}
    files = dialog.findChild(QFileSystemModel)
    qtbot.waitUntil(lambda: files.index(str(tmp_path / "年度")).isValid())
    folder_row = files.index(str(tmp_path / "年度"))
    assert files.type(folder_row) == "フォルダ"
    headers = [files.headerData(i, Qt.Orientation.Horizontal) for i in range(4)]
    assert headers == ["名前", "サイズ", "タイプ", "更新日"]
    for label in dialog.findChildren(QLabel):
        assert "Look in" not in label.text() and "Files of" not in label.text()


def test_standard_buttons_speak_japanese(japanese):
    box = QMessageBox()
    box.setStandardButtons(
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No | QMessageBox.StandardButton.Cancel
    )
    assert {b.text() for b in box.buttons()} == {"はい(&Y)", "いいえ(&N)", "キャンセル"}


# --- open and recent ------------------------------------------------------------------------


@pytest.fixture
def other_file(tmp_path, sample_template):
    folder = tmp_path / "other"
    folder.mkdir()
    path = folder / "別の年度.sqlite"
    shutil.copy(sample_template, path)
    return path


def open_windows():
    from kodomo_desktop.ui.main_window import MainWindow

    return [w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]


@pytest.fixture
def replaced_window(qtbot, sample_db, settings, messages):
    """The main window, shown; not closed by qtbot, since opening another file deletes it."""
    from kodomo_desktop.ui.main_window import MainWindow

    window = MainWindow(sample_db, settings)
    window.show()
    qtbot.waitExposed(window)
    yield window
    if shiboken6.isValid(window):
        window.close()


@pytest.mark.sqlite_only  # database files: a server database has no file to open or folder to start in
def test_file_open_replaces_the_window_and_remembers_the_file(replaced_window, qtbot, other_file, monkeypatch):
    window = replaced_window
    asked: list[str] = []
    opened_in: list[str] = []
    open_locked = open_database.open_locked

    def open_and_say_where(path):
        opened_in.append(threading.current_thread().name)
        return open_locked(path)

    monkeypatch.setattr(open_database, "open_locked", open_and_say_where)

    def choose(_parent, _title, folder, _filter):
        asked.append(folder)
        return str(other_file), ""

    monkeypatch.setattr(QFileDialog, "getOpenFileName", choose)
    window.act.open_database.trigger()
    assert asked == [str(window.db.path.parent)]  # the first time: the open database's folder
    assert window.statusBar().currentMessage() == f"{other_file} を開いています…"
    qtbot.waitUntil(lambda: len(open_windows()) == 1 and open_windows()[0].db.path == other_file)
    assert opened_in == ["kodomo-writes"]  # created, migrated or backed up off the GUI thread
    qtbot.waitUntil(lambda: not shiboken6.isValid(window))  # the old window is gone, not hidden
    new = open_windows()[0]
    qtbot.addWidget(new)
    assert new.fiscal_year == 2024 and new.grid_model.rowCount() > 0
    assert new.settings.get(RECENT_DATABASES)[0] == str(other_file.resolve())
    # the file is held by the new window: a second window of the same person is refused
    with pytest.raises(Exception, match="すでに開いています"):
        InstanceLock(lock_path(new.db, new.db.user), new.db.user).acquire()
    assert new.settings.folder(open_database.DATABASE_FOLDER) == str(other_file.parent)
    new.findChild(open_database.Opened).release()


@pytest.mark.sqlite_only  # database files: a server database has no file to open or folder to start in
def test_recent_menu_lists_files_and_drops_a_missing_one(window, qtbot, other_file, messages):
    gone = other_file.with_name("消えた.sqlite")
    window.settings.set(RECENT_DATABASES, [str(gone), str(other_file)])
    menu = window.act.recent
    open_database.fill_recent_menu(window, menu)
    texts = [a.text() for a in menu.actions()]
    assert texts[0].startswith("&1 消えた.sqlite") and texts[1].startswith("&2 別の年度.sqlite")
    menu.actions()[0].trigger()
    assert messages and str(gone) in messages[0] and "一覧から外しました" in messages[0]
    assert not gone.exists()  # never created by the attempt
    assert window.settings.get(RECENT_DATABASES) == [str(other_file)]
    assert open_windows() == [window]


@pytest.mark.sqlite_only  # database files: a server database has no file to open or folder to start in
def test_a_file_held_by_another_window_leaves_this_one_as_it_was(window, qtbot, other_file, messages):
    user = window.db.user  # one window per person and database: the same person's other window
    holder = InstanceLock(lock_path(Database(str(other_file), user=user), user), user)
    holder.acquire()
    try:
        open_database.open_in_place(window, str(other_file))
        qtbot.waitUntil(lambda: bool(messages))  # opened by the window's write thread
    finally:
        holder.release()
    assert "いまのデータベースのまま続けます" in messages[0] and f"利用者「{user}」" in messages[0]
    assert open_windows() == [window] and window.db.path != other_file


# --- the whole list to Excel, the booklet message ---------------------------------------------


def test_excel_list_from_the_window(window, qtbot, tmp_path, monkeypatch, modal):
    target = tmp_path / "excel" / "一覧.xlsx"
    target.parent.mkdir()
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_args: (str(target), ""))
    modal.click("閉じる")
    window.act.excel_list.trigger()
    qtbot.waitUntil(lambda: bool(modal.seen), timeout=20_000)
    assert f"保存先のフォルダ: {target.parent}" in modal.seen[0] and "一覧.xlsx" in modal.seen[0]
    sheet = openpyxl.load_workbook(target).active
    assert sheet.max_row - 2 == 5  # the sample edition's five placements
    assert window.settings.folder(EXCEL_FOLDER) == str(target.parent)


def test_open_folder_without_a_file_manager_says_where_to_look(window, qtbot, tmp_path, monkeypatch, messages, modal):
    pdf = tmp_path / "冊子" / "booklet.pdf"
    pdf.parent.mkdir()
    pdf.write_bytes(b"%PDF-1.4\n")
    opened: list[str] = []

    def no_program(url):
        opened.append(url.toLocalFile())
        return False

    monkeypatch.setattr(QDesktopServices, "openUrl", no_program)
    modal.click("フォルダを開く")
    offer_folder(window, "冊子(PDF)の作成", "booklet.pdf を作成しました。", pdf)
    assert opened == [str(pdf.parent)]
    assert "ファイルマネージャー" in messages[0] and str(pdf.parent) in messages[0]


@pytest.mark.sqlite_only  # database files: a server database has no file to open or folder to start in
def test_dialog_folders_start_beside_the_database_then_where_last_used(window, tmp_path):
    settings = window.settings
    assert settings.folder(BOOKLET_FOLDER) == str(Path(window.db.path).parent)
    chosen = tmp_path / "冊子置き場"
    chosen.mkdir()
    settings.remember_folder(BOOKLET_FOLDER, chosen / "a.pdf")
    assert settings.folder(BOOKLET_FOLDER) == str(chosen)
    shutil.rmtree(chosen)  # gone: back to the database's folder, never an unrelated one
    assert settings.folder(BOOKLET_FOLDER) == str(Path(window.db.path).parent)


# --- the guide and the welcome -----------------------------------------------------------------

EVERYDAY_TASKS = (
    "年度を開く",
    "事業を探す",
    "セルを編集する",
    "元に戻す",
    "調査票を送る・取り込む",
    "冊子を作る・確認する",
    "公開する",
    "次年度を作る",
)


def test_f1_opens_the_guide_with_the_everyday_tasks(window, qtbot, modal):
    window.activateWindow()
    qtbot.waitActive(window)
    modal.click("閉じる")
    qtbot.keyClick(window.grid, Qt.Key.Key_F1)
    assert modal.seen
    guide = modal.seen[0]
    for task in EVERYDAY_TASKS:
        assert task in guide
    assert "Ctrl+Z" in guide


def test_welcome_is_shown_once(window, qtbot, modal):
    assert window.settings.get(WELCOME_SHOWN) is False
    modal.click("閉じる")
    welcome_once(window)
    assert len(modal.seen) == 1 and "操作説明" in modal.seen[0]
    welcome_once(window)  # a second start: nothing shown, nothing waits
    assert len(modal.seen) == 1 and window.settings.get(WELCOME_SHOWN) is True
