"""年度版の比較: choose two editions and see their differences, one tab per kind of change."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kodomo_desktop.core.database import Database
from kodomo_desktop.core.era import era_label
from kodomo_desktop.core.errors import KodomoError
from kodomo_desktop.core.queries import list_editions
from kodomo_desktop.core.vocabulary import EDITION_STATUS_LABELS
from kodomo_desktop.core.yeardiff import Section, YearDiff, compare_editions, sections, title_of


class CompareDialog(QDialog):
    def __init__(self, db: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.diff: YearDiff | None = None
        self.setWindowTitle("年度版の比較")
        self.resize(1100, 680)

        self.from_box = QComboBox()
        self.to_box = QComboBox()
        editions = list_editions(db)
        for box in (self.from_box, self.to_box):
            for e in editions:
                box.addItem(
                    f"{era_label(e.fiscal_year)}（{e.fiscal_year}）{EDITION_STATUS_LABELS[e.status]}", e.fiscal_year
                )
        # the usual question: what changed from last year to this year
        self.to_box.setCurrentIndex(len(editions) - 1)
        self.from_box.setCurrentIndex(max(len(editions) - 2, 0))

        choose = QHBoxLayout()
        choose.addWidget(QLabel("比較元"))
        choose.addWidget(self.from_box)
        choose.addWidget(QLabel("→ 比較先"))
        choose.addWidget(self.to_box)
        choose.addStretch()

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.tabs = QTabWidget()

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.save_button = QPushButton("Excel に保存…")
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.save_button.clicked.connect(self.save_report)

        layout = QVBoxLayout(self)
        layout.addLayout(choose)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)

        self.from_box.currentIndexChanged.connect(self.refresh)
        self.to_box.currentIndexChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        self.tabs.clear()
        self.diff = None
        self.save_button.setEnabled(False)
        if self.from_box.count() < 2:
            self.summary.setText("比較するには年度版が二つ以上必要です。")
            return
        try:
            self.diff = compare_editions(self.db, self.from_box.currentData(), self.to_box.currentData())
        except KodomoError as exc:
            self.summary.setText(exc.message)
            return
        self.summary.setText(title_of(self.diff) + ("：違いはありません。" if not self.diff else ""))
        for section in sections(self.diff):
            self.tabs.addTab(self._table(section), f"{section.title}（{len(section.rows)}）")
        self.save_button.setEnabled(True)

    def _table(self, section: Section) -> QTableWidget:
        table = QTableWidget(len(section.rows), len(section.headers))
        table.setHorizontalHeaderLabels(list(section.headers))
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setWordWrap(True)
        table.verticalHeader().setVisible(False)
        digit = table.fontMetrics().horizontalAdvance("0")
        for c, width in enumerate(section.widths):
            table.setColumnWidth(c, width * digit + 12)
        for r, row in enumerate(section.rows):
            for c, value in enumerate(row):
                table.setItem(r, c, QTableWidgetItem(value))
        table.resizeRowsToContents()
        return table

    def save_report(self) -> None:
        if self.diff is None:
            return
        suggested = f"年度版の比較_{self.diff.from_year}_{self.diff.to_year}.xlsx"
        path, _ = QFileDialog.getSaveFileName(self, "比較結果を Excel に保存", suggested, "Excel ブック (*.xlsx)")
        if not path:
            return
        from kodomo_desktop.excel.diff_report import write_diff_report

        try:
            write_diff_report(self.diff, path)
        except OSError as exc:
            QMessageBox.warning(
                self,
                "保存できません",
                f"{path} に保存できません（{exc.strerror or exc}）。"
                "Excel で開いているときは閉じてから保存してください。",
            )
