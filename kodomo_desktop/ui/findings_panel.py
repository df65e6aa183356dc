"""The findings panel: validation findings of the open edition, worst first, filtered by severity.

The main window docks it and calls refresh(uids) after every edit: only the touched
programs (and the cheap edition-wide rules) are checked again. Double-clicking a
finding asks the window to show its program and field; a warning or suggestion can
be marked 「確認済み」 with a note, hiding it until the text it judged changes.

The list cuts long messages off at its column's edge; the area under it shows the chosen
finding whole (program, field, message), as do its tooltip and the 確認済みにする dialog. The
panel folds to its one-line summary (「エラー 0件・警告 12件・提案 3件 ▸」) to leave the height to
the grid.
"""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from kodomo_desktop.core.database import Database
from kodomo_desktop.core.errors import KodomoError
from kodomo_desktop.core.fields import FIELD_LABELS
from kodomo_desktop.core.operations.acknowledgements import acknowledge_finding, withdraw_acknowledgement
from kodomo_desktop.core.validation import (
    NO_TYPESETTING,
    Ack,
    Finding,
    Report,
    Severity,
    Typesetting,
    acknowledgeable,
    all_rules,
    validate_edition,
    validate_programs,
    worst,
)
from kodomo_desktop.ui.acknowledge_dialog import AcknowledgeDialog
from kodomo_desktop.ui.features import Feature
from kodomo_desktop.ui.messages import show_error

COLUMNS = ("重要度", "事業", "項目", "内容")
QWIDGETSIZE_MAX = (1 << 24) - 1  # Qt's "no maximum"
COLOURS = {Severity.ERROR: "#C00000", Severity.WARNING: "#B36B00", Severity.INFO: "#1F5FA8"}
ACKNOWLEDGED_COLOUR = "#808080"
TYPESETTING = Feature("kodomo_desktop.booklet.typesetting", "typesetting", "冊子(PDF)の作成機能")


def full_text(finding: Finding, ack: Ack | None = None) -> str:
    """A finding whole, for people: where, which field, what, and who confirmed it."""
    lines = [f"{finding.severity.label}: {finding.where}"]
    if finding.field:
        lines.append(f"項目: {FIELD_LABELS.get(finding.field, finding.field)}")
    lines.append(finding.message)
    if ack is not None:
        lines.append(f"確認済み（{ack.user}）: {ack.note}")
    return "\n".join(lines)


def wrapped_tip(text: str) -> str:
    """A tooltip as rich text, which Qt wraps, where a plain one runs off the screen in one line."""
    return "<p>" + escape(text).replace("\n", "<br>") + "</p>"


