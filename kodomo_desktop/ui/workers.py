"""Long work (booklet, templates, rollover) off the GUI thread, behind a progress dialog with cancel.

Work that writes runs in the window's write thread (`start_write`), in order with the edits."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, SignalInstance
from PySide6.QtWidgets import QProgressDialog, QWidget

if TYPE_CHECKING:
    from kodomo_desktop.ui.edit_session import EditSession

# work(progress, cancelled): progress(done, total) may be called from the worker thread;
# cancelled() is polled by the work, which stops by raising.
Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
Work = Callable[[Progress, Cancelled], Any]


class _Signals(QObject):
    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, work: Work, signals: _Signals, cancelled: threading.Event):
        super().__init__()
        self.work = work
        self.signals = signals
        self.cancelled = cancelled

    def run(self) -> None:
        try:
            result = self.work(self.signals.progress.emit, self.cancelled.is_set)
        except BaseException as exc:  # handed to the GUI thread, which decides what to show
            self.signals.failed.emit(exc)
        else:
            self.signals.finished.emit(result)


class BackgroundTask(QObject):
    """One piece of work in the thread pool; the window stays responsive, the dialog is window-modal."""

    finished = Signal(object)  # the work's result
    failed = Signal(object)  # the exception; not emitted when the user cancelled
    cancelled = Signal()

    def __init__(self, parent: QWidget, label: str, work: Work, *, cancellable: bool = True):
        super().__init__(parent)
        self._cancel_requested = threading.Event()
        self._signals = _Signals(self)
        self._signals.progress.connect(self._progress)
        self._signals.finished.connect(self._finished)
        self._signals.failed.connect(self._failed)
        self._job = _Job(work, self._signals, self._cancel_requested)
        self.dialog = QProgressDialog(label, "キャンセル", 0, 0, parent)
        self.dialog.setWindowTitle("処理中")
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(300)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        if cancellable:
            self.dialog.canceled.connect(self._request_cancel)
        else:
            self.dialog.setCancelButton(None)

    def start(self) -> BackgroundTask:
        QThreadPool.globalInstance().start(self._job)
        return self

    def start_write(self, session: EditSession) -> BackgroundTask:
        """Work that writes: in the window's write thread, after the edits handed in before it."""
        # the job hands its outcome over by its own signals
        session.submit(self._job.run, lambda _none: None, lambda _exc: None)
        return self

    def _request_cancel(self) -> None:
        self._cancel_requested.set()
        self.dialog.setLabelText("キャンセルしています…")

    def _progress(self, done: int, total: int) -> None:
        self.dialog.setMaximum(total)
        self.dialog.setValue(done)

    def _finished(self, result: Any) -> None:
        self._end(self.finished, result)

    def _failed(self, exc: BaseException) -> None:
        self._end(self.failed, exc)

    def _end(self, outcome: SignalInstance, value: Any) -> None:
        # read before closing: closing a QProgressDialog emits canceled, which would look like the user's cancel
        cancelled = self._cancel_requested.is_set()
        self.dialog.close()
        self.deleteLater()
        if cancelled:
            self.cancelled.emit()
        else:
            outcome.emit(value)
