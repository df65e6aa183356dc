"""年度版の比較: choose two editions and see their differences, one tab per kind of change.

The changes can be narrowed to some kinds and some fields (after a rollover, 実績を除く);
the tabs, the per-field summary and the saved report show what is chosen. A changed name
or field is shown down to the character, the selected one in full below, side by side.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kodomo_desktop.core.database import Database
from kodomo_desktop.core.era import era_label
from kodomo_desktop.core.errors import KodomoError
from kodomo_desktop.core.fields import FIELD_LABELS
from kodomo_desktop.core.queries import list_editions
from kodomo_desktop.core.textdiff import excerpt
from kodomo_desktop.core.vocabulary import EDITION_STATUS_LABELS
from kodomo_desktop.core.yeardiff import (
    FILTER_FIELDS,
    KIND_LABELS,
    DiffFilter,
    Section,
    YearDiff,
    compare_editions,
    field_summary,
    sections,
    title_of,
)
from kodomo_desktop.ui.accessible import named
from kodomo_desktop.ui.dialog_size import fit_to_screen
from kodomo_desktop.ui.diff_view import HTML_ROLE, ChangeDetail, RichTextDelegate, runs_html

# a column this wide (in characters) or wider takes its share of the width left, so none is off-screen
WIDE = 30


class CompareDialog(QDialog):
    def __init__(self, db: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.compared: YearDiff | None = None  # every change between the two editions
        self.diff: YearDiff | None = None  # the changes chosen by the filter
        self.setWindowTitle("年度版の比較")
        fit_to_screen(self, 1100, 680)

        self.from_box = named(QComboBox(), "比較元の年度版")
        self.to_box = named(QComboBox(), "比較先の年度版")
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

        self.kind_boxes = {key: QCheckBox(label) for key, label in KIND_LABELS.items()}
        self.field_boxes = {key: QCheckBox(FIELD_LABELS[key]) for key in FILTER_FIELDS}
        filters = QHBoxLayout()
        for title, boxes in (("種類:", self.kind_boxes), ("項目:", self.field_boxes)):
            filters.addWidget(QLabel(title))
            for check in boxes.values():
                check.setChecked(True)
                check.toggled.connect(self.show_changes)
                filters.addWidget(check)
            filters.addSpacing(16)
        filters.addStretch()

        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.tabs = named(QTabWidget(), "比較の結果")
        self.detail = ChangeDetail()
        self.tabs.currentChanged.connect(self._tab_changed)
        self.sections: list[Section] = []  # as the tabs show them
        panes = QSplitter(Qt.Orientation.Vertical)
        panes.addWidget(self.tabs)
        panes.addWidget(self.detail)
        panes.setSizes([440, 160])

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.save_button = QPushButton("Excel に保存…")
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.save_button.clicked.connect(self.save_report)

        layout = QVBoxLayout(self)
        layout.addLayout(choose)
        layout.addLayout(filters)
        layout.addWidget(self.summary)
        layout.addWidget(panes, 1)
        layout.addWidget(buttons)

        self.from_box.currentIndexChanged.connect(self.refresh)
        self.to_box.currentIndexChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        self.compared = None
        if self.from_box.count() >= 2:
            try:
                self.compared = compare_editions(self.db, self.from_box.currentData(), self.to_box.currentData())
            except KodomoError as exc:
                self._clear(exc.message)
                return
        self.show_changes()

    def chosen(self) -> DiffFilter:
        return DiffFilter(
            frozenset(k for k, check in self.kind_boxes.items() if check.isChecked()),
            frozenset(f for f, check in self.field_boxes.items() if check.isChecked()),
        )

    def _clear(self, message: str) -> None:
        self.sections = []
        self.tabs.clear()
        self.diff = None
        self.save_button.setEnabled(False)
        self.summary.setText(message)

    def show_changes(self) -> None:
        if self.compared is None:
            self._clear("比較するには年度版が二つ以上必要です。")
            return
        self.sections = []
        self.tabs.clear()
        wanted = self.chosen()
        self.diff = wanted.apply(self.compared)
        lines = [title_of(self.diff) + ("：違いはありません。" if not self.diff else "")]
        if summary := field_summary(self.diff):
            lines.append(f"項目別: {summary}")
        self.summary.setText("\n".join(lines))
        for section in sections(self.diff):
            if section.key in wanted.kinds:
                self.sections.append(section)
                self.tabs.addTab(self._table(section), f"{section.title}（{len(section.rows)}）")
        self._tab_changed(self.tabs.currentIndex())
        self.save_button.setEnabled(True)

    def _tab_changed(self, index: int) -> None:
        table = self.tabs.widget(index)
        if isinstance(table, QTableWidget) and index < len(self.sections):
            self._show_selected(table, self.sections[index])
        else:
            self.detail.clear()

    def _show_selected(self, table: QTableWidget, section: Section) -> None:
        if table is not self.tabs.currentWidget():
            return
        rows = table.selectionModel().selectedRows()
        if section.full_columns is None or not rows:
            self.detail.clear()
            return
        row = section.rows[rows[0].row()]
        old, new = section.full_columns
        self.detail.show_change(row[old], row[new], (section.headers[old], section.headers[new]))

    def _table(self, section: Section) -> QTableWidget:
        table = named(QTableWidget(len(section.rows), len(section.headers)), section.title)
        table.setHorizontalHeaderLabels(list(section.headers))
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setWordWrap(True)
        table.verticalHeader().setVisible(False)
        header = table.horizontalHeader()
        for c, width in enumerate(section.widths):
            mode = QHeaderView.ResizeMode.Stretch if width >= WIDE else QHeaderView.ResizeMode.ResizeToContents
            header.setSectionResizeMode(c, mode)
        for r, row in enumerate(section.rows):
            for c, value in enumerate(row):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                table.setItem(r, c, item)
            if section.full_columns is not None:
                changed = table.item(r, len(row) - 1)
                assert changed is not None  # set just above
                changed.setData(HTML_ROLE, runs_html(excerpt(list(section.scripts[r]))))
        if section.full_columns is not None:
            # the full texts are read in the pane below, side by side, not in two wide columns
            for column in section.full_columns:
                table.setColumnHidden(column, True)
            table.setItemDelegateForColumn(len(section.headers) - 1, RichTextDelegate(table))
        table.itemSelectionChanged.connect(lambda: self._show_selected(table, section))
        table.resizeRowsToContents()
        if section.rows:
            table.selectRow(0)
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
        except KodomoError as exc:
            QMessageBox.warning(
                self,
                "保存できません",
                f"保存できません。{exc.message}Excel で開いているときは閉じてから保存してください。",
            )
