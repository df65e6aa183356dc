"""The one path for the window's database writes: one worker thread, in order, results back by signal.

As Anki's CollectionOp: the window hands a small piece of work (an operation call) to the
runner, which runs it in its worker thread; what it returned, or raised, comes back to the
GUI thread, where the caller records it and announces what changed. One thread keeps the
writes in the order they were made; the GUI thread never waits for SQLite's write lock,
so while another process (an import on the command line) holds it the window answers
input and says so in the status bar.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal

from kodomo_desktop.core.database import Database

WAITING = "他の処理が終わるのを待っています…"

Work = Callable[[], Any]
Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


class OpRunner(QObject):
    """Runs writes in one worker thread; `done`/`failed` are called on the GUI thread, in submission order."""

    waiting = Signal()  # a write started waiting for another process's write lock
    idle_changed = Signal(bool)  # True once nothing is queued or running
    _finished = Signal(object, object)  # callback, value or exception

    def __init__(self, db: Database, parent: QObject | None = None):
        super().__init__(parent)
        self.db = db
        self._jobs: queue.SimpleQueue[tuple[Work, Done, Failed] | None] = queue.SimpleQueue()
        self._pending = 0
        # a signal crosses to the GUI thread: the runner lives there, so the connection is queued
        self._finished.connect(self._deliver)
        db.on_wait = self.waiting.emit
        self._thread = threading.Thread(target=self._work, name="kodomo-writes", daemon=True)
        self._thread.start()

    @property
    def thread_id(self) -> int | None:
        return self._thread.ident

    @property
    def idle(self) -> bool:
        return self._pending == 0

    def submit(self, work: Work, done: Done, failed: Failed) -> None:
        """Run work() in the worker thread after the writes handed in before it."""
        self._pending += 1
        if self._pending == 1:
            self.idle_changed.emit(False)
        self._jobs.put((work, done, failed))

    def stop(self) -> None:
        """Let the writes handed in finish, then end the thread (the window closes)."""
        if self.db.on_wait == self.waiting.emit:
            self.db.on_wait = None
        self._jobs.put(None)
        self._thread.join()

    def _work(self) -> None:
        while (job := self._jobs.get()) is not None:
            work, done, failed = job
            try:
                value = work()
            except BaseException as exc:  # handed to the GUI thread, which decides what to show
                self._finished.emit(failed, exc)
            else:
                self._finished.emit(done, value)

    def _deliver(self, callback: Callable[[Any], None], value: Any) -> None:
        try:
            callback(value)
        finally:
            self._pending -= 1
            if self._pending == 0:
                self.idle_changed.emit(True)
