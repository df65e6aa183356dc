"""The window's undo and redo keys, whatever has the focus, and the menu items naming the step.

A text box (QLineEdit, QPlainTextEdit) claims Ctrl+Z and Ctrl+Y for its own text undo
through a ShortcutOverride event, so the window's actions never saw them there; and while
the typing is not yet handed in the stack is empty, so the undo action is off. The window
wants one undo: the form hands in what is being typed (EditSession.undo asks it to), then
the last step is undone. So every widget of the window that takes the focus gets a filter
that takes those keys and runs the session's undo or redo itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence, QUndoGroup
from PySide6.QtWidgets import QApplication, QWidget


def step_text(verb: str, step: str) -> str:
    """「元に戻す: 概要の変更（P0012）」; an & in a step's text is shown, not taken as a mnemonic."""
    return f"{verb}: {step.replace('&', '&&')}" if step else verb


class UndoKeys(QObject):
    """Takes the undo and redo actions' keys for the window in every one of its widgets."""

    def __init__(self, window: QWidget, steps: Sequence[tuple[QAction, Callable[[], object]]]):
        """steps: each action with what its keys do (the action itself is off while the stack is
        empty, though typing not yet handed in is about to become a step)."""
        super().__init__(window)
        self._window = window
        self._steps = [(key, run) for action, run in steps for key in action.shortcuts()]
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        # only widgets that take the focus see these keys: watching them is enough, and far cheaper
        # than a filter on the whole application
        app.focusChanged.connect(self._focus_changed)
        # with no widget focused (after a click on one that takes no focus) the keys go to the window
        window.installEventFilter(self)

    def _focus_changed(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is not None and new.window() is self._window:
            new.installEventFilter(self)  # installed again, it stays installed once

    def _step(self, event: QKeyEvent) -> Callable[[], object] | None:
        pressed = QKeySequence(event.keyCombination())
        return next(
            (run for key, run in self._steps if pressed.matches(key) == QKeySequence.SequenceMatch.ExactMatch), None
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) or not isinstance(event, QKeyEvent):
            return False
        run = self._step(event)
        if run is None:
            return False
        if kind == QEvent.Type.ShortcutOverride:
            event.accept()  # the key comes here as a key press, whichever widget has the focus
        else:
            run()
        return True


def name_steps(group: QUndoGroup, undo: QAction, redo: QAction) -> None:
    """The 編集 menu's items say which step they take back or do again."""
    group.undoTextChanged.connect(lambda text: _show(undo, step_text("元に戻す", text)))
    group.redoTextChanged.connect(lambda text: _show(redo, step_text("やり直す", text)))


def _show(action: QAction, text: str) -> None:
    action.setText(text)
    action.setToolTip(text.replace("&&", "&"))
