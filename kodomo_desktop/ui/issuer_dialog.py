"""「発行者の設定」: the issuing body printed on an edition's cover and colophon."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from kodomo_desktop.core.queries import EditionSettings
from kodomo_desktop.ui.dialog_size import fit_to_screen


class IssuerDialog(QDialog):
    """City, department and division; an empty department or division is printed as none."""

    def __init__(self, parent: QWidget | None, edition_label: str, current: EditionSettings) -> None:
        super().__init__(parent)
        fit_to_screen(self)
        self.setWindowTitle("発行者の設定")
        self.city = QLineEdit(current.issuer_city)
        self.department = QLineEdit(current.issuer_department or "")
        self.department.setPlaceholderText("例: 子育て支援部")
        self.division = QLineEdit(current.issuer_division or "")
        self.division.setPlaceholderText("例: こども政策課")
        form = QFormLayout()
        form.addRow("市(&C):", self.city)
        form.addRow("部(&D):", self.department)
        form.addRow("課(&V):", self.division)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.city.textChanged.connect(self._check)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"{edition_label}版の冊子の表紙と奥付に印刷する発行者です。"))
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(360)

    def _check(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(self.city.text().strip()))

    def values(self) -> dict[str, str]:
        """What update_edition_settings takes (it trims, and stores an empty text as none)."""
        return {
            "issuer_city": self.city.text(),
            "issuer_department": self.department.text(),
            "issuer_division": self.division.text(),
        }
