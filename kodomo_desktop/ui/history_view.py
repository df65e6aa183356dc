"""A program's change history from the change log: when, who, which edition, what, old → new, from where."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QSplitter, QTreeWidget, QTreeWidgetItem, QWidget

from kodomo_desktop.core.divisions import format_divisions
from kodomo_desktop.core.era import era_label
from kodomo_desktop.core.fields import FIELD_LABELS
from kodomo_desktop.core.queries import HistoryEntry
from kodomo_desktop.core.textdiff import DELETE, INSERT, edit_script, excerpt, plain, side
from kodomo_desktop.ui.diff_view import HTML_ROLE, ChangeDetail, RichTextDelegate, runs_html

SOURCE_LABELS = {"editor": "画面", "seed": "初期データ", "cli": "コマンド", "rollover": "年度更新"}
COLUMNS = ("日時", "変更者", "年度", "項目", "変更（前 → 後）", "経路")
CHANGE_COLUMN = 4
ARROW = " → "
FULL_TEXTS = Qt.ItemDataRole.UserRole + 1  # (old, new) as whole texts, for the detail pane


def local_time(at: str) -> str:
    return datetime.fromisoformat(at.replace("Z", "+00:00")).astimezone().strftime("%Y/%m/%d %H:%M")


def source_label(source: str) -> str:
    kind, _, detail = source.partition(":")
    if kind == "import" and detail:
        return f"取り込み: {detail}"
    return SOURCE_LABELS.get(source, source)


def value_text(field: str, value: Any) -> str:
    if value is None:
        return "（なし）"
    if isinstance(value, bool):
        return "はい" if value else "いいえ"
    if field == "divisions":
        return format_divisions(tuple(pair) for pair in value)
    if field == "placement":
        return f"{value['measure']} {value['position']}番目" + ("（再掲）" if value.get("relisted") else "")
    if field in ("created", "deleted"):
        return str(value.get("name", ""))
    if isinstance(value, list):
        return "・".join(map(str, value)) or "（なし）"
    return str(value)


class HistoryView(QTreeWidget):
    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName("変更履歴の一覧")
        self.setColumnCount(len(COLUMNS))
        self.setHeaderLabels(COLUMNS)
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setWordWrap(False)
        self.setItemDelegateForColumn(CHANGE_COLUMN, RichTextDelegate(self))

    def show_history(self, entries: list[HistoryEntry]) -> None:
        self.clear()
        items = []
        for e in entries:
            old, new = value_text(e.field, e.old), value_text(e.field, e.new)
            # each side around its changed characters, so a change at the end of a long text shows
            runs = excerpt(edit_script(old, new))
            before, after = side(runs, DELETE), side(runs, INSERT)
            item = QTreeWidgetItem(
                [
                    local_time(e.at),
                    e.user,
                    era_label(e.fiscal_year) if e.fiscal_year else "",
                    FIELD_LABELS.get(e.field, e.field),
                    plain(before) + ARROW + plain(after),
                    source_label(e.source),
                ]
            )
            item.setData(CHANGE_COLUMN, HTML_ROLE, runs_html(before) + ARROW + runs_html(after))
            item.setToolTip(CHANGE_COLUMN, f"変更前:\n{old}\n\n変更後:\n{new}")
            item.setData(CHANGE_COLUMN, FULL_TEXTS, (old, new))
            items.append(item)
        self.addTopLevelItems(items)
        for column in (0, 1, 2, 3):
            self.resizeColumnToContents(column)


class HistoryPane(QSplitter):
    """The history list over a detail pane: the selected change's two full texts side by side."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(Qt.Orientation.Vertical, parent)
        self.view = HistoryView()
        self.detail = ChangeDetail()
        self.addWidget(self.view)
        self.addWidget(self.detail)
        self.setStretchFactor(0, 3)
        self.setStretchFactor(1, 2)
        self.view.currentItemChanged.connect(self._show)

    def show_history(self, entries: list[HistoryEntry]) -> None:
        self.view.show_history(entries)
        self.detail.clear()

    def _show(self, item: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        if item is None:
            self.detail.clear()
            return
        old, new = item.data(CHANGE_COLUMN, FULL_TEXTS)
        self.detail.show_change(old, new)
