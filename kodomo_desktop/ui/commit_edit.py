"""A multi-line editor that hands its text in when the user pauses or leaves, not per keystroke.

Writing every keystroke would make one undo step per character and a database
transaction per character; committing while an IME is composing would write half a
word. So the text is committed on focus-out and after a short idle, never while a
composition is open, and every commit of one visit (focus-in to focus-out) carries
the same merge key so the undo stack folds them into one step.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QPlainTextEdit, QWidget

IDLE_MS = 1500


class CommitTextEdit(QPlainTextEdit):
    committed = Signal(str, object)  # text, merge key

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self._idle = QTimer(self, singleShot=True, interval=IDLE_MS)
        self._idle.timeout.connect(self.commit)
        self._dirty = False
        self._composing = False
        self._loading = False
        self._merge_key = object()
        self.textChanged.connect(self._edited)

    def set_text(self, text: str) -> None:
        """Show a value from the database. Left alone when it is already what the editor holds
        (a refresh after the editor's own commit keeps the cursor and any composition) and
        while typing is not yet handed in (it is about to be, or its write was refused)."""
        if self._dirty or text == self.toPlainText():
            return
        self._loading = True
        try:
            self.setPlainText(text)
        finally:
            self._loading = False
        self._dirty = False
        self._idle.stop()

    def _edited(self) -> None:
        if not self._loading and not self.isReadOnly():
            self._dirty = True
            self._idle.start()

    def inputMethodEvent(self, event) -> None:
        self._composing = bool(event.preeditString())
        super().inputMethodEvent(event)
        if not self._composing and self._dirty:
            self._idle.start()

    def commit(self) -> None:
        if self._composing:
            self._idle.start()  # wait for the IME to finish the word
            return
        self._idle.stop()
        if self._dirty:
            self._dirty = False
            self.committed.emit(self.toPlainText(), self._merge_key)

    @property
    def unsaved(self) -> bool:
        """Typed text not yet handed in."""
        return self._dirty

    def keep_unsaved(self) -> None:
        """The commit was refused (the database was busy): keep the text and hand it in again later."""
        self._dirty = True

    def discard(self) -> None:
        """The typed text is given up: the next set_text shows the stored value."""
        self._dirty = False
        self._idle.stop()

    def focusInEvent(self, event) -> None:
        self._merge_key = object()
        super().focusInEvent(event)

    def focusOutEvent(self, event) -> None:
        super().focusOutEvent(event)
        # a composition still open when focus leaves is committed by the IME first
        self._composing = False
        self.commit()
