"""Excel 回答の取り込み: read returns off the GUI thread, review every change, apply the accepted ones.

A row per file with its verdict, the problems found, and a review table of every change
(accept or reject each, or all; a conflict is resolved by keeping ours, taking theirs or
editing). Returns that change one field of a shared program to different values conflict with
each other: their rows offer each unit's value, and taking one leaves the others out. Each
change shows its changed characters with context, and the selected one in full below, both
texts side by side.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from kodomo_desktop.core.database import Database
from kodomo_desktop.core.era import era_label
from kodomo_desktop.core.textdiff import DELETE, INSERT, edit_script, excerpt, plain, side
from kodomo_desktop.ui.accessible import named
from kodomo_desktop.ui.dialog_size import fit_to_screen
from kodomo_desktop.ui.diff_view import HTML_ROLE, ChangeDetail, RichTextDelegate, runs_html
from kodomo_desktop.ui.messages import confirm, show_error
from kodomo_desktop.ui.returns_overview_dialog import ReturnsOverview
from kodomo_desktop.ui.returns_tables import close_buttons, row_table, text_item
from kodomo_desktop.ui.settings import RETURNS_FOLDER, Settings
from kodomo_desktop.ui.targets_dialog import TargetsDialog
from kodomo_desktop.ui.workers import BackgroundTask

if TYPE_CHECKING:
    from kodomo_desktop.excel.apply import ApplyPlan, ApplyReport
    from kodomo_desktop.excel.returns import ReturnResult

# how a conflict is resolved
OURS, THEIRS, EDITED = "現在のまま", "回答を採用", "編集…"
ACCEPT_COLUMN, OURS_COLUMN, THEIRS_COLUMN, RESOLVE_COLUMN = 0, 4, 5, 6


@dataclass
class Decision:
    """One change in the review: taken or not, and the value to write when taken."""

    result: Any  # ReturnResult
    change: Any  # FieldChange
    accepted: bool
    value: Any
    group: int | None = None  # the conflict between returns this change is part of


class ReturnsDialog(QDialog):
    loaded = Signal()  # the returns were read and checked

    def __init__(
        self, db: Database, fiscal_year: int, parent: QWidget | None = None, *, settings: Settings | None = None
    ):
        super().__init__(parent)
        self.db = db
        self.settings = settings  # where the file dialogs start; None: the platform's default
        self.fiscal_year = fiscal_year
        self.paths: list[Path] = []
        self.results: list[ReturnResult] = []
        self.decisions: list[Decision] = []
        self._filling = False
        self.applied_any = False
        self.reports: list[ApplyReport] = []  # each apply, in order: the window makes them one undo step
        self.setWindowTitle(f"Excel 回答の取り込み（{era_label(fiscal_year)}版）")
        fit_to_screen(self, 1100, 720)

        choose_files = QPushButton("ファイルを選ぶ…")
        choose_files.clicked.connect(self._choose_files)
        choose_folder = QPushButton("フォルダを選ぶ…")
        choose_folder.clicked.connect(self._choose_folder)
        overview = QPushButton("回答状況…")
        overview.clicked.connect(lambda: ReturnsOverview(self.db, self.fiscal_year, self).exec())
        self.summary = QLabel("回答票（.xlsx）のファイルまたはフォルダを選んでください。")
        top = QHBoxLayout()
        for widget in (choose_files, choose_folder, overview):
            top.addWidget(widget)
        top.addWidget(self.summary, 1)

        self.files = row_table(["ファイル", "所管", "状態", "変更", "競合", "問題"], "回答のファイル")
        self.files.itemSelectionChanged.connect(self._show_issues)
        self.changes = row_table(
            ["採用", "ファイル", "事業", "項目", "現在の値", "回答の値", "競合の解決"], "変更の確認"
        )
        self.changes.itemChanged.connect(self._accept_toggled)
        self.changes.itemSelectionChanged.connect(self._show_detail)
        for column in (OURS_COLUMN, THEIRS_COLUMN):
            self.changes.setItemDelegateForColumn(column, RichTextDelegate(self.changes))
        self.detail = ChangeDetail("現在の値", "回答の値")
        review = QSplitter(Qt.Orientation.Vertical)
        review.addWidget(self.changes)
        review.addWidget(self.detail)
        review.setSizes([340, 160])
        self.issues = row_table(["ファイル", "シート", "セル", "重要度", "内容"], "問題")
        tabs = named(QTabWidget(), "変更の確認と問題")
        tabs.addTab(review, "変更の確認")
        tabs.addTab(self.issues, "問題")
        self.tabs = tabs
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.files)
        splitter.addWidget(tabs)
        splitter.setSizes([200, 500])

        self.accept_all = QPushButton("すべて採用")
        self.accept_all.clicked.connect(lambda: self.set_all(True))
        self.reject_all = QPushButton("すべて不採用")
        self.reject_all.clicked.connect(lambda: self.set_all(False))
        self.apply_button = QPushButton("取り込む")
        self.apply_button.setDefault(True)
        self.apply_button.clicked.connect(self.apply)
        buttons = close_buttons()
        buttons.rejected.connect(self.reject)
        bottom = QHBoxLayout()
        for widget in (self.accept_all, self.reject_all):
            bottom.addWidget(widget)
        bottom.addStretch(1)
        bottom.addWidget(self.apply_button)
        bottom.addWidget(buttons)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)
        self._update_buttons()

    # --- reading ------------------------------------------------------------------------

    def _start_folder(self) -> str:
        return self.settings.folder(RETURNS_FOLDER) if self.settings else ""

    def _remember_folder(self, folder: Path) -> None:
        if self.settings:
            self.settings.set(RETURNS_FOLDER, str(folder))

    def _choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(
            self, "回答票を選ぶ", self._start_folder(), "Excel ブック (*.xlsx *.xlsm);;すべてのファイル (*)"
        )
        if names:
            self._remember_folder(Path(names[0]).parent)
            self.load(names)

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "回答票のフォルダを選ぶ", self._start_folder())
        if folder:
            self._remember_folder(Path(folder))
            self.load([folder])

    def load(self, paths: Iterable[str | Path]) -> None:
        """Read and check the returns in a worker thread; `loaded` is emitted when they are shown."""
        from kodomo_desktop.excel.returns import check_returns

        self.paths = [Path(p) for p in paths]
        db, year, targets = self.db, self.fiscal_year, list(self.paths)
        task = BackgroundTask(
            self,
            "回答票を読み込んでいます…",
            lambda progress, cancelled: check_returns(db, year, targets, lambda i, n, _name: progress(i, n), cancelled),
        )
        task.finished.connect(self._show_results)
        task.failed.connect(lambda exc: show_error(self, exc, "回答の読み込み"))
        task.start()

    def _show_results(self, results: list[ReturnResult]) -> None:
        from kodomo_desktop.excel.returns import batch_conflicts

        self.results = results
        group_of = {
            (id(r), c.key): n for n, conflict in enumerate(batch_conflicts(results)) for r, c in conflict.offers
        }
        self.decisions = []
        for r in results:
            for c in r.changes:
                group = group_of.get((id(r), c.key))
                taken = not c.conflict and not r.has_errors and group is None
                self.decisions.append(Decision(r, c, accepted=taken, value=c.new, group=group))
        self._fill_files()
        self._fill_changes()
        self._show_issues()
        changes = len(self.decisions)
        conflicts = sum(d.change.conflict for d in self.decisions)
        between = len(set(group_of.values()))
        rejected = sum(r.status == "rejected" for r in results)
        self.summary.setText(
            f"{len(results)} ファイル、変更 {changes} 件（競合 {conflicts} 件）"
            + (f"、回答どうしの競合 {between} 件（採る回答を選んでください）" if between else "")
            + (f"、取り込めないファイル {rejected} 件" if rejected else "")
        )
        self._update_buttons()
        self.loaded.emit()

    def _fill_files(self) -> None:
        self.files.setRowCount(len(self.results))
        for row, r in enumerate(self.results):
            if r.status == "rejected":
                state = f"取り込めません: {(r.error or '').removeprefix(f'{r.path.name}: ')}"
            elif r.has_errors:
                state = "エラーあり（確認してください）"
            elif r.imported_at:
                state = "取り込み済みのファイル"
            else:
                state = "読み込み済み"
            errors = sum(i.severity == "error" for i in r.issues)
            cells = [
                r.path.name,
                r.unit.name if r.unit else "",
                state,
                str(len(r.changes)),
                str(len(r.conflicts)),
                f"{len(r.issues)}（エラー {errors}）" if r.issues else "",
            ]
            for col, text in enumerate(cells):
                self.files.setItem(row, col, text_item(text))
        self.files.resizeColumnsToContents()

    def _fill_changes(self) -> None:
        from kodomo_desktop.core.fields import FIELD_LABELS

        self._filling = True
        self.changes.setRowCount(len(self.decisions))
        for row, d in enumerate(self.decisions):
            c = d.change
            accept = QTableWidgetItem()
            accept.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            accept.setCheckState(Qt.CheckState.Checked if d.accepted else Qt.CheckState.Unchecked)
            self.changes.setItem(row, ACCEPT_COLUMN, accept)
            program = f"{c.program} {c.program_name}" if c.program else f"新規（{c.row}行目）{c.program_name}"
            self.changes.setItem(row, 1, text_item(d.result.path.name))
            self.changes.setItem(row, 2, text_item(program))
            mark = "（回答どうしの競合）" if d.group is not None else "（競合）" if c.conflict else ""
            self.changes.setItem(row, 3, text_item(FIELD_LABELS[c.field] + mark))
            self._show_values(row)
            if d.group is not None:
                combo = QComboBox()
                combo.addItems([OURS, *(f"{self._unit_name(o.result)}の回答" for o in self._group(d.group)), EDITED])
                combo.activated.connect(lambda index, row=row: self._choose_between(row, index))
                self.changes.setCellWidget(row, RESOLVE_COLUMN, combo)
            elif c.conflict:
                combo = QComboBox()
                combo.addItems([OURS, THEIRS, EDITED])
                combo.activated.connect(lambda index, row=row, combo=combo: self._resolve(row, combo.itemText(index)))
                self.changes.setCellWidget(row, RESOLVE_COLUMN, combo)
            else:
                self.changes.removeCellWidget(row, RESOLVE_COLUMN)
                self.changes.setItem(row, RESOLVE_COLUMN, text_item(""))
        self.changes.resizeColumnsToContents()
        for col in (OURS_COLUMN, THEIRS_COLUMN):
            self.changes.setColumnWidth(col, min(self.changes.columnWidth(col), 320))
        self.changes.horizontalHeader().setSectionResizeMode(RESOLVE_COLUMN, QHeaderView.ResizeMode.Stretch)
        self._filling = False
        if self.decisions:
            self.changes.selectRow(0)
        self._show_detail()

    def _show_issues(self) -> None:
        selected = {i.row() for i in self.files.selectionModel().selectedRows()}
        results = [r for n, r in enumerate(self.results) if not selected or n in selected]
        rows = [(r.path.name, "", "", "エラー", r.error or "") for r in results if r.status == "rejected"]
        rows += [
            (r.path.name, i.sheet, i.cell, "エラー" if i.severity == "error" else "注意", i.message)
            for r in results
            for i in r.issues
        ]
        self.issues.setRowCount(len(rows))
        for n, cells in enumerate(rows):
            for col, text in enumerate(cells):
                self.issues.setItem(n, col, text_item(text))
        self.issues.resizeColumnsToContents()
        self.tabs.setTabText(1, f"問題（{len(rows)}）")

    # --- review -------------------------------------------------------------------------

    def set_accepted(self, row: int, accepted: bool) -> None:
        item = self.changes.item(row, ACCEPT_COLUMN)
        assert item is not None  # every row of the review has its check box
        item.setCheckState(Qt.CheckState.Checked if accepted else Qt.CheckState.Unchecked)

    def set_all(self, accepted: bool) -> None:
        """Accept or reject every change; conflicts are left as they are resolved (or not)."""
        for row, d in enumerate(self.decisions):
            if not d.change.conflict and d.group is None:
                self.set_accepted(row, accepted)

    def _accept_toggled(self, item: QTableWidgetItem) -> None:
        if self._filling or item.column() != ACCEPT_COLUMN:
            return
        d = self.decisions[item.row()]
        d.accepted = item.checkState() == Qt.CheckState.Checked
        if d.accepted and d.group is not None:  # one return's value for the field: the others' are left out
            for row, other in enumerate(self.decisions):
                if other.group == d.group and other is not d and other.accepted:
                    self.set_accepted(row, False)
        self._update_buttons()

    def _group(self, group: int) -> list[Decision]:
        return [d for d in self.decisions if d.group == group]

    @staticmethod
    def _unit_name(result: ReturnResult) -> str:
        return result.unit.name if result.unit else result.path.name

    def _choose_between(self, row: int, index: int) -> None:
        """A conflict between returns: keep ours (index 0), take one return's value, or edit (the last)."""
        d = self.decisions[row]
        assert d.group is not None  # only such rows have this choice
        members = self._group(d.group)
        if index == 0:
            for n, other in enumerate(self.decisions):
                if other.group == d.group:
                    self.set_accepted(n, False)
            return
        if index > len(members):  # 編集…: this row carries the edited value
            value = self._edit_value(d)
            if value is None:
                return
            chosen = d
        else:
            chosen = members[index - 1]
            value = chosen.change.new
        chosen.value = value
        n = self.decisions.index(chosen)
        self._show_values(n)
        self.set_accepted(n, True)
        self._show_detail()

    def _resolve(self, row: int, choice: str) -> None:
        d = self.decisions[row]
        if choice == EDITED:
            value = self._edit_value(d)
            if value is None:
                return
            d.value = value
        elif choice == THEIRS:
            d.value = d.change.new
        self._show_values(row)
        self._show_detail()
        self.set_accepted(row, choice != OURS)

    def _texts(self, d: Decision) -> tuple[str, str]:
        from kodomo_desktop.excel.diff import display_value

        return display_value(d.change.field, d.change.old), display_value(d.change.field, d.value)

    def _show_values(self, row: int) -> None:
        """Ours and the value to write, each around its changed characters, so the change shows in a long text."""
        ours, theirs = self._texts(self.decisions[row])
        runs = excerpt(edit_script(ours, theirs))
        for column, text, shown in (
            (OURS_COLUMN, ours, side(runs, DELETE)),
            (THEIRS_COLUMN, theirs, side(runs, INSERT)),
        ):
            item = text_item(plain(shown), tooltip=text)
            item.setData(HTML_ROLE, runs_html(shown))
            self.changes.setItem(row, column, item)

    def _show_detail(self) -> None:
        rows = self.changes.selectionModel().selectedRows()
        if not rows:
            self.detail.clear()
            return
        ours, theirs = self._texts(self.decisions[rows[0].row()])
        self.detail.show_change(ours, theirs)

    def _edit_value(self, d: Decision) -> Any:
        """An edited value in the form the field takes; None when the user cancels."""
        from kodomo_desktop.core.divisions import format_divisions, load_master
        from kodomo_desktop.core.fields import FIELD_LABELS
        from kodomo_desktop.excel import cells
        from kodomo_desktop.excel.layout import STATUS_CHOICES

        field, label = d.change.field, FIELD_LABELS[d.change.field]
        if field == "targets":
            return TargetsDialog.ask(self, d.value or [])
        if field == "status":
            choice, ok = QInputDialog.getItem(self, label, f"{label}を選んでください", list(STATUS_CHOICES), 0, False)
            return choice if ok else None
        if field == "divisions":
            current = format_divisions((x["department"], x["division"]) for x in d.value or [])
            text, ok = QInputDialog.getText(
                self, label, "所管（例: 子育て支援部 子育て支援課、おやこ応援課）", text=current
            )
            if not ok:
                return None
            try:
                pairs = cells.DivisionNames(load_master(self.db)).parse(text)
            except cells.FieldError as exc:
                QMessageBox.warning(self, label, exc.message)
                return None
            return [{"department": dept, "division": div} for dept, div in pairs]
        text, ok = QInputDialog.getMultiLineText(self, label, f"{label}を編集してください", d.value or "")
        return text if ok else None

    def _update_buttons(self) -> None:
        accepted = sum(d.accepted for d in self.decisions)
        self.apply_button.setEnabled(any(r.status == "ok" for r in self.results))
        self.apply_button.setText(f"取り込む（{accepted} 件）")
        for button in (self.accept_all, self.reject_all):
            button.setEnabled(bool(self.decisions))

    # --- apply --------------------------------------------------------------------------

    def plans(self) -> list[ApplyPlan]:
        """What apply writes: the accepted changes of each readable file. A clean file is recorded as
        returned even with nothing accepted; a file with errors only where the office took some of it."""
        from kodomo_desktop.excel.apply import ApplyPlan

        plans = []
        for r in self.results:
            accepted = {d.change.key: d.value for d in self.decisions if d.result is r and d.accepted}
            if r.status == "ok" and (accepted or not r.has_errors):
                plans.append(ApplyPlan(r, accepted))
        return plans

    def apply(self) -> None:
        from kodomo_desktop.excel.apply import apply_returns

        plans = self.plans()
        held = [p.result.path.name for p in plans if p.result.has_errors and p.accepted]
        if held and not confirm(
            self, "回答の取り込み", f"エラーのあるファイルの変更も取り込みます: {'、'.join(held)}\nよろしいですか？"
        ):
            return
        db, year = self.db, self.fiscal_year
        task = BackgroundTask(
            self, "回答を取り込んでいます…", lambda _p, _c: apply_returns(db, year, plans), cancellable=False
        )
        task.finished.connect(self._applied)
        task.failed.connect(lambda exc: show_error(self, exc, "回答の取り込み"))
        task.start()

    def reject(self) -> None:
        """Closing after an apply ends the dialog as accepted: the window reloads what changed."""
        if self.applied_any:
            self.accept()
        else:
            super().reject()

    def _applied(self, report: ApplyReport) -> None:
        self.applied_any = True
        self.reports.append(report)
        backup = f"\n取り込み前のバックアップ: {report.backup}" if report.backup else ""
        self.summary.setText(f"{report.applied} 件の変更を取り込みました。")
        QMessageBox.information(self, "回答の取り込み", f"{report.applied} 件の変更を取り込みました。{backup}")
        self.load(self.paths)  # the review now shows what is left
