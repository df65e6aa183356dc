"""確認済みにする: the finding in full (never cut off), then the note saying what was checked."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPlainTextEdit, QVBoxLayout, QWidget


class AcknowledgeDialog(QDialog):
    def __init__(self, finding_text: str, note: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("確認済みにする")
        self.finding = QLabel(finding_text)
        self.finding.setTextFormat(Qt.TextFormat.PlainText)
        self.finding.setWordWrap(True)
        self.finding.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note = QPlainTextEdit(note)
        self.note.setTabChangesFocus(True)
        self.note.setAccessibleName("確認した内容・理由（メモ）")
        note_label = QLabel("確認した内容・理由（メモ）(&M):")
        note_label.setBuddy(self.note)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("確認済みにする")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("キャンセル")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.finding)
        layout.addWidget(note_label)
        layout.addWidget(self.note, 1)
        layout.addWidget(buttons)
        # wide enough for a long finding to wrap into a few lines, not one line wider than the screen
        self.resize(self.fontMetrics().horizontalAdvance("あ") * 40, self.sizeHint().height())
        self.note.setFocus()
