"""The window's undo and redo keys, whatever has the focus, and the menu items naming the step.

A text box (QLineEdit, QPlainTextEdit) claims Ctrl+Z and Ctrl+Y for its own text undo
through a ShortcutOverride event, so the window's actions never saw them there. The window
wants one undo: the form hands in what is being typed (EditSession.undo asks it to), then
the last step is undone. So every widget of the window that takes the focus gets a filter
that leaves those keys to the window's actions.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QUndoGroup
from PySide6.QtWidgets import QApplication, QWidget


def step_text(verb: str, step: str) -> str:
    """「元に戻す: 概要の変更（P0012）」; an & in a step's text is shown, not taken as a mnemonic."""
    return f"{verb}: {step.replace('&', '&&')}" if step else verb


class UndoKeys(QObject):
    """Leaves the undo and redo actions' keys to the window in every one of its widgets."""

    def __init__(self, window: QWidget, undo: QAction, redo: QAction):
        super().__init__(window)
        self._window = window
        self._keys = [k for action in (undo, redo) for k in action.shortcuts()]
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        # only widgets that take the focus see these keys: watching them is enough, and far cheaper
        # than a filter on the whole application
        app.focusChanged.connect(self._focus_changed)

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is not None and new.window() is self._window:
            new.installEventFilter(self)  # installed again, it stays installed once

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent):
            pressed = QKeySequence(event.keyCombination())
            if any(pressed.matches(k) == QKeySequence.SequenceMatch.ExactMatch for k in self._keys):
                event.ignore()  # not overridden: the window's action takes the key
                return True
        return False


def name_steps(group: QUndoGroup, undo: QAction, redo: QAction) -> None:
    """The 編集 menu's items say which step they take back or do again."""
    group.undoTextChanged.connect(lambda text: _show(undo, step_text("元に戻す", text)))
    group.redoTextChanged.connect(lambda text: _show(redo, step_text("やり直す", text)))


def _show(action: QAction, text: str) -> None:
    action.setText(text)
    action.setToolTip(text.replace("&&", "&"))
