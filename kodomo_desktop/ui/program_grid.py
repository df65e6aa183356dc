"""The program grid's model, its target-cell delegate, columns and roles.

The model filters and sorts itself instead of sitting behind a QSortFilterProxyModel:
a proxy calls the Python data()/lessThan() once per row and comparison, which for
10,000 programs costs a tenth of a second per keystroke and seconds per sort, where
filtering a Python list of precomputed search keys costs a few milliseconds.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QRect,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import QApplication, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from kodomo_desktop.core.queries import Listing, ProgramRow
from kodomo_desktop.core.targets import TARGETS
from kodomo_desktop.core.text import search_key
from kodomo_desktop.core.validation import Severity
from kodomo_desktop.core.vocabulary import CONTINUING

COL_NO = 0
COL_NAME = 1
COL_FIRST_TARGET = 2
TARGET_COLUMNS = range(COL_FIRST_TARGET, COL_FIRST_TARGET + len(TARGETS))
COL_RESULTS = TARGET_COLUMNS.stop
COL_DIVISIONS = COL_RESULTS + 1
COL_STATUS = COL_DIVISIONS + 1
# after the essentials (name, ticks, 所管, 状態): the other fields a cell edit or a paste can reach
COL_CHANGE = COL_STATUS + 1
COL_ALIAS = COL_CHANGE + 1
COL_SUMMARY = COL_ALIAS + 1
HEADERS = ("No.", "事業・取組名称", *TARGETS, "実績", "所管", "状態", "変更区分", "通称", "概要")
# the program field each editable text column shows (the target columns are ticks)
FIELD_OF_COLUMN = {
    COL_NAME: "name",
    COL_ALIAS: "alias",
    COL_SUMMARY: "summary",
    COL_RESULTS: "results",
    COL_DIVISIONS: "divisions",
    COL_CHANGE: "status",
}

RELISTED = "【再掲】"
PLACEMENTS_MIME = "application/x-kodomo-placements"
# core.validation is cheap to import: its rules are loaded only when a validation runs
_SEVERITY_ICON: dict[str, QStyle.StandardPixmap] = {
    Severity.ERROR: QStyle.StandardPixmap.SP_MessageBoxCritical,
    Severity.WARNING: QStyle.StandardPixmap.SP_MessageBoxWarning,
    Severity.INFO: QStyle.StandardPixmap.SP_MessageBoxInformation,
}
_RELISTED_COLOR = QColor("#555555")


def target_index(column: int) -> int:
    return column - COL_FIRST_TARGET


# A grid row is one line high; the items of a multi-line text stay apart with a visible mark, not run together.
LINE_MARK = " ⏎ "


def one_line(text: str) -> str:
    return text.replace("\n", LINE_MARK)


class ProgramTableModel(QAbstractTableModel):
    """Rows are listings of the chosen scope; each shows a program from the edition-wide cache."""

    # placements dragged within a measure: [(uid, measure id, position)], the row dropped before
    rows_dropped = Signal(list, int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._programs: dict[int, ProgramRow] = {}
        self._id_of_uid: dict[str, int] = {}
        self._keys: dict[int, str] = {}  # program id -> search key, computed on the first search
        self._listings: list[Listing] = []  # the scope, in printed order
        self._view: list[Listing] = []  # what is shown: filtered and sorted
        self._rows_by_id: dict[int, list[int]] | None = None  # program id -> its rows in _view, when asked
        self._filtered_since_edit = True  # _view is what filtering all listings would give now
        self._needle = ""
        self._sort: tuple[int, Qt.SortOrder] = (COL_NO, Qt.SortOrder.AscendingOrder)
        self._order: dict[int, int] = {}  # id(listing) -> printed order, for the No. column
        self._severity: dict[str, str] = {}
        self._icons: dict[str, QIcon] = {}
        self.in_measure = False  # the scope is one measure: rows can be dragged into a new order
        self.read_only = False

    # --- loading ------------------------------------------------------------------------

    def set_programs(self, rows: Iterable[ProgramRow]) -> None:
        """The edition's programs (the grid rows refer to them); call set_listings next."""
        self._programs = {r.id: r for r in rows}
        self._id_of_uid = {r.uid: r.id for r in self._programs.values()}
        self._keys.clear()

    def set_listings(self, listings: list[Listing], in_measure: bool) -> None:
        self.beginResetModel()
        self._listings = listings
        self._order = {id(item): i for i, item in enumerate(listings)}
        self.in_measure = in_measure
        self._set_view(self._arranged())
        self.endResetModel()

    def update_programs(self, uids: Iterable[str], rows: Iterable[ProgramRow]) -> None:
        """Programs re-read after an edit (uids not among rows were deleted); their cells are repainted."""
        for uid in uids:
            old = self._id_of_uid.pop(uid, None)
            if old is not None:
                self._programs.pop(old, None)
                self._keys.pop(old, None)
        self._filtered_since_edit = False  # an edited program may match the search now
        shown: list[int] = []
        for row in rows:
            self._programs[row.id] = row
            self._id_of_uid[row.uid] = row.id
            shown += self._rows_of_id(row.id)
        self._rows_changed(shown, 0, len(HEADERS) - 1)

    def set_severities(self, severities: dict[str, str]) -> None:
        old, self._severity = self._severity, dict(severities)
        changed = {uid for uid in old.keys() | severities.keys() if old.get(uid) != severities.get(uid)}
        rows = [r for uid in changed for r in self.rows_of(uid)]
        self._rows_changed(rows, COL_STATUS, COL_STATUS)

    def _rows_changed(self, rows: list[int], first: int, last: int) -> None:
        """Tell the view these rows' cells (columns first..last) changed: one signal per run of adjacent
        rows, so that the view repaints what changed rather than a range spanning thousands of rows."""
        run: list[int] = []
        for row in sorted(set(rows)):
            if run and row != run[-1] + 1:
                self.dataChanged.emit(self.index(run[0], first), self.index(run[-1], last))
                run = []
            run.append(row)
        if run:
            self.dataChanged.emit(self.index(run[0], first), self.index(run[-1], last))

    # --- filter and sort ----------------------------------------------------------------

    def set_filter(self, text: str) -> None:
        needle = search_key(text)
        if needle != self._needle:
            # typing on narrows the search: only the rows shown can still match, in the same order
            narrower = self._filtered_since_edit and bool(self._needle) and self._needle in needle
            self._needle = needle
            self._rearrange(self._view if narrower else None)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self._sort = (column, order)
        self._rearrange()

    def hits(self, program_ids: Iterable[int] | None = None) -> int:
        """How many of these programs (None: all of the edition's) the search finds."""
        needle, key = self._needle, self._search_key
        return sum(1 for i in (self._programs if program_ids is None else program_ids) if needle in key(i))

    @property
    def natural_order(self) -> bool:
        """Rows in printed order, all shown: the only state in which dragging means a position."""
        return not self._needle and self._sort == (COL_NO, Qt.SortOrder.AscendingOrder)

    def _search_key(self, program_id: int) -> str:
        key = self._keys.get(program_id)
        if key is None:
            p = self._programs[program_id]
            key = self._keys[program_id] = search_key(
                "\n".join((p.uid, p.name, p.alias or "", p.divisions, p.summary, p.results))
            )
        return key

    def prime_search_keys(self) -> None:
        """Compute every program's search key now (at idle), so the first keystroke is as quick as the rest."""
        for program_id in self._programs:
            self._search_key(program_id)

    def _arranged(self, shown: list[Listing] | None = None) -> list[Listing]:
        """The listings to show, filtered and sorted; or those of `shown` (arranged already) the search finds."""
        rows = self._listings if shown is None else shown
        if self._needle:
            needle, key = self._needle, self._search_key
            rows = [item for item in rows if needle in key(item.program_id)]
        if shown is not None:
            return rows
        column, order = self._sort
        if (column, order) != (COL_NO, Qt.SortOrder.AscendingOrder):
            rows = sorted(rows, key=self._sort_key(column), reverse=order == Qt.SortOrder.DescendingOrder)
        return list(rows)

    def _sort_key(self, column: int):
        programs, order = self._programs, self._order
        if column == COL_NAME:
            return lambda item: search_key(programs[item.program_id].name)
        if column in TARGET_COLUMNS:
            bit = 1 << target_index(column)
            return lambda item: (programs[item.program_id].targets & bit == 0, order[id(item)])
        if column in FIELD_OF_COLUMN:
            field = FIELD_OF_COLUMN[column]
            return lambda item: getattr(programs[item.program_id], field) or ""
        if column == COL_STATUS:
            return lambda item: (-self._status_rank(programs[item.program_id]), order[id(item)])
        return lambda item: order[id(item)]

    def _status_rank(self, program: ProgramRow) -> int:
        severity = self._severity.get(program.uid)
        # the worse the finding the higher the weight (Severity.rank is 0 for the worst); none weighs 0
        weight = len(Severity) - Severity(severity).rank if severity else 0
        return weight * 2 + program.needs_review

    def _rearrange(self, shown: list[Listing] | None = None) -> None:
        """Re-filter and re-sort (or filter the rows shown), keeping the selection and current cell on
        their listings."""
        self.layoutAboutToBeChanged.emit()
        old_indexes = self.persistentIndexList()
        old_items = [self._view[i.row()] for i in old_indexes]
        self._set_view(self._arranged(shown), everything=shown is None)
        rows = {id(item): r for r, item in enumerate(self._view)}
        new_indexes = [
            self.index(rows[id(item)], i.column()) if id(item) in rows else QModelIndex()
            for i, item in zip(old_indexes, old_items, strict=False)
        ]
        self.changePersistentIndexList(old_indexes, new_indexes)
        self.layoutChanged.emit()

    def _set_view(self, view: list[Listing], *, everything: bool = True) -> None:
        """Show these listings (everything: arranged from all listings, not narrowed from those shown)."""
        self._view = view
        self._rows_by_id = None
        self._filtered_since_edit |= everything

    def _rows_of_id(self, program_id: int | None) -> list[int]:
        # built on the first question after the view changed: a scan of the view costs milliseconds
        if self._rows_by_id is None:
            self._rows_by_id = {}
            for r, item in enumerate(self._view):
                self._rows_by_id.setdefault(item.program_id, []).append(r)
        return self._rows_by_id.get(program_id, []) if program_id is not None else []

    # --- access -------------------------------------------------------------------------

    def listing(self, row: int) -> Listing:
        return self._view[row]

    def program(self, row: int) -> ProgramRow:
        return self._programs[self._view[row].program_id]

    def rows_of(self, uid: str) -> list[int]:
        return list(self._rows_of_id(self._id_of_uid.get(uid)))

    def shown_version(self, uid: str) -> int | None:
        """The version of the program the grid's rows show (None: not in the grid)."""
        program_id = self._id_of_uid.get(uid)
        return None if program_id is None else self._programs[program_id].version

    @property
    def program_count(self) -> int:
        return len(self._programs)

    def ticked(self, row: int, column: int) -> bool:
        return bool(self.program(row).targets >> target_index(column) & 1)

    def cell_text(self, row: int, column: int) -> str:
        """A cell in full, as copied to the clipboard."""
        if column in TARGET_COLUMNS:
            return "○" if self.ticked(row, column) else ""
        if column in (COL_RESULTS, COL_ALIAS, COL_SUMMARY):
            return self.field_text(row, column)
        return str(self.data(self.index(row, column)) or "")

    def field_text(self, row: int, column: int) -> str:
        """The stored value of an editable text column, as its cell editor starts from."""
        return getattr(self.program(row), FIELD_OF_COLUMN[column]) or ""

    # --- Qt model -----------------------------------------------------------------------

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._view)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        if role == Qt.ItemDataRole.ToolTipRole and section == COL_NO:
            return "冊子に載る順。この列で並べると冊子の順に戻ります。"
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        item = self._view[index.row()]
        program = self._programs[item.program_id]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == COL_NAME:
                return RELISTED + program.name if item.relisted else program.name
            if column == COL_RESULTS:
                return one_line(program.results)
            if column == COL_DIVISIONS:
                return program.divisions
            if column == COL_STATUS:
                return self._status_text(program)
            if column == COL_CHANGE:
                return program.status
            if column == COL_ALIAS:
                return program.alias or ""
            if column == COL_SUMMARY:
                return one_line(program.summary)
            if column == COL_NO:
                return self._order[id(item)] + 1
            return None
        if role == Qt.ItemDataRole.CheckStateRole and column in TARGET_COLUMNS:
            ticked = program.targets >> target_index(column) & 1
            return Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(item, program, column)
        if role == Qt.ItemDataRole.DecorationRole and column == COL_STATUS:
            return self._icon(self._severity.get(program.uid))
        if role == Qt.ItemDataRole.ForegroundRole and item.relisted:
            return _RELISTED_COLOR
        if role == Qt.ItemDataRole.TextAlignmentRole and column == COL_NO:
            return Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
        return None

    def _status_text(self, program: ProgramRow) -> str:
        parts = ["要確認"] if program.needs_review else []
        if program.status != CONTINUING:
            parts.append(program.status)
        return "・".join(parts)

    def _tooltip(self, item: Listing, program: ProgramRow, column: int) -> str | None:
        if column == COL_NAME:
            lines = [f"{program.uid}　{program.name}"]
            if program.alias:
                lines.append(f"通称: {program.alias}")
            if item.relisted:
                lines.append("この個別施策には再掲として載ります。")
            return "\n".join(lines)
        if column in TARGET_COLUMNS:
            return f"{TARGETS[target_index(column)]}（クリックまたは Space で切り替え）"
        if column == COL_RESULTS:
            return program.results or None
        if column == COL_SUMMARY:
            return program.summary or None
        if column == COL_DIVISIONS:
            return program.divisions or None
        if column == COL_STATUS:
            lines = []
            severity = self._severity.get(program.uid)
            if severity:
                lines.append(f"検証: {Severity(severity).label}あり（検証パネルで確認）")
            if program.needs_review:
                lines.append("要確認")
            if program.status != CONTINUING:
                lines.append(f"変更区分: {program.status}")
            return "\n".join(lines) or None
        return None

    def _icon(self, severity: str | None) -> QIcon | None:
        if severity not in _SEVERITY_ICON:
            return None
        icon = self._icons.get(severity)
        if icon is None:
            icon = self._icons[severity] = QApplication.style().standardIcon(_SEVERITY_ICON[severity])
        return icon

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if not self.read_only and index.column() in FIELD_OF_COLUMN:
            flags |= Qt.ItemFlag.ItemIsEditable  # the view's delegate writes through an undo command
        if self.in_measure and self.natural_order and not self.read_only:
            flags |= Qt.ItemFlag.ItemIsDragEnabled | Qt.ItemFlag.ItemIsDropEnabled
        elif not self.read_only and index.isValid() and self._view[index.row()].measure_id is not None:
            flags |= Qt.ItemFlag.ItemIsDragEnabled  # to a measure in the policy tree
        return flags

    # --- drag and drop (the database is changed by undo commands, not by the model) ------

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [PLACEMENTS_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        rows = sorted({i.row() for i in indexes})
        items = [
            (self.program(r).uid, self._view[r].measure_id, self._view[r].position)
            for r in rows
            if self._view[r].measure_id is not None
        ]
        data = QMimeData()
        data.setData(PLACEMENTS_MIME, json.dumps(items).encode())
        return data

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: QModelIndex | QPersistentModelIndex
    ) -> bool:
        if not (data.hasFormat(PLACEMENTS_MIME) and self.in_measure and self.natural_order):
            return False
        if row < 0:
            row = parent.row() if parent.isValid() else len(self._view)
        self.rows_dropped.emit(decode_placements(data), row)
        # False: the view must not remove the dragged rows itself; the reload after the move does
        return False


