"""ヘルプ ▸ 操作説明: the user guide (resources/guide/guide.md), the everyday tasks step by step."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from kodomo_desktop.core import locations


def guide_text() -> str:
    return (locations.resources_dir() / "guide" / "guide.md").read_text(encoding="utf-8")


class GuideDialog(QDialog):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("操作説明")
        self.browser = QTextBrowser()
        self.browser.setAccessibleName("操作説明")
        self.browser.setOpenExternalLinks(True)
        self.browser.setMarkdown(guide_text())
        buttons = QDialogButtonBox()
        buttons.addButton("閉じる", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser)
        layout.addWidget(buttons)
        # no taller than the screen leaves room for (a taskbar may take the rest)
        screen = (parent.screen() if parent is not None else self.screen()).availableGeometry()
        self.resize(min(760, screen.width() - 40), min(720, screen.height() - 60))


def show_guide(parent: QWidget) -> None:
    GuideDialog(parent).exec()
