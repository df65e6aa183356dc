"""バージョン情報: the version, and the licence of every component the program ships with.

The list lives in resources/licenses/components.json beside the licence texts, so that
the packaging spec and this dialog cannot disagree; a font is listed only when one is
bundled in resources/fonts/.
"""

from __future__ import annotations

import json
import platform
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kodomo_desktop import __version__
from kodomo_desktop.core import locations
from kodomo_desktop.ui.accessible import named
from kodomo_desktop.ui.dialog_size import fit_to_screen

DESCRIPTION = "「旭川市こども計画」関連事業・取組一覧の編集・検証・印刷ツール"


@dataclass(frozen=True)
class Component:
    name: str
    version: str
    license: str
    texts: tuple[Path, ...]
    note: str = ""

    def license_text(self) -> str:
        parts = [self.note] if self.note else []
        parts += [path.read_text(encoding="utf-8") for path in self.texts]
        return "\n\n".join(parts)


def _version(distribution: str | None) -> str:
    if distribution is None:  # the interpreter itself
        return platform.python_version()
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return ""


def bundled_components(resources: Path | None = None) -> list[Component]:
    resources = resources or locations.resources_dir()
    licenses = resources / "licenses"
    listing = json.loads((licenses / "components.json").read_text(encoding="utf-8"))

    def component(entry: dict, version: str) -> Component:
        texts = tuple(licenses / name for name in entry["texts"])
        return Component(entry["name"], version, entry["license"], texts, entry.get("note", ""))

    components = [component(entry, _version(entry["distribution"])) for entry in listing["components"]]
    components += [
        component(entry, "") for entry in listing["fonts"] if (resources / "fonts" / entry["file"]).is_file()
    ]
    return components


class AboutDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, resources: Path | None = None):
        super().__init__(parent)
        self.setWindowTitle("バージョン情報")
        fit_to_screen(self, 760, 600)
        resources = resources or locations.resources_dir()
        self.components = bundled_components(resources)

        icon = QLabel()
        icon.setPixmap(QPixmap(str(resources / "icons" / "kodomo-desktop.png")).scaledToHeight(64))
        self.header = QLabel(
            f"<b>kodomo-desktop</b>　バージョン {__version__}<br>{DESCRIPTION}<br>ライセンス: MIT License"
        )
        top = QHBoxLayout()
        top.addWidget(icon)
        top.addWidget(self.header, 1)

        self.table = named(QTreeWidget(), "使っている部品")
        self.table.setHeaderLabels(["名称", "バージョン", "ライセンス"])
        self.table.setRootIsDecorated(False)
        for component in self.components:
            self.table.addTopLevelItem(QTreeWidgetItem([component.name, component.version, component.license]))
        self.table.resizeColumnToContents(0)
        self.license_view = named(QPlainTextEdit(), "ライセンスの全文")
        self.license_view.setReadOnly(True)
        self.table.currentItemChanged.connect(self._show_license)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(QLabel("同梱しているソフトウェアとフォント、そのライセンス:"))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.license_view, 2)
        layout.addWidget(buttons)
        first = self.table.topLevelItem(0)
        if first is not None:
            self.table.setCurrentItem(first)

    def _show_license(self, item: QTreeWidgetItem | None) -> None:
        # read on demand: the texts add up to a few hundred kilobytes
        index = self.table.indexOfTopLevelItem(item) if item else -1
        self.license_view.setPlainText(self.components[index].license_text() if index >= 0 else "")
