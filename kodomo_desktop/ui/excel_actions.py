"""様式を書き出す…: one Excel return per division or per department, written in a worker thread."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox

from kodomo_desktop.core.era import era_label
from kodomo_desktop.ui.features import WRITE_TEMPLATES
from kodomo_desktop.ui.messages import show_error
from kodomo_desktop.ui.settings import TEMPLATES_BY, TEMPLATES_FOLDER
from kodomo_desktop.ui.workers import BackgroundTask

if TYPE_CHECKING:
    from kodomo_desktop.ui.main_window import MainWindow


# what the CLI's `templates --by` takes -> how the window offers it
UNITS = {"division": "課ごと（課・室・センターごとに1件）", "department": "部ごと（部・局ごとに1件）"}


def write_templates(window: MainWindow) -> None:
    write = WRITE_TEMPLATES.load()
    year = window.open_year()
    last = window.settings.get(TEMPLATES_BY)
    choices = list(UNITS.values())
    choice, ok = QInputDialog.getItem(
        window,
        "様式の書き出し",
        "回答様式をどの単位で作りますか？",
        choices,
        choices.index(UNITS[last]) if last in UNITS else 0,
        False,
    )
    if not ok:
        return
    by = next(unit for unit, label in UNITS.items() if label == choice)
    folder = QFileDialog.getExistingDirectory(
        window, "様式の書き出し先フォルダ", window.settings.folder(TEMPLATES_FOLDER)
    )
    if not folder:
        return
    window.settings.set(TEMPLATES_BY, by)
    window.settings.set(TEMPLATES_FOLDER, folder)
    db = window.db
    task = BackgroundTask(
        window,
        f"{era_label(year)}版の回答様式を書き出しています…",
        lambda progress, _cancelled: write(
            db, year, Path(folder), by=by, progress=lambda done, total, _name: progress(done, total)
        ),
        cancellable=False,
    )
    task.finished.connect(lambda paths: _written(window, Path(folder), paths))
    task.failed.connect(lambda exc: show_error(window, exc, "様式の書き出し"))
    task.start()


def _written(window: MainWindow, folder: Path, paths: list[Path]) -> None:
    answer = QMessageBox.information(
        window,
        "様式の書き出し",
        f"{len(paths)}件の様式を {folder} に書き出しました。フォルダを開きますか？",
        QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Close,
    )
    if answer == QMessageBox.StandardButton.Open:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
