"""対象 as eight check boxes: how a conflicting 対象 of a return is edited."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from kodomo_desktop.core.targets import TARGETS
from kodomo_desktop.ui.dialog_size import fit_to_screen


class TargetsDialog(QDialog):
    """The 8 target groups as check boxes: how a conflicting 対象 is edited."""

    def __init__(self, parent: QWidget, labels: list[str]):
        super().__init__(parent)
        fit_to_screen(self)
        self.setWindowTitle("対象")
        layout = QVBoxLayout(self)
        self.boxes = []
        for label in TARGETS:
            box = QCheckBox(label)
            box.setChecked(label in labels)
            layout.addWidget(box)
            self.boxes.append(box)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    @classmethod
    def ask(cls, parent: QWidget, labels: list[str]) -> list[str] | None:
        dialog = cls(parent, labels)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return [box.text() for box in dialog.boxes if box.isChecked()]
