"""ファイル ▸ 開く… and ファイル ▸ 最近使ったファイル: another database file in the window's place.

The other file is opened through the start-up path (lock, then open and migrate), in a
new window; the old window then closes and gives up its database and lock, so another
window may open it. A file that fails to open leaves the current window as it was.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QObject
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

from kodomo_desktop.core.database import Database
from kodomo_desktop.core.errors import KodomoError
from kodomo_desktop.ui.instance_lock import InstanceLock
from kodomo_desktop.ui.settings import DATABASE_FOLDER, RECENT_DATABASES, RECENT_LIMIT, Settings
from kodomo_desktop.ui.startup import SQLITE_FILTER, open_locked

if TYPE_CHECKING:
    from kodomo_desktop.ui.edition_read import EditionRead
    from kodomo_desktop.ui.main_window import MainWindow

TITLE = "データベースを開く"


class Opened(QObject):
    """A database this process opened for a window, with its window lock: given up together,
    when the window gives way to another file or when the application quits."""

    def __init__(self, db: Database, lock: InstanceLock | None, window: MainWindow):
        super().__init__(window)
        self.db = db
        self.lock = lock
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.release)

    def release(self) -> None:
        # once only: after it, another process may hold the lock and its holder file
        if self.lock is not None:
            self.lock.release()
            self.lock = None
        self.db.dispose()


def show_window(db: Database, lock: InstanceLock | None, settings: Settings) -> MainWindow:
    """A main window on an opened database, holding it and its lock, shown."""
    window = window_on(db, lock, settings)
    window.show()
    return window


def window_on(
    db: Database, lock: InstanceLock | None, settings: Settings, first: EditionRead | None = None
) -> MainWindow:
    """A main window on an opened database, holding it and its lock, not yet shown (first: filled once shown)."""
    from kodomo_desktop.ui.main_window import MainWindow

    window = MainWindow(db, settings, first=first)
    Opened(db, lock, window)
    if db.path is not None:
        remember(settings, db.path)
    return window


def recent(settings: Settings) -> list[str]:
    return [str(p) for p in settings.get(RECENT_DATABASES) if p][:RECENT_LIMIT]


def remember(settings: Settings, path: Path) -> None:
    """The file goes to the top of the recent files."""
    path_text = str(Path(path).resolve())
    settings.set(RECENT_DATABASES, [path_text, *(p for p in recent(settings) if p != path_text)][:RECENT_LIMIT])


def forget(settings: Settings, path: str) -> None:
    settings.set(RECENT_DATABASES, [p for p in recent(settings) if p != path])


def choose_and_open(window: MainWindow) -> None:
    """ファイル ▸ 開く…: ask for a SQLite file and open it in the window's place."""
    path, _ = QFileDialog.getOpenFileName(window, TITLE, window.settings.folder(DATABASE_FOLDER), SQLITE_FILTER)
    if not path:
        return
    window.settings.remember_folder(DATABASE_FOLDER, path)
    open_in_place(window, path)


def fill_recent_menu(window: MainWindow, menu: QMenu) -> None:
    """The recent files, newest first, numbered for the keyboard; the open one is shown but disabled."""
    menu.clear()
    files = recent(window.settings)
    current = str(window.db.path.resolve()) if window.db.path is not None else None
    for i, path in enumerate(files, 1):
        action = menu.addAction(f"&{i} {Path(path).name}  （{Path(path).parent}）")
        action.setToolTip(path)
        action.setEnabled(path != current)
        action.triggered.connect(lambda _checked=False, p=path: open_recent(window, p))
    if not files:
        menu.addAction("（まだありません）").setEnabled(False)


def open_recent(window: MainWindow, path: str) -> None:
    if not Path(path).is_file():
        # opening would create a new empty database there: the entry goes instead
        forget(window.settings, path)
        QMessageBox.warning(
            window,
            TITLE,
            f"{path} が見つかりません（移動または削除されたようです）。最近使ったファイルの一覧から外しました。"
            "ファイルの場所がわかるときは「ファイル ▸ 開く…」で開いてください。",
        )
        return
    open_in_place(window, path)


def open_in_place(window: MainWindow, path: str) -> None:
    """Open path in a new window that replaces this one; a message, and this window as it was, when it
    cannot be opened. Opening may create, migrate and back up the file: the window's write thread
    does it, after the edits handed in before, and the window answers meanwhile."""
    if window.db.path is not None and Path(path).resolve() == window.db.path.resolve():
        QMessageBox.information(window, TITLE, f"{path} はこのウィンドウで開いています。")
        return
    window.form.commit_pending()  # into the database it was typed in
    window.statusBar().showMessage(f"{path} を開いています…")

    def opened(value: tuple[Database, InstanceLock | None]) -> None:
        db, lock = value
        show_window(db, lock, window.settings)
        held = window.findChild(Opened)
        window.close()  # its layout and last edition are saved first, then the new window's are current
        if held is not None:
            held.release()
        window.deleteLater()

    def refused(exc: BaseException) -> None:
        window.statusBar().clearMessage()
        if not isinstance(exc, KodomoError):
            raise exc  # a bug: the excepthook shows it
        QMessageBox.warning(
            window, TITLE, f"{path} を開けませんでした。いまのデータベースのまま続けます。\n\n{exc.message}"
        )

    window.session.runner.submit(lambda: open_locked(path), opened, refused)