def decode_placements(data: QMimeData) -> list[tuple[str, int, int]]:
    return [tuple(item) for item in json.loads(bytes(data.data(PLACEMENTS_MIME).data()).decode())]


def drop_moves(positions: list[int], target: int) -> list[tuple[int, int]]:
    """Moves that put the rows at `positions` as a block before row `target`, in their order.

    Returns (current position, final position) pairs in the order to perform them, each
    a "take out, insert at" move as move_placement does: rows moving down go last-first,
    rows moving up first-first, so no move disturbs the place of one done before it.
    """
    positions = sorted(positions)
    start = target - sum(1 for p in positions if p < target)
    final = {p: start + k for k, p in enumerate(positions)}
    down = [p for p in positions if p < final[p]]
    up = [p for p in positions if p > final[p]]
    return [(p, final[p]) for p in reversed(down)] + [(p, final[p]) for p in up]


class TargetDelegate(QStyledItemDelegate):
    """A target cell: the check box alone, centred.

    A cell is drawn once per look (ticked or not, selected, focused, alternate row, size) into a
    pixmap, which later cells of that look copy: the eight target columns are most of the cells a
    repaint of the grid draws, and drawing each through the style took a dozen Python calls."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._looks: dict[tuple, QPixmap] = {}

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        rect = option.rect
        model = index.model()
        assert isinstance(model, ProgramTableModel)  # the one model this delegate paints
        ticked = model.ticked(index.row(), index.column())
        ratio = painter.device().devicePixelRatio()
        key = (ticked, option.state.value, option.features.value, rect.width(), rect.height(), ratio)
        look = self._looks.get(key)
        if look is None:
            if len(self._looks) > 256:  # a change of style, size or screen: the old looks go
                self._looks.clear()
            look = self._looks[key] = self._draw(option, ticked, ratio)
        painter.drawPixmap(rect.topLeft(), look)

    @staticmethod
    def _draw(option: QStyleOptionViewItem, ticked: bool, ratio: float) -> QPixmap:
        widget = option.widget
        style = widget.style() if widget else QApplication.style()
        look = QPixmap(option.rect.size() * ratio)
        look.setDevicePixelRatio(ratio)
        look.fill(Qt.GlobalColor.transparent)
        painter = QPainter(look)
        opt = QStyleOptionViewItem(option)
        opt.rect = QRect(QPoint(0, 0), option.rect.size())
        opt.features = QStyleOptionViewItem.ViewItemFeature.None_
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        check = QStyleOptionViewItem(opt)
        check.rect = QRect(
            0,
            0,
            style.pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth, opt, widget),
            style.pixelMetric(QStyle.PixelMetric.PM_IndicatorHeight, opt, widget),
        )
        check.rect.moveCenter(opt.rect.center())
        check.state = (check.state & ~QStyle.StateFlag.State_HasFocus) | (
            QStyle.StateFlag.State_On if ticked else QStyle.StateFlag.State_Off
        )
        style.drawPrimitive(QStyle.PrimitiveElement.PE_IndicatorItemViewItemCheck, check, painter, widget)
        painter.end()
        return look

    def editorEvent(self, event, model, option, index) -> bool:
        # the view toggles targets itself (multi-row, undoable); the default would call setData
        return False
