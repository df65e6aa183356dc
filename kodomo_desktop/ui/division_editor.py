"""所管 of one program: master-list entries in printed order, added by completion, reordered, removed."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QGridLayout,
    QListWidget,
    QPushButton,
    QWidget,
)

from kodomo_desktop.core.queries import DivisionChoice

Pairs = tuple[tuple[str, str | None], ...]


class DivisionEditor(QWidget):
    edited = Signal(tuple)  # the new pairs, in printed order

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._pairs: Pairs = ()
        self._choices: dict[str, tuple[str, str | None]] = {}
        self.list = QListWidget()
        self.list.setAccessibleName("所管（冊子に載る順）")
        self.list.setMaximumHeight(self.fontMetrics().height() * 6)
        self.list.currentRowChanged.connect(self._update_buttons)
        self.up = QPushButton("上へ")
        self.down = QPushButton("下へ")
        self.remove = QPushButton("外す")
        self.picker = QComboBox()
        self.picker.setEditable(True)
        self.picker.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        # the longest 所管 name would otherwise set the form's minimum width
        self.picker.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.picker.setMinimumContentsLength(8)
        # an editable combo box always has a line edit and a completer
        line_edit = self.picker.lineEdit()
        completer = self.picker.completer()
        assert line_edit is not None and completer is not None
        line_edit.setPlaceholderText("所管を入力して選ぶ（一部でも可）")
        for part in (self.picker, line_edit, self.picker.view()):
            part.setAccessibleName("追加する所管")
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.picker.currentTextChanged.connect(self._update_buttons)
        self.add = QPushButton("追加")
        self.up.clicked.connect(lambda: self._move(-1))
        self.down.clicked.connect(lambda: self._move(1))
        self.remove.clicked.connect(self._remove)
        self.add.clicked.connect(self._add)
        line_edit.returnPressed.connect(self._add)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list, 0, 0, 3, 2)
        layout.addWidget(self.up, 0, 2)
        layout.addWidget(self.down, 1, 2)
        layout.addWidget(self.remove, 2, 2)
        layout.addWidget(self.picker, 3, 0, 1, 2)
        layout.addWidget(self.add, 3, 2)
        layout.setColumnStretch(0, 1)
        self._read_only = False

    def set_choices(self, choices: list[DivisionChoice]) -> None:
        self._choices = {c.label: (c.department, c.division) for c in choices}
        self.picker.clear()
        self.picker.addItems([c.label for c in choices if c.active])
        self.picker.setCurrentIndex(-1)

    def set_pairs(self, pairs: Pairs) -> None:
        row = self.list.currentRow()
        self._pairs = tuple((department, division) for department, division in pairs)
        self.list.clear()
        labels = {pair: label for label, pair in self._choices.items()}
        self.list.addItems([labels.get(pair) or " ".join(filter(None, pair)) for pair in self._pairs])
        self.list.setCurrentRow(min(row, len(self._pairs) - 1))
        self._update_buttons()

    def set_read_only(self, read_only: bool) -> None:
        self._read_only = read_only
        self.picker.setEnabled(not read_only)
        self._update_buttons()

    def _update_buttons(self, *_args: object) -> None:
        row = self.list.currentRow()
        editable = not self._read_only
        self.up.setEnabled(editable and row > 0)
        self.down.setEnabled(editable and 0 <= row < len(self._pairs) - 1)
        self.remove.setEnabled(editable and row >= 0)
        self.add.setEnabled(editable and self._choices.get(self.picker.currentText()) not in (None, *self._pairs))

    def _move(self, step: int) -> None:
        row = self.list.currentRow()
        pairs = list(self._pairs)
        pairs.insert(row + step, pairs.pop(row))
        self.list.setCurrentRow(row + step)
        self.edited.emit(tuple(pairs))

    def _remove(self) -> None:
        row = self.list.currentRow()
        self.edited.emit(self._pairs[:row] + self._pairs[row + 1 :])

    def _add(self) -> None:
        if not self.add.isEnabled():
            return
        pair = self._choices[self.picker.currentText()]
        self.picker.setCurrentIndex(-1)
        self.picker.clearEditText()
        self.list.setCurrentRow(len(self._pairs))
        self.edited.emit((*self._pairs, pair))
