"""対象別の事業数: the coverage matrix as a heat map; a cell lists its programs below.

Read on the GUI thread: an edition's document and its matrix take about 15 ms for FY2024.
With 「前年度と比較」 each cell also shows its change since the previous edition.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from kodomo_desktop.core.coverage import (
    ADDED,
    KEPT,
    REMOVED,
    Coverage,
    CoverageChange,
    CoverageRow,
    RowChange,
    compare,
    coverage,
    signed,
)
from kodomo_desktop.core.database import Database
from kodomo_desktop.core.era import era_label
from kodomo_desktop.core.interchange import export_document
from kodomo_desktop.core.queries import list_editions
from kodomo_desktop.core.vocabulary import POLICY, node_heading
from kodomo_desktop.ui.accessible import named
from kodomo_desktop.ui.dialog_size import fit_to_screen
from kodomo_desktop.ui.returns_tables import close_buttons

PROGRAMS = "事業数"
TOTAL = "合計"
HEAT = QColor(31, 78, 121)  # the booklet's 基本施策 blue at full strength
MORE, FEWER = QColor(0, 114, 178), QColor(213, 94, 0)  # told apart with any colour vision
GROUP_FILL = QColor("#DCE6F1")

Index = QModelIndex | QPersistentModelIndex


def _mix(color: QColor, share: float) -> QColor:
    """color laid over white at share (0: white, 1: color)."""
    return QColor(*(round(255 - (255 - c) * share) for c in (color.red(), color.green(), color.blue())))


@dataclass(frozen=True)
class Line:
    """One line of the table: a 基本施策 or life-stage heading (text only), a measure or the totals."""

    header: str  # the row header: the measure's number and title, or 合計
    heading: str = ""  # a heading line's text across the table
    counts: tuple[int, ...] = ()
    programs: int = 0
    row: CoverageRow | None = None  # None for headings and the totals
    deltas: tuple[int, ...] | None = None  # per target and then 事業数, when compared
    change: RowChange | None = None


def lines(matrix: Coverage, change: CoverageChange | None) -> list[Line]:
    changes = [RowChange(r, KEPT, (), 0, (), ()) for r in matrix.rows] if change is None else list(change.rows)
    out: list[Line] = []
    group: tuple[int, str | None] | None = None
    for c in changes:
        row, removed = c.row, c.status == REMOVED
        if group is None or row.policy != group[0]:
            out.append(Line("", heading=f"{node_heading(POLICY, row.policy)}\u3000{row.policy_title}"))
        if row.stage is not None and (row.policy, row.stage) != group:
            out.append(Line("", heading=f"（{row.stage}）"))
        group = (row.policy, row.stage)
        out.append(
            Line(
                f"{row.measure}\u3000{row.title}"
                + ("（削除）" if removed else "（追加）" if c.status == ADDED else ""),
                counts=tuple(0 for _ in row.counts) if removed else row.counts,
                programs=0 if removed else row.programs,
                row=row,
                deltas=None if change is None else (*c.deltas, c.programs),
                change=None if change is None else c,
            )
        )
    deltas = None if change is None else (*change.totals, change.programs)
    out.append(Line(TOTAL, counts=matrix.totals, programs=matrix.programs, deltas=deltas))
    return out


class CoverageModel(QAbstractTableModel):
    def __init__(self, targets: tuple[str, ...]) -> None:
        super().__init__()
        self.targets = targets
        self.lines: list[Line] = []
        self.largest = 0
        self.bold = QFont()
        self.bold.setBold(True)

    def set_lines(self, lines: list[Line]) -> None:
        self.beginResetModel()
        self.lines = lines
        self.largest = max((c for line in lines if line.row is not None for c in line.counts), default=0)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.lines)

    def columnCount(self, parent: Index = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.targets) + 1

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.targets[section] if section < len(self.targets) else PROGRAMS
        return self.lines[section].header

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        line, column = self.lines[index.row()], index.column()
        if line.heading:
            if role == Qt.ItemDataRole.DisplayRole and column == 0:
                return line.heading
            if role == Qt.ItemDataRole.BackgroundRole:
                return GROUP_FILL
            if role == Qt.ItemDataRole.FontRole:
                return self.bold
            return None
        is_target = column < len(self.targets)
        count = line.counts[column] if is_target else line.programs
        delta = None if line.deltas is None else line.deltas[column]
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{count}（{signed(delta)}）" if delta else str(count)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignCenter
        if role == Qt.ItemDataRole.FontRole and line.row is None:
            return self.bold
        if line.row is None:
            return None
        if role == Qt.ItemDataRole.BackgroundRole and (is_target or delta):
            if delta is not None:
                return _mix(MORE if delta > 0 else FEWER, min(abs(delta), 4) / 5) if delta else None
            return _mix(HEAT, count / self.largest * 0.9) if self.largest else None
        if role == Qt.ItemDataRole.ForegroundRole and is_target and delta is None and self.largest:
            return QColor(Qt.GlobalColor.white) if count / self.largest > 0.5 else None
        if role == Qt.ItemDataRole.ToolTipRole:
            what = self.targets[column] if is_target else PROGRAMS
            return f"{line.header}\n{what}: {count} 件（クリックで一覧）"
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if self.lines[index.row()].heading:
            return Qt.ItemFlag.ItemIsEnabled
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class CoverageDialog(QDialog):
    def __init__(self, db: Database, fiscal_year: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"対象別の事業数（{era_label(fiscal_year)}版）")
        fit_to_screen(self, 1180, 680)
        document = export_document(db, fiscal_year)
        self.names = {p["id"]: p["name"] for p in document["programs"]}
        self.matrix = coverage(document)
        self.change: CoverageChange | None = None
        previous = fiscal_year - 1
        self.compare_box = QCheckBox(f"前年度と比較（{era_label(previous)}版からの増減）")
        if previous in {e.fiscal_year for e in list_editions(db)}:
            old = export_document(db, previous)
            self.names = {p["id"]: p["name"] for p in old["programs"]} | self.names
            self.change = compare(coverage(old), self.matrix)
        else:
            self.compare_box.setVisible(False)
        self.compare_box.toggled.connect(self._show)

        summary = QLabel(
            "個別施策ごとに、掲載した事業・取組（再掲を含み、終了を除く）のうち各対象に届くものの数。"
            "色が濃いほど多い。セルをクリックすると事業の一覧を下に表示します。"
        )
        summary.setWordWrap(True)
        self.model = CoverageModel(self.matrix.targets)
        self.table = named(QTableView(), "対象別の事業数")
        self.table.setModel(self.model)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        # rows as tall as a line of text: more of the 26 measures on screen at once
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.clicked.connect(self._list_programs)
        self.caption = QLabel("セルを選ぶと、その事業・取組を表示します。")
        self.programs = named(QListWidget(), "選んだ欄の事業")
        below = QWidget()
        below_layout = QVBoxLayout(below)
        below_layout.setContentsMargins(0, 0, 0, 0)
        below_layout.addWidget(self.caption)
        below_layout.addWidget(self.programs)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(below)
        splitter.setSizes([520, 120])
        buttons = close_buttons()
        buttons.rejected.connect(self.reject)
        top = QHBoxLayout()
        top.addWidget(summary, 1)
        top.addWidget(self.compare_box)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self._show()

    def _show(self) -> None:
        change = self.change if self.compare_box.isChecked() else None
        self.model.set_lines(lines(self.matrix, change))
        self.table.clearSpans()
        for i, line in enumerate(self.model.lines):
            if line.heading:
                self.table.setSpan(i, 0, 1, self.model.columnCount())
        self.programs.clear()
        self.caption.setText("セルを選ぶと、その事業・取組を表示します。")

    def _list_programs(self, index: QModelIndex) -> None:
        line = self.model.lines[index.row()]
        if line.row is None:
            return
        column, targets = index.column(), self.matrix.targets
        cells = range(len(targets)) if column == len(targets) else [column]
        what = PROGRAMS if column == len(targets) else targets[column]
        removed = line.change is not None and line.change.status == REMOVED
        ids = () if removed else tuple(dict.fromkeys(p for k in cells for p in line.row.ids[k]))
        lost = () if line.change is None else tuple(dict.fromkeys(p for k in cells for p in line.change.lost[k]))
        self.programs.clear()
        gained = set() if line.change is None else {p for k in cells for p in line.change.gained[k]}
        self.programs.addItems(
            [f"{pid}\u3000{self.names.get(pid, '')}" + ("（前年度から増）" if pid in gained else "") for pid in ids]
        )
        self.programs.addItems([f"{pid}\u3000{self.names.get(pid, '')}（前年度のみ）" for pid in lost])
        more = f"（ほかに前年度のみ {len(lost)} 件）" if lost else ""
        self.caption.setText(f"{line.header} × {what}: {len(ids)} 件{more}")
