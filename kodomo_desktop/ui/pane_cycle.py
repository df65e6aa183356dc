"""F6 / Shift+F6: the focus moves from pane to pane (tree → grid → form → findings), as in Office.

A pane is entered where the focus last was inside it (the field being edited in the form),
else at its first widget. A pane that is hidden or shows nothing to work on is passed over.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication, QWidget
from shiboken6 import isValid


@dataclass
class Pane:
    name: str
    area: Callable[[], QWidget | None]  # the widget holding the pane (None: not there, e.g. no panel)
    entry: Callable[[], QWidget | None]  # where the focus goes the first time
    last: QWidget | None = None


class PaneCycle(QObject):
    def __init__(self, window: QWidget, panes: list[Pane], before: dict[QWidget, str] | None = None):
        """panes in cycle order; `before` puts a widget outside every pane (the search box) just
        before the named pane, so F6 there goes to that pane and Shift+F6 to the one before it."""
        super().__init__(window)
        self.panes = panes
        self._before = before or {}
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.focusChanged.connect(self._remember)

    def next(self) -> None:
        self._move(1)

    def previous(self) -> None:
        self._move(-1)

    def current(self) -> int | None:
        """The index of the pane holding the focus (None: none does)."""
        focus = QApplication.focusWidget()
        return None if focus is None else self._pane_of(focus)

    def _pane_of(self, widget: QWidget) -> int | None:
        for i, pane in enumerate(self.panes):
            area = pane.area()
            if area is not None and (widget is area or area.isAncestorOf(widget)):
                return i
        return None

    def _move(self, step: int) -> None:
        count = len(self.panes)
        focus = QApplication.focusWidget()
        here = None if focus is None else self._pane_of(focus)
        if here is None:
            named = self._before.get(focus) if focus is not None else None
            names = [p.name for p in self.panes]
            # standing just before a pane: F6 enters it, Shift+F6 the one before it
            here = (names.index(named) - (1 if step > 0 else 0)) if named in names else (-1 if step > 0 else 0)
        for k in range(1, count + 1):
            target = self._target(self.panes[(here + step * k) % count])
            if target is not None:
                target.setFocus()
                return

    @staticmethod
    def _usable(widget: QWidget | None) -> bool:
        # the last focused widget may be gone (a grid cell's editor)
        return widget is not None and isValid(widget) and widget.isVisible() and widget.isEnabled()

    def _target(self, pane: Pane) -> QWidget | None:
        area = pane.area()
        if not self._usable(area):
            return None
        for widget in (pane.last, pane.entry()):
            if self._usable(widget):
                return widget
        return None

    def _remember(self, _old: QWidget | None, new: QWidget | None) -> None:
        if new is not None:
            i = self._pane_of(new)
            if i is not None:
                self.panes[i].last = new
