"""The status bar's word on sharing: who else has this edition open, and whether the file is on a network drive.

The window's heartbeat (core.presence) is a small write, so it runs on a thread of its own
every `HEARTBEAT_S` seconds and hands the others' names back by a queued signal.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from contextlib import suppress
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QLabel
from sqlalchemy.exc import SQLAlchemyError

from kodomo_desktop.core import presence
from kodomo_desktop.core.errors import KodomoError
from kodomo_desktop.core.presence import Me, Present
from kodomo_desktop.core.shared_file import FEW_PEOPLE

if TYPE_CHECKING:
    from kodomo_desktop.ui.main_window import MainWindow
    from kodomo_desktop.ui.op_runner import OpRunner

SHARED_NOTE = "ネットワークドライブ上の共有ファイル"
SHARED_TIP = (
    "このデータベースはネットワークドライブ上にあるため、書き込みは一人ずつ順番に行います"
    "（ロールバックジャーナルと書き込み用のロックファイルを使います）。"
)


def people_text(others: list[Present]) -> str:
    return "同時に開いている人: " + "、".join(f"{p.user}（{p.host}）" for p in others) if others else ""


class PresenceStatus(QObject):
    heard = Signal(object)  # list[Present], from the heartbeat's thread
    beaten = Signal()  # the heartbeat's thread is done, heard or not

    def __init__(
        self, window: MainWindow, clock: Callable[[], datetime] = lambda: datetime.now(UTC), beat_now: bool = True
    ):
        """beat_now: the first heartbeat at once (else when the window calls beat(), its edition shown)."""
        super().__init__(window)
        self.window = window
        self.clock = clock
        self.me = Me.here(window.db.user)
        self.others: list[Present] = []
        self.label = QLabel()
        window.statusBar().addPermanentWidget(self.label)
        self._thread: threading.Thread | None = None
        self._again = False
        self.heard.connect(self._show)
        self.beaten.connect(self._beaten)
        self.timer = QTimer(self, interval=presence.HEARTBEAT_S * 1000)
        self.timer.timeout.connect(self.beat)
        self.timer.start()
        window.navigator.edition_chosen.connect(lambda _year: self.beat())
        self._show([])
        if beat_now:
            self.beat()

    def beat(self) -> None:
        """Send a heartbeat for the open edition: one at a time, one asked for meanwhile right after it
        (it may be for another edition, or follow someone's arrival the running one missed)."""
        if self._thread is not None and self._thread.is_alive():
            self._again = True
            return
        edition = self.window.edition
        args = (edition.id if edition is not None else None, self.clock())
        self._thread = threading.Thread(target=self._beat, args=args, name="presence", daemon=True)
        self._thread.start()

    def _beat(self, edition_id: int | None, now: datetime) -> None:
        # busy or unreachable: the status stays as it was until the next heartbeat
        try:
            with suppress(KodomoError, SQLAlchemyError):
                self.heard.emit(presence.beat(self.window.db, self.me, edition_id, now))
        finally:
            with suppress(RuntimeError):  # the window closed meanwhile
                self.beaten.emit()

    def _beaten(self) -> None:
        if self._again and self.timer.isActive():
            self._again = False
            self.beat()

    def leave(self, runner: OpRunner) -> None:
        """The window closes: no more heartbeats, and its row goes, written by the window's write
        thread after the edits handed in before (the window waits for those anyway)."""
        self.timer.stop()
        if self._thread is not None:
            self._thread.join()
        db, me = self.window.db, self.me
        # failing (busy, unreachable), the row expires by itself
        runner.submit(lambda: presence.leave(db, me), lambda _none: None, lambda _exc: None)

    def _show(self, others: list[Present]) -> None:
        self.others = others
        parts = [people_text(others)]
        tip = ""
        if self.window.db.write_lock is not None:
            parts.append(SHARED_NOTE)
            tip = SHARED_TIP
            if len(others) + 1 > FEW_PEOPLE:
                parts.append(f"{len(others) + 1}人が同時に使っています。サーバー（PostgreSQL）への移行をおすすめします")
        self.label.setText("　".join(p for p in parts if p))
        self.label.setToolTip(tip)
