"""SIGTERM (a logout, a shutdown, `kill`) and SIGINT (Ctrl+C in the terminal that started the window)
close the windows as the close button does: the form's pending edit is handed in, the writes land,
the window's presence row goes and its layout is saved.

Python runs a signal handler only when the interpreter next gets control, and in Qt's event loop
that may be never; so the C-level handler writes the signal's number to a socket (`set_wakeup_fd`)
that a QSocketNotifier watches, which brings the interpreter in at once.
"""

from __future__ import annotations

import signal
import socket

from PySide6.QtCore import QObject, QSocketNotifier
from PySide6.QtWidgets import QApplication

SIGNALS = (signal.SIGTERM, signal.SIGINT)


class Termination(QObject):
    def __init__(self, app: QApplication):
        super().__init__(app)
        self._app = app
        self._woken, self._waker = socket.socketpair()
        for end in (self._woken, self._waker):
            end.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._waker.fileno())
        # a Python handler must be set for the wakeup byte to be written; the work is done in _close
        self._previous = {sig: signal.signal(sig, lambda *_: None) for sig in SIGNALS}
        self._notifier = QSocketNotifier(self._woken.fileno(), QSocketNotifier.Type.Read, self)
        self._notifier.activated.connect(self._close)

    def _close(self) -> None:
        try:
            self._woken.recv(64)
        except BlockingIOError:
            return
        self._app.closeAllWindows()
        self._app.quit()

    def uninstall(self) -> None:
        """Back to the handlers there were before (for a test's process, which goes on)."""
        self._notifier.setEnabled(False)
        signal.set_wakeup_fd(self._previous_fd)
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)
        self._woken.close()
        self._waker.close()
