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
from kodomo_desktop.ui.termination import Termination


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
    termination = Termination(app)

    from kodomo_desktop.ui.welcome import welcome_once
    from kodomo_desktop.ui.window_start import WindowStart

    # a window at once; the database and the main window follow (see window_start)
    start = WindowStart(user_settings())
    start.gave_up.connect(lambda: app.exit(1))
    if quit_ms := os.environ.get("KODOMO_SMOKE_QUIT_MS"):  # the frozen bundle's smoke test
        QTimer.singleShot(int(quit_ms), app.quit)
    else:
        start.window_shown.connect(lambda window: QTimer.singleShot(0, lambda: welcome_once(window)))
    start.start(locations.database_target(db_target))
    try:
        return app.exec()
    finally:
        termination.uninstall()
