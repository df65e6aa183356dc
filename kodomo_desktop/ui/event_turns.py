"""Work spread over turns of the event loop, so that the window keeps answering between the steps."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer


def next_turn(receiver: QObject, callback: Callable[[], object]) -> None:
    """Run callback on a later turn of the event loop, after the timers, input and paints due now; not at
    all once receiver is destroyed (a window closed meanwhile).

    A 1 ms timer, not 0: a 0 ms single shot is a posted event, which Qt runs in the same pass
    as the event that posted it, so that a chain of them would never let the window answer."""
    QTimer.singleShot(1, receiver, callback)
