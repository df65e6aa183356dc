"""Entry point of the window: `kodomo-desktop` with no subcommand."""

from __future__ import annotations

import os
import sys
import traceback

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from kodomo_desktop.core import locations
from kodomo_desktop.ui.qt_japanese import install_japanese
from kodomo_desktop.ui.settings import APPLICATION, ORGANIZATION, user_settings


def _show_unexpected(kind, exc, tb) -> None:
    """A bug: say so plainly and keep running. Every edit is already committed, so nothing is lost."""
    details = "".join(traceback.format_exception(kind, exc, tb))
    sys.stderr.write(details)
    box = QMessageBox(QMessageBox.Icon.Critical, "予期しないエラー", "予期しないエラーが起きました。")
    box.setInformativeText(
        "保存済みの内容は失われていません。同じ操作で繰り返し起きるときは、「詳細」の内容を担当者に伝えてください。"
    )
    box.setDetailedText(details)
    box.exec()


def run_app(db_target: str | None) -> int:
    app = QApplication.instance() or QApplication(sys.argv)
    assert isinstance(app, QApplication)  # the windows need a QApplication, never a bare QCoreApplication
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("kodomo-desktop")
    app.setWindowIcon(QIcon(str(locations.resources_dir() / "icons" / "kodomo-desktop.png")))
    sys.excepthook = _show_unexpected
    install_japanese(app)

    from kodomo_desktop.ui.startup import open_interactively

    opened = open_interactively(db_target)
    if opened is None:
        return 1
    db, lock = opened
    from kodomo_desktop.ui.open_database import show_window
    from kodomo_desktop.ui.welcome import welcome_once

    try:
        # the window holds the database and its lock from here, and gives them up when it
        # gives way to another file (ファイル ▸ 開く) or when the application quits
        window = show_window(db, lock, user_settings())
    except BaseException:
        if lock is not None:
            lock.release()
        db.dispose()
        raise
    if quit_ms := os.environ.get("KODOMO_SMOKE_QUIT_MS"):  # the frozen bundle's smoke test
        QTimer.singleShot(int(quit_ms), app.quit)
    else:
        QTimer.singleShot(0, lambda: welcome_once(window))
    return app.exec()
