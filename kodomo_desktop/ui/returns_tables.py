"""Read-only tables shared by the Excel returns dialogs: rows of text, closed with 閉じる."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QDialogButtonBox, QTableWidget, QTableWidgetItem


def text_item(text: str, tooltip: str | None = None) -> QTableWidgetItem:
    """A cell the user reads but does not edit; the whole text in its tooltip."""
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    item.setToolTip(tooltip if tooltip is not None else text)
    return item


def row_table(headers: list[str], name: str) -> QTableWidget:
    """A table selected by whole rows, without a row header; name: what a screen reader calls it."""
    table = QTableWidget(0, len(headers))
    table.setAccessibleName(name)
    table.setHorizontalHeaderLabels(headers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setStretchLastSection(True)
    table.setWordWrap(False)
    return table


def close_buttons() -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    close = buttons.button(QDialogButtonBox.StandardButton.Close)
    assert close is not None  # the box was made with that button
    close.setText("閉じる")
    return buttons
