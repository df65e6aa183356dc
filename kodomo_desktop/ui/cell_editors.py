"""Cell editors of the program grid, with Excel's keys.

Enter commits and moves down, Tab commits and moves right (Shift+Tab left), Esc cancels,
Alt+Enter breaks the line of a multi-line cell. The delegate never writes into the model:
it hands the edited text to the view (`CellSink`), which checks it and pushes the one undo
command an edit is, so the grid only ever shows what the database holds.
"""

from __future__ import annotations

from typing import Protocol

from PySide6.QtCore import QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QKeyEvent, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QComboBox,
    QCompleter,
    QLineEdit,
    QPlainTextEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from kodomo_desktop.core.vocabulary import PROGRAM_STATUSES
from kodomo_desktop.ui.program_grid import COL_CHANGE, COL_DIVISIONS, COL_RESULTS, COL_SUMMARY

Index = QModelIndex | QPersistentModelIndex

MULTI_LINE_COLUMNS = (COL_SUMMARY, COL_RESULTS, COL_DIVISIONS)
# 所管 entries in one cell are separated by 、 (as printed) or stand one per line
DIVISION_SEPARATORS = "、,，"
_RETURN = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
# the keys a completer's open popup answers (choose, close) instead of the editor
_POPUP_KEYS = (*_RETURN, Qt.Key.Key_Tab, Qt.Key.Key_Backtab, Qt.Key.Key_Escape)
EDITOR_LINES = 6  # a multi-line cell opens this many lines high, over the rows below


class CellSink(Protocol):
    """The view, as the delegate needs it."""

    def cell_text(self, index: Index) -> str: ...

    def typing_started(self) -> bool: ...

    def division_labels(self) -> list[str]: ...

    def refused(self, index: Index, text: str) -> bool:
        """True when the text cannot be written (the view has said why): the editor stays open."""
        ...

    def write_cell(self, index: Index, text: str) -> None: ...

    def step(self, rows: int, columns: int) -> None:
        """Move the current cell after a commit: Enter down, Shift+Enter up, Tab right (leaving at the edge)."""
        ...


