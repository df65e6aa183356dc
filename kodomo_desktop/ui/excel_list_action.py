"""一覧を Excel に書き出す…: the whole edition as one sheet in booklet order, written in a worker thread."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFileDialog

from kodomo_desktop.core.era import era_label
from kodomo_desktop.ui.booklet_action import offer_folder
from kodomo_desktop.ui.features import WHOLE_LIST
from kodomo_desktop.ui.messages import show_error
from kodomo_desktop.ui.settings import EXCEL_FOLDER
from kodomo_desktop.ui.workers import BackgroundTask

if TYPE_CHECKING:
    from kodomo_desktop.excel.whole_list import WrittenList
    from kodomo_desktop.ui.main_window import MainWindow

TITLE = "一覧の Excel 書き出し"


def write_list(window: MainWindow) -> None:
    write = WHOLE_LIST.load()
    year = window.open_year()
    name = f"こども計画関連事業・取組一覧_{era_label(year)}.xlsx"
    start = Path(window.settings.folder(EXCEL_FOLDER)) / name
    path, _ = QFileDialog.getSaveFileName(window, f"{TITLE}先", str(start), "Excel ブック (*.xlsx)")
    if not path:
        return
    window.settings.remember_folder(EXCEL_FOLDER, path)
    db = window.db

    def work(_progress: object, _cancelled: object) -> WrittenList:
        from kodomo_desktop.core.interchange import export_document

        return write(export_document(db, year), path)

    task = BackgroundTask(window, f"{era_label(year)}版の一覧を書き出しています…", work, cancellable=False)
    task.finished.connect(
        lambda written: offer_folder(
            window, TITLE, f"{written.path.name}（{written.rows}行）を書き出しました。", written.path
        )
    )
    task.failed.connect(lambda exc: show_error(window, exc, TITLE))
    task.start()
