"""Start-up that shows a window at once: a light window first, the database opened in a worker.

The light window (the title and 「データベースを開いています…」 at the saved geometry) needs
nothing but Qt. A worker thread then imports the rest (SQLAlchemy is most of the import
time), takes the window lock, opens the database and reads the first edition; the GUI
thread meanwhile only turns its event loop, so it never waits on an import the worker is
running. Back on the GUI thread the main window is built, then shown in the light window's
place, each on its own turn of the event loop; it then fills its views from what was read,
shows the first program, computes the search keys and starts validating, a step a turn
(MainWindow._show_first). A database
that cannot be opened brings the start-up choices (ui/startup.py) as before.
"""

from __future__ import annotations

import gc
import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6 import QtWidgets
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QMainWindow

from kodomo_desktop.ui.event_turns import next_turn
from kodomo_desktop.ui.settings import LAST_EDITION, TREE_SCOPE, WINDOW_GEOMETRY, Settings

if TYPE_CHECKING:
    from kodomo_desktop.core.database import Database
    from kodomo_desktop.ui.edition_read import EditionRead
    from kodomo_desktop.ui.instance_lock import InstanceLock
    from kodomo_desktop.ui.main_window import MainWindow

OPENING = "データベースを開いています…"


@dataclass(frozen=True)
class _Opened:
    db: Database
    lock: InstanceLock | None
    first: EditionRead


@dataclass(frozen=True)
class _Refused:
    target: str
    message: str
    offer_backups: bool


def make_widget_types() -> None:
    """PySide makes its Python types as they are first used, and the first widget a Qt call returns
    (a view's viewport()) makes it make every QtWidgets type: 10-15 ms, made here in the start-up's
    worker rather than on the GUI thread while it builds the main window."""
    for name in dir(QtWidgets):
        getattr(QtWidgets, name)


def light_window(settings: Settings) -> QMainWindow:
    """The window shown while the database opens: where the main window will be, saying what happens."""
    shell = QMainWindow()
    shell.setWindowTitle("kodomo-desktop")
    label = QLabel(OPENING)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    shell.setCentralWidget(label)
    shell.statusBar().showMessage(OPENING)
    if not shell.restoreGeometry(settings.get(WINDOW_GEOMETRY)):
        shell.resize(960, 600)  # a first start: the main window then sizes itself to the screen
    return shell


class WindowStart(QObject):
    """Shows the light window, opens target in a worker, then puts the main window in its place.

    window_shown(window) once the main window is up (filled on the next turns: its edition_shown
    follows); gave_up() when the user chose to quit at a database that cannot be opened."""

    window_shown = Signal(object)
    gave_up = Signal()
    _outcome = Signal(object)  # from the worker, delivered on the GUI thread (a queued connection)

    def __init__(self, settings: Settings):
        super().__init__()
        self.settings = settings
        self.window: MainWindow | None = None
        self.shell = light_window(settings)
        # read here: the settings object belongs to the GUI thread
        self._year: int | None = settings.get(LAST_EDITION) or None
        self._scope_key: str = settings.get(TREE_SCOPE)
        self._outcome.connect(self._arrived, Qt.ConnectionType.QueuedConnection)

    def start(self, target: str | None) -> None:
        """Show the light window and open target (None: nothing to open, give up)."""
        self.shell.show()
        self._open(target)

    def _open(self, target: str | None) -> None:
        if target is None:
            self.shell.close()
            self.gave_up.emit()
            return
        threading.Thread(target=self._read, args=(target,), name="kodomo-start", daemon=True).start()

    def _read(self, target: str) -> None:
        """In the worker: the imports, the lock, the database opened, the first edition read."""
        outcome: Any
        # no cyclic garbage collection while the modules load and the edition is read: a full collection
        # holds the interpreter, so the GUI thread, for 20-40 ms; what start-up made then stays (frozen),
        # so that later collections do not walk it either (10,000 programs' rows among it)
        gc.disable()
        try:
            from kodomo_desktop.core.errors import DatabaseError, KodomoError
            from kodomo_desktop.ui import main_window  # noqa: F401  # imported here, never on the GUI thread
            from kodomo_desktop.ui.edition_read import read_first
            from kodomo_desktop.ui.startup import open_locked

            make_widget_types()
            try:
                db, lock = open_locked(target)
            except DatabaseError as exc:
                outcome = _Refused(target, exc.message, True)
            except KodomoError as exc:  # held by another window, or the seed cannot be installed
                outcome = _Refused(target, exc.message, False)
            else:
                try:
                    outcome = _Opened(db, lock, read_first(db, self._year, self._scope_key))
                except BaseException:
                    if lock is not None:
                        lock.release()
                    db.dispose()
                    raise
        except BaseException as exc:  # a bug: shown by the GUI thread's excepthook
            outcome = exc
        finally:
            gc.freeze()
            gc.enable()
        self._outcome.emit(outcome)

    def _arrived(self, outcome: object) -> None:
        if isinstance(outcome, BaseException):
            self.shell.close()
            self.gave_up.emit()
            raise outcome
        if isinstance(outcome, _Refused):
            from kodomo_desktop.ui.startup import ask

            self._open(ask(outcome.message, outcome.target, offer_backups=outcome.offer_backups))
            return
        assert isinstance(outcome, _Opened)
        from kodomo_desktop.ui.open_database import window_on

        try:
            window = window_on(outcome.db, outcome.lock, self.settings, outcome.first)
        except BaseException:
            if outcome.lock is not None:
                outcome.lock.release()
            outcome.db.dispose()
            raise
        self.window = window
        # built on this turn, shown on the next: each with its paint short enough not to freeze the window
        next_turn(self, self._show)

    def _show(self) -> None:
        assert self.window is not None
        self.window.show()
        # after the first paint of the main window, which then takes the light one's place
        QTimer.singleShot(0, self.shell.close)
        self.window_shown.emit(self.window)
