"""編集 ▸ 操作の履歴: the open edition's undo steps as a list; clicking one goes back (or forward) to it.

QUndoView would jump with QUndoStack.setIndex, past the session's checks (text still being
typed, a later change by someone else asked about first). Here every step is taken through
EditSession.undo/redo, one at a time, each once the one before has run in the write thread,
and the walk stops at a step the user declined.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QUndoStack
from PySide6.QtWidgets import QDockWidget, QListWidget, QListWidgetItem, QMainWindow, QWidget
from shiboken6 import isValid

from kodomo_desktop.ui.edit_session import EditSession

START = "（編集を始める前）"
UNDONE = "（取り消し済み）"


class UndoHistory(QListWidget):
    def __init__(self, session: EditSession, parent: QWidget | None = None):
        super().__init__(parent)
        self.session = session
        self._stack: QUndoStack | None = None
        self._target: int | None = None  # where a walk through the steps is going
        self.setAccessibleName("操作の履歴")
        self.setToolTip("行を選ぶと、その操作の後の状態まで元に戻します（またはやり直します）")
        group = session.undo_group
        group.activeStackChanged.connect(self._watch)
        # a merge (typing on in one field) changes a step's text without moving the index
        group.undoTextChanged.connect(self._fill)
        self.itemActivated.connect(self._go)
        self.itemClicked.connect(self._go)
        self._watch(group.activeStack())

    def _watch(self, stack: QUndoStack | None) -> None:
        if self._stack is not None and isValid(self._stack):
            self._stack.indexChanged.disconnect(self._fill)
        self._stack = stack
        if stack is not None:
            stack.indexChanged.connect(self._fill)
        self._fill()

    def _fill(self, *_args: object) -> None:
        stack = self._stack
        self.clear()
        if stack is None or not isValid(stack):  # the window is closing
            return
        self.addItem(START)
        for i in range(stack.count()):
            command = stack.command(i)
            undone = i >= stack.index()
            item = QListWidgetItem(f"{command.text()}{UNDONE if undone else ''}")
            if undone:
                item.setForeground(Qt.GlobalColor.gray)
            self.addItem(item)
        self.setCurrentRow(stack.index())

    def _go(self, item: QListWidgetItem) -> None:
        self.go_to(self.row(item))

    def go_to(self, index: int) -> None:
        """Undo or redo until the stack stands after step `index` (0: before every step). Each step's write
        runs in the write thread: the walk goes on once the session has finished the step before."""
        first = self._target is None
        self._target = index
        if first:
            self._walk()

    def _walk(self) -> None:
        stack, index = self._stack, self._target
        if stack is None or index is None or not isValid(stack) or stack.index() == index:
            self._target = None
            if stack is not None and isValid(stack):
                self.setCurrentRow(stack.index())
            return
        before = stack.index()
        (self.session.undo if before > index else self.session.redo)()

        def moved(_nothing: object) -> None:
            if stack is not self._stack or not isValid(stack) or stack.index() == before:
                self._target = None  # declined or failed (or another edition): stay where the walk got to
                if isValid(stack):
                    self.setCurrentRow(stack.index())
            else:
                self._walk()

        # queued behind the undo or redo: called once it has run and the stack has moved (or not)
        self.session.submit(lambda: None, moved)


def history_dock(window: QMainWindow, session: EditSession, action: QAction) -> QDockWidget:
    """The list in a dock on the right, shown and hidden by the (checkable) action; hidden at first."""
    dock = QDockWidget("操作の履歴", window)
    dock.setObjectName("undo-history-dock")
    dock.setWidget(UndoHistory(session, dock))
    window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
    dock.hide()
    action.toggled.connect(dock.setVisible)
    dock.visibilityChanged.connect(action.setChecked)
    return dock