class FindingsPanel(QWidget):
    navigate = Signal(str, str)  # program uid, field ("" when the finding names none)
    severities_changed = Signal(dict)  # uid -> worst severity ("error" | "warning" | "info")
    folded = Signal(bool)  # the panel folded to its summary (True) or opened again

    def __init__(self, db: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self.db = db
        self.fiscal_year: int | None = None
        self.report: Report | None = None
        self._typesetting: Typesetting | None = None
        self._rows: list[tuple[Finding, Ack | None]] = []

        self.filters = {s: QCheckBox(s.label) for s in Severity}
        self.show_acknowledged = QCheckBox("確認済みも表示")
        self.acknowledge_button = QPushButton("確認済みにする…")
        self.withdraw_button = QPushButton("確認済みを取り消す")
        self.tree = QTreeWidget()
        self.tree.setColumnCount(len(COLUMNS))
        self.tree.setHeaderLabels(COLUMNS)
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setAccessibleName("検証の指摘の一覧")
        self.detail = QLabel()
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        self.detail.setWordWrap(True)
        self.detail.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.detail.setAccessibleName("選んだ指摘の全文")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.fold = QToolButton()
        self.fold.setCheckable(True)
        self.fold.setAutoRaise(True)
        self.fold.setAccessibleName("検証パネルを折りたたむ・開く")

        bar = QHBoxLayout()
        bar.addWidget(self.fold)
        for box in self.filters.values():
            box.setChecked(True)
            box.toggled.connect(self._fill)
            bar.addWidget(box)
        self.show_acknowledged.toggled.connect(self._fill)
        bar.addWidget(self.show_acknowledged)
        bar.addStretch(1)
        bar.addWidget(self.acknowledge_button)
        bar.addWidget(self.withdraw_button)
        layout = self._layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addLayout(bar)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.detail)
        layout.addWidget(self.status)
        # what folding hides: all but the summary button
        self._unfolded: list[QWidget] = [*self.filters.values(), self.show_acknowledged, self.acknowledge_button]
        self._unfolded += [self.withdraw_button, self.tree, self.detail, self.status]

        self.tree.itemDoubleClicked.connect(self._navigate)
        self.tree.currentItemChanged.connect(self._update_buttons)
        self.tree.currentItemChanged.connect(self._show_detail)
        self.fold.toggled.connect(self.set_folded)
        self.acknowledge_button.clicked.connect(lambda: self.acknowledge_selected())
        self.withdraw_button.clicked.connect(self.withdraw_selected)
        self._update_buttons()
        self._update_fold()

    # --- what the window calls ---------------------------------------------------------

    def set_folded(self, folded: bool) -> None:
        """Fold the panel to its one-line summary, or open it again."""
        self.fold.setChecked(folded)
        for widget in self._unfolded:
            widget.setVisible(not folded)
        # folded, the panel is one line high, and the dock holding it follows
        margins = self._layout.contentsMargins()
        line = self.fold.sizeHint().height() + margins.top() + margins.bottom()
        self.setMaximumHeight(line if folded else QWIDGETSIZE_MAX)
        self._update_fold()
        self.folded.emit(folded)

    def entry(self) -> QWidget:
        """Where F6 enters the panel: the list, or the summary button while folded."""
        return self.fold if self.fold.isChecked() else self.tree

    def set_edition(self, fiscal_year: int | None) -> None:
        """Show this edition's findings. The booklet's font and page checks join a moment later:
        loading ReportLab and the font must not hold up the window's first paint."""
        self.fiscal_year = fiscal_year
        self.report = None
        self.refresh(None)
        if fiscal_year is not None and self._typesetting is None:
            QTimer.singleShot(0, self._load_typesetting)

    def refresh(self, program_uids: set[str] | None = None) -> None:
        """Check again: the given programs (and the edition-wide rules), or everything (None)."""
        if self.fiscal_year is None:
            self.report = None
            self._fill()
            return
        typesetting = self._typesetting or NO_TYPESETTING
        try:
            if program_uids is None or self.report is None:
                report = validate_edition(self.db, self.fiscal_year, typesetting)
            else:
                report = validate_programs(self.db, self.fiscal_year, program_uids, typesetting).merged_into(
                    self.report
                )
        except KodomoError as exc:
            self.report = None
            self._fill()
            self.status.setText(exc.message)
            return
        self.report = report
        self._fill()
        self.severities_changed.emit({uid: str(s) for uid, s in worst(report.findings).items()})

    def findings(self) -> list[Finding]:
        """The findings listed now (after the severity filter), in order."""
        return [finding for finding, _ack in self._rows]

    # --- 確認済み ------------------------------------------------------------------------

    def selected(self) -> tuple[Finding, Ack | None] | None:
        item = self.tree.currentItem()
        return self._rows[item.data(0, Qt.ItemDataRole.UserRole)] if item is not None else None

    def acknowledge_selected(self, note: str | None = None) -> None:
        """Mark the selected finding 確認済み; without a note given, ask for one."""
        chosen = self.selected()
        if chosen is None or self.fiscal_year is None:
            return
        finding = chosen[0]
        if note is None:
            dialog = AcknowledgeDialog(full_text(finding), chosen[1].note if chosen[1] else "", self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            note = dialog.note.toPlainText()
        try:
            acknowledge_finding(self.db, self.fiscal_year, finding, note)
        except KodomoError as exc:
            show_error(self, exc)
            return
        self._recheck(finding)

    def withdraw_selected(self) -> None:
        chosen = self.selected()
        if chosen is None or chosen[1] is None or self.fiscal_year is None:
            return
        finding = chosen[0]
        try:
            withdraw_acknowledgement(self.db, self.fiscal_year, finding.program, finding.code, finding.field)
        except KodomoError as exc:
            show_error(self, exc)
            return
        self._recheck(finding)

    # --- inside --------------------------------------------------------------------------

    def _recheck(self, finding: Finding) -> None:
        self.refresh({finding.program} if finding.program else None)

    def _load_typesetting(self) -> None:
        try:
            self._typesetting = TYPESETTING.load()(self.fiscal_year)
        except KodomoError as exc:  # no booklet in this build, or an unusable font
            self._typesetting = Typesetting.unknown(exc.message)
        self.refresh(None)

    def _fill(self) -> None:
        report = self.report
        shown = {s for s, box in self.filters.items() if box.isChecked()}
        rows: list[tuple[Finding, Ack | None]] = []
        if report is not None:
            rows = [(f, None) for f in report.findings if f.severity in shown]
            if self.show_acknowledged.isChecked():
                rows += [(f, a) for f, a in report.acknowledged if f.severity in shown]
        current = self.selected()
        self._rows = rows
        self.tree.clear()
        items = [self._item(i, finding, ack) for i, (finding, ack) in enumerate(rows)]
        self.tree.addTopLevelItems(items)
        for column in range(len(COLUMNS) - 1):
            self.tree.resizeColumnToContents(column)
        keys = [finding.key for finding, _ack in rows]
        if current is not None and current[0].key in keys:
            self.tree.setCurrentItem(items[keys.index(current[0].key)])
        self._update_counts()
        self._update_buttons()
        self._show_detail()

    def _item(self, index: int, finding: Finding, ack: Ack | None) -> QTreeWidgetItem:
        where = f"{finding.program} {finding.program_name}" if finding.program else "年度版全体"
        item = QTreeWidgetItem(
            [finding.severity.label, where, FIELD_LABELS.get(finding.field or "", ""), finding.message]
        )
        item.setData(0, Qt.ItemDataRole.UserRole, index)
        item.setToolTip(3, wrapped_tip(full_text(finding, ack)))
        item.setToolTip(0, f"{all_rules()[finding.code].title}（{finding.code}）")
        colour = ACKNOWLEDGED_COLOUR if ack else COLOURS[finding.severity]
        item.setForeground(0, QBrush(QColor(colour)))
        if ack:
            for column in range(1, len(COLUMNS)):
                item.setForeground(column, QBrush(QColor(ACKNOWLEDGED_COLOUR)))
            item.setText(0, f"{finding.severity.label}（確認済み）")
        return item

    def _update_counts(self) -> None:
        report = self.report
        findings = report.findings if report else ()
        for severity, box in self.filters.items():
            box.setText(f"{severity.label} {sum(f.severity is severity for f in findings)}")
        notes = list(report.skipped) if report else []
        if report and report.acknowledged:
            hidden = "" if self.show_acknowledged.isChecked() else "（非表示）"
            notes.insert(0, f"確認済み {len(report.acknowledged)}件{hidden}")
        self.status.setText("\n".join(notes))
        self._update_fold()

    def _update_fold(self) -> None:
        findings = self.report.findings if self.report else ()
        summary = "・".join(f"{s.label} {sum(f.severity is s for f in findings)}件" for s in Severity)
        folded = self.fold.isChecked()
        self.fold.setText(f"{summary} ▸" if folded else "▾")
        self.fold.setToolTip(f"{summary}（クリックで開く）" if folded else "検証パネルを一行にたたむ")

    def _show_detail(self, *_args: object) -> None:
        chosen = self.selected()
        self.detail.setText(full_text(*chosen) if chosen else "指摘を選ぶと、ここに全文が表示されます。")

    def _update_buttons(self, *_args: object) -> None:
        chosen = self.selected()
        self.acknowledge_button.setEnabled(chosen is not None and acknowledgeable(chosen[0]))
        self.withdraw_button.setEnabled(chosen is not None and chosen[1] is not None)

    def _navigate(self, item: QTreeWidgetItem, _column: int) -> None:
        finding, _ack = self._rows[item.data(0, Qt.ItemDataRole.UserRole)]
        if finding.program:
            self.navigate.emit(finding.program, finding.field or "")
