"""Accessible names: what a screen reader says for a control the keyboard can reach."""

from __future__ import annotations

from typing import TypeVar

from PySide6.QtWidgets import QComboBox, QTabWidget, QWidget

W = TypeVar("W", bound=QWidget)


def named(widget: W, name: str) -> W:
    """Name a control, with the parts of it that take the focus on their own (a combo box's
    list and line edit, a tab widget's tab bar)."""
    widget.setAccessibleName(name)
    if isinstance(widget, QComboBox):
        widget.view().setAccessibleName(name)
        line_edit = widget.lineEdit()
        if line_edit is not None:
            line_edit.setAccessibleName(name)
    if isinstance(widget, QTabWidget):
        widget.tabBar().setAccessibleName(name)
    return widget
