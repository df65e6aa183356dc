"""Others' edits appear by themselves: the window polls core.live's watcher and refreshes what changed.

A change another window or process committed to the open edition is announced as an
`Update` through the edit session, exactly as the window's own edits are, so every view
refreshes the way it already does. This window's own commits are recognised by the
program versions the session already knows, and skipped. Typing not yet handed in stays
(the form leaves a field being typed in alone, the grid its open cell), and its program keeps the version the
typing was based on: when it is handed in, a change of the same field made meanwhile
asks with the conflict dialog instead of being overwritten.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication
from sqlalchemy.exc import SQLAlchemyError

from kodomo_desktop.core.changes import Change, OpResult
from kodomo_desktop.core.errors import KodomoError
from kodomo_desktop.core.live import ChangeWatcher, Logged
from kodomo_desktop.ui.edit_session import Update

if TYPE_CHECKING:
    from kodomo_desktop.ui.main_window import MainWindow

INTERVAL_MS = 500


class LiveRefresh(QObject):
    def __init__(self, window: MainWindow, watcher: ChangeWatcher | None = None):
        """watcher: one started before the window's edition was read (else one is started now)."""
        super().__init__(window)
        self.window = window
        self.watcher = watcher or ChangeWatcher(window.db)
        self.timer = QTimer(self, interval=INTERVAL_MS)
        self.timer.timeout.connect(self.poll)
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
        self.watcher.close()

    @contextmanager
    def paused(self) -> Iterator[None]:
        """Without the watcher's connection: a restore replaces the file only when no one has it open."""
        self.stop()
        try:
            yield
        finally:
            self.watcher = ChangeWatcher(self.window.db)
            self.timer.start()

    def poll(self) -> None:
        # not inside a dialog's event loop: the edit that opened it is still under way
        if QApplication.activeModalWidget() is not None:
            return
        try:
            logged = self.watcher.poll()
        except (KodomoError, SQLAlchemyError):
            return  # busy or unreachable for now: the next tick reads what was missed
        if logged:
            self.apply(logged)

    def apply(self, logged: list[Logged]) -> None:
        window, session = self.window, self.window.session
        if window.edition is None:
            return
        edition_id = window.edition.id
        programs = [r for r in logged if r.edition_id == edition_id and r.entity == "program" and not self._seen(r)]
        others = [r for r in logged if r.entity != "program" and r.edition_id in (edition_id, None)]
        if others:
            # the edition itself, its policy tree or the master list: re-read the lot (rare)
            window.reload_everything(window.fiscal_year)
            return
        update = Update.of([OpResult(tuple(Change(r.entity, r.entity_id, r.field, None, None) for r in programs))])
        if not update:
            return
        typing = (window.form.typing_uid(), window.grid.editing_uid())
        based_on = {uid: v for uid in typing if uid is not None and (v := session.read_version(uid)) is not None}
        session.changed.emit(update)
        if based_on:
            session.note_read(based_on)

    def _seen(self, row: Logged) -> bool:
        """A change the views already show: this window's own write, or one read since. The grid is asked
        as well, since the form reads the program it shows on its own, and may have read it first."""
        if row.version is None:
            return False
        known = self.window.session.read_version(row.entity_id)
        in_grid = self.window.grid_model.shown_version(row.entity_id)
        return known is not None and known >= row.version and (in_grid is None or in_grid >= row.version)