class CellTextEdit(QPlainTextEdit):
    """A multi-line cell: Enter, Tab and Esc are the delegate's; Alt+Enter breaks the line."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.completer: QCompleter | None = None

    def popup_open(self) -> bool:
        popup = self.completer.popup() if self.completer is not None else None
        return popup is not None and popup.isVisible()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.popup_open() and event.key() in _POPUP_KEYS:
            event.ignore()  # the completer chooses or closes
            return
        if event.key() in _RETURN:
            self.insertPlainText("\n")  # only Alt+Enter comes here: the delegate takes Enter
            return
        super().keyPressEvent(event)
        if event.text().strip():
            self.complete()

    def inputMethodEvent(self, event) -> None:
        super().inputMethodEvent(event)
        if event.commitString():
            self.complete()

    def complete(self) -> None:
        """Offer completions of what is being typed (a 所管 cell only)."""


class DivisionsEdit(CellTextEdit):
    """所管: several master-list entries, each completed from the list as it is typed."""

    def __init__(self, labels: list[str], parent: QWidget | None = None):
        super().__init__(parent)
        completer = QCompleter(labels, self)
        completer.setWidget(self)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.activated.connect(self._insert)
        self.completer = completer
        self.setToolTip("所管の一覧から入力（一部を入力すると候補が出ます）。複数は「、」で区切るか1行に1件")

    def _entry(self) -> QTextCursor:
        """The entry being typed: from the last separator of the line to the cursor, selected."""
        cursor = self.textCursor()
        before = cursor.block().text()[: cursor.positionInBlock()]
        start = max(before.rfind(s) for s in DIVISION_SEPARATORS) + 1
        while start < len(before) and before[start].isspace():
            start += 1
        cursor.setPosition(cursor.block().position() + start, QTextCursor.MoveMode.KeepAnchor)
        return cursor

    def complete(self) -> None:
        completer = self.completer
        assert completer is not None
        popup = completer.popup()
        assert popup is not None  # a completer makes its popup when first asked
        typed = self._entry().selectedText()
        completer.setCompletionPrefix(typed)
        if not typed or completer.completionCount() == 0:
            popup.hide()
            return
        rect = self.cursorRect()
        rect.setWidth(max(self.width(), popup.sizeHintForColumn(0) + 24))
        completer.complete(rect)

    def _insert(self, label: str) -> None:
        cursor = self._entry()
        cursor.insertText(label)
        self.setTextCursor(cursor)


class CellDelegate(QStyledItemDelegate):
    """Editors of the text, 所管 and 変更区分 cells; what they commit goes to the view, not the model."""

    def __init__(self, sink: CellSink, parent: QObject | None = None):
        super().__init__(parent)
        self.sink = sink
        self._cells: dict[QWidget, QPersistentModelIndex] = {}  # open editor -> its cell

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        column = index.column()
        editor: QWidget
        if column == COL_CHANGE:
            editor = QComboBox(parent)
            editor.addItems(PROGRAM_STATUSES)
        elif column == COL_DIVISIONS:
            editor = DivisionsEdit(self.sink.division_labels(), parent)
        elif column in MULTI_LINE_COLUMNS:
            editor = CellTextEdit(parent)
        else:
            editor = QLineEdit(parent)
        editor.setAccessibleName(f"{index.model().headerData(column, Qt.Orientation.Horizontal)}の編集")
        self._cells[editor] = QPersistentModelIndex(index)
        editor.destroyed.connect(lambda: self._cells.pop(editor, None))
        return editor

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        # also called when the row is repainted while the editor is open: what is typed stays
        if editor.property("loaded"):
            return
        editor.setProperty("loaded", True)
        # typing replaces the cell as in Excel (a list keeps its value); F2 and a double click keep it,
        # the cursor at its end
        typing = self.sink.typing_started() and not isinstance(editor, QComboBox)
        set_editor_text(editor, "" if typing else self.sink.cell_text(index))

    def setModelData(self, editor: QWidget, model: object, index: Index) -> None:
        self.sink.write_cell(index, editor_text(editor))

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem, index: Index) -> None:
        rect = option.rect
        if isinstance(editor, QPlainTextEdit):
            # a one-line row is too small to edit several lines in: open over the rows below
            metrics = editor.fontMetrics()
            rect = rect.adjusted(0, 0, 0, 0)  # a copy: the option's rect is the cell's
            rect.setWidth(max(rect.width(), metrics.horizontalAdvance("あ") * 20))
            rect.setHeight(max(rect.height(), metrics.lineSpacing() * EDITOR_LINES + 8))
            viewport = editor.parentWidget()
            if viewport is not None:
                area = viewport.rect()
                rect.moveRight(min(rect.right(), area.right()))
                rect.moveLeft(max(rect.left(), 0))
                rect.moveBottom(min(rect.bottom(), area.bottom()))
                rect.moveTop(max(rect.top(), 0))
        editor.setGeometry(rect)

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(editor, QWidget) and isinstance(event, QKeyEvent):
            move = self._move(editor, event)
            cell = self._cells.get(editor)
            if move is not None and cell is not None:
                if not self.sink.refused(cell, editor_text(editor)):
                    self.commitData.emit(editor)
                    # not Qt's EditNextItem: that would open the next cell's editor, where Excel only moves
                    self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)
                    self.sink.step(*move)
                return True
        return super().eventFilter(editor, event)

    @staticmethod
    def _move(editor: QWidget, event: QKeyEvent) -> tuple[int, int] | None:
        """Where a key that commits moves the current cell (rows, columns); None for other keys."""
        key, modifiers = event.key(), event.modifiers()
        if isinstance(editor, CellTextEdit) and editor.popup_open():
            return None
        if modifiers & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
            return None  # Alt+Enter breaks the line; Ctrl+Tab is the window's
        if key in _RETURN:
            return (-1 if modifiers & Qt.KeyboardModifier.ShiftModifier else 1), 0
        if key == Qt.Key.Key_Tab:
            return 0, 1
        if key == Qt.Key.Key_Backtab:
            return 0, -1
        return None


def set_editor_text(editor: QWidget, text: str) -> None:
    if isinstance(editor, QComboBox):
        editor.setCurrentText(text)
    elif isinstance(editor, QPlainTextEdit):
        editor.setPlainText(text)
        editor.moveCursor(QTextCursor.MoveOperation.End)
    elif isinstance(editor, QLineEdit):
        editor.setText(text)


def editor_text(editor: QWidget) -> str:
    if isinstance(editor, QComboBox):
        return editor.currentText()
    if isinstance(editor, QPlainTextEdit):
        return editor.toPlainText()
    if isinstance(editor, QLineEdit):
        return editor.text()
    raise TypeError(type(editor).__name__)
