"""ウェブ版を書き出す…: the open edition's web edition written to a folder, in a worker thread."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QMessageBox

from kodomo_desktop.core.era import era_label
from kodomo_desktop.ui.messages import confirm, show_error
from kodomo_desktop.ui.settings import WEB_FOLDER
from kodomo_desktop.ui.workers import BackgroundTask, Cancelled, Progress

if TYPE_CHECKING:
    from kodomo_desktop.ui.main_window import MainWindow

TITLE = "ウェブ版の書き出し"


def write_web(window: MainWindow) -> None:
    """Ask for a folder (a new one is made under it, named after the edition), then write the pages there."""
    from kodomo_desktop.web.output import refusal

    year = window.open_year()
    start = window.settings.folder(WEB_FOLDER)
    parent = QFileDialog.getExistingDirectory(window, f"{TITLE}先（この中にフォルダを作ります）", start)
    if not parent:
        return
    window.settings.set(WEB_FOLDER, parent)
    folder = Path(parent) / f"こども計画関連事業・取組一覧_{era_label(year)}_ウェブ版"
    if reason := refusal(folder):
        question = f"{reason}\n\n中身を削除してウェブ版で置き換えますか？"
        if not confirm(window, TITLE, question, default_yes=False):
            return
    db = window.db

    def work(progress: Progress, cancelled: Cancelled) -> int:
        from kodomo_desktop.core.interchange import export_document
        from kodomo_desktop.web.output import write_site

        names = write_site(export_document(db, year), folder)
        return sum(name.endswith(".html") for name in names)

    task = BackgroundTask(window, f"{era_label(year)}版のウェブ版を書き出しています…", work, cancellable=False)
    task.finished.connect(lambda pages: _written(window, folder, pages))
    task.failed.connect(lambda exc: show_error(window, exc, TITLE))
    task.start()


def _written(window: MainWindow, folder: Path, pages: int) -> None:
    box = QMessageBox(window)
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(TITLE)
    box.setText(f"{folder} に書き出しました（{pages}ページ、入口は index.html）。")
    open_button = box.addButton("開く", QMessageBox.ButtonRole.AcceptRole)
    box.addButton("閉じる", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    if box.clickedButton() is open_button:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder / "index.html")))
