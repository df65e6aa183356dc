"""回答状況: which units of an edition have returned their templates, when, and which are outstanding."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QDialog, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kodomo_desktop.core.database import Database
from kodomo_desktop.core.era import era_label
from kodomo_desktop.ui.accessible import named
from kodomo_desktop.ui.dialog_size import fit_to_screen
from kodomo_desktop.ui.messages import show_error
from kodomo_desktop.ui.returns_tables import close_buttons, row_table, text_item


class ReturnsOverview(QDialog):
    """回答状況: per unit of the edition, whether and when it returned; outstanding units first to see."""

    def __init__(self, db: Database, fiscal_year: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.fiscal_year = fiscal_year
        self.setWindowTitle(f"回答状況（{era_label(fiscal_year)}版）")
        fit_to_screen(self, 820, 560)
        self.kind = named(QComboBox(), "集計の単位")
        self.kind.addItem("課ごと", "division")
        self.kind.addItem("部ごと", "department")
        self.kind.currentIndexChanged.connect(self.refresh)
        self.outstanding_only = QCheckBox("未回答のみ表示")
        self.outstanding_only.toggled.connect(self.refresh)
        self.summary = QLabel()
        top = QHBoxLayout()
        top.addWidget(QLabel("単位:"))
        top.addWidget(self.kind)
        top.addWidget(self.outstanding_only)
        top.addWidget(self.summary, 1)
        self.table = row_table(
            ["所管", "事業数", "回答", "取り込み日時", "ファイル", "変更件数", "取り込んだ人"], "回答状況"
        )
        buttons = close_buttons()
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.refresh()

    def refresh(self) -> None:
        from kodomo_desktop.excel.overview import returns_overview

        try:
            units = returns_overview(self.db, self.fiscal_year, self.kind.currentData())
        except Exception as exc:  # show_error re-raises what is not an expected error
            show_error(self, exc, "回答状況")
            return
        returned = sum(u.latest is not None for u in units if u.programs)
        expected = sum(1 for u in units if u.programs)
        self.summary.setText(f"{expected} 件中 {returned} 件回答済み、未回答 {expected - returned} 件")
        shown = [u for u in units if not (self.outstanding_only.isChecked() and u.latest)]
        self.table.setRowCount(len(shown))
        for row, u in enumerate(shown):
            latest = u.latest
            state = f"回答済み（{len(u.returns)} 回）" if latest else "未回答"
            cells = [u.unit, str(u.programs), state]
            if latest:
                cells += [_local_time(latest.at), latest.file_name, str(latest.changes), latest.user]
            for col, text in enumerate(cells):
                item = text_item(text)
                if not latest:
                    item.setForeground(Qt.GlobalColor.darkRed)
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()


def _local_time(iso_utc: str) -> str:
    from datetime import datetime

    try:
        return datetime.fromisoformat(iso_utc.replace("Z", "+00:00")).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso_utc
