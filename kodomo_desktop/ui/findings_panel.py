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

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from html import escape
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt, QThreadPool, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from kodomo_desktop.core.database import Database
from kodomo_desktop.core.environment import translate
from kodomo_desktop.core.errors import KodomoError
from kodomo_desktop.core.fields import FIELD_LABELS
from kodomo_desktop.core.operations.acknowledgements import acknowledge_finding, withdraw_acknowledgement
from kodomo_desktop.core.validation import (
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
COLUMN_WIDTHS = (110, 260, 90)  # the message column takes the rest

Row = tuple[Finding, Ack | None]
# a write the panel makes (確認済み): work, done(value), failed(exception); the window's write thread
Submit = Callable[[Callable[[], Any], Callable[[Any], None], Callable[[BaseException], None]], None]


class FindingsModel(QAbstractTableModel):
    """The listed findings, a plain list: filling it is one reset, whatever the number of rows."""

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.rows: list[Row] = []

    def set_rows(self, rows: list[Row]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        finding, ack = self.rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == 0:
                return f"{finding.severity.label}（確認済み）" if ack else finding.severity.label
            if column == 1:
                return f"{finding.program} {finding.program_name}" if finding.program else "年度版全体"
            if column == 2:
                return FIELD_LABELS.get(finding.field or "", "")
            return finding.message
        if role == Qt.ItemDataRole.ForegroundRole and (ack or column == 0):
            return QColor(ACKNOWLEDGED_COLOUR if ack else COLOURS[finding.severity])
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == 0:
                return f"{all_rules()[finding.code].title}（{finding.code}）"
            if column == 3:
                return wrapped_tip(full_text(finding, ack))
        return None


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
    # a validation run's outcome, from its worker thread: run number, (report, worst, typesetting) or an error
    _checked = Signal(int, object)

    def __init__(self, db: Database, parent: QWidget | None = None, *, submit: Submit):
        super().__init__(parent)
        self.db = db
        self._submit = submit  # the window's write thread (EditSession.submit)
        self.fiscal_year: int | None = None
        self.report: Report | None = None
        self._typesetting: Typesetting | None = None
        # validation runs in a worker, one at a time; what is asked meanwhile waits as one request
        self._runs = 0  # runs started; a result of an edition no longer shown is dropped
        self._running = False
        self._wanted: set[str] | None = set()  # programs to check next (None: the whole edition)
        self._asked = False

        self.filters = {s: QCheckBox(s.label) for s in Severity}
        self.show_acknowledged = QCheckBox("確認済みも表示")
        self.acknowledge_button = QPushButton("確認済みにする…")
        self.withdraw_button = QPushButton("確認済みを取り消す")
        self.model = FindingsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        # fixed row heights and column widths: nothing is measured per row when thousands arrive
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        header = self.table.horizontalHeader()
        for column, width in enumerate(COLUMN_WIDTHS):
            header.resizeSection(column, width)
        header.setStretchLastSection(True)
        self.table.setAccessibleName("検証の指摘の一覧")
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
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail)
        layout.addWidget(self.status)
        # what folding hides: all but the summary button
        self._unfolded: list[QWidget] = [*self.filters.values(), self.show_acknowledged, self.acknowledge_button]
        self._unfolded += [self.withdraw_button, self.table, self.detail, self.status]

        self._checked.connect(self._arrived)
        self.table.doubleClicked.connect(self._navigate)
        self.table.selectionModel().currentRowChanged.connect(self._update_buttons)
        self.table.selectionModel().currentRowChanged.connect(self._show_detail)
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
        return self.fold if self.fold.isChecked() else self.table

    def set_edition(self, fiscal_year: int | None) -> None:
        """Show this edition's findings, once its first check (in a worker) is done."""
        self.fiscal_year = fiscal_year
        self.report = None
        self._runs += 1  # a run for the edition shown before is dropped when it arrives
        self._running = False
        self._fill()
        self.refresh(None)

    def refresh(self, program_uids: set[str] | None = None) -> None:
        """Check again, in a worker: the given programs (and the edition-wide rules), or everything (None).
        The findings arrive by signal (severities_changed once the list is filled)."""
        if program_uids is None or self._wanted is None:
            self._wanted = None
        else:
            self._wanted |= program_uids
        self._asked = True
        if not self._running:
            self._start()

    @property
    def checking(self) -> bool:
        """A check asked for has not arrived yet."""
        return self._running or self._asked

    def findings(self) -> list[Finding]:
        """The findings listed now (after the severity filter), in order."""
        return [finding for finding, _ack in self.model.rows]

    # --- checking in a worker ------------------------------------------------------------

    def _start(self) -> None:
        year, base, wanted = self.fiscal_year, self.report, self._wanted
        self._wanted, self._asked = set(), False
        if year is None:
            self.report = None
            self._fill()
            return
        if base is None:
            wanted = None
        self._running = True
        run = self._runs
        typesetting = self._typesetting
        db, checked = self.db, self._checked

        def check() -> None:
            try:
                with _collector_paused():
                    # the booklet's font and page checks: loading ReportLab and the font stays off the GUI thread
                    used = typesetting or _load_typesetting(year)
                    if wanted is None or base is None:
                        _keep_out_of_collections()
                        report = validate_edition(db, year, used)
                    else:
                        report = validate_programs(db, year, wanted, used).merged_into(base)
                    severities = {uid: str(s) for uid, s in worst(report.findings).items()}
                outcome: object = (report, severities, used)
            except Exception as exc:  # handed to the GUI thread, which shows it
                # a locked, lost or closed database says so in the panel; anything else is a bug
                outcome = translate(exc, db.display_name) or exc
            with suppress(RuntimeError):  # the panel is gone (the window closed during the check)
                checked.emit(run, outcome)

        _checks().start(check)

    def _arrived(self, run: int, outcome: object) -> None:
        if run != self._runs:
            return  # an edition no longer shown (its successor's run was started already)
        self._running = False
        if isinstance(outcome, BaseException):
            if not isinstance(outcome, KodomoError):
                raise outcome
            self.report = None
            self._fill()
            self.status.setText(outcome.message)
        else:
            assert isinstance(outcome, tuple)  # (report, worst severities, typesetting), made by check()
            self.report, severities, self._typesetting = outcome
            if not self._asked:  # an edit arrived meanwhile: its check follows, and shows then
                self._fill()
                self.severities_changed.emit(severities)
        if self._asked:
            self._start()

    # --- 確認済み ------------------------------------------------------------------------

    def selected(self) -> Row | None:
        index = self.table.currentIndex()
        return self.model.rows[index.row()] if index.isValid() else None

    def select_row(self, row: int) -> None:
        self.table.setCurrentIndex(self.model.index(row, 0))

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
        db, year = self.db, self.fiscal_year
        self._submit(
            lambda: acknowledge_finding(db, year, finding, note),
            lambda _result: self._recheck(finding),
            lambda exc: show_error(self, exc),
        )

    def withdraw_selected(self) -> None:
        chosen = self.selected()
        if chosen is None or chosen[1] is None or self.fiscal_year is None:
            return
        finding = chosen[0]
        db, year = self.db, self.fiscal_year
        self._submit(
            lambda: withdraw_acknowledgement(db, year, finding.program, finding.code, finding.field),
            lambda _result: self._recheck(finding),
            lambda exc: show_error(self, exc),
        )

    # --- inside --------------------------------------------------------------------------

    def _recheck(self, finding: Finding) -> None:
        self.refresh({finding.program} if finding.program else None)

    def _fill(self) -> None:
        report = self.report
        shown = {s for s, box in self.filters.items() if box.isChecked()}
        rows: list[Row] = []
        if report is not None:
            rows = [(f, None) for f in report.findings if f.severity in shown]
            if self.show_acknowledged.isChecked():
                rows += [(f, a) for f, a in report.acknowledged if f.severity in shown]
        current = self.selected()
        self.model.set_rows(rows)
        if current is not None:
            key = current[0].key
            row = next((i for i, (finding, _ack) in enumerate(rows) if finding.key == key), None)
            if row is not None:
                self.select_row(row)
        self._update_counts()
        self._update_buttons()
        self._show_detail()

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

    def _navigate(self, index: QModelIndex) -> None:
        finding, _ack = self.model.rows[index.row()]
        if finding.program:
            self.navigate.emit(finding.program, finding.field or "")


def _load_typesetting(fiscal_year: int) -> Typesetting:
    try:
        loaded: Typesetting = TYPESETTING.load()(fiscal_year)
    except KodomoError as exc:  # no booklet in this build, or an unusable font
        return Typesetting.unknown(exc.message)
    return loaded


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No cyclic garbage collection while a check runs (reference counting still frees its objects).

    A collection runs in the thread that allocates and keeps the GIL until it is done. A check of
    10,000 programs allocates some 300,000 short-lived objects, which made the collector walk the
    whole heap several times per check, 80-120 ms each, and the GUI thread stood still meanwhile
    (benchmarks/ui.py). The few cycles a check leaves are collected by the next young collection."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _keep_out_of_collections() -> None:
    """Leave what exists now out of every later garbage collection (gc.freeze).

    A whole-edition check starts once an edition is loaded and the booklet's typesetting (ReportLab,
    the font) is: the grid's 10,000 rows, the widgets and the modules then live as long as the
    window. A collection walks the tracked objects of its generations with the GIL held; over that
    heap a full one took 50-80 ms wherever it ran, the GUI thread included, and the first young one
    after the first check 20-30 ms (benchmarks/ui.py). Frozen, they walk only what came after.
    Objects frozen are still freed by reference counting when they go."""
    gc.freeze()


_pool: list[QThreadPool] = []


def _checks() -> QThreadPool:
    """One thread for validation, apart from the pool the booklet and the dialogs' loading use."""
    if not _pool:
        pool = QThreadPool()
        pool.setMaxThreadCount(1)
        _pool.append(pool)
    return _pool[0]
